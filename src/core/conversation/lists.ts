import { addDays, daysBetween } from '../requests/calendar.js';
import { REGIME_LABELS } from '../requests/deadlines.js';
import { type EngineContext, errorReply, type Pressed, reply, text } from './context.js';
import { DUE_SOON_DAYS } from './dates.js';
import type { Block, Reply, Turn } from './reply.js';
import type { ListStatus, Understanding } from './understand.js';

/** Lists of requests (the privacy team's), and what reminders are about: "requests overdue", "send the reminders". */

const TITLES: Record<ListStatus, string> = {
  open: 'Open requests',
  overdue: 'Overdue requests',
  all: 'All requests',
  closed: 'Closed requests',
};

type ListAsked = Extract<Understanding, { kind: 'list' }>;

/** The list's title: what it holds, by status or due day, owner and law. */
function listTitle(meant: ListAsked, days: number | undefined): string {
  let title = meant.dueBy ? `Requests due within ${days} days (by ${meant.dueBy})` : TITLES[meant.status];
  if (meant.unassigned) title = `${title} with no owner`;
  if (meant.regime) title = `${title} under ${REGIME_LABELS[meant.regime]}`;
  if (meant.mine) title = `${title} owned by you`;
  return title;
}

export async function list(ctx: EngineContext, meant: ListAsked, turn: Turn): Promise<Reply> {
  ctx.requireTeam(turn.actor);
  const register = ctx.requireRegister();
  const days = meant.dueBy ? daysBetween(ctx.today(turn), meant.dueBy) : undefined;
  const found = await register.list(
    {
      status: [meant.dueBy ? 'open' : meant.status],
      ...(meant.mine ? { owner: turn.actor.name } : {}),
      ...(days !== undefined ? { dueWithinDays: days } : {}),
    },
    turn.now,
  );
  const requests = found.filter(
    (r) => (!meant.regime || r.regime === meant.regime) && (!meant.unassigned || !r.owner),
  );
  const views = requests.slice(0, 50).map((r) => ctx.view(r, turn, undefined));
  const more = requests.length > 50 ? ` (first 50 of ${requests.length})` : '';
  const shown: Block = {
    kind: 'request-list',
    title: `${listTitle(meant, days)}${more}`,
    requests: views,
    empty: 'Nothing here.',
  };
  if (!meant.count) return reply([shown]);
  const n = requests.length;
  return reply([text(`${n} ${n === 1 ? 'request' : 'requests'}.`), shown]);
}

const HOW_REMINDERS_GO =
  'Reminders are not sent from the chat: they go out by themselves. With Slack or Teams configured, the server runs a reminder sweep on its schedule (REMINDER_SWEEP_CRON; REMINDERS_ENABLED turns it on or off): owners are reminded 7, 3 and 1 days before and on the due day, overdue requests escalate every day, and requests without an owner are flagged in the privacy channel, each reminder sent once. To run one sweep now, from a terminal in the repository: `bin/privacy-ops reminders run --once` (`bin/privacy-ops reminders due --at <instant>` shows what it would send, sending nothing).';

/**
 * "send the reminders": reminders are not sent from the chat. Says how they go out, how to run a
 * sweep now, and (for the privacy team) which open requests they are about: overdue, due within
 * a week, without an owner.
 */
export async function reminders(ctx: EngineContext, turn: Turn): Promise<Reply> {
  const register = ctx.options.register;
  if (!turn.actor.isPrivacyTeam || !register) return reply([text(HOW_REMINDERS_GO)]);
  const open = await register.list({ status: ['open'] }, turn.now);
  const soon = addDays(ctx.today(turn), DUE_SOON_DAYS);
  const about = open.filter((s) => s.status !== 'paused' && s.deadlines.due <= soon);
  const unowned = open.filter((s) => !s.owner).length;
  const shown: Block = {
    kind: 'request-list',
    title: `What reminders are about now: overdue or due within ${DUE_SOON_DAYS} days (${unowned} open without an owner)`,
    requests: about.slice(0, 50).map((s) => ctx.view(s, turn, undefined)),
    empty: 'Nothing is overdue or due within the week.',
  };
  return reply([text(HOW_REMINDERS_GO), shown]);
}

/** The Snooze button on a reminder: quiets the request's reminders before its due day. */
export async function snooze(ctx: EngineContext, id: string, turn: Pressed): Promise<Reply> {
  ctx.requireTeam(turn.actor);
  const request = await ctx.requireRegister().get(id);
  if (!ctx.options.snoozeReminders)
    return errorReply('Reminders are not running here, so there is nothing to snooze.');
  const until = await ctx.options.snoozeReminders(request.id, turn.now);
  const timeZone = ctx.timeZone(turn);
  const when = until.toLocaleString('en-GB', { timeZone, dateStyle: 'medium', timeStyle: 'short' });
  return reply([
    text(
      `${request.id}: reminders snoozed until ${when} (${timeZone}). Due-day and overdue notices still go out.`,
    ),
  ]);
}
