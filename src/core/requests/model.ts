import { z } from 'zod';
import { AppError } from '../errors.js';
import { EXTENSION_GROUNDS, REGIMES, REQUEST_TYPES } from './deadlines.js';

/**
 * The rights-request register's data model. A request's state is the fold of its audit events:
 * every event carries the fields it changed, before and after, so replaying the trail rebuilds
 * the state and proves that each change started from the state the writer saw.
 */

export const STATUSES = [
  'received',
  'identity-verified',
  'in-progress',
  'paused',
  'completed',
  'rejected',
  'withdrawn',
] as const;
export type Status = (typeof STATUSES)[number];

export const OUTCOMES = ['completed', 'rejected', 'withdrawn'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Statuses whose clock is (or may be) running; everything else is closed. */
export const OPEN_STATUSES: readonly Status[] = ['received', 'identity-verified', 'in-progress', 'paused'];

export const ACTIONS = [
  'created',
  'identity-verified',
  'started',
  'assigned',
  'extended',
  'paused',
  'resumed',
  'closed',
  'reopened',
  'purged',
  'requester-changed',
  /**
   * Waiting on the requester (identity evidence, a clarification) under a law with no
   * stop-the-clock rule: recorded so the team sees it, while the deadline keeps running.
   */
  'waiting-started',
  'waiting-ended',
  /** A note added to the trail ("note on 2: verified id via passport"): its text, no field changed. */
  'noted',
  /**
   * The day the request arrived put right (it was logged with the wrong one): the deadlines are
   * recomputed from the new day; the event keeps the old and the new day (dates, no personal data).
   */
  'received-changed',
] as const;
export type Action = (typeof ACTIONS)[number];

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** The deadline set kept on a request: the output of `computeDeadlines` at the last change. */
export const deadlineSetSchema = z.looseObject({
  due: isoDate,
  rule: z.string(),
  source: z.string(),
  deadlines: z.array(
    z.looseObject({
      kind: z.string(),
      due: isoDate,
      rule: z.string(),
      source: z.string(),
      binding: z.boolean(),
    }),
  ),
  extendable: z.boolean(),
  maxExtensions: z.number().int().min(0),
  pausable: z.boolean(),
});
export type StoredDeadlineSet = z.infer<typeof deadlineSetSchema>;

/** See `RequestFields.terms`. */
export const termsSchema = z.object({
  smallAgent: z.boolean().optional(),
  simplified: z.boolean().optional(),
  extensionDays: z.number().int().min(1).max(3650).optional(),
  extensionGround: z.enum(EXTENSION_GROUNDS).optional(),
});
export type RequestTerms = z.infer<typeof termsSchema>;

/**
 * The fields of a request that events change. Absent values are `null` rather than missing so that
 * an event's `after` can clear a field (reopening clears the outcome) and JSON keeps that.
 * No personal data: the requester is referenced by a salted digest of a separately stored record.
 */
export const requestFieldsSchema = z.object({
  id: z.string().regex(/^DSR-\d{4}-\d{4,}$/),
  type: z.enum(REQUEST_TYPES),
  regime: z.enum(REGIMES),
  country: z.string().regex(/^[A-Z]{2}$/),
  region: z.string().nullable(),
  /** The day the request reached the organisation: the clock starts here, not when it was logged. */
  received: isoDate,
  loggedAt: z.string(),
  channel: z.string().nullable(),
  owner: z.string().nullable(),
  policyId: z.string().nullable(),
  /** Digest referencing the personal-data record of the requester (name and contact). */
  requesterRef: z.string(),
  status: z.enum(STATUSES),
  outcome: z.enum(OUTCOMES).nullable(),
  closedAt: z.string().nullable(),
  statusBeforePause: z.enum(STATUSES).nullable(),
  /** Day the clock stopped, while paused. */
  pausedOn: isoDate.nullable(),
  /** Whole days the clock stood still over all finished pauses. */
  pausedDays: z.number().int().min(0),
  /**
   * UK GDPR art. 12A: when the controller needed identity evidence, the clock starts when it
   * arrives, not on receipt. Null means the clock started on receipt.
   */
  clockStart: isoDate.nullable().optional(),
  /**
   * The day the team started waiting on the requester where the law does not stop the clock (EU
   * GDPR and others): a note for the team only; the deadline does not move. Null when not waiting.
   */
  waitingSince: isoDate.nullable().optional(),
  extensions: z.number().int().min(0),
  /**
   * For an appeal (type `appeal`): the request whose refusal is appealed. The appeal is a request of
   * its own, with its own clock and trail; null (or absent in older events) otherwise.
   */
  appealOf: z
    .string()
    .regex(/^DSR-\d{4}-\d{4,}$/)
    .nullable()
    .optional(),
  /**
   * Facts of the request that change how the law counts (issue 14 point 4): an LGPD small
   * processing agent (double time) or simplified reply (immediately), and the length and ground of
   * an extension the law leaves to the controller (Swiss DPO art. 18(2), PIPEDA s. 8(4)(b)). Null or
   * absent (older events) when none apply.
   */
  terms: termsSchema.nullable().optional(),
  /**
   * The draft (or form) a request was logged from, a random key: a second "yes" to the same draft,
   * on any replica or after a restart, finds this request instead of logging another. Null (or
   * absent in older events) when it was logged some other way.
   */
  intakeKey: z.string().max(100).nullable().optional(),
  deadlines: deadlineSetSchema,
  /** True once `purge` deleted the personal data; the anonymous facts stay. */
  purged: z.boolean(),
});
export type RequestFields = z.infer<typeof requestFieldsSchema>;

/** A request as the register keeps it in memory: its fields plus where its events are. */
export const requestStateSchema = requestFieldsSchema.extend({
  /** Log positions of this request's events, oldest first. */
  events: z.array(z.number().int().positive()),
  updatedAt: z.string(),
});
export type RequestState = z.infer<typeof requestStateSchema>;

export const GENESIS_HASH = '0'.repeat(64);

/**
 * One audit event as stored (shape version 1). `hash` is the SHA-256 of the canonical JSON of all
 * other fields, `prevHash` included, so each event seals its predecessor: editing or removing an
 * event in the middle breaks every later link.
 */
export const auditEventSchema = z.object({
  v: z.literal(1),
  /** Position in the register-wide log, from 1, without gaps. */
  seq: z.number().int().positive(),
  requestId: z.string(),
  at: z.string(),
  actor: z.string(),
  action: z.enum(ACTIONS),
  before: requestFieldsSchema.partial(),
  after: requestFieldsSchema.partial(),
  /** Digest of a free-text record (reason, note): free text may name people, so it lives outside. */
  textRef: z.string().nullable(),
  prevHash: z.string().regex(/^[0-9a-f]{64}$/),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
});
export type AuditEvent = z.infer<typeof auditEventSchema>;

/** An event before it is placed in the log: the chain fields are filled in by the writer. */
export type PendingEvent = Omit<AuditEvent, 'v' | 'seq' | 'prevHash' | 'hash'>;

/** A personal-data record, kept apart from the chain so purging it leaves the chain valid. */
export const personalRecordSchema = z.object({
  v: z.literal(1),
  salt: z.string(),
  createdAt: z.string(),
  data: z.discriminatedUnion('kind', [
    // `email` is '' when the requester gave none (a request by post or phone); `phone` and
    // `address` are absent in records written before they could be given.
    z.object({
      kind: z.literal('requester'),
      name: z.string(),
      email: z.string(),
      phone: z.string().optional(),
      address: z.string().optional(),
    }),
    z.object({ kind: z.literal('text'), text: z.string() }),
  ]),
});
export type PersonalRecord = z.infer<typeof personalRecordSchema>;

/** The requester as the register gives them out: a name ('' when none was given) and the contact. */
export interface Requester {
  name: string;
  email?: string;
  phone?: string;
  /** A postal address, its lines joined with ", ". */
  address?: string;
}
export type PersonalData = PersonalRecord['data'];

/**
 * The derived snapshot of every request at log position `upTo`, so a process starts without
 * replaying the whole log. It is stored in parts of a few thousand requests (no single huge value),
 * each request as a compact row and each distinct deadline set once per part. `id` ties the parts
 * to their header: parts from another, concurrent snapshot are noticed and the snapshot ignored.
 */
export const snapshotHeaderSchema = z.object({
  v: z.literal(2),
  id: z.string(),
  upTo: z.number().int().min(0),
  headHash: z.string(),
  parts: z.number().int().min(0),
  count: z.number().int().min(0),
});
export type SnapshotHeader = z.infer<typeof snapshotHeaderSchema>;

const nullableString = z.string().nullable();

/** A request as a snapshot row; `deadlines` is an index into the part's `deadlineSets`. */
export const snapshotRowSchema = z.tuple([
  requestFieldsSchema.shape.id,
  requestFieldsSchema.shape.type,
  requestFieldsSchema.shape.regime,
  z.string(), // country
  nullableString, // region
  isoDate, // received
  z.string(), // loggedAt
  nullableString, // channel
  nullableString, // owner
  nullableString, // policyId
  z.string(), // requesterRef
  requestFieldsSchema.shape.status,
  requestFieldsSchema.shape.outcome,
  nullableString, // closedAt
  requestFieldsSchema.shape.statusBeforePause,
  isoDate.nullable(), // pausedOn
  z.number().int().min(0), // pausedDays
  z.number().int().min(0), // extensions
  z.number().int().min(0), // deadlines (index)
  z.boolean(), // purged
  z.array(z.number().int().positive()), // events
  z.string(), // updatedAt
  isoDate.nullable().optional(), // clockStart (UK GDPR art. 12A); absent in older snapshots
  isoDate.nullable().optional(), // waitingSince; absent in older snapshots
  nullableString.optional(), // appealOf; absent in older snapshots
  termsSchema.nullable().optional(), // terms; absent in older snapshots
  nullableString.optional(), // intakeKey; absent in older snapshots
]);
export type SnapshotRow = z.infer<typeof snapshotRowSchema>;

export const snapshotPartSchema = z.object({
  v: z.literal(2),
  id: z.string(),
  deadlineSets: z.array(deadlineSetSchema),
  rows: z.array(snapshotRowSchema),
});
export type SnapshotPart = z.infer<typeof snapshotPartSchema>;

/** Packs requests into one snapshot part. */
export function toSnapshotPart(id: string, requests: RequestState[]): SnapshotPart {
  const index = new Map<StoredDeadlineSet, number>();
  const deadlineSets: StoredDeadlineSet[] = [];
  const rows = requests.map((r): SnapshotRow => {
    let i = index.get(r.deadlines);
    if (i === undefined) {
      i = deadlineSets.push(r.deadlines) - 1;
      index.set(r.deadlines, i);
    }
    return [
      r.id,
      r.type,
      r.regime,
      r.country,
      r.region,
      r.received,
      r.loggedAt,
      r.channel,
      r.owner,
      r.policyId,
      r.requesterRef,
      r.status,
      r.outcome,
      r.closedAt,
      r.statusBeforePause,
      r.pausedOn,
      r.pausedDays,
      r.extensions,
      i,
      r.purged,
      r.events,
      r.updatedAt,
      r.clockStart,
      r.waitingSince,
      r.appealOf,
      r.terms ?? null,
      r.intakeKey,
    ];
  });
  return { v: 2, id, deadlineSets, rows };
}

/** Unpacks a snapshot part; throws when a row points at a deadline set the part lacks. */
export function fromSnapshotPart(part: SnapshotPart): RequestState[] {
  return part.rows.map((row) => {
    const [id, type, regime, country, region, received, loggedAt, channel, owner, policyId, requesterRef] =
      row;
    const [
      ,
      ,
      ,
      ,
      ,
      ,
      ,
      ,
      ,
      ,
      ,
      status,
      outcome,
      closedAt,
      statusBeforePause,
      pausedOn,
      pausedDays,
      extensions,
    ] = row;
    const deadlines = part.deadlineSets[row[18]];
    if (!deadlines) throw new Error(`snapshot row ${id} points at a missing deadline set`);
    const fields: RequestFields = {
      id,
      type,
      regime,
      country,
      region,
      received,
      loggedAt,
      channel,
      owner,
      policyId,
      requesterRef,
      status,
      outcome,
      closedAt,
      statusBeforePause,
      pausedOn,
      pausedDays,
      extensions,
      deadlines,
      purged: row[19],
      clockStart: row[22] ?? null,
      waitingSince: row[23] ?? null,
      appealOf: row[24] ?? null,
      // Absent rather than null, as a request replayed from events without terms has none.
      ...(row[25] ? { terms: row[25] } : {}),
      intakeKey: row[26] ?? null,
    };
    return makeState(fields, row[20], row[21]);
  });
}

export function isOpen(status: Status): boolean {
  return (
    status === 'received' || status === 'identity-verified' || status === 'in-progress' || status === 'paused'
  );
}

/** Which statuses each action may start from; `closed`'s target is the outcome. */
export const ALLOWED_FROM: Record<Exclude<Action, 'created'>, readonly Status[]> = {
  'identity-verified': ['received'],
  // CCPA opt-outs need no identity verification (11 CCR 7026), so work may start straight away.
  started: ['received', 'identity-verified'],
  assigned: OPEN_STATUSES,
  extended: ['received', 'identity-verified', 'in-progress'],
  paused: ['received', 'identity-verified', 'in-progress'],
  resumed: ['paused'],
  closed: OPEN_STATUSES,
  reopened: ['completed', 'rejected', 'withdrawn'],
  purged: ['completed', 'rejected', 'withdrawn'],
  // A wrongly typed name or address may be put right at any point before the purge.
  'requester-changed': STATUSES,
  'waiting-started': ['received', 'identity-verified', 'in-progress'],
  'waiting-ended': ['received', 'identity-verified', 'in-progress'],
  // What was done or said about a request may be noted at any point before the purge.
  noted: STATUSES,
  // Only while the clock runs: a closed request's deadline no longer matters.
  'received-changed': OPEN_STATUSES,
};

const VERB: Record<Exclude<Action, 'created'>, string> = {
  'identity-verified': 'have its identity verified',
  started: 'be started',
  assigned: 'be assigned',
  extended: 'be extended',
  paused: 'be paused',
  resumed: 'be resumed',
  closed: 'be closed',
  reopened: 'be reopened',
  purged: 'be purged',
  'requester-changed': 'have its requester changed',
  'waiting-started': 'be put on hold',
  'waiting-ended': 'come off hold',
  noted: 'have a note added',
  'received-changed': 'have its received date changed',
};

/** A status in the words a privacy officer uses. */
const STATUS_WORDS: Record<Status, string> = {
  received: 'received and not started',
  'identity-verified': 'verified and not started',
  'in-progress': 'in progress',
  paused: 'on hold',
  completed: 'closed as completed',
  rejected: 'closed as rejected',
  withdrawn: 'closed as withdrawn',
};

/** Refuses an action the lifecycle does not allow from the request's current status. */
export function assertTransition(request: RequestFields, action: Exclude<Action, 'created'>): void {
  if (request.purged && action !== 'purged') {
    throw new AppError(
      'CONFLICT',
      `${request.id} was purged after its retention period; it can no longer change.`,
    );
  }
  if (ALLOWED_FROM[action].includes(request.status)) return;
  if (action === 'closed') {
    throw new AppError(
      'CONFLICT',
      `${request.id} is already closed (${request.status}); reopen it first to change the outcome.`,
    );
  }
  if (action === 'purged' && request.purged) {
    throw new AppError('CONFLICT', `${request.id} was already purged.`);
  }
  if (action === 'resumed')
    throw new AppError(
      'CONFLICT',
      `${request.id} is not on hold (it is ${STATUS_WORDS[request.status]}), so there is nothing to resume.`,
    );
  const allowed = ALLOWED_FROM[action].map((s) => STATUS_WORDS[s]).join(' or ');
  throw new AppError(
    'CONFLICT',
    `${request.id} is ${STATUS_WORDS[request.status]}, so it cannot ${VERB[action]}; that is only possible while it is ${allowed}.`,
  );
}

/**
 * Builds a state object with every property in one fixed order, so all requests share one V8
 * hidden class: scanning 100,000 of them for `list` is then a fast, monomorphic loop (spread
 * objects of varying key order made it several times slower).
 */
export function makeState(f: RequestFields, events: number[], updatedAt: string): RequestState {
  return {
    id: f.id,
    type: f.type,
    regime: f.regime,
    country: f.country,
    region: f.region,
    received: f.received,
    loggedAt: f.loggedAt,
    channel: f.channel,
    owner: f.owner,
    policyId: f.policyId,
    requesterRef: f.requesterRef,
    status: f.status,
    outcome: f.outcome,
    closedAt: f.closedAt,
    statusBeforePause: f.statusBeforePause,
    pausedOn: f.pausedOn,
    pausedDays: f.pausedDays,
    clockStart: f.clockStart ?? null,
    waitingSince: f.waitingSince ?? null,
    extensions: f.extensions,
    appealOf: f.appealOf ?? null,
    intakeKey: f.intakeKey ?? null,
    deadlines: f.deadlines,
    purged: f.purged,
    events,
    updatedAt,
  };
}

/** Applies an event's changes: the fold step that rebuilds state from the trail. */
export function applyEvent(state: RequestState | undefined, event: AuditEvent): RequestState {
  if (event.action === 'created') {
    return makeState(requestFieldsSchema.parse(event.after), [event.seq], event.at);
  }
  if (!state) throw new Error(`event ${event.seq} changes ${event.requestId}, which has no "created" event`);
  return makeState({ ...state, ...event.after }, [...state.events, event.seq], event.at);
}

/** Splits `DSR-2026-0042` into its year and number. */
export function parseRequestId(id: string): { year: number; number: number } | undefined {
  const match = /^DSR-(\d{4})-(\d{4,})$/.exec(id);
  if (!match) return undefined;
  return { year: Number(match[1]), number: Number(match[2]) };
}

export function formatRequestId(year: number, number: number): string {
  return `DSR-${year}-${String(number).padStart(4, '0')}`;
}
