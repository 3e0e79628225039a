import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../../errors.js';
import { newSalt, sealEvents } from '../audit.js';
import {
  type AuditEvent,
  applyEvent,
  auditEventSchema,
  fromSnapshotPart,
  GENESIS_HASH,
  isOpen,
  type PendingEvent,
  parseRequestId,
  type RequestState,
  type SnapshotHeader,
  type StoredDeadlineSet,
  snapshotHeaderSchema,
  snapshotPartSchema,
  toSnapshotPart,
} from '../model.js';
import { type RegisterStore, UnreadableValue } from '../store.js';
import { OpenIndex } from './open-index.js';
import type { RegisterOptions } from './types.js';
import type { PersonalEntry } from './vault.js';

/**
 * The register's event log and its in-memory projection: reading the hash-chained log (from the
 * snapshot, then the events after it), appending to it with the store's atomic put-if-absent, and
 * writing the snapshot. The other register modules read and change requests only through this.
 */

/** The key of a log position in the store, for messages that send an operator to a backup. */
function logKeyOf(seq: number): string {
  return `log:${String(seq).padStart(12, '0')}`;
}

/** What an operator does about a damaged event. */
export function recoveryAdvice(seq: number): string {
  return `Restore event ${seq} (store key ${logKeyOf(seq)}) from a backup of the store, then run \`privacy-ops requests verify\` again; until then requests can be listed and shown as they were before that event, but nothing can be changed.`;
}

const FIRST_BATCH = 32;
export const MAX_BATCH = 1000;
const MAX_ATTEMPTS = 200;
export const APPEND_CHUNK = 500;
const SNAPSHOT_PART = 5_000;

export class RegisterLog {
  readonly requests = new Map<string, RequestState>();
  /** The request logged from each draft or form key ({@link NewRequest.intakeKey}). */
  readonly byIntakeKey = new Map<string, string>();
  readonly lastNumber = new Map<number, number>();
  head = 0;
  headHash = GENESIS_HASH;
  private snapshotAt = 0;
  /** Set when the log holds an event that does not link to its predecessor; writes stop then. */
  damage: string | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  lostRaces = 0;
  private readonly deadlineSets = new Map<string, StoredDeadlineSet>();
  /** Deadline-set objects already looked up, and the shared one each stands for. */
  private readonly internedSets = new WeakMap<StoredDeadlineSet, StoredDeadlineSet>();
  /** The open requests in list order, for `list`. */
  readonly openIndex = new OpenIndex();

  constructor(
    readonly store: RegisterStore,
    readonly options: RegisterOptions,
  ) {}

  async load(): Promise<void> {
    const header = snapshotHeaderSchema.safeParse(await this.store.getSnapshotHeader());
    // A snapshot that fails any check is ignored: it is derived data and the log is the truth.
    if (header.success && (await this.snapshotMatchesLog(header.data))) {
      const requests = await this.readSnapshot(header.data);
      if (requests) {
        for (const request of requests) this.remember(request, false);
        this.openIndex.seed(requests);
        this.head = header.data.upTo;
        this.headHash = header.data.headHash;
        this.snapshotAt = this.head;
      }
    }
    await this.catchUp();
  }

  private async snapshotMatchesLog(header: SnapshotHeader): Promise<boolean> {
    if (header.upTo === 0) return header.headHash === GENESIS_HASH;
    const [event] = await this.store.readLogAt([header.upTo]);
    return (
      typeof event === 'object' && event !== null && (event as { hash?: unknown }).hash === header.headHash
    );
  }

  private async readSnapshot(header: SnapshotHeader): Promise<RequestState[] | undefined> {
    const requests: RequestState[] = [];
    // One part read, checked and unpacked at a time: what a part leaves behind (its JSON, the
    // parsed copy) is garbage before the next is read, collected young instead of surviving into
    // the old generation, where collecting 100,000 requests' worth slowed the first sweep.
    for (let i = 0; i < header.parts; i++) {
      const [raw] = await this.store.getSnapshotParts(1, i);
      const part = snapshotPartSchema.safeParse(raw);
      if (!part.success || part.data.id !== header.id) return undefined;
      try {
        requests.push(...fromSnapshotPart(part.data));
      } catch {
        return undefined;
      }
    }
    return requests.length === header.count ? requests : undefined;
  }

  /**
   * Shares one deadline-set object among requests with identical deadlines (same regime, dates,
   * place, type): with 100,000 requests this keeps the projection to a fraction of the memory.
   * Deadline sets are never mutated, only replaced, so sharing is safe.
   */
  intern(request: RequestState): RequestState {
    // Rows of one snapshot part share their deadline-set objects: each is serialised once, not
    // once per request (that was most of a fresh process's start with 100,000 requests).
    const known = this.internedSets.get(request.deadlines);
    if (known) {
      request.deadlines = known;
      return request;
    }
    const key = JSON.stringify(request.deadlines);
    const shared = this.deadlineSets.get(key) ?? request.deadlines;
    if (shared === request.deadlines) this.deadlineSets.set(key, shared);
    this.internedSets.set(request.deadlines, shared);
    request.deadlines = shared;
    return request;
  }

  private remember(request: RequestState, index = true): void {
    this.requests.set(request.id, this.intern(request));
    if (index) this.openIndex.note(request);
    if (request.intakeKey) this.byIntakeKey.set(request.intakeKey, request.id);
    const parts = parseRequestId(request.id);
    if (parts && parts.number > (this.lastNumber.get(parts.year) ?? 0))
      this.lastNumber.set(parts.year, parts.number);
  }

  /**
   * Runs `fn` after every earlier call of this instance: reading the log and appending to it
   * must not interleave within one process, or an event could be folded in twice.
   */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Reads the events other processes appended since the last look and folds them in. */
  refresh(): Promise<void> {
    return this.exclusive(() => this.catchUp());
  }

  private async catchUp(): Promise<void> {
    let batch = FIRST_BATCH;
    for (;;) {
      const raws = await this.store.readLog(this.head + 1, batch);
      for (const raw of raws) {
        if (!this.ingest(raw)) return;
      }
      if (raws.length < batch) return;
      batch = Math.min(batch * 4, MAX_BATCH);
    }
  }

  private ingest(raw: unknown): boolean {
    const parsed = auditEventSchema.safeParse(raw);
    const expected = this.head + 1;
    let problem: string | undefined;
    if (raw instanceof UnreadableValue) problem = `event ${expected} cannot be read: ${raw.reason}`;
    else if (!parsed.success) problem = `event ${expected} does not have the expected shape`;
    else if (parsed.data.seq !== expected) problem = `event ${expected} claims position ${parsed.data.seq}`;
    else if (parsed.data.prevHash !== this.headHash)
      problem = `event ${expected} does not link to event ${this.head}`;
    if (problem || !parsed.success) {
      this.damage = problem;
      return false;
    }
    this.apply(parsed.data);
    return true;
  }

  private apply(event: AuditEvent): void {
    const next = applyEvent(this.requests.get(event.requestId), event);
    this.remember(next);
    this.head = event.seq;
    this.headHash = event.hash;
  }

  /**
   * Appends the events `build` makes from the current projection. `build` runs again after every
   * lost race, so its checks (is the request still open? which id is next?) see the latest state.
   */
  commit(
    build: () => PendingEvent[],
    personal: PersonalEntry[] | (() => PersonalEntry[]) = [],
  ): Promise<AuditEvent[]> {
    return this.exclusive(() => this.commitNow(build, personal));
  }

  private async commitNow(
    build: () => PendingEvent[],
    personal: PersonalEntry[] | (() => PersonalEntry[]),
  ): Promise<AuditEvent[]> {
    for (let attempt = 1; ; attempt++) {
      await this.catchUp();
      if (this.damage) {
        throw new AppError(
          'STORE',
          `The audit trail is damaged: ${this.damage}; nothing was changed. ${recoveryAdvice(this.head + 1)}`,
        );
      }
      const pending = build();
      if (pending.length === 0) return [];
      const sealed = sealEvents(pending, this.head + 1, this.headHash);
      // The personal data goes in the same atomic write as the events that refer to it.
      // What `build` chose decides which personal data goes with it (none for a request it skipped).
      const records = typeof personal === 'function' ? personal() : personal;
      if (await this.store.appendLog(this.head + 1, sealed, records)) {
        for (const event of sealed) this.apply(event);
        return sealed;
      }
      this.lostRaces++;
      if (attempt >= MAX_ATTEMPTS) {
        throw new AppError(
          'STORE',
          'The register is too busy to take this change right now; nothing was changed. Try again.',
        );
      }
      // Jittered backoff so two writers that keep colliding drift apart.
      await sleep(Math.random() * Math.min(50, 2 * attempt));
    }
  }

  find(id: string): RequestState {
    const request = this.requests.get(id.trim().toUpperCase());
    if (request) return request;
    if (!parseRequestId(id.trim().toUpperCase())) {
      throw new AppError(
        'INVALID_INPUT',
        `"${id.slice(0, 40)}" is not a request id; ids look like DSR-2026-0042.`,
      );
    }
    // Each surface says how to list the requests in its own words (the CLI, the chat).
    throw new AppError('NOT_FOUND', `There is no request ${id.trim().toUpperCase()}.`, {
      detail: { requestId: id.trim().toUpperCase() },
    });
  }

  /** Writes the snapshot now: the projection at the current log position. */
  async snapshot(): Promise<void> {
    await this.exclusive(async () => {
      // Open requests first, in list order: a fresh process then takes its list order as stored.
      const requests = [...this.openIndex.ordered()];
      for (const request of this.requests.values()) if (!isOpen(request.status)) requests.push(request);
      const id = newSalt();
      const parts = [];
      for (let i = 0; i < requests.length; i += SNAPSHOT_PART) {
        parts.push(toSnapshotPart(id, requests.slice(i, i + SNAPSHOT_PART)));
      }
      const header: SnapshotHeader = {
        v: 2,
        id,
        upTo: this.head,
        headHash: this.headHash,
        parts: parts.length,
        count: requests.length,
      };
      await this.store.putSnapshot(header, parts);
      this.snapshotAt = header.upTo;
    });
  }

  /** Writes a snapshot when enough events accumulated since the last; does not close the store. */
  async close(): Promise<void> {
    if (!this.damage && this.head - this.snapshotAt >= (this.options.snapshotEvery ?? 1000))
      await this.snapshot();
  }
}
