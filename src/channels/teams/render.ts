import type { Audience, Reply } from '../../core/conversation/reply.js';
import type { OutgoingMessage } from './bot-framework.js';
import { type AdaptiveCard, CARD_CONTENT_TYPE, replyCard, textCard } from './cards.js';

/**
 * Rendering: a core reply as a message with one Adaptive Card (the cards themselves are cards.ts),
 * and the few replies the channel says itself.
 */

export function errorReply(text: string): Reply {
  return { blocks: [{ kind: 'error', text }], text, personal: false };
}

export function textReply(text: string): Reply {
  return { blocks: [{ kind: 'text', text }], text, personal: false };
}

export function cardMessage(card: AdaptiveCard, summary?: string): OutgoingMessage {
  return {
    type: 'message',
    attachments: [{ contentType: CARD_CONTENT_TYPE, content: card }],
    // The preview in notifications and the activity feed; a card alone would show as "Card".
    ...(summary ? { summary: summary.split('\n')[0]!.slice(0, 200) } : {}),
  };
}

/** The reply as a card; a reply with personal data never goes to a shared audience. */
export function replyMessage(reply: Reply, audience: Audience, tz: string): OutgoingMessage {
  if (reply.personal && audience === 'shared') {
    // The core does not produce this; the check stays as a second line of defence.
    return cardMessage(
      textCard(
        'That reply contains personal data, so I only show it in a personal chat with me or in the privacy channel.',
      ),
    );
  }
  return cardMessage(replyCard(reply, tz), reply.text);
}

/** What Teams shows while a slow reply is being worked on; the reply follows in the conversation. */
export const STILL_WORKING = 'Still working on that; the answer will follow here shortly.';
