/**
 * Keys of deliveries already handled (a signed request, an event id, a submitted form), shared by
 * every replica and kept across restarts, each for a limited time. Channels use it so that the
 * same delivery sent to two replicas, or replayed after a restart, is handled once.
 */
export interface SeenKeys {
  /** Records `key` (with `value`) for `ttlMs`; false when it is recorded already and not expired. */
  claim(key: string, ttlMs: number, value?: unknown): Promise<boolean>;
  /** Replaces the value of a key (a form's "being submitted" by the request it logged), with a new expiry. */
  put(key: string, value: unknown, ttlMs: number): Promise<void>;
  /** The value recorded under `key`, or undefined when there is none (or it expired). */
  get(key: string): Promise<unknown>;
  /** Forgets a key, so the delivery can be handled again (after a failure the person can fix). */
  release(key: string): Promise<void>;
  /** The keys recorded under `prefix` (some may have expired); absent where they cannot be listed. */
  keys?(prefix: string): Promise<string[]>;
}
