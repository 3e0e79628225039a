import { AppError } from '../errors.js';
import { addDays, daysBetween, parseCountry, parseIsoDate, parseRegion } from './calendar.js';
import { pipedaPlan, quebecPlan } from './deadlines-canada.js';
import { ccpaPlan } from './deadlines-ccpa.js';
import { monthsPlan } from './deadlines-gdpr.js';
import { lgpdPlan } from './deadlines-lgpd.js';
import { fmt, type Jurisdiction, type Plan, type PlanContext } from './deadlines-plan.js';
import { swissPlan } from './deadlines-swiss.js';
import { type Deadline, type DeadlineInput, type DeadlineSet, EXTENSION_GROUNDS } from './deadlines-types.js';
import { noStateLaw, usStatePlan } from './deadlines-us-state.js';
import {
  homeJurisdiction,
  normalise,
  parseRegime,
  parseRequestType,
  REGIME_LABELS,
  REGIMES,
  REQUEST_TYPES,
  type Regime,
} from './regimes.js';
import { usStateLaw } from './us-states.js';

/**
 * The legal deadline engine: when a data-subject request must be answered under each regime, with
 * the rule that produced every date and its legal source. Pure: no clock, no I/O. A date is a plain
 * `YYYY-MM-DD` legal day; checking that `received` is not in the future is the caller's job.
 */

// The regimes, request types and shapes of a deadline set, imported by many modules from here.
export type {
  Deadline,
  DeadlineInput,
  DeadlineKind,
  DeadlineSet,
  ExtensionGround,
} from './deadlines-types.js';
export { EXTENSION_GROUNDS } from './deadlines-types.js';
export type { Regime, RequestType } from './regimes.js';
export {
  FORM_REQUEST_TYPES,
  homeJurisdiction,
  parseRegime,
  parseRequestType,
  REGIME_LABELS,
  REGIMES,
  REQUEST_TYPES,
} from './regimes.js';

function resolveJurisdiction(input: DeadlineInput): Jurisdiction {
  const home = homeJurisdiction(input.regime);
  // "DE-BY" in the country field is a country and a region (ISO 3166-2).
  const [countryInput, regionInCountry] = (input.country?.trim() ?? '').split('-', 2);
  const country = countryInput ? parseCountry(countryInput) : home.country;
  const regionInput = input.region?.trim() || regionInCountry?.trim() || undefined;
  if (!country) return {};
  const defaultRegion = country === home.country ? home.region : country === 'GB' ? 'ENG' : undefined;
  // A US state without a privacy law of its own is refused with the states that have one.
  if (input.regime === 'us-state' && regionInput && !usStateLaw(regionInput.replace(/^US-/i, ''))) {
    throw noStateLaw(regionInput.slice(0, 20));
  }
  const region = regionInput ? parseRegion(country, ukRegion(country, regionInput)) : defaultRegion;
  return { country, region };
}

/** Friendly names for the four UK nations (date-holidays uses ENG, WLS, SCT, NIR). */
function ukRegion(country: string, region: string): string {
  if (country !== 'GB') return region;
  const names: Record<string, string> = {
    england: 'ENG',
    wales: 'WLS',
    scotland: 'SCT',
    ni: 'NIR',
    'northern-ireland': 'NIR',
  };
  return names[normalise(region)] ?? region;
}

function checkWholeDays(value: number | undefined, what: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < min || value > 3650) {
    throw new AppError(
      'INVALID_INPUT',
      `${what} must be a whole number of days from ${min} to 3650, not ${value}.`,
    );
  }
  return value;
}

/**
 * Computes every clock of a request. Throws AppError('INVALID_INPUT') for impossible dates, unknown
 * countries or regions, and for an extension the regime does not allow.
 */
export function computeDeadlines(input: DeadlineInput): DeadlineSet {
  const checked = checkInput(input);
  const where = resolveJurisdiction(input);
  const notes: string[] = [];
  const ctx: PlanContext = {
    received: checked.received,
    clockStart: checked.clockStart,
    pausedDays: checked.pausedDays,
    extensionDays: checked.extensionDays,
    extensionGround: input.extensionGround,
    extended: input.extended === true,
    type: input.type,
    smallAgent: input.smallAgent === true,
    simplified: input.simplified === true,
    where,
    notes,
  };
  notInputsOf(input, ctx);
  const plan = PLANNERS[input.regime](ctx);
  const { received, clockStart } = checked;
  const start = input.regime === 'uk-gdpr' && clockStart ? clockStart : received;
  notes.push(...unusedClockInputs(input.regime, checked, plan));
  if (checked.policyTargetDays !== undefined) {
    plan.extras.push(policyTarget(received, checked.policyTargetDays, plan.response.due));
  }
  plan.extras.sort((a, b) => a.due.localeCompare(b.due));
  return {
    due: plan.response.due,
    rule: plan.response.rule,
    source: plan.response.source,
    deadlines: [plan.response, ...plan.extras],
    extendable: plan.extendable,
    maxExtensions: plan.maxExtensions,
    pausable: plan.pausable,
    regime: input.regime,
    start,
    ...(where.country ? { country: where.country } : {}),
    ...(where.region ? { region: where.region } : {}),
    calendar: plan.calendar,
    notes,
  };
}

/** The dates and day counts of an input, checked (in this order: the first wrong one is named). */
interface CheckedInput {
  received: string;
  clockStart?: string;
  pausedDays: number;
  policyTargetDays?: number;
  extensionDays?: number;
}

/** Checks what any regime reads; what only one regime reads is checked by its plan. */
function checkInput(input: DeadlineInput): CheckedInput {
  if (!(REGIMES as readonly string[]).includes(input.regime)) parseRegime(String(input.regime));
  const received = parseIsoDate(input.received, 'received date');
  if (input.type !== undefined && !(REQUEST_TYPES as readonly string[]).includes(input.type)) {
    parseRequestType(String(input.type));
  }
  const clockStart = input.clockStart ? parseIsoDate(input.clockStart, 'clock start') : undefined;
  if (clockStart && clockStart < received) {
    throw new AppError(
      'INVALID_INPUT',
      `the clock start ${clockStart} is before the request was received (${received}); it is the latest of receipt, identity evidence, fee and authority.`,
    );
  }
  if (input.type === 'appeal' && input.regime !== 'us-state') {
    throw new AppError(
      'INVALID_INPUT',
      `the ${REGIME_LABELS[input.regime]} has no appeal to the controller with its own clock; appeals are a US state law right (regime us-state with the state as region).`,
    );
  }
  const pausedDays = checkWholeDays(input.pausedDays, 'paused days', 0) ?? 0;
  const policyTargetDays = checkWholeDays(input.policyTargetDays, 'the policy target', 1);
  const extensionDays = checkWholeDays(input.extensionDays, 'the extension', 1);
  if (input.extensionGround !== undefined && !EXTENSION_GROUNDS.includes(input.extensionGround)) {
    throw new AppError(
      'INVALID_INPUT',
      `unknown extension ground "${String(input.extensionGround).slice(0, 40)}"; use ${EXTENSION_GROUNDS.join(', ')}.`,
    );
  }
  return { received, clockStart, pausedDays, policyTargetDays, extensionDays };
}

/** The clock start and paused days a regime's plan did not use, said plainly. */
function unusedClockInputs(regime: Regime, checked: CheckedInput, plan: Plan): string[] {
  const { received, clockStart, pausedDays } = checked;
  const notes: string[] = [];
  if (clockStart && regime !== 'uk-gdpr' && clockStart !== received) {
    notes.push(
      `The clock start ${clockStart} was not used: under the ${REGIME_LABELS[regime]} the period runs from receipt.`,
    );
  }
  if (pausedDays > 0 && !plan.pausable) {
    notes.push(
      `The ${pausedDays} paused day(s) were not added: the ${REGIME_LABELS[regime]} has no stop-the-clock rule.`,
    );
  }
  return notes;
}

/** The privacy policy's own promise: calendar days from receipt, an internal target only. */
function policyTarget(received: string, days: number, legalDue: string): Deadline {
  const due = addDays(received, days);
  const later = due > legalDue;
  return {
    kind: 'policy-target',
    due,
    rule:
      `The privacy policy promises a response within ${days} days of receipt: ${fmt(due)}. ` +
      (later
        ? `That is later than the legal deadline (${fmt(legalDue)}), which prevails.`
        : 'An internal target, not a legal deadline.'),
    source: 'privacy policy (internal target)',
    binding: false,
  };
}

/** Says so when an input only one regime reads was given under another, rather than drop it silently. */
function notInputsOf(input: DeadlineInput, ctx: PlanContext): void {
  const label = REGIME_LABELS[input.regime];
  if (input.regime !== 'lgpd') {
    if (ctx.smallAgent)
      ctx.notes.push(
        `The small-agent double time (Resolução CD/ANPD 2/2022 art. 14) is LGPD's; it does not apply under the ${label}.`,
      );
    if (ctx.simplified)
      ctx.notes.push(
        `The simplified reply "immediately" (LGPD art. 19, I) is LGPD's; it does not apply under the ${label}.`,
      );
  }
  if (ctx.extensionGround && input.regime !== 'pipeda') {
    throw new AppError(
      'INVALID_INPUT',
      `an extension to convert the information into an alternative format is PIPEDA's (s. 8(4)(b)); the ${label} has no such ground.`,
    );
  }
  if (ctx.extensionGround && !ctx.extended) {
    throw new AppError(
      'INVALID_INPUT',
      'the alternative-format ground (PIPEDA s. 8(4)(b)) is a reason to extend: compute the deadline as extended.',
    );
  }
  if (ctx.extensionDays !== undefined && input.regime !== 'swiss' && input.regime !== 'pipeda') {
    ctx.notes.push(
      `The ${ctx.extensionDays} extension day(s) given were not used: the ${label} fixes the length of an extension.`,
    );
  }
}

/** Each regime's plan, in the module of its law. */
const PLANNERS: Record<Regime, (ctx: PlanContext) => Plan> = {
  gdpr: (ctx) => monthsPlan('gdpr', ctx),
  'uk-gdpr': (ctx) => monthsPlan('uk-gdpr', ctx),
  ccpa: ccpaPlan,
  'us-state': usStatePlan,
  lgpd: lgpdPlan,
  pipeda: pipedaPlan,
  quebec: quebecPlan,
  swiss: swissPlan,
};

/** Days from `today` to a deadline (negative when overdue); a convenience for renderers. */
export function daysLeft(deadline: string, today: string): number {
  return daysBetween(today, deadline);
}
