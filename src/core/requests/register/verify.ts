import { AppError } from '../../errors.js';
import { canonicalJson, hashEvent, personalRef } from '../audit.js';
import {
  ALLOWED_FROM,
  applyEvent,
  auditEventSchema,
  GENESIS_HASH,
  personalRecordSchema,
  type RequestFields,
  type RequestState,
  snapshotHeaderSchema,
} from '../model.js';
import { UnreadableValue } from '../store.js';
import { MAX_BATCH, type RegisterLog, recoveryAdvice } from './log.js';
import type { VerifyOptions, VerifyReport } from './types.js';

/** Checking the hash chain: every hash and link, every change, the personal data, the tail. */

/** A head hash as `verify` prints it: 64 hex digits. */
function parseHeadHash(head: string): string {
  const hash = head.trim().toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(hash)) {
    throw new AppError(
      'INVALID_INPUT',
      `"${head.slice(0, 70)}" is not a head hash; give the 64 hexadecimal digits \`requests verify\` printed (or the daily digest showed).`,
    );
  }
  return hash;
}

/**
 * Replays the whole log from the first event: every hash and link, every change against the
 * state it claims to start from, the lifecycle rules, the personal-data records, and the
 * projection this process works from. Writes nothing except dropping a snapshot found stale.
 */
export async function verify(log: RegisterLog, options: VerifyOptions = {}): Promise<VerifyReport> {
  const recorded = options.head === undefined ? undefined : parseHeadHash(options.head);
  const problems: string[] = [];
  const damaged: number[] = [];
  const states = new Map<string, RequestState>();
  const textRefs = new Map<string, string[]>();
  // Listed before the log is read: a record written with its event is then always matched.
  const storedRefs = await log.store.listPersonalRefs();
  let seq = 0;
  let previous: string | undefined = GENESIS_HASH;
  let recordedAt: number | null = recorded === GENESIS_HASH ? 0 : null;
  for (;;) {
    const raws = await log.store.readLog(seq + 1, MAX_BATCH);
    for (const raw of raws) {
      seq++;
      const found = checkEvent(log, raw, seq, previous, states, textRefs);
      if (found.length > 0) damaged.push(seq);
      for (const problem of found) problems.push(`event ${seq}: ${problem}`);
      const stored = (raw as { hash?: unknown } | null)?.hash;
      // After an unreadable event the next one's link cannot be judged: it is not reported again.
      previous = typeof stored === 'string' ? stored : undefined;
      if (recorded !== undefined && stored === recorded) recordedAt = seq;
    }
    if (raws.length < MAX_BATCH) break;
  }
  const headHash = previous ?? '';
  const last = await log.store.lastLogSeq();
  if (last > seq) {
    problems.push(`the log has a hole after event ${seq}: events up to ${last} exist but are cut off`);
    damaged.push(seq + 1);
  }
  problems.push(...(await checkTail(log, seq, headHash, recorded, recordedAt)));
  problems.push(...(await checkPersonal(log, states, textRefs)));
  await log.refresh();
  // Only a sound trail can judge the projection; otherwise the difference is the damage itself.
  if (!log.damage && problems.length === 0) problems.push(...(await checkProjection(log, states)));
  // With a damaged event the references it held are unknown: nothing can be called an orphan then.
  const orphans = damaged.length > 0 ? 0 : orphansAmong(storedRefs, states, textRefs).length;
  if (orphans > 0)
    problems.push(
      `${orphans} personal-data record(s) belong to no request (left by an interrupted write, or their events were removed); \`privacy-ops requests purge\` deletes them`,
    );
  const advice = damaged.length > 0 ? [recoveryAdvice(damaged[0]!)] : [];
  return {
    ok: problems.length === 0,
    events: seq,
    requests: states.size,
    headHash,
    problems,
    advice,
    orphans,
    ...(recorded === undefined ? {} : { recordedHead: { hash: recorded, at: recordedAt } }),
  };
}

/** Compares the projection this process works from with the replay; drops a stale snapshot. */
async function checkProjection(log: RegisterLog, states: Map<string, RequestState>): Promise<string[]> {
  const stale = [...states.values()].filter(
    (s) => canonicalJson(s) !== canonicalJson(log.requests.get(s.id)),
  );
  if (stale.length === 0 && states.size === log.requests.size) return [];
  await log.store.deleteSnapshot();
  return [
    `the snapshot disagrees with the trail for ${stale.length} request(s); it was dropped and will be rebuilt`,
  ];
}

/**
 * A cut-off end leaves a chain that links perfectly, so the tail is checked against heads
 * recorded elsewhere: one the operator gives (from an earlier `verify` or the daily digest), the
 * snapshot's (written at the head it had then) and the head this process has seen.
 */
async function checkTail(
  log: RegisterLog,
  seq: number,
  headHash: string,
  recorded: string | undefined,
  recordedAt: number | null,
): Promise<string[]> {
  const problems: string[] = [];
  const ends = `the trail ends at event ${seq} (head ${headHash.slice(0, 12)})`;
  if (recorded !== undefined && recordedAt === null)
    problems.push(
      `the recorded head ${recorded.slice(0, 12)} is not in the trail and ${ends}: events were removed from its end, or it was rewritten`,
    );
  const header = snapshotHeaderSchema.safeParse(await log.store.getSnapshotHeader());
  const snapshotAt = header.success ? header.data.upTo : 0;
  // Read the last position again: a writer may have appended (and snapshotted) since the scan.
  if (
    Math.max(snapshotAt, log.head) > seq &&
    (await log.store.lastLogSeq()) < Math.max(snapshotAt, log.head)
  ) {
    problems.push(
      snapshotAt > seq
        ? `the snapshot was taken at event ${snapshotAt}, but ${ends}: events were removed from its end`
        : `this process has seen event ${log.head}, but ${ends}: events were removed from its end`,
    );
  }
  return problems;
}

/** The stored personal-data refs that no request and no event refers to. */
function orphansAmong(
  storedRefs: string[],
  states: Map<string, RequestState>,
  textRefs: Map<string, string[]>,
): string[] {
  const used = new Set<string>();
  for (const s of states.values()) used.add(s.requesterRef);
  for (const refs of textRefs.values()) for (const ref of refs) used.add(ref);
  return storedRefs.filter((ref) => !used.has(ref));
}

/** Checks one stored event against the replay so far and folds it in; returns its problems. */
function checkEvent(
  log: RegisterLog,
  raw: unknown,
  seq: number,
  previous: string | undefined,
  states: Map<string, RequestState>,
  textRefs: Map<string, string[]>,
): string[] {
  if (raw instanceof UnreadableValue) return [`it cannot be read: ${raw.reason}`];
  if (typeof raw !== 'object' || raw === null) return ['not a record'];
  const problems: string[] = [];
  const record = raw as Record<string, unknown>;
  if (record.hash !== hashEvent(record))
    problems.push('its hash does not match its content (edited after it was written)');
  if (previous !== undefined && record.prevHash !== previous)
    problems.push('it does not link to the event before it (an event was removed or replaced)');
  const parsed = auditEventSchema.safeParse(raw);
  if (!parsed.success)
    return [...problems, `unexpected shape (${parsed.error.issues[0]?.message ?? 'invalid'})`];
  const event = parsed.data;
  if (event.seq !== seq) problems.push(`it claims position ${event.seq}`);
  const state = states.get(event.requestId);
  if (event.action === 'created') {
    if (state) return [...problems, `${event.requestId} is created a second time`];
  } else {
    if (!state) return [...problems, `it changes ${event.requestId}, which was never created`];
    if (!ALLOWED_FROM[event.action].includes(state.status))
      problems.push(`${event.action} is not allowed from ${state.status}`);
    for (const [key, value] of Object.entries(event.before)) {
      if (canonicalJson(value) !== canonicalJson(state[key as keyof RequestFields])) {
        problems.push(`its "before" ${key} does not match the state at that point`);
      }
    }
  }
  // Fold it in even when it is suspect, so one bad event is reported once, not by every later one.
  try {
    states.set(event.requestId, log.intern(applyEvent(state, event)));
  } catch (error) {
    problems.push(error instanceof Error ? error.message : String(error));
  }
  if (event.textRef) textRefs.set(event.requestId, [...(textRefs.get(event.requestId) ?? []), event.textRef]);
  return problems;
}

async function checkPersonal(
  log: RegisterLog,
  states: Map<string, RequestState>,
  textRefs: Map<string, string[]>,
): Promise<string[]> {
  const problems: string[] = [];
  const wanted: Array<{ id: string; ref: string; purged: boolean }> = [];
  for (const s of states.values()) {
    for (const ref of [s.requesterRef, ...(textRefs.get(s.id) ?? [])])
      wanted.push({ id: s.id, ref, purged: s.purged });
  }
  for (let i = 0; i < wanted.length; i += MAX_BATCH) {
    const chunk = wanted.slice(i, i + MAX_BATCH);
    const raws = await log.store.getPersonal(chunk.map((w) => w.ref));
    chunk.forEach((w, j) => {
      const raw = raws[j];
      if (w.purged) {
        if (raw !== undefined)
          problems.push(`${w.id} was purged but personal data is left (run \`requests purge\`)`);
        return;
      }
      const parsed = personalRecordSchema.safeParse(raw);
      if (!parsed.success) problems.push(`${w.id}: a personal-data record is missing or damaged`);
      else if (personalRef(parsed.data.salt, parsed.data.data) !== w.ref)
        problems.push(`${w.id}: a personal-data record does not match its digest (edited)`);
    });
  }
  return problems;
}
