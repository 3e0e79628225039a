import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { AppError, isStorageFull, storageFullError } from '../errors.js';

/**
 * Durable reminder state over the register's storage backend, under its own key prefix
 * (`reminders:`), with one atomic primitive: `insertAll`, a put-if-absent of several keys, all or
 * nothing (MSETNX on Redis, one multi-row INSERT against a unique key on SQLite and Postgres).
 * Nothing here reads a key and then writes it expecting it unchanged.
 *
 * Keys, after the backend's prefix:
 *
 * - `reminders:key:<reminder key>` records that a (request, deadline, stage) was enqueued, with the
 *   positions of its entries and the roles they go to. It is inserted in the same `insertAll` as
 *   its outbox entries, so a reminder is either recorded with all its messages or not at all, and
 *   two replicas cannot both enqueue it. An owner's copy added later (the request found an owner
 *   after the stage was recorded without one) has a key of its own, `<reminder key>|owner`.
 * - `reminders:ob:<seq>` one outbox entry (one message to one recipient), at consecutive positions
 *   from 1 like the register's log, so every replica finds every entry by reading forward.
 * - `reminders:try:<seq>:<n>` delivery attempt n of an entry, claimed by insert: one replica per
 *   attempt. A claimer that fails writes its own attempt's failure and when to retry; a claimer
 *   that dies leaves a lease that expires, and then anyone may claim attempt n + 1 (takeover).
 * - `reminders:done:<seq>` the entry's outcome (sent, dropped, failed), inserted once.
 * - `reminders:cursor` a hint: every entry before it is done. Any replica may lower or raise it;
 *   it is only ever set to a position whose predecessors were all seen done.
 * - `reminders:snooze:<request id>` until when a request's reminders are snoozed (last write wins).
 * - `reminders:pauses` until when each platform asked every replica to wait (Retry-After), by
 *   platform name. Read and rewritten whole: a lost update between two replicas only loses a
 *   pause, which each message's own retry time still honours.
 */

/** The part of the register's Backend (src/store/backends.ts) reminders need. */
export interface ReminderBackend {
  readonly prefix: string;
  readonly keyv: { getMany(keys: string[]): Promise<unknown[]> };
  insertAll(entries: Array<{ key: string; value: unknown }>): Promise<boolean>;
  putMany(entries: Array<{ key: string; value: unknown }>): Promise<void>;
}

const digestItemSchema = z.object({
  requestId: z.string(),
  deadline: z.string(),
  due: z.string(),
  daysLeft: z.number(),
  owner: z.string().nullable(),
  binding: z.boolean(),
});

const digestSchema = z.object({
  date: z.string(),
  until: z.string(),
  items: z.array(digestItemSchema),
  overdue: z.array(digestItemSchema),
  unassigned: z.array(z.string()),
  totals: z.object({ items: z.number(), overdue: z.number(), unassigned: z.number() }),
  head: z.object({ seq: z.number(), hash: z.string() }).optional(),
});

/** One outbox entry as stored (shape version 1): one message to one recipient role. */
export const outboxEntrySchema = z.object({
  v: z.literal(1),
  seq: z.number().int().positive(),
  key: z.string(),
  role: z.enum(['owner', 'channel', 'lead']),
  kind: z.enum(['before', 'due-today', 'overdue', 'unassigned', 'digest']),
  requestId: z.string().nullable(),
  deadline: z.string().nullable(),
  due: z.string().nullable(),
  stage: z.string(),
  /** The zone its recipient's working hours are read in (the owner's, or the team's). */
  timeZone: z.string(),
  /** Held until working hours in `timeZone`. */
  workHours: z.boolean(),
  /** The due day's window instead (dueDayOpen in time.ts, any day of the week); absent: false. */
  dueDay: z.boolean().optional(),
  /** True when the same reminder also has a channel entry (an unreachable owner is then skipped). */
  alsoChannel: z.boolean(),
  createdAt: z.string(),
  digest: digestSchema.optional(),
});
export type OutboxEntry = z.infer<typeof outboxEntrySchema>;
export type NewOutboxEntry = Omit<OutboxEntry, 'v' | 'seq' | 'key' | 'createdAt'>;

export const attemptSchema = z.object({
  by: z.string(),
  /** When the attempt was claimed. */
  at: z.string(),
  /**
   * Until when the claimer is presumed alive; after it, attempt n + 1 may be claimed. Counted from
   * the claim and renewed by the claimer while it delivers, so only a dead or stalled claimer's
   * lease runs out.
   */
  leaseUntil: z.string(),
  /** Set by the claimer when the attempt failed and may be retried from `nextAt`. */
  failed: z.object({ at: z.string(), nextAt: z.string(), code: z.string() }).optional(),
});
export type Attempt = z.infer<typeof attemptSchema>;

export const doneSchema = z.object({
  outcome: z.enum(['sent', 'dropped', 'failed']),
  at: z.string(),
  by: z.string(),
  reason: z.string().optional(),
  ref: z.string().optional(),
});
export type Done = z.infer<typeof doneSchema>;

/** The record of an enqueued reminder; `roles` is absent in records of earlier versions. */
const markerSchema = z.object({
  first: z.number().int().positive(),
  count: z.number().int().nonnegative(),
  roles: z.array(outboxEntrySchema.shape.role).optional(),
});
export type RecipientRole = OutboxEntry['role'];
const ALL_ROLES: RecipientRole[] = ['owner', 'channel', 'lead'];

/**
 * The recorded-reminders summary: reminder keys known recorded, grouped by the roles they were
 * recorded for. A hint for a fresh process, never the truth: it is written only after the
 * markers it lists were stored, so it can list too few keys (another replica's), never too many.
 */
const summarySchema = z.object({
  v: z.literal(1),
  groups: z.array(z.object({ roles: markerSchema.shape.roles.unwrap(), keys: z.array(z.string()) })),
});

const snoozeSchema = z.object({ until: z.string() });
const pausesSchema = z.record(z.string(), z.string());
const cursorSchema = z.object({ seq: z.number().int().positive() });

/** An unfinished entry with its latest attempt (if any). */
export interface PendingEntry {
  entry: OutboxEntry;
  /** How many attempts were claimed so far. */
  attempts: number;
  last: Attempt | undefined;
}

const SEQ_WIDTH = 12;
const READ_BATCH = 256;
const GET_CHUNK = 256;
const ENQUEUE_CHUNK = 2000;
const MAX_ATTEMPTS = 100;

export class ReminderStore {
  private readonly base: string;
  /** Every entry before this position is done (as far as this process knows). */
  private cursor = 0;
  /** The next free outbox position (as far as this process knows); 0 = not looked yet. */
  private tail = 0;
  private readonly attemptsSeen = new Map<number, number>();
  private lostRaces = 0;

  constructor(private readonly backend: ReminderBackend) {
    this.base = `${backend.prefix}reminders:`;
  }

  /** Enqueue attempts lost to another writer and retried; for tests and the bench. */
  get conflicts(): number {
    return this.lostRaces;
  }

  private entryKey(seq: number): string {
    return `${this.base}ob:${String(seq).padStart(SEQ_WIDTH, '0')}`;
  }

  private async io<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof AppError) throw error;
      if (isStorageFull(error)) throw storageFullError('reminder outbox', error);
      throw new AppError('STORE', `The reminder store failed while ${what}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  private async getMany(keys: string[], what: string): Promise<unknown[]> {
    const out: unknown[] = [];
    for (let i = 0; i < keys.length; i += GET_CHUNK) {
      const chunk = keys.slice(i, i + GET_CHUNK);
      out.push(...(await this.io(what, () => this.backend.keyv.getMany(chunk))));
    }
    return out;
  }

  /** The reminder keys among `keys` that were already enqueued (by any replica, ever). */
  async recorded(keys: string[]): Promise<Set<string>> {
    const values = await this.getMany(
      keys.map((k) => `${this.base}key:${k}`),
      'reading sent reminders',
    );
    return new Set(keys.filter((_, i) => values[i] !== undefined && values[i] !== null));
  }

  /**
   * The keys the last sweep of any replica knew recorded, with their roles: one read instead of
   * one marker per reminder (53,000 of them with 100,000 open requests) when a process starts.
   * Empty when there is none or it cannot be read; the markers stay the truth.
   */
  async recordedSummary(): Promise<Map<string, RecipientRole[]>> {
    const [raw] = await this.getMany([`${this.base}recorded`], 'reading sent reminders');
    const parsed = summarySchema.safeParse(raw);
    const out = new Map<string, RecipientRole[]>();
    if (parsed.success) for (const g of parsed.data.groups) for (const key of g.keys) out.set(key, g.roles);
    return out;
  }

  /** Writes the summary {@link recordedSummary} reads: only keys whose markers are stored. */
  async putRecordedSummary(known: ReadonlyMap<string, readonly RecipientRole[]>): Promise<void> {
    const groups = new Map<string, { roles: RecipientRole[]; keys: string[] }>();
    for (const [key, roles] of known) {
      const id = roles.join(',');
      const g = groups.get(id) ?? { roles: [...roles], keys: [] };
      groups.set(id, g);
      g.keys.push(key);
    }
    await this.io('writing the sent-reminders summary', () =>
      this.backend.putMany([{ key: `${this.base}recorded`, value: { v: 1, groups: [...groups.values()] } }]),
    );
  }

  /**
   * The reminder keys among `keys` that were already enqueued, each with the roles its messages go
   * to. Records written before roles were kept have them read off their entries; a record that
   * cannot be read counts as having every role, so nothing is sent twice because of it.
   */
  async recordedRoles(keys: string[]): Promise<Map<string, RecipientRole[]>> {
    const values = await this.getMany(
      keys.map((k) => `${this.base}key:${k}`),
      'reading sent reminders',
    );
    const out = new Map<string, RecipientRole[]>();
    const older: Array<{ key: string; first: number; count: number }> = [];
    values.forEach((value, i) => {
      if (value === undefined || value === null) return;
      const parsed = markerSchema.safeParse(value);
      if (!parsed.success) out.set(keys[i]!, ALL_ROLES);
      else if (parsed.data.roles) out.set(keys[i]!, parsed.data.roles);
      else older.push({ key: keys[i]!, first: parsed.data.first, count: parsed.data.count });
    });
    if (older.length > 0) {
      const seqs = older.flatMap((o) => Array.from({ length: o.count }, (_, j) => o.first + j));
      const raws = await this.getMany(
        seqs.map((seq) => this.entryKey(seq)),
        'reading sent reminders',
      );
      const roleAt = new Map<number, RecipientRole | undefined>();
      raws.forEach((raw, j) => {
        const parsed = outboxEntrySchema.safeParse(raw);
        roleAt.set(seqs[j]!, parsed.success ? parsed.data.role : undefined);
      });
      for (const o of older) {
        const roles = Array.from({ length: o.count }, (_, j) => roleAt.get(o.first + j));
        out.set(o.key, roles.includes(undefined) ? ALL_ROLES : [...new Set(roles as RecipientRole[])]);
      }
    }
    return out;
  }

  /**
   * Records each reminder with its outbox entries, atomically per chunk; reminders another replica
   * recorded first are left out. Returns the keys this call recorded.
   */
  async enqueue(items: Array<{ key: string; entries: NewOutboxEntry[] }>, now: Date): Promise<string[]> {
    const added: string[] = [];
    let rest = items.filter((i) => i.entries.length > 0);
    let attempt = 0;
    while (rest.length > 0) {
      if (this.tail === 0) await this.findTail();
      const chunk = rest.slice(0, ENQUEUE_CHUNK);
      const rows: Array<{ key: string; value: unknown }> = [];
      let seq = this.tail;
      for (const item of chunk) {
        const first = seq;
        for (const e of item.entries) {
          const entry: OutboxEntry = { v: 1, seq, key: item.key, createdAt: now.toISOString(), ...e };
          rows.push({ key: this.entryKey(seq++), value: entry });
        }
        const roles = [...new Set(item.entries.map((e) => e.role))];
        rows.push({
          key: `${this.base}key:${item.key}`,
          value: { first, count: item.entries.length, roles },
        });
      }
      if (await this.io('recording reminders', () => this.backend.insertAll(rows))) {
        this.tail = seq;
        added.push(...chunk.map((i) => i.key));
        rest = rest.slice(chunk.length);
        attempt = 0;
        continue;
      }
      // Another replica recorded one of these reminders or took these positions: drop what it
      // recorded, find the new end of the outbox and try again.
      this.lostRaces++;
      if (++attempt >= MAX_ATTEMPTS)
        throw new AppError('STORE', 'The reminder outbox is too busy to record reminders right now.');
      const taken = await this.recorded(chunk.map((i) => i.key));
      rest = rest.filter((i) => !taken.has(i.key));
      await this.findTail();
      if (attempt > 2) await sleep(Math.random() * Math.min(50, 5 * attempt));
    }
    return added;
  }

  /** Reads forward from the last known end of the outbox to the first free position. */
  private async findTail(): Promise<void> {
    if (this.cursor === 0) await this.loadCursor();
    let seq = Math.max(this.tail, this.cursor, 1);
    for (let batch = 16; ; batch = Math.min(batch * 4, READ_BATCH)) {
      const seqs = Array.from({ length: batch }, (_, i) => seq + i);
      const values = await this.getMany(
        seqs.map((s) => this.entryKey(s)),
        'reading the outbox',
      );
      const free = values.findIndex((v) => v === undefined || v === null);
      if (free >= 0) {
        this.tail = seq + free;
        return;
      }
      seq += batch;
    }
  }

  private async loadCursor(): Promise<void> {
    const [hint] = await this.getMany([`${this.base}cursor`], 'reading the outbox');
    const parsed = cursorSchema.safeParse(hint);
    this.cursor = Math.max(this.cursor, parsed.success ? parsed.data.seq : 1);
  }

  /**
   * Unfinished outbox entries in position order, at most `limit`, with their latest attempt.
   * Advances the shared cursor past entries that are done.
   */
  async pending(limit = 500): Promise<PendingEntry[]> {
    if (this.cursor === 0) await this.loadCursor();
    const found: OutboxEntry[] = [];
    let firstOpen: number | undefined;
    let seq = this.cursor;
    // Small first reads: between sweeps only a few entries are usually open.
    for (let batch = 16; ; batch = Math.min(batch * 4, READ_BATCH)) {
      const seqs = Array.from({ length: batch }, (_, i) => seq + i);
      const raws = await this.getMany(
        seqs.map((s) => this.entryKey(s)),
        'reading the outbox',
      );
      let end = raws.findIndex((v) => v === undefined || v === null);
      if (end < 0) end = raws.length;
      const dones = await this.getMany(
        seqs.slice(0, end).map((s) => `${this.base}done:${s}`),
        'reading the outbox',
      );
      for (let i = 0; i < end; i++) {
        if (dones[i] !== undefined && dones[i] !== null) {
          this.attemptsSeen.delete(seq + i);
          continue;
        }
        const parsed = outboxEntrySchema.safeParse(raws[i]);
        if (!parsed.success) {
          // A damaged entry cannot be sent; recording it as failed keeps it from blocking the cursor.
          await this.finish(seq + i, {
            outcome: 'failed',
            at: new Date(0).toISOString(),
            by: 'store',
            reason: 'unreadable',
          });
          continue;
        }
        firstOpen ??= seq + i;
        if (found.length < limit) found.push(parsed.data);
      }
      this.tail = Math.max(this.tail, seq + end);
      seq += end;
      if (end < batch || found.length >= limit) break;
    }
    const next = firstOpen ?? seq;
    if (next > this.cursor) {
      this.cursor = next;
      await this.io('writing the outbox cursor', () =>
        this.backend.putMany([{ key: `${this.base}cursor`, value: { seq: next } }]),
      );
    }
    return this.withAttempts(found);
  }

  /**
   * Finds each entry's latest attempt, reading attempt records forward from the last one this
   * process saw (re-read, since its claimer may have recorded a failure since).
   */
  private async withAttempts(entries: OutboxEntry[]): Promise<PendingEntry[]> {
    const PROBE = 4;
    const result = new Map<number, PendingEntry>();
    let open = entries.map((entry) => ({
      entry,
      from: Math.max(0, (this.attemptsSeen.get(entry.seq) ?? 0) - 1),
      last: undefined as Attempt | undefined,
    }));
    while (open.length > 0) {
      const keys = open.flatMap(({ entry, from }) =>
        Array.from({ length: PROBE }, (_, i) => `${this.base}try:${entry.seq}:${from + i + 1}`),
      );
      const values = await this.getMany(keys, 'reading delivery attempts');
      const again: typeof open = [];
      open.forEach((probe, j) => {
        let count = 0;
        let last = probe.last;
        for (; count < PROBE; count++) {
          const parsed = attemptSchema.safeParse(values[j * PROBE + count]);
          if (!parsed.success) break;
          last = parsed.data;
        }
        const n = probe.from + count;
        if (count === PROBE) again.push({ entry: probe.entry, from: n, last });
        else {
          result.set(probe.entry.seq, { entry: probe.entry, attempts: n, last });
          this.attemptsSeen.set(probe.entry.seq, n);
        }
      });
      open = again;
    }
    return entries.map((e) => result.get(e.seq)!);
  }

  /** Claims attempt `n` of an entry; false when another replica claimed it first. */
  async claim(seq: number, n: number, attempt: Attempt): Promise<boolean> {
    return this.io('claiming a delivery', () =>
      this.backend.insertAll([{ key: `${this.base}try:${seq}:${n}`, value: attempt }]),
    );
  }

  /**
   * An entry as it stands now, read fresh right before claiming attempt `n + 1`: whether it is
   * done, its attempt `n` (the latest this process saw), and whether attempt `n + 1` is claimed
   * already. The pending list a pass started from may be seconds old by the time an entry's turn
   * comes; a lease renewed or a delivery finished since then must be seen before taking over.
   */
  async latest(
    seq: number,
    n: number,
  ): Promise<{ done: boolean; last: Attempt | undefined; taken: boolean }> {
    const [done, last, next] = await this.getMany(
      [`${this.base}done:${seq}`, `${this.base}try:${seq}:${n}`, `${this.base}try:${seq}:${n + 1}`],
      'reading a delivery',
    );
    const parsed = n > 0 ? attemptSchema.safeParse(last) : undefined;
    return {
      done: done !== undefined && done !== null,
      last: parsed?.success ? parsed.data : undefined,
      taken: next !== undefined && next !== null,
    };
  }

  /** True when the entry has an outcome (checked again once its attempt is claimed). */
  async isDone(seq: number): Promise<boolean> {
    const [done] = await this.getMany([`${this.base}done:${seq}`], 'reading a delivery');
    return done !== undefined && done !== null;
  }

  /** Extends the caller's own claim (a new `leaseUntil`) while it is still delivering. */
  async renew(seq: number, n: number, attempt: Attempt): Promise<void> {
    await this.io('renewing a delivery claim', () =>
      this.backend.putMany([{ key: `${this.base}try:${seq}:${n}`, value: attempt }]),
    );
  }

  /** Until when each platform asked to be left alone (epoch ms), as any replica recorded it. */
  async pauses(): Promise<Map<string, number>> {
    const [raw] = await this.getMany([`${this.base}pauses`], 'reading rate limits');
    const parsed = pausesSchema.safeParse(raw);
    const out = new Map<string, number>();
    if (parsed.success)
      for (const [platform, until] of Object.entries(parsed.data)) {
        const ms = Date.parse(until);
        if (Number.isFinite(ms)) out.set(platform, ms);
      }
    return out;
  }

  /** Records that `platform` asked every replica to wait until `until` (a later pause is kept). */
  async pause(platform: string, until: number, now: number): Promise<void> {
    const current = await this.pauses();
    if ((current.get(platform) ?? 0) >= until) return;
    current.set(platform, until);
    // Pauses that are over are left out, so the record stays as small as the platforms in use.
    const value = Object.fromEntries(
      [...current].filter(([, ms]) => ms > now).map(([p, ms]) => [p, new Date(ms).toISOString()]),
    );
    await this.io('recording a rate limit', () =>
      this.backend.putMany([{ key: `${this.base}pauses`, value }]),
    );
  }

  /** Records that the caller's own attempt failed and when it may be retried. */
  async failAttempt(seq: number, n: number, attempt: Attempt): Promise<void> {
    await this.io('recording a failed delivery', () =>
      this.backend.putMany([{ key: `${this.base}try:${seq}:${n}`, value: attempt }]),
    );
  }

  /** Records an entry's outcome; false when it already had one. */
  async finish(seq: number, done: Done): Promise<boolean> {
    this.attemptsSeen.delete(seq);
    return this.io('recording a delivery', () =>
      this.backend.insertAll([{ key: `${this.base}done:${seq}`, value: done }]),
    );
  }

  /** The outcome of each entry, for tests and `reminders` reports. */
  async outcomes(seqs: number[]): Promise<Array<Done | undefined>> {
    const raws = await this.getMany(
      seqs.map((s) => `${this.base}done:${s}`),
      'reading the outbox',
    );
    return raws.map((r) => {
      const parsed = doneSchema.safeParse(r);
      return parsed.success ? parsed.data : undefined;
    });
  }

  /** Every delivery attempt of an entry, oldest first, for tests and audits. */
  async attempts(seq: number): Promise<Attempt[]> {
    const out: Attempt[] = [];
    for (let n = 1; ; n += 8) {
      const raws = await this.getMany(
        Array.from({ length: 8 }, (_, i) => `${this.base}try:${seq}:${n + i}`),
        'reading delivery attempts',
      );
      for (const raw of raws) {
        const parsed = attemptSchema.safeParse(raw);
        if (!parsed.success) return out;
        out.push(parsed.data);
      }
    }
  }

  /** Every outbox entry from position 1, for tests and audits (reads the whole outbox). */
  async entries(): Promise<OutboxEntry[]> {
    const out: OutboxEntry[] = [];
    for (let seq = 1; ; seq += READ_BATCH) {
      const raws = await this.getMany(
        Array.from({ length: READ_BATCH }, (_, i) => this.entryKey(seq + i)),
        'reading the outbox',
      );
      for (const raw of raws) {
        const parsed = outboxEntrySchema.safeParse(raw);
        if (!parsed.success) return out;
        out.push(parsed.data);
      }
    }
  }

  /** Snoozes a request's before-deadline reminders until `until`. */
  async snooze(requestId: string, until: Date): Promise<void> {
    await this.io('snoozing reminders', () =>
      this.backend.putMany([
        { key: `${this.base}snooze:${requestId}`, value: { until: until.toISOString() } },
      ]),
    );
  }

  /** Snoozes of the given requests: request id -> ISO instant. */
  async snoozes(requestIds: string[]): Promise<Map<string, string>> {
    const ids = [...new Set(requestIds)];
    const raws = await this.getMany(
      ids.map((id) => `${this.base}snooze:${id}`),
      'reading snoozes',
    );
    const out = new Map<string, string>();
    raws.forEach((raw, i) => {
      const parsed = snoozeSchema.safeParse(raw);
      if (parsed.success) out.set(ids[i]!, parsed.data.until);
    });
    return out;
  }
}
