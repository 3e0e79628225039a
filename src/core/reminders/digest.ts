import type { RequestState, Status } from '../requests/model.js';
import { dayNumber } from './time.js';

/**
 * The daily digest for the privacy channel: what is due this week, what is overdue, what has no
 * owner. Pure: the register's requests and the team's "today" in, a summary out. Request ids,
 * deadline kinds, dates and owners only; never anything about the requester.
 */

export interface DigestItem {
  requestId: string;
  deadline: string;
  due: string;
  daysLeft: number;
  owner: string | null;
  binding: boolean;
}

export interface Digest {
  /** The team's today (YYYY-MM-DD) the digest is for. */
  date: string;
  /** The last day counted as "this week". */
  until: string;
  /** Clocks due from today to `until`, by due date (at most {@link MAX_LISTED}). */
  items: DigestItem[];
  /** Response deadlines already passed (at most {@link MAX_LISTED}). */
  overdue: DigestItem[];
  /** Requests nobody owns (at most {@link MAX_LISTED}). */
  unassigned: string[];
  totals: { items: number; overdue: number; unassigned: number };
  /**
   * The audit trail's head when the digest was made: posted daily where the privacy team can see
   * it, so `requests verify --head HASH` can later prove no event was cut off the end of the log.
   */
  head?: { seq: number; hash: string };
}

/** A Slack message holds 50 blocks and people read a screenful: the rest is counted, not listed. */
export const MAX_LISTED = 40;

const RUNNING: ReadonlySet<Status> = new Set<Status>(['received', 'identity-verified', 'in-progress']);

export function digestKey(date: string): string {
  return `digest|${date}`;
}

/** The digest for `today` over the next `days` days (today included). */
export function buildDigest(
  requests: Iterable<RequestState>,
  today: string,
  days = 7,
  head?: { seq: number; hash: string },
): Digest {
  const start = dayNumber(today);
  const items: DigestItem[] = [];
  const overdue: DigestItem[] = [];
  const unassigned: string[] = [];
  for (const r of requests) {
    if (!RUNNING.has(r.status)) continue;
    if (r.owner === null) unassigned.push(r.id);
    for (const d of r.deadlines.deadlines) {
      const left = dayNumber(d.due) - start;
      const item = {
        requestId: r.id,
        deadline: d.kind,
        due: d.due,
        daysLeft: left,
        owner: r.owner,
        binding: d.binding,
      };
      if (left >= 0 && left < days) items.push(item);
      else if (left < 0 && d.kind === 'response') overdue.push(item);
    }
  }
  const byDue = (a: DigestItem, b: DigestItem) =>
    a.due < b.due
      ? -1
      : a.due > b.due
        ? 1
        : a.requestId < b.requestId
          ? -1
          : a.requestId > b.requestId
            ? 1
            : 0;
  items.sort(byDue);
  overdue.sort(byDue);
  unassigned.sort();
  return {
    date: today,
    until: new Date((start + days - 1) * 86_400_000).toISOString().slice(0, 10),
    items: items.slice(0, MAX_LISTED),
    overdue: overdue.slice(0, MAX_LISTED),
    unassigned: unassigned.slice(0, MAX_LISTED),
    totals: { items: items.length, overdue: overdue.length, unassigned: unassigned.length },
    ...(head ? { head: { seq: head.seq, hash: head.hash } } : {}),
  };
}
