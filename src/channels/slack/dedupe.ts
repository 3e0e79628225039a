import type { SeenKeys } from '../../core/dedupe.js';

/**
 * A bounded set of recently seen keys, each forgotten after `ttlMs`. Used for request signatures
 * (replays), event ids and trigger ids (Slack retries), and submitted modal views (double
 * submits). In-process: a first, free check in front of the shared {@link SeenKeys}, which is what
 * makes a delivery sent to two replicas, or replayed after a restart, count once.
 */
export class RecentKeys {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly max = 50_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records the key; false when it was already seen within the TTL. */
  add(key: string): boolean {
    const now = this.now();
    const expiry = this.seen.get(key);
    if (expiry !== undefined && expiry > now) return false;
    if (expiry !== undefined) this.seen.delete(key);
    this.seen.set(key, now + this.ttlMs);
    this.evict(now);
    return true;
  }

  has(key: string): boolean {
    const expiry = this.seen.get(key);
    return expiry !== undefined && expiry > this.now();
  }

  delete(key: string): void {
    this.seen.delete(key);
  }

  get size(): number {
    return this.seen.size;
  }

  private evict(now: number): void {
    // Insertion order is expiry order (every key has the same TTL): drop from the front.
    for (const [key, expiry] of this.seen) {
      if (expiry > now && this.seen.size <= this.max) break;
      this.seen.delete(key);
    }
  }
}

/**
 * {@link SeenKeys} within one process, for a channel built without a store (unit tests, a single
 * process that keeps nothing): the same contract, forgotten on restart.
 */
export class LocalSeenKeys implements SeenKeys {
  private readonly values = new Map<string, { value: unknown; expires: number }>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly max = 100_000,
  ) {}

  async claim(key: string, ttlMs: number, value: unknown = 1): Promise<boolean> {
    const now = this.now();
    const held = this.values.get(key);
    if (held && held.expires > now) return false;
    this.values.delete(key);
    this.values.set(key, { value, expires: now + ttlMs });
    // Oldest first: drop expired keys, and the oldest when over the bound.
    for (const [k, v] of this.values) {
      if (v.expires > now && this.values.size <= this.max) break;
      this.values.delete(k);
    }
    return true;
  }

  async put(key: string, value: unknown, ttlMs: number): Promise<void> {
    this.values.delete(key);
    this.values.set(key, { value, expires: this.now() + ttlMs });
  }

  async get(key: string): Promise<unknown> {
    const held = this.values.get(key);
    return held && held.expires > this.now() ? held.value : undefined;
  }

  async release(key: string): Promise<void> {
    this.values.delete(key);
  }
}
