import type { DraftFields } from '../conversation/fields.js';
import type { IntakeDesk, IntakeDeskResult } from '../conversation/intake-desk.js';
import type { Reply } from '../conversation/reply.js';
import type { SeenKeys } from '../dedupe.js';
import { DRAFT_TTL_MS, DraftDesk } from '../intake/desk.js';
import { fillWithLlm, READ_BUDGET_MS, type ReadingModel } from '../llm/read-request.js';
import { REGIME_LABELS } from '../requests/deadlines.js';
import type { ChangeContext, Register } from '../requests/register.js';
import {
  isClearCase,
  MAX_READ_CHARS,
  type MailMessage,
  mailKey,
  readMail,
  type SkipReason,
} from './message.js';

/**
 * The privacy mailbox into the register: each message is claimed once by its key (its
 * Message-ID) on every replica and across restarts, through the store's atomic claim as the
 * webhook's idempotency keys are, then read (src/core/mailbox/message.ts) and either skipped with
 * a reason, kept as a draft that is posted to the privacy channel for a person (Log it, Edit, Not
 * a request: the desk of src/core/intake/desk.ts, which the intake webhook's drafts share), or,
 * when an operator turned auto-logging on and the case is clear, logged at once.
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
export const MAIL_DRAFT_TTL_MS = DRAFT_TTL_MS;
/** The actor recorded in the audit trail for a request logged without a person (auto-logging). */
export const MAILBOX_ACTOR = 'privacy-mailbox';
/**
 * The longest a model's reading may hold up a draft (LLM_READ_MAIL): past it, the draft goes out
 * with the offline reading. Mail is not a chat turn, but a draft should not wait on a slow model.
 */
export const MAIL_LLM_BUDGET_MS = READ_BUDGET_MS;
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
  /** The desk its drafts go to; one of its own over `register`, `seen` and `post` when absent. */
  desk?: DraftDesk;
  /**
   * A model that reads what the rules could not (LLM_READ_MAIL=true with an LLM configured): the
   * mail's text goes to it, so only when an operator turned that on. Absent: offline only.
   */
  llm?: ReadingModel;
}

export class MailIntakeService implements IntakeDesk {
  readonly desk: DraftDesk;

  constructor(private readonly options: MailIntakeOptions) {
    this.desk =
      options.desk ??
      new DraftDesk({
        register: options.register,
        seen: options.seen,
        timeZone: options.timeZone,
        ...(options.post ? { post: options.post } : {}),
      });
  }

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
    let fields: DraftFields = { ...reading.fields, note: reading.note };
    // Clear or not is the offline reading's alone: a field a model filled never makes a case clear.
    if (this.options.autoLog && isClearCase(reading)) {
      const state = await register.add(this.desk.newRequest(fields, key, now), { actor: MAILBOX_ACTOR, now });
      const draftId = await this.desk.recordLogged('mail', key, state.id, MAILBOX_ACTOR, now);
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
    const subject = mail.subject ?? '';
    const read = await fillWithLlm(this.options.llm, fields, {
      subject,
      text: mail.text,
      ...(mail.from?.name ? { senderName: mail.from.name } : {}),
      original: `${subject}\n${mail.text}`.slice(0, MAX_READ_CHARS),
      noun: 'mail',
    });
    fields = read.fields;
    const readByLlm = read.filled;
    const warnings = [...reading.warnings, ...read.warnings];
    const { draftId } = await this.desk.draft({
      source: 'mail',
      key,
      fields,
      warnings,
      now,
      shown: {
        ...(readByLlm.length > 0 ? { readByLlm } : {}),
        headline: (draftId) =>
          `New mail to the privacy mailbox (${draftId}). Is it a rights request? The clock started when the mail server received it, ${fields.received}.`,
        reference: fields.note?.split('\n')[0]?.replace(/^By email: /, '') ?? key,
        excerpt: (mail.subject ? `${mail.subject.trim()}\n` : '') + mail.text.trim(),
      },
    });
    return { kind: 'drafted', draftId };
  }

  log(draftId: string, ctx: ChangeContext): Promise<IntakeDeskResult> {
    return this.desk.log(draftId, ctx);
  }

  dismiss(draftId: string, ctx: ChangeContext): Promise<IntakeDeskResult> {
    return this.desk.dismiss(draftId, ctx);
  }

  open(draftId: string): Promise<{ status: 'open'; key: string; fields: DraftFields } | IntakeDeskResult> {
    return this.desk.open(draftId);
  }

  loggedFromChat(key: string, requestId: string, ctx: ChangeContext): Promise<void> {
    return this.desk.loggedFromChat(key, requestId, ctx);
  }

  owns(key: string): boolean {
    return this.desk.owns(key);
  }
}
