import { AppError, toAppError } from '../errors.js';
import { addDays } from '../requests/calendar.js';
import { isOpen, type RequestState } from '../requests/model.js';
import { type EngineContext, type Pressed, placeOf } from './context.js';
import type { RequestMatch, RequestRef, Verb } from './understand.js';

/**
 * Which request a person meant: a full id, a number ("0003", "#3"), "it", a requester's name or a
 * description ("the texas one"). One that fits is acted on; several are asked about, by id and
 * what they are, never by who made them; none is said, with how to list them.
 */

/** The most open request ids offered to choose from when a requester's name matches none. */
const NAME_CHOICES = 10;

/** Where a name or description is looked up: open requests, closed ones, or those refused. */
type Among = 'open' | 'refused' | 'closed';

/**
 * The id a person meant. `verb` says among which requests a name or a description is looked up:
 * closed ones to reopen, open ones otherwise (a "show" falls back to closed ones).
 */
export async function resolve(
  ctx: EngineContext,
  ref: RequestRef,
  turn: Pressed,
  verb?: Verb,
): Promise<string> {
  if ('id' in ref) return ref.id.toUpperCase();
  if ('name' in ref) return resolveName(ctx, ref.name, turn, verb === 'reopen' ? 'closed' : 'open', verb);
  if ('match' in ref) return resolveMatch(ctx, ref.match, turn, verb);
  if ('it' in ref) {
    const last = ctx.lastShown.get(turn.actor.id);
    if (!last)
      throw new AppError('INVALID_INPUT', 'Which request do you mean? Give its number, e.g. "extend 0001".');
    return last;
  }
  return resolveNumber(ctx, ref.number, turn);
}

/** "0003", "#3": this year's request with that number, else the latest earlier one with it. */
async function resolveNumber(ctx: EngineContext, number: number, turn: Pressed): Promise<string> {
  const register = ctx.requireRegister();
  const year = Number(ctx.today(turn).slice(0, 4));
  const id = (y: number) => `DSR-${y}-${String(number).padStart(4, '0')}`;
  // Numbers restart every year: this year's request, else the latest earlier one with it.
  for (let y = year; y >= year - 5; y--) {
    try {
      return (await register.get(id(y))).id;
    } catch (error) {
      if (toAppError(error).code !== 'NOT_FOUND') throw error;
    }
  }
  return id(year);
}

/** The requests a name or description is looked up among. */
export async function pool(ctx: EngineContext, among: Among, now: Date): Promise<RequestState[]> {
  const register = ctx.requireRegister();
  if (among === 'open') return register.list({ status: ['open'] }, now);
  const closed = await register.list({ status: ['closed'] }, now);
  return among === 'closed' ? closed : closed.filter((s) => s.outcome === 'rejected');
}

/**
 * The request whose requester has this name, read from the register's personal records: the
 * whole name, or its first or last name ("kevin's request", "tom withdrew"), accents aside; a
 * whole name that fits wins over a part. The name is personal data: it is never logged, nor said
 * back (only ids are). Several that fit are asked about, with their ids.
 */
export async function resolveName(
  ctx: EngineContext,
  name: string,
  turn: Pressed,
  among: Among = 'open',
  verb?: Verb,
): Promise<string> {
  ctx.requireTeam(turn.actor);
  const register = ctx.requireRegister();
  const want = nameWords(name);
  let open = await pool(ctx, among, turn.now);
  const fitting = async (requests: RequestState[]) => {
    const people = await register.requesters(requests);
    const names = new Map(requests.map((s) => [s.id, nameWords(people.get(s.id)?.name ?? '')]));
    const whole = requests.filter((s) => names.get(s.id)!.join(' ') === want.join(' '));
    return whole.length > 0 ? whole : requests.filter((s) => containsRun(names.get(s.id)!, want));
  };
  let found = await fitting(open);
  // "show" a request that is closed already: looked up among the closed ones too.
  if (found.length === 0 && verb === 'show' && among === 'open') {
    open = await pool(ctx, 'closed', turn.now);
    found = await fitting(open);
  }
  if (found.length === 1) return found[0]!.id;
  if (found.length === 0) throw noneNamed(open, among);
  throw new AppError(
    'INVALID_INPUT',
    `More than one ${among === 'refused' ? 'refused' : among} request has a requester of that name: ${choices(ctx, found, turn)}. Which one? For example: "show ${found[0]!.id}".`,
  );
}

/** No request for that name: nothing is done (never the request shown last instead); asked which. */
function noneNamed(open: RequestState[], among: Among): AppError {
  const some = open.slice(0, NAME_CHOICES).map((s) => s.id);
  // Which ones there are to choose from: the open ones, or those refused.
  const more = open.length > some.length ? ', …' : '';
  return new AppError(
    'INVALID_INPUT',
    `No request ${among === 'open' ? 'is open' : 'was refused'} for a requester of that name, so nothing was changed.${some.length ? ` Which one did you mean? ${among === 'open' ? 'Open' : 'Refused'}: ${some.join(', ')}${more}.` : ''} Type "requests all" (or "list") to see them all.`,
  );
}

/**
 * The request a description fits ("the uk one", "the german deletion request", "the overdue
 * one"): one is acted on; several are asked about, each listed; none is said, with how to list.
 */
async function resolveMatch(
  ctx: EngineContext,
  match: RequestMatch,
  turn: Pressed,
  verb?: Verb,
): Promise<string> {
  ctx.requireTeam(turn.actor);
  const today = ctx.today(turn);
  const among = verb === 'reopen' ? 'closed' : 'open';
  let found = (await pool(ctx, among, turn.now)).filter((s) => fits(s, match, today));
  if (found.length === 0 && verb === 'show')
    found = (await pool(ctx, 'closed', turn.now)).filter((s) => fits(s, match, today));
  if (found.length === 1) return found[0]!.id;
  const what = `"${match.said.slice(0, 60)}"`;
  if (found.length === 0)
    throw new AppError(
      'INVALID_INPUT',
      `No request that is ${among} fits ${what}, so nothing was changed. Type "requests all" (or "list") to see them all, then name one by its number.`,
    );
  throw new AppError(
    'INVALID_INPUT',
    `${found.length} ${among} requests fit ${what}: ${choices(ctx, found, turn)}. Which one? Name it by its number, e.g. "${verb ?? 'show'} ${found[0]!.id}".`,
  );
}

/** Requests to choose from, by what they are (never their requester): id, type, law, place, due. */
function choices(ctx: EngineContext, found: RequestState[], turn: Pressed): string {
  const shown = found.slice(0, NAME_CHOICES).map((s) => {
    const v = ctx.view(s, turn, undefined);
    const where = placeOf(s);
    return `${s.id} (${s.type}, ${v.regimeLabel}${where ? `, ${where}` : ''}, due ${v.due}, owner ${s.owner ?? 'unassigned'})`;
  });
  return `${shown.join('; ')}${found.length > NAME_CHOICES ? '; …' : ''}`;
}

/** A name as words to compare: lower case, accents and punctuation aside ("Müller" = "muller"). */
function nameWords(name: string): string[] {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}'’-]+/u)
    .filter(Boolean);
}

/** Whether `words` holds `part` as consecutive words ("maria" in "maria lopez"). */
function containsRun(words: string[], part: string[]): boolean {
  if (part.length === 0) return false;
  for (let i = 0; i + part.length <= words.length; i++)
    if (part.every((w, j) => words[i + j] === w)) return true;
  return false;
}

/** Whether a request is what a description says: each thing said must fit. */
function fits(s: RequestState, m: RequestMatch, today: string): boolean {
  if (m.receivedDaysAgo !== undefined && s.received !== addDays(today, -m.receivedDaysAgo)) return false;
  if (m.regime && s.regime !== m.regime) return false;
  if (m.type && s.type !== m.type) return false;
  if (m.country && s.country !== m.country) return false;
  // A region said (a US state, a UK nation) must be the request's, where it records one.
  if (m.region && (s.region ? s.region !== m.region : s.country === 'US')) return false;
  switch (m.status) {
    case 'overdue':
      return isOpen(s.status) && s.status !== 'paused' && s.deadlines.due < today;
    case 'unassigned':
      return !s.owner;
    case 'on-hold':
      return s.status === 'paused' || Boolean(s.waitingSince);
    case 'in-progress':
      return s.status === 'in-progress';
    case 'extended':
      return s.extensions > 0;
    default:
      return true;
  }
}
