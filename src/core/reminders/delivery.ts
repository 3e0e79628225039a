import type { Reply } from '../conversation/reply.js';
import type { Role } from './select.js';

/**
 * The port reminders leave the core through. Slack implements it today
 * (src/channels/slack/reminder-delivery.ts); a Teams personal chat plugs in the same way. A channel
 * only translates: the scheduler decides what is sent, to whom and when, and retries.
 */

/** Where one message goes: a person's direct messages, or the privacy team's channel. */
export type Destination = { kind: 'user'; address: string } | { kind: 'channel' };

export interface ReminderMessage {
  /** The outbox entry's id, stable across retries (channels may attach it as metadata). */
  id: string;
  /** The (request, deadline, stage) key, or `digest|DATE`. */
  reminderKey: string;
  role: Role;
  to: Destination;
  reply: Reply;
  /** In a channel post: the owner's address, to mention them so they see it. */
  mention?: string;
}

/**
 * The outcome of one delivery attempt. `retryable` failures (rate limits, server errors, timeouts)
 * stay in the outbox and are tried again after `retryAfterMs` or the scheduler's backoff; others
 * (an unknown user, a channel the bot is not in) are recorded as failed and logged.
 */
export type DeliveryResult =
  | { ok: true; ref?: string }
  | { ok: false; retryable: boolean; code: string; retryAfterMs?: number };

export interface ReminderChannel {
  readonly name: string;
  deliver(message: ReminderMessage): Promise<DeliveryResult>;
  /** A user's IANA time zone, or undefined when unknown; implementations cache it. */
  timeZone?(address: string): Promise<string | undefined>;
}
