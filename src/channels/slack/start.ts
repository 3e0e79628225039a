import type { ConversationEngine } from '../../core/conversation/engine.js';
import type { Logger } from '../../logger.js';
import { openFeedbackStore } from '../../store/feedback-store.js';
import { openSeenKeys } from '../../store/seen-keys.js';
import type { HttpServer } from '../http.js';
import { SlackChannel } from './channel.js';

/** What the Slack channel is given from the configuration (the composition root maps it). */
export interface SlackSettings {
  /** Where the feedback store and the dedupe keys live: the register's store (PRIVACY_OPS_STORE). */
  store: string;
  botToken: string;
  signingSecret?: string;
  socketMode: boolean;
  appToken?: string;
  apiUrl?: string;
  privacyChannel?: string;
  teamUsers: string[];
  teamGroup?: string;
  defaultTimeZone: string;
  /** Socket Mode: how long start-up waits for the connection; 30 s when unset. */
  connectTimeoutMs?: number;
}

export interface StartedSlack {
  channel: SlackChannel;
  stop(): Promise<void>;
}

/**
 * Wires the Slack channel for the composition root: the feedback store and the shared dedupe keys
 * (signatures, deliveries, submitted forms: every replica sees them) next to the register, the
 * channel mounted at `POST /slack/events` on the shared server (HTTP mode) or connected over
 * Socket Mode.
 */
export async function startSlack(deps: {
  settings: SlackSettings;
  engine: ConversationEngine;
  policies: { id: string; name: string }[];
  http: HttpServer;
  logger: Logger;
}): Promise<StartedSlack> {
  const { settings } = deps;
  const feedback = await openFeedbackStore(settings.store);
  const seen = await openSeenKeys(settings.store).catch(async (error: unknown) => {
    await feedback.close();
    throw error;
  });
  try {
    // The settings are the channel's own options, but for the store they were opened from.
    const { store: _store, ...options } = settings;
    const channel = new SlackChannel({
      ...options,
      engine: deps.engine,
      logger: deps.logger,
      policies: deps.policies,
      feedback,
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
