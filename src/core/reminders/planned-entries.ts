/**
 * What a sweep plans to record: each due reminder's outbox entries, with the owner they name (the
 * outbox keeps roles only), the digest's entry, and the line `reminders due` prints for each.
 */
import type { Status } from '../requests/model.js';
import type { Digest } from './digest.js';
import { isSnoozed, ownerCopyKey, type Reminder, type Role } from './select.js';
import type { NewOutboxEntry } from './store.js';

/** The statuses whose reminders are sent: a paused or closed request's are not. */
export const RUNNING: Status[] = ['received', 'identity-verified', 'in-progress'];
export const RUNNING_SET: ReadonlySet<Status> = new Set(RUNNING);

/** An outbox entry as planned, with who it names (not stored: the outbox keeps roles only). */
export type PlannedEntry = NewOutboxEntry & { ownerAddress: string | null; ownerName: string | null };

/** A due reminder's entries, recorded together under one key. */
export interface PlannedItem {
  key: string;
  entries: PlannedEntry[];
}

/** One message the scheduler would send: what `reminders due` prints. */
export interface PlannedMessage {
  key: string;
  kind: Reminder['kind'] | 'digest';
  requestId: string | null;
  deadline: string | null;
  due: string | null;
  stage: string;
  role: Role;
  /** `dm:U…`, `channel`, `channel (mentions NAME)`, `lead:U…`. */
  recipient: string;
  timeZone: string;
}

/** One recipient's entry of a reminder. */
export function plannedEntry(r: Reminder, role: Role, alsoChannel: boolean, teamZone: string): PlannedEntry {
  return {
    role,
    kind: r.kind,
    requestId: r.requestId,
    deadline: r.deadline,
    due: r.due,
    stage: r.stage,
    // The owner's copy keeps the owner's hours; the team's copies keep the team's.
    timeZone: role === 'owner' ? r.timeZone : teamZone,
    workHours: r.workHours,
    ...(r.dueDay ? { dueDay: true } : {}),
    alsoChannel,
    ownerAddress: r.ownerAddress,
    ownerName: r.owner,
  };
}

/**
 * The items of reminders not recorded before (`fresh`), and the owner's copies owed for stages
 * recorded without one (`owed`); a snoozed request's before-deadline reminders are left out.
 */
export function plannedItems(
  fresh: readonly Reminder[],
  owed: readonly Reminder[],
  snoozes: ReadonlyMap<string, string>,
  at: Date,
  teamZone: string,
): PlannedItem[] {
  const items: PlannedItem[] = [];
  for (const r of fresh) {
    if (r.kind === 'before' && isSnoozed(r.requestId, snoozes, at)) continue;
    const alsoChannel = r.roles.includes('channel');
    items.push({ key: r.key, entries: r.roles.map((role) => plannedEntry(r, role, alsoChannel, teamZone)) });
  }
  for (const r of owed) {
    if (r.kind === 'before' && isSnoozed(r.requestId, snoozes, at)) continue;
    // The channel was told when the stage was recorded: an owner who cannot be reached by the
    // time it is sent is skipped, not named in the channel a second time.
    items.push({ key: ownerCopyKey(r.key), entries: [plannedEntry(r, 'owner', true, teamZone)] });
  }
  return items;
}

/** The daily digest's one entry, to the privacy channel. */
export function digestEntry(date: string, digest: Digest, teamZone: string): PlannedEntry {
  return {
    role: 'channel',
    kind: 'digest',
    requestId: null,
    deadline: null,
    due: null,
    stage: `digest:${date}`,
    timeZone: teamZone,
    workHours: false,
    alsoChannel: true,
    ownerAddress: null,
    ownerName: null,
    digest,
  };
}

/** The line `reminders due` prints for an entry; `lead` is the privacy lead's address. */
export function describeEntry(key: string, e: PlannedEntry, lead: string | undefined): PlannedMessage {
  const channelNote = (owner: string | null, address: string | null) =>
    owner && !address ? `channel (mentions ${owner})` : 'channel';
  const recipient =
    e.role === 'owner'
      ? `dm:${e.ownerAddress}`
      : e.role === 'lead'
        ? `lead:${lead}`
        : channelNote(e.ownerName, e.ownerAddress);
  return {
    key,
    kind: e.kind,
    requestId: e.requestId,
    deadline: e.deadline,
    due: e.due,
    stage: e.stage,
    role: e.role,
    recipient,
    timeZone: e.timeZone,
  };
}
