import type { ExtensionGround } from '../deadlines.js';
import { type AuditEvent, type Requester, type RequestState, STATUSES } from '../model.js';

/** The register's public types: what callers pass in and what they get back. */

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
