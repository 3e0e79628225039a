/** The Redis backend: every key under one prefix in the shared key space. */
import { type Backend, type BackendOptions, envelope, newKeyv } from './common.js';

/** Our own client, so that a server that is down fails the open at once instead of retrying forever. */
async function connect(url: string) {
  const { default: KeyvRedis, createClient } = await import('@keyv/redis');
  const client = createClient({ url, socket: { connectTimeout: 5_000, reconnectStrategy: false } });
  client.on('error', () => {});
  await client.connect();
  const adapter = new KeyvRedis(client, { throwOnConnectError: true, throwOnErrors: true });
  adapter.on('error', () => {});
  return { client, adapter };
}

/** The keys matching a glob, a SCAN page at a time. */
async function* scan(client: Awaited<ReturnType<typeof connect>>['client'], match: string) {
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
}

const escapeGlob = (s: string) => s.replace(/[*?[\]\\]/g, '\\$&');

/** Redis, every key under `privacy-ops:register:<namespace>:`. */
export async function redisBackend(url: string, options: BackendOptions = {}): Promise<Backend> {
  const { client, adapter } = await connect(url);
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
      for await (const keys of scan(client, `${escapeGlob(prefix)}*`)) {
        for (const key of keys) if (max === undefined || key > max) max = key;
      }
      return max;
    },
    async keys(prefix) {
      const found: string[] = [];
      for await (const keys of scan(client, `${escapeGlob(prefix)}*`)) found.push(...keys);
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
      for await (const keys of scan(client, `${escapeGlob(base)}*`)) {
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
