import { createHash, createHmac } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQuery } from 'node:querystring';
import type { Duplex } from 'node:stream';

/**
 * A loopback fake of the Slack Web API (and of response_url, and of the Socket Mode WebSocket),
 * on 127.0.0.1 and a free port. It records every call and answers the methods privacy-ops uses
 * the way Slack does. Point the app at it with SLACK_API_URL = `fake.url`.
 *
 * Known trap: Bolt calls `auth.test` before it dispatches events (bolt-js App.js), so it must be
 * answered even when nothing else is.
 */

export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
  token: string | undefined;
}

export interface ResponsePost {
  id: string;
  body: Record<string, unknown>;
  /** performance.now() when it arrived (the bench times answers with it). */
  at: number;
}

export interface FakeSlackApi {
  /** Web API base URL, ending with a slash (what WebClient's slackApiUrl expects). */
  url: string;
  calls: RecordedCall[];
  /** Posts to response_url links made by {@link FakeSlackApi.responseUrl}. */
  responses: ResponsePost[];
  /** Members of any user group (usergroups.users.list). */
  groupMembers: string[];
  /** Time zones by user id (users.info); others get Europe/Berlin. */
  zones: Record<string, string>;
  /** Methods that fail with the given Slack error code. */
  failures: Map<string, string>;
  /** A response_url on this fake. */
  responseUrl(id: string): string;
  callsTo(method: string): RecordedCall[];
  /** Resolves with the first truthy value of `probe`, polling until `timeoutMs`. */
  waitFor<T>(probe: () => T | undefined | false, timeoutMs?: number): Promise<T>;
  /** Socket Mode: envelopes the app acknowledged, by envelope id. */
  socketAcks: Map<string, Record<string, unknown>>;
  /** Socket Mode: sends an envelope to every connected app; resolves when one is connected. */
  sendEnvelope(envelope: Record<string, unknown>): Promise<void>;
  reset(): void;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseArgs(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (contentType?.startsWith('application/json'))
    return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  const form = parseQuery(raw);
  const args: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(form)) {
    const v = Array.isArray(value) ? value[0] : value;
    // WebClient sends objects (blocks, view) as JSON strings inside the form.
    if (typeof v === 'string' && /^[[{]/.test(v)) {
      try {
        args[key] = JSON.parse(v);
        continue;
      } catch {
        // not JSON after all
      }
    }
    args[key] = v;
  }
  return args;
}

/** Minimal RFC 6455 server side: text frames out (unmasked), text/ping/close frames in (masked). */
class FakeSocket {
  private buffer = Buffer.alloc(0);
  constructor(
    readonly socket: Duplex,
    private readonly onText: (text: string) => void,
  ) {
    socket.on('data', (chunk: Buffer) => this.read(chunk));
    socket.on('error', () => {});
  }

  send(text: string, opcode = 0x1): void {
    const payload = Buffer.from(text);
    const head =
      payload.length < 126
        ? Buffer.from([0x80 | opcode, payload.length])
        : payload.length < 65_536
          ? Buffer.from([0x80 | opcode, 126, payload.length >> 8, payload.length & 0xff])
          : (() => {
              const h = Buffer.alloc(10);
              h[0] = 0x80 | opcode;
              h[1] = 127;
              h.writeBigUInt64BE(BigInt(payload.length), 2);
              return h;
            })();
    if (!this.socket.destroyed) this.socket.write(Buffer.concat([head, payload]));
  }

  private read(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      if (this.buffer.length < 2) return;
      const opcode = this.buffer[0]! & 0x0f;
      let length = this.buffer[1]! & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (this.buffer.length < 4) return;
        length = this.buffer.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (this.buffer.length < 10) return;
        length = Number(this.buffer.readBigUInt64BE(2));
        offset = 10;
      }
      const masked = (this.buffer[1]! & 0x80) !== 0;
      const total = offset + (masked ? 4 : 0) + length;
      if (this.buffer.length < total) return;
      const mask = masked ? this.buffer.subarray(offset, offset + 4) : undefined;
      const payload = Buffer.from(this.buffer.subarray(offset + (masked ? 4 : 0), total));
      if (mask) for (let i = 0; i < payload.length; i++) payload[i]! ^= mask[i % 4]!;
      this.buffer = this.buffer.subarray(total);
      if (opcode === 0x1) this.onText(payload.toString('utf8'));
      else if (opcode === 0x9) this.send(payload.toString('utf8'), 0xa);
      else if (opcode === 0x8) {
        this.send('', 0x8);
        this.socket.end();
      }
    }
  }
}

export async function startFakeSlackApi(): Promise<FakeSlackApi> {
  let ts = 1_700_000_000;
  let views = 0;
  const sockets = new Set<FakeSocket>();
  const fake = {
    calls: [] as RecordedCall[],
    responses: [] as ResponsePost[],
    groupMembers: [] as string[],
    zones: {} as Record<string, string>,
    failures: new Map<string, string>(),
    socketAcks: new Map<string, Record<string, unknown>>(),
  };

  const answer = (method: string, args: Record<string, unknown>): Record<string, unknown> => {
    const failure = fake.failures.get(method);
    if (failure) return { ok: false, error: failure };
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          user_id: 'UBOT',
          bot_id: 'BBOT',
          team_id: 'T1',
          user: 'privacy-ops',
          team: 'Test',
        };
      case 'chat.postMessage':
        ts += 1;
        return { ok: true, channel: args.channel, ts: `${ts}.000100`, message: { text: args.text } };
      case 'chat.postEphemeral':
        ts += 1;
        return { ok: true, message_ts: `${ts}.000200` };
      case 'views.open':
      case 'views.update':
      case 'views.publish': {
        views += 1;
        const view = (args.view ?? {}) as Record<string, unknown>;
        return { ok: true, view: { id: args.view_id ?? `V${views}`, hash: `h${views}`, ...view } };
      }
      case 'users.info': {
        const user = String(args.user);
        return {
          ok: true,
          user: { id: user, name: user.toLowerCase(), tz: fake.zones[user] ?? 'Europe/Berlin' },
        };
      }
      case 'usergroups.users.list':
        return { ok: true, users: fake.groupMembers };
      case 'conversations.open':
        return { ok: true, channel: { id: `D${String(args.users).replace(/^U/, '')}` } };
      case 'apps.connections.open':
        return { ok: true, url: `ws://127.0.0.1:${port}/socket` };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  };

  const server: Server = createServer(async (req, res) => {
    const raw = await readBody(req);
    const path = (req.url ?? '/').split('?')[0]!;
    if (path.startsWith('/api/')) {
      const method = path.slice('/api/'.length);
      const args = parseArgs(raw, req.headers['content-type']);
      const auth = req.headers.authorization;
      fake.calls.push({ method, args, token: auth?.replace(/^Bearer\s+/i, '') ?? (args.token as string) });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer(method, args)));
      return;
    }
    if (path.startsWith('/response/')) {
      fake.responses.push({
        id: path.slice('/response/'.length),
        body: raw ? JSON.parse(raw) : {},
        at: performance.now(),
      });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      return;
    }
    res.writeHead(404).end();
  });
  server.on('upgrade', (req, socket) => {
    const key = req.headers['sec-websocket-key'];
    if (!key) {
      socket.destroy();
      return;
    }
    const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    const ws = new FakeSocket(socket, (text) => {
      const message = JSON.parse(text) as Record<string, unknown>;
      if (typeof message.envelope_id === 'string') fake.socketAcks.set(message.envelope_id, message);
    });
    sockets.add(ws);
    socket.on('close', () => sockets.delete(ws));
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: 1,
        connection_info: { app_id: 'A1' },
        debug_info: { host: 'fake', approximate_connection_time: 3600 },
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  const waitFor = async <T>(probe: () => T | undefined | false, timeoutMs = 5_000): Promise<T> => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const value = probe();
      if (value) return value;
      if (Date.now() > until) throw new Error('fake Slack API: timed out waiting');
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  // One object: tests assign `groupMembers` and `zones`, and the handlers read the same ones.
  return Object.assign(fake, {
    url: `http://127.0.0.1:${port}/api/`,
    responseUrl: (id: string) => `http://127.0.0.1:${port}/response/${id}`,
    callsTo: (method: string) => fake.calls.filter((c) => c.method === method),
    waitFor,
    async sendEnvelope(envelope: Record<string, unknown>) {
      await waitFor(() => sockets.size > 0);
      for (const ws of sockets) ws.send(JSON.stringify(envelope));
    },
    reset() {
      fake.calls.length = 0;
      fake.responses.length = 0;
      fake.failures.clear();
      fake.socketAcks.clear();
    },
    async close() {
      for (const ws of sockets) ws.socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}

/** Signs a body the way Slack does: `v0=` + HMAC-SHA256 of `v0:<timestamp>:<body>`. */
export function slackSignature(secret: string, timestamp: number | string, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SlackPost {
  status: number;
  body: string;
  ms: number;
}

/** POSTs a body to the app's endpoint; signed with `secret` unless `headers` say otherwise. */
export function postToSlackEndpoint(
  url: string,
  body: string,
  options: {
    secret?: string;
    contentType?: string;
    timestamp?: number;
    headers?: Record<string, string>;
  } = {},
): Promise<SlackPost> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'content-type': options.contentType ?? 'application/x-www-form-urlencoded',
    'content-length': String(Buffer.byteLength(body)),
    ...(options.secret
      ? {
          'x-slack-request-timestamp': String(timestamp),
          'x-slack-signature': slackSignature(options.secret, timestamp, body),
        }
      : {}),
    ...options.headers,
  };
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          ms: performance.now() - started,
        }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A slash command body as Slack sends it (form-encoded). */
export function commandBody(fields: {
  text: string;
  user: string;
  responseUrl: string;
  triggerId?: string;
  channel?: string;
  command?: string;
}): string {
  return new URLSearchParams({
    token: 'legacy-verification-token',
    team_id: 'T1',
    team_domain: 'test',
    channel_id: fields.channel ?? 'C_GENERAL',
    channel_name: 'general',
    user_id: fields.user,
    user_name: fields.user.toLowerCase(),
    command: fields.command ?? '/privacy',
    text: fields.text,
    api_app_id: 'A1',
    response_url: fields.responseUrl,
    trigger_id: fields.triggerId ?? `${Math.random().toString().slice(2)}.1.abc`,
  }).toString();
}

/** An interactivity body (block_actions, view_submission, shortcuts): `payload=<json>`. */
export function interactionBody(payload: Record<string, unknown>): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}
