import type { Logger } from '../../logger.js';
import { openFeedbackStore } from '../../store/feedback-store.js';
import type { HttpServer } from '../http.js';
import { BotFrameworkTransport } from './bot-framework.js';
import { TeamsChannel, type TeamsEngine } from './channel.js';
import { verifyTeamsCredentials } from './credentials.js';
import { TeamsNotifier } from './notifier.js';
import { TeamsStore } from './store.js';

export { TeamsChannel, type TeamsEngine } from './channel.js';
export { TeamsNotifier } from './notifier.js';

/** What the Teams channel is given from the configuration (the composition root maps it). */
export interface TeamsSettings {
  /** Where conversation references and votes live: the register's store (PRIVACY_OPS_STORE). */
  store: string;
  /** The Azure bot's app id, secret and tenant; no app id is dev mode (no authentication). */
  appId?: string;
  appPassword?: string;
  tenantId?: string;
  /** Where start-up checks those credentials (MICROSOFT_LOGIN_URL); Microsoft Entra's own when unset. */
  loginUrl?: string;
  /** Entra object ids of the privacy team (TEAMS_PRIVACY_TEAM_AAD_IDS). */
  privacyTeam: string[];
  privacyChannelId?: string;
  defaultTimeZone: string;
}

export interface TeamsRuntime {
  notifier: TeamsNotifier;
  stop(): Promise<void>;
}

/**
 * With an app registration, asks Microsoft Entra for a token first, so a wrong secret, app id or
 * tenant stops start-up with one sentence (exit 78) instead of failing the first message sent.
 */
async function verify(settings: TeamsSettings, logger: Logger): Promise<void> {
  if (!settings.appId || !settings.appPassword || !settings.tenantId) return;
  await verifyTeamsCredentials(
    { appId: settings.appId, appPassword: settings.appPassword, tenantId: settings.tenantId },
    { logger, ...(settings.loginUrl ? { loginUrl: settings.loginUrl } : {}) },
  );
}

function transportFor(settings: TeamsSettings): BotFrameworkTransport {
  return new BotFrameworkTransport({
    appId: settings.appId,
    appPassword: settings.appPassword,
    tenantId: settings.tenantId,
  });
}

/**
 * Checks the credentials, opens the Teams store and mounts `POST /api/messages` on the shared
 * server. Called by the composition root when Teams is configured; `loadConfig` has already refused
 * dev mode in production and an app id without its secret and tenant.
 */
export async function startTeams(
  http: HttpServer,
  deps: {
    settings: TeamsSettings;
    engine: TeamsEngine;
    logger: Logger;
    policies: { id: string; name: string }[];
  },
): Promise<TeamsRuntime> {
  const { settings, logger } = deps;
  const devMode = !settings.appId;
  if (devMode) {
    logger.warn(
      'Teams runs in TEAMS_DEV_MODE: Bot Framework authentication is OFF and /api/messages answers callers on this machine only. Never use this in production.',
    );
  }
  await verify(settings, logger);
  const store = await TeamsStore.open(settings.store);
  const feedback = await openFeedbackStore(settings.store).catch(async (error: unknown) => {
    await store.close();
    throw error;
  });
  const channel = new TeamsChannel({
    engine: deps.engine,
    store,
    transport: transportFor(settings),
    logger,
    privacyTeam: settings.privacyTeam,
    privacyChannelId: settings.privacyChannelId,
    tenantId: settings.tenantId,
    loopbackOnly: devMode,
    policies: deps.policies,
    feedback,
    defaultTimeZone: settings.defaultTimeZone,
  });
  channel.mount(http);
  return {
    notifier: channel.notifier,
    async stop() {
      await channel.stop();
      await feedback.close();
      await store.close();
    },
  };
}

/**
 * Proactive messages into Teams without the messaging endpoint, for a process that only sends (the
 * CLI's `reminders run --once`): the same store of conversation references and the same transport
 * as the server's channel. `send`: about to send, so the credentials are checked first (a process
 * that only plans, `reminders due`, reads the store and sends nothing).
 */
export async function openTeamsNotifier(
  settings: TeamsSettings,
  options: { logger: Logger; send: boolean },
): Promise<TeamsRuntime> {
  if (options.send) await verify(settings, options.logger);
  const store = await TeamsStore.open(settings.store);
  const notifier = new TeamsNotifier({
    transport: transportFor(settings),
    store,
    ...(settings.privacyChannelId ? { privacyChannelId: settings.privacyChannelId } : {}),
    defaultTimeZone: settings.defaultTimeZone,
  });
  return { notifier, stop: () => store.close() };
}
