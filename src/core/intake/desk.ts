import { z } from 'zod';
import { missingOf, summary, toNewRequest } from '../conversation/draft.js';
import { fromStored, storedDraftSchema, toStored } from '../conversation/draft-store.js';
import type { DraftFields } from '../conversation/fields.js';
import type { IntakeDesk, IntakeDeskResult, IntakeSourceKind } from '../conversation/intake-desk.js';
import type { ActionButton, Reply } from '../conversation/reply.js';
import type { SeenKeys } from '../dedupe.js';
import { toAppError } from '../errors.js';
import { todayIn } from '../requests/input.js';
import type { ChangeContext, NewRequest, Register } from '../requests/register.js';

/**
 * The one path from "a request arrived" to "a person logged it": a draft kept in the register's
 * store and posted to the privacy channel with Log it, Edit and Not a request, whatever brought it
 * in (the privacy mailbox, the intake webhook). Each source has its own key (a mail's Message-ID
 * digest, a delivery's idempotency-key digest), which the request is logged under, so a draft is
 * logged once however many presses and replicas reach it. The draft holds the requester's
 * details: it is posted only to the privacy channel, and they are dropped once it is settled.
 */

/**
 * How long a draft waits for a person: the longest response period the register knows (CCPA's 45
 * days, doubled when extended) plus slack, so a waiting draft outlives its clock.
 */
export const DRAFT_TTL_MS = 120 * 24 * 3_600_000;
/** How much of what the requester wrote the draft shows; the rest is in the note. */
const DRAFT_EXCERPT_CHARS = 600;
/** How long one replica holds a draft it is posting again, so two do not post it twice. */
const REPOST_CLAIM_MS = 60_000;

/** Per source: its draft ids, keys and where its drafts are stored (kept as they were for mail). */
const SOURCES: Record<IntakeSourceKind, { idPrefix: string; keyPrefix: string; storePrefix: string }> = {
  mail: { idPrefix: 'MAIL-', keyPrefix: 'mail:', storePrefix: 'mailbox:draft:' },
  webhook: { idPrefix: 'INT-', keyPrefix: 'intake:', storePrefix: 'intake:draft:' },
};

const recordSchema = z.object({
  v: z.literal(1),
  /** Absent on drafts stored before the webhook's: those are all mail. */
  source: z.enum(['mail', 'webhook']).optional(),
  draftId: z.string(),
  /** The source's key, which the request is logged under (its intake key): the reference kept. */
  key: z.string(),
  at: z.string(),
  status: z.enum(['open', 'logged', 'dismissed']),
  /** The draft's fields and note (personal data); dropped once handled. */
  draft: storedDraftSchema.optional(),
  warnings: z.array(z.string()),
  /** The draft as posted, kept while no privacy channel has taken it, to be posted again. */
  unposted: z.custom<Reply>((v) => typeof v === 'object' && v !== null).optional(),
  requestId: z.string().optional(),
  by: z.string().optional(),
});
type DraftRecord = z.infer<typeof recordSchema>;

/** What a new draft shows beyond its fields, written by its source. */
export interface DraftShown {
  /** The first line: what arrived, the draft's id, and when the clock started. */
  headline: (draftId: string) => string;
  /** The link back to where it arrived (a Message-ID, a delivery's key). */
  reference: string;
  /** What the requester wrote, as far as it is shown. */
  excerpt: string;
  /** Fields a model filled (src/core/llm/read-request.ts): each line is marked "(read by the LLM)". */
  readByLlm?: ('type' | 'place' | 'name')[];
}

/** The summary lines a field a model filled is shown on, and the mark each gets. */
const LLM_MARKED: Record<'type' | 'place' | 'name', { line: RegExp; mark: string }> = {
  type: { line: /^• Type: /, mark: ' (read by the LLM)' },
  place: { line: /^• (?:Law|Country): /, mark: ' (read by the LLM)' },
  name: { line: /^• Requester: /, mark: ' (name read by the LLM)' },
};

/** The summary with each line a model filled marked, so the person confirming checks it. */
function markReadByLlm(lines: string[], filled: DraftShown['readByLlm']): string[] {
  if (!filled?.length) return lines;
  return lines.map((line) => {
    const marked = filled.find((f) => LLM_MARKED[f].line.test(line));
    return marked ? `${line}${LLM_MARKED[marked].mark}` : line;
  });
}

export interface IntakeDeskOptions {
  register: Register;
  seen: SeenKeys;
  timeZone: string;
  /**
   * Posts to the privacy channel(s); throws when none took it. A draft carries the requester's
   * details, so it goes only to the privacy channel.
   */
  post?: (reply: Reply) => Promise<void>;
}

/** The draft id shown on the buttons: short, and the same for the same key. */
export function draftIdOf(source: IntakeSourceKind, key: string): string {
  const { idPrefix, keyPrefix } = SOURCES[source];
  return `${idPrefix}${key.slice(keyPrefix.length, keyPrefix.length + 12)}`;
}

function sourceOfId(draftId: string): IntakeSourceKind | undefined {
  if (/^MAIL-[0-9a-f]{12}$/.test(draftId)) return 'mail';
  if (/^INT-[0-9a-f]{12}$/.test(draftId)) return 'webhook';
  return undefined;
}

function sourceOfKey(key: string): IntakeSourceKind | undefined {
  if (/^mail:[0-9a-f]{12,}$/.test(key)) return 'mail';
  if (/^intake:[0-9a-f]{12,}$/.test(key)) return 'webhook';
  return undefined;
}

export class DraftDesk implements IntakeDesk {
  constructor(private readonly options: IntakeDeskOptions) {}

  owns(key: string): boolean {
    return sourceOfKey(key) !== undefined;
  }

  /** The request a draft's fields log as, under its source's key. */
  newRequest(fields: DraftFields, key: string, now: Date): NewRequest {
    return { ...toNewRequest(fields, todayIn(now, this.options.timeZone)), intakeKey: key };
  }

  /**
   * Keeps a new draft and posts it to the privacy channel. With `keepUnposted`, a draft no channel
   * took is kept to be posted by {@link repost}; otherwise the failure is thrown (the mailbox
   * reads the message again at its next check).
   */
  async draft(
    args: {
      source: IntakeSourceKind;
      key: string;
      fields: DraftFields;
      warnings: string[];
      shown: DraftShown;
      now: Date;
    },
    keepUnposted = false,
  ): Promise<{ draftId: string; posted: boolean }> {
    const draftId = draftIdOf(args.source, args.key);
    const record: DraftRecord = {
      v: 1,
      source: args.source,
      draftId,
      key: args.key,
      at: args.now.toISOString(),
      status: 'open',
      draft: toStored({ id: args.key, fields: args.fields, at: args.now.getTime() }),
      warnings: args.warnings,
    };
    const reply = this.draftReply(record, args.fields, args.shown, args.now);
    if (!keepUnposted) {
      await this.write(record);
      await this.options.post?.(reply);
      return { draftId, posted: true };
    }
    // Written as unposted first: a crash between the two leaves it to be posted again, not lost.
    // Held meanwhile, so another replica's repost does not post it a second time.
    const hold = `${SOURCES[args.source].storePrefix}posting:${draftId}`;
    await this.options.seen.claim(hold, REPOST_CLAIM_MS);
    await this.write({ ...record, unposted: reply });
    // Listed under a prefix of its own, so a repost reads only the drafts still waiting to go out.
    const waiting = `${SOURCES[args.source].storePrefix}unposted:${draftId}`;
    await this.options.seen.put(waiting, 1, DRAFT_TTL_MS);
    try {
      await this.options.post?.(reply);
      await this.write(record);
      await this.options.seen.release(waiting);
      return { draftId, posted: true };
    } catch {
      return { draftId, posted: false };
    } finally {
      await this.options.seen.release(hold).catch(() => undefined);
    }
  }

  /**
   * Posts again the drafts of `source` that no privacy channel took, each claimed for a moment so
   * two replicas do not both post it; returns how many were posted. Failures stay for next time.
   */
  async repost(source: IntakeSourceKind): Promise<number> {
    const { storePrefix } = SOURCES[source];
    const listed = `${storePrefix}unposted:`;
    const names = (await this.options.seen.keys?.(listed)) ?? [];
    let posted = 0;
    for (const draftId of names.map((n) => n.slice(listed.length))) {
      if (sourceOfId(draftId) !== source) continue;
      const record = await this.read(draftId);
      if (!record?.unposted || record.status !== 'open') {
        // Posted or settled meanwhile: nothing to post.
        await this.options.seen.release(`${listed}${draftId}`);
        continue;
      }
      const hold = `${storePrefix}posting:${draftId}`;
      if (!(await this.options.seen.claim(hold, REPOST_CLAIM_MS))) continue;
      try {
        await this.options.post?.(record.unposted);
        const { unposted: _posted, ...rest } = record;
        // Read again: a press may have settled it meanwhile (then it stays settled).
        const now = await this.read(draftId);
        if (now?.status === 'open') await this.write(rest);
        await this.options.seen.release(`${listed}${draftId}`);
        posted++;
      } catch {
        // Still no channel: kept for the next round.
      } finally {
        await this.options.seen.release(hold).catch(() => undefined);
      }
    }
    return posted;
  }

  /** The draft as posted to the privacy channel: every field, the warnings, the link back, buttons. */
  private draftReply(record: DraftRecord, fields: DraftFields, shown: DraftShown, now: Date): Reply {
    const today = todayIn(now, this.options.timeZone);
    let lines: string[];
    try {
      lines = summary(fields, this.options.register, now, today, true);
    } catch (error) {
      // A field the register refuses: shown as it is, to be corrected with Edit.
      lines = summary({ ...fields, regime: undefined }, this.options.register, now, today, true);
      lines.push(`⚠ ${toAppError(error).message}`);
    }
    lines = markReadByLlm(lines, shown.readByLlm);
    const missing = missingOf(fields);
    const excerpt = shown.excerpt.trim();
    const cut = excerpt.length > DRAFT_EXCERPT_CHARS ? `${excerpt.slice(0, DRAFT_EXCERPT_CHARS)}…` : excerpt;
    const text = [
      shown.headline(record.draftId),
      ...lines,
      ...record.warnings.map((w) => `⚠ ${w}`),
      ...(missing.length > 0
        ? ['Not complete yet: press Edit to fill in what is missing, then log it.']
        : []),
      `Reference: ${shown.reference}`,
      `What it says:\n${cut || '(no text)'}`,
    ].join('\n');
    // The action ids say "mail" for every source: drafts posted before the webhook's carry them.
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

  /** Records a draft settled without a person (auto-logging), so a late press says so. */
  async recordLogged(
    source: IntakeSourceKind,
    key: string,
    requestId: string,
    by: string,
    now: Date,
  ): Promise<string> {
    const draftId = draftIdOf(source, key);
    await this.write({
      v: 1,
      source,
      draftId,
      key,
      at: now.toISOString(),
      status: 'logged',
      warnings: [],
      requestId,
      by,
    });
    return draftId;
  }

  private async write(record: DraftRecord): Promise<void> {
    const source = record.source ?? 'mail';
    await this.options.seen.put(`${SOURCES[source].storePrefix}${record.draftId}`, record, DRAFT_TTL_MS);
  }

  private async read(draftId: string): Promise<DraftRecord | undefined> {
    const source = sourceOfId(draftId);
    if (!source) return undefined;
    const parsed = recordSchema.safeParse(
      await this.options.seen.get(`${SOURCES[source].storePrefix}${draftId}`),
    );
    return parsed.success ? { ...parsed.data, source } : undefined;
  }

  /** A handled draft as the result a button press gets; undefined while it is open. */
  private handled(draftId: string, record: DraftRecord | undefined): IntakeDeskResult | undefined {
    const source = record?.source ?? sourceOfId(draftId) ?? 'mail';
    if (!record) return { source, status: 'gone' };
    if (record.status === 'logged')
      return { source, status: 'already-logged', requestId: record.requestId ?? '?', by: record.by ?? '?' };
    if (record.status === 'dismissed') return { source, status: 'dismissed', by: record.by ?? '?' };
    return undefined;
  }

  async log(draftId: string, ctx: ChangeContext): Promise<IntakeDeskResult> {
    const record = await this.read(draftId);
    const done = this.handled(draftId, record);
    if (done) return done;
    const source = record!.source ?? 'mail';
    const draft = fromStored(record!.draft);
    if (!draft || missingOf(draft.fields).length > 0)
      return { source, status: 'incomplete', fields: draft?.fields ?? {} };
    // Logged under the source's key: a second press, here or on another replica, finds this request.
    const request = await this.options.register.add(this.newRequest(draft.fields, record!.key, ctx.now), ctx);
    await this.close(record!, 'logged', ctx.actor, request.id);
    return { source, status: 'logged', request };
  }

  async dismiss(draftId: string, ctx: ChangeContext): Promise<IntakeDeskResult> {
    const record = await this.read(draftId);
    const done = this.handled(draftId, record);
    if (done) return done;
    await this.close(record!, 'dismissed', ctx.actor);
    return { source: record!.source ?? 'mail', status: 'dismissed', by: ctx.actor };
  }

  async open(
    draftId: string,
  ): Promise<{ status: 'open'; key: string; fields: DraftFields } | IntakeDeskResult> {
    const record = await this.read(draftId);
    const done = this.handled(draftId, record);
    if (done) return done;
    const draft = fromStored(record!.draft);
    if (!draft) return { source: record!.source ?? 'mail', status: 'gone' };
    return { status: 'open', key: record!.key, fields: draft.fields };
  }

  async loggedFromChat(key: string, requestId: string, ctx: ChangeContext): Promise<void> {
    const source = sourceOfKey(key);
    if (!source) return;
    const record = await this.read(draftIdOf(source, key));
    if (record?.status === 'open') await this.close(record, 'logged', ctx.actor, requestId);
  }

  /** Handled: the status and who, the requester's details and words dropped (the register keeps them). */
  private async close(
    record: DraftRecord,
    status: 'logged' | 'dismissed',
    by: string,
    requestId?: string,
  ): Promise<void> {
    const { draft: _personal, unposted: _shown, ...rest } = record;
    await this.write({ ...rest, status, by, ...(requestId ? { requestId } : {}) });
  }
}
