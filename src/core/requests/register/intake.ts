import { AppError } from '../../errors.js';
import { homeJurisdiction } from '../deadlines.js';
import { todayIn } from '../input.js';
import {
  formatRequestId,
  type PersonalData,
  type RequestFields,
  type RequestState,
  type RequestTerms,
} from '../model.js';
import { parseNewRequest } from '../new-request.js';
import { deadlinesFor } from './lifecycle.js';
import { APPEND_CHUNK, type RegisterLog } from './log.js';
import { show } from './queries.js';
import type { ChangeContext, NewRequest } from './types.js';
import { personalEntries, requesterData } from './vault.js';

/** Logging new requests: validating what a person entered, computing deadlines, allocating ids. */

/**
 * The request an appeal is linked to: an appeal names the request whose refusal it appeals, that
 * request exists and is not itself an appeal, and the appeal cannot arrive before it. Only an
 * appeal takes the link.
 */
function appealedRequest(
  log: RegisterLog,
  type: string,
  appealOf: string | undefined,
  received: string,
): string | null {
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
  const original = log.requests.get(id);
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
function knownPolicy(log: RegisterLog, policyId: string | null): string | null {
  const targets = log.options.policyTargets;
  if (policyId === null || !targets?.has || targets.has(policyId)) return policyId;
  const known = targets.ids?.().join(', ') ?? '';
  throw new AppError(
    'INVALID_INPUT',
    `There is no policy "${policyId.slice(0, 60)}" in the corpus${known ? `; known policies: ${known}` : ''}.`,
  );
}

/** Validates a new request (with the one schema, `new-request.ts`) and computes its deadlines; throws before anything is written. */
function prepare(log: RegisterLog, raw: NewRequest, now: Date) {
  const today = todayIn(now, log.options.timeZone);
  const input = parseNewRequest(raw, today);
  const { type, regime, received } = input;
  const appealOf = appealedRequest(log, type, input.appealOf, received);
  const home = homeJurisdiction(regime, log.options.defaultCountry);
  const country = input.country ?? home.country ?? log.options.defaultCountry;
  // A request from the regime's home country is counted on that country's home region's holidays.
  const region = input.region ?? (country === home.country ? (home.region ?? null) : null);
  // No name is recorded as '' (the record's shape is unchanged).
  const name = input.requesterName ?? '';
  const contact = {
    ...(input.requesterEmail ? { email: input.requesterEmail } : {}),
    ...(input.requesterPhone ? { phone: input.requesterPhone } : {}),
    ...(input.requesterAddress ? { address: input.requesterAddress } : {}),
  };
  const note = input.note;
  const base = {
    type,
    regime,
    country,
    region,
    received,
    loggedAt: now.toISOString(),
    channel: input.channel ?? null,
    owner: input.owner ?? null,
    policyId: knownPolicy(log, input.policyId ?? null),
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
    ...(input.intakeKey === undefined ? {} : { intakeKey: input.intakeKey }),
    purged: false,
  };
  const deadlines = deadlinesFor(log, base);
  const personal: PersonalData[] = [requesterData(name, contact)];
  if (note) personal.push({ kind: 'text', text: note });
  return { base, deadlines, personal, year: Number(received.slice(0, 4)) };
}

function nextId(log: RegisterLog, year: number, taken: Map<number, number>): string {
  const number = (taken.get(year) ?? log.lastNumber.get(year) ?? 0) + 1;
  taken.set(year, number);
  return formatRequestId(year, number);
}

/**
 * What {@link add} would store for this input, without storing it: the validated fields and the
 * very deadline set it would keep. A confirmation shows this, so what is confirmed is what is
 * logged (issue 16: a CCPA opt-out was confirmed with 45 days and logged with 15 business days).
 */
export function preview(
  log: RegisterLog,
  input: NewRequest,
  now: Date,
): Pick<RequestFields, 'type' | 'regime' | 'country' | 'region' | 'received' | 'deadlines'> {
  const { base, deadlines } = prepare(log, input, now);
  const { type, regime, country, region, received } = base;
  return { type, regime, country, region, received, deadlines };
}

/** Logs a new request. Its id is allocated in the same atomic append that records it. */
export async function add(log: RegisterLog, input: NewRequest, ctx: ChangeContext): Promise<RequestState> {
  const [event] = await addMany(log, [input], ctx);
  return event!;
}

/**
 * An appeal that names no contact is from the requester of the request it appeals: their name
 * and contact are copied into the appeal's own record (never shared, so purging one leaves the
 * other). Anything else, or an appeal of a request that is not there, is left for `prepare`.
 */
async function withAppealedRequester(log: RegisterLog, input: NewRequest): Promise<NewRequest> {
  const given = [input.requesterEmail, input.requesterPhone, input.requesterAddress].some(
    (v) => v !== undefined && v.trim() !== '',
  );
  if (given || input.appealOf === undefined || input.type.trim().toLowerCase() !== 'appeal') return input;
  const id = input.appealOf.trim().toUpperCase();
  if (!log.requests.has(id)) return input;
  const original = (await show(log, id)).requester;
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
export async function addMany(
  log: RegisterLog,
  inputs: NewRequest[],
  ctx: ChangeContext,
): Promise<RequestState[]> {
  if (inputs.some((input) => input.appealOf !== undefined)) {
    await log.refresh();
    inputs = await Promise.all(inputs.map((input) => withAppealedRequester(log, input)));
  }
  const prepared = inputs.map((input) => prepare(log, input, ctx.now));
  const withRefs = prepared.map((p) => withPersonalEntries(p, ctx.now));
  const added: RequestState[] = [];
  for (let start = 0; start < withRefs.length; start += APPEND_CHUNK) {
    added.push(...(await appendChunk(log, withRefs.slice(start, start + APPEND_CHUNK), ctx)));
  }
  return added;
}

/** A prepared request with the personal-data records its event refers to. */
function withPersonalEntries(p: ReturnType<typeof prepare>, now: Date) {
  // Each request's personal data is written in the same append as its event: a crash leaves
  // both or neither, never a record that nothing refers to.
  const entries = personalEntries(p.personal, now);
  return { ...p, entries, requesterRef: entries[0]!.ref, textRef: entries[1]?.ref ?? null };
}

type ReadyRequest = ReturnType<typeof withPersonalEntries>;

/**
 * Logs one chunk in one all-or-nothing append, and returns each request's state: for a draft
 * logged already, the request it was logged as.
 */
async function appendChunk(
  log: RegisterLog,
  chunk: ReadyRequest[],
  ctx: ChangeContext,
): Promise<RequestState[]> {
  let fresh = chunk;
  const events = await log.commit(
    () => {
      // A draft logged already (by another replica, or before a crash) is not logged again:
      // checked against the latest log on every attempt, so two replicas cannot both log it.
      fresh = notLoggedYet(log, chunk);
      return createdEvents(log, fresh, ctx);
    },
    () => fresh.flatMap((p) => p.entries),
  );
  let next = 0;
  return chunk.map((p) => {
    const id = fresh.includes(p) ? events[next++]!.requestId : log.byIntakeKey.get(p.base.intakeKey!)!;
    return log.requests.get(id)!;
  });
}

/** The requests of a chunk whose intake key (if any) is in neither the log nor earlier in the chunk. */
function notLoggedYet(log: RegisterLog, chunk: ReadyRequest[]): ReadyRequest[] {
  const keys = new Set<string>();
  return chunk.filter((p) => {
    const key = p.base.intakeKey;
    if (!key) return true;
    if (log.byIntakeKey.has(key) || keys.has(key)) return false;
    keys.add(key);
    return true;
  });
}

/** The "created" events of requests about to be logged, each with the next free id of its year. */
function createdEvents(log: RegisterLog, fresh: ReadyRequest[], ctx: ChangeContext) {
  const taken = new Map<number, number>();
  return fresh.map((p) => {
    const id = nextId(log, p.year, taken);
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
}

/** The LGPD facts a new request gives, as stored terms. */
function termsOf(input: NewRequest): RequestTerms {
  return {
    ...(input.smallAgent ? { smallAgent: true } : {}),
    ...(input.simplified ? { simplified: true } : {}),
  };
}
