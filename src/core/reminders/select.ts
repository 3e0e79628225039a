import type { DeadlineKind } from '../requests/deadlines.js';
import type { RequestState, Status } from '../requests/model.js';
import {
  dateOfDay,
  dayNumber,
  dueDayOpen,
  isWorkingTime,
  type LocalTime,
  localTime,
  type WorkHours,
  weekdayOf,
} from './time.js';

/**
 * Which reminders are due at an instant: a pure function of the register's current state, the
 * instant, the working hours and the time zones. No clock and no I/O, so the scheduler, the CLI's
 * `reminders due` and the tests all ask the same question and get the same answer.
 *
 * Reminders are derived from the current state at every sweep and keyed by the deadline's due
 * date: closing, pausing or extending a request changes what is due at once, and a changed due
 * date is a new key. Each stage has a window rather than an instant, so a sweep that was missed
 * (a restart, a crash) is made up by the next one while the window is open.
 *
 * One calendar decides every count: the privacy team's (`timeZone`, DEFAULT_TIMEZONE), the one the
 * register dates requests and deadlines in. How many days are left, which day is the due day and
 * when a deadline is overdue never depend on where the owner sits; the owner's zone decides only
 * when their own copy may arrive (their working hours).
 */

/** Who receives a reminder: the owner (a DM), the privacy channel, the privacy lead (a DM). */
export type Role = 'owner' | 'channel' | 'lead';

export type ReminderKind = 'before' | 'due-today' | 'overdue' | 'unassigned';

export interface Reminder {
  /** The identity that is sent once: request, deadline kind, due date and stage. */
  key: string;
  kind: ReminderKind;
  requestId: string;
  /** The clock it is about; null for "unassigned". */
  deadline: DeadlineKind | null;
  due: string | null;
  /** `d7`, `d3`, `d1` (days before), `d0` (due day), `overdue:DATE`, `unassigned:DATE`. */
  stage: string;
  /** Days from the team's today to the due date (negative when overdue). */
  daysLeft: number | null;
  owner: string | null;
  /**
   * The owner's direct-message address when the owner can be messaged (a Slack user id; a
   * `teams:<id>` with a personal chat), else null: the owner is then named in the privacy channel.
   */
  ownerAddress: string | null;
  /** The zone the owner's copy waits for working hours in: the owner's, else the team's. */
  timeZone: string;
  /** True when each copy must arrive in its recipient's working hours (all but overdue notices). */
  workHours: boolean;
  /**
   * True for the due day's reminder: each copy goes from its reader's working hours within the
   * team's due day and into the evening ({@link dueDayOpen}), on any day of the week (calendar-day
   * laws do not move a deadline off a weekend).
   */
  dueDay: boolean;
  roles: Role[];
}

export interface SelectionOptions {
  /** Days before a deadline to remind at; 0 is the due day itself. */
  offsets: readonly number[];
  hours: WorkHours;
  /** The privacy team's zone: overdue and unassigned notices, and owners whose zone is unknown. */
  timeZone: string;
  /** An owner's zone by address (Slack `users.info` tz, cached by the caller). */
  timeZoneOf?: (address: string) => string | undefined;
  /**
   * The address an owner (as the register names them) can be sent a direct message at, or null;
   * looked up by the caller (the scheduler asks the delivery channel, else its {@link AddressForm}).
   */
  addressOf: (owner: string) => string | null;
  /** Request id -> ISO instant until which its before-deadline reminders are snoozed. */
  snoozes?: ReadonlyMap<string, string>;
  /** The privacy lead's address; overdue requests escalate to them. */
  lead?: string;
  /** Stages this many days or fewer before a deadline also go to the privacy channel. */
  channelWithinDays: number;
}

/** Statuses whose clocks run: a paused request's clock stands still, a closed one's is over. */
const RUNNING: ReadonlySet<Status> = new Set<Status>(['received', 'identity-verified', 'in-progress']);

/**
 * The address an owner is by its written form alone (a platform's user id, or a mention of one),
 * or null for a name. The core knows no platform's forms: the composition root hands in the
 * channels' (Slack ids: src/channels/slack/address.ts).
 */
export type AddressForm = (owner: string) => string | null;

/** No owner is an address by its form: every owner is a name. */
export const noAddressForm: AddressForm = () => null;

export function reminderKey(requestId: string, deadline: string | null, due: string | null, stage: string) {
  return `${requestId}|${deadline ?? '-'}|${due ?? '-'}|${stage}`;
}

/**
 * The key of an owner's copy of a stage recorded without one (no owner, or none who could be
 * messaged, when it was recorded): sent once to whoever owns the request later in the stage.
 */
export function ownerCopyKey(key: string): string {
  return `${key}|owner`;
}

/** Recipients of a reminder, by kind; the lead is not messaged twice when they own the request. */
export function rolesFor(
  kind: ReminderKind,
  ownerAddress: string | null,
  daysLeft: number | null,
  options: Pick<SelectionOptions, 'lead' | 'channelWithinDays'>,
): Role[] {
  switch (kind) {
    case 'before':
      if (!ownerAddress) return ['channel'];
      return (daysLeft ?? 0) <= options.channelWithinDays ? ['owner', 'channel'] : ['owner'];
    case 'due-today':
      return ownerAddress ? ['owner', 'channel'] : ['channel'];
    case 'overdue': {
      const roles: Role[] = ownerAddress ? ['owner', 'channel'] : ['channel'];
      if (options.lead && options.lead !== ownerAddress) roles.push('lead');
      return roles;
    }
    case 'unassigned':
      return ['channel'];
  }
}

/**
 * The reminders due at `at`, every day counted on the team's calendar. For every running request
 * and each of its clocks:
 *
 * - before the due day: the stage of the smallest offset that is at least the days left (7, 3, 1
 *   by default), from that stage's day until the next stage's. A stage whose day is not a working
 *   day is folded into the next one (a Sunday deadline's 7-day stage falls on a Sunday, so its
 *   first reminder is the 3-day one on Thursday), and stages that fall on the same working morning
 *   collapse into the later one instead of arriving together;
 * - on the due day, any day of the week: each copy from its reader's working hours within the
 *   team's due day and on into the evening ({@link dueDayOpen});
 * - the response deadline once passed: one escalation per day, from the start of working hours
 *   in the team's zone, any day of the week, until the request is closed; it does not wait for
 *   anyone's working hours;
 * - no owner: a daily flag to the privacy channel in working hours until someone takes it.
 *
 * A reminder is due as soon as any of its recipients may have it (the owner in their working hours,
 * the privacy channel in the team's); the scheduler then holds each copy until its own recipient's
 * hours, so the channel's summary does not wait for an owner on another continent, nor the owner's
 * copy arrive at night.
 */
export function remindersDue(
  requests: Iterable<RequestState>,
  at: Date,
  options: SelectionOptions,
): Reminder[] {
  const sweep = sweepView(at, options);
  const out: Reminder[] = [];
  for (const r of requests) {
    if (RUNNING.has(r.status)) requestReminders(r, sweep, options, out);
  }
  return out;
}

/** An instant as read in one zone, and whether it is working time there. */
interface ZoneView {
  local: LocalTime;
  working: boolean;
}

/** What every request's reminders are counted against at one instant, worked out once per call. */
interface SweepView {
  /** The offsets before the due day, smallest first, each once. */
  before: number[];
  onDueDay: boolean;
  hours: WorkHours;
  /** The instant in the team's zone. */
  home: ZoneView;
  /** The team's day (and date) whose overdue escalation is due. */
  escalationDay: number;
  escalationDate: string;
  atIso: string;
  /** The instant in a zone, read once per zone. */
  inZone: (tz: string) => ZoneView;
}

function sweepView(at: Date, options: SelectionOptions): SweepView {
  const { hours } = options;
  const zones = new Map<string, ZoneView>();
  const inZone = (tz: string) => {
    let z = zones.get(tz);
    if (!z) {
      const local = localTime(at, tz);
      z = { local, working: isWorkingTime(local, hours) };
      zones.set(tz, z);
    }
    return z;
  };
  const home = inZone(options.timeZone);
  // An escalation day starts at the start of working hours, so the overnight run does not count.
  const escalationDay = home.local.minutes >= hours.start ? home.local.day : home.local.day - 1;
  return {
    before: [...new Set(options.offsets.filter((k) => k > 0))].sort((a, b) => a - b),
    onDueDay: options.offsets.includes(0),
    hours,
    home,
    escalationDay,
    escalationDate: dateOfDay(escalationDay),
    atIso: at.toISOString(),
    inZone,
  };
}

/** A running request's reminders: each clock's stage and overdue escalation, then the unassigned flag. */
function requestReminders(
  r: RequestState,
  sweep: SweepView,
  options: SelectionOptions,
  out: Reminder[],
): void {
  const { before, onDueDay, hours, home, escalationDay } = sweep;
  const address = r.owner === null ? null : options.addressOf(r.owner);
  const tz = (address && options.timeZoneOf?.(address)) || options.timeZone;
  const zone = sweep.inZone(tz);
  const snoozed = (options.snoozes?.get(r.id) ?? '') > sweep.atIso;
  for (const d of r.deadlines.deadlines) {
    const due = dayNumber(d.due);
    const left = due - home.local.day;
    const kind = d.kind as DeadlineKind;
    if (left > 0) {
      if (snoozed) continue;
      const stage = before.find((k) => k >= left);
      // A stage whose own day is not a working day is folded into the next stage (docs/reminders.md).
      if (stage === undefined || !hours.days.includes(weekdayOf(due - stage))) continue;
      const roles = rolesFor('before', address, left, options);
      if (anyOpen(roles, zone, home, hours, false))
        out.push(reminder(r, 'before', kind, d.due, `d${stage}`, left, address, tz, roles));
    } else if (left === 0 && onDueDay) {
      const roles = rolesFor('due-today', address, 0, options);
      if (anyOpen(roles, zone, home, hours, true))
        out.push(reminder(r, 'due-today', kind, d.due, 'd0', 0, address, tz, roles));
    }
    // Only the response clock escalates: the register does not record when a receipt was
    // confirmed or an extension notice sent, and a missed internal target is not a breach.
    if (kind === 'response' && escalationDay > due) {
      const roles = rolesFor('overdue', address, left, options);
      const stage = `overdue:${sweep.escalationDate}`;
      out.push(reminder(r, 'overdue', kind, d.due, stage, left, address, options.timeZone, roles));
    }
  }
  if (r.owner === null && home.working) {
    const stage = `unassigned:${home.local.date}`;
    out.push(reminder(r, 'unassigned', null, null, stage, null, null, options.timeZone, ['channel']));
  }
}

function reminder(
  r: RequestState,
  kind: ReminderKind,
  deadline: DeadlineKind | null,
  due: string | null,
  stage: string,
  daysLeft: number | null,
  ownerAddress: string | null,
  timeZone: string,
  roles: Role[],
): Reminder {
  return {
    key: reminderKey(r.id, deadline, due, stage),
    kind,
    requestId: r.id,
    deadline,
    due,
    stage,
    daysLeft,
    owner: r.owner,
    ownerAddress,
    timeZone,
    workHours: kind !== 'overdue',
    dueDay: kind === 'due-today',
    roles,
  };
}

/**
 * Whether any recipient may be sent its copy now: the owner in their hours, the team in its own
 * (on the due day, {@link dueDayOpen}). A plain function rather than a closure per request: the
 * sweep calls it for every running request.
 */
function anyOpen(
  roles: readonly Role[],
  owner: ZoneView,
  home: ZoneView,
  hours: WorkHours,
  dueDay: boolean,
): boolean {
  for (const role of roles) {
    const z = role === 'owner' ? owner : home;
    if (dueDay ? dueDayOpen(z.local, home.local, hours) : z.working) return true;
  }
  return false;
}

/** True while a request's before-deadline reminders are snoozed at `at`. */
export function isSnoozed(requestId: string, snoozes: ReadonlyMap<string, string>, at: Date): boolean {
  return (snoozes.get(requestId) ?? '') > at.toISOString();
}
