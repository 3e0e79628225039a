/** The CCPA/CPRA plan (California): calendar days for a response, business days for the other clocks. */
import {
  addDays,
  addWorkingDays,
  californiaBusinessHolidays,
  type HolidayList,
  publicHolidays,
  type WorkCalendar,
} from './calendar.js';
import {
  daysRule,
  fmt,
  holidaysCalendar,
  label,
  noExtension,
  type Plan,
  type PlanContext,
  type Rollover,
} from './deadlines-plan.js';
import type { Deadline } from './deadlines-types.js';

/** A day on either list is a holiday (the wider of two readings). */
function eitherList(a: HolidayList, b: HolidayList): HolidayList {
  return {
    label: `${a.label} or ${b.label}`,
    holidayName: (date) => a.holidayName(date) ?? b.holidayName(date),
  };
}

/**
 * CCPA regulations, Cal. Code Regs. tit. 11. § 7021(b) gives 45 calendar days (90 extended), so
 * those periods do not move off weekends or holidays. Business days (receipt confirmation,
 * opt-outs) are not defined: counted as Monday to Friday less the holidays both federal and in
 * Cal. Gov. Code § 6700, the earlier of the defensible readings (issue 14 point 3).
 */
export function ccpaPlan(ctx: PlanContext): Plan {
  const days = businessDays(ctx);
  if (ctx.type === 'opt-out-of-sale' || ctx.type === 'limit-sensitive-use') return optOutPlan(ctx, days);
  const calendarDays: Rollover = { cite: '' };
  const extras: Deadline[] = [];
  const covered =
    ctx.type === undefined || ['access', 'portability', 'erasure', 'rectification'].includes(ctx.type);
  if (!covered) {
    ctx.notes.push(
      `The CCPA sets no timeline of its own for a ${ctx.type} request; the § 7021(b) period for requests to know, delete and correct is used.`,
    );
  } else {
    // § 7021(a): confirm receipt within 10 business days (requests to know, delete, correct).
    const confirm = addWorkingDays(ctx.received, 10, days.business);
    extras.push({
      kind: 'receipt-confirmation',
      due: confirm,
      rule: `Confirm receipt and explain the verification process within 10 business days after receipt (${days.words}${days.otherReading(10, confirm)}): ${fmt(confirm)}.`,
      source: 'Cal. Code Regs. tit. 11 § 7021(a)',
      binding: true,
    });
  }
  // § 7021(b): 45 calendar days from receipt, regardless of verification; up to 90 with notice.
  const response = daysRule(
    ctx,
    ctx.extended ? 90 : 45,
    calendarDays,
    (due) =>
      ctx.extended
        ? `90 calendar days from receipt on ${fmt(ctx.received)} (45 days extended once by 45, with notice), regardless of the time verification takes; § 7021(b) counts calendar days, so a period ending on a weekend or holiday does not move: ${fmt(due)}.`
        : `45 calendar days from receipt on ${fmt(ctx.received)}, regardless of the time verification takes; § 7021(b) counts calendar days, so a period ending on a weekend or holiday does not move: ${fmt(due)}.`,
    'Cal. Code Regs. tit. 11 § 7021(b)',
  );
  if (ctx.extended) {
    const notice = addDays(ctx.received, 45);
    extras.push({
      kind: 'extension-notice',
      due: notice,
      rule: `Tell the consumer about the extension and why, within the first 45 calendar days: ${fmt(notice)}.`,
      source: 'Cal. Code Regs. tit. 11 § 7021(b)',
      binding: true,
    });
  }
  return {
    response,
    extras,
    extendable: true,
    maxExtensions: 1,
    pausable: false,
    calendar: `calendar days; ${days.business.description} for business-day clocks`,
  };
}

/** How the CCPA's business days are counted, in words, and the date the other reading would give. */
interface BusinessDays {
  business: WorkCalendar;
  words: string;
  /** "…; counting every California public holiday (…) would give Tuesday 15 December 2026". */
  otherReading: (count: number, due: string) => string;
}

function businessDays(ctx: PlanContext): BusinessDays {
  const where = ctx.where.country ? ctx.where : { country: 'US', region: 'CA' };
  const californian = where.country === 'US' && (where.region ?? 'CA') === 'CA';
  // Outside California (a request counted elsewhere on purpose) the place's own public holidays.
  const holidays = californian ? californiaBusinessHolidays() : publicHolidays(where.country!, where.region);
  const business = holidaysCalendar(holidays, true, true);
  // The other reading: a holiday of either list counts, which adds the day after Thanksgiving and
  // César Chávez Day (date-holidays' California public holidays).
  const wider = californian
    ? holidaysCalendar(eitherList(holidays, publicHolidays('US', 'CA')), true, true)
    : undefined;
  const words = californian
    ? 'business days: Monday to Friday except holidays both federal (5 U.S.C. § 6103) and in Cal. Gov. Code § 6700; the regulations do not define business days, so this is the earlier defensible reading'
    : `business days: Monday to Friday except public holidays of ${label(where)}`;
  const otherReading = (count: number, due: string): string => {
    if (!wider) return '';
    const other = addWorkingDays(ctx.received, count, wider);
    return other === due
      ? '; counting also the holidays of one list only (the day after Thanksgiving, César Chávez Day) gives the same day'
      : `; the other reading, counting also the holidays of one list only (the day after Thanksgiving, César Chávez Day), would give ${fmt(other)}`;
  };
  return { business, words, otherReading };
}

/**
 * § 7026(f) (opt-out of sale/sharing) and § 7027(g) (limit use of sensitive PI): 15 business days
 * from receipt; neither section allows an extension or asks for a receipt confirmation.
 */
function optOutPlan(ctx: PlanContext, days: BusinessDays): Plan {
  const optOut = ctx.type === 'opt-out-of-sale';
  if (ctx.extended)
    noExtension('ccpa', `${optOut ? '§ 7026(f)' : '§ 7027(g)'} sets a flat 15 business days.`);
  const due = addWorkingDays(ctx.received, 15, days.business);
  return {
    response: {
      kind: 'response',
      due,
      rule: `15 business days after receipt on ${fmt(ctx.received)} (${days.words}${days.otherReading(15, due)}): ${fmt(due)}.`,
      source: optOut ? 'Cal. Code Regs. tit. 11 § 7026(f)' : 'Cal. Code Regs. tit. 11 § 7027(g)',
      binding: true,
    },
    extras: [],
    extendable: false,
    maxExtensions: 0,
    pausable: false,
    calendar: days.business.description,
  };
}
