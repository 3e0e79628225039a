import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import {
  type App,
  AuthorizationError,
  isValidSlackRequest,
  type Receiver,
  type ReceiverEvent,
} from '@slack/bolt';
import type { SeenKeys } from '../../core/dedupe.js';
import type { Logger } from '../../logger.js';
import { BodyTooLarge, header, type RouteHandler, readBody } from '../http.js';
import { RecentKeys } from './dedupe.js';

/**
 * Slack's HTTP endpoint as a Bolt {@link Receiver} mounted on the shared {@link HttpServer} (no
 * server or port of its own). Compared with Bolt's HTTPReceiver it adds what a public endpoint
 * needs: an injected clock, timestamps rejected in both directions, replayed signatures rejected,
 * a body limit, and a way to wait for work still running after the ack (so stop is deterministic).
 *
 * Order of checks, per docs.slack.dev/authentication/verifying-requests-from-slack: the raw body
 * and the timestamp are signed as `v0:<timestamp>:<body>` with HMAC-SHA256; a timestamp more than
 * five minutes away from now is refused so a captured request cannot be replayed later, and a
 * signature already seen within that window is refused so it cannot be replayed sooner.
 */
export interface SlackHttpReceiverOptions {
  signingSecret: string;
  logger: Logger;
  /** Milliseconds since the epoch; injected so tests can use Slack's published example. */
  now?: () => number;
  /** Largest body accepted; Slack's payloads are a few kB (a modal submission is the biggest). */
  bodyLimitBytes?: number;
  /**
   * Signatures seen by every replica, kept across restarts: without it a request captured once
   * could be replayed to another replica, or to this one after a restart, within the five minutes.
   */
  seen?: SeenKeys;
}

const MAX_SKEW_SECONDS = 5 * 60;
// Slack waits 3 s for an ack (docs.slack.dev/interactivity/handling-user-interaction#acknowledgment_response);
// if a listener has not acked by now, an empty 200 is better than Slack's "operation timed out".
const ACK_FALLBACK_MS = 2_500;

function end(res: ServerResponse, status: number, body?: unknown): void {
  if (res.headersSent) return;
  if (body === undefined || body === '') {
    res.writeHead(status).end();
  } else if (typeof body === 'string') {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(body);
  } else {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }
}

/** Form posts (commands, interactivity: `payload=<json>`) and JSON posts (Events API). */
export function parseSlackBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  let body: unknown;
  if (type === 'application/x-www-form-urlencoded') {
    const form = parseQuery(raw);
    body =
      typeof form.payload === 'string'
        ? JSON.parse(form.payload)
        : Object.fromEntries(Object.entries(form).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  } else if (type === 'application/json') {
    body = JSON.parse(raw);
  } else {
    throw new Error(`unsupported content type ${type || '(none)'}`);
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new Error('body is not an object');
  return body as Record<string, unknown>;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * What a payload lacks of the fields Slack always sends with its type, or undefined. Bolt reads
 * them unguarded (a view_submission without `view` threw inside Bolt and was answered 500), so a
 * payload without them is malformed: 400, like any other body Slack would never send.
 */
export function missingFields(body: Record<string, unknown>): string | undefined {
  const user = body.user;
  const hasUser = isObject(user) && typeof user.id === 'string';
  switch (body.type) {
    case 'view_submission':
    case 'view_closed': {
      const view = body.view;
      if (!isObject(view) || typeof view.id !== 'string' || typeof view.callback_id !== 'string')
        return 'a view';
      if (body.type === 'view_submission' && !(isObject(view.state) && isObject(view.state.values)))
        return 'the view state';
      return hasUser ? undefined : 'a user';
    }
    case 'block_actions': {
      const actions = body.actions;
      if (!Array.isArray(actions) || actions.length === 0) return 'actions';
      if (!actions.every((a) => isObject(a) && typeof a.action_id === 'string')) return 'action ids';
      return hasUser ? undefined : 'a user';
    }
    case 'shortcut':
    case 'message_action':
      if (typeof body.callback_id !== 'string') return 'a callback id';
      return hasUser ? undefined : 'a user';
    case 'event_callback':
      return isObject(body.event) && typeof body.event.type === 'string' ? undefined : 'an event';
    default:
      // A slash command is a form without a type; other types reach Bolt, which ignores them.
      if (body.type === undefined && 'command' in body && typeof body.command !== 'string')
        return 'a command';
      return undefined;
  }
}

export class SlackHttpReceiver implements Receiver {
  private app: App | undefined;
  private readonly now: () => number;
  private readonly signatures: RecentKeys;
  private readonly inflight = new Set<Promise<void>>();
  private readonly limit: number;
  private readonly signatureTtlMs = 2 * MAX_SKEW_SECONDS * 1000 + 60_000;

  constructor(private readonly options: SlackHttpReceiverOptions) {
    this.now = options.now ?? Date.now;
    // A signature is only valid within the skew window either side of now; remember it that long.
    this.signatures = new RecentKeys(this.signatureTtlMs, 200_000, this.now);
    this.limit = options.bodyLimitBytes ?? 256 * 1024;
  }

  init(app: App): void {
    this.app = app;
  }

  /** Nothing to start: the shared HttpServer listens. */
  async start(): Promise<void> {}

  /** Waits for work that continues after the ack (answers sent through response_url). */
  async stop(): Promise<void> {
    await this.settle();
  }

  /** Resolves once every request received so far has been fully handled. */
  async settle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  /** The route handler for `POST /slack/events`. */
  readonly handler: RouteHandler = async (req, res) => {
    const work = this.handle(req, res);
    this.inflight.add(work);
    try {
      await work;
    } finally {
      this.inflight.delete(work);
    }
  };

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await this.read(req, res);
    if (!body) return;
    if (!this.app) {
      end(res, 503);
      return;
    }
    await this.dispatch(this.app, req, res, body);
  }

  /**
   * The request's payload once it is a POST, within the size limit, signed by Slack and well
   * formed; undefined when it was answered already (refused, or Slack's SSL check or URL
   * verification).
   */
  private async read(
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<Record<string, unknown> | undefined> {
    const log = this.options.logger;
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'POST' }).end();
      return undefined;
    }
    let raw: string;
    try {
      raw = await readBody(req, this.limit);
    } catch (error) {
      end(res, error instanceof BodyTooLarge ? 413 : 400);
      if (error instanceof BodyTooLarge) req.resume();
      return undefined;
    }
    const contentType = header(req, 'content-type');
    // Slack's SSL check carries no signature (docs.slack.dev/interactivity/implementing-slash-commands).
    if (/(^|&)ssl_check=1(&|$)/.test(raw) && contentType?.startsWith('application/x-www-form-urlencoded')) {
      end(res, 200);
      return undefined;
    }
    const rejected = await this.verify(req, raw);
    if (rejected) {
      log.warn({ reason: rejected }, 'slack request rejected');
      end(res, 401);
      return undefined;
    }
    let body: Record<string, unknown>;
    try {
      body = parseSlackBody(raw, contentType);
    } catch (error) {
      log.warn({ reason: (error as Error).message.slice(0, 80) }, 'malformed slack request');
      end(res, 400);
      return undefined;
    }
    // Sent once when the Request URL is saved in the app settings; the challenge is echoed back
    // (docs.slack.dev/reference/events/url_verification).
    if (body.type === 'url_verification') {
      end(res, 200, { challenge: body.challenge });
      return undefined;
    }
    const missing = missingFields(body);
    if (missing) {
      log.warn({ reason: `${String(body.type).slice(0, 30)} without ${missing}` }, 'malformed slack request');
      end(res, 400);
      return undefined;
    }
    return body;
  }

  /**
   * Hands the payload to Bolt with an `ack` that answers the HTTP request; an empty ack goes out
   * anyway before Slack's 3 s are up, and a payload no listener acknowledged is acknowledged after.
   */
  private async dispatch(
    app: App,
    req: IncomingMessage,
    res: ServerResponse,
    body: Record<string, unknown>,
  ): Promise<void> {
    const log = this.options.logger;
    let acked = false;
    const fallback = setTimeout(() => {
      if (acked) return;
      acked = true;
      log.warn({ type: body.type }, 'slack request not acknowledged in time; sent an empty ack');
      end(res, 200);
    }, ACK_FALLBACK_MS);
    fallback.unref();
    const ack = async (response?: unknown): Promise<void> => {
      if (acked) return;
      acked = true;
      clearTimeout(fallback);
      end(res, 200, response);
    };
    // Bolt reads retries from these headers; the channel's dedupe uses them for the log
    // (docs.slack.dev/apis/events-api#retries).
    const retry = header(req, 'x-slack-retry-num');
    const event: ReceiverEvent = {
      body,
      ack,
      ...(retry !== undefined && /^\d+$/.test(retry) ? { retryNum: Number(retry) } : {}),
      ...(header(req, 'x-slack-retry-reason') ? { retryReason: header(req, 'x-slack-retry-reason') } : {}),
    };
    try {
      await app.processEvent(event);
      // No listener acknowledged it (an unknown payload type): tell Slack it arrived.
      await ack();
    } catch (error) {
      clearTimeout(fallback);
      log.error({ err: error, type: body.type }, 'slack request failed');
      if (!acked) {
        acked = true;
        end(res, error instanceof AuthorizationError ? 401 : 500);
      }
    }
  }

  /** Why a request is not authentic, or undefined when it is. */
  private async verify(req: IncomingMessage, raw: string): Promise<string | undefined> {
    const signature = header(req, 'x-slack-signature');
    const timestamp = header(req, 'x-slack-request-timestamp');
    if (!signature || !timestamp) return 'unsigned';
    const seconds = Number(timestamp);
    const nowMs = this.now();
    if (!Number.isInteger(seconds)) return 'bad timestamp';
    if (Math.abs(nowMs / 1000 - seconds) > MAX_SKEW_SECONDS) return 'stale timestamp';
    const valid = isValidSlackRequest({
      signingSecret: this.options.signingSecret,
      body: raw,
      headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': seconds },
      nowMilliseconds: nowMs,
    });
    if (!valid) return 'bad signature';
    // Slack signs every delivery with its own timestamp (a retry five minutes later would otherwise
    // fail every app's staleness check), so the same signature twice is a replay, not a retry.
    if (!this.signatures.add(signature)) return 'replayed';
    if (this.options.seen) {
      try {
        if (!(await this.options.seen.claim(`slack:sig:${signature}`, this.signatureTtlMs)))
          return 'replayed';
      } catch (error) {
        // The in-process check above still holds; refusing every request while the store is down
        // would stop the bot, so this one goes through and the outage is logged.
        this.options.logger.warn(
          { code: (error as { code?: string }).code ?? 'STORE' },
          'could not record a Slack signature in the shared store',
        );
      }
    }
    return undefined;
  }
}
