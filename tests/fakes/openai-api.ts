import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback fake of an OpenAI-compatible API: `POST /v1/chat/completions` on 127.0.0.1, a random
 * port. Each test scripts the replies (one responder per request, in order, then the fallback) and
 * reads back every request body the "model" received.
 */

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  /** The body as sent, byte for byte: what personal-data assertions search. */
  raw: string;
  body: ChatRequestBody;
}

export interface ChatRequestBody {
  model: string;
  messages: { role: string; content: string }[];
  response_format?: { type: string; json_schema?: { name: string; strict?: boolean; schema: unknown } };
  [key: string]: unknown;
}

export interface FakeResponse {
  status?: number;
  headers?: Record<string, string>;
  /** Sent as JSON, or as is when a string. */
  body?: unknown;
  /** Wait this long before answering (a slow or hung model). */
  delayMs?: number;
}

export type Responder = (request: RecordedRequest) => FakeResponse | Promise<FakeResponse>;

export class FakeOpenAiApi {
  readonly requests: RecordedRequest[] = [];
  private readonly queue: Responder[] = [];
  private fallback: Responder = () => ({ status: 500, body: { error: { message: 'nothing scripted' } } });
  private readonly timers = new Set<NodeJS.Timeout>();

  private constructor(
    private readonly server: Server,
    /** The base URL to configure: `http://127.0.0.1:PORT/v1`. */
    readonly url: string,
  ) {}

  static async start(): Promise<FakeOpenAiApi> {
    let fake: FakeOpenAiApi | undefined;
    const server = createServer((req, res) => void fake!.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    fake = new FakeOpenAiApi(server, `http://127.0.0.1:${port}/v1`);
    return fake;
  }

  /** Answers the next requests with these responders, one each, in order. */
  reply(...responders: (Responder | FakeResponse)[]): this {
    for (const r of responders) this.queue.push(typeof r === 'function' ? r : () => r);
    return this;
  }

  /** Answers every request after the scripted ones. */
  always(responder: Responder | FakeResponse): this {
    this.fallback = typeof responder === 'function' ? responder : () => responder;
    return this;
  }

  reset(): void {
    this.requests.length = 0;
    this.queue.length = 0;
    this.fallback = () => ({ status: 500, body: { error: { message: 'nothing scripted' } } });
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const path = (req.url ?? '').split('?')[0]!;
    if (req.method !== 'POST' || path !== '/v1/chat/completions') {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found"}}');
      return;
    }
    const recorded: RecordedRequest = {
      method: req.method,
      path,
      headers: req.headers,
      raw,
      body: JSON.parse(raw) as ChatRequestBody,
    };
    this.requests.push(recorded);
    const responder = this.queue.shift() ?? this.fallback;
    const reply = await responder(recorded);
    if (reply.delayMs) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          this.timers.delete(t);
          resolve();
        }, reply.delayMs);
        this.timers.add(t);
      });
    }
    if (res.destroyed || req.socket.destroyed) return;
    const body = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? {});
    res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers }).end(body);
  }
}

/** The JSON data the client put in the user message (question and passages, or clauses). */
export function dataOf(request: RecordedRequest): Record<string, unknown> {
  const user = request.body.messages.find((m) => m.role === 'user');
  return JSON.parse(user?.content ?? '{}') as Record<string, unknown>;
}

export const USAGE = { prompt_tokens: 412, completion_tokens: 57, total_tokens: 469 };

/** A chat completion whose message content is `content` (JSON-encoded unless already a string). */
export function completion(
  content: unknown,
  options: { usage?: typeof USAGE | null; finishReason?: string; refusal?: string } = {},
): FakeResponse {
  return {
    body: {
      id: 'chatcmpl-fake',
      object: 'chat.completion',
      created: 1_780_000_000,
      model: 'fake-model',
      choices: [
        {
          index: 0,
          finish_reason: options.finishReason ?? 'stop',
          message: {
            role: 'assistant',
            content: typeof content === 'string' ? content : JSON.stringify(content),
            refusal: options.refusal ?? null,
          },
        },
      ],
      ...(options.usage === null ? {} : { usage: options.usage ?? USAGE }),
    },
  };
}

/** An OpenAI-style error reply. */
export function apiError(status: number, headers: Record<string, string> = {}): FakeResponse {
  return { status, headers, body: { error: { message: `fake ${status}`, type: 'fake_error' } } };
}
