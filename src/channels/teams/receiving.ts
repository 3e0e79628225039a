import type { IncomingMessage, ServerResponse } from 'node:http';
import { newReference } from '../../core/errors.js';
import { activitySchema, type TeamsActivity, tenantOf } from './activity.js';
import { AuthUnavailableError, type TurnHandle, UnauthorizedError } from './bot-framework.js';
import { textCard } from './cards.js';
import type { TeamsContext } from './context.js';
import { forget, remember } from './references.js';
import { cardMessage } from './render.js';
import { onExecute, onMessage, welcome } from './turns.js';
import { serviceOrigin, unreachableConnector } from './unreachable.js';

/**
 * Receiving: `POST /api/messages`, the Bot Framework messaging endpoint. The request is checked
 * (method, dev mode's local callers, size, JSON), authenticated by the transport, and each
 * activity handed to its turn (turns.ts) by type; a failed turn is logged with a reference and
 * the person told so.
 */

/** Largest request body accepted; activities are a few KB, a pasted message at most ~100 KB. */
const MAX_BODY_BYTES = 512 * 1024;

class BadActivityError extends Error {}

/** True for a caller on this machine (IPv4 loopback, IPv6 loopback, IPv4-mapped loopback). */
export function isLoopback(address: string | undefined): boolean {
  return Boolean(address && (/^127\./.test(address) || address === '::1' || /^::ffff:127\./.test(address)));
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) over = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(over ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function respond(
  res: ServerResponse,
  status: number,
  body?: unknown,
  headers: Record<string, string> = {},
): void {
  if (body === undefined) {
    res.writeHead(status, headers).end();
    return;
  }
  res
    .writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
    .end(JSON.stringify(body));
}

/** The activity in a request body, or the status and error to answer with. */
async function readActivity(
  ctx: TeamsContext,
  req: IncomingMessage,
): Promise<
  { body: Record<string, unknown> } | { status: number; error: string; headers?: Record<string, string> }
> {
  if (req.method !== 'POST')
    return { status: 405, error: 'POST an activity here', headers: { allow: 'POST' } };
  // Dev mode has no authentication at all (an empty app id makes CloudAdapter accept any
  // caller), so it serves only this machine: the Emulator, or a tunnel whose client runs here.
  if (ctx.options.loopbackOnly && !isLoopback(req.socket.remoteAddress)) {
    ctx.log.warn('refused a non-local caller: TEAMS_DEV_MODE serves this machine only');
    return { status: 403, error: 'TEAMS_DEV_MODE accepts requests from this machine only' };
  }
  const raw = await readBody(req, MAX_BODY_BYTES);
  if (raw === 'too-large') return { status: 413, error: 'activity too large' };
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    return { status: 400, error: 'the body is not JSON' };
  }
  if (
    typeof body !== 'object' ||
    body === null ||
    Array.isArray(body) ||
    typeof (body as { type?: unknown }).type !== 'string'
  )
    return { status: 400, error: 'the body is not a Bot Framework activity' };
  return { body: body as Record<string, unknown> };
}

/** Serves one request to the messaging endpoint. */
export async function serve(ctx: TeamsContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const read = await readActivity(ctx, req);
  if (!('body' in read)) return respond(res, read.status, { error: read.error }, read.headers);
  const authorization = typeof req.headers.authorization === 'string' ? req.headers.authorization : '';
  try {
    const result = await ctx.options.transport.process(read.body, authorization, (turn) => onTurn(ctx, turn));
    respond(res, result.status, result.body);
  } catch (error) {
    if (error instanceof UnauthorizedError) {
      // Logged without the token; the cause says which check failed.
      ctx.log.warn(
        { reason: String((error.cause as Error | undefined)?.message ?? '').slice(0, 200) },
        'unauthenticated Bot Framework request refused',
      );
      return respond(res, 401, { error: 'unauthorized' }, { 'www-authenticate': 'Bearer' });
    }
    if (error instanceof AuthUnavailableError) {
      ctx.log.error({ err: error.cause }, 'could not fetch the Bot Framework signing keys');
      return respond(res, 503, { error: 'the token cannot be checked right now' }, { 'retry-after': '5' });
    }
    if (error instanceof BadActivityError) return respond(res, 400, { error: error.message });
    throw error;
  }
}

/** One authenticated activity: checked, from the bot's own tenant, handed to its turn by type. */
async function onTurn(ctx: TeamsContext, turn: TurnHandle): Promise<void> {
  const parsed = activitySchema.safeParse(turn.activity);
  if (!parsed.success) throw new BadActivityError('the activity lacks fields Teams always sends');
  const activity = parsed.data;
  // Defence in depth: the bot serves its own organisation, whatever else reaches it.
  const tenant = tenantOf(activity);
  if (ctx.options.tenantId && tenant && tenant.toLowerCase() !== ctx.options.tenantId.toLowerCase()) {
    ctx.log.warn({ type: activity.type }, 'ignored an activity from another tenant');
    return;
  }
  try {
    await dispatch(ctx, activity, turn);
  } catch (error) {
    await failed(ctx, activity, turn, error);
  }
}

async function dispatch(ctx: TeamsContext, activity: TeamsActivity, turn: TurnHandle): Promise<void> {
  switch (activity.type) {
    case 'message':
      await remember(ctx, activity, turn);
      return onMessage(ctx, activity, turn);
    case 'invoke':
      if (activity.name === 'adaptiveCard/action') return onExecute(ctx, activity, turn);
      return; // Other invokes are answered 501 Not Implemented by the adapter.
    case 'conversationUpdate':
      await remember(ctx, activity, turn);
      if (activity.membersAdded?.some((m) => m.id === activity.recipient.id))
        await welcome(ctx, activity, turn);
      return;
    case 'installationUpdate':
      if (activity.action?.startsWith('remove')) await forget(ctx, activity);
      else await remember(ctx, activity, turn);
      return;
    default:
      return; // typing, reactions, edits: nothing to say.
  }
}

/** A turn that failed: logged with a reference (a connector out of reach said as such), the person told. */
async function failed(
  ctx: TeamsContext,
  activity: TeamsActivity,
  turn: TurnHandle,
  error: unknown,
): Promise<void> {
  const reference = newReference();
  const unreachable = unreachableConnector(error);
  if (unreachable)
    ctx.log.warn(
      { ...unreachable, reference, type: activity.type, serviceUrl: serviceOrigin(activity.serviceUrl) },
      'could not send the reply to the serviceUrl: check that the Bot Framework Emulator or Agents Playground is still open, or that the serviceUrl is right',
    );
  else ctx.log.error({ err: error, reference, type: activity.type }, 'Teams turn failed');
  const sorry = `Something went wrong on our side (reference ${reference}). Try again in a moment; if it keeps happening, tell your admin.`;
  if (activity.type === 'invoke') {
    await turn
      .respondToInvoke(200, {
        statusCode: 200,
        type: 'application/vnd.microsoft.activity.message',
        value: sorry,
      })
      .catch(() => undefined);
  }
  if (activity.type === 'message') {
    await turn.send(cardMessage(textCard(sorry, 'attention'))).catch(() => undefined);
  }
}
