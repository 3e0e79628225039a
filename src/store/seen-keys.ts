import type { SeenKeys } from '../core/dedupe.js';
import { AppError } from '../core/errors.js';
import { type Backend, openBackend } from './backends.js';

/** Expired keys are swept from SQL tables once every this many claims (Redis expires its own). */
const SWEEP_EVERY = 1_000;

/**
 * {@link SeenKeys} in the register's backend, under a namespace of its own (a table
 * `register_dedupe` in SQLite and Postgres, a key prefix in Redis): every replica sees the same
 * keys, and they outlive a restart. A claim is the backend's atomic put-if-absent with an expiry
 * (`Backend.claim`), so two replicas given the same delivery cannot both win it.
 */
export class BackendSeenKeys implements SeenKeys {
  private claims = 0;

  constructor(
    private readonly backend: Backend,
    private readonly now: () => number = Date.now,
  ) {}

  private key(name: string): string {
    return `${this.backend.prefix}seen:${name}`;
  }

  private async io<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw new AppError(
        'STORE',
        `The ${this.backend.kind} store failed while checking for a repeated delivery.`,
        {
          cause: error,
        },
      );
    }
  }

  async claim(key: string, ttlMs: number, value: unknown = 1): Promise<boolean> {
    const now = this.now();
    if (++this.claims % SWEEP_EVERY === 0) {
      // Housekeeping off the request's path; a failure only leaves expired rows for next time.
      void this.backend.deleteExpired(this.key(''), now).catch(() => undefined);
    }
    return this.io(() => this.backend.claim(this.key(key), value, ttlMs, now));
  }

  async put(key: string, value: unknown, ttlMs: number): Promise<void> {
    // One atomic overwrite: the key is never absent in between, so a repeated delivery arriving
    // meanwhile on another replica still finds it taken (a delete then a claim let one through).
    await this.io(() => this.backend.replace(this.key(key), value, ttlMs, this.now()));
  }

  async get(key: string): Promise<unknown> {
    return this.io(() => this.backend.keyv.get(this.key(key)));
  }

  async release(key: string): Promise<void> {
    await this.io(() => this.backend.keyv.delete(this.key(key)));
  }

  async keys(prefix: string): Promise<string[]> {
    const base = this.key('');
    const found = await this.io(() => this.backend.keys(this.key(prefix)));
    return found.map((k) => k.slice(base.length));
  }

  async close(): Promise<void> {
    await this.backend.close();
  }
}

/** Opens the shared dedupe keys next to the register (`PRIVACY_OPS_STORE`). */
export async function openSeenKeys(url: string): Promise<BackendSeenKeys> {
  return new BackendSeenKeys(await openBackend(url, { namespace: 'dedupe' }));
}
