import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { AppError, newReference, toAppError } from '../../core/errors.js';
import type { IntakeOutcome, IntakeService } from '../../core/intake/service.js';
import { intakeSubmissionSchema } from '../../core/intake/submission.js';
import type { Logger } from '../../logger.js';
import { BodyTooLarge, header, type RouteHandler, readBody } from '../http.js';

/**
 * `POST /api/intake`: a signed JSON delivery from a web form, a ticketing tool or a mail-parsing
 * service. Translation only: the signature, the body and the status code live here; what an intake
 * does is {@link IntakeService}'s.
 *
 * Signing, after Slack's scheme (docs.slack.dev/authentication/verifying-requests-from-slack):
 * `X-Intake-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>" under INTAKE_SECRET>`,
 * `X-Intake-Timestamp: <unix seconds>`. A timestamp more than five minutes from now is refused, so
 * a captured delivery cannot be replayed later; within those minutes a replay carries the same
 * idempotency key and returns the original result without doing anything again.
 */

export const INTAKE_PATH = '/api/intake';
export const SIGNATURE_HEADER = 'x-intake-signature';
export const TIMESTAMP_HEADER = 'x-intake-timestamp';
/** As Slack: five minutes either way covers clock drift and queueing, not a later replay. */
export const MAX_SKEW_SECONDS = 5 * 60;
/** Largest body accepted: the schema's fields at their limits fit in well under this. */
export const INTAKE_BODY_LIMIT_BYTES = 64 * 1024;

export interface IntakeRouteOptions {
  secret: string;
  service: IntakeService;
  logger: Logger;
  /** Milliseconds since the epoch; injected for tests. */
  now?: () => number;
}

/** The signature a sender puts in {@link SIGNATURE_HEADER}. */
export function intakeSignature(secret: string, timestamp: number | string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

function send(res: ServerResponse, status: number, body: Record<string, unknown>, close = false): void {
  if (res.headersSent) return;
  res
    .writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      ...(close ? { connection: 'close' } : {}),
    })
    .end(JSON.stringify(body));
}

/** Why a delivery is not authentic, as a sentence saying what to fix; undefined when it is. */
export function verifyIntakeSignature(
  secret: string,
  raw: string,
  signature: string | undefined,
  timestamp: string | undefined,
  nowMs: number,
): string | undefined {
  if (!signature || !timestamp)
    return `Unsigned: send ${TIMESTAMP_HEADER} (unix seconds) and ${SIGNATURE_HEADER} (sha256=HMAC of "timestamp.body").`;
  if (!/^\d{1,12}$/.test(timestamp))
    return `${TIMESTAMP_HEADER} must be unix seconds, e.g. ${Math.floor(nowMs / 1000)}.`;
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > MAX_SKEW_SECONDS)
    return `Stale timestamp: ${TIMESTAMP_HEADER} is more than 5 minutes from the server's clock; sign each delivery when sending it and check the sender's clock.`;
  const expected = Buffer.from(intakeSignature(secret, timestamp, raw));
  const given = Buffer.from(signature.trim());
  // timingSafeEqual needs equal lengths; comparing the expected value with itself keeps the time flat.
  const same = given.length === expected.length && timingSafeEqual(given, expected);
  if (!same)
    return `Wrong signature: ${SIGNATURE_HEADER} must be sha256=<hex HMAC-SHA256 of "timestamp.rawBody"> under INTAKE_SECRET.`;
  return undefined;
}

function outcomeBody(outcome: IntakeOutcome, duplicate: boolean): Record<string, unknown> {
  return { ...outcome, ...(duplicate ? { duplicate: true } : {}) };
}

/** The route handler; mount it at {@link INTAKE_PATH}. */
export function intakeRoute(options: IntakeRouteOptions): RouteHandler {
  const now = options.now ?? Date.now;
  const log = options.logger.child({ component: 'intake' });
  return async (req, res) => {
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      send(res, 405, { error: `Use POST to ${INTAKE_PATH}.` });
      return;
    }
    let raw: string;
    try {
      raw = await readBody(req, INTAKE_BODY_LIMIT_BYTES);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        log.warn({ code: 'INVALID_INPUT' }, 'intake body too large');
        send(res, 413, { error: `The body is larger than ${INTAKE_BODY_LIMIT_BYTES / 1024} kB.` }, true);
      } else send(res, 400, { error: 'The body could not be read.' });
      return;
    }
    const problem = verifyIntakeSignature(
      options.secret,
      raw,
      header(req, SIGNATURE_HEADER),
      header(req, TIMESTAMP_HEADER),
      now(),
    );
    if (problem) {
      // Which check failed, never the body (personal data).
      log.warn({ code: 'FORBIDDEN', reason: problem.split(':')[0] }, 'intake delivery refused');
      send(res, 401, { error: problem });
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      send(res, 400, {
        error: 'The body is not valid JSON; send one JSON object (content-type application/json).',
      });
      return;
    }
    const parsed = intakeSubmissionSchema.safeParse(json);
    if (!parsed.success) {
      // The issues name fields and rules; zod does not echo the values given.
      const issues = parsed.error.issues.map((i) => ({
        path: i.path.join('.') || '(body)',
        message: i.message,
      }));
      send(res, 400, { error: 'The body does not match the intake schema; see issues.', issues });
      return;
    }
    try {
      const result = await options.service.submit(parsed.data, new Date(now()));
      switch (result.kind) {
        case 'new':
          log.info(
            {
              status: result.outcome.status,
              ...(result.outcome.status === 'logged'
                ? { requestId: result.outcome.requestId }
                : { intakeId: result.outcome.intakeId }),
            },
            'intake accepted',
          );
          send(res, result.outcome.status === 'logged' ? 201 : 202, outcomeBody(result.outcome, false));
          return;
        case 'duplicate':
          send(res, 200, outcomeBody(result.outcome, true));
          return;
        case 'in-progress':
          res.setHeader('retry-after', '5');
          send(res, 409, {
            error: 'A delivery with this idempotencyKey is being handled; retry in a few seconds.',
          });
          return;
        case 'key-reused':
          send(res, 409, {
            error: 'This idempotencyKey was used for a different request; use a new key for each request.',
          });
          return;
      }
    } catch (error) {
      const appError = toAppError(error);
      if (appError.code === 'INVALID_INPUT') {
        send(res, 400, { error: appError.message });
        return;
      }
      const reference = newReference();
      log.error({ code: appError.code, reference, err: appError.cause ?? appError }, 'intake failed');
      const status = appError.code === 'STORE' ? 503 : 500;
      if (status === 503) res.setHeader('retry-after', '30');
      send(res, status, {
        error: `${appError instanceof AppError && appError.code === 'STORE' ? 'The register store is unavailable; retry with the same idempotencyKey.' : 'Something went wrong on our side; retry with the same idempotencyKey.'} (reference ${reference})`,
      });
    }
  };
}
