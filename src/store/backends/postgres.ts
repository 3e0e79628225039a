/** The Postgres backend: a table per namespace over @keyv/postgres's shared pool, and our insert pool. */
import {
  type Backend,
  type BackendOptions,
  envelope,
  newKeyv,
  prefixUpperBound,
  tableName,
} from './common.js';

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

/**
 * The @keyv/postgres adapter for one table, checked with a first query; `query` reports a failed
 * connection's real cause, and `close` ends the pools once the last store of the URI closes.
 */
async function openAdapter(uri: string, table: string) {
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
  return { adapter, query, close };
}

/** Postgres, one table per namespace, through @keyv/postgres's shared pool. */
export async function postgresBackend(uri: string, options: BackendOptions = {}): Promise<Backend> {
  const table = tableName(options.namespace);
  const { adapter, query, close } = await openAdapter(uri, table);
  const qualified = `public.${table}`;
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
