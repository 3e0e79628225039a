/**
 * What a law's plan is given (the checked inputs) and returns (its clocks), and the counting the plans
 * share: whole days from receipt, and the move of a date off a closed day, explained.
 */
import { AppError } from '../errors.js';
import {
  addDays,
  formatLongDate,
  type HolidayList,
  rollForward,
  type WorkCalendar,
  workCalendar,
} from './calendar.js';
import type { Deadline, ExtensionGround } from './deadlines-types.js';
import { REGIME_LABELS, type Regime, type RequestType } from './regimes.js';

/** How a regime moves a date that falls on a closed day: what triggers the move, where it lands. */
export interface Rollover {
  /** A date on one of these days moves; undefined means the law counts plain calendar days. */
  trigger?: WorkCalendar;
  /** It moves to the first day that is open in this calendar (usually the same one). */
  target?: WorkCalendar;
  /** The citation for the move, appended to the rule. */
  cite: string;
  /** How the law names the day it lands on; "the next working day" unless said otherwise. */
  next?: string;
}

export interface Jurisdiction {
  country?: string;
  region?: string;
}

export const fmt = formatLongDate;

/** Applies a rollover and explains it: "…: Sunday 5 July 2026 is a Sunday, so Monday 6 July 2026". */
export function roll(raw: string, rollover: Rollover): { due: string; why: string } {
  const reason = rollover.trigger?.closedReason(raw);
  if (!rollover.trigger || !reason) return { due: raw, why: `${fmt(raw)}` };
  const target = rollover.target ?? rollover.trigger;
  const due = rollForward(addDays(raw, 1), target);
  // Name the holidays skipped after the first closed day, so the reader can check the calendar.
  const skipped: string[] = [];
  for (let day = addDays(raw, 1); day < due; day = addDays(day, 1)) {
    const closed = target.closedReason(day);
    if (closed?.startsWith('a holiday')) skipped.push(`${fmt(day)} is ${closed}`);
  }
  const also = skipped.length > 0 ? `; ${skipped.join('; ')}` : '';
  return {
    due,
    why: `${fmt(raw)}, ${reason}${also}; so the period ends on ${rollover.next ?? 'the next working day'}, ${fmt(due)} (${rollover.cite})`,
  };
}

export function holidaysCalendar(holidays: HolidayList, saturday: boolean, sunday: boolean): WorkCalendar {
  const weekend = [saturday && 'Saturdays', sunday && 'Sundays'].filter(Boolean).join(', ');
  const description = `${weekend ? `${weekend} and ` : ''}holidays of ${holidays.label}`;
  return workCalendar(holidays, { saturday, sunday }, description);
}

export interface Plan {
  response: Deadline;
  extras: Deadline[];
  extendable: boolean;
  maxExtensions: number;
  pausable: boolean;
  calendar: string;
}

export interface PlanContext {
  received: string;
  clockStart?: string;
  pausedDays: number;
  extensionDays?: number;
  extensionGround?: ExtensionGround;
  extended: boolean;
  type?: RequestType;
  smallAgent: boolean;
  simplified: boolean;
  where: Jurisdiction;
  notes: string[];
}

export function label(where: Jurisdiction): string {
  return where.region ? `${where.country}-${where.region}` : (where.country ?? '');
}

export function noExtension(regime: Regime, why: string): never {
  throw new AppError(
    'INVALID_INPUT',
    `the ${REGIME_LABELS[regime]} allows no extension: ${why} Compute the deadline without one.`,
  );
}

/** Whole days, "from receipt": the day of receipt is not counted (day 1 is the next day). */
export function daysRule(
  ctx: PlanContext,
  days: number,
  rollover: Rollover,
  describe: (due: string, why: string) => string,
  source: string,
): Deadline {
  const raw = addDays(ctx.received, days);
  const { due, why } = roll(raw, rollover);
  return { kind: 'response', due, rule: describe(due, why), source, binding: true };
}
