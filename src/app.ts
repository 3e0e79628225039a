import { HttpServer } from './channels/http.js';
import { type SlackChannel, startSlack } from './channels/slack/index.js';
import { SlackReminderChannel } from './channels/slack/reminder-delivery.js';
import { startTeams, type TeamsNotifier, teamsConfigured } from './channels/teams/index.js';
import {
  isTeamsAddress,
  TeamsReminderChannel,
  UNKNOWN_TEAMS_USER,
} from './channels/teams/reminder-delivery.js';
import { startIntake } from './channels/webhook/start.js';
import type { Config } from './config.js';
import type { ConversationEngine } from './core/conversation/engine.js';
import { CompositeReminderChannel, type ReminderRoute } from './core/reminders/composite.js';
import { Scheduler } from './core/reminders/scheduler.js';
import { directAddress } from './core/reminders/select.js';
import { schedulerSettings } from './core/reminders/settings.js';
import type { ReminderBackend, ReminderStore } from './core/reminders/store.js';
import type { Register } from './core/requests/register.js';
import { openCore } from './core-services.js';
import type { Logger } from './logger.js';

/**
 * The composition root: config -> stores -> core -> channels -> scheduler. Every long-running
 * part is started here in order and stopped in reverse by {@link App.stop}. Tests call
 * {@link startApp} with a config of their own and port 0.
 */
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

/** True when a chat platform (or the intake webhook) is configured, so the process serves HTTP instead of the console. */
export function platformsConfigured(config: Config): boolean {
  return Boolean(
    config.SLACK_BOT_TOKEN ||
      config.SLACK_SIGNING_SECRET ||
      config.SLACK_APP_TOKEN ||
      config.INTAKE_SECRET ||
      teamsConfigured(config),
  );
}

export async function startApp(config: Config, logger: Logger): Promise<App> {
  const stops: (() => Promise<void>)[] = [];
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
    const { corpus, register, reminderStore, backend, engine, close } = await openCore(config, logger);
    stops.push(close);
    const http = new HttpServer(logger);
    // Channels mount their routes here (Slack: /slack/events; Teams: /api/messages).
    const slack = await startSlack({
      config,
      engine,
      policies: corpus.policies.map((p) => ({ id: p.id, name: p.name })),
      http,
      logger,
    });
    if (slack) stops.push(() => slack.stop());
    const teams = teamsConfigured(config)
      ? await startTeams(http, {
          config,
          engine,
          logger,
          policies: corpus.policies.map((p) => ({ id: p.id, name: p.name })),
        })
      : undefined;
    if (teams) stops.push(() => teams.stop());
    // Web forms and ticketing tools: POST /api/intake, when INTAKE_SECRET is set.
    const intake = await startIntake({ config, register, http, logger });
    if (intake) stops.push(() => intake.stop());
    const port = await http.start(config.PORT, config.HOST);
    stops.push(() => http.stop());
    // Reminders start last, once what they send through is up, and stop first.
    const reminders = reminderScheduler(
      config,
      {
        register,
        store: reminderStore,
        backend,
        ...(teams ? { teams: teams.notifier } : {}),
      },
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

/**
 * The reminder loop, when REMINDERS_ENABLED and Slack (a bot token) or Teams can deliver. With both,
 * a composite routes each person's message to their platform and posts channel messages to every
 * privacy channel configured (src/core/reminders/composite.ts).
 */
function reminderScheduler(
  config: Config,
  deps: { register: Register; store: ReminderStore; backend: ReminderBackend; teams?: TeamsNotifier },
  logger: Logger,
): Scheduler | undefined {
  if (!config.REMINDERS_ENABLED) return undefined;
  const routes: ReminderRoute[] = [];
  if (config.SLACK_BOT_TOKEN) {
    routes.push({
      channel: new SlackReminderChannel({
        token: config.SLACK_BOT_TOKEN,
        ...(config.SLACK_API_URL ? { apiUrl: config.SLACK_API_URL } : {}),
        ...(config.SLACK_PRIVACY_CHANNEL ? { privacyChannel: config.SLACK_PRIVACY_CHANNEL } : {}),
      }),
      owns: (address) => directAddress(address) !== null,
      hasPrivacyChannel: Boolean(config.SLACK_PRIVACY_CHANNEL),
    });
  }
  if (deps.teams) {
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
  if (!routes.some((r) => r.hasPrivacyChannel))
    logger.warn(
      { code: 'CONFIG' },
      'No privacy channel is set: reminders to the privacy channel will fail; set SLACK_PRIVACY_CHANNEL (C...) or TEAMS_PRIVACY_CHANNEL_ID (19:...@thread.tacv2)',
    );
  if (config.PRIVACY_LEAD_SLACK_ID && !config.SLACK_BOT_TOKEN)
    logger.warn(
      { code: 'CONFIG' },
      'PRIVACY_LEAD_SLACK_ID is set but Slack is not configured: overdue escalations to the lead will fail',
    );
  const channel =
    routes.length === 1
      ? routes[0]!.channel
      : new CompositeReminderChannel({
          routes,
          backend: deps.backend,
          unknown: [UNKNOWN_TEAMS_USER],
          logger,
        });
  return new Scheduler({
    ...schedulerSettings(config),
    register: deps.register,
    store: deps.store,
    channel,
    logger,
  });
}
