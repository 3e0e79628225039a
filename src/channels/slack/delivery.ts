import type { Audience, Reply } from '../../core/conversation/reply.js';
import { newReference, toAppError } from '../../core/errors.js';
import type { SlackContext } from './context.js';
import { slackErrorCode } from './directory.js';
import { SAFE_POST } from './notifier.js';
import { noticeMessage, type SlackMessage, section, textMessage } from './render.js';

/**
 * Delivery: where a rendered message goes. A thread or a DM (posted), only the asker
 * (ephemeral), the privacy channel (the core's notice), and what a person is told when a turn
 * failed. Rendering is render.ts; what is said is the core's.
 */

/** Logs a failure with a reference (no personal data) and returns what the user is told. */
export function failure(ctx: SlackContext, error: unknown, what: string): SlackMessage {
  const appError = toAppError(error);
  // A mistake the person can fix is said as it is; anything else gets a reference for the admin.
  if (!['INTERNAL', 'STORE', 'UPSTREAM', 'CONFIG'].includes(appError.code))
    return textMessage(appError.message);
  const reference = newReference();
  ctx.log.error(
    {
      code: appError.code,
      reference,
      what,
      slackError: slackErrorCode(error),
      stack: error instanceof Error ? error.stack?.split('\n').slice(1, 6).join('\n') : undefined,
    },
    'slack turn failed',
  );
  const message = `Sorry, something went wrong while ${what}. Try again in a moment; if it keeps happening, tell your admin and quote reference ${reference}.`;
  return {
    text: message,
    blocks: [section(`:warning: ${message}`)],
  };
}

/** Posts the core's notice (never personal data) to the privacy channel; failures only logged. */
export async function notice(ctx: SlackContext, reply: Reply): Promise<void> {
  if (!reply.notice || !ctx.notifier.hasPrivacyChannel) return;
  try {
    await ctx.notifier.toPrivacyChannel(noticeMessage(reply.notice));
  } catch (error) {
    ctx.log.warn(
      { slackError: slackErrorCode(error), requestId: reply.notice.requestId },
      'notice not posted',
    );
  }
}

/** Logs that telling the person about a failure failed too; nothing is left to tell them with. */
export function unreported(ctx: SlackContext): (error: unknown) => void {
  return (error: unknown) =>
    ctx.log.error({ slackError: slackErrorCode(error) }, 'could not report a failure');
}

/** Where a mention or a DM is answered: `post` for all who read there, `whisper` for the asker. */
export interface ThreadDelivery {
  post(message: SlackMessage): Promise<unknown>;
  whisper(message: SlackMessage): Promise<unknown>;
}

/**
 * Posts in the conversation (in the thread, when there is one). Only the asker sees a whisper:
 * refusals, errors, and buttons only they can press. chat.postEphemeral reaches only the one user
 * and only while they are in the channel (docs.slack.dev/reference/methods/chat.postEphemeral),
 * which is exactly what a refusal needs; in a DM a whisper is a post.
 */
export function threadDelivery(
  ctx: SlackContext,
  m: { user: string; channel: string; threadTs?: string },
  audience: Audience,
): ThreadDelivery {
  const thread = m.threadTs ? { thread_ts: m.threadTs } : {};
  const post = (message: SlackMessage) =>
    ctx.client.chat.postMessage({
      channel: m.channel,
      text: message.text,
      blocks: message.blocks,
      ...thread,
      ...SAFE_POST,
    });
  const whisper = (message: SlackMessage) =>
    audience === 'private'
      ? post(message)
      : ctx.client.chat.postEphemeral({
          channel: m.channel,
          user: m.user,
          text: message.text,
          blocks: message.blocks,
          ...thread,
          ...SAFE_POST,
        });
  return { post, whisper };
}

/** An ephemeral message through a response_url, beside the message it answers. */
export function ephemeral(message: SlackMessage, replaceOriginal = false): Record<string, unknown> {
  return {
    response_type: 'ephemeral',
    replace_original: replaceOriginal,
    text: message.text,
    blocks: message.blocks,
  };
}
