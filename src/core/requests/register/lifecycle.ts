import { AppError } from '../../errors.js';
import { computeDeadlines, REGIME_LABELS } from '../deadlines.js';
import { type Contact, daysBetween, parseContact, parseReceivedDate, parseText, todayIn } from '../input.js';
import {
  type Action,
  assertTransition,
  OUTCOMES,
  type Outcome,
  type PendingEvent,
  type Requester,
  type RequestFields,
  type RequestState,
  type StoredDeadlineSet,
} from '../model.js';
import type { RegisterLog } from './log.js';
import { show } from './queries.js';
import type { ChangeContext, ExtendOptions } from './types.js';
import { contactOf, personalEntries, requesterData, requesterOf } from './vault.js';

/** The lifecycle of a request: each step's rules, the deadline it moves, the event it records. */

export function deadlinesFor(
  log: RegisterLog,
  f: Omit<RequestFields, 'id' | 'deadlines' | 'requesterRef'>,
): StoredDeadlineSet {
  const policyTargetDays = f.policyId ? log.options.policyTargets?.responseDays(f.policyId) : undefined;
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

/**
 * One change to one request: `make` computes the changed fields from the current state (and
 * may refuse); it is checked once before any free text is written and again on every retry.
 */
export async function change(
  log: RegisterLog,
  id: string,
  action: Exclude<Action, 'created'>,
  ctx: ChangeContext,
  make: (request: RequestState, today: string) => Partial<RequestFields>,
  text?: string,
): Promise<RequestState> {
  await log.refresh();
  const today = todayIn(ctx.now, log.options.timeZone);
  const requestId = log.find(id).id;
  let textRef: string | null = null;
  const build = (): PendingEvent[] => {
    const request = log.find(requestId);
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
      : personalEntries([{ kind: 'text', text: parseText(text, 'note', 2000) }], ctx.now);
  textRef = personal[0]?.ref ?? null;
  await log.commit(build, personal);
  return log.requests.get(requestId)!;
}

/**
 * received -> identity-verified. Under UK GDPR (art. 12A, inserted by the Data (Use and Access)
 * Act 2025) the clock then starts on the day the identity evidence arrived, taken as today (or
 * `evidenceOn` when given), so the deadline moves; other regimes keep counting from receipt.
 */
export async function verifyIdentity(
  log: RegisterLog,
  id: string,
  ctx: ChangeContext,
  note?: string,
  evidenceOn?: string,
): Promise<RequestState> {
  return change(
    log,
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
        deadlines: deadlinesFor(log, { ...request, clockStart }),
      };
    },
    note,
  );
}

/** received or identity-verified -> in-progress. */
export async function start(
  log: RegisterLog,
  id: string,
  ctx: ChangeContext,
  note?: string,
): Promise<RequestState> {
  return change(log, id, 'started', ctx, () => ({ status: 'in-progress' }), note);
}

export async function assign(
  log: RegisterLog,
  id: string,
  owner: string,
  ctx: ChangeContext,
): Promise<RequestState> {
  const who = parseText(owner, 'owner', 100);
  return change(log, id, 'assigned', ctx, () => ({ owner: who }));
}

/**
 * Extends the response deadline, where the regime allows it and not more often than it allows.
 * `options` carries what the law leaves to the controller: the days of a Swiss extension (the
 * date it named, DPO art. 18(2)) or of a PIPEDA conversion to an alternative format (s. 8(4)(b)).
 */
export async function extend(
  log: RegisterLog,
  id: string,
  ctx: ChangeContext,
  reason?: string,
  options: ExtendOptions = {},
): Promise<RequestState> {
  return change(
    log,
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
      const deadlines = deadlinesFor(log, next);
      return terms === (request.terms ?? null)
        ? { extensions: next.extensions, deadlines }
        : { extensions: next.extensions, terms, deadlines };
    },
    reason,
  );
}

/** Closes with an outcome; closing a closed request is refused (reopen first). */
export async function closeRequest(
  log: RegisterLog,
  id: string,
  outcome: string,
  ctx: ChangeContext,
  note?: string,
): Promise<RequestState> {
  const result = outcome.trim().toLowerCase() as Outcome;
  if (!OUTCOMES.includes(result)) {
    throw new AppError(
      'INVALID_INPUT',
      `"${outcome.slice(0, 30)}" is not an outcome; use one of: ${OUTCOMES.join(', ')}.`,
    );
  }
  return change(
    log,
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
export async function reopen(
  log: RegisterLog,
  id: string,
  ctx: ChangeContext,
  note?: string,
): Promise<RequestState> {
  return change(
    log,
    id,
    'reopened',
    ctx,
    () => ({ status: 'in-progress', outcome: null, closedAt: null }),
    note,
  );
}

/**
 * Puts right the day a request arrived, recomputing its deadlines from it; recorded as a
 * "received-changed" event with the old and new day. A day in the future, or before the request
 * an appeal appeals, is refused. A UK GDPR clock started by identity evidence keeps that start
 * unless the new day is later.
 */
export async function changeReceived(
  log: RegisterLog,
  id: string,
  received: string,
  ctx: ChangeContext,
): Promise<RequestState> {
  return change(log, id, 'received-changed', ctx, (request, today) => {
    const day = parseReceivedDate(received, today);
    if (request.appealOf) {
      const original = log.requests.get(request.appealOf);
      if (original && day < original.received)
        throw new AppError(
          'INVALID_INPUT',
          `An appeal cannot arrive (${day}) before the request it appeals (${original.id}, received ${original.received}).`,
        );
    }
    const clockStart = request.clockStart && request.clockStart > day ? request.clockStart : null;
    const next = { ...request, received: day, clockStart };
    return { received: day, clockStart, deadlines: deadlinesFor(log, next) };
  });
}

/**
 * Adds a note to a request's audit trail: who wrote it and when, in the chain; its text (which
 * may name people) in the personal-data records, like every reason. No field changes.
 */
export async function note(
  log: RegisterLog,
  id: string,
  ctx: ChangeContext,
  text: string,
): Promise<RequestState> {
  return change(log, id, 'noted', ctx, () => ({}), text);
}

/**
 * Corrects the requester's name or email of a logged request (a typo found later). The new
 * details go into a new personal-data record, written in the same append as a
 * "requester-changed" event that records who changed it and when (never the values: they are
 * personal data); the record with the wrong details is then deleted, as nothing needs it.
 */
export async function changeRequester(
  log: RegisterLog,
  id: string,
  change: Partial<Requester>,
  ctx: ChangeContext,
): Promise<RequestState> {
  await log.refresh();
  const requestId = log.find(id).id;
  const current = (await show(log, requestId)).requester;
  if (!current) throw new AppError('CONFLICT', `${requestId} was purged; its requester cannot change.`);
  const name = change.name === undefined ? current.name : parseText(change.name, 'requester name');
  // Each contact given replaces the one kept; the others stay.
  const contact: Contact = {
    ...contactOf(current),
    ...parseContact({ email: change.email, phone: change.phone, address: change.address }, true),
  };
  const data = requesterData(name, contact);
  const same = JSON.stringify(requesterOf(data)) === JSON.stringify(current);
  if (same) return log.find(requestId);
  const [entry] = personalEntries([data], ctx.now);
  let old = '';
  await log.commit(() => {
    const request = log.find(requestId);
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
  if (old && old !== entry!.ref) await log.store.deletePersonal([old]);
  return log.find(requestId);
}

/** Days a stopped clock excludes: from the day it stopped to the day it restarts, both included. */
export function stoppedDays(from: string, to: string): number {
  return Math.max(0, daysBetween(from, to)) + 1;
}
