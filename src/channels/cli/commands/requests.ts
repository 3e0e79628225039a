import { mkdirSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname } from 'node:path';
import { requesterText } from '../../../core/conversation/reply.js';
import { AppError, EXIT } from '../../../core/errors.js';
import { loadCorpus } from '../../../core/policy/ingest.js';
import { policyTargetsFrom } from '../../../core/policy/targets.js';
import { REGIME_LABELS } from '../../../core/requests/deadlines.js';
import { auditCsv, exportJson, requestsCsv } from '../../../core/requests/export.js';
import { todayIn } from '../../../core/requests/input.js';
import { isOpen, type RequestState } from '../../../core/requests/model.js';
import {
  type ChangeContext,
  type PolicyTargets,
  type Register,
  type RequestDetail,
  STATUS_FILTERS,
  type StatusFilter,
} from '../../../core/requests/register.js';
import { type Command, type CommandContext, parseOptions, usageError } from '../command.js';
import { relativeDay, requestIdFrom } from '../relative.js';

/**
 * `privacy-ops requests`: the rights-request register from the terminal. A thin shell: it parses
 * flags, opens the store named by PRIVACY_OPS_STORE, calls the core {@link Register} and renders
 * the result as short text or as JSON (`--json`). Personal data is shown to the operator on
 * `show` but never logged.
 */

const usage = `privacy-ops requests <subcommand> [options]

  add --type T --regime R --received DATE [--country CC] [--region R]
      --requester-name N --requester-email E [--channel C] [--owner O] [--policy P] [--note TEXT]
      [--appeal-of ID] [--small-agent] [--simplified] [--json]
                                      an appeal (--type appeal, US state laws) names the request it appeals;
                                      LGPD: --small-agent (double time), --simplified (art. 19, I: immediately)
      (a request by post or phone: --requester-address "1 Main Road, Dublin" or --requester-phone
      "+353 1 234 5678" instead of, or as well as, --requester-email; an appeal without requester
      flags takes the appealed request's requester)
      (DATE: YYYY-MM-DD, today, yesterday or "N days ago"; ID: DSR-2026-0001, or this year's number: 1)
  list [--status S[,S...]] [--owner O] [--due-within DAYS] [--json]
       statuses: ${STATUS_FILTERS.join(', ')} (default: open)
  show ID [--json]                     the request, its requester and its audit trail
  verify-identity ID [--note TEXT] [--evidence-received DATE]
                                      received -> identity-verified (UK GDPR: the clock restarts then)
  start ID [--note TEXT]               received or identity-verified -> in-progress
  assign ID OWNER
  extend ID [--reason TEXT] [--extension-days N] [--alternative-format]
                                      once, where the regime allows it; Swiss: N = days after the 30 to the
                                      date named; PIPEDA: N = days to convert into an alternative format
  pause ID [--reason TEXT]             stop the clock, where the regime allows it
  resume ID
  close ID --outcome completed|rejected|withdrawn [--note TEXT]
  reopen ID [--note TEXT]
  export [--format csv|json] [--out FILE] [--trail] [--with-personal-data]
  verify [--head HASH] [--json]        check the audit trail's hash chain and history; prints the
                                       head (all 64 hex digits) to record, and with --head checks that a
                                       recorded one is still in it; --json: the report, head in headHash
  purge [--dry-run] [--json]           scrub personal data after the retention period
  (every change, add, list and show also take --json)`;

type Values = Record<string, string | boolean | string[] | undefined>;

interface Sub {
  options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>;
  /** How many positionals it takes (exactly). */
  positionals: string[];
  run(
    register: Register,
    args: string[],
    values: Values,
    ctx: CommandContext,
    change: ChangeContext,
  ): Promise<number>;
}

// Shared option specs for node:util parseArgs.
const json = { type: 'boolean' } as const;
const text = { type: 'string' } as const;

/** What may be fixed when the command is built; by default the policies come from the corpus. */
export interface RequestsCommandDeps {
  policyTargets?: PolicyTargets;
}

export function createRequestsCommand(deps: RequestsCommandDeps = {}): Command {
  return {
    name: 'requests',
    summary: 'the rights-request register: add, list, show, change, export, verify and purge requests',
    usage,
    async run(ctx) {
      const [name, ...rest] = ctx.argv;
      if (!name) throw usageError('missing subcommand.', usage);
      const sub = SUBCOMMANDS[name];
      if (!sub) throw usageError(`unknown subcommand "${name.slice(0, 30)}".`, usage);
      // Flags are checked before the store is opened: a usage error touches nothing.
      const { values, positionals } = parseOptions(rest, sub.options, usage);
      if (positionals.length < sub.positionals.length) {
        throw usageError(`missing ${sub.positionals.slice(positionals.length).join(' and ')}.`, usage);
      }
      if (positionals.length > sub.positionals.length) {
        throw usageError(
          `unexpected argument "${String(positionals[sub.positionals.length]).slice(0, 40)}".`,
          usage,
        );
      }
      // Only the changes that compute deadlines need the policies' promises: list, show and
      // export do not pay for reading the corpus.
      const policyTargets =
        deps.policyTargets ??
        (COMPUTES_DEADLINES.has(name) ? await corpusTargets(ctx, values.policy !== undefined) : undefined);
      const { register, close } = await ctx.services.openRegister(policyTargets, {
        readOnly: READ_ONLY.has(name),
      });
      try {
        const now = ctx.now();
        // A request number (`show 1`) is this year's request, as in the chat.
        const args =
          sub.positionals[0] === 'ID'
            ? [
                await requestIdFrom(positionals[0]!, register, todayIn(now, ctx.settings.timeZone)),
                ...positionals.slice(1),
              ]
            : positionals;
        const code = await sub
          .run(register, args, values as Values, ctx, { actor: actorOf(ctx), now })
          .catch((error: unknown) => {
            throw withListHint(error);
          });
        // A damaged event stops the projection there: say so, rather than show a silently short register.
        if (register.damaged && name !== 'verify')
          ctx.err(
            `privacy-ops: warning: the audit trail is damaged (${register.damaged}); what is shown stops before that event. Run \`bin/privacy-ops requests verify\` for what is wrong and how to recover.\n`,
          );
        return code;
      } finally {
        await close();
      }
    },
  };
}

/** The register command, with the policies' promises read from the configured corpus. */
export const requestsCommand: Command = createRequestsCommand();

/** Who the audit trail records: PRIVACY_OPS_ACTOR, else the OS account running the command. */
/**
 * The policies' own response promises, read from the configured corpus so that a request naming
 * a policy gets its internal target and an unknown policy id is refused. Without a readable
 * corpus the register runs without targets, unless the command names a policy.
 */
/** Subcommands whose change recomputes a request's deadlines (see Register.deadlinesFor). */
const COMPUTES_DEADLINES = new Set(['add', 'extend', 'resume', 'verify-identity']);

async function corpusTargets(ctx: CommandContext, namesPolicy: boolean): Promise<PolicyTargets | undefined> {
  try {
    return policyTargetsFrom(await loadCorpus(ctx.settings.corpusDir));
  } catch (error) {
    if (namesPolicy) throw error;
    return undefined;
  }
}

function actorOf(ctx: CommandContext): string {
  if (ctx.settings.actor) return ctx.settings.actor;
  try {
    return userInfo().username || 'unknown';
  } catch {
    return 'unknown';
  }
}

const str = (values: Values, key: string): string | undefined => values[key] as string | undefined;

/** One change subcommand: a single id and an optional free-text flag. */
function changeSub(
  flag: 'note' | 'reason' | undefined,
  apply: (register: Register, id: string, change: ChangeContext, text?: string) => Promise<RequestState>,
  verb: string,
): Sub {
  return {
    options: { json, ...(flag ? { [flag]: text } : {}) },
    positionals: ['ID'],
    async run(register, [id], values, ctx, change) {
      const request = await apply(register, id!, change, flag ? str(values, flag) : undefined);
      ctx.logger.info({ requestId: request.id, action: verb }, 'request changed');
      if (values.json) ctx.out(toJson(request));
      else ctx.out(`${request.id} ${verb}.\n${line(request)}\n`);
      return 0;
    },
  };
}

/** The subcommands that only read the register: they never create a register file. */
const READ_ONLY = new Set(['list', 'show', 'export', 'verify']);

const SUBCOMMANDS: Record<string, Sub> = {
  add: {
    options: {
      type: text,
      regime: text,
      received: text,
      country: text,
      region: text,
      'requester-name': text,
      'requester-email': text,
      'requester-phone': text,
      'requester-address': text,
      channel: text,
      owner: text,
      policy: text,
      note: text,
      'appeal-of': text,
      'small-agent': { type: 'boolean' },
      simplified: { type: 'boolean' },
      json,
    },
    positionals: [],
    async run(register, _args, values, ctx, change) {
      // All missing flags in one message, so the user fixes the command once. An appeal may leave
      // the requester out: the register takes the appealed request's.
      const appeal = str(values, 'appeal-of') !== undefined;
      const required = ['type', 'regime', 'received', ...(appeal ? [] : ['requester-name'])];
      const missing = required.filter((k) => str(values, k) === undefined).map((k) => `--${k}`);
      const contacts = ['requester-email', 'requester-phone', 'requester-address'];
      if (!appeal && contacts.every((k) => str(values, k) === undefined))
        missing.push(
          '--requester-email (or --requester-phone or --requester-address, for a request by phone or post)',
        );
      if (missing.length > 0) throw usageError(`missing ${missing.join(', ')}.`, usage);
      const today = todayIn(change.now, ctx.settings.timeZone);
      const appealOf = str(values, 'appeal-of');
      const appealed = appealOf === undefined ? undefined : await requestIdFrom(appealOf, register, today);
      const request = await asUsage(
        () =>
          register.add(
            {
              type: str(values, 'type')!,
              regime: str(values, 'regime')!,
              received: relativeDay(str(values, 'received'), today)!,
              country: str(values, 'country'),
              region: str(values, 'region'),
              requesterName: str(values, 'requester-name'),
              requesterEmail: str(values, 'requester-email'),
              requesterPhone: str(values, 'requester-phone'),
              requesterAddress: str(values, 'requester-address'),
              channel: str(values, 'channel'),
              owner: str(values, 'owner'),
              policyId: str(values, 'policy'),
              note: str(values, 'note'),
              appealOf: appealed,
              smallAgent: values['small-agent'] === true,
              simplified: values.simplified === true,
            },
            change,
          ),
        /^unknown (regime|request type)/,
      );
      // Ids and codes only: the requester's name and contact never reach the log.
      ctx.logger.info({ requestId: request.id, type: request.type, regime: request.regime }, 'request added');
      if (values.json) ctx.out(toJson(request));
      else ctx.out(`Logged ${request.id}.\n${detailText(request)}`);
      return 0;
    },
  },
  list: {
    options: { status: { type: 'string', multiple: true }, owner: text, 'due-within': text, json },
    positionals: [],
    async run(register, _args, values, ctx, change) {
      // `--status a,b` and `--status a --status b` both work.
      const status = ((values.status as string[] | undefined) ?? [])
        .flatMap((s) => s.split(','))
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean);
      const unknown = status.find((s) => !(STATUS_FILTERS as readonly string[]).includes(s));
      if (unknown)
        throw usageError(
          `unknown status "${unknown.slice(0, 30)}"; use ${STATUS_FILTERS.join(', ')}.`,
          usage,
        );
      const dueWithin = str(values, 'due-within');
      if (dueWithin !== undefined && !/^\d{1,4}$/.test(dueWithin.trim())) {
        throw usageError(
          `--due-within takes a whole number of days, not "${dueWithin.slice(0, 20)}".`,
          usage,
        );
      }
      const requests = await register.list(
        {
          status: status as StatusFilter[],
          owner: str(values, 'owner'),
          dueWithinDays: dueWithin === undefined ? undefined : Number(dueWithin),
        },
        change.now,
      );
      if (values.json) {
        ctx.out(`${JSON.stringify(requests, null, 2)}\n`);
      } else if (requests.length === 0) {
        ctx.out('No requests match.\n');
      } else {
        ctx.out(`${requests.map(line).join('\n')}\n${requests.length} request(s).\n`);
      }
      return 0;
    },
  },
  show: {
    options: { json },
    positionals: ['ID'],
    async run(register, [id], values, ctx) {
      const detail = await register.show(id!);
      // `show` is the one view with the requester's name and contact: the operator needs them to answer.
      if (values.json) ctx.out(`${JSON.stringify(detail, null, 2)}\n`);
      else ctx.out(showText(detail));
      return 0;
    },
  },
  'verify-identity': {
    ...changeSub('note', (r, id, c, t) => r.verifyIdentity(id, c, t), 'identity verified'),
    options: { json, note: text, 'evidence-received': text },
    async run(register, [id], values, ctx, change) {
      // UK GDPR: the clock restarts on the day the identity evidence arrived (default today).
      const request = await register.verifyIdentity(
        id!,
        change,
        str(values, 'note'),
        relativeDay(str(values, 'evidence-received'), todayIn(change.now, ctx.settings.timeZone)),
      );
      ctx.logger.info({ requestId: request.id, action: 'identity verified' }, 'request changed');
      if (values.json) ctx.out(toJson(request));
      else ctx.out(`${request.id} identity verified.\n${line(request)}\n`);
      return 0;
    },
  },
  start: changeSub('note', (r, id, c, t) => r.start(id, c, t), 'started'),
  extend: {
    ...changeSub('reason', (r, id, c, t) => r.extend(id, c, t), 'extended'),
    options: { json, reason: text, 'extension-days': text, 'alternative-format': { type: 'boolean' } },
    async run(register, [id], values, ctx, change) {
      // Where the law leaves the length to the controller (Swiss DPO art. 18(2), PIPEDA s. 8(4)(b)).
      const days = str(values, 'extension-days');
      if (days !== undefined && !/^\d{1,4}$/.test(days.trim()))
        throw usageError(`--extension-days takes a whole number of days, not "${days.slice(0, 20)}".`, usage);
      const request = await register.extend(id!, change, str(values, 'reason'), {
        ...(days !== undefined ? { days: Number(days) } : {}),
        ...(values['alternative-format'] ? { ground: 'alternative-format' as const } : {}),
      });
      ctx.logger.info({ requestId: request.id, action: 'extended' }, 'request changed');
      if (values.json) ctx.out(toJson(request));
      else ctx.out(`${request.id} extended.\n${line(request)}\n`);
      return 0;
    },
  },
  pause: changeSub('reason', (r, id, c, t) => r.pause(id, c, t), 'paused'),
  resume: changeSub(undefined, (r, id, c) => r.resume(id, c), 'resumed'),
  reopen: changeSub('note', (r, id, c, t) => r.reopen(id, c, t), 'reopened'),
  assign: {
    options: { json },
    positionals: ['ID', 'OWNER'],
    async run(register, [id, owner], values, ctx, change) {
      const request = await register.assign(id!, owner!, change);
      ctx.logger.info({ requestId: request.id, action: 'assigned' }, 'request changed');
      if (values.json) ctx.out(toJson(request));
      else ctx.out(`${request.id} assigned to ${request.owner}.\n${line(request)}\n`);
      return 0;
    },
  },
  close: {
    options: { outcome: text, note: text, json },
    positionals: ['ID'],
    async run(register, [id], values, ctx, change) {
      const outcome = str(values, 'outcome');
      if (!outcome) throw usageError('missing --outcome completed|rejected|withdrawn.', usage);
      const request = await asUsage(
        () => register.closeRequest(id!, outcome, change, str(values, 'note')),
        /is not an outcome/,
      );
      ctx.logger.info(
        { requestId: request.id, action: 'closed', outcome: request.outcome },
        'request changed',
      );
      if (values.json) ctx.out(toJson(request));
      else ctx.out(`${request.id} closed: ${request.outcome}.\n${line(request)}\n`);
      return 0;
    },
  },
  export: {
    options: {
      format: text,
      out: text,
      trail: { type: 'boolean' },
      'with-personal-data': { type: 'boolean' },
    },
    positionals: [],
    async run(register, _args, values, ctx, change) {
      const format = (str(values, 'format') ?? 'csv').toLowerCase();
      if (format !== 'csv' && format !== 'json')
        throw usageError(`--format must be csv or json, not "${format.slice(0, 20)}".`, usage);
      const { requests, events } = await register.exportAll();
      // Exports travel (email, tickets): personal data only on explicit request.
      const requesters = values['with-personal-data'] ? await register.requesters(requests) : undefined;
      const input = { requests, events, requesters, exportedAt: change.now.toISOString() };
      const out = str(values, 'out');
      ctx.logger.info(
        { format, requests: requests.length, events: events.length, personal: Boolean(requesters) },
        'register exported',
      );
      if (format === 'json') {
        write(ctx, out, exportJson(input));
      } else if (out) {
        // A file export writes both tables: the requests, and the audit trail next to them.
        const trailFile = out.replace(/(\.csv)?$/i, '.audit.csv');
        write(ctx, out, requestsCsv(input));
        write(ctx, trailFile, auditCsv(input));
        ctx.out(
          `Wrote ${requests.length} request(s) to ${out} and ${events.length} audit event(s) to ${trailFile}.\n`,
        );
        return 0;
      } else {
        write(ctx, undefined, values.trail ? auditCsv(input) : requestsCsv(input));
      }
      if (out)
        ctx.out(`Wrote ${requests.length} request(s) and ${events.length} audit event(s) to ${out}.\n`);
      return 0;
    },
  },
  verify: {
    options: { head: text, json },
    positionals: [],
    async run(register, _args, values, ctx) {
      const head = str(values, 'head');
      if (head !== undefined && !/^\s*[0-9a-fA-F]{64}\s*$/.test(head))
        throw usageError(
          `--head takes the 64 hexadecimal digits of a head that \`requests verify\` printed, not "${head.slice(0, 70)}".`,
          usage,
        );
      const report = await register.verify(head === undefined ? {} : { head });
      ctx.logger.info(
        { ok: report.ok, events: report.events, problems: report.problems.length },
        'register verified',
      );
      if (values.json) {
        ctx.out(`${JSON.stringify(report, null, 2)}\n`);
      } else if (report.ok) {
        const since =
          report.recordedHead?.at != null
            ? ` The recorded head is event ${report.recordedHead.at}; ${report.events - report.recordedHead.at} event(s) were added after it.`
            : '';
        ctx.out(
          `Audit trail intact: ${report.events} event(s) over ${report.requests} request(s), every hash and link checks out.${since}\n` +
            `Head: event ${report.events}, ${report.headHash}\n` +
            'Record the head elsewhere (the daily digest posts it to the privacy channel); `requests verify --head HASH` later shows whether events were removed from the end.\n',
        );
      } else {
        const shown = report.problems.slice(0, 20).map((p) => `  - ${p}`);
        if (report.problems.length > 20) shown.push(`  ... and ${report.problems.length - 20} more`);
        const advice = report.advice.map((a) => `${a}\n`).join('');
        ctx.out(
          `The audit trail has ${report.problems.length} problem(s):\n${shown.join('\n')}\n${advice}` +
            `Head: event ${report.events}, ${report.headHash || '(unreadable)'}\n`,
        );
      }
      // A broken trail is bad data (65), so scripts and CI can alert on it.
      return report.ok ? 0 : EXIT.INVALID_INPUT;
    },
  },
  purge: {
    options: { 'dry-run': { type: 'boolean' }, json },
    positionals: [],
    async run(register, _args, values, ctx, change) {
      const report = await register.purge(change, { dryRun: values['dry-run'] === true });
      ctx.logger.info(
        { dryRun: report.dryRun, purged: report.due.length, records: report.recordsDeleted },
        'register purged',
      );
      if (values.json) {
        ctx.out(`${JSON.stringify(report, null, 2)}\n`);
        return 0;
      }
      const months = ctx.settings.retentionMonths;
      const ids =
        report.due.length > 0
          ? `: ${report.due.slice(0, 50).join(', ')}${report.due.length > 50 ? ', ...' : ''}`
          : '';
      if (report.dryRun) {
        ctx.out(
          `Would purge the personal data of ${report.due.length} request(s) closed more than ${months} months ago${ids}.\n`,
        );
      } else {
        ctx.out(
          `Purged the personal data of ${report.due.length} request(s) closed more than ${months} months ago${ids} (${report.recordsDeleted} record(s) deleted${report.orphansDeleted ? `, ${report.orphansDeleted} of them belonging to no request` : ''}). Their anonymous facts and audit trail stay.\n`,
        );
      }
      return 0;
    },
  },
};

/** Re-raises a choice-from-a-list error (unknown regime, outcome) as a usage error (exit 64). */
async function asUsage<T>(run: () => Promise<T>, pattern: RegExp): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof AppError && error.code === 'INVALID_INPUT' && pattern.test(error.message)) {
      throw usageError(error.message, usage);
    }
    throw error;
  }
}

/** Writes to FILE (creating its folder) or, without one, to stdout. */
function write(ctx: CommandContext, file: string | undefined, content: string): void {
  if (!file) {
    ctx.out(content);
    return;
  }
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  } catch (error) {
    throw new AppError('STORE', `Cannot write ${file}: ${(error as Error).message}`, { cause: error });
  }
}

function toJson(request: RequestState): string {
  return `${JSON.stringify(request, null, 2)}\n`;
}

/** `DSR-2026-0042  access  gdpr  in-progress  due 2026-04-02 (GDPR art. 12(3))  owner alice`. */
function line(r: RequestState): string {
  const due = isOpen(r.status)
    ? r.status === 'paused'
      ? `clock paused since ${r.pausedOn}`
      : `due ${r.deadlines.due} (${r.deadlines.source})${r.extensions > 0 ? ' extended' : ''}`
    : `closed ${r.closedAt?.slice(0, 10) ?? ''}${r.purged ? ', purged' : ''}`;
  return [r.id, r.type, r.regime, r.status, due, `owner ${r.owner ?? '-'}`].join('  ');
}

/** The multi-line view: every clock with the rule that produced it, then owner and extras. */
function detailText(r: RequestState): string {
  const rows: Array<[string, string]> = [
    ['request', `${r.type} under ${REGIME_LABELS[r.regime]}`],
    ['received', `${r.received} (${r.country}${r.region ? `-${r.region}` : ''})`],
    ...(r.appealOf ? [['appeal of', r.appealOf] as [string, string]] : []),
    ['status', `${r.status}${r.outcome && r.outcome !== r.status ? ` (${r.outcome})` : ''}`],
    ['due', `${r.deadlines.due}: ${r.deadlines.rule} [${r.deadlines.source}]`],
  ];
  for (const d of r.deadlines.deadlines) {
    if (d.kind !== 'response') rows.push([d.kind, `${d.due}: ${d.rule}`]);
  }
  rows.push(['owner', r.owner ?? '(unassigned)']);
  if (r.policyId) rows.push(['policy', r.policyId]);
  if (r.channel) rows.push(['channel', r.channel]);
  if (r.extensions > 0) rows.push(['extended', `${r.extensions} time(s)`]);
  if (r.pausedDays > 0 || r.pausedOn)
    rows.push(['paused', `${r.pausedDays} day(s)${r.pausedOn ? `, paused since ${r.pausedOn}` : ''}`]);
  // On hold where the law does not stop the clock: the wait is recorded, the deadline runs on.
  if (r.waitingSince)
    rows.push(['waiting', `on the requester since ${r.waitingSince}; the deadline keeps running`]);
  const width = Math.max(...rows.map(([k]) => k.length));
  return `${rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join('\n')}\n`;
}

/** `show`: the request, then one line per audit event with what changed and its note. */
function showText(detail: RequestDetail): string {
  const r = detail.request;
  const who = detail.requester ? requesterText(detail.requester) : '(purged)';
  const trail = detail.trail.map((e) => {
    // Only the fields whose value changed: an event records some it leaves as they were.
    const changes = Object.keys(e.after)
      .filter((k) => e.action !== 'created' && k !== 'deadlines')
      .map((k) => [k, fmt(e.before[k as keyof typeof e.before]), fmt(e.after[k as keyof typeof e.after])])
      .filter(([, before, after]) => before !== after)
      .map(([k, before, after]) => `${k}: ${before} -> ${after}`);
    if (
      e.action !== 'created' &&
      'deadlines' in e.after &&
      e.before.deadlines?.due !== e.after.deadlines?.due
    )
      changes.push(`due: ${e.before.deadlines?.due} -> ${e.after.deadlines?.due}`);
    const note = e.text ? `  "${e.text}"` : '';
    return `  ${e.seq}  ${e.at.slice(0, 16).replace('T', ' ')}  ${e.actor}  ${e.action}${changes.length ? `  ${changes.join(', ')}` : ''}${note}`;
  });
  return `${r.id}\n  requester  ${who}\n${detailText(r)}\naudit trail:\n${trail.join('\n')}\n`;
}

function fmt(value: unknown): string {
  return value === null || value === undefined
    ? '-'
    : typeof value === 'object'
      ? JSON.stringify(value)
      : String(value);
}

/** A request that is not there: say how this command line lists them all. */
function withListHint(error: unknown): unknown {
  if (!(error instanceof AppError) || error.code !== 'NOT_FOUND' || !error.detail?.requestId) return error;
  return new AppError(
    'NOT_FOUND',
    `${error.message} \`bin/privacy-ops requests list --status all\` shows them all.`,
    {
      cause: error,
      detail: error.detail,
    },
  );
}
