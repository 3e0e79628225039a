/** Reminders: the one delivery (Slack and/or Teams) the server and `reminders run` share; the server's loop. */
import { isSlackAddress } from '../channels/slack/address.js';
import type { SlackReminderOptions } from '../channels/slack/reminder-delivery.js';
import type { TeamsNotifier } from '../channels/teams/index.js';
import type { ReminderRoute } from '../core/reminders/composite.js';
import type { ReminderChannel } from '../core/reminders/delivery.js';
import type { Scheduler } from '../core/reminders/scheduler.js';
import type { ReminderStore } from '../core/reminders/store.js';
import type { Register } from '../core/requests/register.js';
import type { Logger } from '../logger.js';
import type { Backend } from '../store/backends.js';
import type { Core } from './core.js';

/** What the delivery takes from the configuration. */
export interface DeliverySettings {
  /** When Slack is on (SLACK_BOT_TOKEN): its token, API URL and privacy channel. */
  slack?: Pick<SlackReminderOptions, 'token' | 'apiUrl' | 'privacyChannel'>;
  /** TEAMS_PRIVACY_CHANNEL_ID, when set. */
  teamsPrivacyChannelId?: string;
}

/**
 * The one reminder delivery, for the server's loop and the CLI's `reminders run --once` alike:
 * Slack (a bot token) and/or Teams (a notifier); with both, a composite routes each person's
 * message to their platform and posts channel messages to every privacy channel configured
 * (src/core/reminders/composite.ts). Undefined when no platform can deliver.
 */
export async function reminderDelivery(
  settings: DeliverySettings,
  deps: { backend: Backend; teams?: TeamsNotifier },
  logger: Logger,
): Promise<{ channel: ReminderChannel; routes: ReminderRoute[] } | undefined> {
  const routes: ReminderRoute[] = [];
  if (settings.slack) {
    const { SlackReminderChannel } = await import('../channels/slack/reminder-delivery.js');
    routes.push({
      channel: new SlackReminderChannel(settings.slack),
      owns: isSlackAddress,
      hasPrivacyChannel: Boolean(settings.slack.privacyChannel),
    });
  }
  if (deps.teams) {
    const { isTeamsAddress, TeamsReminderChannel } = await import('../channels/teams/reminder-delivery.js');
    routes.push({
      channel: new TeamsReminderChannel({
        notifier: deps.teams,
        ...(settings.teamsPrivacyChannelId ? { privacyChannelId: settings.teamsPrivacyChannelId } : {}),
      }),
      owns: isTeamsAddress,
      knowsNames: true,
      hasPrivacyChannel: Boolean(settings.teamsPrivacyChannelId),
    });
  }
  if (routes.length === 0) return undefined;
  if (routes.length === 1) return { channel: routes[0]!.channel, routes };
  const { CompositeReminderChannel } = await import('../core/reminders/composite.js');
  const { UNKNOWN_TEAMS_USER } = await import('../channels/teams/reminder-delivery.js');
  const channel = new CompositeReminderChannel({
    routes,
    backend: deps.backend,
    unknown: [UNKNOWN_TEAMS_USER],
    logger,
  });
  return { channel, routes };
}

/** What the scheduler is given besides the configured settings. */
export interface SchedulerDeps {
  register: Register;
  store: ReminderStore;
  channel?: ReminderChannel;
  logger?: Logger;
  now?: () => Date;
  /** False when no platform has a privacy channel: its messages are held, not failed. */
  privacyChannel?: boolean;
}

/** What the server's reminder loop takes from the configuration. */
export interface ServerReminderSettings {
  /** REMINDERS_ENABLED. */
  enabled: boolean;
  delivery: DeliverySettings;
  /** PRIVACY_LEAD_SLACK_ID is set but Slack is not configured. */
  leadWithoutSlack: boolean;
}

/** The server's reminder loop, when REMINDERS_ENABLED and Slack or Teams can deliver. */
export async function serverReminders(
  settings: ServerReminderSettings,
  deps: { core: Core; teams?: TeamsNotifier; newScheduler(deps: SchedulerDeps): Promise<Scheduler> },
  logger: Logger,
): Promise<Scheduler | undefined> {
  if (!settings.enabled) return undefined;
  const delivery = await reminderDelivery(
    settings.delivery,
    { backend: deps.core.backend, ...(deps.teams ? { teams: deps.teams } : {}) },
    logger,
  );
  if (!delivery) return undefined;
  if (!delivery.routes.some((r) => r.hasPrivacyChannel))
    logger.warn(
      { code: 'CONFIG' },
      'No privacy channel is set: reminders to the privacy channel are held (not lost) and go out once SLACK_PRIVACY_CHANNEL (C...) or TEAMS_PRIVACY_CHANNEL_ID (19:...@thread.tacv2) is set',
    );
  if (settings.leadWithoutSlack)
    logger.warn(
      { code: 'CONFIG' },
      'PRIVACY_LEAD_SLACK_ID is set but Slack is not configured: overdue escalations to the lead will fail',
    );
  return await deps.newScheduler({
    register: deps.core.register,
    store: deps.core.reminderStore,
    channel: delivery.channel,
    logger,
    privacyChannel: delivery.routes.some((r) => r.hasPrivacyChannel),
  });
}
