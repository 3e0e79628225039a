/**
 * The message an outbox entry makes, composed right before it is sent from the request's current
 * state, or why it is no longer valid (the request closed, reassigned, snoozed, its deadline changed).
 */
import { AppError } from '../errors.js';
import { todayIn } from '../requests/input.js';
import type { RequestState } from '../requests/model.js';
import type { Register } from '../requests/register.js';
import type { ReminderMessage } from './delivery.js';
import { digestReply, reminderReply } from './messages.js';
import { RUNNING_SET } from './planned-entries.js';
import { type AddressForm, isSnoozed, type Reminder } from './select.js';
import type { OutboxEntry, ReminderStore } from './store.js';

/** What composing reads: the register and store, the team's zone, the lead, and how owners are addressed. */
export interface ComposeContext {
  register: Register;
  store: ReminderStore;
  /** The privacy team's zone: days are counted on its calendar. */
  timeZone: string;
  /** The privacy lead's address. */
  lead?: string;
  addressForm: AddressForm;
  /** The address an owner is messaged at now, or null when they cannot be. */
  addressOf: (owner: string | null) => Promise<string | null>;
}

export type Composed = { message: ReminderMessage } | { drop: string };

/** The message for an entry from the current state, or why it is no longer valid. */
export async function compose(entry: OutboxEntry, at: Date, ctx: ComposeContext): Promise<Composed> {
  const base = { id: String(entry.seq), reminderKey: entry.key, role: entry.role };
  if (entry.kind === 'digest') {
    if (!entry.digest) return { drop: 'digest without content' };
    return {
      message: { ...base, to: { kind: 'channel' }, reply: digestReply(entry.digest, ctx.addressForm) },
    };
  }
  const request = await currentRequest(entry, ctx.register);
  if (!request) return { drop: 'request not found' };
  // Days are counted on the team's calendar, as when the reminder was selected.
  const today = todayIn(at, ctx.timeZone);
  const stale = await whyStale(entry, request, today, at, ctx.store);
  if (stale) return { drop: stale };
  const subject = { kind: entry.kind as Reminder['kind'], deadline: entry.deadline, due: entry.due };
  const reply = reminderReply(subject, request, today, entry.role, ctx.timeZone, ctx.addressForm);
  return addressed(entry, request, base, reply, ctx);
}

/** The entry's request as it is now, or undefined when it is gone. */
async function currentRequest(entry: OutboxEntry, register: Register): Promise<RequestState | undefined> {
  try {
    return await register.get(entry.requestId ?? '');
  } catch (error) {
    if (error instanceof AppError && (error.code === 'NOT_FOUND' || error.code === 'INVALID_INPUT'))
      return undefined;
    throw error;
  }
}

/** Why a reminder about `request` says nothing any more, or undefined when it still holds. */
async function whyStale(
  entry: OutboxEntry,
  request: RequestState,
  today: string,
  at: Date,
  store: ReminderStore,
): Promise<string | undefined> {
  if (!RUNNING_SET.has(request.status)) return `request ${request.status}`;
  if (entry.kind === 'unassigned') {
    if (request.owner !== null) return 'request assigned';
  } else if (!request.deadlines.deadlines.some((d) => d.kind === entry.deadline && d.due === entry.due)) {
    return 'deadline changed';
  }
  if (entry.kind === 'before') {
    const snoozes = await store.snoozes([request.id]);
    if (isSnoozed(request.id, snoozes, at)) return 'snoozed';
    // A copy that waited for its recipient's hours until the due day came says nothing the due
    // day's own reminder does not.
    if (entry.due !== null && entry.due <= today) return 'the due day has come';
  }
  // Likewise a due-day copy once the day is over: the overdue escalation takes over.
  if (entry.kind === 'due-today' && entry.due !== null && entry.due < today) return 'the due day is over';
  return undefined;
}

/** Where the entry's message goes, by its role, asked now. */
async function addressed(
  entry: OutboxEntry,
  request: RequestState,
  base: Pick<ReminderMessage, 'id' | 'reminderKey' | 'role'>,
  reply: ReminderMessage['reply'],
  ctx: ComposeContext,
): Promise<Composed> {
  switch (entry.role) {
    case 'owner': {
      // Asked again now: the request may have been reassigned, or its owner lost the chat with
      // the bot (a Teams uninstall), since the reminder was recorded.
      const owner = await ctx.addressOf(request.owner);
      if (owner) return { message: { ...base, to: { kind: 'user', address: owner }, reply } };
      // Nobody to message: the channel copy (if any) covers it, else this message goes there,
      // naming the owner, so an unreachable owner's reminder is never lost.
      if (entry.alsoChannel) return { drop: 'owner cannot be messaged; the channel was told' };
      return { message: { ...base, to: { kind: 'channel' }, reply } };
    }
    case 'lead':
      if (!ctx.lead) return { drop: 'no privacy lead configured' };
      return { message: { ...base, to: { kind: 'user', address: ctx.lead }, reply } };
    case 'channel': {
      // An owner written as an address is mentioned (Slack renders mentions of its own ids only);
      // other owners are named in the text.
      const mention = request.owner === null ? null : ctx.addressForm(request.owner);
      return { message: { ...base, to: { kind: 'channel' }, reply, ...(mention ? { mention } : {}) } };
    }
  }
}
