import { addMonths, todayIn } from '../input.js';
import { isOpen, type RequestState } from '../model.js';
import { APPEND_CHUNK, MAX_BATCH, type RegisterLog } from './log.js';
import { trailOf } from './queries.js';
import type { ChangeContext, PurgeReport } from './types.js';

/** Purging personal data after the retention period, and records no event refers to. */

/** How old a personal-data record nothing refers to must be before `purge` deletes it. */
const ORPHAN_GRACE_MS = 60 * 60_000;

/**
 * Scrubs the personal data of requests closed longer than the retention period. The "purged"
 * event is appended first, then the records are deleted: a crash in between leaves records that
 * the next run deletes, never a chain that refers to a purge that did not happen.
 */
export async function purge(
  log: RegisterLog,
  ctx: ChangeContext,
  options: { dryRun?: boolean } = {},
): Promise<PurgeReport> {
  await log.refresh();
  const expired = retentionExpired(log, ctx.now);
  const due = [...log.requests.values()].filter(expired).map((r) => r.id);
  if (options.dryRun) return { dryRun: true, due: due.sort(), recordsDeleted: 0 };
  const purgedNow = await appendPurged(log, due, expired, ctx);
  // Records no event refers to: left by an earlier version that wrote them before their event
  // and crashed in between. Only old ones, in case such a version is still running an add.
  const orphans = await collectableOrphans(log, ctx.now);
  if (orphans.length > 0) await log.store.deletePersonal(orphans);
  // Every purged request, not only today's: an earlier run may have stopped before deleting.
  const recordsDeleted = orphans.length + (await deletePurgedRecords(log));
  return {
    dryRun: false,
    due: purgedNow.sort(),
    recordsDeleted,
    ...(orphans.length > 0 ? { orphansDeleted: orphans.length } : {}),
  };
}

/** Whether a request is past retention: closed (not purged yet) longer than the retention period. */
function retentionExpired(log: RegisterLog, now: Date): (r: RequestState) => boolean {
  const today = todayIn(now, log.options.timeZone);
  return (r) =>
    !r.purged &&
    !isOpen(r.status) &&
    r.closedAt !== null &&
    addMonths(r.closedAt.slice(0, 10), log.options.retentionMonths) <= today;
}

/**
 * Appends a "purged" event for each request due, a chunk per append, rechecking each against the
 * latest log; returns the ids purged now.
 */
async function appendPurged(
  log: RegisterLog,
  due: string[],
  expired: (r: RequestState) => boolean,
  ctx: ChangeContext,
): Promise<string[]> {
  const purgedNow: string[] = [];
  for (let start = 0; start < due.length; start += APPEND_CHUNK) {
    const ids = due.slice(start, start + APPEND_CHUNK);
    const events = await log.commit(() =>
      ids
        .map((id) => log.find(id))
        .filter(expired)
        .map((r) => ({
          requestId: r.id,
          at: ctx.now.toISOString(),
          actor: ctx.actor,
          action: 'purged' as const,
          before: { purged: false },
          after: { purged: true },
          textRef: null,
        })),
    );
    purgedNow.push(...events.map((e) => e.requestId));
  }
  return purgedNow;
}

/** Deletes the personal-data records still held for purged requests; returns how many. */
async function deletePurgedRecords(log: RegisterLog): Promise<number> {
  let deleted = 0;
  const purged = [...log.requests.values()].filter((r) => r.purged);
  for (let i = 0; i < purged.length; i += APPEND_CHUNK) {
    const chunk = purged.slice(i, i + APPEND_CHUNK);
    const trails = await Promise.all(chunk.map((r) => trailOf(log, r)));
    const refs = chunk.flatMap((r, j) => [
      r.requesterRef,
      ...trails[j]!.flatMap((e) => (e.textRef ? [e.textRef] : [])),
    ]);
    const present = (await log.store.getPersonal(refs)).map((raw, k) =>
      raw === undefined ? undefined : refs[k]!,
    );
    const leftover = present.filter((ref): ref is string => ref !== undefined);
    if (leftover.length > 0) await log.store.deletePersonal(leftover);
    deleted += leftover.length;
  }
  return deleted;
}

/** Personal-data records that no event refers to and that are older than {@link ORPHAN_GRACE_MS}. */
async function collectableOrphans(log: RegisterLog, now: Date): Promise<string[]> {
  // Listed before the log is read: a record written with its event is then always matched.
  const storedRefs = await log.store.listPersonalRefs();
  if (storedRefs.length === 0) return [];
  await log.refresh();
  // A damaged event hides what it refers to: collect nothing until the trail is sound again.
  if (log.damage || (await log.store.lastLogSeq()) !== log.head) return [];
  const used = new Set<string>();
  for (const r of log.requests.values()) used.add(r.requesterRef);
  for (let from = 1; from <= log.head; from += MAX_BATCH) {
    for (const raw of await log.store.readLog(from, Math.min(MAX_BATCH, log.head - from + 1))) {
      const ref = (raw as { textRef?: unknown } | null)?.textRef;
      if (typeof ref === 'string') used.add(ref);
    }
  }
  const candidates = storedRefs.filter((ref) => !used.has(ref));
  const orphans: string[] = [];
  for (let i = 0; i < candidates.length; i += MAX_BATCH) {
    const chunk = candidates.slice(i, i + MAX_BATCH);
    const raws = await log.store.getPersonal(chunk);
    chunk.forEach((ref, j) => {
      const created = Date.parse(String((raws[j] as { createdAt?: unknown } | undefined)?.createdAt ?? ''));
      // A record without a readable creation time cannot be an add in progress.
      if (Number.isNaN(created) || now.getTime() - created >= ORPHAN_GRACE_MS) orphans.push(ref);
    });
  }
  return orphans;
}
