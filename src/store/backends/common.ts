/** What every storage backend shares: the {@link Backend} contract and keyv's value envelope. */
import { Keyv } from 'keyv';
import { UnreadableValue } from '../../core/requests/store.js';

/**
 * The storage backends behind the register: a Keyv instance for plain reads, writes and deletes,
 * plus the few operations keyv cannot express, done with the backend's own atomic statement:
 *
 * - `insertAll`: put-if-absent of several keys, all or nothing. SQLite and Postgres run one plain
 *   multi-row INSERT (a unique-key violation aborts the whole statement); Redis runs MSETNX.
 * - `putMany`: one round trip for many upserts (keyv's fallback is one write per key).
 * - `maxKey`: the greatest key with a prefix, so `verify` can see past a hole in the log.
 * - `keys`: every key with a prefix, so records nothing refers to can be found.
 * - `claim`: put-if-absent with an expiry (a key whose expiry has passed counts as absent), for
 *   deduplication keys that every replica sees and that outlive a restart.
 * - `replace`: an upsert with an expiry in one statement, so a claimed key is never absent while
 *   its value changes (a delete followed by a claim let another replica's claim in between).
 *
 * Each backend loads its driver on first use, so a SQLite register does not pay for pg and redis.
 *
 * Values written here use the same envelope as keyv (`{"value": ...}` through JSON), so keyv
 * reads them back like its own.
 */
export interface Backend {
  readonly kind: 'sqlite' | 'postgres' | 'redis' | 'memory';
  readonly keyv: Keyv;
  /** Prepended to every key: Redis shares one key space, SQL backends have a table each. */
  readonly prefix: string;
  /** Writes every entry or none; false when any key already exists. */
  insertAll(entries: Array<{ key: string; value: unknown }>): Promise<boolean>;
  putMany(entries: Array<{ key: string; value: unknown }>): Promise<void>;
  maxKey(prefix: string): Promise<string | undefined>;
  /** Every key that starts with `prefix`, in no particular order. */
  keys(prefix: string): Promise<string[]>;
  /**
   * Writes `value` under `key` unless the key holds a value that has not expired; true when
   * written. The value expires `ttlMs` after `nowMs` (keyv's own `expires` envelope field, so keyv
   * reads treat it as gone afterwards). Expired keys under `sweepPrefix` are deleted now and then.
   */
  claim(key: string, value: unknown, ttlMs: number, nowMs: number): Promise<boolean>;
  /** Writes `value` under `key` whatever it held, expiring `ttlMs` after `nowMs`, in one atomic step. */
  replace(key: string, value: unknown, ttlMs: number, nowMs: number): Promise<void>;
  /** Deletes keys under `prefix` whose expiry is before `nowMs` (SQL backends keep them otherwise). */
  deleteExpired(prefix: string, nowMs: number): Promise<number>;
  /** Deletes everything this backend instance holds (its table or its key prefix); for tests. */
  drop(): Promise<void>;
  close(): Promise<void>;
}

export interface BackendOptions {
  /** Separates registers sharing one database: a table suffix for SQL, a key prefix for Redis. */
  namespace?: string;
  /** How long SQLite waits for another process's write lock before failing (ms). */
  busyTimeoutMs?: number;
}

export const envelope = (value: unknown, expires?: number) =>
  JSON.stringify(expires === undefined ? { value } : { value, expires });

/**
 * keyv's deserializer, tolerant of one damaged row: a value that is not JSON, or not in keyv's
 * `{"value": ...}` envelope, is read as an {@link UnreadableValue} saying what is wrong, instead
 * of failing every read that includes it (a batch of log entries, say).
 */
export function deserialize(data: unknown): { value: unknown; expires?: number } | undefined {
  if (typeof data !== 'string') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    // Not the parser's message: V8 quotes the text it failed on, which may be personal data.
    return { value: new UnreadableValue(`the stored value is not valid JSON (${data.length} characters)`) };
  }
  if (typeof parsed !== 'object' || parsed === null || !('value' in parsed))
    return { value: new UnreadableValue('the stored value is not in the store\'s {"value": ...} envelope') };
  return parsed as { value: unknown; expires?: number };
}

export function newKeyv(store: ConstructorParameters<typeof Keyv>[0]): Keyv {
  // No keyv namespace: keys are exactly what the register store builds, so each backend's raw
  // statements address the same rows. Plain JSON instead of keyv's colon-escaping serializer, for
  // the same reason.
  const keyv = new Keyv(store as never, {
    namespace: undefined,
    useKeyPrefix: false,
    serialize: (data) => JSON.stringify(data),
    deserialize: deserialize as never,
    throwOnErrors: true,
  });
  // Failures surface as thrown errors (throwOnErrors); an 'error' event with no listener would crash.
  keyv.on('error', () => {});
  return keyv;
}

export function tableName(namespace: string | undefined): string {
  const suffix = (namespace ?? '').toLowerCase().replace(/[^a-z0-9_]/g, '_');
  return suffix ? `register_${suffix}` : 'register';
}

export function prefixUpperBound(prefix: string): string {
  // The smallest string greater than every string starting with `prefix`.
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}
