import { z } from 'zod';
import { missingOf, summary, toNewRequest } from '../conversation/draft.js';
import { fromStored, storedDraftSchema, toStored } from '../conversation/draft-store.js';
import type { DraftFields } from '../conversation/fields.js';
import type { MailDesk, MailDeskResult } from '../conversation/mail-desk.js';
import type { ActionButton, Reply } from '../conversation/reply.js';
import type { SeenKeys } from '../dedupe.js';
import { toAppError } from '../errors.js';
import { PENDING_INTAKE_TTL_MS } from '../intake/service.js';
import { REGIME_LABELS } from '../requests/deadlines.js';
import { todayIn } from '../requests/input.js';
import type { ChangeContext, NewRequest, Register } from '../requests/register.js';
import { isClearCase, type MailMessage, mailKey, readMail, type SkipReason } from './message.js';

/**
 * The privacy mailbox into the register: each message is claimed once by its key (its
 * Message-ID) on every replica and across restarts, through the store's atomic claim as the
 * webhook's idempotency keys are, then read (src/core/mailbox/message.ts) and either skipped with
 * a reason, kept as a draft that is posted to the privacy channel for a person (Log it, Edit, Not
 * a request), or, when an operator turned auto-logging on and the case is clear, logged at once.
 * The draft holds the requester's address and words: it is kept in the register's store like a
 * webhook intake waiting for confirmation, its personal data dropped once it is handled.
 */

/** How long a message being handled holds its key; a crash mid-way frees it after this. */
export const MAIL_CLAIM_MS = 2 * 60_000;
/**
 * How long a handled message's key is remembered. Mail stays in the folder for years, and the
 * watcher's place in it (the last UID read) can be lost (a new UIDVALIDITY, a reset store):
 * longer than any mailbox keeps unread mail around, so an old message is not drafted again.
 */
export const MAIL_KEY_TTL_MS = 400 * 24 * 3_600_000;
/** How long a draft waits for a person: as long as a webhook intake waits (its clock and more). */
export const MAIL_DRAFT_TTL_MS = PENDING_INTAKE_TTL_MS;
/** The actor recorded in the audit trail for a request logged without a person (auto-logging). */
export const MAILBOX_ACTOR = 'privacy-mailbox';
/** How much of the message the draft shows; the full excerpt goes into the note. */
const DRAFT_EXCERPT_CHARS = 600;

const recordSchema = z.object({
  v: z.literal(1),
  draftId: z.string(),
  /** The message's key, which the request is logged under (its intake key): the reference kept. */
  key: z.string(),
  at: z.string(),
  status: z.enum(['open', 'logged', 'dismissed']),
  /** The draft's fields and note (personal data); dropped once handled. */
  draft: storedDraftSchema.optional(),
  warnings: z.array(z.string()),
  requestId: z.string().optional(),
  by: z.string().optional(),
});
type MailRecord = z.infer<typeof recordSchema>;

/** What became of one message; safe to log (no personal data). */
export type MailOutcome =
  | { kind: 'drafted'; draftId: string }
  | { kind: 'logged'; draftId: string; requestId: string }
  | { kind: 'skipped'; reason: SkipReason }
  /** Handled before (a restart, another replica, a copy in another folder): nothing done again. */
  | { kind: 'duplicate' }
  /** Being handled right now elsewhere, or by a process that stopped mid-way: try again later. */
  | { kind: 'in-progress' };

type Held = { handling: true } | { outcome: MailOutcome };

export interface MailIntakeOptions {
  register: Register;
  seen: SeenKeys;
  /** MAILBOX_AUTO_LOG: log a clear case at once instead of waiting for a person. */
  autoLog: boolean;
  timeZone: string;
  /**
   * Posts to the privacy channel(s). A draft carries the requester's details, so it goes only to
   * the privacy channel; a failure leaves the message unclaimed, to be posted on the next check.
   */
  post?: (reply: Reply) => Promise<void>;
}

/** The draft's id, shown on its buttons: short, and the same for the same message. */
function draftIdOf(key: string): string {
  return `MAIL-${key.slice('mail:'.length, 'mail:'.length + 12)}`;
}

export class MailIntakeService implements MailDesk {
  constructor(private readonly options: MailIntakeOptions) {}

  /** Handles one message of the mailbox, once; throws only when it could not be stored or posted. */
  async receive(mail: MailMessage, now: Date): Promise<MailOutcome> {
    const { seen } = this.options;
    const key = mailKey(mail);
    const claim = `mailbox:msg:${key}`;
    if (!(await seen.claim(claim, MAIL_CLAIM_MS, { handling: true } satisfies Held))) {
      const held = (await seen.get(claim)) as Held | undefined;
      return held && 'outcome' in held ? { kind: 'duplicate' } : { kind: 'in-progress' };
    }
    let outcome: MailOutcome;
    try {
      outcome = await this.handle(mail, key, now);
    } catch (error) {
      // Nothing is lost: the message is claimed again on the next check.
      await seen.release(claim).catch(() => undefined);
      throw error;
    }
    await seen.put(claim, { outcome } satisfies Held, MAIL_KEY_TTL_MS);
    return outcome;
  }

  private async handle(mail: MailMessage, key: string, now: Date): Promise<MailOutcome> {
    const { register, timeZone } = this.options;
    const reading = readMail(mail, timeZone);
    if (reading.kind === 'skip') return { kind: 'skipped', reason: reading.reason };
    const draftId = draftIdOf(key);
    const fields: DraftFields = { ...reading.fields, note: reading.note };
    if (this.options.autoLog && isClearCase(reading)) {
      const state = await register.add(this.newRequest(fields, key, now), { actor: MAILBOX_ACTOR, now });
      await this.write({
        v: 1,
        draftId,
        key,
        at: now.toISOString(),
        status: 'logged',
        warnings: [],
        requestId: state.id,
        by: MAILBOX_ACTOR,
      });
      await this.options.post?.({
        blocks: [
          {
            kind: 'text',
            text: `Logged ${state.id} from the privacy mailbox without a person (auto-logging is on): ${/^[aeiou]/.test(state.type) ? 'an' : 'a'} ${state.type} request under ${REGIME_LABELS[state.regime]}, received ${state.received}, due ${state.deadlines.due}. Show it to check it.`,
          },
          {
            kind: 'actions',
            buttons: [{ action: 'request.show', label: 'Show', value: state.id }],
          },
        ],
        text: `Logged ${state.id} from the privacy mailbox.`,
        personal: false,
      });
      return { kind: 'logged', draftId, requestId: state.id };
    }
    const record: MailRecord = {
      v: 1,
      draftId,
      key,
      at: now.toISOString(),
      status: 'open',
      draft: toStored({ id: key, fields, at: now.getTime() }),
      warnings: reading.warnings,
    };
    await this.write(record);
    await this.options.post?.(this.draftReply(record, fields, mail, now));
    return { kind: 'drafted', draftId };
  }

  private newRequest(fields: DraftFields, key: string, now: Date): NewRequest {
    return { ...toNewRequest(fields, todayIn(now, this.options.timeZone)), intakeKey: key };
  }

  /** The draft as posted to the privacy channel: every field, the warnings, the link back, buttons. */
  private draftReply(record: MailRecord, fields: DraftFields, mail: MailMessage, now: Date): Reply {
    const today = todayIn(now, this.options.timeZone);
    let lines: string[];
    try {
      lines = summary(fields, this.options.register, now, today, true);
    } catch (error) {
      // A field the register refuses: shown as it is, to be corrected with Edit.
      lines = summary({ ...fields, regime: undefined }, this.options.register, now, today, true);
      lines.push(`⚠ ${toAppError(error).message}`);
    }
    const missing = missingOf(fields);
    const excerpt = (mail.subject ? `${mail.subject.trim()}\n` : '') + mail.text.trim();
    const shown =
      excerpt.length > DRAFT_EXCERPT_CHARS ? `${excerpt.slice(0, DRAFT_EXCERPT_CHARS)}…` : excerpt;
    const text = [
      `New mail to the privacy mailbox (${record.draftId}). Is it a rights request? The clock started when the mail server received it, ${fields.received}.`,
      ...lines,
      ...record.warnings.map((w) => `⚠ ${w}`),
      ...(missing.length > 0
        ? ['Not complete yet: press Edit to fill in what is missing, then log it.']
        : []),
      `Reference: ${fields.note?.split('\n')[0]?.replace(/^By email: /, '') ?? record.key}`,
      `What it says:\n${shown || '(no text)'}`,
    ].join('\n');
    const buttons: ActionButton[] = [
      { action: 'mail.log', label: 'Log it', value: record.draftId, style: 'primary' },
      { action: 'mail.edit', label: 'Edit', value: record.draftId },
      { action: 'mail.dismiss', label: 'Not a request', value: record.draftId, style: 'danger' },
    ];
    return {
      blocks: [
        { kind: 'text', text },
        { kind: 'actions', buttons },
      ],
      text,
      personal: true,
    };
  }

  private async write(record: MailRecord): Promise<void> {
    await this.options.seen.put(`mailbox:draft:${record.draftId}`, record, MAIL_DRAFT_TTL_MS);
  }

  private async read(draftId: string): Promise<MailRecord | undefined> {
    if (!/^MAIL-[0-9a-f]{12}$/.test(draftId)) return undefined;
    const parsed = recordSchema.safeParse(await this.options.seen.get(`mailbox:draft:${draftId}`));
    return parsed.success ? parsed.data : undefined;
  }

  /** A handled draft as the result a button press gets; undefined while it is open. */
  private handled(record: MailRecord | undefined): MailDeskResult | undefined {
    if (!record) return { status: 'gone' };
    if (record.status === 'logged')
      return { status: 'already-logged', requestId: record.requestId ?? '?', by: record.by ?? '?' };
    if (record.status === 'dismissed') return { status: 'dismissed', by: record.by ?? '?' };
    return undefined;
  }

  async log(draftId: string, ctx: ChangeContext): Promise<MailDeskResult> {
    const record = await this.read(draftId);
    const done = this.handled(record);
    if (done) return done;
    const draft = fromStored(record!.draft);
    if (!draft || missingOf(draft.fields).length > 0)
      return { status: 'incomplete', fields: draft?.fields ?? {} };
    // Logged under the message's key: a second press, here or on another replica, finds this request.
    const request = await this.options.register.add(this.newRequest(draft.fields, record!.key, ctx.now), ctx);
    await this.close(record!, 'logged', ctx.actor, request.id);
    return { status: 'logged', request };
  }

  async dismiss(draftId: string, ctx: ChangeContext): Promise<MailDeskResult> {
    const record = await this.read(draftId);
    const done = this.handled(record);
    if (done) return done;
    await this.close(record!, 'dismissed', ctx.actor);
    return { status: 'dismissed', by: ctx.actor };
  }

  async open(
    draftId: string,
  ): Promise<{ status: 'open'; key: string; fields: DraftFields } | MailDeskResult> {
    const record = await this.read(draftId);
    const done = this.handled(record);
    if (done) return done;
    const draft = fromStored(record!.draft);
    if (!draft) return { status: 'gone' };
    return { status: 'open', key: record!.key, fields: draft.fields };
  }

  async loggedFromChat(key: string, requestId: string, ctx: ChangeContext): Promise<void> {
    const record = await this.read(draftIdOf(key));
    if (record?.status === 'open') await this.close(record, 'logged', ctx.actor, requestId);
  }

  /** Handled: the status and who, the requester's details and words dropped (the register keeps them). */
  private async close(
    record: MailRecord,
    status: 'logged' | 'dismissed',
    by: string,
    requestId?: string,
  ): Promise<void> {
    const { draft: _personal, ...rest } = record;
    await this.write({ ...rest, status, by, ...(requestId ? { requestId } : {}) });
  }
}
