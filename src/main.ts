import { type CliIo, type CliWiring, runCli } from './channels/cli/main.js';
import type { HttpServer } from './channels/http.js';
import type { MailboxSettings } from './channels/mailbox/watcher.js';
import { slackAddress } from './channels/slack/address.js';
import type { SlackSettings } from './channels/slack/start.js';
import type { TeamsNotifier, TeamsSettings } from './channels/teams/index.js';
import type { IntakeSettings } from './channels/webhook/start.js';
import { type Config, loadConfig } from './config.js';
import { toAppError } from './core/errors.js';
import type { LlmClient } from './core/llm/client.js';
import type { OpenAiClientOptions } from './core/llm/openai-client.js';
import type { MailIntakeOptions } from './core/mailbox/service.js';
import type { Scheduler, SchedulerOptions } from './core/reminders/scheduler.js';
import type { PolicyTargets } from './core/requests/register.js';
import { ENV_FILE } from './env-file.js';
import { createLogger, type Logger } from './logger.js';
import { type CliRoot, cliServices } from './wiring/cli.js';
import { type Core, type CoreSettings, type OpenedRegister, openCore } from './wiring/core.js';
import { type DeliverySettings, type SchedulerDeps, serverReminders } from './wiring/reminders.js';
import {
  type App,
  type ChatSettings,
  reportStartFailure,
  type Stops,
  serveUntilSignal,
  startChats,
  startMailbox,
  stopAll,
} from './wiring/server.js';

/**
 * The composition root: the one place that reads the configuration ({@link loadConfig}) and wires
 * config -> stores -> core -> channels -> scheduler, handing each part only the settings it needs.
 * It has three modes: the server ({@link startApp}: `npm start` with Slack, Teams or the intake
 * webhook configured), the console chat (`npm start` without them) and the command line
 * ({@link run}: bin/privacy-ops). All three open the register, the core and the reminder delivery
 * through the same functions, so `reminders run --once` sends through Slack and Teams as the
 * server does. src/index.ts is the process entry of `npm start`.
 *
 * Only this file reads the configuration and constructs the register and the scheduler
 * (tests/repository/architecture.test.ts): it derives each part's settings below and hands them,
 * with those constructors, to src/wiring/, which holds the rest: the core (wiring/core.ts), the
 * reminder delivery and the server's loop (wiring/reminders.ts), the server's chats, mailbox and
 * stopping (wiring/server.ts) and the CLI's services (wiring/cli.ts).
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

/** Where reminders go: Slack's token and privacy channel (when Slack is on), Teams' privacy channel. */
function deliverySettings(config: Config): DeliverySettings {
  return {
    ...(slackConfigured(config)
      ? {
          slack: {
            token: config.SLACK_BOT_TOKEN,
            ...(config.SLACK_API_URL ? { apiUrl: config.SLACK_API_URL } : {}),
            ...(config.SLACK_PRIVACY_CHANNEL ? { privacyChannel: config.SLACK_PRIVACY_CHANNEL } : {}),
          },
        }
      : {}),
    ...(config.TEAMS_PRIVACY_CHANNEL_ID ? { teamsPrivacyChannelId: config.TEAMS_PRIVACY_CHANNEL_ID } : {}),
  };
}

/** The chat platforms the server starts: Slack and Teams, each when configured. */
function chatSettings(config: Config): ChatSettings {
  return {
    ...(slackConfigured(config) ? { slack: slackSettings(config) } : {}),
    ...(teamsConfigured(config) ? { teams: teamsSettings(config) } : {}),
  };
}

/** The core's settings: the policies, the drafts desk (mailbox or intake webhook on), the engine. */
function coreSettings(config: Config): CoreSettings {
  return {
    corpusDir: config.POLICY_CORPUS,
    defaultPolicy: config.DEFAULT_POLICY,
    trustLlmFacts: config.TRUST_LLM_FACTS ?? false,
    ...(hasMailbox(config) || hasIntake(config)
      ? {
          desk: {
            store: config.PRIVACY_OPS_STORE,
            timeZone: config.DEFAULT_TIMEZONE,
            ...(hasMailbox(config) ? { mailbox: { autoLog: config.MAILBOX_AUTO_LOG === true } } : {}),
          },
        }
      : {}),
    engine: {
      snoozeHours: config.REMINDER_SNOOZE_HOURS,
      country: config.DEFAULT_COUNTRY,
      timeZone: config.DEFAULT_TIMEZONE,
    },
  };
}

// --- The register, the core and the scheduler: each constructed here only ----------------------

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

/** The core (src/wiring/core.ts) over the configured policies, register and LLM: server and console chat. */
function openConfiguredCore(
  config: Config,
  logger: Logger,
  options: { corpusDir?: string; defaultPolicy?: string; mailbox?: boolean } = {},
): Promise<Core> {
  // Optional: an OpenAI-compatible endpoint helps with low-confidence answers (never required).
  const llm = createLlmClient(config, logger);
  const mailLlm = mailLlmFrom(config, llm, logger);
  return openCore(
    coreSettings(config),
    {
      llm,
      ...(mailLlm ? { mailLlm } : {}),
      openRegister: (policyTargets) => openRegister(config, policyTargets),
    },
    logger,
    options,
  );
}

/** The one reminder scheduler: the configured settings over a register and its outbox. */
async function newScheduler(config: Config, deps: SchedulerDeps): Promise<Scheduler> {
  const { Scheduler } = await import('./core/reminders/scheduler.js');
  return new Scheduler({ ...schedulerSettings(config), ...deps });
}

// --- Mode 1: the server -------------------------------------------------------------------------

export type { App } from './wiring/server.js';

/**
 * Web forms and ticketing tools: POST /api/intake, when INTAKE_SECRET is set; a delivery kept for a
 * person is a draft in the privacy channel, when one is set.
 */
async function startIntakeRoute(config: Config, core: Core, http: HttpServer, logger: Logger, stops: Stops) {
  const { startIntake } = await import('./channels/webhook/start.js');
  if (!hasIntake(config)) return;
  const privacyChannel = Boolean(config.SLACK_PRIVACY_CHANNEL || config.TEAMS_PRIVACY_CHANNEL_ID);
  const intake = await startIntake({
    settings: intakeSettings(config),
    register: core.register,
    http,
    logger,
    ...(core.drafts && privacyChannel ? { desk: core.drafts.desk } : {}),
    ...(core.drafts?.llm ? { llm: core.drafts.llm } : {}),
  });
  stops.push(() => intake.stop());
}

/** The server's reminder loop (src/wiring/reminders.ts), when it is on and a platform can deliver. */
async function startReminders(
  config: Config,
  core: Core,
  teams: TeamsNotifier | undefined,
  logger: Logger,
  stops: Stops,
) {
  const reminders = await serverReminders(
    {
      enabled: Boolean(config.REMINDERS_ENABLED),
      delivery: deliverySettings(config),
      leadWithoutSlack: Boolean(config.PRIVACY_LEAD_SLACK_ID && !config.SLACK_BOT_TOKEN),
    },
    { core, ...(teams ? { teams } : {}), newScheduler: (deps) => newScheduler(config, deps) },
    logger,
  );
  if (!reminders) return;
  reminders.start();
  stops.push(() => reminders.stop());
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
  const stop = stopAll(stops, logger);
  try {
    const { HttpServer } = await import('./channels/http.js');
    const core = await openConfiguredCore(config, logger, { mailbox: true });
    stops.push(core.close);
    const { engine, register } = core;
    const http = new HttpServer(logger);
    const { slack, teams } = await startChats(chatSettings(config), core, http, logger, tuning, stops);
    await startIntakeRoute(config, core, http, logger, stops);
    const port = await http.start(config.PORT, config.HOST);
    stops.push(() => http.stop());
    // The privacy mailbox, when MAILBOX_HOST is set: its drafts go to the privacy channel(s).
    await startMailbox(hasMailbox(config) ? mailboxSettings(config) : undefined, core, logger, stops);
    // Reminders start last, once what they send through is up, and stop first.
    await startReminders(config, core, teams?.notifier, logger, stops);
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

/** What the command line may open (src/wiring/cli.ts), over this configuration. */
function cliRoot(config: Config, logger: Logger): CliRoot {
  return {
    store: config.PRIVACY_OPS_STORE,
    openRegister: (policyTargets) => openRegister(config, policyTargets),
    openCore: (options) => openConfiguredCore(config, logger, options),
    newScheduler: (deps) => newScheduler(config, deps),
    ...(teamsConfigured(config) ? { teams: teamsSettings(config) } : {}),
    delivery: deliverySettings(config),
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
    services: cliServices(cliRoot(config, logger), logger),
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
    return reportStartFailure(error, logger);
  }
  return serveUntilSignal(app, logger, options.envFile);
}
