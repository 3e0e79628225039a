import { hostname } from 'node:os';
import { Cron } from 'croner';
import { toAppError } from '../errors.js';
import { backoff, DEFAULT_LEASE_MS, gate, holdLease, inWindow } from './attempts.js';
import { type Composed, compose } from './compose.js';
import type { DeliveryResult, ReminderChannel } from './delivery.js';
import { describeEntry, type PlannedMessage } from './planned-entries.js';
import { ownerAddress } from './recipients.js';
import { RecordedKeys } from './recorded.js';
import type { SchedulerOptions, SweepReport } from './scheduler-options.js';
import { type AddressForm, noAddressForm, remindersDue } from './select.js';
import type { Attempt, OutboxEntry } from './store.js';
import { SweepSelection } from './sweep-selection.js';

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

export type { PlannedMessage } from './planned-entries.js';
export type { SchedulerLogger, SchedulerOptions, SweepReport } from './scheduler-options.js';

/** How one attempt ended, for the pass's report. */
type AttemptOutcome =
  | { kind: 'sent' | 'dropped' | 'failed' | 'taken' | 'done' }
  | { kind: 'retried'; retryAt: number };

export class Scheduler {
  private readonly now: () => Date;
  private readonly replica: string;
  private readonly addressForm: AddressForm;
  /** The reminder keys known recorded, and for whom. */
  private readonly recorded: RecordedKeys;
  /** What each sweep records. */
  private readonly selection: SweepSelection;
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
    this.recorded = new RecordedKeys(options.store, options.logger);
    this.selection = new SweepSelection(options, this.recorded, (owner) => this.addressOf(owner));
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
    const { items } = await this.selection.select(at);
    return items.flatMap(({ key, entries }) => entries.map((e) => describeEntry(key, e, this.options.lead)));
  }

  /** The address an owner is messaged at now, or null when they cannot be ({@link ownerAddress}). */
  private addressOf(owner: string | null): Promise<string | null> {
    return ownerAddress(owner, this.options.channel, this.addressForm);
  }

  private async enqueue(at: Date): Promise<{ fresh: number; enqueued: number }> {
    const { items, candidates } = await this.selection.select(at);
    if (!this.options.channel) return { fresh: items.length, enqueued: 0 };
    const added = await this.options.store.enqueue(
      items.map(({ key, entries }) => ({
        key,
        entries: entries.map(({ ownerName: _name, ownerAddress: _address, ...e }) => e),
      })),
      at,
    );
    this.recorded.update(items, added, candidates);
    await this.recorded.writeSummary();
    return { fresh: items.length, enqueued: added.length };
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
      const early = gate(p.last, now);
      if (early !== undefined) {
        wait(early);
        continue;
      }
      if (p.entry.workHours && !inWindow(p.entry, now, this.options.hours, this.options.timeZone)) {
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
      const claimableAt = fresh.taken ? now + this.leaseMs : gate(fresh.last, this.clock());
      if (claimableAt !== undefined) {
        wait(claimableAt);
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
  ): Promise<AttemptOutcome> {
    const store = this.options.store;
    const claimedAt = this.clock();
    const claim: Attempt = {
      by: this.replica,
      at: new Date(claimedAt).toISOString(),
      leaseUntil: new Date(claimedAt + this.leaseMs).toISOString(),
    };
    if (!(await store.claim(entry.seq, n, claim))) return { kind: 'taken' };
    const lease = holdLease(entry.seq, n, claim, {
      store,
      leaseMs: this.leaseMs,
      clock: () => this.clock(),
      logger: this.options.logger,
    });
    let result: DeliveryResult | { drop: string };
    try {
      // Finished by another replica between the fresh look and the claim: nothing to do.
      if (await store.isDone(entry.seq)) return { kind: 'done' };
      result = await this.send(entry, at, channel);
    } finally {
      // Renewals end before the outcome is written, so none can overwrite it.
      await lease.release();
    }
    return this.settle(entry, n, { ...claim, leaseUntil: lease.until() }, result, channel);
  }

  /** Composes the entry's message (checked after the claim, right before sending) and sends it. */
  private async send(
    entry: OutboxEntry,
    at: Date,
    channel: ReminderChannel,
  ): Promise<DeliveryResult | { drop: string }> {
    // Checked after the claim, right before sending: the request may have changed since.
    const composed = await this.compose(entry, at);
    if ('drop' in composed) return composed;
    try {
      return await channel.deliver(composed.message);
    } catch (error) {
      return { ok: false, retryable: true, code: (error as Error).name || 'error' };
    }
  }

  /** Records how attempt `n` (made under `claim`, as last renewed) ended. */
  private async settle(
    entry: OutboxEntry,
    n: number,
    claim: Attempt,
    result: DeliveryResult | { drop: string },
    channel: ReminderChannel,
  ): Promise<AttemptOutcome> {
    const store = this.options.store;
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
    const retryAt = finishedAt + (result.retryAfterMs ?? backoff(n, this.options.backoffMs));
    await store.failAttempt(entry.seq, n, {
      ...claim,
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

  /** The message for an entry from the current state, or why it is no longer valid ({@link compose}). */
  private compose(entry: OutboxEntry, at: Date): Promise<Composed> {
    return compose(entry, at, {
      register: this.options.register,
      store: this.options.store,
      timeZone: this.options.timeZone,
      ...(this.options.lead ? { lead: this.options.lead } : {}),
      addressForm: this.addressForm,
      addressOf: (owner) => this.addressOf(owner),
    });
  }

  /** Snoozes a request's before-deadline reminders (the snooze button). */
  async snooze(requestId: string, now: Date): Promise<Date> {
    const until = new Date(now.getTime() + (this.options.snoozeHours ?? 24) * 3_600_000);
    await this.options.store.snooze(requestId, until);
    return until;
  }
}
