import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../errors.js';
import { canonicalJson, hashEvent, newSalt, personalRef, sealEvents } from './audit.js';
import {
  computeDeadlines,
  type ExtensionGround,
  homeJurisdiction,
  parseRegime,
  parseRequestType,
  REGIME_LABELS,
} from './deadlines.js';
import {
  addDays,
  addMonths,
  type Contact,
  daysBetween,
  parseContact,
  parseCountry,
  parseReceivedDate,
  parseText,
  todayIn,
} from './input.js';
import {
  type Action,
  ALLOWED_FROM,
  type AuditEvent,
  applyEvent,
  assertTransition,
  auditEventSchema,
  formatRequestId,
  fromSnapshotPart,
  GENESIS_HASH,
  isOpen,
  OUTCOMES,
  type Outcome,
  type PendingEvent,
  type PersonalData,
  parseRequestId,
  personalRecordSchema,
  type Requester,
  type RequestFields,
  type RequestState,
  type RequestTerms,
  type SnapshotHeader,
  STATUSES,
  type StoredDeadlineSet,
  snapshotHeaderSchema,
  snapshotPartSchema,
  toSnapshotPart,
} from './model.js';
import { type RegisterStore, UnreadableValue } from './store.js';

/**
 * The rights-request register: the lifecycle rules, the audit trail and an in-memory projection
 * of every request, over a {@link RegisterStore}. Time is injected: every call that depends on
 * "today" takes a {@link ChangeContext} or a `now`.
 *
 * State is the fold of one append-only, hash-chained log shared by all requests. A write builds
 * its event(s) from the projection, then claims the next log position with the store's atomic
 * put-if-absent; when another process got there first, the writer reads what it missed and
 * rebuilds, so a change is always checked against the latest state and nothing is lost.
 */

/** The policy's own response promise, looked up by policy id; wired to the policy corpus later. */
export interface PolicyTargets {
  /** Days the policy promises to answer in, or undefined when it promises nothing. */
  responseDays(policyId: string): number | undefined;
  /** When given, a request may only name a policy this returns true for. */
  has?(policyId: string): boolean;
  /** The known policy ids, for the message that refuses an unknown one. */
  ids?(): string[];
}

export interface RegisterOptions {
  /** Country whose holidays count when a request names none and its regime implies none. */
  defaultCountry: string;
  /** Time zone of "today" for received dates, pauses and due-within queries (IANA name). */
  timeZone: string;
  /** Months after closing before `purge` scrubs personal data (at least 24). */
  retentionMonths: number;
  policyTargets?: PolicyTargets;
  /** Write a fresh snapshot on {@link Register.close} once this many events were appended since the last. */
  snapshotEvery?: number;
}

/** Who makes a change and when; recorded in the audit event. */
export interface ChangeContext {
  actor: string;
  now: Date;
}

/** What a person enters for a new request; every field is validated by {@link Register.add}. */
export interface NewRequest {
  type: string;
  regime: string;
  /** YYYY-MM-DD, the day it arrived; may be before today, never after. */
  received: string;
  country?: string;
  region?: string;
  /** Absent when nobody gave one (a one-line intake with an address only); never guessed. */
  requesterName?: string;
  /**
   * How to reach the requester: at least one of email, phone number and postal address (a request
   * by post or phone may have no email). An appeal that gives none takes the original's.
   */
  requesterEmail?: string;
  requesterPhone?: string;
  /** A postal address; lines (of a form's multi-line field) are kept joined with ", ". */
  requesterAddress?: string;
  channel?: string;
  owner?: string;
  policyId?: string;
  note?: string;
  /** For an appeal (type `appeal`): the id of the request whose refusal is appealed. */
  appealOf?: string;
  /** LGPD: the controller is a small processing agent (Resolução CD/ANPD 2/2022): double time. */
  smallAgent?: boolean;
  /** LGPD art. 19, I: the data subject asked for the simplified format, due immediately. */
  simplified?: boolean;
  /**
   * A key of the draft or form this request is logged from: adding it again (another replica's
   * "yes", a retry after a crash) returns the request already logged with it, and logs nothing.
   */
  intakeKey?: string;
}

/** How an extension is taken where the law leaves its length or ground to the controller. */
export interface ExtendOptions {
  /** Days added to the first period: the date the controller named (Swiss), the days to convert (PIPEDA). */
  days?: number;
  /** PIPEDA s. 8(4)(b): to convert the information into an alternative format. */
  ground?: ExtensionGround;
}

export type { Requester };

/** `list` filters: statuses, plus `open`, `closed`, `overdue`, `extended` and `all`. */
export const STATUS_FILTERS = [...STATUSES, 'open', 'closed', 'overdue', 'extended', 'all'] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

export interface ListFilter {
  /** Any of these; default `open`. */
  status?: StatusFilter[];
  owner?: string;
  /** Running clocks due on or before today + N days (overdue ones included). */
  dueWithinDays?: number;
}

/** A stored requester record as a {@link Requester}: the contacts given, no empty ones. */
function requesterOf(data: PersonalData | undefined): Requester | null {
  if (data?.kind !== 'requester') return null;
  return {
    name: data.name,
    ...(data.email ? { email: data.email } : {}),
    ...(data.phone ? { phone: data.phone } : {}),
    ...(data.address ? { address: data.address } : {}),
  };
}

/** The contact of a requester as kept. */
function contactOf(r: Requester): Contact {
  return {
    ...(r.email ? { email: r.email } : {}),
    ...(r.phone ? { phone: r.phone } : {}),
    ...(r.address ? { address: r.address } : {}),
  };
}

/** The personal-data record of a requester: `email` stays a string ('' for none), as it always was. */
function requesterData(name: string, contact: Contact): PersonalData {
  return {
    kind: 'requester',
    name,
    email: contact.email ?? '',
    ...(contact.phone ? { phone: contact.phone } : {}),
    ...(contact.address ? { address: contact.address } : {}),
  };
}

/** One audit event with its free text resolved (null once purged or when there was none). */
export type TrailEntry = AuditEvent & { text: string | null };

export interface RequestDetail {
  request: RequestState;
  /** Null after purge. */
  requester: Requester | null;
  trail: TrailEntry[];
}

export interface VerifyReport {
  ok: boolean;
  events: number;
  requests: number;
  /** The hash of the last event (event `events`): record it elsewhere to notice a cut-off end later. */
  headHash: string;
  /** Every problem found, worst first in log order. */
  problems: string[];
  /** What to do about the problems, when there is something to do. */
  advice: string[];
  /** Personal-data records no event refers to (left by an interrupted write); `purge` deletes them. */
  orphans: number;
  /** With a recorded head to check against: where it is in the trail (null when it is not). */
  recordedHead?: { hash: string; at: number | null };
}

export interface VerifyOptions {
  /** A head hash recorded earlier (from `verify` or the daily digest): it must still be in the trail. */
  head?: string;
}

export interface PurgeReport {
  dryRun: boolean;
  /** Requests whose retention ended and that were (or would be) purged. */
  due: string[];
  /** Personal-data records deleted, including leftovers of earlier interrupted purges. */
  recordsDeleted: number;
  /** Of those, records no request referred to (left by an interrupted write); only when there were any. */
  orphansDeleted?: number;
}

/** How old a personal-data record nothing refers to must be before `purge` deletes it. */
const ORPHAN_GRACE_MS = 60 * 60_000;

/** The key of a log position in the store, for messages that send an operator to a backup. */
function logKeyOf(seq: number): string {
  return `log:${String(seq).padStart(12, '0')}`;
}

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

/** What an operator does about a damaged event. */
function recoveryAdvice(seq: number): string {
  return `Restore event ${seq} (store key ${logKeyOf(seq)}) from a backup of the store, then run \`privacy-ops requests verify\` again; until then requests can be listed and shown as they were before that event, but nothing can be changed.`;
}

/** A personal-data record as the store keeps it, under its salted digest. */
type PersonalEntry = { ref: string; record: unknown };

const FIRST_BATCH = 32;
const MAX_BATCH = 1000;
const MAX_ATTEMPTS = 200;
const APPEND_CHUNK = 500;
const SNAPSHOT_PART = 5_000;

export class Register {
  private readonly requests = new Map<string, RequestState>();
  /** The request logged from each draft or form key ({@link NewRequest.intakeKey}). */
  private readonly byIntakeKey = new Map<string, string>();
  private readonly lastNumber = new Map<number, number>();
  private head = 0;
  private headHash = GENESIS_HASH;
  private snapshotAt = 0;
  /** Set when the log holds an event that does not link to its predecessor; writes stop then. */
  private damage: string | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private lostRaces = 0;
  private readonly deadlineSets = new Map<string, StoredDeadlineSet>();

  private constructor(
    private readonly store: RegisterStore,
    private readonly options: RegisterOptions,
  ) {}

  /** Loads the projection: the snapshot when it matches the log, then the events after it. */
  static async open(store: RegisterStore, options: RegisterOptions): Promise<Register> {
    const register = new Register(store, options);
    await register.load();
    return register;
  }

  /** Appends this instance lost to another writer and retried; for tests and the bench. */
  get conflicts(): number {
    return this.lostRaces;
  }

  /** Position and hash of the last event seen: the head an operator records (the digest shows it). */
  get position(): { seq: number; hash: string } {
    return { seq: this.head, hash: this.headHash };
  }

  /** Why the trail cannot be written to (a damaged event), or undefined when it is sound. */
  get damaged(): string | undefined {
    return this.damage;
  }

  private async load(): Promise<void> {
    const header = snapshotHeaderSchema.safeParse(await this.store.getSnapshotHeader());
    // A snapshot that fails any check is ignored: it is derived data and the log is the truth.
    if (header.success && (await this.snapshotMatchesLog(header.data))) {
      const requests = await this.readSnapshot(header.data);
      if (requests) {
        for (const request of requests) this.remember(request);
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
    for (const raw of await this.store.getSnapshotParts(header.parts)) {
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
  private intern(request: RequestState): RequestState {
    const key = JSON.stringify(request.deadlines);
    const shared = this.deadlineSets.get(key);
    if (shared) request.deadlines = shared;
    else this.deadlineSets.set(key, request.deadlines);
    return request;
  }

  private remember(request: RequestState): void {
    this.requests.set(request.id, this.intern(request));
    if (request.intakeKey) this.byIntakeKey.set(request.intakeKey, request.id);
    const parts = parseRequestId(request.id);
    if (parts && parts.number > (this.lastNumber.get(parts.year) ?? 0))
      this.lastNumber.set(parts.year, parts.number);
  }

  /**
   * Runs `fn` after every earlier call of this instance: reading the log and appending to it
   * must not interleave within one process, or an event could be folded in twice.
   */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
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
  private commit(
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

  private find(id: string): RequestState {
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

  /**
   * The request an appeal is linked to: an appeal names the request whose refusal it appeals, that
   * request exists and is not itself an appeal, and the appeal cannot arrive before it. Only an
   * appeal takes the link.
   */
  private appealedRequest(type: string, appealOf: string | undefined, received: string): string | null {
    if (type !== 'appeal') {
      if (appealOf !== undefined) {
        throw new AppError(
          'INVALID_INPUT',
          `Only an appeal links to another request; this is a ${type} request.`,
        );
      }
      return null;
    }
    // An appeal of a refusal made before the register was kept (or elsewhere) has no request to
    // link to: it is logged on its own, with its own clock, and the requester's details given.
    if (appealOf === undefined) return null;
    const id = appealOf.trim().toUpperCase();
    const original = this.requests.get(id);
    if (!original) {
      throw new AppError('NOT_FOUND', `There is no request ${id} to appeal.`, { detail: { requestId: id } });
    }
    if (original.type === 'appeal') {
      throw new AppError(
        'INVALID_INPUT',
        `${id} is itself an appeal; link the appeal to the original request.`,
      );
    }
    if (received < original.received) {
      throw new AppError(
        'INVALID_INPUT',
        `An appeal cannot arrive (${received}) before the request it appeals (${id}, received ${original.received}).`,
      );
    }
    return id;
  }

  /** A policy id the corpus knows, when the register was given the corpus to check against. */
  private knownPolicy(policyId: string | null): string | null {
    const targets = this.options.policyTargets;
    if (policyId === null || !targets?.has || targets.has(policyId)) return policyId;
    const known = targets.ids?.().join(', ') ?? '';
    throw new AppError(
      'INVALID_INPUT',
      `There is no policy "${policyId.slice(0, 60)}" in the corpus${known ? `; known policies: ${known}` : ''}.`,
    );
  }

  private deadlinesFor(f: Omit<RequestFields, 'id' | 'deadlines' | 'requesterRef'>): StoredDeadlineSet {
    const policyTargetDays = f.policyId ? this.options.policyTargets?.responseDays(f.policyId) : undefined;
    const set = computeDeadlines({
      regime: f.regime,
      received: f.received,
      country: f.country,
      region: f.region ?? undefined,
      type: f.type,
      extended: f.extensions > 0,
      pausedDays: f.pausedDays,
      ...(f.clockStart ? { clockStart: f.clockStart } : {}),
      ...(f.terms?.smallAgent ? { smallAgent: true } : {}),
      ...(f.terms?.simplified ? { simplified: true } : {}),
      ...(f.extensions > 0 && f.terms?.extensionDays !== undefined
        ? { extensionDays: f.terms.extensionDays }
        : {}),
      ...(f.extensions > 0 && f.terms?.extensionGround ? { extensionGround: f.terms.extensionGround } : {}),
      policyTargetDays,
    });
    // A JSON round trip keeps exactly what the store will give back, so replays compare equal.
    return JSON.parse(JSON.stringify(set)) as StoredDeadlineSet;
  }

  /** Seals personal data into records keyed by salted digest; written with the events that use them. */
  private personalEntries(items: PersonalData[], now: Date): PersonalEntry[] {
    return items.map((data) => {
      const salt = newSalt();
      return { ref: personalRef(salt, data), record: { v: 1, salt, createdAt: now.toISOString(), data } };
    });
  }

  /** Validates a new request and computes its deadlines; throws before anything is written. */
  private prepare(input: NewRequest, now: Date) {
    const today = todayIn(now, this.options.timeZone);
    const type = parseRequestType(input.type);
    const regime = parseRegime(input.regime);
    const received = parseReceivedDate(input.received, today);
    const appealOf = this.appealedRequest(type, input.appealOf, received);
    const home = homeJurisdiction(regime, this.options.defaultCountry);
    const country = input.country
      ? parseCountry(input.country)
      : (home.country ?? this.options.defaultCountry);
    // A request from the regime's home country is counted on that country's home region's holidays.
    const region = input.region
      ? parseText(input.region, 'region', 10).toUpperCase()
      : country === home.country
        ? (home.region ?? null)
        : null;
    // No name is recorded as '' (the record's shape is unchanged); a name given must be one.
    const name = input.requesterName === undefined ? '' : parseText(input.requesterName, 'requester name');
    // An appeal may leave the contact out: {@link add} gives it the original's before this runs.
    const contact = parseContact(
      { email: input.requesterEmail, phone: input.requesterPhone, address: input.requesterAddress },
      appealOf !== null,
    );
    const optional = (value: string | undefined, what: string) =>
      value === undefined ? null : parseText(value, what, 100);
    const note = input.note === undefined ? undefined : parseText(input.note, 'note', 2000);
    const base = {
      type,
      regime,
      country,
      region,
      received,
      loggedAt: now.toISOString(),
      channel: optional(input.channel, 'intake channel'),
      owner: optional(input.owner, 'owner'),
      policyId: this.knownPolicy(optional(input.policyId, 'policy id')),
      status: 'received' as const,
      outcome: null,
      closedAt: null,
      statusBeforePause: null,
      pausedOn: null,
      pausedDays: 0,
      clockStart: null,
      extensions: 0,
      appealOf,
      // Absent unless given, so a request without LGPD terms is stored as before.
      ...(input.smallAgent || input.simplified ? { terms: termsOf(input) } : {}),
      ...(input.intakeKey === undefined ? {} : { intakeKey: parseText(input.intakeKey, 'intake key', 100) }),
      purged: false,
    };
    const deadlines = this.deadlinesFor(base);
    const personal: PersonalData[] = [requesterData(name, contact)];
    if (note) personal.push({ kind: 'text', text: note });
    return { base, deadlines, personal, year: Number(received.slice(0, 4)) };
  }

  private nextId(year: number, taken: Map<number, number>): string {
    const number = (taken.get(year) ?? this.lastNumber.get(year) ?? 0) + 1;
    taken.set(year, number);
    return formatRequestId(year, number);
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
    const { base, deadlines } = this.prepare(input, now);
    const { type, regime, country, region, received } = base;
    return { type, regime, country, region, received, deadlines };
  }

  /** Logs a new request. Its id is allocated in the same atomic append that records it. */
  async add(input: NewRequest, ctx: ChangeContext): Promise<RequestState> {
    const [event] = await this.addMany([input], ctx);
    return event!;
  }

  /**
   * An appeal that names no contact is from the requester of the request it appeals: their name
   * and contact are copied into the appeal's own record (never shared, so purging one leaves the
   * other). Anything else, or an appeal of a request that is not there, is left for `prepare`.
   */
  private async withAppealedRequester(input: NewRequest): Promise<NewRequest> {
    const given = [input.requesterEmail, input.requesterPhone, input.requesterAddress].some(
      (v) => v !== undefined && v.trim() !== '',
    );
    if (given || input.appealOf === undefined || input.type.trim().toLowerCase() !== 'appeal') return input;
    const id = input.appealOf.trim().toUpperCase();
    if (!this.requests.has(id)) return input;
    const original = (await this.show(id)).requester;
    if (!original) {
      throw new AppError(
        'INVALID_INPUT',
        `The requester details of ${id} were purged, so the appeal cannot take them: give the requester's email address, phone number or postal address.`,
      );
    }
    return {
      ...input,
      ...(input.requesterName === undefined && original.name ? { requesterName: original.name } : {}),
      ...(original.email ? { requesterEmail: original.email } : {}),
      ...(original.phone ? { requesterPhone: original.phone } : {}),
      ...(original.address ? { requesterAddress: original.address } : {}),
    };
  }

  /**
   * Logs many requests with one append per chunk: the bulk path for imports and the bench. Each
   * chunk is all-or-nothing; a crash keeps the chunks already acknowledged.
   */
  async addMany(inputs: NewRequest[], ctx: ChangeContext): Promise<RequestState[]> {
    if (inputs.some((input) => input.appealOf !== undefined)) {
      await this.refresh();
      inputs = await Promise.all(inputs.map((input) => this.withAppealedRequester(input)));
    }
    const prepared = inputs.map((input) => this.prepare(input, ctx.now));
    const added: RequestState[] = [];
    const withRefs = prepared.map((p) => {
      // Each request's personal data is written in the same append as its event: a crash leaves
      // both or neither, never a record that nothing refers to.
      const entries = this.personalEntries(p.personal, ctx.now);
      return { ...p, entries, requesterRef: entries[0]!.ref, textRef: entries[1]?.ref ?? null };
    });
    for (let start = 0; start < withRefs.length; start += APPEND_CHUNK) {
      const chunk = withRefs.slice(start, start + APPEND_CHUNK);
      let fresh = chunk;
      const events = await this.commit(
        () => {
          // A draft logged already (by another replica, or before a crash) is not logged again:
          // checked against the latest log on every attempt, so two replicas cannot both log it.
          const keys = new Set<string>();
          fresh = chunk.filter((p) => {
            const key = p.base.intakeKey;
            if (!key) return true;
            if (this.byIntakeKey.has(key) || keys.has(key)) return false;
            keys.add(key);
            return true;
          });
          const taken = new Map<number, number>();
          return fresh.map((p) => {
            const id = this.nextId(p.year, taken);
            const after: RequestFields = {
              id,
              ...p.base,
              requesterRef: p.requesterRef,
              deadlines: p.deadlines,
            };
            return {
              requestId: id,
              at: ctx.now.toISOString(),
              actor: ctx.actor,
              action: 'created' as const,
              before: {},
              after,
              textRef: p.textRef,
            };
          });
        },
        () => fresh.flatMap((p) => p.entries),
      );
      let next = 0;
      for (const p of chunk) {
        const id = fresh.includes(p) ? events[next++]!.requestId : this.byIntakeKey.get(p.base.intakeKey!)!;
        added.push(this.requests.get(id)!);
      }
    }
    return added;
  }

  /**
   * One change to one request: `make` computes the changed fields from the current state (and
   * may refuse); it is checked once before any free text is written and again on every retry.
   */
  private async change(
    id: string,
    action: Exclude<Action, 'created'>,
    ctx: ChangeContext,
    make: (request: RequestState, today: string) => Partial<RequestFields>,
    text?: string,
  ): Promise<RequestState> {
    await this.refresh();
    const today = todayIn(ctx.now, this.options.timeZone);
    const requestId = this.find(id).id;
    let textRef: string | null = null;
    const build = (): PendingEvent[] => {
      const request = this.find(requestId);
      assertTransition(request, action);
      const after = make(request, today);
      const before = Object.fromEntries(
        Object.keys(after).map((k) => [k, request[k as keyof RequestFields]]),
      ) as Partial<RequestFields>;
      return [{ requestId, at: ctx.now.toISOString(), actor: ctx.actor, action, before, after, textRef }];
    };
    build();
    const personal =
      text === undefined
        ? []
        : this.personalEntries([{ kind: 'text', text: parseText(text, 'note', 2000) }], ctx.now);
    textRef = personal[0]?.ref ?? null;
    await this.commit(build, personal);
    return this.requests.get(requestId)!;
  }

  /** received -> identity-verified. */
  /**
   * received -> identity-verified. Under UK GDPR (art. 12A, inserted by the Data (Use and Access)
   * Act 2025) the clock then starts on the day the identity evidence arrived, taken as today (or
   * `evidenceOn` when given), so the deadline moves; other regimes keep counting from receipt.
   */
  async verifyIdentity(
    id: string,
    ctx: ChangeContext,
    note?: string,
    evidenceOn?: string,
  ): Promise<RequestState> {
    return this.change(
      id,
      'identity-verified',
      ctx,
      (request, today) => {
        if (request.regime !== 'uk-gdpr') return { status: 'identity-verified' };
        const on = evidenceOn ? parseReceivedDate(evidenceOn, today) : today;
        if (on < request.received) {
          throw new AppError(
            'INVALID_INPUT',
            `Identity evidence cannot arrive (${on}) before the request (${request.received}).`,
          );
        }
        const clockStart = on > request.received ? on : null;
        return {
          status: 'identity-verified',
          clockStart,
          deadlines: this.deadlinesFor({ ...request, clockStart }),
        };
      },
      note,
    );
  }

  /** received or identity-verified -> in-progress. */
  async start(id: string, ctx: ChangeContext, note?: string): Promise<RequestState> {
    return this.change(id, 'started', ctx, () => ({ status: 'in-progress' }), note);
  }

  async assign(id: string, owner: string, ctx: ChangeContext): Promise<RequestState> {
    const who = parseText(owner, 'owner', 100);
    return this.change(id, 'assigned', ctx, () => ({ owner: who }));
  }

  /**
   * Extends the response deadline, where the regime allows it and not more often than it allows.
   * `options` carries what the law leaves to the controller: the days of a Swiss extension (the
   * date it named, DPO art. 18(2)) or of a PIPEDA conversion to an alternative format (s. 8(4)(b)).
   */
  async extend(
    id: string,
    ctx: ChangeContext,
    reason?: string,
    options: ExtendOptions = {},
  ): Promise<RequestState> {
    return this.change(
      id,
      'extended',
      ctx,
      (request, today) => {
        const d = request.deadlines;
        if (!d.extendable || d.maxExtensions === 0) {
          throw new AppError(
            'CONFLICT',
            `The ${REGIME_LABELS[request.regime]} does not allow extending the deadline of ${request.id}; it stays due ${d.due} (${d.source}).`,
          );
        }
        if (request.extensions >= d.maxExtensions) {
          const times = d.maxExtensions === 1 ? 'once' : `${d.maxExtensions} times`;
          throw new AppError(
            'CONFLICT',
            `${request.id} was already extended; the ${REGIME_LABELS[request.regime]} allows extending only ${times}. It stays due ${d.due}.`,
          );
        }
        // Every regime here wants the extension announced within the original period (GDPR art.
        // 12(3), CCPA 11 CCR 7021(b), ...): once that has passed, an extension is no longer lawful.
        const notice = d.deadlines.find((x) => x.kind === 'extension-notice') ?? d;
        if (today > notice.due) {
          throw new AppError(
            'CONFLICT',
            `Too late to extend ${request.id}: the requester had to be told of an extension by ${notice.due} (${d.source}).`,
          );
        }
        // Only the Swiss DPO art. 18(2) and PIPEDA s. 8(4) leave the length to the controller.
        if (options.days !== undefined && request.regime !== 'swiss' && request.regime !== 'pipeda') {
          throw new AppError(
            'INVALID_INPUT',
            `The ${REGIME_LABELS[request.regime]} fixes the length of an extension; extend ${request.id} without days.`,
          );
        }
        const terms =
          options.days !== undefined || options.ground
            ? {
                ...(request.terms ?? {}),
                ...(options.days !== undefined ? { extensionDays: options.days } : {}),
                ...(options.ground ? { extensionGround: options.ground } : {}),
              }
            : (request.terms ?? null);
        const next = { ...request, extensions: request.extensions + 1, terms };
        const deadlines = this.deadlinesFor(next);
        return terms === (request.terms ?? null)
          ? { extensions: next.extensions, deadlines }
          : { extensions: next.extensions, terms, deadlines };
      },
      reason,
    );
  }

  /** Stops the clock, where the regime allows it. */
  async pause(id: string, ctx: ChangeContext, reason?: string): Promise<RequestState> {
    return this.change(
      id,
      'paused',
      ctx,
      (request, today) => {
        if (!request.deadlines.pausable) {
          throw new AppError(
            'CONFLICT',
            `The ${REGIME_LABELS[request.regime]} has no stop-the-clock rule, so ${request.id} cannot be paused; it stays due ${request.deadlines.due}.`,
          );
        }
        return { status: 'paused', statusBeforePause: request.status, pausedOn: today };
      },
      reason,
    );
  }

  /**
   * Records that the team is waiting on the requester (identity evidence, a clarification) under a
   * law that does not stop the clock: an audited note, the deadline unchanged. Where the law does
   * stop the clock, {@link pause} is the step to take.
   */
  async waitOnRequester(id: string, ctx: ChangeContext, reason?: string): Promise<RequestState> {
    return this.change(
      id,
      'waiting-started',
      ctx,
      (request, today) => {
        if (request.waitingSince)
          throw new AppError(
            'CONFLICT',
            `${request.id} is already recorded as waiting on the requester since ${request.waitingSince}.`,
          );
        return { waitingSince: today };
      },
      reason,
    );
  }

  /**
   * Adds a note to a request's audit trail: who wrote it and when, in the chain; its text (which
   * may name people) in the personal-data records, like every reason. No field changes.
   */
  /**
   * Puts right the day a request arrived, recomputing its deadlines from it; recorded as a
   * "received-changed" event with the old and new day. A day in the future, or before the request
   * an appeal appeals, is refused. A UK GDPR clock started by identity evidence keeps that start
   * unless the new day is later.
   */
  async changeReceived(id: string, received: string, ctx: ChangeContext): Promise<RequestState> {
    return this.change(id, 'received-changed', ctx, (request, today) => {
      const day = parseReceivedDate(received, today);
      if (request.appealOf) {
        const original = this.requests.get(request.appealOf);
        if (original && day < original.received)
          throw new AppError(
            'INVALID_INPUT',
            `An appeal cannot arrive (${day}) before the request it appeals (${original.id}, received ${original.received}).`,
          );
      }
      const clockStart = request.clockStart && request.clockStart > day ? request.clockStart : null;
      const next = { ...request, received: day, clockStart };
      return { received: day, clockStart, deadlines: this.deadlinesFor(next) };
    });
  }

  async note(id: string, ctx: ChangeContext, text: string): Promise<RequestState> {
    return this.change(id, 'noted', ctx, () => ({}), text);
  }

  /** Ends a wait recorded by {@link waitOnRequester}; the deadline was never moved, so it stays. */
  async endWait(id: string, ctx: ChangeContext, note?: string): Promise<RequestState> {
    return this.change(
      id,
      'waiting-ended',
      ctx,
      (request) => {
        if (!request.waitingSince)
          throw new AppError(
            'CONFLICT',
            `${request.id} is not on hold or waiting on the requester, so there is nothing to resume.`,
          );
        return { waitingSince: null };
      },
      note,
    );
  }

  /**
   * Puts a request on hold: the clock stops where the law stops it ({@link pause}); elsewhere the
   * wait on the requester is recorded and the deadline keeps running ({@link waitOnRequester}).
   * `clockStopped` says which.
   */
  async hold(
    id: string,
    ctx: ChangeContext,
    reason?: string,
  ): Promise<{ state: RequestState; clockStopped: boolean }> {
    if ((await this.get(id)).deadlines.pausable)
      return { state: await this.pause(id, ctx, reason), clockStopped: true };
    return { state: await this.waitOnRequester(id, ctx, reason), clockStopped: false };
  }

  /** Takes a request off hold: ends a recorded wait, or restarts a stopped clock ({@link resume}). */
  async release(
    id: string,
    ctx: ChangeContext,
    note?: string,
  ): Promise<{ state: RequestState; clockStopped: boolean }> {
    const request = await this.get(id);
    if (request.status !== 'paused' && request.waitingSince)
      return { state: await this.endWait(id, ctx, note), clockStopped: false };
    return { state: await this.resume(id, ctx), clockStopped: true };
  }

  /**
   * Restarts the clock; the deadline moves by the days it stood still. UK GDPR art. 12A excludes
   * the period beginning with the day clarification was asked for and ending with the day it
   * arrived, both days included (issue 14 point 3: one day more than the days between them).
   */
  async resume(id: string, ctx: ChangeContext): Promise<RequestState> {
    return this.change(id, 'resumed', ctx, (request, today) => {
      const pausedDays = request.pausedDays + stoppedDays(request.pausedOn ?? today, today);
      const next = { ...request, pausedDays };
      return {
        status: request.statusBeforePause ?? 'in-progress',
        statusBeforePause: null,
        pausedOn: null,
        pausedDays,
        deadlines: this.deadlinesFor(next),
      };
    });
  }

  /** Closes with an outcome; closing a closed request is refused (reopen first). */
  async closeRequest(id: string, outcome: string, ctx: ChangeContext, note?: string): Promise<RequestState> {
    const result = outcome.trim().toLowerCase() as Outcome;
    if (!OUTCOMES.includes(result)) {
      throw new AppError(
        'INVALID_INPUT',
        `"${outcome.slice(0, 30)}" is not an outcome; use one of: ${OUTCOMES.join(', ')}.`,
      );
    }
    return this.change(
      id,
      'closed',
      ctx,
      (request, today) => ({
        status: result,
        outcome: result,
        closedAt: ctx.now.toISOString(),
        statusBeforePause: null,
        pausedOn: null,
        waitingSince: null,
        pausedDays: request.pausedDays + (request.pausedOn ? stoppedDays(request.pausedOn, today) : 0),
      }),
      note,
    );
  }

  /** Closed -> in-progress, unless the request was purged. */
  async reopen(id: string, ctx: ChangeContext, note?: string): Promise<RequestState> {
    return this.change(
      id,
      'reopened',
      ctx,
      () => ({ status: 'in-progress', outcome: null, closedAt: null }),
      note,
    );
  }

  /**
   * Corrects the requester's name or email of a logged request (a typo found later). The new
   * details go into a new personal-data record, written in the same append as a
   * "requester-changed" event that records who changed it and when (never the values: they are
   * personal data); the record with the wrong details is then deleted, as nothing needs it.
   */
  async changeRequester(id: string, change: Partial<Requester>, ctx: ChangeContext): Promise<RequestState> {
    await this.refresh();
    const requestId = this.find(id).id;
    const current = (await this.show(requestId)).requester;
    if (!current) throw new AppError('CONFLICT', `${requestId} was purged; its requester cannot change.`);
    const name = change.name === undefined ? current.name : parseText(change.name, 'requester name');
    // Each contact given replaces the one kept; the others stay.
    const contact: Contact = {
      ...contactOf(current),
      ...parseContact({ email: change.email, phone: change.phone, address: change.address }, true),
    };
    const data = requesterData(name, contact);
    const same = JSON.stringify(requesterOf(data)) === JSON.stringify(current);
    if (same) return this.find(requestId);
    const [entry] = this.personalEntries([data], ctx.now);
    let old = '';
    await this.commit(() => {
      const request = this.find(requestId);
      assertTransition(request, 'requester-changed');
      old = request.requesterRef;
      return [
        {
          requestId,
          at: ctx.now.toISOString(),
          actor: ctx.actor,
          action: 'requester-changed' as const,
          before: { requesterRef: request.requesterRef },
          after: { requesterRef: entry!.ref },
          textRef: null,
        },
      ];
    }, [entry!]);
    // A crash before this leaves the old record as an orphan, which `purge` collects.
    if (old && old !== entry!.ref) await this.store.deletePersonal([old]);
    return this.find(requestId);
  }

  /** One request, fresh from the log. */
  async get(id: string): Promise<RequestState> {
    await this.refresh();
    return this.find(id);
  }

  /** A request with its requester and its audit trail, free text resolved. */
  async show(id: string): Promise<RequestDetail> {
    await this.refresh();
    const request = this.find(id);
    const trail = await this.trailOf(request);
    const refs = [request.requesterRef, ...trail.flatMap((e) => (e.textRef ? [e.textRef] : []))];
    const personal = await this.readPersonal([...new Set(refs)]);
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

  private async trailOf(request: RequestState): Promise<AuditEvent[]> {
    const raws = await this.store.readLogAt(request.events);
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

  /** Personal records by ref, parsed and checked against their digest; unusable ones are left out. */
  private async readPersonal(refs: string[]): Promise<Map<string, PersonalData>> {
    const found = new Map<string, PersonalData>();
    const raws = refs.length > 0 ? await this.store.getPersonal(refs) : [];
    raws.forEach((raw, i) => {
      const parsed = personalRecordSchema.safeParse(raw);
      const ref = refs[i]!;
      if (parsed.success && personalRef(parsed.data.salt, parsed.data.data) === ref)
        found.set(ref, parsed.data.data);
    });
    return found;
  }

  /** Requests matching the filter: by due date (running clocks first), then id. */
  async list(filter: ListFilter, now: Date): Promise<RequestState[]> {
    await this.refresh();
    const today = todayIn(now, this.options.timeZone);
    const statuses = new Set<StatusFilter>(
      filter.status && filter.status.length > 0 ? filter.status : ['open'],
    );
    const all = statuses.has('all');
    const horizon = filter.dueWithinDays === undefined ? undefined : addDays(today, filter.dueWithinDays);
    const owner = filter.owner?.trim().toLowerCase();
    // Sort on one precomputed string per match (due date, then id): 100,000 comparisons of
    // plain strings instead of property lookups in the comparator.
    const keyed: Array<{ key: string; request: RequestState }> = [];
    for (const r of this.requests.values()) {
      if (horizon !== undefined && !(r.status !== 'paused' && isOpen(r.status) && r.deadlines.due <= horizon))
        continue;
      if (owner !== undefined && r.owner?.toLowerCase() !== owner) continue;
      if (!all && !this.statusMatches(r, statuses, today)) continue;
      keyed.push({ key: `${isOpen(r.status) ? r.deadlines.due : '9999-99-99'}${r.id}`, request: r });
    }
    keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return keyed.map((k) => k.request);
  }

  private statusMatches(r: RequestState, statuses: Set<StatusFilter>, today: string): boolean {
    if (statuses.has(r.status)) return true;
    const open = isOpen(r.status);
    if (open && statuses.has('open')) return true;
    if (!open && statuses.has('closed')) return true;
    if (statuses.has('extended') && r.extensions > 0 && open) return true;
    return statuses.has('overdue') && open && r.status !== 'paused' && r.deadlines.due < today;
  }

  /** Requester name and contact of each request (null once purged), for an export that asks for them. */
  async requesters(requests: RequestState[]): Promise<Map<string, Requester | null>> {
    const result = new Map<string, Requester | null>();
    for (let i = 0; i < requests.length; i += MAX_BATCH) {
      const chunk = requests.slice(i, i + MAX_BATCH);
      const personal = await this.readPersonal(chunk.map((r) => r.requesterRef));
      for (const r of chunk) {
        const data = personal.get(r.requesterRef);
        result.set(r.id, requesterOf(data));
      }
    }
    return result;
  }

  /** Every request with its full trail, in id order, for export. */
  async exportAll(): Promise<{ requests: RequestState[]; events: AuditEvent[] }> {
    await this.refresh();
    const events: AuditEvent[] = [];
    for (let from = 1; from <= this.head; from += MAX_BATCH) {
      const raws = await this.store.readLog(from, Math.min(MAX_BATCH, this.head - from + 1));
      for (const raw of raws) {
        const parsed = auditEventSchema.safeParse(raw);
        if (parsed.success) events.push(parsed.data);
      }
    }
    const requests = [...this.requests.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return { requests, events };
  }

  /**
   * Replays the whole log from the first event: every hash and link, every change against the
   * state it claims to start from, the lifecycle rules, the personal-data records, and the
   * projection this process works from. Writes nothing except dropping a snapshot found stale.
   */
  async verify(options: VerifyOptions = {}): Promise<VerifyReport> {
    const recorded = options.head === undefined ? undefined : parseHeadHash(options.head);
    const problems: string[] = [];
    const damaged: number[] = [];
    const states = new Map<string, RequestState>();
    const textRefs = new Map<string, string[]>();
    // Listed before the log is read: a record written with its event is then always matched.
    const storedRefs = await this.store.listPersonalRefs();
    let seq = 0;
    let previous: string | undefined = GENESIS_HASH;
    let recordedAt: number | null = recorded === GENESIS_HASH ? 0 : null;
    for (;;) {
      const raws = await this.store.readLog(seq + 1, MAX_BATCH);
      for (const raw of raws) {
        seq++;
        const found = this.checkEvent(raw, seq, previous, states, textRefs);
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
    const last = await this.store.lastLogSeq();
    if (last > seq) {
      problems.push(`the log has a hole after event ${seq}: events up to ${last} exist but are cut off`);
      damaged.push(seq + 1);
    }
    problems.push(...(await this.checkTail(seq, headHash, recorded, recordedAt)));
    problems.push(...(await this.checkPersonal(states, textRefs)));
    await this.refresh();
    // Only a sound trail can judge the projection; otherwise the difference is the damage itself.
    if (!this.damage && problems.length === 0) {
      const stale = [...states.values()].filter(
        (s) => canonicalJson(s) !== canonicalJson(this.requests.get(s.id)),
      );
      if (stale.length > 0 || states.size !== this.requests.size) {
        problems.push(
          `the snapshot disagrees with the trail for ${stale.length} request(s); it was dropped and will be rebuilt`,
        );
        await this.store.deleteSnapshot();
      }
    }
    // With a damaged event the references it held are unknown: nothing can be called an orphan then.
    const orphans = damaged.length > 0 ? 0 : this.orphansAmong(storedRefs, states, textRefs).length;
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

  /**
   * A cut-off end leaves a chain that links perfectly, so the tail is checked against heads
   * recorded elsewhere: one the operator gives (from an earlier `verify` or the daily digest), the
   * snapshot's (written at the head it had then) and the head this process has seen.
   */
  private async checkTail(
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
    const header = snapshotHeaderSchema.safeParse(await this.store.getSnapshotHeader());
    const snapshotAt = header.success ? header.data.upTo : 0;
    // Read the last position again: a writer may have appended (and snapshotted) since the scan.
    if (
      Math.max(snapshotAt, this.head) > seq &&
      (await this.store.lastLogSeq()) < Math.max(snapshotAt, this.head)
    ) {
      problems.push(
        snapshotAt > seq
          ? `the snapshot was taken at event ${snapshotAt}, but ${ends}: events were removed from its end`
          : `this process has seen event ${this.head}, but ${ends}: events were removed from its end`,
      );
    }
    return problems;
  }

  /** The stored personal-data refs that no request and no event refers to. */
  private orphansAmong(
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
  private checkEvent(
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
      states.set(event.requestId, this.intern(applyEvent(state, event)));
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
    if (event.textRef)
      textRefs.set(event.requestId, [...(textRefs.get(event.requestId) ?? []), event.textRef]);
    return problems;
  }

  private async checkPersonal(
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
      const raws = await this.store.getPersonal(chunk.map((w) => w.ref));
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

  /**
   * Scrubs the personal data of requests closed longer than the retention period. The "purged"
   * event is appended first, then the records are deleted: a crash in between leaves records that
   * the next run deletes, never a chain that refers to a purge that did not happen.
   */
  async purge(ctx: ChangeContext, options: { dryRun?: boolean } = {}): Promise<PurgeReport> {
    await this.refresh();
    const today = todayIn(ctx.now, this.options.timeZone);
    const expired = (r: RequestState) =>
      !r.purged &&
      !isOpen(r.status) &&
      r.closedAt !== null &&
      addMonths(r.closedAt.slice(0, 10), this.options.retentionMonths) <= today;
    const due = [...this.requests.values()].filter(expired).map((r) => r.id);
    if (options.dryRun) return { dryRun: true, due: due.sort(), recordsDeleted: 0 };
    const purgedNow: string[] = [];
    for (let start = 0; start < due.length; start += APPEND_CHUNK) {
      const ids = due.slice(start, start + APPEND_CHUNK);
      const events = await this.commit(() =>
        ids
          .map((id) => this.find(id))
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
    // Records no event refers to: left by an earlier version that wrote them before their event
    // and crashed in between. Only old ones, in case such a version is still running an add.
    const orphans = await this.collectableOrphans(ctx.now);
    if (orphans.length > 0) await this.store.deletePersonal(orphans);
    // Every purged request, not only today's: an earlier run may have stopped before deleting.
    let recordsDeleted = orphans.length;
    const purged = [...this.requests.values()].filter((r) => r.purged);
    for (let i = 0; i < purged.length; i += APPEND_CHUNK) {
      const chunk = purged.slice(i, i + APPEND_CHUNK);
      const trails = await Promise.all(chunk.map((r) => this.trailOf(r)));
      const refs = chunk.flatMap((r, j) => [
        r.requesterRef,
        ...trails[j]!.flatMap((e) => (e.textRef ? [e.textRef] : [])),
      ]);
      const present = (await this.store.getPersonal(refs)).map((raw, k) =>
        raw === undefined ? undefined : refs[k]!,
      );
      const leftover = present.filter((ref): ref is string => ref !== undefined);
      if (leftover.length > 0) await this.store.deletePersonal(leftover);
      recordsDeleted += leftover.length;
    }
    return {
      dryRun: false,
      due: purgedNow.sort(),
      recordsDeleted,
      ...(orphans.length > 0 ? { orphansDeleted: orphans.length } : {}),
    };
  }

  /** Personal-data records that no event refers to and that are older than {@link ORPHAN_GRACE_MS}. */
  private async collectableOrphans(now: Date): Promise<string[]> {
    // Listed before the log is read: a record written with its event is then always matched.
    const storedRefs = await this.store.listPersonalRefs();
    if (storedRefs.length === 0) return [];
    await this.refresh();
    // A damaged event hides what it refers to: collect nothing until the trail is sound again.
    if (this.damage || (await this.store.lastLogSeq()) !== this.head) return [];
    const used = new Set<string>();
    for (const r of this.requests.values()) used.add(r.requesterRef);
    for (let from = 1; from <= this.head; from += MAX_BATCH) {
      for (const raw of await this.store.readLog(from, Math.min(MAX_BATCH, this.head - from + 1))) {
        const ref = (raw as { textRef?: unknown } | null)?.textRef;
        if (typeof ref === 'string') used.add(ref);
      }
    }
    const candidates = storedRefs.filter((ref) => !used.has(ref));
    const orphans: string[] = [];
    for (let i = 0; i < candidates.length; i += MAX_BATCH) {
      const chunk = candidates.slice(i, i + MAX_BATCH);
      const raws = await this.store.getPersonal(chunk);
      chunk.forEach((ref, j) => {
        const created = Date.parse(String((raws[j] as { createdAt?: unknown } | undefined)?.createdAt ?? ''));
        // A record without a readable creation time cannot be an add in progress.
        if (Number.isNaN(created) || now.getTime() - created >= ORPHAN_GRACE_MS) orphans.push(ref);
      });
    }
    return orphans;
  }

  /** Writes the snapshot now: the projection at the current log position. */
  async snapshot(): Promise<void> {
    await this.exclusive(async () => {
      const requests = [...this.requests.values()];
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

/** Days a stopped clock excludes: from the day it stopped to the day it restarts, both included. */
function stoppedDays(from: string, to: string): number {
  return Math.max(0, daysBetween(from, to)) + 1;
}

/** The LGPD facts a new request gives, as stored terms. */
function termsOf(input: NewRequest): RequestTerms {
  return {
    ...(input.smallAgent ? { smallAgent: true } : {}),
    ...(input.simplified ? { simplified: true } : {}),
  };
}
