import { toAppError } from '../../core/errors.js';
import { addDays } from '../../core/requests/calendar.js';
import { formatRequestId } from '../../core/requests/model.js';
import type { Register } from '../../core/requests/register.js';

/**
 * The short forms the command line accepts beside the canonical ones, so that a command copied
 * from the README or a script does the same thing next month: a day as `today`, `yesterday` or
 * `N days ago` (counted on the register's calendar, DEFAULT_TIMEZONE), and a request as its number
 * (`1`, `0001`, `#1`), read as the chat reads it.
 */

const DAYS_AGO = /^(\d{1,4})\s+days?\s+ago$/;

/** `today`, `yesterday` or `N days ago` as YYYY-MM-DD; anything else is returned as typed. */
export function relativeDay(text: string | undefined, today: string): string | undefined {
  if (text === undefined) return undefined;
  const word = text.trim().toLowerCase();
  if (word === 'today') return today;
  if (word === 'yesterday') return addDays(today, -1);
  const ago = DAYS_AGO.exec(word);
  return ago ? addDays(today, -Number(ago[1])) : text;
}

/** How many years back a bare number is looked for (the chat's rule: numbers restart every year). */
const YEARS_BACK = 5;

/**
 * A request number (`1`, `0001`, `#1`) as a full id: this year's request with that number, else
 * the latest earlier one. A number no year has is this year's id, so the error names it; any other
 * text is returned as typed, for the register to check.
 */
export async function requestIdFrom(text: string, register: Register, today: string): Promise<string> {
  const match = /^#?(\d{1,6})$/.exec(text.trim());
  if (!match) return text;
  const number = Number(match[1]);
  const year = Number(today.slice(0, 4));
  for (let y = year; y >= year - YEARS_BACK; y--) {
    try {
      return (await register.get(formatRequestId(y, number))).id;
    } catch (error) {
      if (toAppError(error).code !== 'NOT_FOUND') throw error;
    }
  }
  return formatRequestId(year, number);
}
