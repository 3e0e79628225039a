/** The SQLite backend: one file, and the folder it needs created safely. */
import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { AppError } from '../../core/errors.js';
import {
  type Backend,
  type BackendOptions,
  envelope,
  newKeyv,
  prefixUpperBound,
  tableName,
} from './common.js';

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

/** The @keyv/sqlite adapter for one table, in WAL mode, and its raw query. */
async function openAdapter(path: string, table: string, busyTimeoutMs: number | undefined) {
  const { KeyvSqlite } = await import('@keyv/sqlite');
  const adapter = new KeyvSqlite({
    uri: `sqlite://${path}`,
    table,
    busyTimeout: busyTimeoutMs ?? 15_000,
  });
  adapter.on('error', () => {});
  const query = adapter.query as (
    sql: string,
    ...params: unknown[]
  ) => Promise<Array<Record<string, unknown>>>;
  // WAL lets a second process read while one writes; busy_timeout makes writers queue, not fail.
  await query('PRAGMA journal_mode=WAL');
  return { adapter, query };
}

/** SQLite in one file, WAL mode so readers do not block the writer across processes. */
export async function sqliteBackend(path: string, options: BackendOptions = {}): Promise<Backend> {
  if (path !== ':memory:') ensureFolder(dirname(resolve(path)));
  const table = tableName(options.namespace);
  const { adapter, query } = await openAdapter(path, table, options.busyTimeoutMs);
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
