import type { Reply } from '../../core/conversation/reply.js';
import { AppError } from '../../core/errors.js';
import type { BotTransport } from './bot-framework.js';
import { CARD_CONTENT_TYPE, replyCard } from './cards.js';
import type { ConversationRef, TeamsStore } from './store.js';

/**
 * Proactive messages into Teams, for reminders and notices: a user's personal chat and the privacy
 * channel, through the conversation references the channel keeps. A bot can only write into a
 * conversation it has a reference for, so each send says whether it was delivered; `false` means
 * the person never talked to the bot or installed it (nothing was sent), not a failure.
 */
export interface TeamsNotifierOptions {
  transport: BotTransport;
  store: TeamsStore;
  privacyChannelId?: string;
  defaultTimeZone: string;
}

const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class TeamsNotifier {
  constructor(private readonly options: TeamsNotifierOptions) {}

  /** Sends to a user's personal chat with the bot, found by their Entra object id. */
  async sendToUser(aadObjectId: string, reply: Reply): Promise<boolean> {
    const reference = await this.options.store.reference(`user:${aadObjectId.toLowerCase()}`);
    if (!reference) return false;
    await this.send(reference, reply);
    return true;
  }

  /**
   * Sends to an owner as the register names them: an Entra object id, or the Teams display name
   * the owner had when they last wrote to the bot ("assign to me" records the display name).
   */
  async sendToOwner(owner: string, reply: Reply): Promise<boolean> {
    const aad = await this.entraIdOf(owner);
    return aad ? this.sendToUser(aad, reply) : false;
  }

  /**
   * The Entra object id (lower case) of an owner named as {@link sendToOwner} takes them, when the
   * bot has a personal chat with them to write into; undefined when it has none (nothing to send to).
   */
  async personalChatOf(owner: string): Promise<string | undefined> {
    const aad = (await this.entraIdOf(owner))?.toLowerCase();
    return aad && (await this.options.store.reference(`user:${aad}`)) ? aad : undefined;
  }

  private async entraIdOf(owner: string): Promise<string | undefined> {
    return GUID_RE.test(owner.trim()) ? owner.trim() : this.options.store.userByName(owner);
  }

  /**
   * Posts a new message in the privacy channel. Before the bot has heard from that channel, the
   * reference is built from the service URL and tenant of any earlier activity: Teams accepts a
   * proactive post to any channel of a team the bot is installed in, by channel id
   * (learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/send-proactive-messages).
   */
  async sendToPrivacyChannel(reply: Reply): Promise<boolean> {
    const channelId = this.options.privacyChannelId;
    if (!channelId) return false;
    let reference = await this.options.store.reference(`channel:${channelId}`);
    if (!reference) {
      const service = await this.options.store.reference('service');
      if (!service) return false;
      reference = {
        ...service,
        conversation: {
          id: channelId,
          conversationType: 'channel',
          isGroup: true,
          ...(service.conversation.tenantId ? { tenantId: service.conversation.tenantId } : {}),
        },
      };
    }
    await this.send(reference, reply);
    return true;
  }

  private async send(reference: ConversationRef, reply: Reply): Promise<void> {
    try {
      await this.options.transport.send(reference, {
        type: 'message',
        attachments: [
          { contentType: CARD_CONTENT_TYPE, content: replyCard(reply, this.options.defaultTimeZone) },
        ],
        summary: reply.text.split('\n')[0]!.slice(0, 200),
      });
    } catch (error) {
      throw new AppError('UPSTREAM', 'Teams did not accept the message.', { cause: error });
    }
  }
}
