import type { Reply } from '../conversation/reply.js';
import type { Role } from './select.js';

/**
 * The port reminders leave the core through: Slack (src/channels/slack/reminder-delivery.ts), Teams
 * (src/channels/teams/reminder-delivery.ts), or both (composite.ts). A channel only translates:
 * the scheduler decides what is sent, to whom and when, and retries.
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
 * stay in the outbox and are tried again after `retryAfterMs` or the scheduler's backoff, counted
 * from when the attempt failed; others (an unknown user, a channel the bot is not in) are recorded
 * as failed and logged. `platform` names who asked for the wait (`slack`, `teams`): its Retry-After
 * then holds every message to that platform, on every replica, and no other platform's.
 */
export type DeliveryResult =
  | { ok: true; ref?: string }
  | { ok: false; retryable: boolean; code: string; retryAfterMs?: number; platform?: string };

export interface ReminderChannel {
  readonly name: string;
  deliver(message: ReminderMessage): Promise<DeliveryResult>;
  /**
   * The address an owner, as the register names them (a Slack id, a `teams:` id, a display name),
   * can be sent a direct message at, or null when this channel cannot message them (a name nobody
   * knows; a Teams user without a personal chat with the bot). The scheduler asks before it picks a
   * reminder's recipients and again right before sending, so an owner it cannot reach is mentioned
   * in the privacy channel instead of being messaged into the void. Without it, only owners written
   * as an address (the scheduler's `addressForm`, e.g. Slack ids) are addresses. May throw when it
   * cannot tell right now (a store outage): that owner's reminders then wait for a later sweep.
   */
  address?(owner: string): Promise<string | null>;
  /**
   * The platforms a message to `to` would reach, for holding it while one of them asked to wait
   * (Retry-After); default: this channel's `name`.
   */
  platforms?(to: Destination): string[];
  /** A user's IANA time zone, or undefined when unknown; implementations cache it. */
  timeZone?(address: string): Promise<string | undefined>;
}
