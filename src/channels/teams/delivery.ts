import type { Audience, Reply } from '../../core/conversation/reply.js';
import type { TurnHandle } from './bot-framework.js';
import { textCard } from './cards.js';
import { type TeamsContext, within } from './context.js';
import { cardMessage, replyMessage, STILL_WORKING, textReply } from './render.js';

/**
 * Delivery: a reply in the turn when it is quick, else "still working" now and the reply later as
 * a proactive message into the same conversation; the core's notice to the privacy channel.
 * Rendering is render.ts and cards.ts; what is said is the core's.
 */

/**
 * Runs `work` and delivers its reply in this turn when it is quick; otherwise says "still
 * working" now and delivers the reply proactively into the same conversation when it is done.
 */
export async function replyTo(
  ctx: TeamsContext,
  turn: TurnHandle,
  audience: Audience,
  tz: string,
  work: () => Promise<Reply>,
): Promise<void> {
  const pending = work();
  const quick = await within(ctx, pending);
  if (quick) return deliver(ctx, turn, quick.reply, audience, tz);
  await turn.send(cardMessage(textCard(STILL_WORKING)));
  deliverLate(ctx, turn, pending, audience, tz, true);
}

/**
 * Delivers a reply that outlived its turn. The turn context is revoked when the HTTP request
 * ends; the conversation reference outlives it.
 */
export function deliverLate(
  ctx: TeamsContext,
  turn: TurnHandle,
  pending: Promise<Reply>,
  audience: Audience,
  tz: string,
  withNotice: boolean,
): void {
  const reference = turn.reference();
  ctx.track(
    pending
      .then((reply) => ctx.options.transport.send(reference, replyMessage(reply, audience, tz)))
      .then(() => (withNotice ? notice(ctx, pending, audience) : undefined))
      .catch((error) => ctx.log.error({ err: error }, 'late Teams reply could not be delivered')),
  );
}

export async function deliver(
  ctx: TeamsContext,
  turn: TurnHandle,
  reply: Reply,
  audience: Audience,
  tz: string,
): Promise<void> {
  await turn.send(replyMessage(reply, audience, tz));
  await notice(ctx, Promise.resolve(reply), audience);
}

/** Posts the reply's notice (never personal data) to the privacy channel, unless it was said there. */
export async function notice(ctx: TeamsContext, reply: Promise<Reply>, audience: Audience): Promise<void> {
  const said = (await reply).notice;
  if (!said || audience === 'privacy-channel' || !ctx.options.privacyChannelId) return;
  ctx.track(
    ctx.notifier
      .sendToPrivacyChannel(textReply(said.text))
      .then((sent) => {
        if (!sent) ctx.log.warn('no conversation with the privacy channel yet: install the app in its team');
      })
      .catch((error) => ctx.log.error({ err: error }, 'privacy channel notice failed')),
  );
}
