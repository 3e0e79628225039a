import type { FeedbackStore } from '../../core/conversation/feedback.js';
import type { Reply, Turn } from '../../core/conversation/reply.js';
import { FORM_RE } from '../../core/conversation/understand.js';
import type { NewRequest } from '../../core/requests/register.js';
import type { Logger } from '../../logger.js';
import type { HttpServer } from '../http.js';
import type { BotTransport } from './bot-framework.js';
import type { TeamsContext } from './context.js';
import { TeamsNotifier } from './notifier.js';
import { serve } from './receiving.js';
import type { TeamsStore } from './store.js';

/**
 * Microsoft Teams, through the Bot Framework: `POST /api/messages` on the shared HTTP server.
 * A thin translation: an activity becomes a core {@link Turn} (text without the bot's @mention,
 * the actor, the audience), the core's {@link Reply} becomes an Adaptive Card, and card buttons
 * come back as Action.Submit data routed to the engine. What may be shown to whom is decided by
 * the core from the audience; the channel only works out the audience from where the message was
 * posted.
 *
 * This file builds the channel and owns its shutdown; receiving.ts serves the endpoint and hands
 * each activity to its turn, turns.ts and form.ts run the turns, references.ts keeps the
 * conversation references, render.ts and cards.ts render, delivery.ts delivers.
 */

/** What the channel needs of the conversation engine. */
export interface TeamsEngine {
  handle(turn: Turn): Promise<Reply>;
  act(action: string, value: string, turn: Omit<Turn, 'text'>): Promise<Reply>;
  submitRequest(input: NewRequest, turn: Omit<Turn, 'text'>): Promise<Reply>;
}

export interface TeamsChannelOptions {
  engine: TeamsEngine;
  store: TeamsStore;
  transport: BotTransport;
  logger: Logger;
  /** Entra object ids of the privacy team. */
  privacyTeam: string[];
  /** The privacy team's channel (19:...@thread.tacv2): may see requester data, gets notices. */
  privacyChannelId?: string;
  /** The bot's own tenant; activities from any other are ignored. */
  tenantId?: string;
  /** Dev mode (no authentication): accept callers on this machine only. */
  loopbackOnly: boolean;
  /** Policies offered in the request form. */
  policies: { id: string; name: string }[];
  /** Votes on answers (the core's one store, shared with Slack); without it only thanks. */
  feedback?: FeedbackStore;
  defaultTimeZone: string;
  /**
   * How long a turn may take before the bot answers "still working" and delivers the reply later
   * as a proactive message. Each user message should get its first response within 15 seconds
   * (learn.microsoft.com/microsoft-365-copilot/extensibility/custom-engine-agent-asynchronous-flow);
   * 10 s leaves room for the network.
   */
  replyWithinMs?: number;
  now?: () => Date;
}

export { isLoopback } from './receiving.js';
/**
 * "log a request", "new request", "request"...: Teams shows the intake form where the core would
 * ask for everything on one line. The pattern is the core's, shared with Slack and the console.
 */
export { FORM_RE };

export class TeamsChannel {
  readonly notifier: TeamsNotifier;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly ctx: TeamsContext;

  constructor(options: TeamsChannelOptions) {
    this.notifier = new TeamsNotifier({
      transport: options.transport,
      store: options.store,
      privacyChannelId: options.privacyChannelId,
      defaultTimeZone: options.defaultTimeZone,
    });
    this.ctx = {
      options,
      notifier: this.notifier,
      log: options.logger.child({ channel: 'teams' }),
      privacyTeam: new Set(options.privacyTeam.map((id) => id.toLowerCase())),
      saved: new Map(),
      now: () => options.now?.() ?? new Date(),
      track: (work) => this.track(work),
    };
  }

  /** Mounts `POST /api/messages`, the Bot Framework messaging endpoint configured in Azure. */
  mount(http: HttpServer, path = '/api/messages'): void {
    http.mount(path, (req, res) => serve(this.ctx, req, res));
  }

  /** Waits for replies still being delivered after their turn (bounded), for a clean shutdown. */
  async stop(timeoutMs = 20_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.inFlight]),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      }),
    ]);
    clearTimeout(timer);
  }

  /** Resolves once every reply that outlived its turn has been delivered; for tests. */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private track(work: Promise<void>): void {
    const tracked = work.finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }
}
