import * as chrono from 'chrono-node';
import { addDays, addMonths, weekday } from '../requests/calendar.js';
import { todayIn } from '../requests/input.js';
import { NAMED_DAYS } from './vocabulary.js';

/**
 * Dates in chat lines, read with chrono-node relative to the reader's today. A day the request
 * arrived lies in the past, a day something is due by in the future: a date written without the
 * part that would say otherwise ("Friday", "the 28th", "Nov 30") is taken on that side of today.
 */

export interface DateMention {
  /** YYYY-MM-DD. */
  date: string;
  /** Where the words that said it are in the line. */
  index: number;
  text: string;
}

type Side = 'past' | 'future';

/**
 * How a numeric date is read: "1/12" is 1 December day-first (Europe, Brazil, Canada mostly) and
 * 12 January month-first (the US). chrono-node's `en` reads month-first, its `en.GB` day-first.
 */
export type DateOrder = 'day-first' | 'month-first';

/**
 * A numeric date whose day and month could be either way round: both parts 1 to 12 and not equal
 * ("1/12", "3.11.2026"). "10/28" and "5/5" are not ambiguous.
 */
const NUMERIC_DATE = /(?<![\d/.:-])(\d{1,2})[/.-](\d{1,2})(?:[/.-](?:\d{4}|\d{2}))?(?![\d/.:-])/g;

/** The first numeric date in the line that reads differently day-first and month-first. */
export function ambiguousNumericDate(line: string): string | undefined {
  const masked = line.replace(/[\w.+-]+@[\w.-]+|\bDSR-\d{4}-\d+\b|#\d+/gi, (m) => ' '.repeat(m.length));
  for (const m of masked.matchAll(NUMERIC_DATE)) {
    const a = Number(m[1]);
    const b = Number(m[2]);
    if (a >= 1 && a <= 12 && b >= 1 && b <= 12 && a !== b) return m[0];
  }
  return undefined;
}

function offsetMinutes(now: Date, timeZone: string): number {
  const local = new Date(now.toLocaleString('en-US', { timeZone }));
  const utc = new Date(now.toLocaleString('en-US', { timeZone: 'UTC' }));
  return Math.round((local.getTime() - utc.getTime()) / 60_000);
}

/** Moves a date that lies on the wrong side of today by the smallest unit the words left open. */
function onSide(date: string, today: string, side: Side, open: 'week' | 'month' | 'year' | null): string {
  const wrong = side === 'past' ? date > today : date < today;
  if (!wrong || !open) return date;
  const sign = side === 'past' ? -1 : 1;
  if (open === 'week') return addDays(date, 7 * sign);
  if (open === 'month') return addMonths(date, sign);
  return addMonths(date, 12 * sign);
}

/** "the 28th", "on the 3rd": a day of the month, which chrono leaves alone without a month. */
/** A month's name after it is chrono's to read ("24th of may"); any other word is not ("the 24th not 3 days ago"). */
const ORDINAL_DAY =
  /\b(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)\b(?!\s+(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b)/gi;

/** The yearly days said by name, longest first, as one pattern. */
const NAMED_DAY_RE = new RegExp(
  `\\b(?:${Object.keys(NAMED_DAYS)
    .sort((a, b) => b.length - a.length)
    .map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|')})\\b`,
  'gi',
);

/**
 * A line with each yearly day said by name written as its month and day instead ("xmas eve" ->
 * "dec 24"), padded to the same length so every index in the line stays where it was.
 */
function withNamedDays(line: string): string {
  return line.replace(NAMED_DAY_RE, (m) => {
    const date = NAMED_DAYS[m.toLowerCase().replace(/’/g, "'")] ?? m;
    return date.length <= m.length ? date.padEnd(m.length, ' ') : m;
  });
}

/** Whether a line names a yearly day by name ("christmas eve", "new year's day"). */
export function namesYearlyDay(line: string): boolean {
  NAMED_DAY_RE.lastIndex = 0;
  return NAMED_DAY_RE.test(line);
}

/** Every date the line names, each on the given side of today. Emails and ids are not read. */
export function readDates(
  line: string,
  now: Date,
  timeZone: string,
  side: Side,
  order: DateOrder = 'month-first',
): DateMention[] {
  const today = todayIn(now, timeZone);
  // Blank out what only looks like dates (ids, addresses), keeping every other index in place.
  const masked = withNamedDays(
    line.replace(/[\w.+-]+@[\w.-]+|\bDSR-\d{4}-\d+\b|#\d+/gi, (m) => ' '.repeat(m.length)),
  );
  const out: DateMention[] = [];
  const ref = { instant: now, timezone: offsetMinutes(now, timeZone) };
  for (const found of chrono.en.casual.parse(masked, ref)) {
    // Only an all-numeric date changes with the order ("Nov 30" reads the same either way).
    const r =
      order === 'day-first' && /^\d{1,2}[/.-]\d{1,2}(?:[/.-]\d{2,4})?$/.test(found.text.trim())
        ? (chrono.en.GB.parse(found.text, ref)[0] ?? found)
        : found;
    // A bare month ("May") or a time of day is not a day; "now" is today, said another way.
    if (
      !r.start.isCertain('day') &&
      !r.start.isCertain('weekday') &&
      !/\b(today|yesterday|tomorrow|week|month)\b/i.test(r.text)
    )
      continue;
    const open = r.start.isCertain('year')
      ? null
      : r.start.isCertain('month')
        ? 'year'
        : r.start.isCertain('weekday')
          ? 'week'
          : null;
    out.push({
      date: onSide(todayIn(r.start.date(), timeZone), today, side, open),
      index: found.index,
      text: found.text,
    });
  }
  for (const m of masked.matchAll(ORDINAL_DAY)) {
    const day = Number(m[1]);
    if (day < 1 || day > 31 || out.some((d) => m.index >= d.index && m.index < d.index + d.text.length))
      continue;
    const date = `${today.slice(0, 8)}${String(day).padStart(2, '0')}`;
    out.push({ date: onSide(date, today, side, 'month'), index: m.index, text: m[0] });
  }
  return out.sort((a, b) => a.index - b.index);
}

/** The day a request arrived, when the line names one. */
export function receivedDate(
  line: string,
  now: Date,
  timeZone: string,
  order: DateOrder = 'month-first',
): DateMention | undefined {
  // "on the 24th, not 3 days ago": a date right after "not" is the one put right, not the one meant.
  const dates = readDates(line, now, timeZone, 'past', order);
  return dates.find((d) => !NOT_THIS_DATE.test(line.slice(0, d.index))) ?? dates[0];
}

/** The words before a date that say it is the wrong one ("not", "instead of", "rather than"). */
const NOT_THIS_DATE = /\b(?:not|instead of|rather than)\s+(?:on\s+|the\s+|from\s+)?$/i;

/**
 * The last day of a period a list asks about ("due this week", "by Friday", "in the next 3
 * days", "soon"), or undefined when the line names none.
 */
export function dueHorizon(line: string, now: Date, timeZone: string): string | undefined {
  const today = todayIn(now, timeZone);
  const lower = line.toLowerCase();
  const within = /\b(?:next|within|in)\s+(\d{1,3})\s+days?\b/.exec(lower);
  if (within) return addDays(today, Number(within[1]));
  // Weeks end on Sunday (ISO 8601).
  const toSunday = (7 - weekday(today)) % 7;
  if (/\bthis week\b|\bweek\b/.test(lower) && !/\bnext week\b/.test(lower)) return addDays(today, toSunday);
  if (/\bnext week\b/.test(lower)) return addDays(today, toSunday + 7);
  if (/\bsoon\b/.test(lower)) return addDays(today, DUE_SOON_DAYS);
  const named = readDates(line, now, timeZone, 'future')[0];
  return named?.date;
}

/** What "due soon" means: within a week, as the Home tab and the digest count it. */
export const DUE_SOON_DAYS = 7;
