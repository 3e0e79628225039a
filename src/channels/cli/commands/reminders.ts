import { AppError } from '../../../core/errors.js';
import type { PlannedMessage, Scheduler } from '../../../core/reminders/scheduler.js';
import { type Command, type CommandContext, parseOptions, usageError } from '../command.js';

/**
 * `privacy-ops reminders`: the reminder scheduler from the terminal. `due` shows what a sweep at
 * an instant would send, without sending or recording anything; `run --once` runs one sweep now
 * (the server runs them on its schedule), through the same Slack and Teams delivery as the server.
 * Output names requests, clocks and recipients only.
 */

const usage = `privacy-ops reminders <subcommand> [options]

  due --at ISO-8601-INSTANT [--json]  what a sweep at that instant would send: request, deadline,
                                      stage, recipient (sends nothing, records nothing)
  run --once [--json]                 one sweep now: with Slack (SLACK_BOT_TOKEN) or Teams
                                      configured it records and delivers, as the server does;
                                      without, it prints what it would send and records nothing`;

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/i;

function parseInstant(text: string): Date {
  const at = new Date(text);
  if (!INSTANT.test(text.trim()) || Number.isNaN(at.getTime())) {
    throw new AppError(
      'INVALID_INPUT',
      `"${text.slice(0, 40)}" is not an instant; write it as ISO 8601 with a zone, e.g. 2026-12-01T09:00:00Z.`,
    );
  }
  return at;
}

function table(messages: PlannedMessage[]): string {
  const rows = messages.map((m) => [
    m.requestId ?? '-',
    m.deadline ?? '-',
    m.due ?? '-',
    m.stage,
    m.recipient,
  ]);
  const head = ['request', 'deadline', 'due', 'stage', 'recipient'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}

function plannedJson(m: PlannedMessage) {
  return {
    requestId: m.requestId,
    deadline: m.deadline,
    due: m.due,
    stage: m.stage,
    kind: m.kind,
    role: m.role,
    recipient: m.recipient,
    key: m.key,
  };
}

/** Runs `fn` with the root's scheduler (delivering when `send` and a platform is configured). */
async function withScheduler<T>(
  ctx: CommandContext,
  send: boolean,
  fn: (scheduler: Scheduler, live: boolean) => Promise<T>,
) {
  const { scheduler, platforms, close } = await ctx.services.openReminders({ send, now: ctx.now });
  try {
    return await fn(scheduler, platforms.length > 0);
  } finally {
    await close();
  }
}

export const remindersCommand: Command = {
  name: 'reminders',
  summary: 'deadline reminders: what is due at an instant, or one sweep now',
  usage,
  async run(ctx) {
    const [name, ...rest] = ctx.argv;
    if (name === 'due') {
      const { values, positionals } = parseOptions(
        rest,
        { at: { type: 'string' }, json: { type: 'boolean' } },
        usage,
      );
      if (positionals.length > 0)
        throw usageError(`unexpected argument "${positionals[0]!.slice(0, 40)}".`, usage);
      if (!values.at)
        throw usageError('missing --at (an ISO 8601 instant such as 2026-12-01T09:00:00Z).', usage);
      const at = parseInstant(values.at);
      const planned = await withScheduler(ctx, false, (s) => s.plan(at));
      if (values.json) {
        ctx.out(
          `${JSON.stringify({ at: at.toISOString(), reminders: planned.map(plannedJson) }, null, 2)}\n`,
        );
      } else if (planned.length === 0) {
        ctx.out(`Nothing is due at ${at.toISOString()} that was not sent already.\n`);
      } else {
        ctx.out(`${planned.length} message(s) due at ${at.toISOString()}:\n${table(planned)}\n`);
      }
      return 0;
    }
    if (name === 'run') {
      const { values, positionals } = parseOptions(
        rest,
        { once: { type: 'boolean' }, json: { type: 'boolean' } },
        usage,
      );
      if (positionals.length > 0)
        throw usageError(`unexpected argument "${positionals[0]!.slice(0, 40)}".`, usage);
      // The loop itself runs inside the server (npm start with Slack or Teams configured), not here.
      if (!values.once)
        throw usageError('add --once: the CLI runs one sweep; the server runs the schedule.', usage);
      return withScheduler(ctx, true, async (scheduler, live) => {
        const at = ctx.now();
        if (!live) {
          const planned = await scheduler.plan(at);
          const note =
            'Slack is not configured (SLACK_BOT_TOKEN), so nothing was sent and nothing was recorded (nor is Teams: MICROSOFT_APP_ID or TEAMS_DEV_MODE); this is what a sweep would send.';
          if (values.json)
            ctx.out(
              `${JSON.stringify({ at: at.toISOString(), dryRun: true, note, reminders: planned.map(plannedJson) }, null, 2)}\n`,
            );
          else ctx.out(`${note}\n${planned.length === 0 ? 'Nothing is due.' : table(planned)}\n`);
          return 0;
        }
        const report = await scheduler.sweep(at);
        if (values.json) ctx.out(`${JSON.stringify({ dryRun: false, ...report }, null, 2)}\n`);
        else
          ctx.out(
            `Sweep at ${report.at}: ${report.enqueued} reminder(s) recorded; ${report.sent} message(s) sent, ${report.retried} to retry, ${report.dropped} no longer needed, ${report.failed} failed, ${report.waiting} waiting.\n`,
          );
        return report.failed > 0 ? 69 : 0;
      });
    }
    throw usageError(name ? `unknown subcommand "${name.slice(0, 30)}".` : 'missing subcommand.', usage);
  },
};
