/**
 * When an outbox entry may be attempted (after its last attempt's retry time or lease, within its
 * recipient's hours), how long a failed attempt waits without a Retry-After, and the lease that keeps
 * a claim alive while its attempt runs.
 */
import { toAppError } from '../errors.js';
import type { SchedulerLogger } from './scheduler-options.js';
import type { Attempt, OutboxEntry, ReminderStore } from './store.js';
import { dueDayOpen, isWorkingTime, localTime, type WorkHours } from './time.js';

/**
 * How long a claim is presumed alive without a renewal: long against one delivery (Slack calls
 * time out after 10 s, two per direct message), short enough that a dead replica's message is
 * taken over within minutes.
 */
export const DEFAULT_LEASE_MS = 120_000;
/** A lease is renewed this many times per its length while its attempt runs. */
const RENEWALS_PER_LEASE = 3;
/** Retry backoff without a Retry-After: 15 s doubled per attempt, at most 15 minutes. */
const DEFAULT_BACKOFF_MS = { base: 15_000, max: 15 * 60_000 };

/** The wait after failed attempt `attempt` when the platform gave no Retry-After (ms). */
export function backoff(
  attempt: number,
  backoffMs: { base: number; max: number } = DEFAULT_BACKOFF_MS,
): number {
  const { base, max } = backoffMs;
  return Math.min(max, base * 2 ** Math.max(0, attempt - 1));
}

/** Undefined when the attempt after `last` may be claimed now, else the instant it may be. */
export function gate(last: Attempt | undefined, now: number): number | undefined {
  if (!last) return undefined;
  // A failed attempt waits for its retry time; an unfinished one is presumed in flight until its
  // lease ends, after which its claimer is presumed dead and anyone may take it over.
  const until = Date.parse(last.failed ? last.failed.nextAt : last.leaseUntil);
  return now >= until ? undefined : until;
}

/**
 * True while the entry's recipient may have it: their working hours, or the due day's window
 * (counted on the team's zone, `teamZone`).
 */
export function inWindow(entry: OutboxEntry, now: number, hours: WorkHours, teamZone: string): boolean {
  const at = new Date(now);
  const local = localTime(at, entry.timeZone);
  return entry.dueDay ? dueDayOpen(local, localTime(at, teamZone), hours) : isWorkingTime(local, hours);
}

/** What a lease is renewed with: the store, its length, the live clock (ms) and where to warn. */
export interface LeaseTerms {
  store: ReminderStore;
  leaseMs: number;
  clock: () => number;
  logger?: SchedulerLogger;
}

/**
 * Keeps a claim alive while its attempt runs: the lease is renewed every
 * {@link RENEWALS_PER_LEASE}th of its length. `release` stops the renewals and waits for one in
 * flight, so the attempt's outcome is always written after the last renewal.
 */
export function holdLease(
  seq: number,
  n: number,
  claim: Attempt,
  terms: LeaseTerms,
): { release(): Promise<void>; until(): string } {
  let leaseUntil = claim.leaseUntil;
  let renewing: Promise<void> = Promise.resolve();
  let released = false;
  const timer = setInterval(() => {
    renewing = renewing.then(async () => {
      if (released) return;
      const until = new Date(terms.clock() + terms.leaseMs).toISOString();
      try {
        await terms.store.renew(seq, n, { ...claim, leaseUntil: until });
        leaseUntil = until;
      } catch (error) {
        // The lease still runs to its last renewal; a store that stays down loses the claim,
        // which is the stall docs/reminders.md describes (one duplicate at most).
        const e = toAppError(error);
        terms.logger?.warn({ code: e.code, entry: seq }, 'could not renew a delivery claim');
      }
    });
  }, terms.leaseMs / RENEWALS_PER_LEASE);
  timer.unref();
  return {
    async release() {
      released = true;
      clearInterval(timer);
      await renewing;
    },
    until: () => leaseUntil,
  };
}
