import Holidays from 'date-holidays';
import { AppError } from '../errors.js';

/**
 * Calendar arithmetic on plain dates (`YYYY-MM-DD`) and the holiday calendars that legal deadlines
 * roll over. Pure: no clock, no time zone. A date is the legal day in the jurisdiction concerned,
 * so it is never converted to an instant; all arithmetic runs on UTC midnights.
 */

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** Validates a `YYYY-MM-DD` string naming a real day; `what` names the field in the error. */
export function parseIsoDate(input: string, what = 'date'): string {
  const text = input.trim();
  const match = ISO_DATE.exec(text);
  if (!match) {
    throw new AppError(
      'INVALID_INPUT',
      `${what} "${text.slice(0, 40)}" is not a date: write it as YYYY-MM-DD, for example 2026-03-05.`,
    );
  }
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1900 || year > 2199) {
    throw new AppError('INVALID_INPUT', `${what} ${text} is out of range: use a year between 1900 and 2199.`);
  }
  if (month < 1 || month > 12) {
    throw new AppError('INVALID_INPUT', `${what} ${text} does not exist: the month must be 01 to 12.`);
  }
  const last = daysInMonth(year, month);
  if (day < 1 || day > last) {
    throw new AppError(
      'INVALID_INPUT',
      `${what} ${text} does not exist: ${MONTHS[month - 1]} ${year} has ${last} days.`,
    );
  }
  return text;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function toUtc(date: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d));
}

function fromUtc(value: Date): string {
  return value.toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return fromUtc(new Date(toUtc(date).getTime() + days * DAY_MS));
}

/** Calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((toUtc(to).getTime() - toUtc(from).getTime()) / DAY_MS);
}

/**
 * The same date `months` later; when that month is too short, its last day. This is the month rule
 * of Regulation 1182/71 art. 3(2)(c) (31 August + 1 month = 30 September).
 */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const day = Math.min(d, daysInMonth(year, month));
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** 0 = Sunday ... 6 = Saturday. */
export function weekday(date: string): number {
  return toUtc(date).getUTCDay();
}

export function weekdayName(date: string): string {
  return WEEKDAYS[weekday(date)]!;
}

/** "Monday 6 July 2026": unambiguous in every locale, which matters for a legal date. */
export function formatLongDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return `${weekdayName(date)} ${d} ${MONTHS[m - 1]} ${y}`;
}

/** A set of non-working days: a weekend rule plus a holiday list, with a human description. */
export interface WorkCalendar {
  /** e.g. "Saturdays, Sundays and public holidays of DE-BY". */
  description: string;
  /** Why the day is not a working day ("a Sunday", "a public holiday (Assomption)"), or undefined. */
  closedReason(date: string): string | undefined;
}

/** Names the holidays of a jurisdiction by date. */
export interface HolidayList {
  label: string;
  holidayName(date: string): string | undefined;
}

export function workCalendar(
  holidays: HolidayList,
  weekend: { saturday: boolean; sunday: boolean },
  description: string,
): WorkCalendar {
  return {
    description,
    closedReason(date) {
      const day = weekday(date);
      if (day === 6 && weekend.saturday) return 'a Saturday';
      if (day === 0 && weekend.sunday) return 'a Sunday';
      const name = holidays.holidayName(date);
      return name ? `a holiday (${name})` : undefined;
    },
  };
}

/** The first working day on or after `date`. */
export function rollForward(date: string, calendar: WorkCalendar): string {
  let day = date;
  // A bounded loop: no calendar closes for a month in a row; the bound only guards bad data.
  for (let i = 0; i < 31 && calendar.closedReason(day); i++) day = addDays(day, 1);
  return day;
}

/** Counts `count` working days after `date` (the day itself is not counted). */
export function addWorkingDays(date: string, count: number, calendar: WorkCalendar): string {
  let day = date;
  let left = count;
  while (left > 0) {
    day = addDays(day, 1);
    if (!calendar.closedReason(day)) left--;
  }
  return day;
}

// ---------------------------------------------------------------------------------------------
// Holiday lists

let registry: Holidays | undefined;
function holidaysRegistry(): Holidays {
  registry ??= new Holidays();
  return registry;
}

/** ISO 3166-1 codes in common use that date-holidays spells differently. */
const COUNTRY_ALIASES: Record<string, string> = { UK: 'GB', EL: 'GR' };

/** Normalises a country code and checks that a holiday calendar exists for it. */
export function parseCountry(input: string): string {
  const code = input.trim().toUpperCase();
  const country = COUNTRY_ALIASES[code] ?? code;
  const known = holidaysRegistry().getCountries('en');
  if (!/^[A-Z]{2}$/.test(country) || !known[country]) {
    throw new AppError(
      'INVALID_INPUT',
      `country "${input.trim().slice(0, 20)}" is not a known ISO 3166-1 alpha-2 code with a holiday calendar (for example DE, FR, GB, US, CA, BR, CH).`,
    );
  }
  return country;
}

/** Normalises a region (the part after the dash in DE-BY or GB-SCT) and checks it exists. */
export function parseRegion(country: string, input: string): string {
  const raw = input.trim().toUpperCase();
  const region = raw.startsWith(`${country}-`) ? raw.slice(country.length + 1) : raw;
  const states = holidaysRegistry().getStates(country, 'en') ?? {};
  if (!states[region]) {
    const valid = Object.keys(states);
    throw new AppError(
      'INVALID_INPUT',
      valid.length === 0
        ? `region "${raw.slice(0, 20)}": ${country} has no regional holiday calendars; leave the region out.`
        : `region "${raw.slice(0, 20)}" is not a region of ${country}; use one of ${valid.join(', ')}.`,
    );
  }
  return region;
}

const listCache = new Map<string, Map<string, string>>();

/**
 * The holidays date-holidays classifies as `public` (days off by law) for a country and optional
 * region. 'bank', 'optional', 'school' and 'observance' days are NOT holidays here: a deadline
 * moved past a day that is not a legal holiday would be late, so in doubt we do not roll.
 */
export function publicHolidays(country: string, region?: string): HolidayList {
  const label = region ? `${country}-${region}` : country;
  const byYear = (year: number): Map<string, string> => {
    const key = `${label}:${year}`;
    let days = listCache.get(key);
    if (!days) {
      days = new Map();
      const calendar = region ? new Holidays(country, region) : new Holidays(country);
      for (const holiday of calendar.getHolidays(year, 'en')) {
        if (holiday.type !== 'public' || isPartDay(holiday)) continue;
        // Multi-day holidays carry their length in start/end; the date string is the local first day.
        const length = Math.max(1, Math.round((holiday.end.getTime() - holiday.start.getTime()) / DAY_MS));
        const first = holiday.date.slice(0, 10);
        for (let i = 0; i < length; i++) days.set(addDays(first, i), holiday.name);
      }
      for (const [date, name] of STATUTORY_ADDITIONS[country]?.(year) ?? [])
        if (!days.has(date)) days.set(date, name);
      listCache.set(key, days);
    }
    return days;
  };
  return { label, holidayName: (date) => byYear(Number(date.slice(0, 4))).get(date) };
}

/**
 * A holiday of part of a day only (Solothurn and Valais: 1 May from noon; Iceland: 24 and 31
 * December from 13:00). The office is open that morning, so the day is a working day and a
 * deadline falling on it does not move: rolling past it would make the deadline late. Twenty
 * hours, not 24, so that a whole holiday on a daylight-saving change day (23 hours) still counts.
 */
function isPartDay(holiday: { date: string; start: Date; end: Date }): boolean {
  const startsAtMidnight = /^\d{4}-\d{2}-\d{2}( 00:00:00)?$/.test(holiday.date);
  return !startsAtMidnight || holiday.end.getTime() - holiday.start.getTime() < 20 * 3_600_000;
}

/**
 * The public holidays observed in every region of a country: the safe calendar when the region is
 * not known (a deadline moved past a holiday of one canton only would be late in all the others).
 * Intersected by date, as regions name the same day differently (Bundesfeiertag, Fête nationale).
 */
export function holidaysOfEveryRegion(country: string): HolidayList {
  const regions = Object.keys(holidaysRegistry().getStates(country, 'en') ?? {});
  const lists = regions.map((region) => publicHolidays(country, region));
  const national = publicHolidays(country);
  return {
    label: `${country} (holidays observed in every region)`,
    holidayName(date) {
      const name = national.holidayName(date) ?? lists[0]?.holidayName(date);
      return name && lists.every((list) => list.holidayName(date)) ? name : undefined;
    },
  };
}

/**
 * Days a country's law treats as holidays for time limits that date-holidays files under another
 * type. Netherlands: Algemene termijnenwet art. 3 lists 5 May and (art. 3(2)) Good Friday, which
 * date-holidays calls 'school'. The bridge days the Crown adds by decree every three years are not
 * included: they cannot be computed.
 */
const STATUTORY_ADDITIONS: Record<string, (year: number) => Array<[string, string]>> = {
  NL: (year) => [
    [addDays(easterSunday(year), -2), 'Goede Vrijdag (Algemene termijnenwet art. 3(2))'],
    [`${year}-05-05`, 'Bevrijdingsdag (Algemene termijnenwet art. 3(1))'],
  ],
};

/** Western (Gregorian) Easter Sunday, by the anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function nthWeekday(year: number, month: number, day: number, n: number): string {
  const first = `${year}-${String(month).padStart(2, '0')}-01`;
  return addDays(first, ((day - weekday(first) + 7) % 7) + (n - 1) * 7);
}

/** The Monday before 25 May: Victoria Day federally, National Patriots' Day in Quebec. */
function mondayBefore25May(year: number): string {
  const may24 = `${year}-05-24`;
  return addDays(may24, -((weekday(may24) + 6) % 7));
}

function canadaDay(year: number): string {
  // Holidays Act (R.S.C. 1985, c. H-5) s. 2: when 1 July is a Sunday, Canada Day is 2 July.
  return weekday(`${year}-07-01`) === 0 ? `${year}-07-02` : `${year}-07-01`;
}

function fixedList(label: string, build: (year: number) => Array<[string, string]>, extra?: HolidayList) {
  const cache = new Map<number, Map<string, string>>();
  const list: HolidayList = {
    label,
    holidayName(date) {
      const year = Number(date.slice(0, 4));
      let days = cache.get(year);
      if (!days) {
        days = new Map(build(year));
        cache.set(year, days);
      }
      return days.get(date) ?? extra?.holidayName(date);
    },
  };
  return list;
}

/**
 * Holidays of the federal Interpretation Act (R.S.C. 1985, c. I-21) s. 35(1), which s. 26 uses to
 * move a deadline. date-holidays' national CA list lacks several of them (Easter Monday, Victoria
 * Day, Thanksgiving, Remembrance Day, 30 September), so the statute's list is built here. The
 * Sunday of s. 35 is handled by the weekend rule. In a province, s. 35 adds its public holidays.
 */
export function canadaFederalHolidays(province?: string): HolidayList {
  const provincial = province ? publicHolidays('CA', province) : undefined;
  return fixedList(
    province ? `Canada (federal) and CA-${province}` : 'Canada (federal)',
    (year) => {
      const easter = easterSunday(year);
      const days: Array<[string, string]> = [
        [`${year}-01-01`, "New Year's Day"],
        [addDays(easter, -2), 'Good Friday'],
        [addDays(easter, 1), 'Easter Monday'],
        [mondayBefore25May(year), 'Victoria Day'],
        [canadaDay(year), 'Canada Day'],
        [nthWeekday(year, 9, 1, 1), 'Labour Day'],
        [nthWeekday(year, 10, 1, 2), 'Thanksgiving Day'],
        [`${year}-11-11`, 'Remembrance Day'],
        [`${year}-12-25`, 'Christmas Day'],
      ];
      // Added to s. 35(1) by S.C. 2021, c. 11.
      if (year >= 2021) days.push([`${year}-09-30`, 'National Day for Truth and Reconciliation']);
      return days;
    },
    provincial,
  );
}

/**
 * Holidays of Quebec's Interpretation Act (CQLR c. I-16) s. 61(23): besides Sundays, 1 January,
 * Good Friday, Easter Monday, 24 June, Canada Day, Labour Day, the second Monday of October,
 * 25 December and the Sovereign's birthday as fixed federally (the Monday before 25 May).
 */
export function quebecHolidays(): HolidayList {
  return fixedList('Quebec', (year) => {
    const easter = easterSunday(year);
    return [
      [`${year}-01-01`, "New Year's Day"],
      [addDays(easter, -2), 'Good Friday'],
      [addDays(easter, 1), 'Easter Monday'],
      [mondayBefore25May(year), "National Patriots' Day"],
      [`${year}-06-24`, 'Fête nationale'],
      [canadaDay(year), 'Canada Day'],
      [nthWeekday(year, 9, 1, 1), 'Labour Day'],
      [nthWeekday(year, 10, 1, 2), 'Thanksgiving'],
      [`${year}-12-25`, 'Christmas Day'],
    ];
  });
}

/** The last `day` (0 = Sunday) of a month. */
function lastWeekday(year: number, month: number, day: number): string {
  const last = `${year}-${String(month).padStart(2, '0')}-${String(daysInMonth(year, month)).padStart(2, '0')}`;
  return addDays(last, -((weekday(last) - day + 7) % 7));
}

/** A fixed-date holiday and, when it falls on a Sunday, the Monday after. */
function withSundayMonday(date: string, name: string): Array<[string, string]> {
  return weekday(date) === 0 ? [[addDays(date, 1), `${name} (observed)`]] : [[date, name]];
}

/**
 * The holidays that are both federal (5 U.S.C. § 6103) and California's (Cal. Gov. Code § 6700,
 * with § 6701 moving a fixed date that falls on a Sunday to the Monday): the CCPA regulations
 * count "business days" without defining them, and these are the days off under either reading,
 * so skipping only these gives the earlier date. Left out: days of one list only (César Chávez
 * Day, Lincoln Day, Native American Day, the day after Thanksgiving) and federal Saturday-to-Friday
 * substitutes, which § 6701 makes only for Veterans Day. Juneteenth joined § 6700 by Stats. 2022,
 * ch. 753, from 2023; § 6701 does not move it off a Sunday.
 */
export function californiaBusinessHolidays(): HolidayList {
  return fixedList('both federal (5 U.S.C. § 6103) and California (Gov. Code § 6700)', (year) => {
    const veterans = `${year}-11-11`;
    const days: Array<[string, string]> = [
      ...withSundayMonday(`${year}-01-01`, "New Year's Day"),
      [nthWeekday(year, 1, 1, 3), 'Martin Luther King, Jr. Day'],
      [nthWeekday(year, 2, 1, 3), "Washington's Birthday"],
      [lastWeekday(year, 5, 1), 'Memorial Day'],
      ...withSundayMonday(`${year}-07-04`, 'Independence Day'),
      [nthWeekday(year, 9, 1, 1), 'Labor Day'],
      [nthWeekday(year, 10, 1, 2), 'Columbus Day'],
      ...(weekday(veterans) === 6
        ? ([[addDays(veterans, -1), 'Veterans Day (observed)']] as Array<[string, string]>)
        : withSundayMonday(veterans, 'Veterans Day')),
      [nthWeekday(year, 11, 4, 4), 'Thanksgiving Day'],
      ...withSundayMonday(`${year}-12-25`, 'Christmas Day'),
    ];
    if (year >= 2023) days.push([`${year}-06-19`, 'Juneteenth']);
    return days;
  });
}

/**
 * Colorado's legal holidays (C.R.S. § 24-11-101), which § 2-4-108(2) skips when a statutory
 * period ends on one. A holiday falling on a Sunday is kept on the Monday after; the Friday
 * before a Saturday holiday is not added (the earlier date is the safe reading). Frances Xavier
 * Cabrini Day replaced Columbus Day from 2020; Juneteenth is a legal holiday from 2022.
 */
export function coloradoLegalHolidays(): HolidayList {
  return fixedList('Colorado (C.R.S. § 24-11-101)', (year) => {
    const days: Array<[string, string]> = [
      ...withSundayMonday(`${year}-01-01`, "New Year's Day"),
      [nthWeekday(year, 1, 1, 3), 'Martin Luther King, Jr. Day'],
      [nthWeekday(year, 2, 1, 3), 'Washington-Lincoln Day'],
      [lastWeekday(year, 5, 1), 'Memorial Day'],
      ...withSundayMonday(`${year}-07-04`, 'Independence Day'),
      [nthWeekday(year, 9, 1, 1), 'Labor Day'],
      year >= 2020
        ? [nthWeekday(year, 10, 1, 1), 'Frances Xavier Cabrini Day']
        : [nthWeekday(year, 10, 1, 2), 'Columbus Day'],
      ...withSundayMonday(`${year}-11-11`, 'Veterans Day'),
      [nthWeekday(year, 11, 4, 4), 'Thanksgiving Day'],
      ...withSundayMonday(`${year}-12-25`, 'Christmas Day'),
    ];
    if (year >= 2022) days.push(...withSundayMonday(`${year}-06-19`, 'Juneteenth'));
    return days;
  });
}
