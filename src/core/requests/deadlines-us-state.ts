/** The US state privacy law plans: a state's response period and the appeal of a refusal, from its row. */
import { AppError } from '../errors.js';
import { addDays, coloradoLegalHolidays, type HolidayList } from './calendar.js';
import {
  daysRule,
  fmt,
  holidaysCalendar,
  type Plan,
  type PlanContext,
  type Rollover,
  roll,
} from './deadlines-plan.js';
import type { Deadline } from './deadlines-types.js';
import { type Figure, knownStatesList, US_STATE_LAWS, type UsStateLaw, usStateLaw } from './us-states.js';

/**
 * Names the figures of the state's row that were not confirmed against the statute text, so a rule
 * line says exactly what to check: "(the 60-day appeal period is from secondary summaries ...)".
 */
function unconfirmed(law: UsStateLaw, ...figures: Figure[]): string {
  const words: Record<Figure, string> = {
    response: `the ${law.responseDays}-day response period`,
    extension: `the ${law.extensionDays}-day extension`,
    appeal: `the ${law.appealDays}-day appeal period`,
    appealExtension: `the ${law.appealExtensionDays}-day extension of the appeal period`,
    statute: `the section cited (${law.statute})`,
    effective: `the effective date (${law.effective})`,
  };
  const open = figures.filter((f) => law.unconfirmed?.includes(f)).map((f) => words[f]);
  if (open.length === 0) return '';
  const list = open.length === 1 ? open[0] : `${open.slice(0, -1).join(', ')} and ${open.at(-1)}`;
  return ` (${list} ${open.length === 1 ? 'is' : 'are'} taken from secondary summaries, not yet checked against the statute text: check before relying on ${open.length === 1 ? 'it' : 'them'})`;
}

/** The state's row; a missing or unknown state is an error that names the known ones. */
function stateLaw(ctx: PlanContext): UsStateLaw {
  const law = usStateLaw(ctx.where.region);
  if (law) return law;
  if (ctx.where.region) throw noStateLaw(ctx.where.region);
  throw new AppError(
    'INVALID_INPUT',
    `US state privacy laws differ by state: give the state as the region, one of ${knownStatesList()}.`,
  );
}

/** A state privacy-ops knows no comprehensive consumer privacy law of. */
export function noStateLaw(region: string): AppError {
  return new AppError(
    'INVALID_INPUT',
    `US state "${region}" has no comprehensive consumer privacy law in privacy-ops; known states: ${knownStatesList()}.`,
  );
}

/** The holidays a state's time-computation rule skips, for the states whose rule reaches the act. */
const STATE_HOLIDAYS: Record<string, () => HolidayList> = { CO: coloradoLegalHolidays };

/** How a state's periods end: on their last day, or moved off weekends and legal holidays. */
function stateRollover(law: UsStateLaw): { rollover: Rollover; calendar: string; plain: string } {
  const holidays = STATE_HOLIDAYS[law.code];
  if (!law.periodEnd || !holidays) {
    return {
      rollover: { cite: '' },
      calendar: 'calendar days; a period ending on a weekend or holiday does not move',
      plain: '; plain days: the act does not move a period that ends on a weekend or holiday',
    };
  }
  const calendar = holidaysCalendar(holidays(), true, true);
  return {
    rollover: {
      trigger: calendar,
      cite: law.periodEnd,
      next: 'the next day that is not a Saturday, Sunday or legal holiday',
    },
    calendar: `calendar days; a period ending on a Saturday, Sunday or legal holiday (${holidays().label}) runs to the next day that is none of them (${law.periodEnd})`,
    plain: '',
  };
}

/** The notice an extension needs, due by the end of the period it extends. */
function extensionNotice(
  received: string,
  days: number,
  within: string,
  source: string,
  rollover: Rollover = { cite: '' },
): Deadline {
  const { due, why } = roll(addDays(received, days), rollover);
  return {
    kind: 'extension-notice',
    due,
    rule: `Tell the consumer about the extension and why, within ${within}: ${why}.`,
    source,
    binding: true,
  };
}

/**
 * US state comprehensive privacy laws, one row per state in `US_STATE_LAWS`: the response period
 * from receipt (45 days in most, 90 in Iowa), extendable once with notice within the first period;
 * an appeal of a refusal has its own clock from receipt of the appeal (60 days in most, Colorado 45
 * plus 60). Plain days from receipt, except where the state's own time-computation rule moves a
 * period ending on a weekend or legal holiday (Colorado, C.R.S. § 2-4-108(2)).
 */
export function usStatePlan(ctx: PlanContext): Plan {
  if (ctx.where.country && ctx.where.country !== 'US') {
    throw new AppError(
      'INVALID_INPUT',
      'US state privacy laws follow the state: use country US with the state as region.',
    );
  }
  const law = stateLaw(ctx);
  const title = law.law.startsWith(law.name) ? law.law : `${law.name} ${law.law}`;
  if (ctx.received < law.effective) {
    ctx.notes.push(
      `The ${title} applies from ${fmt(law.effective)}, later than this request was received; it may not apply to it${unconfirmed(law, 'effective')}.`,
    );
  }
  const counting = stateRollover(law);
  if (ctx.type === 'appeal') return appealPlan(ctx, law, title, counting);
  const base = law.responseDays;
  const days = ctx.extended ? base + law.extensionDays : base;
  const response = daysRule(
    ctx,
    days,
    counting.rollover,
    (_due, why) =>
      ctx.extended
        ? `${base} days from receipt on ${fmt(ctx.received)}, extended once by ${law.extensionDays} days: ${days} days, ${why}${counting.plain}${unconfirmed(law, 'response', 'extension', 'statute')}.`
        : `${base} days from receipt on ${fmt(ctx.received)} under the ${title}: ${why}${counting.plain}${unconfirmed(law, 'response', 'statute')}.`,
    law.statute,
  );
  const extras = ctx.extended
    ? [extensionNotice(ctx.received, base, `the initial ${base}-day period`, law.statute, counting.rollover)]
    : [];
  return {
    response,
    extras,
    extendable: true,
    maxExtensions: 1,
    pausable: false,
    calendar: counting.calendar,
  };
}

/** The appeal of a refusal to act: its own clock, from the day the appeal was received. */
function appealPlan(
  ctx: PlanContext,
  law: UsStateLaw,
  title: string,
  counting: ReturnType<typeof stateRollover>,
): Plan {
  if (law.appealDays === undefined) {
    throw new AppError(
      'INVALID_INPUT',
      `the ${title} gives the consumer no appeal to the controller (${law.statute}); states with one: ${US_STATE_LAWS.filter(
        (s) => s.appealDays !== undefined,
      )
        .map((s) => s.code)
        .join(', ')}.`,
    );
  }
  const source = law.appealStatute ?? law.statute;
  const more = law.appealExtensionDays;
  if (ctx.extended && more === undefined) {
    throw new AppError(
      'INVALID_INPUT',
      `the ${title} allows no extension of the appeal period: ${law.appealDays} days. Compute the deadline without one.`,
    );
  }
  // Each line flags the figures it uses: the appeal period, and the extension only where applied.
  const flag = ctx.extended ? unconfirmed(law, 'appeal', 'appealExtension') : unconfirmed(law, 'appeal');
  const days = ctx.extended && more ? law.appealDays + more : law.appealDays;
  const response = daysRule(
    ctx,
    days,
    counting.rollover,
    (_due, why) =>
      ctx.extended
        ? `Appeal: ${law.appealDays} days from receipt of the appeal on ${fmt(ctx.received)}, extended by ${more} days: ${days} days, ${why}${counting.plain}${flag}.`
        : `Appeal: tell the consumer in writing what was decided and why within ${law.appealDays} days of receipt of the appeal on ${fmt(ctx.received)}: ${why}${counting.plain}${flag}.`,
    source,
  );
  const extras = ctx.extended
    ? [extensionNotice(ctx.received, law.appealDays, `the ${law.appealDays} days`, source, counting.rollover)]
    : [];
  return {
    response,
    extras,
    extendable: more !== undefined,
    maxExtensions: more !== undefined ? 1 : 0,
    pausable: false,
    calendar: counting.calendar,
  };
}
