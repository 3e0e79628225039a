import { AppError } from '../../../core/errors.js';
import { formatLongDate, parseIsoDate } from '../../../core/requests/calendar.js';
import {
  computeDeadlines,
  type Deadline,
  type DeadlineSet,
  daysLeft,
  homeJurisdiction,
  parseRegime,
  parseRequestType,
  REGIME_LABELS,
  type Regime,
  type RequestType,
} from '../../../core/requests/deadlines.js';
import { type Command, parseOptions, usageError } from '../command.js';
import { relativeDay } from '../relative.js';

const usage =
  'privacy-ops deadline --regime gdpr|uk-gdpr|ccpa|us-state|lgpd|pipeda|quebec|swiss --received YYYY-MM-DD|today|yesterday|"N days ago" ' +
  '[--country CC] [--region R (us-state: the state, e.g. IA)] [--type TYPE (appeal: a US state appeal)] [--extended] [--clock-start YYYY-MM-DD] [--paused-days N] ' +
  '[--extension-days N (swiss: the date named; pipeda: with --alternative-format, the days to convert)] [--alternative-format (PIPEDA s. 8(4)(b))] ' +
  '[--small-agent (LGPD: a small processing agent, double time)] [--simplified (LGPD art. 19, I: the simplified reply)] ' +
  '[--policy-days N] [--json]';

const options = {
  regime: { type: 'string' },
  received: { type: 'string' },
  country: { type: 'string' },
  region: { type: 'string' },
  type: { type: 'string' },
  extended: { type: 'boolean' },
  'clock-start': { type: 'string' },
  'paused-days': { type: 'string' },
  'extension-days': { type: 'string' },
  'alternative-format': { type: 'boolean' },
  'small-agent': { type: 'boolean' },
  simplified: { type: 'boolean' },
  'policy-days': { type: 'string' },
  json: { type: 'boolean' },
} as const;

const KIND_LABELS: Record<Deadline['kind'], string> = {
  response: 'Response',
  'extension-notice': 'Extension notice',
  'receipt-confirmation': 'Receipt confirmation',
  'policy-target': 'Policy target',
};

/**
 * `privacy-ops deadline`: the legal response deadline of a request, with the rule and its source.
 * A thin shell over computeDeadlines; the only thing that needs the clock is saying that a
 * received day after today is a what-if.
 */
export const deadlineCommand: Command = {
  name: 'deadline',
  summary: 'compute the legal response deadline of a rights request, with the rule and its source',
  usage,
  async run(ctx) {
    const { values } = parseOptions(ctx.argv, options, usage, false);
    if (!values.regime) throw usageError('missing --regime.', usage);
    if (!values.received) throw usageError('missing --received (the day the request arrived).', usage);
    // Regime and type are choices from a fixed list, so a wrong one is a usage error (exit 64).
    const regime = asUsage(() => parseRegime(values.regime!));
    const type = values.type === undefined ? undefined : asUsage(() => parseRequestType(values.type!));
    const today = todayIn(ctx.settings.timeZone, ctx.now());
    // A received day still to come is a what-if (planning for a request expected next week): it
    // is computed and labelled so, as the chat does. Logging a request still refuses it.
    const received = parseIsoDate(relativeDay(values.received, today)!, '--received');
    const clockStart =
      values['clock-start'] === undefined
        ? undefined
        : parseIsoDate(relativeDay(values['clock-start'], today)!, '--clock-start');
    const future = received > today;
    const set = computeDeadlines({
      regime,
      received,
      country: values.country ?? homeJurisdiction(regime, ctx.settings.country).country,
      region: values.region,
      type,
      extended: values.extended === true,
      clockStart,
      pausedDays: wholeNumber(values['paused-days'], '--paused-days'),
      extensionDays: wholeNumber(values['extension-days'], '--extension-days'),
      ...(values['alternative-format'] ? { extensionGround: 'alternative-format' as const } : {}),
      smallAgent: values['small-agent'] === true,
      simplified: values.simplified === true,
      policyTargetDays: wholeNumber(values['policy-days'], '--policy-days'),
    });
    if (values.json) {
      const json = {
        ...toJson(set, received, type, values.extended === true),
        ...(future ? { future: true } : {}),
      };
      ctx.out(`${JSON.stringify(json, null, 2)}\n`);
    } else {
      if (future) {
        ctx.out(
          `What-if: --received ${received} is in the future (today is ${today}), so this is the deadline if the request arrives that day.\n`,
        );
      }
      ctx.out(render(set, regime, today));
    }
    return 0;
  },
};

function asUsage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof AppError) throw usageError(error.message, usage);
    throw error;
  }
}

function wholeNumber(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,4}$/.test(value.trim()))
    throw usageError(`${flag} takes a whole number of days, not "${value}".`, usage);
  return Number(value.trim());
}

/** The calendar day of `now` in the configured time zone, as YYYY-MM-DD. */
function todayIn(timeZone: string, now: Date): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  })
    .formatToParts(now)
    .reduce<Record<string, string>>((acc, p) => {
      acc[p.type] = p.value;
      return acc;
    }, {});
  return `${parts.year}-${parts.month}-${parts.day}`;
}

function toJson(set: DeadlineSet, received: string, type: RequestType | undefined, extended: boolean) {
  return { ...set, received, ...(type ? { type } : {}), extended };
}

function relative(due: string, today: string): string {
  const days = daysLeft(due, today);
  if (days === 0) return 'today';
  if (days > 0) return `in ${days} day${days === 1 ? '' : 's'}`;
  return `${-days} day${days === -1 ? '' : 's'} ago`;
}

function render(set: DeadlineSet, regime: Regime, today: string): string {
  const where = set.country ? `, ${set.region ? `${set.country}-${set.region}` : set.country}` : '';
  const lines = [
    `Due: ${formatLongDate(set.due)} (${set.due}, ${relative(set.due, today)}) under the ${REGIME_LABELS[regime]}${where}`,
    `Rule: ${set.rule}`,
    `Source: ${set.source}`,
  ];
  const others = set.deadlines.slice(1);
  if (others.length > 0) {
    lines.push('', 'Other clocks:');
    for (const d of others) {
      lines.push(
        `  ${KIND_LABELS[d.kind]}: ${formatLongDate(d.due)} (${d.due})${d.binding ? '' : ', not binding'}`,
        `    ${d.rule}`,
        `    Source: ${d.source}`,
      );
    }
  }
  lines.push(
    '',
    `Extension: ${set.extendable ? `allowed ${set.maxExtensions === 1 ? 'once' : `${set.maxExtensions} times`}` : 'not allowed'}. ` +
      `Pausing the clock: ${set.pausable ? 'allowed' : 'not allowed'}. Non-working days: ${set.calendar}.`,
  );
  for (const note of set.notes) lines.push(`Note: ${note}`);
  return `${lines.join('\n')}\n`;
}
