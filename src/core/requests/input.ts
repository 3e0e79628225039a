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

/** The fewest and most digits a phone number has (E.164 allows 15; short local numbers have 6). */
const PHONE_DIGITS = { min: 6, max: 15 };

/**
 * A phone number as people write it: digits with spaces, dashes, dots, slashes or brackets, an
 * optional leading + (or 00) for the country code. Kept as written, white space tidied; the
 * message never repeats the number (it is personal data).
 */
export function parsePhone(input: string): string {
  const phone = input.trim().replace(/\s+/g, ' ');
  const digits = phone.replace(/\D/g, '').length;
  if (!/^\+?[\d\s()./-]+$/.test(phone) || digits < PHONE_DIGITS.min || digits > PHONE_DIGITS.max) {
    throw new AppError(
      'INVALID_INPUT',
      `The requester phone number is not a valid number (expected ${PHONE_DIGITS.min} to ${PHONE_DIGITS.max} digits, optionally starting with +, e.g. +44 20 7946 0958).`,
    );
  }
  return phone;
}

/** The longest postal address kept (a few lines of a letter head). */
const MAX_ADDRESS_CHARS = 300;

/**
 * A postal address: its lines (as a form's multi-line field gives them) joined with ", " into one
 * line, as the register keeps it. The message never repeats the address.
 */
export function parsePostalAddress(input: string): string {
  const address = input
    .split(/\r?\n/)
    .map((line) =>
      line
        .trim()
        .replace(/[,;]+$/, '')
        .replace(/\s+/g, ' '),
    )
    .filter(Boolean)
    .join(', ');
  if (!/\p{L}/u.test(address)) {
    throw new AppError(
      'INVALID_INPUT',
      'The requester postal address must name a street or place (e.g. "1 Main Road, Dublin").',
    );
  }
  return parseText(address, 'requester postal address', MAX_ADDRESS_CHARS);
}

/** How the requester can be reached: at least one of these is needed for every request. */
export interface Contact {
  email?: string;
  phone?: string;
  address?: string;
}

/** Said when a request gives no way to reach the requester. */
export const NO_CONTACT_MESSAGE =
  'A request needs a way to reach the requester: give an email address, a phone number or a postal address.';

/**
 * The requester's contact from what was entered: each one given is validated; none at all is
 * refused with {@link NO_CONTACT_MESSAGE} unless `optional` (an appeal takes the original's).
 */
export function parseContact(
  input: { email?: string | undefined; phone?: string | undefined; address?: string | undefined },
  optional = false,
): Contact {
  const given = (value: string | undefined) =>
    value === undefined || value.trim() === '' ? undefined : value;
  const email = given(input.email);
  const phone = given(input.phone);
  const address = given(input.address);
  if (!email && !phone && !address && !optional) throw new AppError('INVALID_INPUT', NO_CONTACT_MESSAGE);
  return {
    ...(email ? { email: parseEmail(email) } : {}),
    ...(phone ? { phone: parsePhone(phone) } : {}),
    ...(address ? { address: parsePostalAddress(address) } : {}),
  };
}
