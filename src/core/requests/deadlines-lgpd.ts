/** The LGPD plan (Brazil): 15 days, or immediately in the simplified format; double time for a small agent. */
import { AppError } from '../errors.js';
import { addDays, publicHolidays, rollForward, type WorkCalendar, weekdayName } from './calendar.js';
import { fmt, holidaysCalendar, noExtension, type Plan, type PlanContext, roll } from './deadlines-plan.js';
import type { Deadline } from './deadlines-types.js';

/**
 * LGPD art. 19: confirmation of processing or access, at the data subject's choice, (I) in a
 * simplified format, immediately, or (II) as a clear and complete statement within 15 days of the
 * request. Resolução CD/ANPD 2/2022 art. 14: a small processing agent has double time (30 days).
 * Counted by Código Civil art. 132: the first day excluded, the last included; a period ending on
 * a holiday runs to the next business day (§ 1). § 1 speaks of holidays (feriados) only: moving a
 * period off a plain Saturday or Sunday is doubtful, so it is not done (issue 14 point 3).
 */
export function lgpdPlan(ctx: PlanContext): Plan {
  if (ctx.extended) noExtension('lgpd', 'art. 19, II sets a flat 15 days.');
  const where = ctx.where.country ? ctx.where : { country: 'BR' };
  const holidays = publicHolidays(where.country!, where.region);
  // A period ends on a holiday only; it then runs to the next day that is neither a holiday nor a
  // Sunday (Saturday counts as a business day here: the earlier reading).
  const trigger = holidaysCalendar(holidays, false, false);
  const target = holidaysCalendar(holidays, false, true);
  const weekend = holidaysCalendar(holidays, true, true);
  const accessLike = ctx.type === undefined || ctx.type === 'access';
  if (ctx.type && !accessLike) {
    ctx.notes.push(
      `LGPD art. 18 § 5 leaves the timing of requests other than access to regulation; the art. 19, II period is used as the reference${ctx.smallAgent ? ', doubled for a small processing agent (Resolução CD/ANPD 2/2022 art. 14, I)' : ''}.`,
    );
  }
  if (ctx.simplified) return simplifiedPlan(ctx, accessLike);
  const small = ctx.smallAgent
    ? ' A small processing agent (Resolução CD/ANPD 2/2022 art. 2) has double time (art. 14), unless it carries out high-risk processing or exceeds the revenue limits (art. 3).'
    : '';
  const days = ctx.smallAgent ? 30 : 15;
  const raw = addDays(ctx.received, days);
  const { due, why } = roll(raw, {
    trigger,
    target,
    cite: 'Código Civil art. 132 § 1',
    next: 'the next business day',
  });
  const otherReading = weekendReading(raw, due, trigger, weekend);
  const response: Deadline = {
    kind: 'response',
    due,
    rule:
      `${days} days from the request on ${fmt(ctx.received)} (the first day is excluded, the last included)${ctx.smallAgent ? ', 15 doubled for a small processing agent' : ''}: ${why}.${otherReading}${small}` +
      (accessLike
        ? ` If the data subject asked for the simplified format instead, it is due immediately (art. 19, I).`
        : ''),
    source: ctx.smallAgent
      ? 'LGPD (Lei 13.709/2018) art. 19, II; Resolução CD/ANPD 2/2022 art. 14; Código Civil art. 132'
      : 'LGPD (Lei 13.709/2018) art. 19, II; Código Civil art. 132',
    binding: true,
  };
  return {
    response,
    extras: [],
    extendable: false,
    maxExtensions: 0,
    pausable: false,
    calendar: `holidays of ${holidays.label} (a period ending on one runs to the next day that is neither a holiday nor a Sunday); Saturdays and Sundays do not move a deadline`,
  };
}

/** LGPD art. 19, I: the simplified format, due immediately, for a confirmation of processing or access. */
function simplifiedPlan(ctx: PlanContext, accessLike: boolean): Plan {
  if (!accessLike) {
    throw new AppError(
      'INVALID_INPUT',
      `the simplified format (LGPD art. 19, I) is a way to confirm processing or give access, not to answer a ${ctx.type} request.`,
    );
  }
  return {
    response: {
      kind: 'response',
      due: ctx.received,
      rule: `The data subject asked for the simplified format: art. 19, I requires it immediately, that is on the day of the request, ${fmt(ctx.received)}; the law gives no days to count, so nothing moves off a weekend or holiday.${ctx.smallAgent ? ' Double time for a small processing agent (Resolução CD/ANPD 2/2022 art. 14) does not lengthen "immediately".' : ''}`,
      source: 'LGPD (Lei 13.709/2018) art. 19, I',
      binding: true,
    },
    extras: [],
    extendable: false,
    maxExtensions: 0,
    pausable: false,
    calendar: 'none: due on the day of the request',
  };
}

/**
 * The other reading: a period ending on a Saturday or Sunday also moves, and the next business
 * day is a weekday. Said when it gives a later date than `due`.
 */
function weekendReading(raw: string, due: string, trigger: WorkCalendar, weekend: WorkCalendar): string {
  const later = rollForward(raw, weekend);
  const plainWeekend = trigger.closedReason(raw) === undefined && later !== raw;
  return plainWeekend
    ? ` ${fmt(raw)} is a ${weekdayName(raw)}, not a holiday: Código Civil art. 132 § 1 moves only a period ending on a holiday (feriado), so the earlier date is kept; the other reading, treating a Saturday or Sunday like a holiday, would give ${fmt(later)}.`
    : later !== due
      ? ` A Saturday is taken as a business day (the earlier reading); the other reading, in which business days are Monday to Friday, would give ${fmt(later)}.`
      : '';
}
