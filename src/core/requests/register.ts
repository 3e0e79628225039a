import type { AuditEvent, RequestFields, RequestState } from './model.js';
import * as clock from './register/clock.js';
import * as intake from './register/intake.js';
import * as lifecycle from './register/lifecycle.js';
import { RegisterLog } from './register/log.js';
import * as purge from './register/purge.js';
import * as queries from './register/queries.js';
import type {
  ChangeContext,
  ExtendOptions,
  ListFilter,
  NewRequest,
  PurgeReport,
  RegisterOptions,
  RequestDetail,
  Requester,
  VerifyOptions,
  VerifyReport,
} from './register/types.js';
import * as vault from './register/vault.js';
import * as verify from './register/verify.js';
import type { RegisterStore } from './store.js';

export type {
  ChangeContext,
  ExtendOptions,
  ListFilter,
  NewRequest,
  PolicyTargets,
  PurgeReport,
  RegisterOptions,
  RequestDetail,
  Requester,
  StatusFilter,
  TrailEntry,
  VerifyOptions,
  VerifyReport,
} from './register/types.js';
export { STATUS_FILTERS } from './register/types.js';

/**
 * The rights-request register: the lifecycle rules, the audit trail and an in-memory projection
 * of every request, over a {@link RegisterStore}. Time is injected: every call that depends on
 * "today" takes a {@link ChangeContext} or a `now`.
 *
 * State is the fold of one append-only, hash-chained log shared by all requests. A write builds
 * its event(s) from the projection, then claims the next log position with the store's atomic
 * put-if-absent; when another process got there first, the writer reads what it missed and
 * rebuilds, so a change is always checked against the latest state and nothing is lost.
 *
 * The class is the register's public face; each concern lives in a module of its own under
 * `register/`: the log and its projection (`log.ts`), new requests (`intake.ts`), the lifecycle
 * (`lifecycle.ts`), reads (`queries.ts`), personal data (`vault.ts`), the chain check
 * (`verify.ts`) and the purge (`purge.ts`).
 */
export class Register {
  private constructor(private readonly log: RegisterLog) {}

  /** Loads the projection: the snapshot when it matches the log, then the events after it. */
  static async open(store: RegisterStore, options: RegisterOptions): Promise<Register> {
    const log = new RegisterLog(store, options);
    await log.load();
    return new Register(log);
  }

  /** Appends this instance lost to another writer and retried; for tests and the bench. */
  get conflicts(): number {
    return this.log.lostRaces;
  }

  /** Position and hash of the last event seen: the head an operator records (the digest shows it). */
  get position(): { seq: number; hash: string } {
    return { seq: this.log.head, hash: this.log.headHash };
  }

  /** Why the trail cannot be written to (a damaged event), or undefined when it is sound. */
  get damaged(): string | undefined {
    return this.log.damage;
  }

  /** Reads the events other processes appended since the last look and folds them in. */
  refresh(): Promise<void> {
    return this.log.refresh();
  }

  /**
   * What {@link add} would store for this input, without storing it: the validated fields and the
   * very deadline set it would keep. A confirmation shows this, so what is confirmed is what is
   * logged (issue 16: a CCPA opt-out was confirmed with 45 days and logged with 15 business days).
   */
  preview(
    input: NewRequest,
    now: Date,
  ): Pick<RequestFields, 'type' | 'regime' | 'country' | 'region' | 'received' | 'deadlines'> {
    return intake.preview(this.log, input, now);
  }

  /** Logs a new request. Its id is allocated in the same atomic append that records it. */
  add(input: NewRequest, ctx: ChangeContext): Promise<RequestState> {
    return intake.add(this.log, input, ctx);
  }

  /**
   * Logs many requests with one append per chunk: the bulk path for imports and the bench. Each
   * chunk is all-or-nothing; a crash keeps the chunks already acknowledged.
   */
  addMany(inputs: NewRequest[], ctx: ChangeContext): Promise<RequestState[]> {
    return intake.addMany(this.log, inputs, ctx);
  }

  /**
   * received -> identity-verified. Under UK GDPR (art. 12A, inserted by the Data (Use and Access)
   * Act 2025) the clock then starts on the day the identity evidence arrived, taken as today (or
   * `evidenceOn` when given), so the deadline moves; other regimes keep counting from receipt.
   */
  verifyIdentity(id: string, ctx: ChangeContext, note?: string, evidenceOn?: string): Promise<RequestState> {
    return lifecycle.verifyIdentity(this.log, id, ctx, note, evidenceOn);
  }

  /** received or identity-verified -> in-progress. */
  start(id: string, ctx: ChangeContext, note?: string): Promise<RequestState> {
    return lifecycle.start(this.log, id, ctx, note);
  }

  assign(id: string, owner: string, ctx: ChangeContext): Promise<RequestState> {
    return lifecycle.assign(this.log, id, owner, ctx);
  }

  /**
   * Extends the response deadline, where the regime allows it and not more often than it allows.
   * `options` carries what the law leaves to the controller: the days of a Swiss extension (the
   * date it named, DPO art. 18(2)) or of a PIPEDA conversion to an alternative format (s. 8(4)(b)).
   */
  extend(
    id: string,
    ctx: ChangeContext,
    reason?: string,
    options: ExtendOptions = {},
  ): Promise<RequestState> {
    return lifecycle.extend(this.log, id, ctx, reason, options);
  }

  /** Stops the clock, where the regime allows it. */
  pause(id: string, ctx: ChangeContext, reason?: string): Promise<RequestState> {
    return clock.pause(this.log, id, ctx, reason);
  }

  /**
   * Records that the team is waiting on the requester (identity evidence, a clarification) under a
   * law that does not stop the clock: an audited note, the deadline unchanged. Where the law does
   * stop the clock, {@link pause} is the step to take.
   */
  waitOnRequester(id: string, ctx: ChangeContext, reason?: string): Promise<RequestState> {
    return clock.waitOnRequester(this.log, id, ctx, reason);
  }

  /** Ends a wait recorded by {@link waitOnRequester}; the deadline was never moved, so it stays. */
  endWait(id: string, ctx: ChangeContext, note?: string): Promise<RequestState> {
    return clock.endWait(this.log, id, ctx, note);
  }

  /**
   * Puts a request on hold: the clock stops where the law stops it ({@link pause}); elsewhere the
   * wait on the requester is recorded and the deadline keeps running ({@link waitOnRequester}).
   * `clockStopped` says which.
   */
  hold(
    id: string,
    ctx: ChangeContext,
    reason?: string,
  ): Promise<{ state: RequestState; clockStopped: boolean }> {
    return clock.hold(this.log, id, ctx, reason);
  }

  /** Takes a request off hold: ends a recorded wait, or restarts a stopped clock ({@link resume}). */
  release(
    id: string,
    ctx: ChangeContext,
    note?: string,
  ): Promise<{ state: RequestState; clockStopped: boolean }> {
    return clock.release(this.log, id, ctx, note);
  }

  /**
   * Restarts the clock; the deadline moves by the days it stood still. UK GDPR art. 12A excludes
   * the period beginning with the day clarification was asked for and ending with the day it
   * arrived, both days included (issue 14 point 3: one day more than the days between them).
   */
  resume(id: string, ctx: ChangeContext): Promise<RequestState> {
    return clock.resume(this.log, id, ctx);
  }

  /** Closes with an outcome; closing a closed request is refused (reopen first). */
  closeRequest(id: string, outcome: string, ctx: ChangeContext, note?: string): Promise<RequestState> {
    return lifecycle.closeRequest(this.log, id, outcome, ctx, note);
  }

  /** Closed -> in-progress, unless the request was purged. */
  reopen(id: string, ctx: ChangeContext, note?: string): Promise<RequestState> {
    return lifecycle.reopen(this.log, id, ctx, note);
  }

  /**
   * Corrects the requester's name or email of a logged request (a typo found later). The new
   * details go into a new personal-data record, written in the same append as a
   * "requester-changed" event that records who changed it and when (never the values: they are
   * personal data); the record with the wrong details is then deleted, as nothing needs it.
   */
  changeRequester(id: string, change: Partial<Requester>, ctx: ChangeContext): Promise<RequestState> {
    return lifecycle.changeRequester(this.log, id, change, ctx);
  }

  /**
   * Puts right the day a request arrived, recomputing its deadlines; a "received-changed" event
   * with the old and new day.
   */
  changeReceived(id: string, received: string, ctx: ChangeContext): Promise<RequestState> {
    return lifecycle.changeReceived(this.log, id, received, ctx);
  }

  /** Adds a note to a request's audit trail; no field changes. */
  note(id: string, ctx: ChangeContext, text: string): Promise<RequestState> {
    return lifecycle.note(this.log, id, ctx, text);
  }

  /** One request, fresh from the log. */
  get(id: string): Promise<RequestState> {
    return queries.get(this.log, id);
  }

  /** A request with its requester and its audit trail, free text resolved. */
  show(id: string): Promise<RequestDetail> {
    return queries.show(this.log, id);
  }

  /** Requests matching the filter: by due date (running clocks first), then id. */
  list(filter: ListFilter, now: Date): Promise<RequestState[]> {
    return queries.list(this.log, filter, now);
  }

  /** Requester name and contact of each request (null once purged), for an export that asks for them. */
  requesters(requests: RequestState[]): Promise<Map<string, Requester | null>> {
    return vault.requesters(this.log, requests);
  }

  /** Every request with its full trail, in id order, for export. */
  exportAll(): Promise<{ requests: RequestState[]; events: AuditEvent[] }> {
    return queries.exportAll(this.log);
  }

  /**
   * Replays the whole log from the first event: every hash and link, every change against the
   * state it claims to start from, the lifecycle rules, the personal-data records, and the
   * projection this process works from. Writes nothing except dropping a snapshot found stale.
   */
  verify(options: VerifyOptions = {}): Promise<VerifyReport> {
    return verify.verify(this.log, options);
  }

  /**
   * Scrubs the personal data of requests closed longer than the retention period. The "purged"
   * event is appended first, then the records are deleted: a crash in between leaves records that
   * the next run deletes, never a chain that refers to a purge that did not happen.
   */
  purge(ctx: ChangeContext, options: { dryRun?: boolean } = {}): Promise<PurgeReport> {
    return purge.purge(this.log, ctx, options);
  }
  /** Writes the snapshot now: the projection at the current log position. */
  snapshot(): Promise<void> {
    return this.log.snapshot();
  }

  /** Writes a snapshot when enough events accumulated since the last; does not close the store. */
  close(): Promise<void> {
    return this.log.close();
  }
}
