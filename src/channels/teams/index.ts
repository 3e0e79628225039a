import type { Config } from '../../config.js';
import type { Logger } from '../../logger.js';
import type { HttpServer } from '../http.js';
import { BotFrameworkTransport } from './bot-framework.js';
import { TeamsChannel, type TeamsEngine } from './channel.js';
import type { TeamsNotifier } from './notifier.js';
import { TeamsStore } from './store.js';

export { TeamsChannel, type TeamsEngine } from './channel.js';
export { TeamsNotifier } from './notifier.js';

/** True when Teams is on: an Azure bot registration, or local development mode. */
export function teamsConfigured(config: Config): boolean {
  return Boolean(config.MICROSOFT_APP_ID || config.TEAMS_DEV_MODE);
}

export interface TeamsRuntime {
  notifier: TeamsNotifier;
  stop(): Promise<void>;
}

/**
 * Opens the Teams store and mounts `POST /api/messages` on the shared server. Called by the
 * composition root when {@link teamsConfigured}; `loadConfig` has already refused dev mode in
 * production and an app id without its secret and tenant.
 */
export async function startTeams(
  http: HttpServer,
  deps: { config: Config; engine: TeamsEngine; logger: Logger; policies: { id: string; name: string }[] },
): Promise<TeamsRuntime> {
  const { config, logger } = deps;
  const devMode = !config.MICROSOFT_APP_ID;
  if (devMode) {
    logger.warn(
      'Teams runs in TEAMS_DEV_MODE: Bot Framework authentication is OFF and /api/messages answers callers on this machine only. Never use this in production.',
    );
  }
  const store = await TeamsStore.open(config.PRIVACY_OPS_STORE);
  const channel = new TeamsChannel({
    engine: deps.engine,
    store,
    transport: new BotFrameworkTransport({
      appId: config.MICROSOFT_APP_ID,
      appPassword: config.MICROSOFT_APP_PASSWORD,
      tenantId: config.MICROSOFT_APP_TENANT_ID,
    }),
    logger,
    privacyTeam: config.TEAMS_PRIVACY_TEAM_AAD_IDS,
    privacyChannelId: config.TEAMS_PRIVACY_CHANNEL_ID,
    tenantId: config.MICROSOFT_APP_TENANT_ID,
    loopbackOnly: devMode,
    policies: deps.policies,
    defaultTimeZone: config.DEFAULT_TIMEZONE,
  });
  channel.mount(http);
  return {
    notifier: channel.notifier,
    async stop() {
      await channel.stop();
      await store.close();
    },
  };
}
