/**
 * The reminder keys a scheduler knows are recorded in the outbox, with the roles they were recorded
 * for: read from the store's summary once per process, then key by key, and written back as the
 * summary after each sweep.
 */
import { toAppError } from '../errors.js';
import type { SchedulerLogger } from './scheduler-options.js';
import type { Role } from './select.js';
import type { ReminderStore } from './store.js';

export class RecordedKeys {
  /**
   * Reminder keys known recorded, with the roles they were recorded for; pruned to what is still
   * due, so it stays small.
   */
  private readonly known = new Map<string, readonly Role[]>();
  /** Whether {@link known} was seeded from the stored summary (once per process). */
  private summaryRead = false;
  /** Whether {@link known} changed since the summary was last written. */
  private knownChanged = false;

  constructor(
    private readonly store: ReminderStore,
    private readonly logger: SchedulerLogger | undefined,
  ) {}

  has(key: string): boolean {
    return this.known.has(key);
  }

  /** The roles `key` was recorded for, or undefined when it is not known recorded. */
  roles(key: string): readonly Role[] | undefined {
    return this.known.get(key);
  }

  /** Reads which of `keys` are recorded (and for whom) into {@link known}. */
  async learn(keys: string[]): Promise<void> {
    if (!this.summaryRead) {
      // A fresh process starts from the last sweep's summary rather than one read per reminder.
      this.summaryRead = true;
      const summary = await this.store.recordedSummary();
      for (const k of keys) {
        const roles = summary.get(k);
        if (roles) this.known.set(k, roles);
      }
    }
    const unknown = keys.filter((k) => !this.known.has(k));
    if (unknown.length === 0) return;
    for (const [k, roles] of await this.store.recordedRoles(unknown)) {
      this.known.set(k, roles);
      this.knownChanged = true;
    }
  }

  /**
   * After an enqueue: what this replica recorded (`added`, of `items`) is known with its roles; what
   * another replica recorded first is read from the store at the next sweep (its roles may differ
   * from this replica's plan). Keys no longer due (not in `candidates`) cannot be selected again, so
   * only the current ones are kept.
   */
  update(
    items: ReadonlyArray<{ key: string; entries: ReadonlyArray<{ role: Role }> }>,
    added: readonly string[],
    candidates: ReadonlySet<string>,
  ): void {
    const mine = new Set(added);
    for (const item of items)
      if (mine.has(item.key)) this.known.set(item.key, [...new Set(item.entries.map((e) => e.role))]);
    if (mine.size > 0) this.knownChanged = true;
    for (const k of this.known.keys())
      if (!candidates.has(k)) {
        this.known.delete(k);
        this.knownChanged = true;
      }
  }

  /**
   * Writes the summary when it changed, after the markers: the summary lists only what is recorded,
   * so the next process (after a restart, or another replica) reads one value instead of every marker.
   */
  async writeSummary(): Promise<void> {
    if (!this.knownChanged) return;
    try {
      await this.store.putRecordedSummary(this.known);
      this.knownChanged = false;
    } catch (error) {
      // Only a shortcut for the next process: what is due was recorded, so the sweep goes on.
      const e = toAppError(error);
      this.logger?.warn(
        { code: e.code, err: e.cause ?? e },
        'could not write the summary of recorded reminders; the next process reads them one by one',
      );
    }
  }
}
