import {
  App,
  type BlockAction,
  type Logger as BoltLogger,
  type ButtonAction,
  LogLevel,
  type Receiver,
  type SlackCommandMiddlewareArgs,
  SocketModeReceiver,
  webApi,
} from '@slack/bolt';
import { COMMANDS, type ConversationEngine, WRITING_ACTIONS } from '../../core/conversation/engine.js';
import type { Actor, Audience, Reply } from '../../core/conversation/reply.js';
import { FORM_RE, lineKind } from '../../core/conversation/understand.js';
import type { SeenKeys } from '../../core/dedupe.js';
import { AppError, newReference, toAppError } from '../../core/errors.js';
import { todayIn } from '../../core/requests/input.js';
import { type Logger, libraryLogger } from '../../logger.js';
import type { HttpServer, RouteHandler } from '../http.js';
import { LocalSeenKeys, RecentKeys } from './dedupe.js';
import { SlackDirectory, slackErrorCode } from './directory.js';
import type { FeedbackStore } from './feedback.js';
import { guestHomeView, HOME_REFRESH_ACTION, teamHomeView } from './home.js';
import { INTAKE_CALLBACK_ID, intakeModal, type PolicyChoice, readIntake } from './intake-modal.js';
import { clip, fromSlackText } from './mrkdwn.js';
import { SAFE_POST, SlackNotifier } from './notifier.js';
import { SlackHttpReceiver } from './receiver.js';
import {
  button,
  CORE_ACTION_PREFIX,
  FEEDBACK_ACTIONS,
  helpMessage,
  noticeMessage,
  OPEN_FORM_ACTION,
  renderReply,
  replyModal,
  type SlackMessage,
  section,
  textMessage,
} from './render.js';

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
 */

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

const EMAIL_RE = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/;
/**
 * How long a form submission or a button that writes may take before it is acknowledged anyway
 * (with a reply that says the result follows): Slack allows 3 s
 * (docs.slack.dev/interactivity/handling-user-interaction#acknowledgment_response), the receiver
 * sends an empty ack at 2.5 s, and a write takes milliseconds.
 */
const WRITE_BUDGET_MS = 2_000;
/** How long a delivery's event id, trigger id or message ts is remembered: past Slack's retries. */
const DELIVERY_TTL_MS = 60 * 60_000;
/**
 * How long start-up waits for a Socket Mode connection. The Socket Mode client retries
 * apps.connections.open for ever when Slack cannot be reached; 30 s covers a slow network and
 * Slack's own retries of a few seconds, and a person waiting at a terminal.
 */
const SOCKET_MODE_CONNECT_TIMEOUT_MS = 30_000;
/** How long a logged form's view id is remembered: a second submit of it logs nothing. */
const VIEW_TTL_MS = 24 * 60 * 60_000;
/** How long a form counts as "being submitted": after a crash mid-write it can be submitted again. */
const VIEW_PENDING_MS = 30_000;
/** Longest message read; a question may be 2,000 characters, and chrono should not parse a novel. */
const MAX_INPUT_CHARS = 4_000;

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

/** What replaces the form when storing it takes longer than Slack waits: no confirmation yet. */
function savingModal() {
  return replyModal('Request', {
    blocks: [
      {
        kind: 'text',
        text: 'Still saving the request. You will get a direct message with its id once it is stored, or with what went wrong.',
      },
    ],
    text: '',
    personal: false,
  });
}

/** Resolves with the promise's value, or with `undefined` once `ms` have passed. */
async function within<T>(promise: Promise<T>, ms: number): Promise<{ value: T } | undefined> {
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

/** Edit distance counting a swap of neighbours as one edit ("shwo" is one step from "show"). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

const COMMAND_WORDS = [
  ...new Set([
    ...COMMANDS.map((c) => c.usage.split(/\s+/)[0]!).filter((w) => /^[a-z]+$/.test(w)),
    'resume',
    'list',
    'start',
    'verify',
  ]),
];
const ID_VERBS = ['show', 'assign', 'extend', 'pause', 'resume', 'close', 'reopen', 'start', 'verify'];

/**
 * A hint for text that looks like a mistyped command rather than a question ("shwo DSR-…",
 * "reqests"); undefined when the text should go to the core as it is.
 */
export function commandHint(text: string, command: string): string | undefined {
  const words = text.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const head = words[0];
  if (!head || COMMAND_WORDS.includes(head) || text.includes('?')) return undefined;
  const near = COMMAND_WORDS.map((w) => ({ w, d: editDistance(head, w) }))
    .filter(({ w, d }) => d <= (w.length <= 4 ? 1 : 2))
    .sort((a, b) => a.d - b.d)
    .map(({ w }) => w);
  const hasId = /\bDSR-\d{4}-\d{4,}\b/i.test(text);
  if (hasId && !ID_VERBS.includes(head)) {
    const guess = near.find((w) => ID_VERBS.includes(w));
    return `I do not know "${head.slice(0, 30)}"${guess ? ` (did you mean "${guess}"?)` : ''}. With a request id I can: ${ID_VERBS.slice(0, 7).join(', ')}. Type \`${command} help\` for everything.`;
  }
  if (words.length === 1 && near.length > 0) {
    return `"${head.slice(0, 30)}" is not a command I know; did you mean ${near
      .slice(0, 2)
      .map((w) => `\`${command} ${w}\``)
      .join(
        ' or ',
      )}? To ask about it, ask a whole question (e.g. \`${command} how long do we keep logs?\`), or type \`${command} help\`.`;
  }
  return undefined;
}

type Respond = (message: Record<string, unknown>) => Promise<unknown>;

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

export class SlackChannel {
  readonly notifier: SlackNotifier;
  readonly directory: SlackDirectory;
  /** Which commands, shortcuts and events this instance registered (the manifest test compares them). */
  readonly registered: { commands: string[]; shortcuts: string[]; events: string[] } = {
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
    this.register();
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

  /** Logs a failure with a reference (no personal data) and returns what the user is told. */
  private failure(error: unknown, what: string): SlackMessage {
    const appError = toAppError(error);
    // A mistake the person can fix is said as it is; anything else gets a reference for the admin.
    if (!['INTERNAL', 'STORE', 'UPSTREAM', 'CONFIG'].includes(appError.code))
      return textMessage(appError.message);
    const reference = newReference();
    this.log.error(
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
  private async notice(reply: Reply): Promise<void> {
    if (!reply.notice || !this.notifier.hasPrivacyChannel) return;
    try {
      await this.notifier.toPrivacyChannel(noticeMessage(reply.notice));
    } catch (error) {
      this.log.warn(
        { slackError: slackErrorCode(error), requestId: reply.notice.requestId },
        'notice not posted',
      );
    }
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

  private register(): void {
    const app = this.app;

    // Dedupe before any listener: a retried or duplicated delivery is acknowledged and dropped.
    app.use(async (args) => {
      const body = args.body as Record<string, unknown>;
      const event = body.event as { channel?: string; ts?: string; type?: string } | undefined;
      const key =
        typeof body.event_id === 'string'
          ? `event:${body.event_id}`
          : typeof body.trigger_id === 'string'
            ? `trigger:${body.trigger_id}`
            : undefined;
      const retryNum = args.context.retryNum as number | undefined;
      let fresh = await this.fresh(key, retryNum);
      // Slack has delivered one message under several event ids (slackapi/node-slack-sdk#2141).
      if (fresh && event?.ts && event.channel && (event.type === 'app_mention' || event.type === 'message'))
        fresh = await this.fresh(`message:${event.channel}:${event.ts}`, retryNum);
      if (!fresh) {
        const ack = (args as { ack?: (r?: unknown) => Promise<void> }).ack;
        if (ack) await ack();
        return;
      }
      await args.next();
    });

    for (const command of SLACK_COMMANDS) {
      app.command(command, (args) => this.track(this.onCommand(args)));
      this.registered.commands.push(command);
    }
    // Any other command routed here (a renamed or stale one) gets a pointer instead of a timeout.
    app.command(/.*/, async ({ command, ack }) => {
      if ((SLACK_COMMANDS as readonly string[]).includes(command.command)) return;
      await ack({
        response_type: 'ephemeral',
        text: `This app answers ${SLACK_COMMAND}; try \`${SLACK_COMMAND} help\`.`,
      });
    });

    // Shortcut payloads carry a trigger_id (valid 3 s) but no response_url for global shortcuts, so
    // both kinds only open the form (docs.slack.dev/interactivity/implementing-shortcuts).
    for (const shortcut of SLACK_SHORTCUTS) {
      app.shortcut(
        {
          callback_id: shortcut.callback_id,
          type: shortcut.type === 'message' ? 'message_action' : 'shortcut',
        },
        async ({ ack, body }) => {
          await ack();
          const b = body as {
            trigger_id: string;
            user: { id: string };
            message?: { text?: string; ts?: string };
          };
          await this.track(this.openIntakeForm(b.trigger_id, b.user.id, b.message));
        },
      );
      this.registered.shortcuts.push(shortcut.callback_id);
    }

    for (const name of SLACK_EVENTS) {
      if (name === 'app_mention') {
        // app_mention arrives for mentions in channels the bot is in, never for DMs; its text starts
        // with the bot's own `<@U…>` (docs.slack.dev/reference/events/app_mention).
        app.event('app_mention', async ({ event, context }) => {
          if (!event.user) return;
          await this.track(
            this.onMessage({
              user: event.user,
              channel: event.channel,
              // A mention with only a file or an attachment comes without text.
              text: typeof event.text === 'string' ? event.text : '',
              threadTs: event.thread_ts ?? event.ts,
              botUserId: context.botUserId,
            }),
          );
        });
      } else if (name === 'message.im') {
        app.event('message', async ({ event, context }) => {
          const m = event as { channel_type?: string; subtype?: string; bot_id?: string; user?: string };
          // Edits, joins and bot posts (ours included) carry a subtype or a bot_id.
          if (m.channel_type !== 'im' || m.subtype || m.bot_id || !m.user) return;
          const e = event as { channel: string; text?: string; thread_ts?: string };
          await this.track(
            this.onMessage({
              user: m.user,
              channel: e.channel,
              text: e.text ?? '',
              ...(e.thread_ts ? { threadTs: e.thread_ts } : {}),
              botUserId: context.botUserId,
            }),
          );
        });
      } else if (name === 'app_home_opened') {
        // Fires on every visit to the Home or Messages tab; only the Home tab is ours to publish
        // (docs.slack.dev/reference/events/app_home_opened).
        app.event('app_home_opened', async ({ event }) => {
          if (event.tab !== 'home') return;
          await this.track(this.publishHome(event.user));
        });
      }
      this.registered.events.push(name);
    }

    app.action(new RegExp(`^${CORE_ACTION_PREFIX}`), async ({ ack, body, action, respond }) => {
      const button = action as ButtonAction;
      const name = button.action_id.slice(CORE_ACTION_PREFIX.length);
      if (!WRITING_ACTIONS.has(name)) {
        await ack();
        await this.track(this.onCoreAction(body as BlockAction, button, respond as unknown as Respond));
        return;
      }
      // A button that changes the register is acknowledged once the change is stored (or has
      // failed and the reply says so), so a crash after the ack cannot lose it.
      let stored: () => void = () => {};
      const written = new Promise<void>((resolve) => {
        stored = resolve;
      });
      const work = this.track(
        this.onCoreAction(body as BlockAction, button, respond as unknown as Respond, stored),
      );
      await within(Promise.race([written, work]), WRITE_BUDGET_MS);
      await ack();
      await work;
    });
    app.action(/^feedback\./, async ({ ack, body, action, respond }) => {
      await ack();
      await this.track(
        this.onFeedback(body as BlockAction, action as ButtonAction, respond as unknown as Respond),
      );
    });
    // Mentions, DMs and the Home tab have no trigger of their own; this button brings one.
    app.action(OPEN_FORM_ACTION, async ({ ack, body }) => {
      await ack();
      const b = body as BlockAction;
      await this.track(this.openIntakeForm(b.trigger_id, b.user.id));
    });
    app.action(HOME_REFRESH_ACTION, async ({ ack, body }) => {
      await ack();
      await this.track(this.publishHome((body as BlockAction).user.id));
    });

    app.view(INTAKE_CALLBACK_ID, async ({ ack, body, view }) => {
      const user = body.user.id;
      // Validation must finish inside the ack (3 s), so it uses the zone already cached when the
      // form was opened rather than asking Slack again.
      const zone = this.directory.cachedTimeZone(user) ?? this.options.defaultTimeZone;
      const result = readIntake(
        view.state.values as Parameters<typeof readIntake>[0],
        todayIn(this.now(), zone),
      );
      // Field errors go back in the ack, keyed by block_id, so the person fixes them in the open form
      // (docs.slack.dev/surfaces/modals#displaying_errors).
      if (!result.ok) {
        await ack({ response_action: 'errors', errors: result.errors });
        return;
      }
      // A view keeps its id across submits: once one was logged, another submit logs nothing, on
      // any replica. While one is being written, a second is told to wait; a claim left by a
      // crash mid-write runs out after VIEW_PENDING_MS, so the person can submit again.
      const key = `slack:view:${view.id}`;
      let claimed: boolean;
      try {
        claimed = await this.seen.claim(key, VIEW_PENDING_MS, { pending: true });
      } catch (error) {
        await ack({
          response_action: 'errors',
          errors: { type: this.failure(error, 'logging the request').text },
        });
        return;
      }
      if (!claimed) {
        const held = (await this.seen.get(key).catch(() => undefined)) as { requestId?: string } | undefined;
        if (held?.requestId) await ack();
        else
          await ack({
            response_action: 'errors',
            errors: {
              type: 'This form is being submitted already. Wait a moment; if no confirmation arrives, submit it again.',
            },
          });
        return;
      }
      // The request is written before the ack: once Slack closes the form, it is stored.
      const logging = this.track(this.logIntake(user, result.request));
      const done = await within(logging, WRITE_BUDGET_MS);
      if (!done) {
        // Slower than Slack waits: say so instead of confirming; the DM follows either way.
        await ack({ response_action: 'update', view: savingModal() });
        void logging.then((outcome) => this.afterIntake(key, user, outcome));
        return;
      }
      if (done.value.error) {
        // Nothing was logged: the form stays open with what to do, and can be submitted again.
        await this.seen.release(key).catch(() => undefined);
        await ack({ response_action: 'errors', errors: { type: done.value.error } });
        return;
      }
      await ack();
      await this.track(this.afterIntake(key, user, done.value));
    });

    // Listeners report their own failures to the person; this only catches what escapes Bolt.
    app.error(async (error) => {
      this.log.error(
        { code: (error as { code?: string }).code, slackError: slackErrorCode(error) },
        'bolt error',
      );
    });
  }

  private async onCommand({ command, ack, respond }: SlackCommandMiddlewareArgs): Promise<void> {
    // Slack needs the ack within 3 s; the answer follows through response_url.
    await ack();
    await this.turns.next();
    // A response_url takes up to five messages within 30 minutes
    // (docs.slack.dev/interactivity/handling-user-interaction#message_responses); we use one or two.
    const reply = (message: SlackMessage) =>
      respond({ response_type: 'ephemeral', text: message.text, blocks: message.blocks });
    try {
      const text = fromSlackText(command.text ?? '').trim();
      if (text.length > MAX_INPUT_CHARS) {
        await reply(
          textMessage(
            `That is ${text.length} characters; I read at most ${MAX_INPUT_CHARS}. Ask one question at a time.`,
          ),
        );
        return;
      }
      // The trigger_id expires 3 s after the command; open the form before anything slow.
      if (FORM_RE.test(text)) {
        await this.openIntakeForm(command.trigger_id, command.user_id);
        return;
      }
      const actor = await this.actorFor(command.user_id);
      const meant = lineKind(text, this.now());
      if (meant === 'help') {
        await reply(helpMessage(SLACK_COMMAND, actor.isPrivacyTeam));
        return;
      }
      // A typo hint only for what the core would otherwise read as a policy question.
      const hint = meant === 'question' ? commandHint(text, SLACK_COMMAND) : undefined;
      if (hint) {
        await reply(textMessage(hint));
        return;
      }
      // Computing the answer is the CPU-heavy part: let requests still arriving be acked first.
      await this.turns.next();
      const answer = await this.options.engine.handle({ text, actor, audience: 'private', now: this.now() });
      await reply(renderReply(answer, { mentions: true }));
      await this.notice(answer);
    } catch (error) {
      const message = this.failure(error, 'answering your command');
      // When the response_url itself failed (expired after 30 minutes, or Slack is down), a DM is
      // the only way left to tell the person.
      await reply(message)
        .catch(() => this.notifier.dm(command.user_id, message))
        .catch((e: unknown) =>
          this.log.error({ slackError: slackErrorCode(e) }, 'could not report a failure'),
        );
    }
  }

  /** A mention in a channel (answered in its thread) or a direct message (answered in the DM). */
  private async onMessage(m: {
    user: string;
    channel: string;
    text: string;
    threadTs?: string;
    botUserId?: string;
  }): Promise<void> {
    await this.turns.next();
    const audience = this.audienceOf(m.channel);
    const post = (message: SlackMessage) =>
      this.client.chat.postMessage({
        channel: m.channel,
        text: message.text,
        blocks: message.blocks,
        ...(m.threadTs ? { thread_ts: m.threadTs } : {}),
        ...SAFE_POST,
      });
    // Only the asker sees it: refusals, errors, and buttons only they can press.
    // chat.postEphemeral reaches only the one user and only while they are in the channel
    // (docs.slack.dev/reference/methods/chat.postEphemeral), which is exactly what a refusal needs.
    const whisper = (message: SlackMessage) =>
      audience === 'private'
        ? post(message)
        : this.client.chat.postEphemeral({
            channel: m.channel,
            user: m.user,
            text: message.text,
            blocks: message.blocks,
            ...(m.threadTs ? { thread_ts: m.threadTs } : {}),
            ...SAFE_POST,
          });
    try {
      // Only the bot's own mention is dropped; other mentions stay (as user ids) in the text.
      const own = m.botUserId
        ? new RegExp(`<@${m.botUserId}(?:\\|[^>]*)?>`, 'g')
        : /^\s*<@[UW][A-Z0-9]+(?:\|[^>]*)?>/;
      const text = fromSlackText(m.text.replace(own, ' ')).trim();
      if (text.length > MAX_INPUT_CHARS) {
        await whisper(
          textMessage(
            `That is ${text.length} characters; I read at most ${MAX_INPUT_CHARS}. Ask one question at a time.`,
          ),
        );
        return;
      }
      // Events carry no trigger_id, so the form cannot open from here: offer a button that can.
      if (FORM_RE.test(text)) {
        await whisper({
          text: 'Open the form to log a rights request.',
          blocks: [
            section('The form keeps the requester’s details private to the privacy team.'),
            {
              type: 'actions',
              elements: [button(OPEN_FORM_ACTION, 'Log a rights request', 'open', 'primary')],
            },
          ],
        });
        return;
      }
      const actor = await this.actorFor(m.user);
      const meant = lineKind(text, this.now());
      if (meant === 'help') {
        await whisper(helpMessage(SLACK_COMMAND, actor.isPrivacyTeam));
        return;
      }
      // A typo hint only for what the core would otherwise read as a policy question.
      const hint = meant === 'question' ? commandHint(text, SLACK_COMMAND) : undefined;
      if (hint) {
        await whisper(textMessage(hint));
        return;
      }
      const reply = await this.options.engine.handle({ text, actor, audience, now: this.now() });
      const rendered = renderReply(reply, { mentions: false });
      const onlyAsker =
        reply.blocks.some((b) => b.kind === 'error') ||
        reply.blocks.some(
          (b) => b.kind === 'actions' && b.buttons.some((x) => x.action.startsWith('intake.')),
        ) ||
        // The core never gives a shared audience personal data; if it ever did, it stays private.
        (reply.personal && audience === 'shared');
      await (onlyAsker ? whisper(rendered) : post(rendered));
      await this.notice(reply);
    } catch (error) {
      await whisper(this.failure(error, 'answering your message')).catch((e: unknown) =>
        this.log.error({ slackError: slackErrorCode(e) }, 'could not report a failure'),
      );
    }
  }

  /** `stored` is called once the engine has acted (the change is stored, or it failed). */
  private async onCoreAction(
    body: BlockAction,
    action: ButtonAction,
    respond: Respond,
    stored?: () => void,
  ): Promise<void> {
    await this.turns.next();
    const name = action.action_id.slice(CORE_ACTION_PREFIX.length);
    const inView = body.container?.type === 'view' || (!body.response_url && body.view);
    // The reply replaces an ephemeral message or a DM of ours (so buttons cannot be pressed twice);
    // in a channel it is a new ephemeral message for the person who pressed.
    const replace = Boolean(body.container?.is_ephemeral) || Boolean(body.channel?.id?.startsWith('D'));
    try {
      // From the Home tab the reply opens in a modal. The trigger_id is valid for 3 s only
      // (docs.slack.dev/surfaces/modals#opening), so the modal opens at once and is filled in after.
      let modalId = body.view?.type === 'modal' ? body.view.id : undefined;
      if (inView && body.view?.type === 'home') {
        const opened = await this.client.views.open({
          trigger_id: body.trigger_id,
          view: replyModal('Request', {
            blocks: [{ kind: 'text', text: 'Working on it…' }],
            text: '',
            personal: false,
          }),
        });
        modalId = opened.view?.id;
      }
      const actor = await this.actorFor(body.user.id);
      // Every button reply is read by the presser alone: ephemeral, DM, modal or Home.
      const reply = await this.options.engine.act(name, action.value ?? '', {
        actor,
        audience: 'private',
        now: this.now(),
      });
      stored?.();
      if (inView && modalId) {
        const modal = replyModal(name === 'request.show' ? 'Request' : 'Done', reply);
        await this.client.views.update({ view_id: modalId, view: modal });
        if (name !== 'request.show') await this.publishHome(body.user.id);
      } else {
        // A draft everyone in the channel sees (a mail's): it now says what became of it, without
        // its buttons. Through the same response_url, which may be used up to five times.
        if (reply.settled && !replace)
          await respond({ replace_original: true, text: reply.settled, blocks: [section(reply.settled)] });
        const rendered = renderReply(reply, { mentions: true });
        await respond({
          response_type: 'ephemeral',
          replace_original: replace,
          text: rendered.text,
          blocks: rendered.blocks,
        });
      }
      await this.notice(reply);
    } catch (error) {
      const message = this.failure(error, 'handling that button');
      await (inView
        ? this.notifier.dm(body.user.id, message)
        : respond({
            response_type: 'ephemeral',
            replace_original: false,
            text: message.text,
            blocks: message.blocks,
          })
      ).catch((e: unknown) =>
        this.log.error({ slackError: slackErrorCode(e) }, 'could not report a failure'),
      );
    }
  }

  private async onFeedback(body: BlockAction, action: ButtonAction, respond: Respond): Promise<void> {
    await this.turns.next();
    // A new ephemeral message, so the answer the vote is about stays on screen.
    const say = (text: string) => respond({ response_type: 'ephemeral', replace_original: false, text });
    try {
      if (!this.options.feedback) {
        await say('Thanks! Votes are not being collected in this installation.');
        return;
      }
      const value = JSON.parse(action.value ?? '{}') as { q?: unknown; c?: unknown };
      const result = await this.options.feedback.record({
        questionId: String(value.q ?? ''),
        user: body.user.id,
        vote: action.action_id === FEEDBACK_ACTIONS.helpful ? 'helpful' : 'not-helpful',
        clauses: Array.isArray(value.c) ? value.c.map(String) : [],
        at: this.now().toISOString(),
      });
      await say(
        result === 'recorded'
          ? 'Thanks, your vote was recorded. It helps the privacy team improve the answers.'
          : 'You already voted on this answer; one vote per person.',
      );
    } catch (error) {
      const message =
        error instanceof SyntaxError
          ? textMessage('That vote could not be read.')
          : this.failure(error, 'saving your vote');
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: message.text,
        blocks: message.blocks,
      }).catch((e: unknown) =>
        this.log.error({ slackError: slackErrorCode(e) }, 'could not report a failure'),
      );
    }
  }

  /** Opens the intake modal; from a message shortcut, pre-filled with the message. */
  private async openIntakeForm(
    triggerId: string,
    userId: string,
    message?: { text?: string; ts?: string },
  ): Promise<void> {
    try {
      const zone = (await this.directory.timeZone(userId)) ?? this.options.defaultTimeZone;
      const today = todayIn(this.now(), zone);
      let prefill: Parameters<typeof intakeModal>[0]['prefill'];
      if (message) {
        const text = fromSlackText(message.text ?? '');
        const email = EMAIL_RE.exec(text)?.[0];
        // The request arrived when the message was posted (the clock starts on receipt).
        const posted = message.ts ? todayIn(new Date(Number(message.ts) * 1000), zone) : undefined;
        prefill = {
          ...(email ? { email } : {}),
          ...(text.trim() ? { note: clip(text.trim(), 2000, '… (shortened)') } : {}),
          ...(posted && posted <= today ? { received: posted } : {}),
          channel: 'chat',
        };
      }
      await this.client.views.open({
        trigger_id: triggerId,
        view: intakeModal({ today, policies: this.options.policies ?? [], ...(prefill ? { prefill } : {}) }),
      });
    } catch (error) {
      await this.notifier
        .dm(userId, this.failure(error, 'opening the request form'))
        .catch((e: unknown) =>
          this.log.error({ slackError: slackErrorCode(e) }, 'could not report a failure'),
        );
    }
  }

  /**
   * Logs a submitted form. Runs before the ack, so it asks Slack nothing: the register records the
   * Slack user id, and the reply's dates use the zone cached when the form was opened.
   */
  private async logIntake(
    userId: string,
    request: Parameters<ConversationEngine['submitRequest']>[0],
  ): Promise<{ reply?: Reply; requestId?: string; error?: string }> {
    try {
      const zone = this.directory.cachedTimeZone(userId);
      const reply = await this.options.engine.submitRequest(request, {
        actor: {
          id: `slack:${userId}`,
          name: userId,
          isPrivacyTeam: false,
          ...(zone ? { timeZone: zone } : {}),
        },
        audience: 'private',
        now: this.now(),
      });
      const logged = reply.blocks.find((b) => b.kind === 'request');
      if (logged?.kind === 'request') return { reply, requestId: logged.request.id };
      const error = reply.blocks.find((b) => b.kind === 'error');
      return {
        error:
          error?.kind === 'error'
            ? clip(reply.text, 1900, '…')
            : 'The request could not be logged; try again.',
      };
    } catch (error) {
      return { error: this.failure(error, 'logging the request').text };
    }
  }

  /** After a form was logged (or failed after a late ack): the DM with the id, the channel notice. */
  private async afterIntake(
    key: string,
    userId: string,
    outcome: { reply?: Reply; requestId?: string; error?: string },
  ): Promise<void> {
    try {
      if (outcome.requestId && outcome.reply) {
        await this.seen
          .put(key, { requestId: outcome.requestId }, VIEW_TTL_MS)
          .catch((error: unknown) =>
            this.log.warn({ code: toAppError(error).code }, 'could not record a logged form'),
          );
        // The confirmation goes to the submitter's DM: private, so it may name the requester.
        await this.notifier.dm(userId, renderReply(outcome.reply, { mentions: false }));
        await this.notice(outcome.reply);
      } else {
        await this.seen.release(key).catch(() => undefined);
        await this.notifier.dm(
          userId,
          textMessage(
            `${outcome.error ?? 'The request could not be logged.'} Nothing was logged; open the form again to retry.`,
          ),
        );
      }
    } catch (error) {
      this.log.error({ slackError: slackErrorCode(error) }, 'could not confirm a logged form');
    }
  }

  /** Publishes the viewer's Home tab. */
  async publishHome(userId: string): Promise<void> {
    await this.turns.next();
    try {
      const actor = await this.actorFor(userId);
      let view: webApi.ViewsPublishArguments['view'];
      if (actor.isPrivacyTeam) {
        const now = this.now();
        // The same three lists a person would ask for; the core applies the team-only rule again.
        const lists = await Promise.all(
          ['requests mine', 'requests due soon', 'requests overdue'].map((text) =>
            this.options.engine.handle({ text, actor, audience: 'private', now }),
          ),
        );
        const zone = actor.timeZone ?? this.options.defaultTimeZone;
        const updated = `${new Intl.DateTimeFormat('en-GB', { timeZone: zone, dateStyle: 'medium', timeStyle: 'short' }).format(now)} (${zone})`;
        view = teamHomeView(lists, updated);
      } else {
        view = guestHomeView(SLACK_COMMAND);
      }
      await this.client.views.publish({ user_id: userId, view });
    } catch (error) {
      const message = this.failure(error, 'showing your Home tab');
      await this.client.views
        .publish({ user_id: userId, view: { type: 'home', blocks: message.blocks } })
        .catch((e: unknown) =>
          this.log.error({ slackError: slackErrorCode(e) }, 'could not report a failure'),
        );
    }
  }
}
