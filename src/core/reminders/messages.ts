import { plainText } from '../conversation/plain-text.js';
import type { ActionButton, Block, Reply } from '../conversation/reply.js';
import { formatLongDate } from '../requests/calendar.js';
import { REGIME_LABELS } from '../requests/deadlines.js';
import type { RequestState } from '../requests/model.js';
import type { Digest, DigestItem } from './digest.js';
import { type AddressForm, noAddressForm, type ReminderKind, type Role } from './select.js';
import { dayNumber } from './time.js';

/**
 * What a reminder says, as the core's neutral {@link Reply}: channels render it (Block Kit, an
 * Adaptive Card, terminal text). Built when the message is sent, from the request's state at
 * that moment, so the days left and the owner are current. Request facts only: the register keeps
 * the requester apart, and no reminder ever names them.
 */

const LABELS: Record<string, string> = {
  response: 'response deadline',
  'extension-notice': 'deadline to tell the requester about the extension',
  'receipt-confirmation': 'deadline to confirm receipt',
  'policy-target': "policy's own response target (internal)",
};

export function deadlineLabel(kind: string): string {
  return LABELS[kind] ?? `${kind} deadline`;
}

/**
 * An owner as text: the address for an owner written as one (a mention of a Slack id becomes the id,
 * which channels turn into a mention), else the owner as the register names them.
 */
export function ownerText(owner: string | null, addressForm: AddressForm = noAddressForm): string {
  if (!owner) return 'unassigned';
  return addressForm(owner) ?? owner;
}

function days(n: number): string {
  return `${n} day${n === 1 ? '' : 's'}`;
}

/** What the reminder is about, as stored in the outbox. */
export interface ReminderSubject {
  kind: ReminderKind;
  deadline: string | null;
  due: string | null;
}

/**
 * Buttons on a reminder: mark done, extend (while the law still allows it), take it over, and
 * snooze (only where it does something: stages before the due day).
 */
export function reminderButtons(request: RequestState, kind: ReminderKind, today: string): ActionButton[] {
  const d = request.deadlines;
  const buttons: ActionButton[] = [
    { action: 'request.close', label: 'Mark done', value: request.id, style: 'primary' },
  ];
  const notice = d.deadlines.find((x) => x.kind === 'extension-notice')?.due ?? d.due;
  if (d.extendable && request.extensions < d.maxExtensions && today <= notice)
    buttons.push({ action: 'request.extend', label: 'Extend', value: request.id });
  buttons.push({
    action: 'request.assign-me',
    label: request.owner ? 'Reassign to me' : 'Assign to me',
    value: request.id,
  });
  if (kind === 'before') buttons.push({ action: 'request.snooze', label: 'Snooze 1 day', value: request.id });
  return buttons;
}

/**
 * The reminder message for one recipient role, on `today` of the team's calendar (`calendar`, an
 * IANA zone): the one that decided the reminder was due, which the message names, so an owner in
 * another zone reads "due today" and "overdue" as the team means them.
 */
export function reminderReply(
  subject: ReminderSubject,
  request: RequestState,
  today: string,
  role: Role,
  calendar: string,
  addressForm: AddressForm = noAddressForm,
): Reply {
  const what = `${request.id} (${request.type}, ${REGIME_LABELS[request.regime]})`;
  const owner = ownerText(request.owner, addressForm);
  const clock = request.deadlines.deadlines.find((d) => d.kind === subject.deadline && d.due === subject.due);
  const rule = clock ? ` ${clock.rule} [${clock.source}]` : '';
  const label = deadlineLabel(subject.deadline ?? 'response');
  const left = subject.due ? dayNumber(subject.due) - dayNumber(today) : 0;
  const due = subject.due ? formatLongDate(subject.due) : '';
  const team = `by the team's calendar (${calendar})`;
  let line: string;
  switch (subject.kind) {
    case 'before':
      line = `Reminder: the ${label} of ${what} is in ${days(left)}, on ${due}, ${team}. Owner: ${owner}.`;
      break;
    case 'due-today':
      line = `Due today: the ${label} of ${what} is today, ${due}, ${team}. Owner: ${owner}.`;
      break;
    case 'overdue': {
      const late = Math.max(1, -left);
      const lead = role === 'lead' ? ' You get this as the privacy lead.' : '';
      line = `Overdue: the ${label} of ${what} passed on ${due}, ${days(late)} ago ${team}, and the request is still open. Owner: ${owner}.${lead}`;
      break;
    }
    case 'unassigned': {
      const response = dayNumber(request.deadlines.due) - dayNumber(today);
      const when = response >= 0 ? `in ${days(response)}` : `${days(-response)} overdue`;
      line = `Unassigned: ${what} has no owner. Its response is due ${formatLongDate(request.deadlines.due)} (${when}). Take it with "Assign to me".`;
      break;
    }
  }
  const blocks: Block[] = [{ kind: 'text', text: `${line}${subject.kind === 'unassigned' ? '' : rule}` }];
  blocks.push({ kind: 'actions', buttons: reminderButtons(request, subject.kind, today) });
  return { blocks, text: plainText(blocks), personal: false };
}

function itemLine(i: DigestItem, addressForm: AddressForm): string {
  const when =
    i.daysLeft < 0 ? `${days(-i.daysLeft)} overdue` : i.daysLeft === 0 ? 'today' : `in ${days(i.daysLeft)}`;
  const internal = i.binding ? '' : ' (internal)';
  return `• ${i.requestId}: ${deadlineLabel(i.deadline)}${internal} ${i.due} (${when}), owner ${ownerText(i.owner, addressForm)}`;
}

/** The daily digest for the privacy channel. */
export function digestReply(digest: Digest, addressForm: AddressForm = noAddressForm): Reply {
  const line = (i: DigestItem) => itemLine(i, addressForm);
  const { totals } = digest;
  const more = (shown: number, total: number) => (total > shown ? `\n… and ${total - shown} more` : '');
  const blocks: Block[] = [
    {
      kind: 'text',
      text: `Due this week (${digest.date} to ${digest.until}): ${totals.items} deadline(s); ${totals.overdue} overdue request(s); ${totals.unassigned} without an owner.`,
    },
  ];
  if (totals.overdue > 0)
    blocks.push({
      kind: 'text',
      text: `Overdue:\n${digest.overdue.map(line).join('\n')}${more(digest.overdue.length, totals.overdue)}`,
    });
  if (totals.items > 0)
    blocks.push({
      kind: 'text',
      text: `Due this week:\n${digest.items.map(line).join('\n')}${more(digest.items.length, totals.items)}`,
    });
  if (totals.unassigned > 0)
    blocks.push({
      kind: 'text',
      text: `No owner: ${digest.unassigned.join(', ')}${more(digest.unassigned.length, totals.unassigned)}`,
    });
  // The head anchors the audit trail outside the store: an end cut off later no longer has it.
  if (digest.head)
    blocks.push({
      kind: 'text',
      text: `Audit trail head: event ${digest.head.seq}, ${digest.head.hash}. To check that no event was removed since: privacy-ops requests verify --head ${digest.head.hash}`,
    });
  return { blocks, text: plainText(blocks), personal: false };
}
