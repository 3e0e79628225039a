import { AppError } from '../errors.js';
import { REGIME_LABELS } from '../requests/deadlines.js';
import type { RequestState } from '../requests/model.js';
import { about, described, type EngineContext, placeOf, reply, text } from './context.js';
import { stripStop } from './plain-text.js';
import { type ActionButton, maySeeRequesterData, type Reply, type Turn } from './reply.js';
import { pool, resolve } from './resolve.js';
import type { Understanding, Verb } from './understand.js';

/**
 * The commands that change or show one logged request (the privacy team's): show, assign, start,
 * extend, pause, resume, verify, reopen, close, note; a received date or requester put right. Each
 * goes through the register's audited change, and its reply says which request it changed.
 */

export type RequestCommand = Extract<Understanding, { kind: 'request' }>;

/** A command on one request, once the request it names is known. */
export type RequestHandler = (
  ctx: EngineContext,
  id: string,
  meant: RequestCommand,
  turn: Turn,
) => Promise<Reply>;

/** Who did it and when, for the register's audit trail. */
function by(turn: Turn): { actor: string; now: Date } {
  return { actor: turn.actor.name, now: turn.now };
}

/** A request command for the privacy team: the request it names is found, then `handler` runs. */
export function onRequest(handler: RequestHandler) {
  return async (ctx: EngineContext, meant: RequestCommand, turn: Turn): Promise<Reply> => {
    ctx.requireTeam(turn.actor);
    ctx.requireRegister();
    const id = await resolve(ctx, meant.ref, turn, meant.verb);
    return handler(ctx, id, meant, turn);
  };
}

/** The request shown with its audit trail and buttons; notes and reasons only where the requester may be seen. */
export const showRequest: RequestHandler = async (ctx, id, _meant, turn) => {
  const detail = await ctx.requireRegister().show(id);
  ctx.shown(turn, detail.request.id);
  const view = ctx.view(detail.request, turn, detail.requester);
  const mayShow = maySeeRequesterData(turn.audience);
  const trail = detail.trail.map((e) => ({
    at: e.at,
    actor: e.actor,
    // A handover names the new owner (a staff id, not the requester's data): "assigned to bob".
    action: e.action === 'assigned' && e.after.owner ? `assigned to ${e.after.owner}` : e.action,
    text: mayShow ? e.text : null,
  }));
  return reply([
    { kind: 'request', request: view, trail },
    { kind: 'actions', buttons: requestButtons(detail.request) },
  ]);
};

/** "assign 0001 @alice", "I'll take it", and "put anna on the last two". */
export async function assignCommand(ctx: EngineContext, meant: RequestCommand, turn: Turn): Promise<Reply> {
  if ('match' in meant.ref && meant.ref.match.lastLogged) {
    ctx.requireTeam(turn.actor);
    ctx.requireRegister();
    return assignLast(ctx, meant.ref.match.lastLogged, meant.owner, turn);
  }
  return onRequest(async (_ctx, id) => {
    const owner = meant.owner === 'me' ? turn.actor.name : meant.owner;
    if (!owner) throw new AppError('INVALID_INPUT', `Who should own it? e.g. "assign ${id} @alice".`);
    return changed(ctx, await ctx.requireRegister().assign(id, owner, by(turn)), 'assign', turn);
  })(ctx, meant, turn);
}

/**
 * "put anna on the last two": the open requests logged last, each handed over through the
 * register (one audit entry each), and each said back by id and kind.
 */
async function assignLast(
  ctx: EngineContext,
  count: number,
  said: string | undefined,
  turn: Turn,
): Promise<Reply> {
  const register = ctx.requireRegister();
  const owner = said === 'me' ? turn.actor.name : said;
  if (!owner)
    throw new AppError('INVALID_INPUT', 'Who should own them? e.g. "assign the last two to @alice".');
  const open = (await pool(ctx, 'open', turn.now)).sort((a, b) => b.id.localeCompare(a.id));
  if (open.length < count)
    throw new AppError(
      'INVALID_INPUT',
      `Only ${open.length} open request${open.length === 1 ? ' is' : 's are'} in the register, so nothing was changed. Type "requests all" to see them.`,
    );
  const lines: string[] = [];
  for (const s of open.slice(0, count).reverse()) {
    const state = await register.assign(s.id, owner, by(turn));
    const where = placeOf(state);
    lines.push(`${state.id} (${state.type}${where ? `, ${where}` : ''}): now owned by ${owner}`);
  }
  return reply([text(`Handed over the ${count} requests logged last:\n${lines.join('\n')}`)]);
}

/** "extend 0001 [reason]": the new due day and its rule; the reason said only where it may be. */
export const extendRequest: RequestHandler = async (ctx, id, meant, turn) => {
  const note = meant.note;
  const state = await ctx.requireRegister().extend(id, by(turn), note);
  ctx.shown(turn, state.id);
  const view = ctx.view(state, turn, undefined);
  // A note or reason is requester data: said back only where the requester may be seen.
  const why = !note
    ? ''
    : maySeeRequesterData(turn.audience)
      ? ` Reason: "${note}" (in the audit trail).`
      : ' The reason is in the audit trail.';
  return reply([
    text(
      `${state.id}: extend done, now due ${view.due} (${stripStop(view.dueRule)}); it is ${about(state)}.${why}`,
    ),
    { kind: 'request', request: view },
    { kind: 'actions', buttons: requestButtons(state) },
  ]);
};

/** "note 0001: ID checked": a line in the audit trail, nothing else changed. */
export const noteRequest: RequestHandler = async (ctx, id, meant, turn) => {
  const note = meant.note;
  if (!note)
    throw new AppError(
      'INVALID_INPUT',
      `What should the note on ${id} say? e.g. "note on ${id}: ID checked".`,
    );
  const state = await ctx.requireRegister().note(id, by(turn), note);
  ctx.shown(turn, state.id);
  const said = maySeeRequesterData(turn.audience) ? `: "${note}"` : '';
  return reply([
    text(
      `${state.id}: note added to the audit trail${said}. Nothing else changed on ${about(state)} (status ${state.status}).`,
    ),
  ]);
};

/**
 * "pause 0001": where the law does not stop the clock (EU GDPR art. 12(3) counts from receipt;
 * only UK GDPR art. 12A lets the clock wait for a clarification), the register records the wait.
 */
export const pauseRequest: RequestHandler = async (ctx, id, meant, turn) => {
  const held = await ctx.requireRegister().hold(id, by(turn), meant.note);
  if (!held.clockStopped) return waited(ctx, held.state, turn, true);
  return changed(ctx, held.state, 'pause', turn);
};

export const resumeRequest: RequestHandler = async (ctx, id, meant, turn) => {
  const released = await ctx.requireRegister().release(id, by(turn), meant.note);
  if (!released.clockStopped) return waited(ctx, released.state, turn, false);
  return changed(ctx, released.state, 'resume', turn);
};

/** start, verify, reopen and close: one step of the request's lifecycle, through the register. */
export const lifecycleStep: RequestHandler = async (ctx, id, meant, turn) => {
  const register = ctx.requireRegister();
  const note = meant.note;
  let state: RequestState;
  if (meant.verb === 'start') state = await register.start(id, by(turn), note);
  else if (meant.verb === 'verify') state = await register.verifyIdentity(id, by(turn), note);
  else if (meant.verb === 'reopen') state = await register.reopen(id, by(turn), note);
  else {
    if (!meant.outcome)
      throw new AppError('INVALID_INPUT', `Close ${id} as completed, rejected or withdrawn?`);
    state = await register.closeRequest(id, meant.outcome, by(turn), note);
  }
  return changed(ctx, state, meant.verb, turn);
};

/** What a change did, in words, said after the request it was made to. */
const DONE: Record<Verb, (s: RequestState) => string> = {
  show: () => 'shown',
  start: () => 'in progress',
  assign: (s) => `owned by ${s.owner ?? 'nobody'}`,
  extend: (s) => `extended, due ${s.deadlines.due}`,
  pause: () => 'on hold, its clock stopped',
  resume: () => 'running again',
  verify: () => 'verified',
  reopen: () => 'reopened',
  close: (s) => `closed as ${s.outcome ?? s.status}`,
  note: () => 'note added',
};

/** The reply to a change: what it did to which request, the request, and its buttons. */
function changed(ctx: EngineContext, state: RequestState, verb: Verb, turn: Turn): Reply {
  ctx.shown(turn, state.id);
  const view = ctx.view(state, turn, undefined);
  return reply([
    text(`${state.id}: ${verb} done: ${about(state)} is now ${DONE[verb](state)}.`),
    { kind: 'request', request: view },
    { kind: 'actions', buttons: requestButtons(state) },
  ]);
}

/**
 * The reply to a wait on the requester recorded (or ended) under a law without a stop-the-clock
 * rule: says plainly that the legal deadline keeps running, with the rule that sets it.
 */
function waited(ctx: EngineContext, state: RequestState, turn: Turn, started: boolean): Reply {
  ctx.shown(turn, state.id);
  const view = ctx.view(state, turn, undefined);
  const law = REGIME_LABELS[state.regime];
  const said = started
    ? `${described(state)}: recorded as on hold, waiting on the requester (in the audit trail). The legal deadline keeps running: the ${law} has no stop-the-clock rule (${view.dueSource}), so it is still due ${view.due}. When they reply, say "resume ${state.id}" or "ID came in for ${state.id}".`
    : `${described(state)}: no longer waiting on the requester (in the audit trail). The deadline never stopped: it is still due ${view.due}.`;
  return reply([
    text(said),
    { kind: 'request', request: view },
    { kind: 'actions', buttons: requestButtons(state) },
  ]);
}

/**
 * Puts right the day a logged request arrived, through the register's audited change; the reply
 * says the old and new day and the deadline recomputed from it.
 */
export async function redate(
  ctx: EngineContext,
  meant: Extract<Understanding, { kind: 'redate' }>,
  turn: Turn,
): Promise<Reply> {
  ctx.requireTeam(turn.actor);
  const register = ctx.requireRegister();
  const id = await resolve(ctx, meant.ref, turn);
  const was = await register.get(id);
  const state = await register.changeReceived(id, meant.received, by(turn));
  ctx.shown(turn, state.id);
  const view = ctx.view(state, turn, undefined);
  return reply([
    text(
      `${described(state)}: received date changed from ${was.received} to ${state.received}; now due ${view.due} (was ${was.deadlines.due}): ${stripStop(view.dueRule)}. The audit trail records the change.`,
    ),
    { kind: 'request', request: view },
    { kind: 'actions', buttons: requestButtons(state) },
  ]);
}

/** Puts right the name or email of a logged request, through the register's audited change. */
export async function editRequester(
  ctx: EngineContext,
  meant: Extract<Understanding, { kind: 'edit' }>,
  turn: Turn,
): Promise<Reply> {
  ctx.requireTeam(turn.actor);
  const id = await resolve(ctx, meant.ref, turn);
  const state = await ctx.requireRegister().changeRequester(id, meant.fields, by(turn));
  ctx.shown(turn, state.id);
  const { name, email, phone, address } = meant.fields;
  const what = [
    name ? 'name' : '',
    email ? 'email' : '',
    phone ? 'phone number' : '',
    address ? 'postal address' : '',
  ]
    .filter(Boolean)
    .join(' and ');
  // The new value is requester data: repeated only where the requester may be seen.
  const shown = maySeeRequesterData(turn.audience) ? ` to ${email ?? phone ?? address ?? name}` : '';
  return reply(
    [text(`${state.id}: the requester's ${what} changed${shown}; the audit trail records the change.`)],
    { personal: shown !== '' },
  );
}

/** The buttons under an open request: what can be done to it next. */
export function requestButtons(state: RequestState): ActionButton[] {
  const open = ['received', 'identity-verified', 'in-progress', 'paused'].includes(state.status);
  if (!open) return [];
  const out: ActionButton[] = [];
  if (state.status !== 'in-progress' && state.status !== 'paused')
    out.push({ action: 'request.start', label: 'Start work', value: state.id });
  if (state.status === 'paused' || state.waitingSince)
    out.push({ action: 'request.resume', label: 'Resume', value: state.id });
  out.push({ action: 'request.assign-me', label: 'Assign to me', value: state.id });
  if (state.extensions < state.deadlines.maxExtensions)
    out.push({ action: 'request.extend', label: 'Extend', value: state.id });
  out.push({ action: 'request.close', label: 'Mark done', value: state.id, style: 'primary' });
  return out;
}
