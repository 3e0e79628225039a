import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError } from '../core/errors.js';
import type { Logger } from '../logger.js';

/** Why the server could not listen, as a sentence that says what to change (exit code 78). */
function listenError(error: Error, port: number, host: string): Error {
  const code = (error as { code?: string }).code;
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return new AppError(
      'CONFIG',
      `HOST ${host} is not an address of this machine; set HOST to one of its addresses (127.0.0.1 for this machine only) or leave it unset to listen on every interface.`,
      { cause: error },
    );
  if (code === 'EADDRINUSE')
    return new AppError(
      'CONFIG',
      `Port ${port} is in use by another process; stop it or set PORT to a free port.`,
      {
        cause: error,
      },
    );
  if (code === 'EACCES')
    return new AppError(
      'CONFIG',
      `Port ${port} needs privileges this process does not have; set PORT to 1024 or above and put a reverse proxy in front.`,
      { cause: error },
    );
  return error;
}

/** Handles one HTTP request on a mounted path; must always end the response. */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** A request body past the route's limit; the route answers 413. */
export class BodyTooLarge extends Error {}

/**
 * A request's body as text, refused past `limit` bytes: the rest is then read and dropped, so the
 * route can answer 413 and the connection closes cleanly.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        reject(new BodyTooLarge());
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', (error) => {
      if (!failed) reject(error);
      failed = true;
    });
  });
}

/** One request header (the first, when sent more than once). */
export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The one HTTP server: Slack's `/slack/events` and Teams' `/api/messages` share it (and its port),
 * plus `/healthz` for load balancers. Routes are mounted by the channels; the server knows nothing
 * of either platform. Explicit start/stop so tests and shutdown are deterministic.
 */
export class HttpServer {
  private readonly routes = new Map<string, RouteHandler>();
  private server: Server | undefined;

  constructor(private readonly logger: Logger) {}

  mount(path: string, handler: RouteHandler): void {
    if (this.routes.has(path)) throw new Error(`route ${path} is mounted twice`);
    this.routes.set(path, handler);
  }

  get paths(): string[] {
    return [...this.routes.keys()];
  }

  /**
   * Starts listening on `host` (the composition root passes HOST); resolves with the bound port
   * (pass 0 for any free port).
   */
  async start(port: number, host: string): Promise<number> {
    const server = createServer((req, res) => void this.dispatch(req, res));
    // Slack and Bot Framework keep connections alive; bound the time a slow client can hold one.
    server.headersTimeout = 15_000;
    server.requestTimeout = 30_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error) => reject(listenError(error, port, host)));
      server.listen(port, host, () => {
        server.removeAllListeners('error');
        resolve();
      });
    });
    this.server = server;
    return (server.address() as AddressInfo).port;
  }

  /** The address the server is bound to (`0.0.0.0`, `127.0.0.1`, ...), once started. */
  get address(): string | undefined {
    return (this.server?.address() as AddressInfo | null)?.address;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeIdleConnections?.();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      return;
    }
    const handler = this.routes.get(path);
    if (!handler) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    try {
      await handler(req, res);
    } catch (error) {
      this.logger.error({ err: error, path }, 'unhandled error in HTTP route');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      if (!res.writableEnded) res.end('internal error');
    }
  }
}
