import { z } from 'zod';
import { AppError } from '../errors.js';

/**
 * Validation of what a person types into the register, and the few calendar-day helpers the
 * register needs for "today" and retention. Every failure is an INVALID_INPUT AppError whose
 * message says what was wrong and what is expected.
 */

const MIN_RECEIVED = '2000-01-01';

// One formatter per time zone: each Intl.DateTimeFormat holds native ICU memory that the GC sees
// late, and making one per call grew the process by hundreds of MB over 100,000 adds.
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Today's date (YYYY-MM-DD) in the given IANA time zone. */
export function todayIn(now: Date, timeZone: string): string {
  let format = formatters.get(timeZone);
  if (!format) {
    // en-CA formats dates as YYYY-MM-DD.
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    formatters.set(timeZone, format);
  }
  return format.format(now);
}

import { addDays } from './calendar.js';

// Calendar-day arithmetic lives with the deadline rules; re-exported for the register's callers.
export { addDays, addMonths, daysBetween } from './calendar.js';

/** Parses a calendar date that must exist and must not be after `today`. */
export function parseReceivedDate(input: string, today: string): string {
  const text = input.trim();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    throw new AppError(
      'INVALID_INPUT',
      `"${text.slice(0, 40)}" is not a date; use YYYY-MM-DD, e.g. ${today}.`,
    );
  }
  // An impossible date (30 February) normalises to another day: it does not survive a round trip.
  if (addDays(text, 0) !== text) {
    throw new AppError('INVALID_INPUT', `${text} is not a real calendar date.`);
  }
  if (text > today) {
    throw new AppError(
      'INVALID_INPUT',
      `The received date ${text} is in the future (today is ${today}); use the day the request arrived.`,
    );
  }
  if (text < MIN_RECEIVED) {
    throw new AppError('INVALID_INPUT', `The received date ${text} is implausibly old; check the year.`);
  }
  return text;
}

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

/** An ISO 3166-1 alpha-2 country code that ICU knows, upper-cased. */
export function parseCountry(input: string): string {
  const code = input.trim().toUpperCase();
  let name: string | undefined;
  try {
    name = /^[A-Z]{2}$/.test(code) ? regionNames.of(code) : undefined;
  } catch {
    name = undefined;
  }
  if (!name || name === code || name === 'Unknown Region') {
    throw new AppError(
      'INVALID_INPUT',
      `"${input.trim().slice(0, 20)}" is not a known country; use a two-letter ISO 3166-1 code such as DE, FR or US.`,
    );
  }
  return code;
}

const emailSchema = z.email();

/** A syntactically valid email address. The message never repeats the address (it is personal data). */
export function parseEmail(input: string): string {
  const email = input.trim();
  if (!emailSchema.safeParse(email).success) {
    throw new AppError(
      'INVALID_INPUT',
      'The requester email is not a valid address (expected name@example.org).',
    );
  }
  return email;
}

/** A non-empty single-line text of bounded length; `what` names the field in the message. */
export function parseText(input: string, what: string, max = 200): string {
  const text = input.trim();
  if (text === '') throw new AppError('INVALID_INPUT', `The ${what} must not be empty.`);
  if (text.length > max)
    throw new AppError('INVALID_INPUT', `The ${what} is too long (at most ${max} characters).`);
  if (/[\u0000-\u001f\u007f]/.test(text) && what !== 'note') {
    throw new AppError('INVALID_INPUT', `The ${what} must be a single line of text.`);
  }
  return text;
}
