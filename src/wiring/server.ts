/** The server's parts that need no configuration: starting chats and mailbox, stopping, start-up failures. */
import type { HttpServer } from '../channels/http.js';
import type { MailboxSettings } from '../channels/mailbox/watcher.js';
import type { SlackChannel } from '../channels/slack/index.js';
import type { SlackSettings } from '../channels/slack/start.js';
import type { TeamsNotifier, TeamsSettings } from '../channels/teams/index.js';
import type { ConversationEngine } from '../core/conversation/engine.js';
import { newReference, toAppError } from '../core/errors.js';
import type { Register } from '../core/requests/register.js';
import type { Logger } from '../logger.js';
import type { Core } from './core.js';

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
export type Stops = (() => Promise<void>)[];

/** {@link App.stop}: the stops in reverse order, each once; a failing one is logged and the rest still run. */
export function stopAll(stops: Stops, logger: Logger): () => Promise<void> {
  return async () => {
    for (const fn of stops.splice(0).reverse()) {
      try {
        await fn();
      } catch (error) {
        logger.error({ err: error }, 'stop failed');
      }
    }
  };
}

/** The chat platforms configured: Slack (SLACK_BOT_TOKEN), Teams (an app id or dev mode). */
export interface ChatSettings {
  slack?: SlackSettings;
  teams?: TeamsSettings;
}

/**
 * Slack and Teams, each when configured, mounted on the one HTTP server (Slack: /slack/events;
 * Teams: /api/messages); drafts for a person (the mailbox's, the webhook's) go to their privacy
 * channels.
 */
export async function startChats(
  settings: ChatSettings,
  core: Core,
  http: HttpServer,
  logger: Logger,
  tuning: { slackConnectTimeoutMs?: number },
  stops: Stops,
) {
  const { startSlack } = await import('../channels/slack/index.js');
  const { startTeams } = await import('../channels/teams/index.js');
  const { engine } = core;
  const policies = core.corpus.policies.map((p) => ({ id: p.id, name: p.name }));
  const slack = settings.slack
    ? await startSlack({
        settings: {
          ...settings.slack,
          ...(tuning.slackConnectTimeoutMs ? { connectTimeoutMs: tuning.slackConnectTimeoutMs } : {}),
        },
        engine,
        policies,
        http,
        logger,
      })
    : undefined;
  if (slack) stops.push(() => slack.stop());
  const teams = settings.teams
    ? await startTeams(http, { settings: settings.teams, engine, logger, policies })
    : undefined;
  if (teams) stops.push(() => teams.stop());
  if (core.drafts) {
    const { posters } = core.drafts;
    if (slack) posters.push(async (reply) => Boolean(await slack.channel.notifier.toPrivacyChannel(reply)));
    if (teams) posters.push((reply) => teams.notifier.sendToPrivacyChannel(reply));
  }
  return { slack, teams };
}

/** Watches the privacy mailbox, when MAILBOX_HOST is set (`settings` then given). */
export async function startMailbox(
  settings: MailboxSettings | undefined,
  core: Core,
  logger: Logger,
  stops: Stops,
): Promise<void> {
  if (!core.drafts?.mail || !settings) return;
  const { MailboxWatcher } = await import('../channels/mailbox/watcher.js');
  const watcher = new MailboxWatcher({
    settings,
    service: core.drafts.mail,
    seen: core.drafts.seen,
    logger,
  });
  await watcher.start();
  stops.push(() => watcher.stop());
}

/**
 * A server that could not start: one sentence that says what to fix, and the CLI's exit code for
 * it (README, "Exit codes"), which this returns.
 */
export function reportStartFailure(error: unknown, logger: Logger): number {
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

/** Serves until SIGINT or SIGTERM, then stops the app and ends the process; the promise never settles. */
export function serveUntilSignal(app: App, logger: Logger, envFile: string | undefined): Promise<number> {
  // Which settings file was read, never its values.
  logger.info({ port: app.port, routes: app.routes, envFile: envFile ?? null }, 'privacy-ops is serving');
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
