/** The Canadian plans: PIPEDA (federal) and the Quebec private-sector act, each with its Interpretation Act. */
import { AppError } from '../errors.js';
import { addDays, canadaFederalHolidays, quebecHolidays } from './calendar.js';
import {
  daysRule,
  fmt,
  holidaysCalendar,
  noExtension,
  type Plan,
  type PlanContext,
  type Rollover,
  roll,
} from './deadlines-plan.js';
import type { Deadline } from './deadlines-types.js';

/**
 * PIPEDA s. 8(3): 30 days after receipt; s. 8(4): extendable by up to 30 days, with notice within
 * the first 30. Interpretation Act (R.S.C. 1985, c. I-21) s. 26: a deadline falling on a holiday
 * moves to the next day that is not a holiday. Sunday is a holiday (s. 35), Saturday is not.
 */
export function pipedaPlan(ctx: PlanContext): Plan {
  if (ctx.where.country && ctx.where.country !== 'CA') {
    throw new AppError(
      'INVALID_INPUT',
      'PIPEDA deadlines follow Canadian holidays: use country CA (with a province if any).',
    );
  }
  const calendar = holidaysCalendar(canadaFederalHolidays(ctx.where.region), false, true);
  const rollover: Rollover = {
    trigger: calendar,
    cite: 'Interpretation Act s. 26',
    next: 'the next day that is not a holiday',
  };
  const { conversion, more } = pipedaExtension(ctx);
  const days = ctx.extended ? 30 + more : 30;
  const response = daysRule(
    ctx,
    days,
    rollover,
    (_due, why) =>
      !ctx.extended
        ? `30 days after receipt on ${fmt(ctx.received)} (the day of receipt is not counted): ${why}.`
        : conversion
          ? `30 days after receipt on ${fmt(ctx.received)}, extended by the ${more} days the organization needs to convert the information into an alternative format (s. 8(4)(b): the period necessary, no cap): day ${days} is ${why}.`
          : `30 days after receipt on ${fmt(ctx.received)}, extended by ${more === 30 ? 'the maximum 30 days' : `${more} days (at most 30)`} (s. 8(4)(a)): day ${days} is ${why}.`,
    ctx.extended
      ? `PIPEDA s. 8(3) and 8(4)${conversion ? '(b)' : '(a)'}; Interpretation Act (R.S.C. 1985, c. I-21) ss. 26-27, 35`
      : 'PIPEDA s. 8(3); Interpretation Act (R.S.C. 1985, c. I-21) ss. 26-27, 35',
  );
  const extras: Deadline[] = [];
  if (ctx.extended) {
    const notice = roll(addDays(ctx.received, 30), rollover);
    extras.push({
      kind: 'extension-notice',
      due: notice.due,
      rule: `Send the notice of extension (new time limit, reasons, right to complain to the Commissioner) no later than 30 days after the request: ${notice.why}.`,
      source: 'PIPEDA s. 8(4)',
      binding: true,
    });
  }
  return {
    response,
    extras,
    extendable: true,
    maxExtensions: 1,
    pausable: false,
    calendar: calendar.description,
  };
}

/**
 * The days a PIPEDA extension adds, and whether it is to convert the information into an alternative
 * format. s. 8(4)(a): up to 30 more days (interference with activities, consultations); s. 8(4)(b): the
 * period necessary to convert the information into an alternative format, which the law does
 * not cap, so the organization's own figure is needed.
 */
function pipedaExtension(ctx: PlanContext): { conversion: boolean; more: number } {
  const conversion = ctx.extensionGround === 'alternative-format';
  if (conversion && ctx.extensionDays === undefined) {
    throw new AppError(
      'INVALID_INPUT',
      'PIPEDA s. 8(4)(b) extends the time limit by the period necessary to convert the information into an alternative format, which the organization sets: give the days it adds to the 30.',
    );
  }
  if (ctx.extended && !conversion && ctx.extensionDays !== undefined && ctx.extensionDays > 30) {
    throw new AppError(
      'INVALID_INPUT',
      `PIPEDA s. 8(4)(a) allows at most 30 more days, not ${ctx.extensionDays}; only converting the information into an alternative format (s. 8(4)(b)) may take longer.`,
    );
  }
  return { conversion, more: ctx.extensionDays ?? 30 };
}

/**
 * Quebec private-sector act (CQLR c. P-39.1) s. 32: respond within 30 days of receipt; it provides
 * no extension. Quebec Interpretation Act s. 52: a time limit expiring on a holiday (s. 61(23),
 * Sundays included; Saturdays are not holidays) is extended to the next working day.
 */
export function quebecPlan(ctx: PlanContext): Plan {
  if (ctx.extended)
    noExtension('quebec', 's. 32 sets 30 days; failing to answer in time is deemed a refusal.');
  if (ctx.where.country && (ctx.where.country !== 'CA' || (ctx.where.region && ctx.where.region !== 'QC'))) {
    throw new AppError(
      'INVALID_INPUT',
      'Quebec deadlines follow Quebec holidays: use country CA with region QC.',
    );
  }
  const holidays = quebecHolidays();
  const trigger = holidaysCalendar(holidays, false, true);
  const target = holidaysCalendar(holidays, true, true);
  const response = daysRule(
    ctx,
    30,
    { trigger, target, cite: 'Interpretation Act (Quebec) s. 52' },
    (_due, why) =>
      `30 days after receipt on ${fmt(ctx.received)} (the day of receipt is not counted): ${why}.`,
    'Act respecting the protection of personal information in the private sector (CQLR c. P-39.1) s. 32; Interpretation Act (CQLR c. I-16) ss. 52, 61(23)',
  );
  return {
    response,
    extras: [],
    extendable: false,
    maxExtensions: 0,
    pausable: false,
    calendar: `${trigger.description}; a deadline moved off a holiday lands on a weekday`,
  };
}
