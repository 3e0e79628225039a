import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { castVote, type FeedbackStore, VOTES } from '../../core/conversation/feedback.js';
import { overLongLine, typoHint } from '../../core/conversation/input.js';
import type { Audience, Reply, Turn } from '../../core/conversation/reply.js';
import { FORM_RE } from '../../core/conversation/understand.js';
import { newReference } from '../../core/errors.js';
import { todayIn } from '../../core/requests/input.js';
import type { NewRequest } from '../../core/requests/register.js';
import type { Logger } from '../../logger.js';
import type { HttpServer } from '../http.js';
import {
  activitySchema,
  actorOf,
  audienceOf,
  channelIdOf,
  messageText,
  type TeamsActivity,
  tenantOf,
} from './activity.js';
import {
  AuthUnavailableError,
  type BotTransport,
  type OutgoingMessage,
  type TurnHandle,
  UnauthorizedError,
} from './bot-framework.js';
import { type AdaptiveCard, CARD_CONTENT_TYPE, replyCard, requestFormCard, textCard } from './cards.js';
import { TeamsNotifier } from './notifier.js';
import type { ConversationRef, TeamsStore } from './store.js';
import { serviceOrigin, unreachableConnector } from './unreachable.js';

/**
 * Microsoft Teams, through the Bot Framework: `POST /api/messages` on the shared HTTP server.
 * A thin translation: an activity becomes a core {@link Turn} (text without the bot's @mention,
 * the actor, the audience), the core's {@link Reply} becomes an Adaptive Card, and card buttons
 * come back as Action.Submit data routed to the engine. What may be shown to whom is decided by
 * the core from the audience; this file only works out the audience from where the message was
 * posted.
 */

/** What the channel needs of the conversation engine. */
export interface TeamsEngine {
  handle(turn: Turn): Promise<Reply>;
  act(action: string, value: string, turn: Omit<Turn, 'text'>): Promise<Reply>;
  submitRequest(input: NewRequest, turn: Omit<Turn, 'text'>): Promise<Reply>;
}

export interface TeamsChannelOptions {
  engine: TeamsEngine;
  store: TeamsStore;
  transport: BotTransport;
  logger: Logger;
  /** Entra object ids of the privacy team. */
  privacyTeam: string[];
  /** The privacy team's channel (19:...@thread.tacv2): may see requester data, gets notices. */
  privacyChannelId?: string;
  /** The bot's own tenant; activities from any other are ignored. */
  tenantId?: string;
  /** Dev mode (no authentication): accept callers on this machine only. */
  loopbackOnly: boolean;
  /** Policies offered in the request form. */
  policies: { id: string; name: string }[];
  /** Votes on answers (the core's one store, shared with Slack); without it only thanks. */
  feedback?: FeedbackStore;
  defaultTimeZone: string;
  /**
   * How long a turn may take before the bot answers "still working" and delivers the reply later
   * as a proactive message. Each user message should get its first response within 15 seconds
   * (learn.microsoft.com/microsoft-365-copilot/extensibility/custom-engine-agent-asynchronous-flow);
   * 10 s leaves room for the network.
   */
  replyWithinMs?: number;
  now?: () => Date;
}

/** Largest request body accepted; activities are a few KB, a pasted message at most ~100 KB. */
const MAX_BODY_BYTES = 512 * 1024;

/**
 * "log a request", "new request", "request"...: Teams shows the intake form where the core would
 * ask for everything on one line. The pattern is the core's, shared with Slack and the console.
 */
export { FORM_RE };

const submitSchema = z.looseObject({
  action: z.string().min(1).max(64),
  value: z.string().max(200).optional(),
});

const voteSchema = z.object({
  questionId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/),
  vote: z.enum(VOTES),
});

const field = (max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z.string().trim().max(max).optional(),
  );

const formSchema = z.object({
  formId: z.string().regex(/^[A-Za-z0-9-]{8,64}$/),
  type: field(40),
  regime: field(40),
  received: field(20),
  requesterName: field(1000),
  requesterEmail: field(1000),
  requesterPhone: field(100),
  requesterAddress: field(1000),
  country: field(10),
  channel: field(100),
  owner: field(1000),
  policyId: field(200),
  note: field(5000),
});

const FORM_LABELS: Record<string, string> = {
  type: 'the request type',
  regime: 'the law',
  received: 'the received date',
  requesterName: "the requester's name",
};

function errorReply(text: string): Reply {
  return { blocks: [{ kind: 'error', text }], text, personal: false };
}

function textReply(text: string): Reply {
  return { blocks: [{ kind: 'text', text }], text, personal: false };
}

function cardMessage(card: AdaptiveCard, summary?: string): OutgoingMessage {
  return {
    type: 'message',
    attachments: [{ contentType: CARD_CONTENT_TYPE, content: card }],
    // The preview in notifications and the activity feed; a card alone would show as "Card".
    ...(summary ? { summary: summary.split('\n')[0]!.slice(0, 200) } : {}),
  };
}

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

export class TeamsChannel {
  readonly notifier: TeamsNotifier;
  private readonly privacyTeam: ReadonlySet<string>;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly saved = new Map<string, string>();
  private readonly log: Logger;

  constructor(private readonly options: TeamsChannelOptions) {
    this.privacyTeam = new Set(options.privacyTeam.map((id) => id.toLowerCase()));
    this.log = options.logger.child({ channel: 'teams' });
    this.notifier = new TeamsNotifier({
      transport: options.transport,
      store: options.store,
      privacyChannelId: options.privacyChannelId,
      defaultTimeZone: options.defaultTimeZone,
    });
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  /** Mounts `POST /api/messages`, the Bot Framework messaging endpoint configured in Azure. */
  mount(http: HttpServer, path = '/api/messages'): void {
    http.mount(path, (req, res) => this.serve(req, res));
  }

  /** Waits for replies still being delivered after their turn (bounded), for a clean shutdown. */
  async stop(timeoutMs = 20_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.inFlight]),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      }),
    ]);
    clearTimeout(timer);
  }

  /** Resolves once every reply that outlived its turn has been delivered; for tests. */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private track(work: Promise<void>): void {
    const tracked = work.finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST')
      return respond(res, 405, { error: 'POST an activity here' }, { allow: 'POST' });
    // Dev mode has no authentication at all (an empty app id makes CloudAdapter accept any
    // caller), so it serves only this machine: the Emulator, or a tunnel whose client runs here.
    if (this.options.loopbackOnly && !isLoopback(req.socket.remoteAddress)) {
      this.log.warn('refused a non-local caller: TEAMS_DEV_MODE serves this machine only');
      return respond(res, 403, { error: 'TEAMS_DEV_MODE accepts requests from this machine only' });
    }
    const raw = await readBody(req, MAX_BODY_BYTES);
    if (raw === 'too-large') return respond(res, 413, { error: 'activity too large' });
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return respond(res, 400, { error: 'the body is not JSON' });
    }
    if (
      typeof body !== 'object' ||
      body === null ||
      Array.isArray(body) ||
      typeof (body as { type?: unknown }).type !== 'string'
    ) {
      return respond(res, 400, { error: 'the body is not a Bot Framework activity' });
    }
    const authorization = typeof req.headers.authorization === 'string' ? req.headers.authorization : '';
    try {
      const result = await this.options.transport.process(
        body as Record<string, unknown>,
        authorization,
        (turn) => this.onTurn(turn),
      );
      respond(res, result.status, result.body);
    } catch (error) {
      if (error instanceof UnauthorizedError) {
        // Logged without the token; the cause says which check failed.
        this.log.warn(
          { reason: String((error.cause as Error | undefined)?.message ?? '').slice(0, 200) },
          'unauthenticated Bot Framework request refused',
        );
        return respond(res, 401, { error: 'unauthorized' }, { 'www-authenticate': 'Bearer' });
      }
      if (error instanceof AuthUnavailableError) {
        this.log.error({ err: error.cause }, 'could not fetch the Bot Framework signing keys');
        return respond(res, 503, { error: 'the token cannot be checked right now' }, { 'retry-after': '5' });
      }
      if (error instanceof BadActivityError) return respond(res, 400, { error: error.message });
      throw error;
    }
  }

  private async onTurn(turn: TurnHandle): Promise<void> {
    const parsed = activitySchema.safeParse(turn.activity);
    if (!parsed.success) throw new BadActivityError('the activity lacks fields Teams always sends');
    const activity = parsed.data;
    // Defence in depth: the bot serves its own organisation, whatever else reaches it.
    const tenant = tenantOf(activity);
    if (this.options.tenantId && tenant && tenant.toLowerCase() !== this.options.tenantId.toLowerCase()) {
      this.log.warn({ type: activity.type }, 'ignored an activity from another tenant');
      return;
    }
    try {
      switch (activity.type) {
        case 'message':
          await this.remember(activity, turn);
          return await this.onMessage(activity, turn);
        case 'invoke':
          if (activity.name === 'adaptiveCard/action') return await this.onExecute(activity, turn);
          return; // Other invokes are answered 501 Not Implemented by the adapter.
        case 'conversationUpdate':
          await this.remember(activity, turn);
          if (activity.membersAdded?.some((m) => m.id === activity.recipient.id))
            await this.welcome(activity, turn);
          return;
        case 'installationUpdate':
          if (activity.action?.startsWith('remove')) await this.forget(activity);
          else await this.remember(activity, turn);
          return;
        default:
          return; // typing, reactions, edits: nothing to say.
      }
    } catch (error) {
      const reference = newReference();
      const unreachable = unreachableConnector(error);
      if (unreachable)
        this.log.warn(
          { ...unreachable, reference, type: activity.type, serviceUrl: serviceOrigin(activity.serviceUrl) },
          'could not send the reply to the serviceUrl: check that the Bot Framework Emulator or Agents Playground is still open, or that the serviceUrl is right',
        );
      else this.log.error({ err: error, reference, type: activity.type }, 'Teams turn failed');
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
  }

  private context(activity: TeamsActivity): { actor: Turn['actor']; audience: Audience; now: Date } {
    return {
      actor: actorOf(activity, this.privacyTeam),
      audience: audienceOf(activity, this.options.privacyChannelId),
      now: this.now(),
    };
  }

  private async onMessage(activity: TeamsActivity, turn: TurnHandle): Promise<void> {
    const base = this.context(activity);
    const tz = base.actor.timeZone ?? this.options.defaultTimeZone;
    // Action.Submit on a card in a conversation arrives as a message whose value is the card data.
    if (typeof activity.value === 'object' && activity.value !== null && !activity.text?.trim()) {
      const value = activity.value;
      return this.reply(turn, base.audience, tz, async () => {
        const reply = await this.onSubmit(value, base);
        // A mail's draft card settled by this press now says what became of it, without buttons.
        const card = activity.replyToId;
        if (reply.settled && card)
          await turn
            .update(card, cardMessage(textCard(reply.settled)))
            .catch((error: unknown) => this.log.warn({ err: error }, 'could not update the settled card'));
        return reply;
      });
    }
    const text = messageText(activity);
    // Checked before the core: its regexes and search need not see a 100 KB paste.
    const overLong = overLongLine(text);
    if (overLong) return this.deliver(turn, errorReply(overLong), base.audience, tz);
    if (FORM_RE.test(text)) {
      const form = requestFormCard({
        formId: randomUUID(),
        today: todayIn(base.now, tz),
        policies: this.options.policies,
        shared: base.audience === 'shared',
      });
      return turn.send(cardMessage(form, 'Log a rights request'));
    }
    const hint = typoHint(text, base.now);
    if (hint) return this.deliver(turn, textReply(hint), base.audience, tz);
    return this.reply(turn, base.audience, tz, () => this.options.engine.handle({ ...base, text }));
  }

  /**
   * Runs `work` and delivers its reply in this turn when it is quick; otherwise says "still
   * working" now and delivers the reply proactively into the same conversation when it is done.
   */
  private async reply(
    turn: TurnHandle,
    audience: Audience,
    tz: string,
    work: () => Promise<Reply>,
  ): Promise<void> {
    const pending = work();
    const quick = await this.within(pending);
    if (quick) return this.deliver(turn, quick.reply, audience, tz);
    await turn.send(cardMessage(textCard('Still working on that; the answer will follow here shortly.')));
    // The turn context is revoked when the HTTP request ends; the reference outlives it.
    const reference = turn.reference();
    this.track(
      pending
        .then((reply) => this.options.transport.send(reference, this.message(reply, audience, tz)))
        .then(() => this.notice(pending, audience))
        .catch((error) => this.log.error({ err: error }, 'late Teams reply could not be delivered')),
    );
  }

  private async within(pending: Promise<Reply>): Promise<{ reply: Reply } | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), this.options.replyWithinMs ?? 10_000);
    });
    try {
      return await Promise.race([pending.then((reply) => ({ reply })), late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The reply as a card; a reply with personal data never goes to a shared audience. */
  private message(reply: Reply, audience: Audience, tz: string): OutgoingMessage {
    if (reply.personal && audience === 'shared') {
      // The core does not produce this; the check stays as a second line of defence.
      return cardMessage(
        textCard(
          'That reply contains personal data, so I only show it in a personal chat with me or in the privacy channel.',
        ),
      );
    }
    return cardMessage(replyCard(reply, tz), reply.text);
  }

  private async deliver(turn: TurnHandle, reply: Reply, audience: Audience, tz: string): Promise<void> {
    await turn.send(this.message(reply, audience, tz));
    await this.notice(Promise.resolve(reply), audience);
  }

  /** Posts the reply's notice (never personal data) to the privacy channel, unless it was said there. */
  private async notice(reply: Promise<Reply>, audience: Audience): Promise<void> {
    const notice = (await reply).notice;
    if (!notice || audience === 'privacy-channel' || !this.options.privacyChannelId) return;
    this.track(
      this.notifier
        .sendToPrivacyChannel(textReply(notice.text))
        .then((sent) => {
          if (!sent)
            this.log.warn('no conversation with the privacy channel yet: install the app in its team');
        })
        .catch((error) => this.log.error({ err: error }, 'privacy channel notice failed')),
    );
  }

  private async onSubmit(value: object, base: Omit<Turn, 'text'>): Promise<Reply> {
    const data = submitSchema.safeParse(value);
    if (!data.success) {
      return errorReply('I could not read that card action. Type "help" to see what I can do.');
    }
    switch (data.data.action) {
      case 'answer.vote':
        return this.vote(value, base);
      case 'request.submit':
        return this.submitForm(value, base);
      default:
        // The engine knows its own buttons and answers unknown ones with a clear message.
        return this.options.engine.act(data.data.action, data.data.value ?? '', base);
    }
  }

  private async vote(value: object, base: Omit<Turn, 'text'>): Promise<Reply> {
    const parsed = voteSchema.safeParse(value);
    if (!parsed.success) return errorReply('That vote button is broken; ask the question again to vote.');
    const { questionId, vote } = parsed.data;
    return textReply(
      await castVote(this.options.feedback, {
        questionId,
        user: base.actor.id,
        vote,
        clauses: [],
        at: base.now.toISOString(),
      }),
    );
  }

  private async submitForm(value: object, base: Omit<Turn, 'text'>): Promise<Reply> {
    const parsed = formSchema.safeParse(value);
    if (!parsed.success) {
      const bad = [...new Set(parsed.error.issues.map((i) => String(i.path[0] ?? '')))].join(', ');
      return errorReply(
        `Some of the form's fields could not be read (${bad.slice(0, 100)}). Say "log a request" for a new form.`,
      );
    }
    const form = parsed.data;
    const missing: string[] = (['type', 'regime', 'received', 'requesterName'] as const)
      .filter((k) => !form[k])
      .map((k) => FORM_LABELS[k]!);
    // Any one contact: a request by post or phone may come without an email.
    if (!form.requesterEmail && !form.requesterPhone && !form.requesterAddress)
      missing.push("the requester's email, phone number or postal address");
    if (missing.length > 0) {
      return errorReply(`Please fill in ${missing.join(', ')}, then press "Log request" again.`);
    }
    // A double click sends two submissions within milliseconds: the atomic claim lets one through.
    if (!(await this.options.store.claimForm(form.formId, base.now))) {
      const id = await this.options.store.formResult(form.formId);
      return textReply(
        id
          ? `This form was already submitted: it logged ${id}.`
          : 'This form is being submitted already. If no confirmation follows within a minute, press "Log request" again.',
      );
    }
    // "DE-BY" is country and region, as the CLI's --country accepts it.
    const [country, region] = (form.country ?? '').split('-');
    const input: NewRequest = {
      type: form.type!,
      regime: form.regime!,
      received: form.received!,
      requesterName: form.requesterName!,
      ...(form.requesterEmail ? { requesterEmail: form.requesterEmail } : {}),
      ...(form.requesterPhone ? { requesterPhone: form.requesterPhone } : {}),
      ...(form.requesterAddress ? { requesterAddress: form.requesterAddress } : {}),
      ...(country ? { country } : {}),
      ...(region ? { region } : {}),
      ...(form.channel ? { channel: form.channel } : {}),
      ...(form.owner ? { owner: form.owner } : {}),
      ...(form.policyId ? { policyId: form.policyId } : {}),
      ...(form.note ? { note: form.note } : {}),
    };
    let reply: Reply;
    try {
      reply = await this.options.engine.submitRequest(input, base);
    } catch (error) {
      await this.options.store.releaseForm(form.formId);
      throw error;
    }
    const logged = reply.blocks.find((b) => b.kind === 'request');
    if (logged?.kind === 'request')
      await this.options.store.completeForm(form.formId, logged.request.id, base.now);
    else await this.options.store.releaseForm(form.formId); // Invalid input: correct it and submit again.
    return reply;
  }

  /**
   * Action.Execute (Universal Actions) arrives as an `adaptiveCard/action` invoke whose answer is
   * the HTTP response: a card that replaces the one pressed
   * (learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/overview).
   */
  private async onExecute(activity: TeamsActivity, turn: TurnHandle): Promise<void> {
    const base = this.context(activity);
    const tz = base.actor.timeZone ?? this.options.defaultTimeZone;
    // value.action.verb is the Action.Execute verb; its data is what Action.Submit would send.
    const action = z
      .object({
        action: z.object({
          verb: z.string().max(64).optional(),
          data: z.record(z.string(), z.unknown()).optional(),
        }),
      })
      .safeParse(activity.value);
    const data = action.success ? { action: action.data.action.verb, ...action.data.action.data } : {};
    const pending = this.onSubmit(data, base);
    const quick = await this.within(pending);
    if (!quick) {
      await turn.respondToInvoke(200, {
        statusCode: 200,
        type: 'application/vnd.microsoft.activity.message',
        value: 'Still working on that; the answer will follow here shortly.',
      });
      const reference = turn.reference();
      this.track(
        pending
          .then((reply) => this.options.transport.send(reference, this.message(reply, base.audience, tz)))
          .catch((error) => this.log.error({ err: error }, 'late Teams reply could not be delivered')),
      );
      return;
    }
    const message = this.message(quick.reply, base.audience, tz);
    await turn.respondToInvoke(200, {
      statusCode: 200,
      type: CARD_CONTENT_TYPE,
      value: message.attachments?.[0]?.content,
    });
    await this.notice(Promise.resolve(quick.reply), base.audience);
  }

  private async welcome(activity: TeamsActivity, turn: TurnHandle): Promise<void> {
    const audience = audienceOf(activity, this.options.privacyChannelId);
    const lines = [
      'Hello, I am privacy-ops. I answer questions from our privacy policies, quoting the policy, section and exact words, and I keep the register of data-subject rights requests with their legal deadlines.',
      audience === 'private'
        ? 'Ask me a question, e.g. "how long do we keep technical logs?", say "log a request", or "help" for everything I can do.'
        : 'Mention me with a question, e.g. "@privacy-ops how long do we keep technical logs?", or with "help".',
    ];
    if (audience === 'privacy-channel')
      lines.push('New requests and reminder summaries will be posted in this channel.');
    await turn.send(cardMessage(textCard(lines.join('\n')), 'Hello, I am privacy-ops.'));
  }

  /**
   * Keeps the conversation references proactive messages need: a user's personal chat, and every
   * channel the bot hears from (as the channel itself, so a notice starts a new post there).
   */
  private async remember(activity: TeamsActivity, turn: TurnHandle): Promise<void> {
    try {
      await this.saveReferences(activity, turn);
    } catch (error) {
      // Answering matters more than remembering: a store failure only costs later notices.
      this.log.error({ err: error }, 'could not save the Teams conversation reference');
    }
  }

  private async saveReferences(activity: TeamsActivity, turn: TurnHandle): Promise<void> {
    const now = this.now();
    const { activityId: _inbound, ...reference } = turn.reference() as ConversationRef & {
      activityId?: string;
    };
    const aad = activity.from.aadObjectId?.toLowerCase();
    const type = activity.conversation.conversationType;
    const writes: [string, ConversationRef][] = [];
    if (type === 'personal' && aad) writes.push([`user:${aad}`, reference]);
    const channelId = channelIdOf(activity);
    if (channelId) {
      writes.push([
        `channel:${channelId}`,
        { ...reference, conversation: { ...reference.conversation, id: channelId } },
      ]);
    }
    writes.push([
      'service',
      {
        channelId: reference.channelId,
        serviceUrl: reference.serviceUrl,
        conversation: { id: '', ...(tenantOf(activity) ? { tenantId: tenantOf(activity) } : {}) },
        ...(reference.bot ? { bot: reference.bot } : {}),
      },
    ]);
    for (const [key, value] of writes) {
      // Written when changed only: every message would otherwise cost a store write or three.
      const json = JSON.stringify(value);
      if (this.saved.get(key) === json) continue;
      await this.options.store.saveReference(key, value, now);
      this.saved.set(key, json);
    }
    if (aad && activity.type === 'message' && activity.from.name) {
      await this.options.store.rememberUser(actorOf(activity, this.privacyTeam).name, aad, now);
    }
  }

  private async forget(activity: TeamsActivity): Promise<void> {
    const aad = activity.from.aadObjectId?.toLowerCase();
    const keys: string[] = [];
    if (activity.conversation.conversationType === 'personal' && aad) keys.push(`user:${aad}`);
    const channelId = channelIdOf(activity);
    if (channelId) keys.push(`channel:${channelId}`);
    for (const key of keys) {
      this.saved.delete(key);
      await this.options.store.deleteReference(key);
    }
  }
}
