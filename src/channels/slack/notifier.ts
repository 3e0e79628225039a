import type { webApi } from '@slack/bolt';
import type { Reply } from '../../core/conversation/reply.js';
import { renderReply, type SlackMessage, textMessage } from './render.js';

/**
 * Posts on the app's own initiative: a direct message to a person, or a message to the privacy
 * channel. Thin on purpose; the reminders loop decides what to say and when.
 */

/** Options on every post: Slack must not turn `@here`, `#chan` or URLs in the text into pings or links. */
export const SAFE_POST = {
  parse: 'none',
  link_names: false,
  unfurl_links: false,
  unfurl_media: false,
} as const;

type Message = SlackMessage | Reply | string;

function toSlack(message: Message): SlackMessage {
  if (typeof message === 'string') return textMessage(message);
  if ('personal' in message) return renderReply(message, { mentions: false });
  return message;
}

export interface Posted {
  channel: string;
  ts: string;
}

export class SlackNotifier {
  constructor(
    private readonly client: webApi.WebClient,
    private readonly privacyChannel?: string,
  ) {}

  /** True when SLACK_PRIVACY_CHANNEL is set. */
  get hasPrivacyChannel(): boolean {
    return Boolean(this.privacyChannel);
  }

  /** A direct message from the app to one user (conversations.open, then chat.postMessage). */
  async dm(userId: string, message: Message): Promise<Posted> {
    // Posting to a user id directly works too, but only conversations.open returns the DM's
    // channel id, which later updates and threads need.
    const opened = await this.client.conversations.open({ users: userId });
    const channel = opened.channel?.id;
    if (!channel) throw new Error('conversations.open returned no channel');
    return this.post(channel, message);
  }

  /** A message to the privacy channel; undefined when none is configured. Never put personal data here
   * unless the channel is the private one the team configured (the core's notices never carry any). */
  async toPrivacyChannel(message: Message): Promise<Posted | undefined> {
    if (!this.privacyChannel) return undefined;
    return this.post(this.privacyChannel, message);
  }

  /** Posts to a channel (or a thread of it) with the safe options. */
  async post(channel: string, message: Message, threadTs?: string): Promise<Posted> {
    const { text, blocks } = toSlack(message);
    const result = await this.client.chat.postMessage({
      channel,
      text,
      blocks,
      ...(threadTs ? { thread_ts: threadTs } : {}),
      ...SAFE_POST,
    });
    return { channel: result.channel ?? channel, ts: result.ts ?? '' };
  }
}
