import { randomUUID } from 'node:crypto';
import { type EngineContext, errorReply, reply, text, withLead } from './context.js';
import { correct, type Draft, nameQuoted, nextQuestion, queuedLine } from './draft.js';
import { MAX_QUEUED } from './draft-store.js';
import { showDraft } from './intake-flow.js';
import { maySeeRequesterData, type Reply, type Turn } from './reply.js';
import type { DraftFields } from './understand.js';

/**
 * Requests sent while a draft waits: queued behind it (never merged, never lost), corrected by the
 * name they quote, or taken instead of the waiting one ("replace it with the new one").
 */

/**
 * A new intake while a draft waits: kept in a queue behind it (never merged, never lost), and
 * said so, with the waiting draft shown again and how to take the new one instead.
 */
export async function queueIntake(
  ctx: EngineContext,
  fields: DraftFields,
  turn: Turn,
  draft: Draft,
): Promise<Reply> {
  const queued = [...(draft.queued ?? []), fields];
  if (queued.length > MAX_QUEUED)
    return errorReply(
      `${MAX_QUEUED} new requests are queued behind the one waiting already: answer that one first (say "yes" to log it or "no" to drop it), then send this one again.`,
    );
  const waiting = await showDraft(ctx, draft.fields, turn, draft.id, queued);
  const ahead = queued.length === 1 ? '' : ` (${queued.length} are queued now)`;
  // Every queued request is listed, so one stuck behind a draft that cannot be logged yet is seen.
  // Listed by what they are, not by name, so the one shown in full is plainly the waiting one.
  const list = queued.map((f, i) => `  ${i + 1}. ${queuedLine(f, false)}`).join('\n');
  const missing = nextQuestion(draft.fields);
  const stuck = missing
    ? ` The one below cannot be logged yet (${missing.replace(/\s*\(.*$/, '')}): answer that, or say "no" to drop it.`
    : '';
  return withLead(
    waiting,
    `Queued: the new request is kept and comes next${ahead}, once you answer the one below, still waiting to be logged: "yes" logs it, "no" drops it, then the new one is shown. To drop the waiting one and take the new one instead, say "replace it with the new one".${stuck}\nQueued behind it:\n${list}`,
  );
}

/**
 * A name correction that quotes the old name: applied to the waiting draft when its name is that
 * one, else to the one queued draft whose name it is; asked about when none or several fit, so a
 * correction never lands on another requester's draft.
 */
export async function correctNamed(
  ctx: EngineContext,
  change: DraftFields,
  was: string,
  turn: Turn,
  draft: Draft,
): Promise<Reply> {
  const fits = (f: DraftFields) => Boolean(f.name && nameQuoted(f.name, was));
  if (fits(draft.fields) || (!draft.fields.name && !(draft.queued ?? []).some(fits)))
    return showDraft(ctx, correct(draft.fields, change), turn, draft.id, draft.queued);
  const queued = draft.queued ?? [];
  const matching = queued.map((f, i) => (fits(f) ? i : -1)).filter((i) => i >= 0);
  if (matching.length !== 1) {
    const which =
      matching.length === 0
        ? 'Neither the waiting request nor one queued behind it has that name, so nothing was changed.'
        : 'More than one queued request has that name, so nothing was changed.';
    return reply([
      text(
        `${which} To correct the waiting one, say "her name is …"; a queued one can be corrected once it is shown.`,
      ),
    ]);
  }
  const at = matching[0]!;
  const next = queued.map((f, i) => (i === at ? correct(f, change) : f));
  const waiting = await showDraft(ctx, draft.fields, turn, draft.id, next);
  const mayShow = maySeeRequesterData(turn.audience);
  return withLead(
    waiting,
    `Corrected the queued request (${queuedLine(next[at]!, mayShow)}); it comes once the one below is answered.`,
  );
}

/** "replace it with the new one": the waiting draft is dropped; the newest queued one takes its place. */
export async function replaceIntake(
  ctx: EngineContext,
  turn: Turn,
  draft: Draft | undefined,
): Promise<Reply> {
  const queued = [...(draft?.queued ?? [])];
  const next = queued.pop();
  if (!draft || !next) return reply([text('There is no new request queued to take its place.')]);
  const shown = await showDraft(ctx, next, turn, randomUUID(), queued);
  return withLead(shown, 'Dropped the request that was waiting (nothing was logged); here is the new one:');
}
