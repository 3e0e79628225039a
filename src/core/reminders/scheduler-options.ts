/** What the reminder scheduler is given (its options and logger) and what one sweep reports. */
import type { Register } from '../requests/register.js';
import type { ReminderChannel } from './delivery.js';
import type { AddressForm } from './select.js';
import type { ReminderStore } from './store.js';
import type { WorkHours } from './time.js';

export interface SchedulerLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface SchedulerOptions {
  register: Register;
  store: ReminderStore;
  /** Where messages go; without one the scheduler can only plan (`reminders due`, dry runs). */
  channel?: ReminderChannel;
  /** Days before a deadline to remind at (0 = the due day). */
  offsets: readonly number[];
  hours: WorkHours;
  /** The privacy team's zone, and the fallback for owners whose zone is unknown. */
  timeZone: string;
  /** The privacy lead's address (Slack user id): overdue escalations go to them too. */
  lead?: string;
  /**
   * Which owners are addresses by their written form (the composition root passes the channels',
   * e.g. Slack ids): the address when the channel has no `address` of its own (plan-only runs), the
   * owner mentioned in a channel post, and an owner's text in messages. Default: none, all names.
   */
  addressForm?: AddressForm;
  /** Reminders this many days or fewer before a deadline also go to the privacy channel. */
  channelWithinDays: number;
  /** How long a snooze button snoozes (hours). */
  snoozeHours?: number;
  /** When sweeps run (cron, in `timeZone`); default every five minutes. */
  sweepCron?: string;
  /** When the daily digest goes out (cron, in `timeZone`); default 09:00 on weekdays. */
  digestCron?: string;
  now?: () => Date;
  logger?: SchedulerLogger;
  /** This process's name in claims; default host:pid:random. */
  replica?: string;
  /**
   * How long a claim is presumed alive without a renewal before another replica may take it over
   * (ms), counted from the claim; renewed while the message is being delivered.
   */
  leaseMs?: number;
  /**
   * Retry backoff when the platform gives no Retry-After (ms): base doubled per attempt, capped;
   * counted from the failed attempt.
   */
  backoffMs?: { base: number; max: number };
  /** Entries looked at per delivery pass. */
  maxPerPass?: number;
  /**
   * False when no platform has a privacy channel: messages to it are held in the outbox (neither
   * attempted nor failed) and go out on a sweep once a channel is configured. Default true.
   */
  privacyChannel?: boolean;
}

export interface SweepReport {
  at: string;
  /** Reminders due at this instant that were not recorded before this sweep. */
  due: number;
  /** Reminders this sweep recorded (another replica may have recorded the rest). */
  enqueued: number;
  sent: number;
  retried: number;
  dropped: number;
  failed: number;
  /**
   * Entries waiting: for working hours, a retry time, another replica's claim, or a privacy
   * channel to be configured.
   */
  waiting: number;
}
