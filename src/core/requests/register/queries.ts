import { AppError } from '../../errors.js';
import { addDays, todayIn } from '../input.js';
import { type AuditEvent, auditEventSchema, isOpen, type RequestState, STATUSES } from '../model.js';
import { MAX_BATCH, type RegisterLog } from './log.js';
import type { ListFilter, RequestDetail, StatusFilter } from './types.js';
import { readPersonal, requesterOf } from './vault.js';

/** Reading the register: one request with its trail, filtered lists, everything for export. */

/** One request, fresh from the log. */
export async function get(log: RegisterLog, id: string): Promise<RequestState> {
  await log.refresh();
  return log.find(id);
}

/** A request with its requester and its audit trail, free text resolved. */
export async function show(log: RegisterLog, id: string): Promise<RequestDetail> {
  await log.refresh();
  const request = log.find(id);
  const trail = await trailOf(log, request);
  const refs = [request.requesterRef, ...trail.flatMap((e) => (e.textRef ? [e.textRef] : []))];
  const personal = await readPersonal(log, [...new Set(refs)]);
  const requester = personal.get(request.requesterRef);
  return {
    request,
    requester: requesterOf(requester),
    trail: trail.map((e) => {
      const data = e.textRef ? personal.get(e.textRef) : undefined;
      return { ...e, text: data?.kind === 'text' ? data.text : null };
    }),
  };
}

export async function trailOf(log: RegisterLog, request: RequestState): Promise<AuditEvent[]> {
  const raws = await log.store.readLogAt(request.events);
  return raws.map((raw, i) => {
    const parsed = auditEventSchema.safeParse(raw);
    if (!parsed.success) {
      throw new AppError(
        'STORE',
        `Event ${request.events[i]} of ${request.id} is missing or damaged; run \`privacy-ops requests verify\`.`,
      );
    }
    return parsed.data;
  });
}

/** Requests matching the filter: by due date (running clocks first), then id. */
export async function list(log: RegisterLog, filter: ListFilter, now: Date): Promise<RequestState[]> {
  await log.refresh();
  const today = todayIn(now, log.options.timeZone);
  const statuses = new Set<StatusFilter>(
    filter.status && filter.status.length > 0 ? filter.status : ['open'],
  );
  const all = statuses.has('all');
  const horizon = filter.dueWithinDays === undefined ? undefined : addDays(today, filter.dueWithinDays);
  const owner = filter.owner?.trim().toLowerCase();
  // A filter that only open requests can match (every one but `closed`, `all` and the closed
  // statuses, or any with a due horizon) walks the open index, which is in list order already.
  const openOnly = horizon !== undefined || (!all && [...statuses].every((s) => !CLOSED_FILTERS.has(s)));
  // The default list, every open request, is the index itself.
  if (openOnly && owner === undefined && horizon === undefined && statuses.size === 1 && statuses.has('open'))
    return [...log.openIndex.ordered()];
  if (openOnly) {
    const found: RequestState[] = [];
    for (const r of log.openIndex.ordered()) {
      // Sorted by due date: nothing after the first one past the horizon can match.
      if (horizon !== undefined && r.deadlines.due > horizon) break;
      if (horizon !== undefined && r.status === 'paused') continue;
      if (owner !== undefined && r.owner?.toLowerCase() !== owner) continue;
      if (!all && !statusMatches(r, statuses, today)) continue;
      found.push(r);
    }
    return found;
  }
  // Sort on one precomputed string per match (due date, then id): 100,000 comparisons of
  // plain strings instead of property lookups in the comparator.
  const keyed: Array<{ key: string; request: RequestState }> = [];
  for (const r of log.requests.values()) {
    if (owner !== undefined && r.owner?.toLowerCase() !== owner) continue;
    if (!all && !statusMatches(r, statuses, today)) continue;
    keyed.push({ key: `${isOpen(r.status) ? r.deadlines.due : '9999-99-99'}${r.id}`, request: r });
  }
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed.map((k) => k.request);
}

/** Filters a closed request can match. */
const CLOSED_FILTERS: ReadonlySet<StatusFilter> = new Set<StatusFilter>([
  'closed',
  'all',
  ...STATUSES.filter((s) => !isOpen(s)),
]);

function statusMatches(r: RequestState, statuses: Set<StatusFilter>, today: string): boolean {
  if (statuses.has(r.status)) return true;
  const open = isOpen(r.status);
  if (open && statuses.has('open')) return true;
  if (!open && statuses.has('closed')) return true;
  if (statuses.has('extended') && r.extensions > 0 && open) return true;
  return statuses.has('overdue') && open && r.status !== 'paused' && r.deadlines.due < today;
}

/** Every request with its full trail, in id order, for export. */
export async function exportAll(
  log: RegisterLog,
): Promise<{ requests: RequestState[]; events: AuditEvent[] }> {
  await log.refresh();
  const events: AuditEvent[] = [];
  for (let from = 1; from <= log.head; from += MAX_BATCH) {
    const raws = await log.store.readLog(from, Math.min(MAX_BATCH, log.head - from + 1));
    for (const raw of raws) {
      const parsed = auditEventSchema.safeParse(raw);
      if (parsed.success) events.push(parsed.data);
    }
  }
  const requests = [...log.requests.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { requests, events };
}
