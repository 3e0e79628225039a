import type { Config } from '../../config.js';
import type { ConversationEngine } from '../../core/conversation/engine.js';
import type { Logger } from '../../logger.js';
import { openSeenKeys } from '../../store/seen-keys.js';
import type { HttpServer } from '../http.js';
import { SlackChannel } from './channel.js';
import { openFeedbackStore } from './feedback.js';

/** True when any Slack key is set (config.ts then requires the rest). */
export function slackConfigured(config: Config): boolean {
  return Boolean(config.SLACK_BOT_TOKEN || config.SLACK_SIGNING_SECRET || config.SLACK_APP_TOKEN);
}

export interface StartedSlack {
  channel: SlackChannel;
  stop(): Promise<void>;
}

/**
 * Wires the Slack channel for the composition root: the feedback store and the shared dedupe keys
 * (signatures, deliveries, submitted forms: every replica sees them) next to the register, the
 * channel mounted at `POST /slack/events` on the shared server (HTTP mode) or connected over
 * Socket Mode. Undefined when Slack is not configured.
 */
export async function startSlack(deps: {
  config: Config;
  engine: ConversationEngine;
  policies: { id: string; name: string }[];
  http: HttpServer;
  logger: Logger;
}): Promise<StartedSlack | undefined> {
  const { config } = deps;
  if (!slackConfigured(config) || !config.SLACK_BOT_TOKEN) return undefined;
  const feedback = await openFeedbackStore(config.PRIVACY_OPS_STORE);
  const seen = await openSeenKeys(config.PRIVACY_OPS_STORE).catch(async (error: unknown) => {
    await feedback.close();
    throw error;
  });
  try {
    const channel = new SlackChannel({
      engine: deps.engine,
      logger: deps.logger,
      botToken: config.SLACK_BOT_TOKEN,
      ...(config.SLACK_SIGNING_SECRET ? { signingSecret: config.SLACK_SIGNING_SECRET } : {}),
      socketMode: config.SLACK_SOCKET_MODE === true,
      ...(config.SLACK_APP_TOKEN ? { appToken: config.SLACK_APP_TOKEN } : {}),
      ...(config.SLACK_API_URL ? { apiUrl: config.SLACK_API_URL } : {}),
      ...(config.SLACK_PRIVACY_CHANNEL ? { privacyChannel: config.SLACK_PRIVACY_CHANNEL } : {}),
      teamUsers: config.SLACK_PRIVACY_TEAM_USERS,
      ...(config.SLACK_PRIVACY_TEAM_GROUP ? { teamGroup: config.SLACK_PRIVACY_TEAM_GROUP } : {}),
      policies: deps.policies,
      feedback,
      defaultTimeZone: config.DEFAULT_TIMEZONE,
      seen,
    });
    channel.mount(deps.http);
    await channel.start();
    return {
      channel,
      async stop() {
        await channel.stop();
        await feedback.close();
        await seen.close();
      },
    };
  } catch (error) {
    await feedback.close();
    await seen.close();
    throw error;
  }
}
