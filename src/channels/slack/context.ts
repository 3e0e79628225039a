import type { webApi } from '@slack/bolt';
import type { Actor, Audience } from '../../core/conversation/reply.js';
import type { SeenKeys } from '../../core/dedupe.js';
import type { Logger } from '../../logger.js';
import type { SlackChannelOptions } from './channel.js';
import type { SlackDirectory } from './directory.js';
import type { SlackNotifier } from './notifier.js';

/**
 * What the Slack channel's receiving, turns and delivery share: the channel's parts and the few
 * services of its own (the clock, tracked work, deduplication, who is asking and who reads).
 * SlackChannel builds it; the listeners (receiving.ts), turns (turns.ts, intake.ts) and delivery
 * (delivery.ts) take it.
 */
export interface SlackContext {
  readonly options: SlackChannelOptions;
  readonly client: webApi.WebClient;
  readonly notifier: SlackNotifier;
  readonly directory: SlackDirectory;
  /** Deliveries and submitted forms, shared by every replica and kept across restarts. */
  readonly seen: SeenKeys;
  readonly log: Logger;
  /** Work that follows an ack waits its turn here, so acks never queue behind answers. */
  readonly turns: TurnQueue;
  now(): Date;
  /** Runs work that continues after the ack, so stop() can wait for it. */
  track<T>(promise: Promise<T>): Promise<T>;
  /** True the first time a delivery is seen by any replica. */
  fresh(key: string | undefined, retryNum?: number): Promise<boolean>;
  actorFor(userId: string): Promise<Actor>;
  audienceOf(channel: string | undefined): Audience;
}

/** A Bolt `respond`: a message through the payload's response_url. */
export type Respond = (message: Record<string, unknown>) => Promise<unknown>;

/**
 * How long a form submission or a button that writes may take before it is acknowledged anyway
 * (with a reply that says the result follows): Slack allows 3 s
 * (docs.slack.dev/interactivity/handling-user-interaction#acknowledgment_response), the receiver
 * sends an empty ack at 2.5 s, and a write takes milliseconds.
 */
export const WRITE_BUDGET_MS = 2_000;

/** Resolves with the promise's value, or with `undefined` once `ms` have passed. */
export async function within<T>(promise: Promise<T>, ms: number): Promise<{ value: T } | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([promise.then((value) => ({ value })), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Hands out turns for work that follows an ack, one per event-loop iteration and in arrival order.
 * Between two turns Node polls for I/O, so under a burst the requests still arriving are read,
 * verified and acknowledged before the next answer is computed: acks never queue behind answers.
 */
export class TurnQueue {
  private readonly waiting: (() => void)[] = [];
  private scheduled = false;

  next(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.kick();
    });
  }

  private kick(): void {
    if (this.scheduled || this.waiting.length === 0) return;
    this.scheduled = true;
    // setImmediate runs after the poll phase: pending connections and bodies are handled first.
    setImmediate(() => {
      this.scheduled = false;
      this.waiting.shift()?.();
      this.kick();
    });
  }
}
