/** The EU and UK GDPR plan: one month from receipt, counted as Regulation 1182/71 counts. */
import { AppError } from '../errors.js';
import { addDays, addMonths, publicHolidays, type WorkCalendar } from './calendar.js';
import { fmt, holidaysCalendar, type Plan, type PlanContext, type Rollover, roll } from './deadlines-plan.js';
import type { Deadline } from './deadlines-types.js';

/** The EU Member States and the EEA states that apply the GDPR (Iceland, Liechtenstein, Norway). */
const EEA_COUNTRIES = new Set(
  'AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO'.split(' '),
);

/** The warning for an EU GDPR deadline counted on the holidays of a country outside the EEA. */
function outsideEea(country: string): string {
  const instead =
    country === 'GB'
      ? ' For a UK request use the UK GDPR (regime uk-gdpr).'
      : country === 'CH'
        ? ' For a Swiss request use the FADP (regime swiss).'
        : '';
  return `Warning: ${country} is not an EU or EEA state. The EU GDPR period is counted on the public holidays of a Member State (Reg. 1182/71 art. 3(4)); those of ${country} were used. Where the controller is outside the EU (GDPR art. 3(2)), count on the holidays of the Member State of its establishment or representative (art. 27).${instead}`;
}

/**
 * EU and UK GDPR art. 12(3): one month, extendable by two further months (three from the start).
 * Counted as Regulation 1182/71 art. 3 counts, which the EDPB (Guidelines 01/2022) and the ICO
 * both apply: the day of receipt is not counted; the period ends on the same date of the next
 * month, or on that month's last day if it has no such date; a period ending on a Saturday, Sunday
 * or public holiday ends on the next working day (art. 3(4)). 5 March -> 5 April; 31 August -> 30
 * September.
 */
export function monthsPlan(regime: 'gdpr' | 'uk-gdpr', ctx: PlanContext): Plan {
  const uk = regime === 'uk-gdpr';
  const calendar = memberStateCalendar(uk, ctx);
  const rollover: Rollover = {
    trigger: calendar,
    cite: uk ? 'ICO guidance on time limits' : 'Reg. 1182/71 art. 3(4)',
  };
  // UK GDPR art. 12A (inserted by the Data (Use and Access) Act 2025): the clock starts at the latest of
  // receipt, identity evidence, fee and authority; the EU text has no such rule.
  const start = uk && ctx.clockStart ? ctx.clockStart : ctx.received;
  // UK GDPR art. 12A: time spent waiting for clarification does not count; the EU text has no pause.
  const paused = uk ? ctx.pausedDays : 0;
  const base = uk
    ? 'UK GDPR art. 12(3) and art. 12A; ICO guidance on time limits for responding'
    : 'GDPR art. 12(3); Regulation (EEC, Euratom) No 1182/71 art. 3; EDPB Guidelines 01/2022';
  const startWords =
    start === ctx.received
      ? `receipt on ${fmt(ctx.received)}`
      : `the clock start on ${fmt(start)} (UK GDPR art. 12A: the latest of receipt, identity evidence, fee or authority)`;
  const one = monthsLater(start, 1, paused, rollover);
  const extras: Deadline[] = [];
  let response: Deadline;
  if (ctx.extended) {
    const three = monthsLater(start, 3, paused, rollover);
    response = {
      kind: 'response',
      due: three.due,
      rule:
        `Three months from ${startWords}, the one-month period extended by two further months: ` +
        `the same date three months later${three.clamp} is ${three.why}.`,
      source: base,
      binding: true,
    };
    extras.push({
      kind: 'extension-notice',
      due: one.due,
      rule: `Tell the data subject about the extension, with the reasons, within the first month: by ${one.why}.`,
      source: uk ? 'UK GDPR art. 12(3) and art. 12A' : 'GDPR art. 12(3), second and third sentences',
      binding: true,
    });
  } else {
    response = {
      kind: 'response',
      due: one.due,
      rule: `One month from ${startWords} (that day is not counted): the same date next month${one.clamp} is ${one.why}.`,
      source: base,
      binding: true,
    };
  }
  return {
    response,
    extras,
    extendable: true,
    maxExtensions: 1,
    pausable: uk,
    calendar: `${calendar.description} (public holidays only, per date-holidays)`,
  };
}

/** The working days of the Member State (or UK nation) whose public holidays move the period. */
function memberStateCalendar(uk: boolean, ctx: PlanContext): WorkCalendar {
  if (!ctx.where.country) {
    throw new AppError(
      'INVALID_INPUT',
      "the EU GDPR deadline moves past the public holidays of the controller's Member State: give its country, e.g. DE.",
    );
  }
  if (!uk && !EEA_COUNTRIES.has(ctx.where.country)) ctx.notes.push(outsideEea(ctx.where.country));
  const holidays = publicHolidays(ctx.where.country, ctx.where.region);
  return holidaysCalendar(holidays, true, true);
}

/**
 * The same date `months` later (or that month's last day), plus the days the clock was paused, moved
 * off a closed day; `clamp` says when the month had no such date and what the pause added.
 */
function monthsLater(
  start: string,
  months: number,
  paused: number,
  rollover: Rollover,
): { due: string; why: string; clamp: string } {
  const sameDate = addMonths(start, months);
  const raw = addDays(sameDate, paused);
  const clamp =
    Number(sameDate.slice(8)) !== Number(start.slice(8))
      ? ' (that month has no such date: its last day)'
      : '';
  const pause =
    paused > 0
      ? `, ${fmt(sameDate)}, plus ${paused} day(s) the clock was stopped for clarification (art. 12A: from the day it was asked for to the day it arrived, both included),`
      : '';
  return { ...roll(raw, rollover), clamp: clamp + pause };
}
