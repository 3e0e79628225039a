/**
 * Wall-clock time in a time zone, for reminder selection. Pure: an instant and a zone in, the
 * local date, minute of the day and weekday out, through Intl (no time-zone library, no clock).
 */

/** An instant as a person in one time zone reads it. */
export interface LocalTime {
  /** YYYY-MM-DD. */
  date: string;
  /** Days since 1970-01-01 of `date`, for cheap day arithmetic. */
  day: number;
  /** Minutes since local midnight, 0..1439. */
  minutes: number;
  /** ISO weekday: 1 = Monday ... 7 = Sunday. */
  weekday: number;
}

/** Working hours: minutes from local midnight [start, end) on the listed ISO weekdays. */
export interface WorkHours {
  start: number;
  end: number;
  days: readonly number[];
}

export const DEFAULT_WORK_HOURS: WorkHours = { start: 9 * 60, end: 17 * 60, days: [1, 2, 3, 4, 5] };

const DAY_MS = 86_400_000;
const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

// One formatter per zone: each holds native ICU memory (see todayIn in requests/input.ts).
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      // h23, not hour12: false, which some ICU versions render as "24" at midnight.
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The local date, time of day and weekday of `at` in `timeZone` (an IANA name). */
export function localTime(at: Date, timeZone: string): LocalTime {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(at)) parts[p.type] = p.value;
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  return {
    date,
    day: dayNumber(date),
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
    weekday: WEEKDAYS[parts.weekday ?? ''] ?? 0,
  };
}

const dayNumbers = new Map<string, number>();

/** Days since 1970-01-01 of a YYYY-MM-DD date; memoised because deadline dates repeat a lot. */
export function dayNumber(date: string): number {
  let n = dayNumbers.get(date);
  if (n === undefined) {
    n = Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
    if (dayNumbers.size > 50_000) dayNumbers.clear();
    dayNumbers.set(date, n);
  }
  return n;
}

/** The ISO weekday (1 = Monday ... 7 = Sunday) of a day number. */
export function weekdayOf(day: number): number {
  // Day 0, 1 January 1970, was a Thursday (ISO weekday 4).
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

/** The YYYY-MM-DD date of a day number (the inverse of {@link dayNumber}). */
export function dateOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

const DAY_MINUTES = 24 * 60;

/**
 * On the team's due day (`team` is the team's clock, on that day): true once the reader's working
 * hours have begun within that day, or were under way when it began, and from then on into the
 * evening, on any day of the week. A reader whose hours fall in the team's night gets it at the
 * start of their own day; one whose afternoon the team's day begins in gets it at once. Since the
 * team's day is 24 hours long it always holds part of everyone's working hours.
 */
export function dueDayOpen(reader: LocalTime, team: LocalTime, hours: WorkHours): boolean {
  // Minutes since the reader's latest start of working hours, and since the team's day began: the
  // reader's latest working window reaches into the team's day when it ended after that began.
  const sinceStart = (reader.minutes - hours.start + DAY_MINUTES) % DAY_MINUTES;
  return sinceStart < team.minutes + (hours.end - hours.start);
}

export function isWorkingTime(local: LocalTime, hours: WorkHours): boolean {
  return hours.days.includes(local.weekday) && local.minutes >= hours.start && local.minutes < hours.end;
}

/** Parses "09:00-17:00" into minutes; undefined when malformed or empty. */
export function parseHours(text: string): { start: number; end: number } | undefined {
  const m = /^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$/.exec(text);
  if (!m) return undefined;
  const start = Number(m[1]) * 60 + Number(m[2]);
  const end = Number(m[3]) * 60 + Number(m[4]);
  if (Number(m[2]) > 59 || Number(m[4]) > 59 || start >= end || end > 24 * 60) return undefined;
  return { start, end };
}
