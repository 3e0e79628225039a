import type { Config } from '../../config.js';
import type { SchedulerOptions } from './scheduler.js';

/**
 * The scheduler's settings from the validated configuration, shared by the composition root and
 * the `reminders` CLI so both select exactly the same reminders.
 */
export function schedulerSettings(
  config: Pick<
    Config,
    | 'DEFAULT_TIMEZONE'
    | 'REMINDER_OFFSETS_DAYS'
    | 'REMINDER_WORK_HOURS'
    | 'REMINDER_WORK_DAYS'
    | 'REMINDER_CHANNEL_WITHIN_DAYS'
    | 'REMINDER_SWEEP_CRON'
    | 'REMINDER_DIGEST_CRON'
    | 'REMINDER_SNOOZE_HOURS'
    | 'PRIVACY_LEAD_SLACK_ID'
  >,
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
  };
}
