import { request as httpRequest } from 'node:http';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  INTAKE_BODY_LIMIT_BYTES,
  intakeSignature,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
} from '../../../src/channels/webhook/intake-route.js';
import { loadConfig } from '../../../src/config.js';
import { todayIn } from '../../../src/core/requests/input.js';
import { createLogger } from '../../../src/logger.js';
import { type App, platformsConfigured, startApp } from '../../../src/main.js';
import { openBackend } from '../../../src/store/backends.js';
import { type BackendTarget, TARGETS } from '../../helpers/register-stores.js';

/**
 * The signed intake webhook over real HTTP with real signatures: a retried delivery logs once (on
 * one server and on two sharing a store), stale and wrong signatures are refused with what to fix,
 * malformed and oversized bodies are refused, and requester data never reaches the log.
 */

const SECRET = 'intake-secret-for-tests-0123456789abcdef';
const examples = fileURLToPath(new URL('../../../examples/policies/', import.meta.url));
const apps: App[] = [];
const cleanups: Array<() => Promise<void>> = [];
let seq = 0;
const key = () => `test-${Date.now().toString(36)}-${++seq}`;

afterEach(async () => {
  for (const app of apps.splice(0)) await app.stop();
});
afterAll(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/**
 * A store for one test. The app takes a store URL only (no namespace), so Redis and Postgres use
 * the database's default namespace, which no other test file writes; it is emptied afterwards.
 */
function storeFor(target: BackendTarget): string {
  if (target.name === 'sqlite') {
    const created = target.create();
    cleanups.push(created.cleanup);
    return created.url;
  }
  const url = target.name === 'redis' ? process.env.REDIS_URL! : process.env.DATABASE_URL!;
  cleanups.push(async () => {
    for (const namespace of [undefined, 'dedupe']) {
      const backend = await openBackend(url, namespace ? { namespace } : {});
      try {
        await backend.drop();
      } finally {
        await backend.close();
      }
    }
  });
  return url;
}

async function start(
  target: BackendTarget,
  env: Record<string, string> = {},
  store = storeFor(target),
  lines?: string[],
): Promise<{ app: App; url: string; store: string }> {
  const config = loadConfig({
    INTAKE_SECRET: SECRET,
    PORT: '0',
    REMINDERS_ENABLED: 'false',
    POLICY_CORPUS: examples,
    PRIVACY_OPS_STORE: store,
    DEFAULT_TIMEZONE: 'Europe/Berlin',
    ...env,
  });
  const logger = lines
    ? createLogger('info', { write: (line: string) => void lines.push(line) })
    : pino({ level: 'silent' });
  const app = await startApp(config, logger);
  apps.push(app);
  return { app, url: `http://127.0.0.1:${app.port}/api/intake`, store };
}

interface Sent {
  status: number;
  body: Record<string, unknown>;
  text: string;
}

/** Posts a raw body with the given headers over a real connection. */
function post(url: string, body: string | Buffer, headers: Record<string, string>): Promise<Sent> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: Record<string, unknown> = {};
        try {
          parsed = JSON.parse(text) as Record<string, unknown>;
        } catch {
          parsed = {};
        }
        resolve({ status: res.statusCode ?? 0, body: parsed, text });
      });
    });
    // The server may answer (413) and close before the whole body is written.
    req.on('error', (error) => reject(error));
    req.end(body);
  });
}

/** Signs and posts a body, as a sender would. */
function send(
  url: string,
  body: unknown,
  at = Math.floor(Date.now() / 1000),
  secret = SECRET,
): Promise<Sent> {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  return post(url, raw, {
    [TIMESTAMP_HEADER]: String(at),
    [SIGNATURE_HEADER]: intakeSignature(secret, at, raw),
  });
}

const form = (overrides: Record<string, unknown> = {}) => ({
  idempotencyKey: key(),
  requester: { name: 'Ana Silva', email: 'ana.silva@example.pt' },
  type: 'please delete all my data',
  country: 'Portugal',
  received: '2025-03-03',
  message: 'I closed my account last year; erase everything you hold on me.',
  source: 'web form',
  ...overrides,
});

const sqlite = TARGETS.find((t) => t.name === 'sqlite')!;

describe('POST /api/intake: signatures and bodies', () => {
  it('is mounted only with INTAKE_SECRET, which also makes the process serve HTTP', async () => {
    expect(platformsConfigured(loadConfig({ INTAKE_SECRET: SECRET }))).toBe(true);
    expect(() => loadConfig({ INTAKE_SECRET: 'short' })).toThrow(/INTAKE_SECRET: must be at least 32/);
    const { app } = await start(sqlite);
    expect(app.routes).toContain('/api/intake');
  });

  it.each([
    [
      'a wrong secret',
      (url: string, body: string) => send(url, body, undefined, `${SECRET}x`),
      /Wrong signature/,
    ],
    [
      'a stale timestamp (6 minutes old)',
      (url: string, body: string) => send(url, body, Math.floor(Date.now() / 1000) - 6 * 60),
      /Stale timestamp/,
    ],
    [
      'a timestamp 6 minutes ahead',
      (url: string, body: string) => send(url, body, Math.floor(Date.now() / 1000) + 6 * 60),
      /Stale timestamp/,
    ],
    ['no signature', (url: string, body: string) => post(url, body, {}), /Unsigned/],
    [
      'a body changed after signing',
      (url: string, body: string) => {
        const at = Math.floor(Date.now() / 1000);
        return post(url, body.replace('Ana', 'Eve'), {
          [TIMESTAMP_HEADER]: String(at),
          [SIGNATURE_HEADER]: intakeSignature(SECRET, at, body),
        });
      },
      /Wrong signature/,
    ],
  ])('refuses %s with 401 and says what to fix', async (_what, deliver, message) => {
    const { app, url } = await start(sqlite, { INTAKE_AUTO_LOG: 'true' });
    const res = await deliver(url, JSON.stringify(form()));
    expect(res.status).toBe(401);
    expect(res.body.error).toMatch(message);
    expect(res.text).not.toMatch(/\bat \w+ \(|node:internal/);
    expect(await app.register.list({ status: ['all'] }, new Date())).toHaveLength(0);
  });

  it('refuses malformed JSON, a body off the schema and an oversized body, without a stack trace', async () => {
    const { url } = await start(sqlite);
    const malformed = await send(url, '{"idempotencyKey": "abc');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toMatch(/not valid JSON/);

    const off = await send(url, {
      idempotencyKey: 'x',
      requester: { name: 'Ana' },
      type: 'erasure',
      received: '3 March',
    });
    expect(off.status).toBe(400);
    const paths = (off.body.issues as Array<{ path: string }>).map((i) => i.path).sort();
    expect(paths).toEqual(['idempotencyKey', 'received', 'requester', 'source']);

    const huge = await send(url, form({ message: 'x'.repeat(INTAKE_BODY_LIMIT_BYTES) }));
    expect(huge.status).toBe(413);
    expect(huge.body.error).toMatch(/larger than 64 kB/);

    const future = await send(url, form({ received: '2999-01-01' }));
    expect(future.status).toBe(400);
    expect(future.body.error).toMatch(/in the future/);
    for (const res of [malformed, off, huge, future])
      expect(res.text).not.toMatch(/\bat \w+ \(|node:internal/);
  });
});

describe('POST /api/intake: what it does', () => {
  it('logs a trusted, complete request at once, with the received date as the receipt date', async () => {
    const lines: string[] = [];
    const { app, url } = await start(sqlite, { INTAKE_AUTO_LOG: 'true' }, storeFor(sqlite), lines);
    const res = await send(
      url,
      form({ requester: { name: 'Ana Silva', email: 'ana.silva@example.pt', phone: '+351 912 345 678' } }),
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'logged', received: '2025-03-03' });
    const detail = await app.register.show(res.body.requestId as string);
    expect(detail.request).toMatchObject({
      type: 'erasure',
      regime: 'gdpr',
      country: 'PT',
      channel: 'web form',
    });
    // The phone is a contact of the requester's own, kept with the name and email.
    expect(detail.requester).toEqual({
      name: 'Ana Silva',
      email: 'ana.silva@example.pt',
      phone: '+351 912 345 678',
    });
    expect(detail.trail[0]?.actor).toBe('intake-webhook');
    expect(detail.trail[0]?.text).toMatch(/I closed my account/);
    // Nothing the requester gave reaches the log.
    const log = lines.join('');
    expect(log).toMatch(/intake accepted/);
    for (const personal of ['Ana', 'ana.silva', '912 345', 'closed my account'])
      expect(log).not.toContain(personal);
  });

  it('keeps a request for confirmation by default, and when a trusted one is incomplete', async () => {
    const { app, url } = await start(sqlite);
    const waiting = await send(url, form());
    expect(waiting.status).toBe(202);
    expect(waiting.body).toMatchObject({ status: 'pending', received: '2025-03-03', missing: [] });
    expect(await app.register.list({ status: ['all'] }, new Date())).toHaveLength(0);
    await app.stop();
    apps.splice(0);

    const trusted = await start(sqlite, { INTAKE_AUTO_LOG: 'true' });
    const postal = await send(
      trusted.url,
      form({
        requester: { name: 'Jo Bloggs', postalAddress: '1 High St, Leeds' },
        type: 'something odd',
        country: undefined,
      }),
    );
    expect(postal.status).toBe(202);
    // A postal address is a contact: only the type and the law are missing.
    expect(postal.body.missing).toEqual([
      'the request type',
      'the law (or a country or state it follows from)',
    ]);
    expect(postal.body.received).toBe('2025-03-03');
    const today = await send(trusted.url, form({ received: undefined }));
    expect(today.status).toBe(201);
    expect(today.body.received).toBe(todayIn(new Date(), 'Europe/Berlin'));
    expect(await trusted.app.register.list({ status: ['all'] }, new Date())).toHaveLength(1);
  });

  it.each([
    ['erasure', 'gdpr', undefined, undefined, { type: 'erasure', regime: 'gdpr' }],
    ['right to know', undefined, 'US', 'California', { type: 'access', regime: 'ccpa', region: 'CA' }],
    ['opt out of sale', 'under the CPRA', undefined, undefined, { type: 'opt-out-of-sale', regime: 'ccpa' }],
    ['access', undefined, 'ES', undefined, { type: 'access', regime: 'gdpr', country: 'ES' }],
    ['correction', undefined, undefined, 'TX', { type: 'rectification', regime: 'us-state', region: 'TX' }],
  ])(
    'reads type %s, law %s, country %s, state %s with the chat intake vocabulary',
    async (type, law, country, state, want) => {
      const { app, url } = await start(sqlite, { INTAKE_AUTO_LOG: 'true' });
      const res = await send(url, form({ type, law, country, state }));
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(await app.register.get(res.body.requestId as string)).toMatchObject(want);
    },
  );
});

describe.each(TARGETS)('POST /api/intake retried on $name', (target) => {
  it.skipIf(target.skip)(
    'logs once when a delivery is retried, on one server and on two sharing a store',
    async () => {
      const a = await start(target, { INTAKE_AUTO_LOG: 'true' });
      const b = await start(target, { INTAKE_AUTO_LOG: 'true' }, a.store);
      const before = (await a.app.register.list({ status: ['all'] }, new Date())).length;
      const body = form();
      const first = await send(a.url, body);
      expect(first.status).toBe(201);
      // A later retry, newly signed, to either replica: the original result, nothing logged again.
      for (const url of [a.url, b.url]) {
        const again = await send(url, body);
        expect(again.status).toBe(200);
        expect(again.body).toMatchObject({ ...first.body, duplicate: true });
      }
      // The same delivery to both replicas at once: one logs it, the other waits or gets the result.
      const racing = form();
      const both = await Promise.all([send(a.url, racing), send(b.url, racing), send(a.url, racing)]);
      const statuses = both.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(statuses.every((s) => [200, 201, 409].includes(s))).toBe(true);
      // The key reused for another request is refused.
      const reused = await send(b.url, { ...body, type: 'access' });
      expect(reused.status).toBe(409);
      expect(reused.body.error).toMatch(/different request/);
      const logged = await b.app.register.list({ status: ['all'] }, new Date());
      expect(logged).toHaveLength(before + 2);
    },
  );
});
