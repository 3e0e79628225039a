import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback fake of the three Slack Web API methods reminders use (`chat.postMessage`,
 * `conversations.open`, `users.info`), on 127.0.0.1:0. It records every call, and can be told to
 * answer 429 with a Retry-After or a 5xx for the next N calls, as Slack does when it is busy or down,
 * and to take `delayMs` over every answer, as Slack does on a slow day.
 */

export interface FakeSlackCall {
  method: string;
  /** JSON or form arguments, parsed. */
  args: Record<string, unknown>;
  status: number;
  /** Date.now() when it arrived. */
  at: number;
  /** Date.now() just before the answer was written (after `delayMs`). */
  answeredAt?: number;
  /** What `stamp()` returned when it arrived (e.g. the simulated clock). */
  stamp: unknown;
}

export interface FakeSlackPost {
  channel: string;
  text: string;
  blocks: unknown[];
  metadata?: { event_type: string; event_payload: Record<string, string> };
  /** Whatever the test stamped on it when it arrived (e.g. the simulated tick). */
  stamp: unknown;
}

interface Failure {
  status: number;
  retryAfter?: number;
  method?: string;
}

export class FakeSlack {
  readonly calls: FakeSlackCall[] = [];
  readonly posts: FakeSlackPost[] = [];
  /** Known users and their zones; others get `user_not_found`. */
  readonly users = new Map<string, { tz?: string }>();
  /** Called for each call; its result is kept as the call's and the post's `stamp`. */
  stamp: () => unknown = () => undefined;
  /** How long every answer takes (ms). */
  delayMs = 0;
  /**
   * Awaited before each answer, after the call is recorded: a test moves its injected clock here
   * (Slack took that long) or lets another replica run while this call is outstanding.
   */
  during: (call: FakeSlackCall) => void | Promise<void> = () => {};
  private failures: Failure[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
    readonly token: string,
  ) {}

  static async start(
    options: { token?: string; users?: Record<string, string | undefined> } = {},
  ): Promise<FakeSlack> {
    let fake!: FakeSlack;
    const server = createServer((req, res) => void fake.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    fake = new FakeSlack(server, `http://127.0.0.1:${port}/api/`, options.token ?? 'xoxb-test');
    for (const [id, tz] of Object.entries(options.users ?? {})) fake.users.set(id, tz ? { tz } : {});
    return fake;
  }

  /** The next `count` calls (of `method`, or any) answer `status`, with Retry-After seconds for 429. */
  fail(count: number, status: number, options: { retryAfter?: number; method?: string } = {}): void {
    for (let i = 0; i < count; i++) this.failures.push({ status, ...options });
  }

  /** Calls of one method. */
  of(method: string): FakeSlackCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const method = (req.url ?? '').replace(/^\/api\//, '').replace(/\?.*$/, '');
    const args: Record<string, unknown> = (req.headers['content-type'] ?? '').includes('application/json')
      ? (JSON.parse(raw || '{}') as Record<string, unknown>)
      : Object.fromEntries(new URLSearchParams(raw));
    const call: FakeSlackCall = { method, args, status: 200, at: Date.now(), stamp: this.stamp() };
    this.calls.push(call);
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    await this.during(call);
    // Before the answer is written, so the client always receives it after this instant.
    call.answeredAt = Date.now();
    const index = this.failures.findIndex((f) => !f.method || f.method === method);
    if (index >= 0) {
      const [failure] = this.failures.splice(index, 1);
      call.status = failure!.status;
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (failure!.retryAfter !== undefined) headers['retry-after'] = String(failure!.retryAfter);
      res.writeHead(failure!.status, headers);
      res.end(
        JSON.stringify({ ok: false, error: failure!.status === 429 ? 'ratelimited' : 'internal_error' }),
      );
      return;
    }
    const reply = (body: Record<string, unknown>) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${this.token}`)
      return reply({ ok: false, error: 'invalid_auth' });
    switch (method) {
      case 'users.info': {
        const user = this.users.get(String(args.user));
        return reply(
          user ? { ok: true, user: { id: args.user, tz: user.tz } } : { ok: false, error: 'user_not_found' },
        );
      }
      case 'conversations.open': {
        const id = String(args.users);
        return reply(
          this.users.has(id)
            ? { ok: true, channel: { id: `D${id}` } }
            : { ok: false, error: 'user_not_found' },
        );
      }
      case 'chat.postMessage': {
        const post: FakeSlackPost = {
          channel: String(args.channel),
          text: String(args.text ?? ''),
          blocks: (args.blocks as unknown[]) ?? [],
          ...(args.metadata ? { metadata: args.metadata as FakeSlackPost['metadata'] } : {}),
          stamp: call.stamp,
        };
        this.posts.push(post);
        return reply({ ok: true, channel: post.channel, ts: `${1_700_000_000 + this.posts.length}.000100` });
      }
      default:
        return reply({ ok: false, error: 'unknown_method' });
    }
  }
}
