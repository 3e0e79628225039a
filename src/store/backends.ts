import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Keyv } from 'keyv';
import { AppError } from '../core/errors.js';
import { UnreadableValue } from '../core/requests/store.js';

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

const envelope = (value: unknown, expires?: number) =>
  JSON.stringify(expires === undefined ? { value } : { value, expires });

/**
 * keyv's deserializer, tolerant of one damaged row: a value that is not JSON, or not in keyv's
 * `{"value": ...}` envelope, is read as an {@link UnreadableValue} saying what is wrong, instead
 * of failing every read that includes it (a batch of log entries, say).
 */
function deserialize(data: unknown): { value: unknown; expires?: number } | undefined {
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

function newKeyv(store: ConstructorParameters<typeof Keyv>[0]): Keyv {
  // No keyv namespace: keys are exactly what the register store builds, so the raw statements
  // below address the same rows. Plain JSON instead of keyv's colon-escaping serializer, for the
  // same reason.
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

function tableName(namespace: string | undefined): string {
  const suffix = (namespace ?? '').toLowerCase().replace(/[^a-z0-9_]/g, '_');
  return suffix ? `register_${suffix}` : 'register';
}

function prefixUpperBound(prefix: string): string {
  // The smallest string greater than every string starting with `prefix`.
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

/**
 * Creates the folder of the SQLite file one level at a time. Not `mkdirSync(..., { recursive: true })`:
 * under /proc (where mkdir answers ENOENT for a parent that exists) Node's recursive mkdir retries
 * for ever at full CPU, and a file in the way comes back as a bare "EEXIST ... mkdir".
 */
function ensureFolder(folder: string): void {
  const fix = 'set PRIVACY_OPS_STORE to a file in a folder that exists or can be created';
  const missing: string[] = [];
  for (let d = folder; ; d = dirname(d)) {
    let isFolder: boolean | undefined;
    try {
      isFolder = statSync(d).isDirectory();
    } catch {
      isFolder = undefined;
    }
    if (isFolder === false)
      throw new AppError(
        'STORE',
        `Cannot open the register store (sqlite): ${d} is a file, not a folder; ${fix}.`,
      );
    if (isFolder) break;
    missing.unshift(d);
    if (dirname(d) === d) break;
  }
  for (const d of missing) {
    try {
      mkdirSync(d);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      if (code === 'EEXIST') continue;
      throw new AppError(
        'STORE',
        `Cannot open the register store (sqlite): the folder ${d} cannot be created (${code}); ${fix}.`,
        {
          cause: error,
        },
      );
    }
  }
}

/** SQLite in one file, WAL mode so readers do not block the writer across processes. */
export async function sqliteBackend(path: string, options: BackendOptions = {}): Promise<Backend> {
  if (path !== ':memory:') ensureFolder(dirname(resolve(path)));
  const table = tableName(options.namespace);
  const { KeyvSqlite } = await import('@keyv/sqlite');
  const adapter = new KeyvSqlite({
    uri: `sqlite://${path}`,
    table,
    busyTimeout: options.busyTimeoutMs ?? 15_000,
  });
  adapter.on('error', () => {});
  const query = adapter.query as (
    sql: string,
    ...params: unknown[]
  ) => Promise<Array<Record<string, unknown>>>;
  // WAL lets a second process read while one writes; busy_timeout makes writers queue, not fail.
  await query('PRAGMA journal_mode=WAL');
  const pack = (entries: Array<{ key: string; value: unknown }>) =>
    JSON.stringify(entries.map((e) => [e.key, envelope(e.value)]));
  const select = `SELECT json_extract(j.value, '$[0]'), json_extract(j.value, '$[1]') FROM json_each(?) AS j`;
  let closed = false;
  return {
    kind: 'sqlite',
    prefix: '',
    keyv: newKeyv(adapter),
    async insertAll(entries) {
      try {
        await query(`INSERT INTO ${table} (key, value) ${select}`, pack(entries));
        return true;
      } catch (error) {
        if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT') return false;
        throw error;
      }
    },
    async putMany(entries) {
      // `WHERE true` resolves SQLite's parsing ambiguity between a SELECT's join and ON CONFLICT.
      await query(
        `INSERT INTO ${table} (key, value) ${select} WHERE true ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
        pack(entries),
      );
    },
    async maxKey(prefix) {
      const rows = await query(
        `SELECT max(key) AS k FROM ${table} WHERE key >= ? AND key < ?`,
        prefix,
        prefixUpperBound(prefix),
      );
      return (rows[0]?.k as string | null) ?? undefined;
    },
    async keys(prefix) {
      const rows = await query(
        `SELECT key AS k FROM ${table} WHERE key >= ? AND key < ?`,
        prefix,
        prefixUpperBound(prefix),
      );
      return rows.map((r) => r.k as string);
    },
    async claim(key, value, ttlMs, nowMs) {
      // One statement: insert, or take over a key whose expiry has passed; RETURNING says which.
      const rows = await query(
        `INSERT INTO ${table} (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value
         WHERE coalesce(json_extract(${table}.value, '$.expires'), 9e18) < ? RETURNING key`,
        key,
        envelope(value, nowMs + ttlMs),
        nowMs,
      );
      return rows.length === 1;
    },
    async replace(key, value, ttlMs, nowMs) {
      await query(
        `INSERT INTO ${table} (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
        key,
        envelope(value, nowMs + ttlMs),
      );
    },
    async deleteExpired(prefix, nowMs) {
      const rows = await query(
        `DELETE FROM ${table} WHERE key >= ? AND key < ? AND json_extract(value, '$.expires') < ? RETURNING key`,
        prefix,
        prefixUpperBound(prefix),
        nowMs,
      );
      return rows.length;
    },
    async drop() {
      await query(`DELETE FROM ${table}`);
    },
    async close() {
      if (closed) return;
      closed = true;
      await adapter.disconnect();
    },
  };
}

// @keyv/postgres keeps one pool per process (per URI) and ends it on disconnect, failing on a
// second end: count the open stores so the pool is ended once, by the last one.
const postgresUsers = new Map<string, number>();

// pg's pool.query destroys the connection after any failed statement, so every lost race for an
// outbox or log position (a duplicate key, expected under contention) cost a new connection; with
// many writers that made racing inserts take tens of seconds. Inserts that may lose a race run on
// a pool of our own that checks a client out and hands it back intact after a duplicate key.
const insertPools = new Map<string, import('pg').Pool>();

async function insertPool(uri: string): Promise<import('pg').Pool> {
  let pool = insertPools.get(uri);
  if (!pool) {
    const { default: pg } = await import('pg');
    pool = new pg.Pool({ connectionString: uri, max: 4 });
    pool.on('error', () => {});
    insertPools.set(uri, pool);
  }
  return pool;
}

/** Postgres, one table per namespace, through @keyv/postgres's shared pool. */
export async function postgresBackend(uri: string, options: BackendOptions = {}): Promise<Backend> {
  const table = tableName(options.namespace);
  const { KeyvPostgres } = await import('@keyv/postgres');
  const adapter = new KeyvPostgres({ uri, table, max: 4 });
  // The adapter reports a failed connection only as an event and then calls an undefined query
  // function; keep the event's error to report the real cause.
  let connectError: unknown;
  adapter.on('error', (error) => {
    connectError = error;
  });
  postgresUsers.set(uri, (postgresUsers.get(uri) ?? 0) + 1);
  const query = async (sql: string, values?: unknown[]) => {
    try {
      return (await adapter.query(sql, values)) as Array<Record<string, unknown>>;
    } catch (error) {
      throw error instanceof TypeError && connectError ? connectError : error;
    }
  };
  const qualified = `public.${table}`;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    const left = (postgresUsers.get(uri) ?? 1) - 1;
    if (left > 0) {
      postgresUsers.set(uri, left);
      return;
    }
    postgresUsers.delete(uri);
    const own = insertPools.get(uri);
    insertPools.delete(uri);
    await Promise.all([adapter.disconnect(), own?.end()]);
  };
  try {
    await query('SELECT 1');
  } catch (error) {
    await close();
    throw error;
  }
  return {
    kind: 'postgres',
    prefix: '',
    keyv: newKeyv(adapter),
    async insertAll(entries) {
      const client = await (await insertPool(uri)).connect();
      let broken: Error | undefined;
      try {
        // One statement: a duplicate key (23505) aborts it whole, so it is put-if-absent for all.
        await client.query(
          `INSERT INTO ${qualified} (key, value) SELECT * FROM UNNEST($1::text[], $2::text[])`,
          [entries.map((e) => e.key), entries.map((e) => envelope(e.value))],
        );
        return true;
      } catch (error) {
        if ((error as { code?: string }).code === '23505') return false;
        broken = error as Error;
        throw error;
      } finally {
        // A lost race leaves the connection usable; anything else may not, so it is discarded.
        client.release(broken);
      }
    },
    async putMany(entries) {
      await query(
        `INSERT INTO ${qualified} (key, value) SELECT * FROM UNNEST($1::text[], $2::text[])
         ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
        [entries.map((e) => e.key), entries.map((e) => envelope(e.value))],
      );
    },
    async maxKey(prefix) {
      const rows = await query(`SELECT max(key) AS k FROM ${qualified} WHERE key >= $1 AND key < $2`, [
        prefix,
        prefixUpperBound(prefix),
      ]);
      return (rows[0]?.k as string | null) ?? undefined;
    },
    async keys(prefix) {
      const rows = await query(`SELECT key AS k FROM ${qualified} WHERE key >= $1 AND key < $2`, [
        prefix,
        prefixUpperBound(prefix),
      ]);
      return rows.map((r) => r.k as string);
    },
    async claim(key, value, ttlMs, nowMs) {
      // One statement: insert, or take over a key whose expiry has passed; RETURNING says which.
      const rows = await query(
        `INSERT INTO ${qualified} AS t (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE
         SET value = excluded.value
         WHERE coalesce((t.value::jsonb->>'expires')::bigint, 9223372036854775807) < $3 RETURNING key`,
        [key, envelope(value, nowMs + ttlMs), nowMs],
      );
      return rows.length === 1;
    },
    async replace(key, value, ttlMs, nowMs) {
      await query(
        `INSERT INTO ${qualified} (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
        [key, envelope(value, nowMs + ttlMs)],
      );
    },
    async deleteExpired(prefix, nowMs) {
      const rows = await query(
        `DELETE FROM ${qualified} WHERE key >= $1 AND key < $2
         AND (value::jsonb->>'expires')::bigint < $3 RETURNING key`,
        [prefix, prefixUpperBound(prefix), nowMs],
      );
      return rows.length;
    },
    async drop() {
      await query(`DROP TABLE IF EXISTS ${qualified}`);
    },
    close,
  };
}

/** Redis, every key under `privacy-ops:register:<namespace>:`. */
export async function redisBackend(url: string, options: BackendOptions = {}): Promise<Backend> {
  const { default: KeyvRedis, createClient } = await import('@keyv/redis');
  // Our own client, so that a server that is down fails the open at once instead of retrying forever.
  const client = createClient({ url, socket: { connectTimeout: 5_000, reconnectStrategy: false } });
  client.on('error', () => {});
  await client.connect();
  const adapter = new KeyvRedis(client, { throwOnConnectError: true, throwOnErrors: true });
  adapter.on('error', () => {});
  const scan = async function* (match: string) {
    let cursor = '0';
    do {
      const [next, keys] = await client.sendCommand<[string, string[]]>([
        'SCAN',
        cursor,
        'MATCH',
        match,
        'COUNT',
        '1000',
      ]);
      cursor = next;
      yield keys;
    } while (cursor !== '0');
  };
  const escapeGlob = (s: string) => s.replace(/[*?[\]\\]/g, '\\$&');
  const base = `privacy-ops:register:${options.namespace ? `${options.namespace}:` : ''}`;
  let closed = false;
  const backend: Backend = {
    kind: 'redis',
    prefix: base,
    keyv: newKeyv(adapter),
    async insertAll(entries) {
      const reply = await client.sendCommand<number>([
        'MSETNX',
        ...entries.flatMap((e) => [e.key, envelope(e.value)]),
      ]);
      return reply === 1;
    },
    async putMany(entries) {
      await client.sendCommand(['MSET', ...entries.flatMap((e) => [e.key, envelope(e.value)])]);
    },
    async maxKey(prefix) {
      let max: string | undefined;
      for await (const keys of scan(`${escapeGlob(prefix)}*`)) {
        for (const key of keys) if (max === undefined || key > max) max = key;
      }
      return max;
    },
    async keys(prefix) {
      const found: string[] = [];
      for await (const keys of scan(`${escapeGlob(prefix)}*`)) found.push(...keys);
      return found;
    },
    async claim(key, value, ttlMs, nowMs) {
      // Redis expires the key itself (SET NX PX); the envelope's `expires` is for keyv's reads.
      const reply = await client.sendCommand<string | null>([
        'SET',
        key,
        envelope(value, nowMs + ttlMs),
        'NX',
        'PX',
        String(Math.max(1, Math.round(ttlMs))),
      ]);
      return reply === 'OK';
    },
    async replace(key, value, ttlMs, nowMs) {
      // One SET replaces the value and its expiry together.
      await client.sendCommand([
        'SET',
        key,
        envelope(value, nowMs + ttlMs),
        'PX',
        String(Math.max(1, Math.round(ttlMs))),
      ]);
    },
    async deleteExpired() {
      return 0;
    },
    async drop() {
      for await (const keys of scan(`${escapeGlob(base)}*`)) {
        if (keys.length > 0) await client.sendCommand(['UNLINK', ...keys]);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await adapter.disconnect();
    },
  };
  return backend;
}

/** In-process only, for unit tests: atomic because nothing else can run between check and write. */
export async function memoryBackend(): Promise<Backend> {
  const map = new Map<string, string>();
  return {
    kind: 'memory',
    prefix: '',
    keyv: newKeyv(map as never),
    async insertAll(entries) {
      if (entries.some((e) => map.has(e.key))) return false;
      for (const e of entries) map.set(e.key, envelope(e.value));
      return true;
    },
    async putMany(entries) {
      for (const e of entries) map.set(e.key, envelope(e.value));
    },
    async maxKey(prefix) {
      let max: string | undefined;
      for (const key of map.keys()) if (key.startsWith(prefix) && (max === undefined || key > max)) max = key;
      return max;
    },
    async keys(prefix) {
      return [...map.keys()].filter((key) => key.startsWith(prefix));
    },
    async claim(key, value, ttlMs, nowMs) {
      const held = map.get(key);
      const expires = held === undefined ? undefined : (deserialize(held)?.expires ?? Infinity);
      if (expires !== undefined && expires >= nowMs) return false;
      map.set(key, envelope(value, nowMs + ttlMs));
      return true;
    },
    async replace(key, value, ttlMs, nowMs) {
      map.set(key, envelope(value, nowMs + ttlMs));
    },
    async deleteExpired(prefix, nowMs) {
      let deleted = 0;
      for (const [key, held] of map) {
        const expires = deserialize(held)?.expires;
        if (key.startsWith(prefix) && expires !== undefined && expires < nowMs) {
          map.delete(key);
          deleted++;
        }
      }
      return deleted;
    },
    async drop() {
      map.clear();
    },
    async close() {},
  };
}

/** Opens the backend a store URL names: sqlite://FILE, postgres://..., redis://..., memory://. */
export async function openBackend(url: string, options: BackendOptions = {}): Promise<Backend> {
  const scheme = /^([a-z]+):\/\//.exec(url)?.[1];
  try {
    switch (scheme) {
      case undefined:
        // A plain file path (no scheme) is a SQLite file, as loadConfig reads PRIVACY_OPS_STORE.
        if (!url.includes('://')) return await sqliteBackend(url, options);
        break;
      case 'sqlite':
        return await sqliteBackend(url.slice('sqlite://'.length) || 'data/privacy-ops.sqlite', options);
      case 'postgres':
      case 'postgresql':
        return await postgresBackend(url, options);
      case 'redis':
      case 'rediss':
        return await redisBackend(url, options);
      case 'memory':
        return await memoryBackend();
    }
    throw new AppError(
      'CONFIG',
      `PRIVACY_OPS_STORE must be a SQLite file path or start with sqlite://, redis:// or postgres:// (got "${scheme ?? url.slice(0, 20)}").`,
    );
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError(
      'STORE',
      `Cannot open the register store (${scheme}): ${(error as Error).message}. Check PRIVACY_OPS_STORE.`,
      {
        cause: error,
      },
    );
  }
}
