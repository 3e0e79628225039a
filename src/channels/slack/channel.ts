import {
  App,
  type Logger as BoltLogger,
  LogLevel,
  type Receiver,
  SocketModeReceiver,
  webApi,
} from '@slack/bolt';
import type { ConversationEngine } from '../../core/conversation/engine.js';
import type { FeedbackStore } from '../../core/conversation/feedback.js';
import type { Actor, Audience } from '../../core/conversation/reply.js';
import type { SeenKeys } from '../../core/dedupe.js';
import { AppError, toAppError } from '../../core/errors.js';
import { type Logger, libraryLogger } from '../../logger.js';
import type { HttpServer, RouteHandler } from '../http.js';
import { type SlackContext, TurnQueue, within } from './context.js';
import { LocalSeenKeys, RecentKeys } from './dedupe.js';
import { SlackDirectory, slackErrorCode } from './directory.js';
import type { PolicyChoice } from './intake-modal.js';
import { SlackNotifier } from './notifier.js';
import { SlackHttpReceiver } from './receiver.js';
import { type Registered, registerListeners } from './receiving.js';
import { publishHome } from './turns.js';

/**
 * The Slack channel: translates Slack payloads into core turns and renders the core's replies as
 * Block Kit. No business rule lives here; the {@link ConversationEngine} decides what is said and
 * to whom. This module decides where it is said:
 *
 * - `/privacy …` answers ephemerally (audience `private`), after an immediate empty ack, through
 *   the command's response_url.
 * - `@privacy-ops …` answers in the thread: audience `privacy-channel` in SLACK_PRIVACY_CHANNEL,
 *   `shared` anywhere else. Errors, refusals and anything only the asker can act on go ephemeral.
 * - A DM answers in the DM (`private`); the Home tab, modals and button replies are `private` too.
 *
 * Every delivery is deduplicated by event id, trigger id and (for messages) channel + ts, so a
 * Slack retry never yields a second answer or a second request.
 *
 * This file builds the Bolt app and owns start-up and shutdown; receiving.ts registers the
 * listeners, turns.ts and intake.ts run the turns, render.ts renders, delivery.ts delivers.
 */

/** The typo hint, the core's; exported here as before. */
export { commandHint } from '../../core/conversation/commands.js';
/** The queue of turns after an ack; exported here as before. */
export { TurnQueue } from './context.js';

/** Where Slack posts commands, events and interactivity in HTTP mode. */
export const SLACK_EVENTS_PATH = '/slack/events';
/** The slash command. */
export const SLACK_COMMAND = '/privacy';
/** Registered slash commands (the manifest must declare exactly these). */
export const SLACK_COMMANDS = [SLACK_COMMAND] as const;
/** Registered shortcuts (the manifest must declare exactly these). */
export const SLACK_SHORTCUTS = [
  { callback_id: 'intake.from-message', type: 'message', name: 'Log as rights request' },
  { callback_id: 'intake.global', type: 'global', name: 'Log a rights request' },
] as const;
/** Registered Events API subscriptions, as the manifest names them. */
export const SLACK_EVENTS = ['app_home_opened', 'app_mention', 'message.im'] as const;
/** Bot scopes, each needed by a registration or a Web API call below. */
export const SLACK_SCOPES = [
  'app_mentions:read', // app_mention
  'chat:write', // chat.postMessage, chat.postEphemeral
  'commands', // the slash command and the shortcuts
  'im:history', // message.im
  'im:write', // conversations.open for direct messages
  'usergroups:read', // usergroups.users.list (SLACK_PRIVACY_TEAM_GROUP)
  'users:read', // users.info (the reader's time zone)
] as const;

/** How long a delivery's event id, trigger id or message ts is remembered: past Slack's retries. */
const DELIVERY_TTL_MS = 60 * 60_000;
/**
 * How long start-up waits for a Socket Mode connection. The Socket Mode client retries
 * apps.connections.open for ever when Slack cannot be reached; 30 s covers a slow network and
 * Slack's own retries of a few seconds, and a person waiting at a terminal.
 */
const SOCKET_MODE_CONNECT_TIMEOUT_MS = 30_000;
export interface SlackChannelOptions {
  engine: ConversationEngine;
  logger: Logger;
  botToken: string;
  /** HTTP mode: verifies every request. */
  signingSecret?: string;
  /** Socket Mode instead of HTTP, with an app-level token (xapp-…). */
  socketMode?: boolean;
  appToken?: string;
  /** Web API base URL (tests, proxies); Slack's own when unset. */
  apiUrl?: string;
  privacyChannel?: string;
  teamUsers?: string[];
  teamGroup?: string;
  /** Policies offered in the intake form. */
  policies?: PolicyChoice[];
  feedback?: FeedbackStore;
  defaultTimeZone: string;
  now?: () => Date;
  /**
   * Deliveries and submitted forms seen by every replica, kept across restarts (the register's
   * store). Without it they are remembered in this process only.
   */
  seen?: SeenKeys;
  /** Socket Mode: how long start-up waits for the connection (tests shorten it). */
  connectTimeoutMs?: number;
}

/**
 * @slack/logger on top of pino, for Bolt, the Web API client and Socket Mode. Their lines quote
 * payloads at debug (every request and response body), so each is scrubbed by the one rule in
 * src/logger.ts before it is written.
 */
function boltLogger(logger: Logger): BoltLogger {
  const log = libraryLogger(logger, 'bolt');
  let level = LogLevel.INFO;
  return {
    ...log,
    // Their info and warn lines ("http request failed fetch failed", one per retry) are for
    // debugging; what a person needs to know is said once, in our own words, by start().
    info: log.debug,
    warn: log.debug,
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}

/**
 * Web API errors of auth.test that mean the bot token itself is wrong, so start-up stops with a
 * sentence naming SLACK_BOT_TOKEN: a mistyped or revoked token, a deactivated workspace, an expired
 * rotating token, or another kind of token (such as the xapp- app token) pasted in its place.
 */
const REJECTED_TOKEN = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'not_allowed_token_type',
]);

export class SlackChannel {
  readonly notifier: SlackNotifier;
  readonly directory: SlackDirectory;
  /** Which commands, shortcuts and events this instance registered (the manifest test compares them). */
  readonly registered: Registered = {
    commands: [],
    shortcuts: [],
    events: [],
  };
  private readonly app: App;
  private readonly client: webApi.WebClient;
  private readonly receiver: Receiver;
  private readonly http: SlackHttpReceiver | undefined;
  private readonly now: () => Date;
  private readonly log: Logger;
  /** Deliveries already handled (event ids, trigger ids, message ts): Slack retries are ignored. */
  private readonly deliveries: RecentKeys;
  /** The same, and submitted forms, shared by every replica and kept across restarts. */
  private readonly seen: SeenKeys;
  private readonly work = new Set<Promise<unknown>>();
  private readonly turns = new TurnQueue();
  private identity: Promise<{ botId: string; botUserId: string }> | undefined;
  private readonly context: SlackContext;

  constructor(private readonly options: SlackChannelOptions) {
    this.now = options.now ?? (() => new Date());
    this.log = options.logger.child({ channel: 'slack' });
    const clock = () => this.now().getTime();
    this.deliveries = new RecentKeys(DELIVERY_TTL_MS, 100_000, clock);
    this.seen = options.seen ?? new LocalSeenKeys(clock);
    const slackApiUrl = options.apiUrl ? options.apiUrl.replace(/\/?$/, '/') : undefined;
    const clientOptions: webApi.WebClientOptions = {
      ...(slackApiUrl ? { slackApiUrl } : {}),
      // A couple of quick retries; Slack's default (10 over 30 minutes) would outlive a response_url.
      retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 2_000 },
      timeout: 10_000,
      logger: boltLogger(this.log),
    };
    this.client = new webApi.WebClient(options.botToken, clientOptions);
    this.directory = new SlackDirectory({
      client: this.client,
      teamUsers: options.teamUsers ?? [],
      ...(options.teamGroup ? { teamGroup: options.teamGroup } : {}),
      logger: this.log,
      now: clock,
    });
    this.notifier = new SlackNotifier(this.client, options.privacyChannel);
    if (options.socketMode) {
      if (!options.appToken) throw new AppError('CONFIG', 'SLACK_APP_TOKEN is required in Socket Mode.');
      this.receiver = new SocketModeReceiver({
        appToken: options.appToken,
        logger: boltLogger(this.log),
        installerOptions: { clientOptions: slackApiUrl ? { slackApiUrl } : {} },
      });
    } else {
      if (!options.signingSecret)
        throw new AppError('CONFIG', 'SLACK_SIGNING_SECRET is required for Slack over HTTP.');
      this.http = new SlackHttpReceiver({
        signingSecret: options.signingSecret,
        logger: this.log,
        now: clock,
        ...(options.seen ? { seen: options.seen } : {}),
      });
      this.receiver = this.http;
    }
    this.app = new App({
      receiver: this.receiver,
      // Our own authorize instead of `token`: Bolt would otherwise call auth.test before every
      // event when token verification is off (bolt-js App.js singleAuthorization), in the path of
      // the 3-second ack. One call, cached, retried after a failure.
      authorize: async () => ({ botToken: options.botToken, ...(await this.botIdentity()) }),
      clientOptions,
      logger: boltLogger(this.log),
      convoStore: false,
      ignoreSelf: true,
    });
    this.context = this.contextOf();
    registerListeners(this.app, this.context, this.registered);
  }

  /** The route for the shared HTTP server (HTTP mode only). */
  get httpHandler(): RouteHandler | undefined {
    return this.http?.handler;
  }

  /** Mounts `POST /slack/events` on the shared server (HTTP mode; Socket Mode needs no route). */
  mount(server: HttpServer): void {
    if (this.http) server.mount(SLACK_EVENTS_PATH, this.http.handler);
  }

  /**
   * Checks the bot token once (a rejected token stops start-up with a message that says which key
   * to fix; an unreachable Slack does not), then connects in Socket Mode.
   */
  async start(): Promise<void> {
    try {
      await this.botIdentity();
    } catch (error) {
      const code = slackErrorCode(error);
      if (REJECTED_TOKEN.has(code)) {
        throw new AppError(
          'CONFIG',
          `Slack rejected SLACK_BOT_TOKEN (${code}); copy the Bot User OAuth Token (xoxb-…) from the app's "OAuth & Permissions" page.`,
        );
      }
      // Socket Mode cannot serve without Slack: it waits for the connection below, then stops.
      const wait = Math.round((this.options.connectTimeoutMs ?? SOCKET_MODE_CONNECT_TIMEOUT_MS) / 1000);
      this.log.warn(
        { slackError: code },
        this.options.socketMode
          ? `could not reach Slack at start-up; waiting up to ${wait} s for Slack in Socket Mode`
          : 'could not reach Slack at start-up; will retry on the first event',
      );
    }
    if (!this.options.socketMode) return;
    const bound = this.options.connectTimeoutMs ?? SOCKET_MODE_CONNECT_TIMEOUT_MS;
    let connected: { value: unknown } | undefined;
    try {
      connected = await within(this.app.start(), bound);
    } catch (error) {
      const code = slackErrorCode(error);
      // Stop the client's own reconnect attempts: start-up has failed.
      await this.receiver.stop().catch(() => {});
      throw new AppError(
        'CONFIG',
        `Slack refused the Socket Mode connection (${code}); check SLACK_APP_TOKEN (xapp-…, an app-level token with the connections:write scope) and that Socket Mode is enabled for the app.`,
        { cause: error },
      );
    }
    if (!connected) {
      // Unreachable, not refused: stop the client's endless retries and say what to check.
      await within(
        this.receiver.stop().catch(() => {}),
        2_000,
      );
      throw new AppError(
        'CONFIG',
        `Slack could not be reached in Socket Mode within ${Math.round(bound / 1000)} s; check that this machine can open HTTPS and WebSocket connections to slack.com (a firewall or proxy may block them), then start again.`,
      );
    }
  }

  async stop(): Promise<void> {
    await this.receiver.stop().catch(() => {});
    await this.settle();
  }

  /** Resolves when every request received so far has been handled, including work after the ack. */
  async settle(): Promise<void> {
    await this.http?.settle();
    while (this.work.size > 0) await Promise.allSettled([...this.work]);
  }

  private botIdentity(): Promise<{ botId: string; botUserId: string }> {
    this.identity ??= this.client.auth.test().then(
      (r) => ({ botId: r.bot_id ?? '', botUserId: r.user_id ?? '' }),
      (error: unknown) => {
        this.identity = undefined;
        throw error;
      },
    );
    return this.identity;
  }

  /** Runs work that continues after the ack, so stop() can wait for it. */
  private track<T>(promise: Promise<T>): Promise<T> {
    this.work.add(promise);
    const done = () => this.work.delete(promise);
    promise.then(done, done);
    return promise;
  }

  private async actorFor(userId: string): Promise<Actor> {
    const [isPrivacyTeam, timeZone] = await Promise.all([
      this.directory.isPrivacyTeam(userId),
      this.directory.timeZone(userId),
    ]);
    // Owners and audit actors are Slack user ids: stable, and what a reminder can DM.
    return { id: `slack:${userId}`, name: userId, isPrivacyTeam, ...(timeZone ? { timeZone } : {}) };
  }

  private audienceOf(channel: string | undefined): Audience {
    if (channel && channel === this.options.privacyChannel) return 'privacy-channel';
    // Direct-message channel ids start with D.
    if (channel?.startsWith('D')) return 'private';
    return 'shared';
  }

  /**
   * True the first time a delivery is seen by any replica. The in-process set answers repeats to
   * this process for free; the shared store catches the same delivery sent to another replica,
   * or after a restart.
   */
  private async fresh(key: string | undefined, retryNum?: number): Promise<boolean> {
    if (!key) return true;
    let first = this.deliveries.add(key);
    if (first) {
      try {
        first = await this.seen.claim(`slack:${key}`, DELIVERY_TTL_MS);
      } catch (error) {
        // Answering twice beats not answering: the store's outage is logged, the delivery handled.
        this.log.warn(
          { code: toAppError(error).code },
          'could not record a Slack delivery in the shared store',
        );
      }
    }
    if (!first) this.log.info({ key: key.split(':')[0], retryNum }, 'duplicate Slack delivery ignored');
    return first;
  }

  /** Publishes the viewer's Home tab. */
  async publishHome(userId: string): Promise<void> {
    await publishHome(this.context, userId);
  }

  /** What the listeners, turns and delivery share of this channel. */
  private contextOf(): SlackContext {
    return {
      options: this.options,
      client: this.client,
      notifier: this.notifier,
      directory: this.directory,
      seen: this.seen,
      log: this.log,
      turns: this.turns,
      now: () => this.now(),
      track: (promise) => this.track(promise),
      fresh: (key, retryNum) => this.fresh(key, retryNum),
      actorFor: (userId) => this.actorFor(userId),
      audienceOf: (channel) => this.audienceOf(channel),
    };
  }
}
