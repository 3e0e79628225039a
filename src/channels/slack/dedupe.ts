/**
 * A bounded set of recently seen keys, each forgotten after `ttlMs`. Used for request signatures
 * (replays), event ids and trigger ids (Slack retries), and submitted modal views (double
 * submits). In-process: one instance per process, which is what Slack's retry window (three
 * retries within about five minutes, docs.slack.dev/apis/events-api#retries) needs.
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
