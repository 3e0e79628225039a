import type { Audience, Turn } from '../../core/conversation/reply.js';
import type { Logger } from '../../logger.js';
import { actorOf, audienceOf, type TeamsActivity } from './activity.js';
import type { TeamsChannelOptions } from './channel.js';
import type { TeamsNotifier } from './notifier.js';

/**
 * What the Teams channel's receiving, turns and delivery share: the channel's options and parts,
 * and the few services of its own (the clock, tracked work, who is asking and who reads).
 * TeamsChannel builds it; receiving.ts, turns.ts, references.ts and delivery.ts take it.
 */
export interface TeamsContext {
  readonly options: TeamsChannelOptions;
  readonly notifier: TeamsNotifier;
  readonly log: Logger;
  /** Entra object ids of the privacy team, lower case. */
  readonly privacyTeam: ReadonlySet<string>;
  /** The conversation references written last, by key, so an unchanged one is not written again. */
  readonly saved: Map<string, string>;
  now(): Date;
  /** Work that continues after the turn (a late reply, a notice), so stop() can wait for it. */
  track(work: Promise<void>): void;
}

/** Who asks, where the reply will be read, and when: a core turn without its text. */
export function turnOf(
  ctx: TeamsContext,
  activity: TeamsActivity,
): Omit<Turn, 'text'> & { audience: Audience } {
  return {
    actor: actorOf(activity, ctx.privacyTeam),
    audience: audienceOf(activity, ctx.options.privacyChannelId),
    now: ctx.now(),
  };
}

/** The time zone replies are written in for this turn: the actor's, else the default. */
export function timeZoneOf(ctx: TeamsContext, turn: Omit<Turn, 'text'>): string {
  return turn.actor.timeZone ?? ctx.options.defaultTimeZone;
}

/** Resolves with the reply, or with `undefined` once the channel's time for a turn has passed. */
export async function within<T>(ctx: TeamsContext, pending: Promise<T>): Promise<{ reply: T } | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ctx.options.replyWithinMs ?? 10_000);
  });
  try {
    return await Promise.race([pending.then((reply) => ({ reply })), late]);
  } finally {
    clearTimeout(timer);
  }
}
