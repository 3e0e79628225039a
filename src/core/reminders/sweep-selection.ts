/**
 * What a sweep records: the reminders due now whose recipients could be looked up, the owner's copies
 * owed for stages recorded without one, and the day's digest, less what is recorded already.
 */
import { Cron } from 'croner';
import { todayIn } from '../requests/input.js';
import type { RequestState } from '../requests/model.js';
import { buildDigest, digestKey } from './digest.js';
import { digestEntry, type PlannedItem, plannedItems, RUNNING } from './planned-entries.js';
import { type Recipients, recipients } from './recipients.js';
import type { RecordedKeys } from './recorded.js';
import type { SchedulerOptions } from './scheduler-options.js';
import { ownerCopyKey, type Reminder, remindersDue } from './select.js';

export class SweepSelection {
  private readonly digestCron: Cron;

  constructor(
    private readonly options: SchedulerOptions,
    /** The keys known recorded: read here, updated by the scheduler once it has enqueued. */
    private readonly recorded: RecordedKeys,
    /** The address an owner is messaged at now, or null when they cannot be. */
    private readonly addressOf: (owner: string) => Promise<string | null>,
  ) {
    // No callback: this Cron instance only computes run times, it never fires.
    this.digestCron = new Cron(options.digestCron ?? '0 9 * * 1-5', { timezone: options.timeZone });
  }

  /**
   * What is due at `at` and not yet recorded, as outbox entries per reminder; `candidates` are every
   * key due now, recorded or not (what the scheduler's cache of recorded keys keeps).
   */
  async select(at: Date): Promise<{ items: PlannedItem[]; candidates: Set<string> }> {
    const requests = await this.options.register.list({ status: RUNNING }, at);
    const found = await recipients(requests, this.addressOf, this.options.channel, this.options.logger);
    const reminders = this.dueNow(requests, at, found);
    const date = this.digestDate(at);
    const candidates = new Set(reminders.map((r) => r.key));
    if (date) candidates.add(digestKey(date));
    await this.recorded.learn([...candidates]);
    const fresh = reminders.filter((r) => !this.recorded.has(r.key));
    const owed = await this.owedOwnerCopies(reminders, candidates);
    // Snoozes are read only for the few reminders that would otherwise go out now.
    const snoozable = [...fresh, ...owed].filter((r) => r.kind === 'before').map((r) => r.requestId);
    const snoozes = snoozable.length > 0 ? await this.options.store.snoozes(snoozable) : new Map();
    const items = plannedItems(fresh, owed, snoozes, at, this.options.timeZone);
    const digest = date ? this.digestItem(requests, date) : undefined;
    if (digest) items.push(digest);
    return { items, candidates };
  }
  /** The reminders due at `at` whose recipients could be looked up. */
  private dueNow(requests: RequestState[], at: Date, found: Recipients): Reminder[] {
    const { addresses, unresolved, zones, unknown: lookupFailed } = found;
    const due = remindersDue(requests, at, {
      offsets: this.options.offsets,
      hours: this.options.hours,
      timeZone: this.options.timeZone,
      timeZoneOf: (a) => zones.get(a),
      addressOf: (owner) => addresses.get(owner) ?? null,
      ...(this.options.lead ? { lead: this.options.lead } : {}),
      channelWithinDays: this.options.channelWithinDays,
    });
    // Working-hours reminders of an owner whose zone Slack could not tell us wait for a later
    // sweep (their stage window stays open) rather than arrive at night; so do all reminders of an
    // owner the channel could not say it can reach, rather than be recorded for the wrong recipients.
    return lookupFailed.size === 0 && unresolved.size === 0
      ? due
      : due.filter(
          (r) =>
            !(r.owner !== null && unresolved.has(r.owner)) &&
            !(r.workHours && r.ownerAddress && lookupFailed.has(r.ownerAddress)),
        );
  }

  /**
   * A stage recorded while nobody could be messaged as its owner (unassigned, or an owner no
   * platform could reach) went to the channel only. Whoever owns the request now, and can be
   * messaged, gets the stage's DM too, once, under a key of its own (issue 15, point 3). Their keys
   * join `candidates`.
   */
  private async owedOwnerCopies(reminders: Reminder[], candidates: Set<string>): Promise<Reminder[]> {
    const late = reminders.filter(
      (r) => r.roles.includes('owner') && this.recorded.roles(r.key)?.includes('owner') === false,
    );
    for (const r of late) candidates.add(ownerCopyKey(r.key));
    if (late.length > 0) await this.recorded.learn(late.map((r) => ownerCopyKey(r.key)));
    return late.filter((r) => !this.recorded.has(ownerCopyKey(r.key)));
  }

  /** The digest of `date` when it is not recorded yet and says something. */
  private digestItem(requests: RequestState[], date: string): PlannedItem | undefined {
    const digest = !this.recorded.has(digestKey(date))
      ? buildDigest(requests, date, undefined, this.options.register.position)
      : undefined;
    // An empty digest is not sent: a daily "nothing due" teaches people to ignore the bot.
    if (!digest || digest.totals.items + digest.totals.overdue + digest.totals.unassigned === 0)
      return undefined;
    return { key: digestKey(date), entries: [digestEntry(date, digest, this.options.timeZone)] };
  }

  /** The digest is due once the digest schedule's run of today (in the team's zone) has passed. */
  private digestDate(at: Date): string | undefined {
    const today = todayIn(at, this.options.timeZone);
    let slot = this.digestCron.nextRun(new Date(at.getTime() - 26 * 3_600_000));
    let latest: Date | undefined;
    while (slot && slot <= at) {
      latest = slot;
      slot = this.digestCron.nextRun(slot);
    }
    return latest && todayIn(latest, this.options.timeZone) === today ? today : undefined;
  }
}
