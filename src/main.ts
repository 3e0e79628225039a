import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { type CliServices, checkDefaultPolicy } from './channels/cli/command.js';
import { type CliIo, type CliWiring, runCli } from './channels/cli/main.js';
import type { HttpServer } from './channels/http.js';
import type { MailboxSettings } from './channels/mailbox/watcher.js';
import { isSlackAddress, slackAddress } from './channels/slack/address.js';
import type { SlackChannel } from './channels/slack/index.js';
import type { SlackSettings } from './channels/slack/start.js';
import type { TeamsNotifier, TeamsSettings } from './channels/teams/index.js';
import type { IntakeSettings } from './channels/webhook/start.js';
import { type Config, loadConfig } from './config.js';
import type { ConversationEngine } from './core/conversation/engine.js';
import type { Reply } from './core/conversation/reply.js';
import { AppError, newReference, toAppError } from './core/errors.js';
import type { DraftDesk } from './core/intake/desk.js';
import type { LlmClient } from './core/llm/client.js';
import type { OpenAiClientOptions } from './core/llm/openai-client.js';
import type { MailIntakeOptions, MailIntakeService } from './core/mailbox/service.js';
import type { PolicyAnswerer } from './core/policy/answer.js';
import type { Corpus } from './core/policy/model.js';
import type { ReminderRoute } from './core/reminders/composite.js';
import type { ReminderChannel } from './core/reminders/delivery.js';
import type { Scheduler, SchedulerOptions } from './core/reminders/scheduler.js';
import type { ReminderStore } from './core/reminders/store.js';
import type { PolicyTargets, Register } from './core/requests/register.js';
import { ENV_FILE } from './env-file.js';
import { createLogger, type Logger } from './logger.js';
import type { Backend } from './store/backends.js';
import type { BackendSeenKeys } from './store/seen-keys.js';

/**
 * The composition root: the one place that reads the configuration ({@link loadConfig}) and wires
 * config -> stores -> core -> channels -> scheduler, handing each part only the settings it needs.
 * It has three modes: the server ({@link startApp}: `npm start` with Slack, Teams or the intake
 * webhook configured), the console chat (`npm start` without them) and the command line
 * ({@link run}: bin/privacy-ops). All three open the register, the core and the reminder delivery
 * through the same functions below, so `reminders run --once` sends through Slack and Teams as the
 * server does. src/index.ts is the process entry of `npm start`.
 *
 * Modules are imported where they are first needed (`await import`), so a command pays only for
 * what it opens: `deadline` loads no Slack, Teams, store driver or LLM SDK.
 */

// --- What each part gets from the configuration -------------------------------------------------

/** True when Slack is on: a bot token (config.ts then requires the rest). */
function slackConfigured(config: Config): config is Config & { SLACK_BOT_TOKEN: string } {
  return Boolean(config.SLACK_BOT_TOKEN);
}

/** True when Teams is on: an Azure bot registration, or local development mode. */
function teamsConfigured(config: Config): boolean {
  return Boolean(config.MICROSOFT_APP_ID || config.TEAMS_DEV_MODE);
}

/** True when a chat platform (or the intake webhook) is configured, so the process serves HTTP instead of the console. */
export function platformsConfigured(config: Config): boolean {
  return Boolean(
    config.SLACK_BOT_TOKEN ||
      config.SLACK_SIGNING_SECRET ||
      config.SLACK_APP_TOKEN ||
      config.INTAKE_SECRET ||
      config.MAILBOX_HOST ||
      teamsConfigured(config),
  );
}

function slackSettings(config: Config & { SLACK_BOT_TOKEN: string }): SlackSettings {
  return {
    store: config.PRIVACY_OPS_STORE,
    botToken: config.SLACK_BOT_TOKEN,
    ...(config.SLACK_SIGNING_SECRET ? { signingSecret: config.SLACK_SIGNING_SECRET } : {}),
    socketMode: config.SLACK_SOCKET_MODE === true,
    ...(config.SLACK_APP_TOKEN ? { appToken: config.SLACK_APP_TOKEN } : {}),
    ...(config.SLACK_API_URL ? { apiUrl: config.SLACK_API_URL } : {}),
    ...(config.SLACK_PRIVACY_CHANNEL ? { privacyChannel: config.SLACK_PRIVACY_CHANNEL } : {}),
    teamUsers: config.SLACK_PRIVACY_TEAM_USERS,
    ...(config.SLACK_PRIVACY_TEAM_GROUP ? { teamGroup: config.SLACK_PRIVACY_TEAM_GROUP } : {}),
    defaultTimeZone: config.DEFAULT_TIMEZONE,
  };
}

function teamsSettings(config: Config): TeamsSettings {
  return {
    store: config.PRIVACY_OPS_STORE,
    ...(config.MICROSOFT_APP_ID ? { appId: config.MICROSOFT_APP_ID } : {}),
    ...(config.MICROSOFT_APP_PASSWORD ? { appPassword: config.MICROSOFT_APP_PASSWORD } : {}),
    ...(config.MICROSOFT_APP_TENANT_ID ? { tenantId: config.MICROSOFT_APP_TENANT_ID } : {}),
    ...(config.MICROSOFT_LOGIN_URL ? { loginUrl: config.MICROSOFT_LOGIN_URL } : {}),
    privacyTeam: config.TEAMS_PRIVACY_TEAM_AAD_IDS,
    ...(config.TEAMS_PRIVACY_CHANNEL_ID ? { privacyChannelId: config.TEAMS_PRIVACY_CHANNEL_ID } : {}),
    defaultTimeZone: config.DEFAULT_TIMEZONE,
  };
}

function hasIntake(config: Config): config is Config & { INTAKE_SECRET: string } {
  return Boolean(config.INTAKE_SECRET);
}

function intakeSettings(config: Config & { INTAKE_SECRET: string }): IntakeSettings {
  return {
    store: config.PRIVACY_OPS_STORE,
    secret: config.INTAKE_SECRET,
    autoLog: config.INTAKE_AUTO_LOG === true,
    timeZone: config.DEFAULT_TIMEZONE,
  };
}

function hasMailbox(config: Config): config is Config & { MAILBOX_HOST: string; MAILBOX_USER: string } {
  return Boolean(config.MAILBOX_HOST && config.MAILBOX_USER);
}

function mailboxSettings(config: Config & { MAILBOX_HOST: string; MAILBOX_USER: string }): MailboxSettings {
  return {
    host: config.MAILBOX_HOST,
    port: config.MAILBOX_PORT,
    tls: config.MAILBOX_TLS,
    user: config.MAILBOX_USER,
    ...(config.MAILBOX_PASSWORD ? { password: config.MAILBOX_PASSWORD } : {}),
    ...(config.MAILBOX_ACCESS_TOKEN ? { accessToken: config.MAILBOX_ACCESS_TOKEN } : {}),
    ...(config.MAILBOX_OAUTH_TOKEN_URL && config.MAILBOX_OAUTH_CLIENT_ID && config.MAILBOX_OAUTH_CLIENT_SECRET
      ? {
          oauth: {
            tokenUrl: config.MAILBOX_OAUTH_TOKEN_URL,
            clientId: config.MAILBOX_OAUTH_CLIENT_ID,
            clientSecret: config.MAILBOX_OAUTH_CLIENT_SECRET,
            scope: config.MAILBOX_OAUTH_SCOPE ?? 'https://outlook.office365.com/.default',
          },
        }
      : {}),
    ...(config.MAILBOX_OAUTH_SERVICE_ACCOUNT_FILE
      ? {
          serviceAccount: {
            keyFile: config.MAILBOX_OAUTH_SERVICE_ACCOUNT_FILE,
            scope: config.MAILBOX_OAUTH_SCOPE ?? 'https://mail.google.com/',
          },
        }
      : {}),
    folder: config.MAILBOX_FOLDER,
    pollSeconds: config.MAILBOX_POLL_SECONDS,
  };
}

/**
 * The scheduler's settings: the server's loop and the CLI's `reminders` select exactly the same
 * reminders. Owners written as Slack ids are addresses whatever is configured, so a dry run shows
 * who a sweep would message.
 */
function schedulerSettings(
  config: Config,
): Omit<SchedulerOptions, 'register' | 'store' | 'channel' | 'now' | 'logger'> {
  return {
    offsets: config.REMINDER_OFFSETS_DAYS,
    hours: { ...config.REMINDER_WORK_HOURS, days: config.REMINDER_WORK_DAYS },
    timeZone: config.DEFAULT_TIMEZONE,
    channelWithinDays: config.REMINDER_CHANNEL_WITHIN_DAYS,
    sweepCron: config.REMINDER_SWEEP_CRON,
    digestCron: config.REMINDER_DIGEST_CRON,
    snoozeHours: config.REMINDER_SNOOZE_HOURS,
    ...(config.PRIVACY_LEAD_SLACK_ID ? { lead: config.PRIVACY_LEAD_SLACK_ID } : {}),
    addressForm: slackAddress,
  };
}

/** The LLM settings of a configuration, or null when no LLM is configured (the offline default). */
export function llmOptionsFrom(config: Config, logger?: Logger): OpenAiClientOptions | null {
  // A model plus a key (hosted) or a base URL (local server) means configured; see config.ts.
  if (!config.OPENAI_MODEL || !(config.OPENAI_API_KEY || config.OPENAI_BASE_URL)) return null;
  return {
    model: config.OPENAI_MODEL,
    ...(config.OPENAI_API_KEY ? { apiKey: config.OPENAI_API_KEY } : {}),
    ...(config.OPENAI_BASE_URL ? { baseURL: config.OPENAI_BASE_URL } : {}),
    timeoutMs: config.OPENAI_TIMEOUT_MS,
    maxRetries: config.OPENAI_MAX_RETRIES,
    ...(logger ? { logger } : {}),
  };
}

/**
 * The configured client, or null when the configuration names no LLM. The SDK behind it is loaded
 * on the first call, so a configured LLM costs nothing until a question needs it.
 */
export function createLlmClient(config: Config, logger?: Logger): LlmClient | null {
  const options = llmOptionsFrom(config, logger);
  if (!options) return null;
  let client: Promise<LlmClient> | undefined;
  return {
    async complete(request) {
      client ??= import('./core/llm/openai-client.js').then((m) => new m.OpenAiLlmClient(options));
      return (await client).complete(request);
    },
  };
}

/**
 * The model that reads the mailbox's mail and the intake webhook's messages where the rules could
 * not (docs/mailbox.md), or undefined: only with LLM_READ_MAIL=true AND an LLM configured, since
 * what a requester wrote is their own data.
 */
export function mailLlmFrom(
  config: Config,
  llm: LlmClient | null,
  logger?: Logger,
): MailIntakeOptions['llm'] | undefined {
  if (config.LLM_READ_MAIL !== true || !llm) return undefined;
  return { client: llm, ...(logger ? { logger } : {}) };
}

// --- Stores and the core ------------------------------------------------------------------------

interface OpenedRegister {
  register: Register;
  /** The register's storage backend, which reminder claims and drafts share. */
  backend: Backend;
  close(): Promise<void>;
}

/** The register in PRIVACY_OPS_STORE: the one place it is opened. */
async function openRegister(config: Config, policyTargets?: PolicyTargets): Promise<OpenedRegister> {
  const { openRegisterStore } = await import('./store/register-store.js');
  const { Register } = await import('./core/requests/register.js');
  const store = await openRegisterStore(config.PRIVACY_OPS_STORE);
  try {
    const register = await Register.open(store, {
      defaultCountry: config.DEFAULT_COUNTRY,
      timeZone: config.DEFAULT_TIMEZONE,
      retentionMonths: config.REGISTER_RETENTION_MONTHS,
      ...(policyTargets ? { policyTargets } : {}),
    });
    return {
      register,
      backend: store.backend,
      async close() {
        try {
          await register.close();
        } finally {
          await store.close();
        }
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}

/**
 * The platform-neutral core, for the server and the console chat: policies, the optional LLM, the
 * register, the reminder store, the drafts waiting for a "yes" and the conversation engine.
 */
interface Core extends OpenedRegister {
  corpus: Corpus;
  reminderStore: ReminderStore;
  engine: ConversationEngine;
  /**
   * The drafts posted to the privacy channel, when the mailbox (MAILBOX_HOST) or the intake
   * webhook (INTAKE_SECRET) is on; `posters` are added as channels start.
   */
  drafts?: {
    desk: DraftDesk;
    /** The mailbox's service, when MAILBOX_HOST is set. */
    mail?: MailIntakeService;
    /** The model that reads what the rules could not in a draft (LLM_READ_MAIL), when on. */
    llm?: MailIntakeOptions['llm'];
    seen: BackendSeenKeys;
    posters: ((reply: Reply) => Promise<boolean>)[];
  };
}

/** The conversation engine over the core's parts: the answerer (with the LLM's help, if any), the register, drafts, snoozes. */
async function newEngine(
  config: Config,
  logger: Logger,
  parts: {
    answerer: PolicyAnswerer;
    llm: LlmClient | null;
    opened: OpenedRegister;
    drafts: Core['drafts'];
    reminderStore: ReminderStore;
  },
): Promise<ConversationEngine> {
  const { ConversationEngine } = await import('./core/conversation/engine.js');
  const { AssistedAnswerer } = await import('./core/llm/assisted-answer.js');
  const { BackendDraftStore } = await import('./store/draft-store.js');
  const { answerer, llm, opened, drafts, reminderStore } = parts;
  return new ConversationEngine({
    ...(drafts ? { desk: drafts.desk } : {}),
    answerer,
    ...(llm ? { assistant: new AssistedAnswerer(answerer, llm, { logger }) } : {}),
    register: opened.register,
    // Drafts wait in the register's store, so a "yes" may reach any replica, or come after a restart.
    drafts: new BackendDraftStore(opened.backend),
    snoozeReminders: async (requestId, now) => {
      const until = new Date(now.getTime() + config.REMINDER_SNOOZE_HOURS * 3_600_000);
      await reminderStore.snooze(requestId, until);
      return until;
    },
    defaultCountry: config.DEFAULT_COUNTRY,
    defaultTimeZone: config.DEFAULT_TIMEZONE,
    onError: (error, reference) =>
      logger.error({ code: error.code, reference, err: error.cause }, 'turn failed'),
  });
}

async function openCore(
  config: Config,
  logger: Logger,
  options: { corpusDir?: string; defaultPolicy?: string; mailbox?: boolean } = {},
): Promise<Core> {
  const { openPolicies } = await import('./core/policy/service.js');
  const { policyTargetsFrom } = await import('./core/policy/targets.js');
  const { ReminderStore } = await import('./core/reminders/store.js');
  const { corpus, answerer } = await openPolicies(
    options.corpusDir ?? config.POLICY_CORPUS,
    options.defaultPolicy ?? config.DEFAULT_POLICY,
    { trustLlmFacts: config.TRUST_LLM_FACTS ?? false },
  );
  // The configured corpus must hold the configured default; another one (`chat --corpus`) need not.
  const configuredCorpus = (options.corpusDir ?? config.POLICY_CORPUS) === config.POLICY_CORPUS;
  if (configuredCorpus && !options.defaultPolicy) checkDefaultPolicy(corpus, config.DEFAULT_POLICY);
  for (const s of corpus.skipped) logger.warn({ file: s.file, reason: s.reason }, 'policy document skipped');
  // Optional: an OpenAI-compatible endpoint helps with low-confidence answers (never required).
  const llm = createLlmClient(config, logger);
  const opened = await openRegister(config, policyTargetsFrom(corpus));
  const drafts =
    options.mailbox && (hasMailbox(config) || hasIntake(config))
      ? await openDesk(config, opened, mailLlmFrom(config, llm, logger))
      : undefined;
  const reminderStore = new ReminderStore(opened.backend);
  const engine = await newEngine(config, logger, { answerer, llm, opened, drafts, reminderStore });
  return {
    ...opened,
    ...(drafts
      ? {
          drafts,
          async close() {
            try {
              await drafts.seen.close();
            } finally {
              await opened.close();
            }
          },
        }
      : {}),
    corpus,
    reminderStore,
    engine,
  };
}

/**
 * The drafts for the privacy channel (the mailbox's, the intake webhook's), next to the register:
 * claims and drafts in the shared dedupe keys (every replica sees them). They go to whichever
 * privacy channels the server starts; one taking a draft is enough.
 */
async function openDesk(
  config: Config,
  opened: OpenedRegister,
  llm?: MailIntakeOptions['llm'],
): Promise<NonNullable<Core['drafts']>> {
  const { openSeenKeys } = await import('./store/seen-keys.js');
  const { DraftDesk } = await import('./core/intake/desk.js');
  const { AppError } = await import('./core/errors.js');
  const seen = await openSeenKeys(config.PRIVACY_OPS_STORE);
  const posters: ((reply: Reply) => Promise<boolean>)[] = [];
  const post = async (reply: Reply) => {
    const sent = await Promise.allSettled(posters.map((poster) => poster(reply)));
    if (!sent.some((r) => r.status === 'fulfilled' && r.value))
      throw new AppError('UPSTREAM', 'No privacy channel took the draft.', {
        cause: sent.find((r) => r.status === 'rejected')?.reason,
      });
  };
  const desk = new DraftDesk({ register: opened.register, seen, timeZone: config.DEFAULT_TIMEZONE, post });
  if (!hasMailbox(config)) return { desk, seen, posters, ...(llm ? { llm } : {}) };
  const { MailIntakeService } = await import('./core/mailbox/service.js');
  const mail = new MailIntakeService({
    register: opened.register,
    seen,
    autoLog: config.MAILBOX_AUTO_LOG === true,
    timeZone: config.DEFAULT_TIMEZONE,
    post,
    desk,
    ...(llm ? { llm } : {}),
  });
  return { desk, mail, seen, posters, ...(llm ? { llm } : {}) };
}

// --- Reminders ----------------------------------------------------------------------------------

/**
 * The one reminder delivery, for the server's loop and the CLI's `reminders run --once` alike:
 * Slack (a bot token) and/or Teams (a notifier); with both, a composite routes each person's
 * message to their platform and posts channel messages to every privacy channel configured
 * (src/core/reminders/composite.ts). Undefined when no platform can deliver.
 */
async function reminderDelivery(
  config: Config,
  deps: { backend: Backend; teams?: TeamsNotifier },
  logger: Logger,
): Promise<{ channel: ReminderChannel; routes: ReminderRoute[] } | undefined> {
  const routes: ReminderRoute[] = [];
  if (slackConfigured(config)) {
    const { SlackReminderChannel } = await import('./channels/slack/reminder-delivery.js');
    routes.push({
      channel: new SlackReminderChannel({
        token: config.SLACK_BOT_TOKEN,
        ...(config.SLACK_API_URL ? { apiUrl: config.SLACK_API_URL } : {}),
        ...(config.SLACK_PRIVACY_CHANNEL ? { privacyChannel: config.SLACK_PRIVACY_CHANNEL } : {}),
      }),
      owns: isSlackAddress,
      hasPrivacyChannel: Boolean(config.SLACK_PRIVACY_CHANNEL),
    });
  }
  if (deps.teams) {
    const { isTeamsAddress, TeamsReminderChannel } = await import('./channels/teams/reminder-delivery.js');
    routes.push({
      channel: new TeamsReminderChannel({
        notifier: deps.teams,
        ...(config.TEAMS_PRIVACY_CHANNEL_ID ? { privacyChannelId: config.TEAMS_PRIVACY_CHANNEL_ID } : {}),
      }),
      owns: isTeamsAddress,
      knowsNames: true,
      hasPrivacyChannel: Boolean(config.TEAMS_PRIVACY_CHANNEL_ID),
    });
  }
  if (routes.length === 0) return undefined;
  if (routes.length === 1) return { channel: routes[0]!.channel, routes };
  const { CompositeReminderChannel } = await import('./core/reminders/composite.js');
  const { UNKNOWN_TEAMS_USER } = await import('./channels/teams/reminder-delivery.js');
  const channel = new CompositeReminderChannel({
    routes,
    backend: deps.backend,
    unknown: [UNKNOWN_TEAMS_USER],
    logger,
  });
  return { channel, routes };
}

/** The one reminder scheduler: the configured settings over a register and its outbox. */
async function newScheduler(
  config: Config,
  deps: {
    register: Register;
    store: ReminderStore;
    channel?: ReminderChannel;
    logger?: Logger;
    now?: () => Date;
    /** False when no platform has a privacy channel: its messages are held, not failed. */
    privacyChannel?: boolean;
  },
): Promise<Scheduler> {
  const { Scheduler } = await import('./core/reminders/scheduler.js');
  return new Scheduler({ ...schedulerSettings(config), ...deps });
}

/** The server's reminder loop, when REMINDERS_ENABLED and Slack or Teams can deliver. */
async function serverReminders(
  config: Config,
  deps: { core: Core; teams?: TeamsNotifier },
  logger: Logger,
): Promise<Scheduler | undefined> {
  if (!config.REMINDERS_ENABLED) return undefined;
  const delivery = await reminderDelivery(
    config,
    { backend: deps.core.backend, ...(deps.teams ? { teams: deps.teams } : {}) },
    logger,
  );
  if (!delivery) return undefined;
  if (!delivery.routes.some((r) => r.hasPrivacyChannel))
    logger.warn(
      { code: 'CONFIG' },
      'No privacy channel is set: reminders to the privacy channel are held (not lost) and go out once SLACK_PRIVACY_CHANNEL (C...) or TEAMS_PRIVACY_CHANNEL_ID (19:...@thread.tacv2) is set',
    );
  if (config.PRIVACY_LEAD_SLACK_ID && !config.SLACK_BOT_TOKEN)
    logger.warn(
      { code: 'CONFIG' },
      'PRIVACY_LEAD_SLACK_ID is set but Slack is not configured: overdue escalations to the lead will fail',
    );
  return await newScheduler(config, {
    register: deps.core.register,
    store: deps.core.reminderStore,
    channel: delivery.channel,
    logger,
    privacyChannel: delivery.routes.some((r) => r.hasPrivacyChannel),
  });
}

// --- Mode 1: the server -------------------------------------------------------------------------

export interface App {
  port: number;
  /** The address the HTTP server listens on (HOST). */
  host: string;
  routes: string[];
  engine: ConversationEngine;
  register: Register;
  /** The Slack channel, when Slack is configured (tests wait on its `settle()`). */
  slack?: SlackChannel;
  /** Proactive messages into Teams (personal chats, the privacy channel), when Teams is configured. */
  teams?: TeamsNotifier;
  stop(): Promise<void>;
}

/** What {@link App.stop} runs, in reverse order. */
type Stops = (() => Promise<void>)[];

/**
 * Slack and Teams, each when configured, mounted on the one HTTP server (Slack: /slack/events;
 * Teams: /api/messages); drafts for a person (the mailbox's, the webhook's) go to their privacy
 * channels.
 */
async function startChats(
  config: Config,
  core: Core,
  http: HttpServer,
  logger: Logger,
  tuning: { slackConnectTimeoutMs?: number },
  stops: Stops,
) {
  const { startSlack } = await import('./channels/slack/index.js');
  const { startTeams } = await import('./channels/teams/index.js');
  const { engine } = core;
  const policies = core.corpus.policies.map((p) => ({ id: p.id, name: p.name }));
  const slack = slackConfigured(config)
    ? await startSlack({
        settings: {
          ...slackSettings(config),
          ...(tuning.slackConnectTimeoutMs ? { connectTimeoutMs: tuning.slackConnectTimeoutMs } : {}),
        },
        engine,
        policies,
        http,
        logger,
      })
    : undefined;
  if (slack) stops.push(() => slack.stop());
  const teams = teamsConfigured(config)
    ? await startTeams(http, { settings: teamsSettings(config), engine, logger, policies })
    : undefined;
  if (teams) stops.push(() => teams.stop());
  if (core.drafts) {
    const { posters } = core.drafts;
    if (slack) posters.push(async (reply) => Boolean(await slack.channel.notifier.toPrivacyChannel(reply)));
    if (teams) posters.push((reply) => teams.notifier.sendToPrivacyChannel(reply));
  }
  return { slack, teams };
}

/** Watches the privacy mailbox, when MAILBOX_HOST is set. */
async function startMailbox(config: Config, core: Core, logger: Logger, stops: Stops): Promise<void> {
  if (!core.drafts?.mail || !hasMailbox(config)) return;
  const { MailboxWatcher } = await import('./channels/mailbox/watcher.js');
  const watcher = new MailboxWatcher({
    settings: mailboxSettings(config),
    service: core.drafts.mail,
    seen: core.drafts.seen,
    logger,
  });
  await watcher.start();
  stops.push(() => watcher.stop());
}

/**
 * The server: every long-running part is started in order and stopped in reverse by
 * {@link App.stop}. Tests call it with a config of their own and port 0.
 */
export async function startApp(
  config: Config,
  logger: Logger,
  /** Tests only: how long Socket Mode start-up waits for Slack (30 s otherwise). */
  tuning: { slackConnectTimeoutMs?: number } = {},
): Promise<App> {
  const stops: Stops = [];
  const stop = async () => {
    for (const fn of stops.splice(0).reverse()) {
      try {
        await fn();
      } catch (error) {
        logger.error({ err: error }, 'stop failed');
      }
    }
  };
  try {
    const { HttpServer } = await import('./channels/http.js');
    const { startIntake } = await import('./channels/webhook/start.js');
    const core = await openCore(config, logger, { mailbox: true });
    stops.push(core.close);
    const { engine, register } = core;
    const http = new HttpServer(logger);
    const { slack, teams } = await startChats(config, core, http, logger, tuning, stops);
    // Web forms and ticketing tools: POST /api/intake, when INTAKE_SECRET is set; a delivery kept
    // for a person is a draft in the privacy channel, when one is set.
    const privacyChannel = Boolean(config.SLACK_PRIVACY_CHANNEL || config.TEAMS_PRIVACY_CHANNEL_ID);
    const intake = hasIntake(config)
      ? await startIntake({
          settings: intakeSettings(config),
          register,
          http,
          logger,
          ...(core.drafts && privacyChannel ? { desk: core.drafts.desk } : {}),
          ...(core.drafts?.llm ? { llm: core.drafts.llm } : {}),
        })
      : undefined;
    if (intake) stops.push(() => intake.stop());
    const port = await http.start(config.PORT, config.HOST);
    stops.push(() => http.stop());
    // The privacy mailbox, when MAILBOX_HOST is set: its drafts go to the privacy channel(s).
    await startMailbox(config, core, logger, stops);
    // Reminders start last, once what they send through is up, and stop first.
    const reminders = await serverReminders(
      config,
      { core, ...(teams ? { teams: teams.notifier } : {}) },
      logger,
    );
    if (reminders) {
      reminders.start();
      stops.push(() => reminders.stop());
    }
    return {
      port,
      host: http.address ?? config.HOST,
      routes: http.paths,
      engine,
      register,
      ...(slack ? { slack: slack.channel } : {}),
      ...(teams ? { teams: teams.notifier } : {}),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

// --- Mode 2: the command line (and the console chat) --------------------------------------------

/** PRIVACY_OPS_STORE's default: a SQLite file relative to the working directory. */
const DEFAULT_STORE = 'sqlite://data/privacy-ops.sqlite';

/**
 * A command that only reads must not create the default register: run outside the directory that
 * holds it, it would open a new, empty one and answer "No requests match." (issue 17).
 */
function registerMustExist(config: Config): void {
  if (config.PRIVACY_OPS_STORE !== DEFAULT_STORE) return;
  const path = resolve(config.PRIVACY_OPS_STORE.slice('sqlite://'.length));
  if (existsSync(path)) return;
  throw new AppError(
    'REGISTER_MISSING',
    `No register exists at ${path}; run this from the directory that holds data/privacy-ops.sqlite (the repository root), or set PRIVACY_OPS_STORE to the register.`,
  );
}

/** What a command may open, each only when it asks (`deadline` opens no store). */
function cliServices(config: Config, logger: Logger): CliServices {
  return {
    async openRegister(policyTargets, options) {
      if (options?.readOnly) registerMustExist(config);
      return openRegister(config, policyTargets);
    },
    openConsole: (options) => openCore(config, logger, options),
    async openReminders({ send, now }) {
      const opened = await openRegister(config);
      const closers: (() => Promise<void>)[] = [opened.close];
      const close = async () => {
        for (const fn of closers.splice(0).reverse()) await fn();
      };
      try {
        const { openTeamsNotifier } = await import('./channels/teams/index.js');
        const { ReminderStore } = await import('./core/reminders/store.js');
        const teams = teamsConfigured(config)
          ? await openTeamsNotifier(teamsSettings(config), { logger, send })
          : undefined;
        if (teams) closers.push(teams.stop);
        const delivery = await reminderDelivery(
          config,
          { backend: opened.backend, ...(teams ? { teams: teams.notifier } : {}) },
          logger,
        );
        const scheduler = await newScheduler(config, {
          register: opened.register,
          store: new ReminderStore(opened.backend),
          ...(delivery
            ? { channel: delivery.channel, privacyChannel: delivery.routes.some((r) => r.hasPrivacyChannel) }
            : {}),
          now,
        });
        return { scheduler, platforms: delivery?.routes.map((r) => r.channel.name) ?? [], close };
      } catch (error) {
        await close();
        throw error;
      }
    },
    llm: () => createLlmClient(config, logger),
  };
}

function wireCli(config: Config): CliWiring {
  // Commands print their results; the log shows only what went wrong unless asked for more.
  const logger = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL);
  return {
    settings: {
      corpusDir: config.POLICY_CORPUS,
      ...(config.DEFAULT_POLICY ? { defaultPolicy: config.DEFAULT_POLICY } : {}),
      trustLlmFacts: config.TRUST_LLM_FACTS ?? false,
      ...(config.PRIVACY_OPS_ACTOR ? { actor: config.PRIVACY_OPS_ACTOR } : {}),
      timeZone: config.DEFAULT_TIMEZONE,
      country: config.DEFAULT_COUNTRY,
      retentionMonths: config.REGISTER_RETENTION_MONTHS,
      ingestTimeoutMs: config.OPENAI_INGEST_TIMEOUT_MS,
    },
    services: cliServices(config, logger),
    logger,
  };
}

export interface RunOptions extends CliIo {
  /** The environment to read the configuration from; `process.env` when unset. */
  env?: Record<string, string | undefined>;
}

/** `privacy-ops <command>` (bin/privacy-ops): one CLI invocation; returns its exit code, never throws. */
export function run(argv: string[], options: RunOptions = {}): Promise<number> {
  return runCli(argv, options, () => wireCli(loadConfig(options.env ?? process.env)));
}

// --- `npm start`: the server, or the console chat -----------------------------------------------

/**
 * `npm start` (src/index.ts): serves the chat platforms when one is configured, else opens the
 * console chat over the configured corpus and the embedded SQLite register. `envFile`: the `.env`
 * the entry point read, named (never its values) so a person knows where settings came from.
 */
export async function start(
  argv: string[],
  options: { env?: Record<string, string | undefined>; envFile?: string } = {},
): Promise<number> {
  let config: Config;
  try {
    config = loadConfig(options.env ?? process.env);
  } catch (error) {
    process.stderr.write(`privacy-ops: ${toAppError(error).message}\n`);
    return toAppError(error).exitCode;
  }
  if (!platformsConfigured(config)) {
    // Embedded defaults: a local console chat, no credentials needed.
    if (options.envFile)
      process.stderr.write(
        `privacy-ops: settings read from ${options.envFile}${options.envFile === ENV_FILE ? ' in the working directory' : ''}.\n`,
      );
    return runCli(['chat', ...argv], {}, () => wireCli(config));
  }
  const logger = createLogger(config.LOG_LEVEL);
  let app: App;
  try {
    app = await startApp(config, logger);
  } catch (error) {
    // One sentence that says what to fix, and the CLI's exit code for it (README, "Exit codes").
    const appError = toAppError(error);
    if (appError.code === 'INTERNAL') {
      const reference = newReference();
      logger.error({ err: appError.cause, code: appError.code, reference }, 'start-up failed');
      process.stderr.write(`privacy-ops: could not start: ${appError.message} (reference ${reference})\n`);
    } else {
      process.stderr.write(`privacy-ops: ${appError.message}\n`);
    }
    return appError.exitCode;
  }
  // Which settings file was read, never its values.
  logger.info(
    { port: app.port, routes: app.routes, envFile: options.envFile ?? null },
    'privacy-ops is serving',
  );
  const stop = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    await app.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  return new Promise<number>(() => {
    // Runs until a signal stops it.
  });
}
