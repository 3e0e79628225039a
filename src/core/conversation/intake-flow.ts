import { randomUUID } from 'node:crypto';
import { AppError, newReference, toAppError } from '../errors.js';
import { REGIME_LABELS, REGIMES, REQUEST_TYPES } from '../requests/deadlines.js';
import { todayIn } from '../requests/input.js';
import type { NewRequest } from '../requests/register.js';
import { type EngineContext, errorReply, reply, text, withNote } from './context.js';
import {
  acceptPlaceHint,
  type Draft,
  draftRequester,
  MISSING_LABELS,
  missingOf,
  nameQuoted,
  nextQuestion,
  queuedLine,
  summary,
  toNewRequest,
} from './draft.js';
import { type ActionButton, maySeeRequesterData, type Reply, type Turn } from './reply.js';
import { resolve, resolveName } from './resolve.js';
import { type DraftFields, readFields } from './understand.js';

/**
 * The one-line intake: a draft shown with every field and its deadline, asked about until it is
 * complete, then logged on "yes" (or Log it) or dropped on "no" (or Cancel). Requests sent while a
 * draft waits queue behind it (`draft-queue.ts`).
 */

/** What a one-line intake message says, before the person confirms it. */
export interface ParsedIntake {
  request: Partial<NewRequest>;
  missing: string[];
}

/**
 * Reads the request fields of a one-line intake ("log erasure request from Jane Doe
 * <jane@example.com> received yesterday under GDPR in FR"), with the parser every chat line goes
 * through (`understand.ts`): dates relative to `now` in the reader's time zone and never in the
 * future, the law from the country or US state when not named.
 */
export function parseIntake(message: string, now: Date, timeZone: string): ParsedIntake {
  const f = readFields(message, now, timeZone);
  const request: Partial<NewRequest> = {
    received: f.received ?? todayIn(now, timeZone),
    ...(f.type ? { type: f.type } : {}),
    ...(f.regime ? { regime: f.regime } : {}),
    ...(f.email ? { requesterEmail: f.email } : {}),
    ...(f.phone ? { requesterPhone: f.phone } : {}),
    ...(f.address ? { requesterAddress: f.address } : {}),
    ...(f.name ? { requesterName: f.name } : {}),
    ...(f.country ? { country: f.country } : {}),
    ...(f.region ? { region: f.region } : {}),
  };
  const missing: string[] = [];
  if (!f.type) missing.push(`the request type (${REQUEST_TYPES.join(', ')})`);
  if (!f.regime) missing.push(`the law (${REGIMES.join(', ')})`);
  if (!f.email && !f.phone && !f.address)
    missing.push("the requester's email address, phone number or postal address");
  return { request, missing };
}

/**
 * An appeal draft linked to the request it names: that request is looked up (it must be there,
 * and its law must give an appeal to the controller), and the appeal takes its law and place.
 * Its requester is taken from it on "yes", by the register. Looking it up reads the register, so
 * it is for the privacy team. Anything else passes unchanged.
 */
export async function linkAppeal(ctx: EngineContext, fields: DraftFields, turn: Turn): Promise<DraftFields> {
  if (!fields.appealOf) return fields;
  ctx.requireTeam(turn.actor);
  const register = ctx.requireRegister();
  // Named by who appeals: the request of theirs that was refused, not one still open.
  const ref = fields.appealOf;
  const id =
    'name' in ref ? await resolveName(ctx, ref.name, turn, 'refused') : await resolve(ctx, ref, turn);
  const original = await register.get(id);
  const law = REGIME_LABELS[original.regime];
  // EU and UK GDPR, CCPA, LGPD...: the requester complains to the authority; no appeal to log.
  if (original.regime !== 'us-state')
    throw new AppError(
      'INVALID_INPUT',
      `${original.id} is under the ${law}, which has no appeal to the controller with its own clock (an appeal of a refusal is a US state law right), so nothing was logged. The requester can complain to the supervisory authority instead; to record what they said, reopen ${original.id} or note it there.`,
    );
  const { region: _region, placeHint: _hint, placeQuestion: _question, ...rest } = fields;
  const linked: DraftFields = {
    ...rest,
    appealOf: { id: original.id },
    regime: original.regime,
    country: original.country,
    ...(original.region ? { region: original.region } : {}),
  };
  // The register's own checks (a state without an appeal, an appeal of an appeal, a day before
  // the original): refused now, in its words, rather than after a "yes".
  if (!linked.receivedEither) {
    try {
      register.preview(toNewRequest(linked, ctx.today(turn)), turn.now);
    } catch (error) {
      const problem = toAppError(error);
      if (problem.code !== 'INVALID_INPUT') throw error;
      throw new AppError('INVALID_INPUT', `${problem.message} Nothing was logged.`);
    }
  }
  return linked;
}

/**
 * Shows a draft with every field and, once complete, the deadlines the register would store for
 * it; asks for the first thing missing. Nothing is written until the person says yes.
 */
export async function showDraft(
  ctx: EngineContext,
  fields: DraftFields,
  turn: Turn,
  id: string = randomUUID(),
  queued: DraftFields[] = [],
): Promise<Reply> {
  const register = ctx.requireRegister();
  const today = ctx.today(turn);
  // Stored before it is shown: a "yes" may reach another replica, or come after a restart.
  await ctx.drafts.put(turn.actor.id, {
    id,
    fields,
    at: turn.now.getTime(),
    ...(queued.length > 0 ? { queued } : {}),
  });
  const mayShow = maySeeRequesterData(turn.audience);
  const question = nextQuestion(fields);
  if (question) {
    const lines = summary(fields, register, turn.now, today, mayShow);
    // A Cancel button also keeps the draft between the person and the bot where a channel
    // shows replies with intake buttons to the asker only (Slack).
    const cancel: ActionButton = { action: 'intake.cancel', label: 'Cancel', value: 'cancel' };
    return reply(
      [
        text(`A new request so far:\n${lines.join('\n')}\n${question}`),
        { kind: 'actions', buttons: [cancel] },
      ],
      { personal: mayShow },
    );
  }
  let lines: string[];
  try {
    lines = summary(fields, register, turn.now, today, mayShow);
  } catch (error) {
    const problem = toAppError(error);
    if (problem.code !== 'INVALID_INPUT') throw error;
    return errorReply(
      `${problem.message} Correct it (e.g. "received yesterday") or say "no" to drop the request.`,
    );
  }
  return askToLog(fields, lines, today, mayShow);
}

/** A complete draft: "Log a … request from …?", every field, and Log it / Cancel. */
function askToLog(fields: DraftFields, lines: string[], today: string, mayShow: boolean): Reply {
  const who = !mayShow ? 'the requester' : draftRequester(fields);
  const type = fields.type!;
  const appealed = fields.appealOf && 'id' in fields.appealOf ? fields.appealOf.id : undefined;
  const buttons: ActionButton[] = [
    { action: 'intake.confirm', label: 'Log it', value: 'confirm', style: 'primary' },
    { action: 'intake.cancel', label: 'Cancel', value: 'cancel' },
  ];
  // The name is optional (the register logs a request without one) but asked for: a request
  // logged nameless is harder to match to the person later.
  const askName =
    fields.name || appealed
      ? ''
      : '\nNo name given: what is the requester\'s name? Type it (e.g. "name is Jane Doe"), or say "no name" to log it without one.';
  const what = appealed
    ? `Log an appeal of ${appealed}`
    : `Log ${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type} request from ${who}`;
  return reply(
    [
      text(
        `${what}, received ${fields.received ?? today}, under ${REGIME_LABELS[fields.regime!]}?\n${lines.join('\n')}${askName}\nSay "yes" to log it, "no" to drop it, or correct any field (e.g. "actually it came in on the 28th", "her name is Jane Doe").`,
      ),
      { kind: 'actions', buttons },
    ],
    { personal: mayShow },
  );
}

/**
 * "yes" (or Log it) to the actor's draft. `waiting` is the draft the turn already read; a button
 * press reads it here. The draft is logged under its own key, so a "yes" that also reached
 * another replica, or one repeated after a crash, finds the request instead of logging another.
 */
export async function confirmIntake(
  ctx: EngineContext,
  turn: Turn,
  waiting?: Draft,
  named?: string,
): Promise<Reply> {
  ctx.requireRegister();
  const draft = waiting ?? (await ctx.storedDraft(turn));
  if (draft?.loggedAs) return alreadyLogged(ctx, draft.loggedAs, turn);
  if (!draft)
    return errorReply(
      'There is nothing waiting to be logged (or it expired). Type the request again, or "help" to see what I can do.',
    );
  const mayShow = maySeeRequesterData(turn.audience);
  // "ok yes save klaus": a yes that names someone counts only for the draft that is theirs.
  const elsewhere = named ? await namedYes(ctx, turn, draft, named, mayShow) : undefined;
  if (elsewhere) return elsewhere;
  // With requests queued, the reply says which one the yes was for: the one waiting first.
  const appliedTo = draft.queued?.length
    ? `That yes was for the request waiting first (${queuedLine(draft.fields, mayShow)}), not one queued behind it.`
    : '';
  // "yes" to "is the requester in Poland, from the email address?": the place is taken, and the
  // complete draft is shown for its own yes.
  const hinted = acceptPlaceHint(draft.fields);
  if (hinted) return showDraft(ctx, hinted, turn, draft.id, draft.queued);
  const question = nextQuestion(draft.fields);
  if (question) return notYet(draft, question, appliedTo);
  const done = await logDraft(ctx, turn, draft);
  return offerNext(ctx, done, draft.queued, turn, appliedTo.replace(/^That yes was for/, 'That yes logged'));
}

/** A draft that cannot be logged says what is missing, and what waits behind it. */
function notYet(draft: Draft, question: string, appliedTo: string): Reply {
  const behind = draft.queued?.length
    ? `\n${draft.queued.length === 1 ? 'One request is' : `${draft.queued.length} requests are`} queued behind it: answer this, or say "no" to drop it and see the next.`
    : '';
  return reply([
    text(
      `Not yet: ${question}\nNothing was logged: the ${MISSING_LABELS[missingOf(draft.fields)[0]!]} is missing.${appliedTo ? `\n${appliedTo}` : ''}${behind}`,
    ),
  ]);
}

/** Logs the waiting draft under its own key, and keeps it a while as the request it became. */
async function logDraft(ctx: EngineContext, turn: Turn, draft: Draft): Promise<Reply> {
  const state = await ctx
    .requireRegister()
    .add(
      { ...toNewRequest(draft.fields, ctx.today(turn)), intakeKey: draft.id },
      { actor: turn.actor.name, now: turn.now },
    );
  const quietly = (error: unknown) => ctx.options.onError?.(toAppError(error), newReference());
  // The draft stays a little while as the request it became, its fields (personal data) dropped,
  // so that a second "yes" is told so. The request is stored already: a failure here only loses
  // that courtesy, and a repeated "yes" still finds the request by the draft's key.
  await ctx.drafts
    .put(turn.actor.id, { id: draft.id, fields: {}, at: turn.now.getTime(), loggedAs: state.id })
    .catch(quietly);
  ctx.shown(turn, state.id);
  // A channel draft corrected in chat (Edit): its buttons in the privacy channel now say it is logged.
  const desk = ctx.options.desk;
  if (desk?.owns(draft.id))
    await desk.loggedFromChat(draft.id, state.id, { actor: turn.actor.name, now: turn.now }).catch(quietly);
  return ctx.logged(state, turn, !draft.fields.name && !draft.fields.appealOf);
}

/**
 * A yes that names a requester: "ok log claire's" naming one complete draft queued behind the
 * waiting one logs that draft, and the waiting one still waits; one that names neither is refused.
 * Undefined when the waiting draft is theirs. Never another draft than the one named.
 */
async function namedYes(
  ctx: EngineContext,
  turn: Turn,
  draft: Draft,
  named: string,
  mayShow: boolean,
): Promise<Reply | undefined> {
  const fits = (f: DraftFields) => Boolean(f.name && nameQuoted(f.name, named));
  const queued = draft.queued ?? [];
  const matching = fits(draft.fields) ? [] : queued.map((f, i) => (fits(f) ? i : -1)).filter((i) => i >= 0);
  const only = matching.length === 1 ? queued[matching[0]!]! : undefined;
  if (only && !nextQuestion(only) && !acceptPlaceHint(only))
    return logQueued(ctx, turn, draft, matching[0]!, mayShow);
  return namedElsewhere(draft, named, mayShow);
}

/**
 * Logs the complete draft queued at `index` behind the waiting one, named by its requester; the
 * waiting draft and the rest of the queue stay as they were. Its register key is derived from the
 * waiting draft's and its place in the queue, so a repeated yes finds it instead of logging twice.
 */
async function logQueued(
  ctx: EngineContext,
  turn: Turn,
  draft: Draft,
  index: number,
  mayShow: boolean,
): Promise<Reply> {
  const fields = draft.queued![index]!;
  const state = await ctx.requireRegister().add(
    {
      ...toNewRequest(fields, ctx.today(turn)),
      intakeKey: `${draft.id}:queued:${index}:${fields.email ?? fields.name ?? ''}`.slice(0, 100),
    },
    { actor: turn.actor.name, now: turn.now },
  );
  const rest = (draft.queued ?? []).filter((_, i) => i !== index);
  await ctx.drafts.put(turn.actor.id, {
    id: draft.id,
    fields: draft.fields,
    at: turn.now.getTime(),
    ...(rest.length > 0 ? { queued: rest } : {}),
  });
  ctx.shown(turn, state.id);
  return withNote(
    ctx.logged(state, turn, false),
    `The request waiting first (${queuedLine(draft.fields, mayShow)}) still waits: say "yes" to log it, "no" to drop it, or correct it.`,
  );
}

/**
 * A yes that names a requester whose draft is not the one waiting: nothing is logged, and the
 * reply says whose draft waits (or that the one named is queued behind it). Undefined when the
 * waiting draft is theirs.
 */
function namedElsewhere(draft: Draft, named: string, mayShow: boolean): Reply | undefined {
  const fits = (f: DraftFields) => Boolean(f.name && nameQuoted(f.name, named));
  if (fits(draft.fields)) return undefined;
  const waiting = queuedLine(draft.fields, mayShow);
  const who = mayShow ? `"${named}"` : 'the name you gave';
  if ((draft.queued ?? []).some(fits))
    return reply([
      text(
        `Nothing was logged: ${who} is on a request queued behind the one waiting first (${waiting}), which is answered first. Log the waiting one ("yes"), drop it ("no") to see the next, or say "replace it with the new one"?`,
      ),
    ]);
  return reply([
    text(
      `Nothing was logged: the request waiting is the ${waiting}${draft.fields.name ? '' : ', with no name yet'}, not ${who}. Log it ("yes"), drop it ("no"), or correct it (e.g. "name is Jane Doe")?`,
    ),
  ]);
}

/**
 * After a draft is logged or dropped, the next request queued behind it becomes the draft and is
 * shown for its own yes; `done` says what became of the one before.
 */
async function offerNext(
  ctx: EngineContext,
  done: Reply,
  queued: DraftFields[] | undefined,
  turn: Turn,
  appliedTo = '',
): Promise<Reply> {
  const [next, ...rest] = queued ?? [];
  if (!next) return done;
  const shown = await showDraft(ctx, next, turn, randomUUID(), rest);
  const lead = `${appliedTo ? `${appliedTo} ` : ''}Next, the request you sent while that one waited:`;
  return {
    ...shown,
    blocks: [...done.blocks.filter((b) => b.kind !== 'actions'), text(lead), ...shown.blocks],
    text: `${done.text}\n${lead}\n${shown.text}`,
    personal: done.personal || shown.personal,
    ...(done.notice ? { notice: done.notice } : {}),
  };
}

/** "no" (or Cancel) to the waiting draft: dropped; a request queued behind it comes next. */
export async function cancelIntake(ctx: EngineContext, turn: Turn, waiting?: Draft): Promise<Reply> {
  const draft = waiting ?? (await ctx.storedDraft(turn));
  await ctx.drafts.delete(turn.actor.id);
  const done = reply([text('Cancelled; nothing was logged.')]);
  // With requests queued, the reply says which one was dropped: the one waiting first.
  const dropped =
    draft && !draft.loggedAs && draft.queued?.length
      ? `That no dropped the request waiting first (${queuedLine(draft.fields, maySeeRequesterData(turn.audience))}).`
      : '';
  return draft?.loggedAs ? done : offerNext(ctx, done, draft?.queued, turn, dropped);
}

/** A "yes" to a draft that was logged already (another replica, a retry): said, not logged again. */
export async function alreadyLogged(ctx: EngineContext, id: string, turn: Turn): Promise<Reply> {
  const state = await ctx.requireRegister().get(id);
  ctx.shown(turn, state.id);
  return reply([
    text(`That request was logged already, as ${state.id}; it was not logged again.`),
    { kind: 'request', request: ctx.view(state, turn, undefined) },
  ]);
}
