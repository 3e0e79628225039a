import { AppError } from '../../errors.js';
import { REGIME_LABELS } from '../deadlines.js';
import type { RequestState } from '../model.js';
import { change, deadlinesFor, stoppedDays } from './lifecycle.js';
import type { RegisterLog } from './log.js';
import { get } from './queries.js';
import type { ChangeContext } from './types.js';

/**
 * Holding a request: stopping and restarting the clock where the law stops it, recording a wait
 * on the requester where it does not.
 */

/** Stops the clock, where the regime allows it. */
export async function pause(
  log: RegisterLog,
  id: string,
  ctx: ChangeContext,
  reason?: string,
): Promise<RequestState> {
  return change(
    log,
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
export async function waitOnRequester(
  log: RegisterLog,
  id: string,
  ctx: ChangeContext,
  reason?: string,
): Promise<RequestState> {
  return change(
    log,
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

/** Ends a wait recorded by {@link waitOnRequester}; the deadline was never moved, so it stays. */
export async function endWait(
  log: RegisterLog,
  id: string,
  ctx: ChangeContext,
  note?: string,
): Promise<RequestState> {
  return change(
    log,
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
export async function hold(
  log: RegisterLog,
  id: string,
  ctx: ChangeContext,
  reason?: string,
): Promise<{ state: RequestState; clockStopped: boolean }> {
  if ((await get(log, id)).deadlines.pausable)
    return { state: await pause(log, id, ctx, reason), clockStopped: true };
  return { state: await waitOnRequester(log, id, ctx, reason), clockStopped: false };
}

/** Takes a request off hold: ends a recorded wait, or restarts a stopped clock ({@link resume}). */
export async function release(
  log: RegisterLog,
  id: string,
  ctx: ChangeContext,
  note?: string,
): Promise<{ state: RequestState; clockStopped: boolean }> {
  const request = await get(log, id);
  if (request.status !== 'paused' && request.waitingSince)
    return { state: await endWait(log, id, ctx, note), clockStopped: false };
  return { state: await resume(log, id, ctx), clockStopped: true };
}

/**
 * Restarts the clock; the deadline moves by the days it stood still. UK GDPR art. 12A excludes
 * the period beginning with the day clarification was asked for and ending with the day it
 * arrived, both days included (issue 14 point 3: one day more than the days between them).
 */
export async function resume(log: RegisterLog, id: string, ctx: ChangeContext): Promise<RequestState> {
  return change(log, id, 'resumed', ctx, (request, today) => {
    const pausedDays = request.pausedDays + stoppedDays(request.pausedOn ?? today, today);
    const next = { ...request, pausedDays };
    return {
      status: request.statusBeforePause ?? 'in-progress',
      statusBeforePause: null,
      pausedOn: null,
      pausedDays,
      deadlines: deadlinesFor(log, next),
    };
  });
}
