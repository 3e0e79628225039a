/**
 * Opening a storage backend by its store URL, and the in-memory backend for unit tests. The
 * contract every backend meets is {@link Backend} (backends/common.ts); each backend lives in its
 * own file under backends/ and loads its driver on first use.
 */
import { AppError } from '../core/errors.js';
import { type Backend, type BackendOptions, deserialize, envelope, newKeyv } from './backends/common.js';
import { postgresBackend } from './backends/postgres.js';
import { redisBackend } from './backends/redis.js';
import { sqliteBackend } from './backends/sqlite.js';

export type { Backend, BackendOptions } from './backends/common.js';
export { postgresBackend, redisBackend, sqliteBackend };

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
