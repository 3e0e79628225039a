import { AppError } from '../errors.js';
import {
  addDays,
  addMonths,
  addWorkingDays,
  californiaBusinessHolidays,
  canadaFederalHolidays,
  coloradoLegalHolidays,
  daysBetween,
  formatLongDate,
  type HolidayList,
  holidaysOfEveryRegion,
  parseCountry,
  parseIsoDate,
  parseRegion,
  publicHolidays,
  quebecHolidays,
  rollForward,
  type WorkCalendar,
  weekdayName,
  workCalendar,
} from './calendar.js';
import { type Figure, knownStatesList, US_STATE_LAWS, type UsStateLaw, usStateLaw } from './us-states.js';

/**
 * The legal deadline engine: when a data-subject request must be answered under each regime, with
 * the rule that produced every date and its legal source. Pure: no clock, no I/O. A date is a plain
 * `YYYY-MM-DD` legal day; checking that `received` is not in the future is the caller's job.
 */

export const REGIMES = ['gdpr', 'uk-gdpr', 'ccpa', 'us-state', 'lgpd', 'pipeda', 'quebec', 'swiss'] as const;
export type Regime = (typeof REGIMES)[number];

export const REQUEST_TYPES = [
  'access',
  'rectification',
  'erasure',
  'restriction',
  'portability',
  'objection',
  'opt-out-of-sale',
  'limit-sensitive-use',
  'withdraw-consent',
  /** A consumer's appeal of a refusal to act (US state laws): its own clock, linked to the request. */
  'appeal',
  'other',
] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];
/** The types an intake form offers: an appeal needs the request it appeals, which a form does not ask for. */
export const FORM_REQUEST_TYPES = REQUEST_TYPES.filter((t) => t !== 'appeal');

/** What each regime is called in messages. */
export const REGIME_LABELS: Record<Regime, string> = {
  gdpr: 'EU GDPR',
  'uk-gdpr': 'UK GDPR',
  ccpa: 'CCPA/CPRA (California)',
  'us-state': 'US state privacy law',
  lgpd: 'LGPD (Brazil)',
  pipeda: 'PIPEDA (Canada)',
  quebec: 'Quebec private-sector act (Law 25)',
  swiss: 'Swiss FADP',
};

/** Builds an alias lookup from space-separated lists, so the tables stay readable. */
function aliases<T extends string>(table: Record<T, string>): Record<string, T> {
  const lookup: Record<string, T> = {};
  for (const [canonical, names] of Object.entries(table) as Array<[T, string]>) {
    for (const name of names.split(/\s+/).filter(Boolean)) lookup[name] = canonical;
  }
  return lookup;
}

// Names people actually type: statute acronyms in English and the local language.
const REGIME_ALIASES = aliases<Regime>({
  gdpr: 'eu eu-gdpr eugdpr eea dsgvo rgpd avg',
  'uk-gdpr': 'uk ukgdpr gdpr-uk gb dpa-2018 dpa2018',
  ccpa: 'cpra ccpa-cpra california',
  'us-state': 'us-states state vcdpa virginia cpa colorado ctdpa connecticut tdpsa texas ocpa oregon',
  lgpd: 'brazil',
  pipeda: 'canada',
  quebec: 'qc law-25 law25 loi-25 p-39.1',
  swiss: 'fadp revfadp nfadp dsg ndsg nlpd switzerland',
});

// CCPA words (know, delete, correct, do-not-sell, limit) map onto the GDPR-style types.
const TYPE_ALIASES = aliases<RequestType>({
  access: 'know right-to-know request-to-know sar dsar subject-access',
  rectification: 'rectify correct correction',
  erasure: 'erase delete deletion right-to-be-forgotten rtbf',
  restriction: 'restrict',
  portability: 'port data-portability',
  objection: 'object',
  'opt-out-of-sale':
    'opt-out optout opt-out-of-sharing opt-out-of-sale-or-sharing do-not-sell do-not-share do-not-sell-or-share dns',
  'limit-sensitive-use': 'limit limit-use limit-sensitive limit-use-of-sensitive-pi',
  'withdraw-consent': 'withdraw consent-withdrawal revoke-consent',
  appeal: 'appeals',
  other: '',
});

function normalise(input: string): string {
  return input
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-');
}

/** Accepts the canonical names and common aliases ("delete", "opt-out", "limit-use"...). */
export function parseRequestType(input: string): RequestType {
  const key = normalise(input);
  const type = (REQUEST_TYPES as readonly string[]).includes(key) ? (key as RequestType) : TYPE_ALIASES[key];
  if (!type) {
    throw new AppError(
      'INVALID_INPUT',
      `unknown request type "${input.trim().slice(0, 40)}"; use one of ${REQUEST_TYPES.join(', ')}.`,
    );
  }
  return type;
}

/** Accepts the canonical names and common aliases ("uk", "cpra", "eu-gdpr", "vcdpa"...). */
export function parseRegime(input: string): Regime {
  const key = normalise(input);
  const regime = (REGIMES as readonly string[]).includes(key) ? (key as Regime) : REGIME_ALIASES[key];
  if (!regime) {
    throw new AppError(
      'INVALID_INPUT',
      `unknown regime "${input.trim().slice(0, 40)}"; use one of ${REGIMES.join(', ')}.`,
    );
  }
  return regime;
}

/**
 * Where a regime's deadlines are counted when the request names no country: its home jurisdiction.
 * The EU GDPR has none (it is the controller's Member State), so callers pass their default.
 */
export function homeJurisdiction(
  regime: Regime,
  defaultCountry?: string,
): { country?: string; region?: string } {
  switch (regime) {
    case 'gdpr':
      return { country: defaultCountry };
    case 'uk-gdpr':
      return { country: 'GB', region: 'ENG' };
    case 'ccpa':
      return { country: 'US', region: 'CA' };
    case 'us-state':
      return { country: 'US' };
    case 'lgpd':
      return { country: 'BR' };
    case 'pipeda':
      return { country: 'CA' };
    case 'quebec':
      return { country: 'CA', region: 'QC' };
    case 'swiss':
      return { country: 'CH' };
  }
}

export type DeadlineKind = 'response' | 'extension-notice' | 'receipt-confirmation' | 'policy-target';

export interface Deadline {
  kind: DeadlineKind;
  /** YYYY-MM-DD, the last day on which the act is on time. */
  due: string;
  /** A human sentence: how the date was counted. */
  rule: string;
  /** The legal citation (or "privacy policy" for the policy's own target). */
  source: string;
  /** False for internal targets that no law imposes. */
  binding: boolean;
}

export interface DeadlineInput {
  regime: Regime;
  /** YYYY-MM-DD, the day the request arrived. */
  received: string;
  /** ISO 3166-1 alpha-2; defaults to the regime's home country (required for the EU GDPR). */
  country?: string;
  /** e.g. BY for DE-BY, SCT for GB-SCT, QC for CA-QC. */
  region?: string;
  type?: RequestType;
  extended?: boolean;
  /** UK GDPR art. 12A: the clock starts at the latest of receipt, identity evidence, fee, authority. */
  clockStart?: string;
  /** Calendar days the clock was stopped (paused), applied only where the regime allows pausing. */
  pausedDays?: number;
  /** The policy's own promise ("we respond within 30 days"), an internal, non-binding target. */
  policyTargetDays?: number;
  /**
   * Days an extension adds where the law leaves its length to the controller: Swiss DPO art. 18(2)
   * (the controller names the new date) and PIPEDA s. 8(4)(b) (the period necessary to convert the
   * information into an alternative format). Ignored where the law fixes the extension.
   */
  extensionDays?: number;
  /** PIPEDA s. 8(4)(b): the extension is for converting the information into an alternative format. */
  extensionGround?: ExtensionGround;
  /** LGPD: a small processing agent (Resolução CD/ANPD 2/2022), which has double time (art. 14). */
  smallAgent?: boolean;
  /** LGPD art. 19, I: the data subject asked for the simplified format, due immediately. */
  simplified?: boolean;
}

/** Why an extension is taken, where the law gives more than one ground with different lengths. */
export const EXTENSION_GROUNDS = ['alternative-format'] as const;
export type ExtensionGround = (typeof EXTENSION_GROUNDS)[number];

export interface DeadlineSet {
  /** The earliest binding response deadline (the one shown first). */
  due: string;
  /** How `due` was counted, and its legal source. */
  rule: string;
  source: string;
  /** Every clock: response, extension-notice, receipt-confirmation (CCPA), policy-target. */
  deadlines: Deadline[];
  extendable: boolean;
  /** How many extensions the law allows (the register enforces it). */
  maxExtensions: number;
  pausable: boolean;
  regime: Regime;
  /** The day the clock started (receipt, or the UK GDPR art. 12A start). */
  start: string;
  country?: string;
  region?: string;
  /** Which days are treated as non-working, in words. */
  calendar: string;
  /** Inputs that did not apply under this regime, said plainly. */
  notes: string[];
}

/** How a regime moves a date that falls on a closed day: what triggers the move, where it lands. */
interface Rollover {
  /** A date on one of these days moves; undefined means the law counts plain calendar days. */
  trigger?: WorkCalendar;
  /** It moves to the first day that is open in this calendar (usually the same one). */
  target?: WorkCalendar;
  /** The citation for the move, appended to the rule. */
  cite: string;
  /** How the law names the day it lands on; "the next working day" unless said otherwise. */
  next?: string;
}

interface Jurisdiction {
  country?: string;
  region?: string;
}

const fmt = formatLongDate;

/** Applies a rollover and explains it: "…: Sunday 5 July 2026 is a Sunday, so Monday 6 July 2026". */
function roll(raw: string, rollover: Rollover): { due: string; why: string } {
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

function holidaysCalendar(holidays: HolidayList, saturday: boolean, sunday: boolean): WorkCalendar {
  const weekend = [saturday && 'Saturdays', sunday && 'Sundays'].filter(Boolean).join(', ');
  const description = `${weekend ? `${weekend} and ` : ''}holidays of ${holidays.label}`;
  return workCalendar(holidays, { saturday, sunday }, description);
}

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

interface Plan {
  response: Deadline;
  extras: Deadline[];
  extendable: boolean;
  maxExtensions: number;
  pausable: boolean;
  calendar: string;
}

/**
 * Computes every clock of a request. Throws AppError('INVALID_INPUT') for impossible dates, unknown
 * countries or regions, and for an extension the regime does not allow.
 */
export function computeDeadlines(input: DeadlineInput): DeadlineSet {
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
  const where = resolveJurisdiction(input);
  const notes: string[] = [];
  const ctx: PlanContext = {
    received,
    clockStart,
    pausedDays,
    extensionDays,
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
  const start = input.regime === 'uk-gdpr' && clockStart ? clockStart : received;
  if (clockStart && input.regime !== 'uk-gdpr' && clockStart !== received) {
    notes.push(
      `The clock start ${clockStart} was not used: under the ${REGIME_LABELS[input.regime]} the period runs from receipt.`,
    );
  }
  if (pausedDays > 0 && !plan.pausable) {
    notes.push(
      `The ${pausedDays} paused day(s) were not added: the ${REGIME_LABELS[input.regime]} has no stop-the-clock rule.`,
    );
  }
  if (policyTargetDays !== undefined) {
    const due = addDays(received, policyTargetDays);
    const later = due > plan.response.due;
    plan.extras.push({
      kind: 'policy-target',
      due,
      rule:
        `The privacy policy promises a response within ${policyTargetDays} days of receipt: ${fmt(due)}. ` +
        (later
          ? `That is later than the legal deadline (${fmt(plan.response.due)}), which prevails.`
          : 'An internal target, not a legal deadline.'),
      source: 'privacy policy (internal target)',
      binding: false,
    });
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

interface PlanContext {
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

function label(where: Jurisdiction): string {
  return where.region ? `${where.country}-${where.region}` : (where.country ?? '');
}

function noExtension(regime: Regime, why: string): never {
  throw new AppError(
    'INVALID_INPUT',
    `the ${REGIME_LABELS[regime]} allows no extension: ${why} Compute the deadline without one.`,
  );
}

/** Whole days, "from receipt": the day of receipt is not counted (day 1 is the next day). */
function daysRule(
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

/** The EU Member States and the EEA states that apply the GDPR (Iceland, Liechtenstein, Norway). */
const EEA_COUNTRIES = new Set(
  'AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO'.split(' '),
);

/** A day on either list is a holiday (the wider of two readings). */
function eitherList(a: HolidayList, b: HolidayList): HolidayList {
  return {
    label: `${a.label} or ${b.label}`,
    holidayName: (date) => a.holidayName(date) ?? b.holidayName(date),
  };
}

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
function monthsPlan(regime: 'gdpr' | 'uk-gdpr', ctx: PlanContext): Plan {
  const uk = regime === 'uk-gdpr';
  if (!ctx.where.country) {
    throw new AppError(
      'INVALID_INPUT',
      "the EU GDPR deadline moves past the public holidays of the controller's Member State: give its country, e.g. DE.",
    );
  }
  if (!uk && !EEA_COUNTRIES.has(ctx.where.country)) ctx.notes.push(outsideEea(ctx.where.country));
  const holidays = publicHolidays(ctx.where.country, ctx.where.region);
  const calendar = holidaysCalendar(holidays, true, true);
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
  const at = (months: number) => {
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
  };
  const one = at(1);
  const extras: Deadline[] = [];
  let response: Deadline;
  if (ctx.extended) {
    const three = at(3);
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

/**
 * CCPA regulations, Cal. Code Regs. tit. 11. § 7021(b) gives 45 calendar days (90 extended), so
 * those periods do not move off weekends or holidays. Business days (receipt confirmation,
 * opt-outs) are not defined: counted as Monday to Friday less the holidays both federal and in
 * Cal. Gov. Code § 6700, the earlier of the defensible readings (issue 14 point 3).
 */
function ccpaPlan(ctx: PlanContext): Plan {
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
  const businessWords = californian
    ? 'business days: Monday to Friday except holidays both federal (5 U.S.C. § 6103) and in Cal. Gov. Code § 6700; the regulations do not define business days, so this is the earlier defensible reading'
    : `business days: Monday to Friday except public holidays of ${label(where)}`;
  /** "…; counting every California public holiday (…) would give Tuesday 15 December 2026". */
  const otherReading = (count: number, due: string): string => {
    if (!wider) return '';
    const other = addWorkingDays(ctx.received, count, wider);
    return other === due
      ? '; counting also the holidays of one list only (the day after Thanksgiving, César Chávez Day) gives the same day'
      : `; the other reading, counting also the holidays of one list only (the day after Thanksgiving, César Chávez Day), would give ${fmt(other)}`;
  };
  const calendarDays: Rollover = { cite: '' };
  const extras: Deadline[] = [];
  if (ctx.type === 'opt-out-of-sale' || ctx.type === 'limit-sensitive-use') {
    // § 7026(f) (opt-out of sale/sharing) and § 7027(g) (limit use of sensitive PI): 15 business
    // days from receipt; neither section allows an extension or asks for a receipt confirmation.
    const optOut = ctx.type === 'opt-out-of-sale';
    if (ctx.extended)
      noExtension('ccpa', `${optOut ? '§ 7026(f)' : '§ 7027(g)'} sets a flat 15 business days.`);
    const due = addWorkingDays(ctx.received, 15, business);
    return {
      response: {
        kind: 'response',
        due,
        rule: `15 business days after receipt on ${fmt(ctx.received)} (${businessWords}${otherReading(15, due)}): ${fmt(due)}.`,
        source: optOut ? 'Cal. Code Regs. tit. 11 § 7026(f)' : 'Cal. Code Regs. tit. 11 § 7027(g)',
        binding: true,
      },
      extras,
      extendable: false,
      maxExtensions: 0,
      pausable: false,
      calendar: business.description,
    };
  }
  const covered =
    ctx.type === undefined || ['access', 'portability', 'erasure', 'rectification'].includes(ctx.type);
  if (!covered) {
    ctx.notes.push(
      `The CCPA sets no timeline of its own for a ${ctx.type} request; the § 7021(b) period for requests to know, delete and correct is used.`,
    );
  } else {
    // § 7021(a): confirm receipt within 10 business days (requests to know, delete, correct).
    const confirm = addWorkingDays(ctx.received, 10, business);
    extras.push({
      kind: 'receipt-confirmation',
      due: confirm,
      rule: `Confirm receipt and explain the verification process within 10 business days after receipt (${businessWords}${otherReading(10, confirm)}): ${fmt(confirm)}.`,
      source: 'Cal. Code Regs. tit. 11 § 7021(a)',
      binding: true,
    });
  }
  // § 7021(b): 45 calendar days from receipt, regardless of verification; up to 90 with notice.
  const days = ctx.extended ? 90 : 45;
  const response = daysRule(
    ctx,
    days,
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
    calendar: `calendar days; ${business.description} for business-day clocks`,
  };
}

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
function noStateLaw(region: string): AppError {
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
function usStatePlan(ctx: PlanContext): Plan {
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

/**
 * LGPD art. 19: confirmation of processing or access, at the data subject's choice, (I) in a
 * simplified format, immediately, or (II) as a clear and complete statement within 15 days of the
 * request. Resolução CD/ANPD 2/2022 art. 14: a small processing agent has double time (30 days).
 * Counted by Código Civil art. 132: the first day excluded, the last included; a period ending on
 * a holiday runs to the next business day (§ 1). § 1 speaks of holidays (feriados) only: moving a
 * period off a plain Saturday or Sunday is doubtful, so it is not done (issue 14 point 3).
 */
function lgpdPlan(ctx: PlanContext): Plan {
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
  const small = ctx.smallAgent
    ? ' A small processing agent (Resolução CD/ANPD 2/2022 art. 2) has double time (art. 14), unless it carries out high-risk processing or exceeds the revenue limits (art. 3).'
    : '';
  if (ctx.simplified) {
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
  const days = ctx.smallAgent ? 30 : 15;
  const raw = addDays(ctx.received, days);
  const { due, why } = roll(raw, {
    trigger,
    target,
    cite: 'Código Civil art. 132 § 1',
    next: 'the next business day',
  });
  // The other reading: a period ending on a Saturday or Sunday also moves, and the next business
  // day is a weekday.
  const later = rollForward(raw, weekend);
  const plainWeekend = trigger.closedReason(raw) === undefined && later !== raw;
  const otherReading = plainWeekend
    ? ` ${fmt(raw)} is a ${weekdayName(raw)}, not a holiday: Código Civil art. 132 § 1 moves only a period ending on a holiday (feriado), so the earlier date is kept; the other reading, treating a Saturday or Sunday like a holiday, would give ${fmt(later)}.`
    : later !== due
      ? ` A Saturday is taken as a business day (the earlier reading); the other reading, in which business days are Monday to Friday, would give ${fmt(later)}.`
      : '';
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

/**
 * PIPEDA s. 8(3): 30 days after receipt; s. 8(4): extendable by up to 30 days, with notice within
 * the first 30. Interpretation Act (R.S.C. 1985, c. I-21) s. 26: a deadline falling on a holiday
 * moves to the next day that is not a holiday. Sunday is a holiday (s. 35), Saturday is not.
 */
function pipedaPlan(ctx: PlanContext): Plan {
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
  // s. 8(4)(a): up to 30 more days (interference with activities, consultations); s. 8(4)(b): the
  // period necessary to convert the information into an alternative format, which the law does
  // not cap, so the organization's own figure is needed.
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
  const more = ctx.extensionDays ?? 30;
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
 * Quebec private-sector act (CQLR c. P-39.1) s. 32: respond within 30 days of receipt; it provides
 * no extension. Quebec Interpretation Act s. 52: a time limit expiring on a holiday (s. 61(23),
 * Sundays included; Saturdays are not holidays) is extended to the next working day.
 */
function quebecPlan(ctx: PlanContext): Plan {
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

/**
 * Swiss revFADP art. 25(7) and DPO art. 18(1): 30 days from receipt. DPO art. 18(2): if that is not
 * possible, tell the person within the 30 days and name the new deadline (the law sets no length).
 * CO art. 77-78 and the Federal Act on time limits falling on Saturdays (SR 173.110.3): a period
 * ending on a Saturday, Sunday or public holiday ends on the next working day. Public holidays are
 * cantonal; without a canton only those observed in every canton count, and a half-day holiday
 * (1 May afternoon in Solothurn and Valais) does not move a deadline (issue 14 point 3).
 */
function swissPlan(ctx: PlanContext): Plan {
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

/** Days from `today` to a deadline (negative when overdue); a convenience for renderers. */
export function daysLeft(deadline: string, today: string): number {
  return daysBetween(today, deadline);
}
