import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpServer } from '../../../src/channels/http.js';
import { isSlackAddress } from '../../../src/channels/slack/address.js';
import { SlackReminderChannel } from '../../../src/channels/slack/reminder-delivery.js';
import { BotFrameworkTransport } from '../../../src/channels/teams/bot-framework.js';
import { TeamsChannel, type TeamsEngine } from '../../../src/channels/teams/channel.js';
import {
  classify,
  isTeamsAddress,
  TeamsReminderChannel,
  UNKNOWN_TEAMS_USER,
} from '../../../src/channels/teams/reminder-delivery.js';
import { TeamsStore } from '../../../src/channels/teams/store.js';
import { ConversationEngine } from '../../../src/core/conversation/engine.js';
import type { Reply } from '../../../src/core/conversation/reply.js';
import type { PolicyAnswerer } from '../../../src/core/policy/answer.js';
import { CompositeReminderChannel } from '../../../src/core/reminders/composite.js';
import type { ReminderChannel, ReminderMessage } from '../../../src/core/reminders/delivery.js';
import { reminderReply } from '../../../src/core/reminders/messages.js';
import { Scheduler, type SchedulerLogger } from '../../../src/core/reminders/scheduler.js';
import { type ReminderBackend, ReminderStore } from '../../../src/core/reminders/store.js';
import { Register } from '../../../src/core/requests/register.js';
import { createLogger } from '../../../src/logger.js';
import { openRegisterStore } from '../../../src/store/register-store.js';
import {
  cardOf,
  cardText,
  FakeBotConnector,
  LEAD,
  PRIVACY_CHANNEL,
  postActivity,
  type RecordedActivity,
  STAFF,
  TeamsActivities,
} from '../../fakes/bot-connector.js';
import { FakeSlack } from '../../helpers/reminder-fake-slack.js';
import { REGISTER_OPTIONS, SETTINGS } from '../../helpers/reminder-sim.js';

/**
 * Reminder delivery into Teams: proactive messages through the Teams channel's notifier and the real
 * Bot Framework SDK, recorded by the loopback Bot Connector fake. A throttling front in between
 * answers 429 when told to, as the Connector does. And Slack and Teams together through the composite.
 */

const REQUESTER = { requesterName: 'Jane Roe', requesterEmail: 'jane.roe@example.com' };
const personalChat = (aad: string) => `a:personal-${aad.slice(0, 8)}`;

/** Stands in front of the connector: forwards everything, or answers scripted failures first. */
class ThrottlingFront {
  readonly hits: Array<{ conversationId: string; status: number }> = [];
  /** Called for each activity post before it is answered: a test moves its injected clock here. */
  during: () => void = () => {};
  private script: Array<{ status: number; headers: Record<string, string>; only?: string }> = [];
  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly target: string,
  ) {}

  static async start(target: string): Promise<ThrottlingFront> {
    let front!: ThrottlingFront;
    const server = createServer((req, res) => void front.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    front = new ThrottlingFront(server, `http://127.0.0.1:${port}/`, target);
    return front;
  }

  /** The next activity posts (to conversation `only`, or any) answer these statuses and headers. */
  fail(...failures: Array<{ status: number; headers?: Record<string, string>; only?: string }>): void {
    this.script.push(...failures.map((f) => ({ headers: {}, ...f })));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = req.url ?? '/';
    const conversation = /^\/v3\/conversations\/([^/]+)\/activities/.exec(path)?.[1];
    const conversationId = conversation ? decodeURIComponent(conversation) : '';
    if (conversation) this.during();
    const i = conversation ? this.script.findIndex((f) => !f.only || f.only === conversationId) : -1;
    if (i >= 0) {
      const [failure] = this.script.splice(i, 1);
      this.hits.push({ conversationId, status: failure!.status });
      res
        .writeHead(failure!.status, { 'content-type': 'application/json', ...failure!.headers })
        .end(JSON.stringify({ error: { code: 'Throttled', message: 'Too many requests' } }));
      return;
    }
    const upstream = await fetch(new URL(path.slice(1), this.target), {
      method: req.method ?? 'POST',
      headers: { 'content-type': 'application/json' },
      ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
    });
    if (conversation) this.hits.push({ conversationId, status: upstream.status });
    res.writeHead(upstream.status, { 'content-type': 'application/json' }).end(await upstream.text());
  }
}

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

const hello: Reply = { blocks: [{ kind: 'text', text: 'Hello.' }], text: 'Hello.', personal: false };
const engine: TeamsEngine = {
  handle: async () => hello,
  act: async () => hello,
  submitRequest: async () => hello,
};

/**
 * The Teams channel on a real HTTP server (dev mode), a register and an outbox in memory, and a
 * scheduler on an injected clock delivering through `channel(teams)`.
 */
async function setup(
  options: {
    lead?: string;
    channel?: (teams: TeamsReminderChannel, backend: ReminderBackend) => ReminderChannel;
  } = {},
) {
  const connector = await new FakeBotConnector().start();
  const front = await ThrottlingFront.start(connector.url);
  const teamsStore = await TeamsStore.open('memory://');
  const http = new HttpServer(createLogger('silent'));
  const teams = new TeamsChannel({
    engine,
    store: teamsStore,
    transport: new BotFrameworkTransport({}),
    logger: createLogger('silent'),
    privacyTeam: [LEAD.aadObjectId],
    privacyChannelId: PRIVACY_CHANNEL,
    loopbackOnly: true,
    policies: [],
    defaultTimeZone: 'Europe/London',
  });
  teams.mount(http);
  const port = await http.start(0, '127.0.0.1');
  const backend = await openRegisterStore('memory://');
  closers.push(
    () => connector.stop(),
    () => front.close(),
    () => teamsStore.close(),
    () => http.stop(),
    () => teams.stop(),
    () => backend.close(),
  );
  // Activities carry the front's address as serviceUrl, so stored references lead through it.
  const activities = new TeamsActivities(front.url);
  const register = await Register.open(backend, REGISTER_OPTIONS);
  const store = new ReminderStore(backend.backend);
  const clock = { now: new Date('2026-04-03T10:00:00Z') }; // Friday, 11:00 in London
  const errors: object[] = [];
  const logger: SchedulerLogger = { info() {}, warn() {}, error: (fields) => void errors.push(fields) };
  const teamsDelivery = new TeamsReminderChannel({
    notifier: teams.notifier,
    privacyChannelId: PRIVACY_CHANNEL,
  });
  const channel = options.channel?.(teamsDelivery, backend.backend) ?? teamsDelivery;
  const { lead: _slackLead, ...settings } = SETTINGS;
  const scheduler = new Scheduler({
    ...settings,
    ...(options.lead ? { lead: options.lead } : {}),
    register,
    store,
    channel,
    logger,
    now: () => clock.now,
    backoffMs: { base: 5_000, max: 60_000 },
  });
  /** A person writes to the bot in their personal chat: Teams stores the conversation reference. */
  const writes = async (user = STAFF) => {
    const res = await postActivity(port, activities.message('hello', { kind: 'personal' }, user));
    expect(res.status, res.body).toBe(200);
    await connector.waitFor(1);
    await teams.settled();
    connector.clear();
    front.hits.length = 0;
  };
  /** A request whose response deadline (2 April 2026) passed: overdue on 3 April. */
  const overdue = (owner?: string) =>
    register.add(
      {
        type: 'access',
        regime: 'gdpr',
        country: 'DE',
        received: '2026-03-02',
        ...REQUESTER,
        ...(owner ? { owner } : {}),
      },
      { actor: 'test', now: new Date('2026-03-20T10:00:00Z') },
    );
  return {
    connector,
    front,
    register,
    store,
    scheduler,
    clock,
    errors,
    writes,
    overdue,
    teamsDelivery,
    teamsStore,
    backend,
  };
}

const to = (activities: RecordedActivity[], conversationId: string) =>
  activities.filter((a) => a.conversationId === conversationId);

describe('Teams reminder delivery', () => {
  it("reaches a person's personal chat once they have written to the bot, as the channel's Adaptive Card", async () => {
    // The lead is the person the scheduler messages here (owners: 'Owners assigned through Teams').
    const { connector, scheduler, writes, overdue } = await setup({ lead: `teams:${STAFF.aadObjectId}` });
    await writes(STAFF);
    const request = await overdue();
    // Overdue and without an owner: the escalation (channel + lead), the unassigned flag, the digest.
    expect(await scheduler.sweep()).toMatchObject({ enqueued: 3, sent: 4, failed: 0, retried: 0 });
    const dms = to(connector.activities, personalChat(STAFF.aadObjectId));
    expect(dms).toHaveLength(1);
    expect(dms[0]!.method).toBe('POST');
    expect(dms[0]!.activity.attachments?.[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    const card = cardOf(dms[0]);
    expect(card.version).toBe('1.5');
    const text = cardText(card);
    expect(text).toMatch(
      new RegExp(`Overdue: the response deadline of ${request.id} \\(access, EU GDPR\\) passed on`),
    );
    expect(text).toContain('You get this as the privacy lead.');
    expect(text).toContain('[Mark done]');
    expect(dms[0]!.activity.summary).toMatch(/^Overdue: /);
    // Nothing is sent twice by later sweeps.
    expect(await scheduler.sweep(new Date('2026-04-03T11:00:00Z'))).toMatchObject({ enqueued: 0, sent: 0 });
    expect(to(connector.activities, personalChat(STAFF.aadObjectId))).toHaveLength(1);
  });

  it('finds an owner by Entra id, teams:<id> or the display name Teams knows them by', async () => {
    const { connector, register, writes, overdue, teamsDelivery } = await setup();
    await writes(STAFF);
    const request = await overdue();
    const state = await register.get(request.id);
    const message = (address: string): ReminderMessage => ({
      id: '1',
      reminderKey: 'k',
      role: 'owner',
      to: { kind: 'user', address },
      reply: reminderReply(
        { kind: 'overdue', deadline: 'response', due: state.deadlines.due },
        state,
        '2026-04-03',
        'owner',
        'Europe/London',
      ),
    });
    for (const address of [STAFF.aadObjectId, `teams:${STAFF.aadObjectId.toUpperCase()}`, ' Sam Staff '])
      expect(await teamsDelivery.deliver(message(address)), address).toEqual({ ok: true });
    expect(to(connector.activities, personalChat(STAFF.aadObjectId))).toHaveLength(3);
    // Nobody by that name, a Bot Framework id without an Entra id, nobody at that id: nothing sent.
    expect(await teamsDelivery.deliver(message('Nobody Known'))).toEqual({
      ok: false,
      retryable: false,
      code: UNKNOWN_TEAMS_USER,
    });
    expect(await teamsDelivery.deliver(message('teams:29:1staff'))).toMatchObject({
      retryable: false,
      code: 'no_conversation_reference',
    });
    expect(await teamsDelivery.deliver(message(LEAD.aadObjectId))).toMatchObject({
      retryable: false,
      code: 'no_conversation_reference',
    });
    expect(connector.activities).toHaveLength(3);
    // Teams keeps no zone for a person: undefined, so the scheduler's default applies and nothing waits.
    expect(await teamsDelivery.timeZone(`teams:${STAFF.aadObjectId}`)).toBeUndefined();
  });

  it('records a person the bot cannot reach as failed, once, without retrying it', async () => {
    // The lead never wrote to the bot: there is no personal chat to write into.
    const { connector, store, scheduler, errors, writes, overdue } = await setup({
      lead: `teams:${LEAD.aadObjectId}`,
    });
    await writes(STAFF); // someone else did, so the privacy channel can be reached
    await overdue();
    expect(await scheduler.sweep()).toMatchObject({ enqueued: 3, sent: 3, failed: 1, retried: 0 });
    const entries = await store.entries();
    const lead = entries.find((e) => e.role === 'lead')!;
    expect((await store.outcomes([lead.seq]))[0]).toMatchObject({
      outcome: 'failed',
      reason: 'no_conversation_reference',
    });
    expect(errors).toEqual([
      expect.objectContaining({
        code: 'UPSTREAM',
        channel: 'teams',
        platformError: 'no_conversation_reference',
      }),
    ]);
    // Later passes find nothing left to do: the failure is final, not retried for ever.
    for (const minutes of [5, 60, 600])
      await scheduler.deliver(new Date(Date.parse('2026-04-03T10:00:00Z') + minutes * 60_000));
    expect(await store.pending()).toEqual([]);
    expect(await store.attempts(lead.seq)).toHaveLength(1);
    expect(to(connector.activities, personalChat(LEAD.aadObjectId))).toHaveLength(0);
  });

  it("waits out a 429's Retry-After and then delivers every message once", async () => {
    const { connector, front, store, scheduler, clock, writes, overdue } = await setup({
      lead: `teams:${STAFF.aadObjectId}`,
    });
    await writes(STAFF);
    await overdue();
    // botbuilder's pipeline retries a 429 three times within the call, after its Retry-After (0 s
    // here); the fourth answer asks for 30 s and reaches the scheduler, which holds the outbox.
    front.fail(...[0, 0, 0, 30].map((s) => ({ status: 429, headers: { 'retry-after': String(s) } })));
    expect(await scheduler.sweep()).toMatchObject({ enqueued: 3, sent: 0, retried: 1 });
    const [first] = await store.pending();
    expect(first?.last?.failed).toMatchObject({ code: 'ratelimited', nextAt: '2026-04-03T10:00:30.000Z' });
    clock.now = new Date('2026-04-03T10:00:20Z');
    expect(await scheduler.deliver()).toMatchObject({ sent: 0, retried: 0 });
    clock.now = new Date('2026-04-03T10:00:30Z');
    expect(await scheduler.deliver()).toMatchObject({ sent: 4, retried: 0 });
    expect(await store.pending()).toEqual([]);
    expect(front.hits.filter((h) => h.status === 429)).toHaveLength(4);
    // Four messages, each recorded by the connector once: the throttled one is not doubled.
    expect(connector.activities).toHaveLength(4);
    expect(to(connector.activities, PRIVACY_CHANNEL)).toHaveLength(3);
    expect(to(connector.activities, personalChat(STAFF.aadObjectId))).toHaveLength(1);
  });

  it("counts the Bot Connector's Retry-After from the failed attempt, not from the pass's start (issue 15.2)", async () => {
    const { front, store, scheduler, clock, writes, overdue } = await setup({
      lead: `teams:${STAFF.aadObjectId}`,
    });
    await writes(STAFF);
    await overdue();
    const start = clock.now.getTime();
    // The connector takes 40 s (of the injected clock) per answer; botbuilder retries the first
    // three 429s itself, the fourth asks for 30 s and reaches the scheduler.
    front.during = () => {
      clock.now = new Date(clock.now.getTime() + 40_000);
    };
    front.fail(...[0, 0, 0, 30].map((s) => ({ status: 429, headers: { 'retry-after': String(s) } })));
    expect(await scheduler.sweep()).toMatchObject({ sent: 0, retried: 1 });
    const failedAt = start + 4 * 40_000;
    const [first] = await store.pending();
    expect(first?.last?.failed).toMatchObject({
      at: new Date(failedAt).toISOString(),
      nextAt: new Date(failedAt + 30_000).toISOString(),
      code: 'ratelimited',
    });
    front.during = () => {};
    clock.now = new Date(failedAt + 29_000);
    expect(await scheduler.deliver()).toMatchObject({ sent: 0, retried: 0 });
    expect(front.hits).toHaveLength(4);
    clock.now = new Date(failedAt + 30_000);
    expect(await scheduler.deliver()).toMatchObject({ sent: 4, retried: 0 });
    expect(await store.pending()).toEqual([]);
  });

  it('posts to the privacy channel without the requester’s personal data', async () => {
    const { connector, scheduler, writes, overdue } = await setup({ lead: `teams:${STAFF.aadObjectId}` });
    await writes(STAFF);
    const request = await overdue();
    await scheduler.sweep();
    const posts = to(connector.activities, PRIVACY_CHANNEL);
    expect(posts).toHaveLength(3);
    const texts = posts.map((p) => cardText(cardOf(p)));
    expect(texts.some((t) => t.includes(`Overdue: the response deadline of ${request.id}`))).toBe(true);
    expect(texts.some((t) => t.startsWith(`Unassigned: ${request.id} (access, EU GDPR) has no owner.`))).toBe(
      true,
    );
    expect(texts.some((t) => t.startsWith('Due this week'))).toBe(true);
    expect(JSON.stringify(connector.activities)).not.toMatch(/Jane|Roe|jane\.roe|example\.com/);
  });

  it('classifies connector failures: what heals by waiting is retried, the rest is final', () => {
    const rest = (statusCode: number | undefined, code?: string, headers: Record<string, string> = {}) => ({
      name: 'AppError',
      code: 'UPSTREAM',
      cause: Object.assign(new Error('connector'), {
        name: 'RestError',
        statusCode,
        code,
        response: statusCode
          ? { status: statusCode, headers: { get: (n: string) => headers[n] } }
          : undefined,
      }),
    });
    expect(classify(rest(429, 'Throttled', { 'retry-after': '45' }))).toEqual({
      ok: false,
      retryable: true,
      code: 'ratelimited',
      retryAfterMs: 45_000,
    });
    expect(classify(rest(429))).toEqual({ ok: false, retryable: true, code: 'ratelimited' });
    expect(classify(rest(503, undefined, { 'retry-after': '2' }))).toMatchObject({
      retryable: true,
      code: 'http_503',
      retryAfterMs: 2_000,
    });
    expect(classify(rest(502))).toMatchObject({ retryable: true, code: 'http_502' });
    expect(classify(rest(412, 'PreconditionFailed'))).toMatchObject({ retryable: true, code: 'http_412' });
    expect(classify(rest(undefined, 'ECONNREFUSED'))).toMatchObject({
      retryable: true,
      code: 'network_error',
    });
    expect(classify(rest(403, 'ConversationBlockedByUser'))).toEqual({
      ok: false,
      retryable: false,
      code: 'http_403:ConversationBlockedByUser',
    });
    expect(classify(rest(404, 'ConversationNotFound'))).toMatchObject({ retryable: false });
    expect(classify(new Error('something else'))).toMatchObject({ retryable: true, code: 'teams_error' });
  });
});

describe('Slack and Teams together', () => {
  async function both() {
    const slack = await FakeSlack.start({ users: { U0BERLIN1: 'Europe/Berlin' } });
    closers.push(() => slack.close());
    const env = await setup({
      lead: `teams:${STAFF.aadObjectId}`,
      channel: (teams, backend) =>
        new CompositeReminderChannel({
          routes: [
            {
              channel: new SlackReminderChannel({
                token: 'xoxb-test',
                apiUrl: slack.url,
                privacyChannel: 'C0PRIVACY',
              }),
              owns: isSlackAddress,
              hasPrivacyChannel: true,
            },
            { channel: teams, owns: isTeamsAddress, knowsNames: true, hasPrivacyChannel: true },
          ],
          backend,
          unknown: [UNKNOWN_TEAMS_USER],
        }),
    });
    return { slack, ...env };
  }

  it('routes each person to their platform and posts channel messages in both privacy channels', async () => {
    const { slack, connector, store, scheduler, writes, overdue } = await both();
    await writes(STAFF);
    await overdue('U0BERLIN1');
    // Overdue with a Slack owner: the owner (Slack DM), the channel (both), the lead (Teams), the digest.
    expect(await scheduler.sweep()).toMatchObject({ enqueued: 2, sent: 4, failed: 0 });
    expect(slack.posts.map((p) => p.channel).sort()).toEqual(['C0PRIVACY', 'C0PRIVACY', 'DU0BERLIN1']);
    expect(to(connector.activities, PRIVACY_CHANNEL)).toHaveLength(2);
    expect(to(connector.activities, personalChat(STAFF.aadObjectId))).toHaveLength(1);
    expect(connector.activities).toHaveLength(3);
    // The owner's zone still comes from Slack; an outcome names where each part went.
    expect(slack.of('users.info').map((c) => c.args.user)).toEqual(['U0BERLIN1']);
    const entries = await store.entries();
    const outcomes = await store.outcomes(entries.map((e) => e.seq));
    const channelPost = outcomes[entries.findIndex((e) => e.role === 'channel')];
    expect(channelPost?.ref).toMatch(/^slack:\d+\.\d+,teams:sent$/);
  });

  it('sends a Teams owner known by display name to Teams only, and names an unknown one in both channels', async () => {
    const { slack, connector, register, scheduler, writes, overdue } = await both();
    await writes(STAFF);
    const teamsOwned = await overdue(STAFF.name);
    const unknown = await overdue('Nobody Known');
    // Two overdue requests: owner + channel (Sam leads too, and is not messaged twice about their
    // own request), channel + lead; and the digest.
    expect(await scheduler.sweep()).toMatchObject({ enqueued: 3, sent: 5, failed: 0, retried: 0 });
    const dms = to(connector.activities, personalChat(STAFF.aadObjectId)).map((a) => cardText(cardOf(a)));
    expect(dms).toHaveLength(2);
    expect(dms.filter((t) => t.includes(`${teamsOwned.id} `) && !t.includes('privacy lead'))).toHaveLength(1);
    expect(dms.filter((t) => t.includes(`${unknown.id} `) && t.includes('privacy lead'))).toHaveLength(1);
    // Neither name is looked up or messaged on Slack.
    expect(slack.of('conversations.open')).toEqual([]);
    expect(slack.of('users.info')).toEqual([]);
    for (const posts of [
      slack.posts.filter((p) => p.channel === 'C0PRIVACY').map((p) => p.text),
      to(connector.activities, PRIVACY_CHANNEL).map((a) => cardText(cardOf(a))),
    ]) {
      const named = posts.filter((t) => t.startsWith('Overdue') && t.includes(`${unknown.id} `));
      expect(named).toHaveLength(1);
      expect(named[0]).toContain('Owner: Nobody Known.');
    }
    expect((await register.get(unknown.id)).owner).toBe('Nobody Known');
  });

  it('retries only the platform that failed: the other privacy channel is not posted to twice', async () => {
    const { slack, connector, front, store, scheduler, clock, writes, overdue } = await both();
    await writes(STAFF);
    await overdue('U0BERLIN1');
    // Teams throttles the first channel post, without a Retry-After (botbuilder does not retry that).
    front.fail({ status: 429, only: PRIVACY_CHANNEL });
    const first = await scheduler.sweep();
    expect(first).toMatchObject({ enqueued: 2, retried: 1 });
    for (let i = 1; i <= 30 && (await store.pending()).length > 0; i++) {
      clock.now = new Date(Date.parse('2026-04-03T10:00:00Z') + i * 10_000);
      await scheduler.deliver();
    }
    expect(await store.pending()).toEqual([]);
    const entries = await store.entries();
    const channelEntries = entries.filter((e) => e.role === 'channel').map((e) => String(e.seq));
    // Slack got each channel entry once, though the first one's delivery was attempted twice.
    const slackChannel = slack.posts.filter((p) => p.channel === 'C0PRIVACY');
    expect(slackChannel.map((p) => p.metadata?.event_payload.entry).sort()).toEqual(channelEntries.sort());
    expect(to(connector.activities, PRIVACY_CHANNEL)).toHaveLength(channelEntries.length);
    expect(front.hits.filter((h) => h.status === 429)).toHaveLength(1);
    const attempts = await store.attempts(Number(channelEntries[0]));
    expect(attempts).toHaveLength(2);
    expect(attempts[0]?.failed?.code).toBe('teams:ratelimited');
  });

  it("holds only the rate-limited platform's messages, on every replica (issue 15.2)", async () => {
    const { slack, connector, register, store, scheduler, clock, writes, overdue, backend } = await both();
    await writes(STAFF);
    await overdue('U0BERLIN1');
    // Slack rate-limits the owner's DM for a minute: the lead's Teams message still goes now; the
    // channel post and the digest (Slack and Teams) and the DM wait for Slack.
    slack.fail(1, 429, { retryAfter: 60, method: 'chat.postMessage' });
    expect(await scheduler.sweep()).toMatchObject({ enqueued: 2, sent: 1, retried: 1, waiting: 3 });
    expect(to(connector.activities, personalChat(STAFF.aadObjectId))).toHaveLength(1);
    expect(to(connector.activities, PRIVACY_CHANNEL)).toHaveLength(0);
    // Another replica, on the same store, leaves Slack alone too: the Retry-After is shared.
    const other = new Scheduler({
      ...SETTINGS,
      register,
      store: new ReminderStore(backend.backend),
      channel: new SlackReminderChannel({
        token: 'xoxb-test',
        apiUrl: slack.url,
        privacyChannel: 'C0PRIVACY',
      }),
      now: () => clock.now,
      replica: 'other',
    });
    const calls = slack.of('chat.postMessage').length;
    clock.now = new Date(clock.now.getTime() + 59_000);
    expect(await other.deliver()).toMatchObject({ sent: 0 });
    expect(slack.of('chat.postMessage')).toHaveLength(calls);
    clock.now = new Date(clock.now.getTime() + 1_000);
    expect(await scheduler.deliver()).toMatchObject({ sent: 3 });
    expect(await store.pending()).toEqual([]);
    expect(slack.posts.map((p) => p.channel).sort()).toEqual(['C0PRIVACY', 'C0PRIVACY', 'DU0BERLIN1']);
  });

  it('sends a name Teams knows to Teams, and any other name to the first platform', async () => {
    const { slack, connector, writes, teamsDelivery, backend } = await both();
    await writes(STAFF);
    const composite = new CompositeReminderChannel({
      routes: [
        {
          channel: new SlackReminderChannel({ token: 'xoxb-test', apiUrl: slack.url }),
          owns: isSlackAddress,
          hasPrivacyChannel: false,
        },
        { channel: teamsDelivery, owns: isTeamsAddress, knowsNames: true, hasPrivacyChannel: false },
      ],
      backend: backend.backend,
      unknown: [UNKNOWN_TEAMS_USER],
    });
    const message = (address: string): ReminderMessage => ({
      id: '9',
      reminderKey: 'k',
      role: 'owner',
      to: { kind: 'user', address },
      reply: hello,
    });
    expect(await composite.deliver(message('Sam Staff'))).toEqual({ ok: true });
    expect(to(connector.activities, personalChat(STAFF.aadObjectId))).toHaveLength(1);
    expect(await composite.deliver(message('U0BERLIN1'))).toMatchObject({ ok: true });
    expect(slack.posts.map((p) => p.channel)).toEqual(['DU0BERLIN1']);
    // Unknown everywhere: each platform's reason is kept.
    expect(await composite.deliver(message('Nobody Known'))).toEqual({
      ok: false,
      retryable: false,
      code: `teams:${UNKNOWN_TEAMS_USER},slack:user_not_found`,
    });
    expect(await composite.deliver({ ...message('x'), to: { kind: 'channel' } })).toEqual({
      ok: false,
      retryable: false,
      code: 'privacy_channel_not_configured',
    });
  });
});

describe('Owners assigned through Teams, or by a name nobody knows', () => {
  /** "Assign to me" pressed in Teams: the engine records the presser's Teams display name. */
  async function assignToMe(register: Register, requestId: string, now: Date) {
    const engine = new ConversationEngine({
      answerer: {} as PolicyAnswerer,
      register,
      defaultCountry: 'DE',
      defaultTimeZone: 'Europe/London',
    });
    const actor = { id: `teams:${STAFF.aadObjectId}`, name: STAFF.name, isPrivacyTeam: true };
    await engine.act('request.assign-me', requestId, { actor, audience: 'private', now });
    expect((await register.get(requestId)).owner).toBe(STAFF.name);
  }

  /** A GDPR request received 10 March 2026: its response is due Friday 10 April, 7 days on. */
  const dueInAWeek = (register: Register, owner: string) =>
    register.add(
      { type: 'access', regime: 'gdpr', country: 'DE', received: '2026-03-10', ...REQUESTER, owner },
      { actor: 'test', now: new Date('2026-03-20T10:00:00Z') },
    );

  const texts = (activities: RecordedActivity[]) => activities.map((a) => cardText(cardOf(a)));

  it('sends a display-name owner who wrote to the bot their reminder in the personal chat, once', async () => {
    const { connector, register, store, scheduler, errors, writes, overdue } = await setup();
    await writes(STAFF);
    const request = await overdue();
    await assignToMe(register, request.id, new Date('2026-03-20T10:00:00Z'));
    expect(await scheduler.plan(new Date('2026-04-03T10:00:00Z'))).toContainEqual(
      expect.objectContaining({ role: 'owner', recipient: `dm:teams:${STAFF.aadObjectId}` }),
    );
    // Overdue with an owner: the owner's personal chat, the channel copy; and the digest.
    expect(await scheduler.sweep()).toMatchObject({ enqueued: 2, sent: 3, failed: 0, retried: 0 });
    const dms = to(connector.activities, personalChat(STAFF.aadObjectId));
    expect(dms).toHaveLength(1);
    expect(texts(dms)[0]).toMatch(
      new RegExp(`^Overdue: the response deadline of ${request.id} .*Owner: Sam Staff\\.`),
    );
    // Later sweeps and passes send nothing more; nothing failed, nothing waits.
    for (const iso of ['2026-04-03T10:05:00Z', '2026-04-03T11:00:00Z', '2026-04-03T15:00:00Z'])
      expect(await scheduler.sweep(new Date(iso))).toMatchObject({ enqueued: 0, sent: 0, failed: 0 });
    expect(to(connector.activities, personalChat(STAFF.aadObjectId))).toHaveLength(1);
    expect(await store.pending()).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('names an owner nobody can reach in one privacy-channel post per stage, without retrying', async () => {
    const { connector, register, store, scheduler, errors, writes } = await setup();
    await writes(STAFF); // the privacy channel is reachable; "Nobody Known" never wrote to the bot
    const request = await dueInAWeek(register, 'Nobody Known');
    expect(await scheduler.plan(new Date('2026-04-03T10:00:00Z'))).toContainEqual(
      expect.objectContaining({ stage: 'd7', role: 'channel', recipient: 'channel (mentions Nobody Known)' }),
    );
    const report = await scheduler.sweep();
    expect(report).toMatchObject({ failed: 0, retried: 0, dropped: 0 });
    const entries = await store.entries();
    expect(entries.every((e) => e.role === 'channel')).toBe(true);
    for (const minutes of [5, 60, 600])
      await scheduler.sweep(new Date(Date.parse('2026-04-03T10:00:00Z') + minutes * 60_000));
    expect(await store.pending()).toEqual([]);
    for (const e of entries) expect(await store.attempts(e.seq)).toHaveLength(1);
    // Only the privacy channel was written to, once for the response deadline's 7-day stage.
    expect(connector.activities.every((a) => a.conversationId === PRIVACY_CHANNEL)).toBe(true);
    const stage = texts(connector.activities).filter((t) =>
      t.startsWith(`Reminder: the response deadline of ${request.id}`),
    );
    expect(stage).toHaveLength(1);
    expect(stage[0]).toContain('Owner: Nobody Known.');
    expect(JSON.stringify(connector.activities)).not.toMatch(/Jane|Roe|jane\.roe|example\.com/);
    expect(errors).toEqual([]);
  });

  it('tells the privacy channel instead when the owner lost the personal chat after the reminder was recorded', async () => {
    const { connector, register, store, scheduler, teamsStore, writes } = await setup();
    await writes(STAFF);
    const request = await dueInAWeek(register, STAFF.name);
    await scheduler.record(new Date('2026-04-03T10:00:00Z'));
    const owners = (await store.entries()).filter((e) => e.role === 'owner');
    expect(owners.map((e) => e.stage)).toContain('d7');
    // Sam removes the app before the message goes out: the stored chat is deleted.
    await teamsStore.deleteReference(`user:${STAFF.aadObjectId}`);
    expect(await scheduler.deliver()).toMatchObject({ failed: 0, retried: 0 });
    expect(to(connector.activities, personalChat(STAFF.aadObjectId))).toHaveLength(0);
    const stage = texts(to(connector.activities, PRIVACY_CHANNEL)).filter((t) =>
      t.startsWith(`Reminder: the response deadline of ${request.id}`),
    );
    expect(stage).toHaveLength(1);
    expect(stage[0]).toContain('Owner: Sam Staff.');
    await scheduler.sweep(new Date('2026-04-03T11:00:00Z'));
    expect(await store.pending()).toEqual([]);
    expect(connector.activities).toHaveLength(owners.length);
  });

  it('holds an owner’s reminders while the channel cannot tell whether it can reach them', async () => {
    let down = true;
    const { connector, register, scheduler, writes, overdue } = await setup({
      channel: (teams) => ({
        name: 'teams',
        deliver: (m) => teams.deliver(m),
        address: async (owner) => {
          if (down) throw new Error('the Teams store is down');
          return teams.address(owner);
        },
      }),
    });
    await writes(STAFF);
    const request = await overdue();
    await register.assign(request.id, STAFF.name, { actor: 'test', now: new Date('2026-03-20T10:00:00Z') });
    // Only the digest goes out: the escalation is neither lost nor sent to the wrong recipients.
    expect(await scheduler.sweep()).toMatchObject({ enqueued: 1, sent: 1 });
    down = false;
    expect(await scheduler.sweep(new Date('2026-04-03T10:05:00Z'))).toMatchObject({ enqueued: 1, sent: 2 });
    expect(to(connector.activities, personalChat(STAFF.aadObjectId))).toHaveLength(1);
  });

  it('keeps Slack as it was: a Slack id gets a DM, a name the channel mention, and no lookup of the name', async () => {
    const slack = await FakeSlack.start({ users: { U0BERLIN1: 'Europe/Berlin' } });
    closers.push(() => slack.close());
    const { register, scheduler, writes, overdue } = await setup({
      channel: () =>
        new SlackReminderChannel({ token: 'xoxb-test', apiUrl: slack.url, privacyChannel: 'C0PRIVACY' }),
    });
    await writes(STAFF); // Sam wrote to the Teams bot, but this deployment delivers through Slack only
    const slackOwned = await overdue('U0BERLIN1');
    const named = await overdue();
    await register.assign(named.id, STAFF.name, { actor: 'test', now: new Date('2026-03-20T10:00:00Z') });
    // Two overdue requests (owner DM + channel copy; channel only) and the digest.
    expect(await scheduler.sweep()).toMatchObject({ enqueued: 3, sent: 4, failed: 0 });
    expect(slack.posts.map((p) => p.channel).sort()).toEqual([
      'C0PRIVACY',
      'C0PRIVACY',
      'C0PRIVACY',
      'DU0BERLIN1',
    ]);
    expect(slack.posts.find((p) => p.channel === 'DU0BERLIN1')?.text).toContain(slackOwned.id);
    expect(slack.of('conversations.open').map((c) => c.args.users)).toEqual(['U0BERLIN1']);
    expect(slack.of('users.info').map((c) => c.args.user)).toEqual(['U0BERLIN1']);
    const namedPost = slack.posts.filter((p) => p.channel === 'C0PRIVACY' && p.text.includes(`${named.id} `));
    expect(namedPost.filter((p) => p.text.startsWith('Overdue'))).toHaveLength(1);
    expect(namedPost[0]?.text).toContain('Owner: Sam Staff.');
  });
});
