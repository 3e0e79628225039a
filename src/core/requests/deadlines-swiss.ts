/** The Swiss FADP plan: 30 days, moved off the holidays of a canton, or of every canton. */
import { addDays, holidaysOfEveryRegion, publicHolidays } from './calendar.js';
import { fmt, holidaysCalendar, type Plan, type PlanContext, type Rollover, roll } from './deadlines-plan.js';
import type { Deadline } from './deadlines-types.js';

/**
 * Swiss revFADP art. 25(7) and DPO art. 18(1): 30 days from receipt. DPO art. 18(2): if that is not
 * possible, tell the person within the 30 days and name the new deadline (the law sets no length).
 * CO art. 77-78 and the Federal Act on time limits falling on Saturdays (SR 173.110.3): a period
 * ending on a Saturday, Sunday or public holiday ends on the next working day. Public holidays are
 * cantonal; without a canton only those observed in every canton count, and a half-day holiday
 * (1 May afternoon in Solothurn and Valais) does not move a deadline (issue 14 point 3).
 */
export function swissPlan(ctx: PlanContext): Plan {
  const where = ctx.where.country ? ctx.where : { country: 'CH' };
  const everyCanton = where.country === 'CH' && !where.region;
  const holidays = everyCanton ? holidaysOfEveryRegion('CH') : publicHolidays(where.country!, where.region);
  const calendar = holidaysCalendar(holidays, true, true);
  const rollover: Rollover = { trigger: calendar, cite: 'CO art. 78; SR 173.110.3' };
  const source =
    'revFADP (SR 235.1) art. 25(7); DPO (SR 235.11) art. 18; CO art. 77-78; Federal Act on Time Limits on Saturdays (SR 173.110.3)';
  const thirty = roll(addDays(ctx.received, 30), rollover);
  /** Without a canton: the holidays of one canton only would give a later date; say which. */
  const otherReading = (raw: string, due: string): string => {
    if (!everyCanton) return '';
    const national = roll(raw, { trigger: holidaysCalendar(publicHolidays('CH'), true, true), cite: '' }).due;
    const base =
      ' No canton was given, so only holidays observed in every canton count (New Year, Ascension, 1 August, Christmas)';
    return national === due
      ? `${base}.`
      : `${base}; the other reading, with holidays kept in most cantons but not all (Good Friday, Easter Monday, Whit Monday, 26 December), would give ${fmt(national)}: give the canton (region) of the place of performance for its own holidays.`;
  };
  const thirtyRule = `30 days from receipt on ${fmt(ctx.received)} (the day of receipt is not counted): ${thirty.why}.${otherReading(addDays(ctx.received, 30), thirty.due)}`;
  if (!ctx.extended) {
    return {
      response: { kind: 'response', due: thirty.due, rule: thirtyRule, source, binding: true },
      extras: [],
      extendable: true,
      maxExtensions: 1,
      pausable: false,
      calendar: calendar.description,
    };
  }
  const notice: Deadline = {
    kind: 'extension-notice',
    due: thirty.due,
    rule: `Tell the person, within the 30 days, that the information will come later and by when: ${thirty.why}.`,
    source: 'DPO (SR 235.11) art. 18(2)',
    binding: true,
  };
  const more = ctx.extensionDays;
  // DPO art. 18(2) sets no length: the controller names the date. Until one is recorded the 30-day
  // date stands, the earlier date; a named date is the controller's own and is not moved.
  const named = more === undefined ? undefined : addDays(ctx.received, 30 + more);
  const rule =
    named === undefined || more === undefined
      ? `Extended: DPO art. 18(2) sets no length; the controller names the new date when it tells the person, within the 30 days. No date was given, so the 30-day date stands until one is recorded: ${thirty.why}.`
      : `Extended to the date the controller named (DPO art. 18(2), which sets no length): ${more} days after the 30-day period, ${30 + more} days from receipt on ${fmt(ctx.received)}, ${fmt(named)}; a date the controller named itself is not moved off a weekend or holiday.`;
  return {
    response: { kind: 'response', due: named ?? thirty.due, rule, source, binding: true },
    extras: [notice],
    extendable: true,
    maxExtensions: 1,
    pausable: false,
    calendar: calendar.description,
  };
}
