import { hostname } from 'node:os';
import { Cron } from 'croner';
import { AppError, toAppError } from '../errors.js';
import { todayIn } from '../requests/input.js';
import type { RequestState, Status } from '../requests/model.js';
import type { Register } from '../requests/register.js';
import type { DeliveryResult, ReminderChannel, ReminderMessage } from './delivery.js';
import { buildDigest, digestKey } from './digest.js';
import { digestReply, reminderReply } from './messages.js';
import {
  type AddressForm,
  isSnoozed,
  noAddressForm,
  ownerCopyKey,
  type Reminder,
  type Role,
  remindersDue,
} from './select.js';
import type { Attempt, NewOutboxEntry, OutboxEntry, ReminderStore } from './store.js';
import { dueDayOpen, isWorkingTime, localTime, type WorkHours } from './time.js';

/**
 * The reminder loop: at each sweep it asks {@link remindersDue} what is due now, records what no
 * replica recorded yet in the outbox (atomically, see {@link ReminderStore}), then delivers
 * outbox entries, each attempt claimed atomically so two replicas never send the same entry.
 * The clock is injected (`now`); croner only decides when a sweep runs (every few minutes, and
 * at the digest time), and `sweep(at)` can be driven directly by tests and the CLI.
 *
 * Exactly once, and where it can fail: an entry is sent by the replica that claimed its attempt.
 * If that process dies after Slack accepted the message but before `done` was recorded, another
 * replica takes the attempt over when its lease ends and sends it again: one duplicate message, at
 * most, per crash. Everything else (dying before or after a sweep, between claim and send, a
 * rate limit, Slack down for hours, Slack slower than the lease) ends with each message sent once:
 * a lease is counted from its claim and renewed while its message is composed and sent, and an
 * entry's latest attempt is read again right before a takeover, so a replica that is alive never
 * loses a claim however long its pass.
 *
 * Who can be messaged is the channel's answer ({@link ReminderChannel.address}), asked for each
 * owner before recipients are picked and again right before an owner's message is sent: a Slack
 * id, or a Teams person with a personal chat with the bot (found by id or by the display name
 * "Assign to me" records), gets a direct message; an owner no platform can reach gets none, and
 * the privacy channel is told instead, naming them. The selection stays pure (it is handed the
 * answers) and each reminder's recipients are still recorded in one atomic enqueue. An owner who
 * is unreachable by the time their message is composed (reassigned, or their chat with the bot is
 * gone) has it go to the privacy channel instead, or not at all when the reminder has a channel
 * copy: one outbox entry still makes one message, so the exactly-once argument above is unchanged.
 */

export interface SchedulerLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface SchedulerOptions {
  register: Register;
  store: ReminderStore;
  /** Where messages go; without one the scheduler can only plan (`reminders due`, dry runs). */
  channel?: ReminderChannel;
  /** Days before a deadline to remind at (0 = the due day). */
  offsets: readonly number[];
  hours: WorkHours;
  /** The privacy team's zone, and the fallback for owners whose zone is unknown. */
  timeZone: string;
  /** The privacy lead's address (Slack user id): overdue escalations go to them too. */
  lead?: string;
  /**
   * Which owners are addresses by their written form (the composition root passes the channels',
   * e.g. Slack ids): the address when the channel has no `address` of its own (plan-only runs), the
   * owner mentioned in a channel post, and an owner's text in messages. Default: none, all names.
   */
  addressForm?: AddressForm;
  /** Reminders this many days or fewer before a deadline also go to the privacy channel. */
  channelWithinDays: number;
  /** How long a snooze button snoozes (hours). */
  snoozeHours?: number;
  /** When sweeps run (cron, in `timeZone`); default every five minutes. */
  sweepCron?: string;
  /** When the daily digest goes out (cron, in `timeZone`); default 09:00 on weekdays. */
  digestCron?: string;
  now?: () => Date;
  logger?: SchedulerLogger;
  /** This process's name in claims; default host:pid:random. */
  replica?: string;
  /**
   * How long a claim is presumed alive without a renewal before another replica may take it over
   * (ms), counted from the claim; renewed while the message is being delivered.
   */
  leaseMs?: number;
  /**
   * Retry backoff when the platform gives no Retry-After (ms): base doubled per attempt, capped;
   * counted from the failed attempt.
   */
  backoffMs?: { base: number; max: number };
  /** Entries looked at per delivery pass. */
  maxPerPass?: number;
  /**
   * False when no platform has a privacy channel: messages to it are held in the outbox (neither
   * attempted nor failed) and go out on a sweep once a channel is configured. Default true.
   */
  privacyChannel?: boolean;
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

export interface SweepReport {
  at: string;
  /** Reminders due at this instant that were not recorded before this sweep. */
  due: number;
  /** Reminders this sweep recorded (another replica may have recorded the rest). */
  enqueued: number;
  sent: number;
  retried: number;
  dropped: number;
  failed: number;
  /**
   * Entries waiting: for working hours, a retry time, another replica's claim, or a privacy
   * channel to be configured.
   */
  waiting: number;
}

const RUNNING: Status[] = ['received', 'identity-verified', 'in-progress'];

/**
 * How long a claim is presumed alive without a renewal: long against one delivery (Slack calls
 * time out after 10 s, two per direct message), short enough that a dead replica's message is
 * taken over within minutes.
 */
const DEFAULT_LEASE_MS = 120_000;
/** A lease is renewed this many times per its length while its attempt runs. */
const RENEWALS_PER_LEASE = 3;
/** Retry backoff without a Retry-After: 15 s doubled per attempt, at most 15 minutes. */
const DEFAULT_BACKOFF_MS = { base: 15_000, max: 15 * 60_000 };

/** An outbox entry as planned, with who it names (not stored: the outbox keeps roles only). */
type PlannedEntry = NewOutboxEntry & { ownerAddress: string | null; ownerName: string | null };
const RUNNING_SET: ReadonlySet<Status> = new Set(RUNNING);

export class Scheduler {
  private readonly now: () => Date;
  private readonly replica: string;
  private readonly addressForm: AddressForm;
  private readonly digestCron: Cron;
  /**
   * Reminder keys known recorded, with the roles they were recorded for; pruned to what is still
   * due, so it stays small.
   */
  private readonly known = new Map<string, readonly Role[]>();
  /** Whether {@link known} was seeded from the stored summary (once per process). */
  private summaryRead = false;
  /** Whether {@link known} changed since the summary was last written. */
  private knownChanged = false;
  private chain: Promise<unknown> = Promise.resolve();
  private jobs: Cron[] = [];
  private retryTimer: NodeJS.Timeout | undefined;
  /** Until when each platform is left alone by this replica (a Retry-After, or a backoff). */
  private readonly paused = new Map<string, number>();
  private nextRetryAt: number | undefined;
  private stopped = true;

  constructor(private readonly options: SchedulerOptions) {
    this.now = options.now ?? (() => new Date());
    this.addressForm = options.addressForm ?? noAddressForm;
    this.replica =
      options.replica ?? `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
    // No callback: this Cron instance only computes run times, it never fires.
    this.digestCron = new Cron(options.digestCron ?? '0 9 * * 1-5', { timezone: options.timeZone });
  }

  /** Starts the sweep and digest schedules, and one sweep now to catch up after a restart. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const opts = { timezone: this.options.timeZone, protect: true };
    this.jobs = [
      new Cron(this.options.sweepCron ?? '*/5 * * * *', opts, () => this.tick()),
      new Cron(this.options.digestCron ?? '0 9 * * 1-5', opts, () => this.tick()),
    ];
    void this.tick();
  }

  /** Stops the schedules and waits for a running sweep to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const job of this.jobs.splice(0)) job.stop();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    await this.chain.catch(() => undefined);
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    try {
      const report = await this.sweep(this.now());
      if (report.sent + report.enqueued + report.dropped + report.failed > 0)
        this.options.logger?.info({ ...report }, 'reminder sweep');
    } catch (error) {
      const e = toAppError(error);
      this.options.logger?.error({ code: e.code, err: e.cause ?? e }, 'reminder sweep failed');
    }
    this.armRetry();
  }

  /** A retry due before the next scheduled sweep gets its own timer. */
  private armRetry(): void {
    if (this.stopped || this.nextRetryAt === undefined) return;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const wait = Math.min(Math.max(this.nextRetryAt - this.now().getTime(), 1_000), 5 * 60_000);
    this.retryTimer = setTimeout(() => void this.tick(), wait);
    this.retryTimer.unref();
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** One sweep: record what is due at `at`, then deliver what the outbox holds. */
  sweep(at: Date = this.now()): Promise<SweepReport> {
    return this.exclusive(async () => {
      const { fresh, enqueued } = await this.enqueue(at);
      const delivered = await this.deliverNow(at);
      return { at: at.toISOString(), due: fresh, enqueued, ...delivered };
    });
  }

  /** Records what is due at `at` in the outbox without delivering (the bench's "sweep"). */
  record(at: Date = this.now()): Promise<{ fresh: number; enqueued: number }> {
    return this.exclusive(() => this.enqueue(at));
  }

  /** Delivers what the outbox holds, without selecting anything new. */
  deliver(at: Date = this.now()): Promise<Omit<SweepReport, 'at' | 'due' | 'enqueued'>> {
    return this.exclusive(() => this.deliverNow(at));
  }

  /** What a sweep at `at` would record and send; reads the store, writes nothing. */
  async plan(at: Date): Promise<PlannedMessage[]> {
    const { items } = await this.select(at);
    return items.flatMap(({ key, entries }) => entries.map((e) => this.describe(key, e)));
  }

  private describe(key: string, e: PlannedEntry): PlannedMessage {
    const channelNote = (owner: string | null, address: string | null) =>
      owner && !address ? `channel (mentions ${owner})` : 'channel';
    const recipient =
      e.role === 'owner'
        ? `dm:${e.ownerAddress}`
        : e.role === 'lead'
          ? `lead:${this.options.lead}`
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

  /**
   * The address an owner is messaged at, or null when they cannot be: the channel's answer (it
   * knows each platform's people), else the forms the core knows. Not cached between sweeps, so
   * someone who starts a chat with the bot is messaged from their next reminder on.
   */
  private async addressOf(owner: string | null): Promise<string | null> {
    if (owner === null) return null;
    const channel = this.options.channel;
    return channel?.address ? channel.address(owner) : this.addressForm(owner);
  }

  /**
   * Each owner's address (null: named in the privacy channel) and the owners the channel could not
   * tell about right now; then the time zones of those who can be messaged, from the channel (which
   * caches them), and the addresses whose zone could not be looked up right now.
   */
  private async recipients(requests: RequestState[]): Promise<{
    addresses: Map<string, string | null>;
    unresolved: Set<string>;
    zones: Map<string, string>;
    unknown: Set<string>;
  }> {
    const addresses = new Map<string, string | null>();
    const unresolved = new Set<string>();
    const owners = new Set<string>();
    for (const r of requests) if (r.owner !== null) owners.add(r.owner);
    let failure: unknown;
    await Promise.all(
      [...owners].map(async (owner) => {
        try {
          addresses.set(owner, await this.addressOf(owner));
        } catch (error) {
          unresolved.add(owner);
          failure ??= error;
        }
      }),
    );
    if (unresolved.size > 0) {
      const e = toAppError(failure);
      this.options.logger?.warn(
        { code: e.code, owners: unresolved.size, err: e.cause ?? e },
        'could not tell whether some owners can be messaged; their reminders wait for the next sweep',
      );
    }
    const zones = new Map<string, string>();
    const unknown = new Set<string>();
    const lookup = this.options.channel?.timeZone?.bind(this.options.channel);
    if (!lookup) return { addresses, unresolved, zones, unknown };
    const reachable = new Set<string>();
    for (const a of addresses.values()) if (a) reachable.add(a);
    await Promise.all(
      [...reachable].map(async (a) => {
        try {
          const tz = await lookup(a);
          if (tz) zones.set(a, tz);
        } catch {
          unknown.add(a);
        }
      }),
    );
    return { addresses, unresolved, zones, unknown };
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

  /** Reads which of `keys` are recorded (and for whom) into {@link known}. */
  private async learn(keys: string[]): Promise<void> {
    if (!this.summaryRead) {
      // A fresh process starts from the last sweep's summary rather than one read per reminder.
      this.summaryRead = true;
      const summary = await this.options.store.recordedSummary();
      for (const k of keys) {
        const roles = summary.get(k);
        if (roles) this.known.set(k, roles);
      }
    }
    const unknown = keys.filter((k) => !this.known.has(k));
    if (unknown.length === 0) return;
    for (const [k, roles] of await this.options.store.recordedRoles(unknown)) {
      this.known.set(k, roles);
      this.knownChanged = true;
    }
  }

  /** What is due at `at` and not yet recorded, as outbox entries per reminder. */
  private async select(at: Date): Promise<{
    items: Array<{ key: string; entries: PlannedEntry[] }>;
    candidates: Set<string>;
  }> {
    const requests = await this.options.register.list({ status: RUNNING }, at);
    const { addresses, unresolved, zones, unknown: lookupFailed } = await this.recipients(requests);
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
    const reminders =
      lookupFailed.size === 0 && unresolved.size === 0
        ? due
        : due.filter(
            (r) =>
              !(r.owner !== null && unresolved.has(r.owner)) &&
              !(r.workHours && r.ownerAddress && lookupFailed.has(r.ownerAddress)),
          );
    const date = this.digestDate(at);
    const candidates = new Set(reminders.map((r) => r.key));
    if (date) candidates.add(digestKey(date));
    await this.learn([...candidates]);
    const fresh = reminders.filter((r) => !this.known.has(r.key));
    // A stage recorded while nobody could be messaged as its owner (unassigned, or an owner no
    // platform could reach) went to the channel only. Whoever owns the request now, and can be
    // messaged, gets the stage's DM too, once, under a key of its own (issue 15, point 3).
    const late = reminders.filter(
      (r) => r.roles.includes('owner') && this.known.get(r.key)?.includes('owner') === false,
    );
    for (const r of late) candidates.add(ownerCopyKey(r.key));
    if (late.length > 0) await this.learn(late.map((r) => ownerCopyKey(r.key)));
    const owed = late.filter((r) => !this.known.has(ownerCopyKey(r.key)));
    // Snoozes are read only for the few reminders that would otherwise go out now.
    const snoozable = [...fresh, ...owed].filter((r) => r.kind === 'before').map((r) => r.requestId);
    const snoozes = snoozable.length > 0 ? await this.options.store.snoozes(snoozable) : new Map();
    const entry = (r: Reminder, role: Role, alsoChannel: boolean): PlannedEntry => ({
      role,
      kind: r.kind,
      requestId: r.requestId,
      deadline: r.deadline,
      due: r.due,
      stage: r.stage,
      // The owner's copy keeps the owner's hours; the team's copies keep the team's.
      timeZone: role === 'owner' ? r.timeZone : this.options.timeZone,
      workHours: r.workHours,
      ...(r.dueDay ? { dueDay: true } : {}),
      alsoChannel,
      ownerAddress: r.ownerAddress,
      ownerName: r.owner,
    });
    const items: Array<{ key: string; entries: PlannedEntry[] }> = [];
    for (const r of fresh) {
      if (r.kind === 'before' && isSnoozed(r.requestId, snoozes, at)) continue;
      const alsoChannel = r.roles.includes('channel');
      items.push({ key: r.key, entries: r.roles.map((role) => entry(r, role, alsoChannel)) });
    }
    for (const r of owed) {
      if (r.kind === 'before' && isSnoozed(r.requestId, snoozes, at)) continue;
      // The channel was told when the stage was recorded: an owner who cannot be reached by the
      // time it is sent is skipped, not named in the channel a second time.
      items.push({ key: ownerCopyKey(r.key), entries: [entry(r, 'owner', true)] });
    }
    const digest =
      date && !this.known.has(digestKey(date))
        ? buildDigest(requests, date, undefined, this.options.register.position)
        : undefined;
    // An empty digest is not sent: a daily "nothing due" teaches people to ignore the bot.
    if (date && digest && digest.totals.items + digest.totals.overdue + digest.totals.unassigned > 0) {
      items.push({
        key: digestKey(date),
        entries: [
          {
            role: 'channel',
            kind: 'digest',
            requestId: null,
            deadline: null,
            due: null,
            stage: `digest:${date}`,
            timeZone: this.options.timeZone,
            workHours: false,
            alsoChannel: true,
            ownerAddress: null,
            ownerName: null,
            digest,
          },
        ],
      });
    }
    return { items, candidates };
  }

  private async enqueue(at: Date): Promise<{ fresh: number; enqueued: number }> {
    const { items, candidates } = await this.select(at);
    if (!this.options.channel) return { fresh: items.length, enqueued: 0 };
    const added = await this.options.store.enqueue(
      items.map(({ key, entries }) => ({
        key,
        entries: entries.map(({ ownerName: _name, ownerAddress: _address, ...e }) => e),
      })),
      at,
    );
    // What this replica recorded is known with its roles; what another replica recorded first is
    // read from the store at the next sweep (its roles may differ from this replica's plan).
    const mine = new Set(added);
    for (const item of items)
      if (mine.has(item.key)) this.known.set(item.key, [...new Set(item.entries.map((e) => e.role))]);
    if (mine.size > 0) this.knownChanged = true;
    // Keys no longer due cannot be selected again, so the cache keeps only the current ones.
    for (const k of this.known.keys())
      if (!candidates.has(k)) {
        this.known.delete(k);
        this.knownChanged = true;
      }
    // Written after the markers: the summary lists only what is recorded, so the next process
    // (after a restart, or another replica) reads one value instead of every marker.
    if (this.knownChanged) {
      try {
        await this.options.store.putRecordedSummary(this.known);
        this.knownChanged = false;
      } catch (error) {
        // Only a shortcut for the next process: what is due was recorded, so the sweep goes on.
        const e = toAppError(error);
        this.options.logger?.warn(
          { code: e.code, err: e.cause ?? e },
          'could not write the summary of recorded reminders; the next process reads them one by one',
        );
      }
    }
    return { fresh: items.length, enqueued: added.length };
  }

  private backoff(attempt: number): number {
    const { base, max } = this.options.backoffMs ?? DEFAULT_BACKOFF_MS;
    return Math.min(max, base * 2 ** Math.max(0, attempt - 1));
  }

  private get leaseMs(): number {
    return this.options.leaseMs ?? DEFAULT_LEASE_MS;
  }

  /** The live clock (ms): leases, retry times and rate limits are measured on it, not on `at`. */
  private clock(): number {
    return this.now().getTime();
  }

  /**
   * Delivers what the outbox holds. `at` is the instant the sweep selected for (it decides what
   * the messages say); everything about time passing during the pass (when a claim is made, how
   * long its lease runs, when a failed attempt may be retried, whether a recipient is in working
   * hours now) is read from the clock when it happens, because a pass against a slow platform can
   * take longer than a lease.
   */
  private async deliverNow(at: Date): Promise<Omit<SweepReport, 'at' | 'due' | 'enqueued'>> {
    const report = { sent: 0, retried: 0, dropped: 0, failed: 0, waiting: 0 };
    const channel = this.options.channel;
    this.nextRetryAt = undefined;
    if (!channel) return report;
    const pending = await this.options.store.pending(this.options.maxPerPass ?? 500);
    const wait = (until: number) => {
      report.waiting++;
      this.nextRetryAt = Math.min(this.nextRetryAt ?? until, until);
    };
    for (const p of pending) {
      const now = this.clock();
      // A first look at what the pass read when it started; a fresh one right before claiming.
      const early = this.gate(p.last, now);
      if (early !== undefined) {
        wait(early);
        continue;
      }
      if (p.entry.workHours && !this.inWindow(p.entry, now)) {
        report.waiting++;
        continue;
      }
      const paused = await this.pausedUntil(p.entry, at, now);
      if (paused !== undefined) {
        wait(paused);
        continue;
      }
      if (await this.heldForChannel(p.entry, at)) {
        report.waiting++;
        continue;
      }
      // The pending list may be seconds old by now: a lease renewed, an attempt claimed or a
      // delivery finished by another replica since then must not be taken for a dead claim.
      const fresh = await this.options.store.latest(p.entry.seq, p.attempts);
      if (fresh.done) continue;
      const gate = fresh.taken ? now + this.leaseMs : this.gate(fresh.last, this.clock());
      if (gate !== undefined) {
        wait(gate);
        continue;
      }
      const outcome = await this.attempt(p.entry, p.attempts + 1, at, channel);
      switch (outcome.kind) {
        case 'taken':
          report.waiting++;
          break;
        case 'done':
          break;
        case 'retried':
          report.retried++;
          wait(outcome.retryAt);
          break;
        default:
          report[outcome.kind]++;
      }
    }
    return report;
  }

  /**
   * Attempt `n` of an entry: claimed, held while it lasts, recorded. The claim is a lease counted
   * from the moment it is made and renewed while the message is composed and sent, so a replica
   * that is alive never has it taken over, however slow the platform or long its pass.
   */
  private async attempt(
    entry: OutboxEntry,
    n: number,
    at: Date,
    channel: ReminderChannel,
  ): Promise<
    { kind: 'sent' | 'dropped' | 'failed' | 'taken' | 'done' } | { kind: 'retried'; retryAt: number }
  > {
    const store = this.options.store;
    const claimedAt = this.clock();
    const claim: Attempt = {
      by: this.replica,
      at: new Date(claimedAt).toISOString(),
      leaseUntil: new Date(claimedAt + this.leaseMs).toISOString(),
    };
    if (!(await store.claim(entry.seq, n, claim))) return { kind: 'taken' };
    const lease = this.holdLease(entry.seq, n, claim);
    let result: DeliveryResult | { drop: string };
    try {
      // Finished by another replica between the fresh look and the claim: nothing to do.
      if (await store.isDone(entry.seq)) return { kind: 'done' };
      // Checked after the claim, right before sending: the request may have changed since.
      const composed = await this.compose(entry, at);
      if ('drop' in composed) result = composed;
      else {
        try {
          result = await channel.deliver(composed.message);
        } catch (error) {
          result = { ok: false, retryable: true, code: (error as Error).name || 'error' };
        }
      }
    } finally {
      // Renewals end before the outcome is written, so none can overwrite it.
      await lease.release();
    }
    const finishedAt = this.clock();
    const stamp = { at: new Date(finishedAt).toISOString(), by: this.replica };
    if ('drop' in result) {
      await store.finish(entry.seq, { outcome: 'dropped', ...stamp, reason: result.drop });
      return { kind: 'dropped' };
    }
    if (result.ok) {
      await store.finish(entry.seq, {
        outcome: 'sent',
        ...stamp,
        ...(result.ref ? { ref: result.ref } : {}),
      });
      return { kind: 'sent' };
    }
    if (!result.retryable) {
      await store.finish(entry.seq, { outcome: 'failed', ...stamp, reason: result.code });
      this.options.logger?.error(
        { code: 'UPSTREAM', channel: channel.name, platformError: result.code, entry: entry.seq },
        'a reminder could not be delivered',
      );
      return { kind: 'failed' };
    }
    // Counted from the failure, not from the claim or the pass: the platform's Retry-After, else
    // the backoff for this attempt.
    const retryAt = finishedAt + (result.retryAfterMs ?? this.backoff(n));
    await store.failAttempt(entry.seq, n, {
      ...claim,
      leaseUntil: lease.until(),
      failed: { at: stamp.at, nextAt: new Date(retryAt).toISOString(), code: result.code },
    });
    // A rate limit or an outage applies to every message to that platform: they wait too. A
    // Retry-After is the platform's word to every replica (they share one app and its limits), so
    // it is recorded for them; a backoff is this replica's own guess.
    const platform = result.platform ?? channel.name;
    this.paused.set(platform, Math.max(this.paused.get(platform) ?? 0, retryAt));
    if (result.retryAfterMs !== undefined) await store.pause(platform, retryAt, finishedAt);
    return { kind: 'retried', retryAt };
  }

  /**
   * Keeps a claim alive while its attempt runs: the lease is renewed every
   * {@link RENEWALS_PER_LEASE}th of its length. `release` stops the renewals and waits for one in
   * flight, so the attempt's outcome is always written after the last renewal.
   */
  private holdLease(seq: number, n: number, claim: Attempt): { release(): Promise<void>; until(): string } {
    let leaseUntil = claim.leaseUntil;
    let renewing: Promise<void> = Promise.resolve();
    let released = false;
    const timer = setInterval(() => {
      renewing = renewing.then(async () => {
        if (released) return;
        const until = new Date(this.clock() + this.leaseMs).toISOString();
        try {
          await this.options.store.renew(seq, n, { ...claim, leaseUntil: until });
          leaseUntil = until;
        } catch (error) {
          // The lease still runs to its last renewal; a store that stays down loses the claim,
          // which is the stall docs/reminders.md describes (one duplicate at most).
          const e = toAppError(error);
          this.options.logger?.warn({ code: e.code, entry: seq }, 'could not renew a delivery claim');
        }
      });
    }, this.leaseMs / RENEWALS_PER_LEASE);
    timer.unref();
    return {
      async release() {
        released = true;
        clearInterval(timer);
        await renewing;
      },
      until: () => leaseUntil,
    };
  }

  /**
   * True when the entry is for the privacy channel and none is configured: it stays in the outbox,
   * unclaimed, for a sweep after a channel is set (composing only reads; an entry to drop is not held).
   */
  private async heldForChannel(entry: OutboxEntry, at: Date): Promise<boolean> {
    if (this.options.privacyChannel !== false) return false;
    const composed = await this.compose(entry, at);
    return !('drop' in composed) && composed.message.to.kind === 'channel';
  }

  /**
   * Until when a platform this entry goes to asked to be left alone, or undefined when none did:
   * this replica's own pauses and the Retry-After other replicas recorded.
   */
  private async pausedUntil(entry: OutboxEntry, at: Date, now: number): Promise<number | undefined> {
    const shared = await this.options.store.pauses();
    const paused = new Map<string, number>();
    for (const source of [this.paused, shared])
      for (const [platform, until] of source)
        if (until > now) paused.set(platform, Math.max(paused.get(platform) ?? 0, until));
    if (paused.size === 0) return undefined;
    const channel = this.options.channel!;
    // Only while something is paused is the destination worked out ahead of the claim (composing
    // reads the request; nothing is written). An entry that will be dropped waits for nothing.
    const composed = await this.compose(entry, at);
    if ('drop' in composed) return undefined;
    const platforms = channel.platforms?.(composed.message.to) ?? [channel.name];
    const until = Math.max(0, ...platforms.map((p) => paused.get(p) ?? 0));
    return until > now ? until : undefined;
  }
  /** True while the entry's recipient may have it: their working hours, or the due day's window. */
  private inWindow(entry: OutboxEntry, now: number): boolean {
    const at = new Date(now);
    const local = localTime(at, entry.timeZone);
    const { hours } = this.options;
    return entry.dueDay
      ? dueDayOpen(local, localTime(at, this.options.timeZone), hours)
      : isWorkingTime(local, hours);
  }

  /** Undefined when the attempt after `last` may be claimed now, else the instant it may be. */
  private gate(last: Attempt | undefined, now: number): number | undefined {
    if (!last) return undefined;
    // A failed attempt waits for its retry time; an unfinished one is presumed in flight until its
    // lease ends, after which its claimer is presumed dead and anyone may take it over.
    const until = Date.parse(last.failed ? last.failed.nextAt : last.leaseUntil);
    return now >= until ? undefined : until;
  }

  /** The message for an entry from the current state, or why it is no longer valid. */
  private async compose(
    entry: OutboxEntry,
    at: Date,
  ): Promise<{ message: ReminderMessage } | { drop: string }> {
    const base = { id: String(entry.seq), reminderKey: entry.key, role: entry.role };
    if (entry.kind === 'digest') {
      if (!entry.digest) return { drop: 'digest without content' };
      return {
        message: { ...base, to: { kind: 'channel' }, reply: digestReply(entry.digest, this.addressForm) },
      };
    }
    let request: RequestState;
    try {
      request = await this.options.register.get(entry.requestId ?? '');
    } catch (error) {
      if (error instanceof AppError && (error.code === 'NOT_FOUND' || error.code === 'INVALID_INPUT'))
        return { drop: 'request not found' };
      throw error;
    }
    if (!RUNNING_SET.has(request.status)) return { drop: `request ${request.status}` };
    if (entry.kind === 'unassigned') {
      if (request.owner !== null) return { drop: 'request assigned' };
    } else if (!request.deadlines.deadlines.some((d) => d.kind === entry.deadline && d.due === entry.due)) {
      return { drop: 'deadline changed' };
    }
    // Days are counted on the team's calendar, as when the reminder was selected.
    const today = todayIn(at, this.options.timeZone);
    if (entry.kind === 'before') {
      const snoozes = await this.options.store.snoozes([request.id]);
      if (isSnoozed(request.id, snoozes, at)) return { drop: 'snoozed' };
      // A copy that waited for its recipient's hours until the due day came says nothing the due
      // day's own reminder does not.
      if (entry.due !== null && entry.due <= today) return { drop: 'the due day has come' };
    }
    // Likewise a due-day copy once the day is over: the overdue escalation takes over.
    if (entry.kind === 'due-today' && entry.due !== null && entry.due < today)
      return { drop: 'the due day is over' };
    const subject = { kind: entry.kind as Reminder['kind'], deadline: entry.deadline, due: entry.due };
    const reply = reminderReply(subject, request, today, entry.role, this.options.timeZone, this.addressForm);
    switch (entry.role) {
      case 'owner': {
        // Asked again now: the request may have been reassigned, or its owner lost the chat with
        // the bot (a Teams uninstall), since the reminder was recorded.
        const owner = await this.addressOf(request.owner);
        if (owner) return { message: { ...base, to: { kind: 'user', address: owner }, reply } };
        // Nobody to message: the channel copy (if any) covers it, else this message goes there,
        // naming the owner, so an unreachable owner's reminder is never lost.
        if (entry.alsoChannel) return { drop: 'owner cannot be messaged; the channel was told' };
        return { message: { ...base, to: { kind: 'channel' }, reply } };
      }
      case 'lead':
        if (!this.options.lead) return { drop: 'no privacy lead configured' };
        return { message: { ...base, to: { kind: 'user', address: this.options.lead }, reply } };
      case 'channel': {
        // An owner written as an address is mentioned (Slack renders mentions of its own ids only);
        // other owners are named in the text.
        const mention = request.owner === null ? null : this.addressForm(request.owner);
        return { message: { ...base, to: { kind: 'channel' }, reply, ...(mention ? { mention } : {}) } };
      }
    }
  }

  /** Snoozes a request's before-deadline reminders (the snooze button). */
  async snooze(requestId: string, now: Date): Promise<Date> {
    const until = new Date(now.getTime() + (this.options.snoozeHours ?? 24) * 3_600_000);
    await this.options.store.snooze(requestId, until);
    return until;
  }
}
