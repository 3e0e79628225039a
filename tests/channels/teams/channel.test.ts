import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HttpServer } from '../../../src/channels/http.js';
import { BotFrameworkTransport } from '../../../src/channels/teams/bot-framework.js';
import { TeamsChannel, type TeamsEngine } from '../../../src/channels/teams/channel.js';
import { TeamsStore } from '../../../src/channels/teams/store.js';
import type { Reply } from '../../../src/core/conversation/reply.js';
import { createLogger } from '../../../src/logger.js';
import {
  cardOf,
  cardText,
  FakeBotConnector,
  PRIVACY_CHANNEL,
  postActivity,
  TeamsActivities,
} from '../../fakes/bot-connector.js';

/**
 * The Bot Framework wants each message answered within 15 seconds: work that takes longer is
 * acknowledged at once and its reply delivered proactively into the same conversation.
 */

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const answer = (text: string, extra: Partial<Reply> = {}): Reply => ({
  blocks: [{ kind: 'text', text }],
  text,
  personal: false,
  ...extra,
});

describe('Teams: slow work continues proactively', () => {
  let connector: FakeBotConnector;
  let http: HttpServer;
  let store: TeamsStore;
  let channel: TeamsChannel;
  let port: number;
  let teams: TeamsActivities;
  let gate = deferred<Reply>();

  const engine: TeamsEngine = {
    handle: () => gate.promise,
    act: () => gate.promise,
    submitRequest: () => gate.promise,
  };

  beforeAll(async () => {
    connector = await new FakeBotConnector().start();
    teams = new TeamsActivities(connector.url);
    store = await TeamsStore.open('memory://');
    http = new HttpServer(createLogger('silent'));
    channel = new TeamsChannel({
      engine,
      store,
      transport: new BotFrameworkTransport({}),
      logger: createLogger('silent'),
      privacyTeam: [],
      privacyChannelId: PRIVACY_CHANNEL,
      loopbackOnly: true,
      policies: [],
      defaultTimeZone: 'UTC',
      replyWithinMs: 50,
    });
    channel.mount(http);
    port = await http.start(0, '127.0.0.1');
    // The privacy channel is known once the app was installed in its team.
    await postActivity(port, teams.memberJoined({ kind: 'channel', channel: PRIVACY_CHANNEL }));
  });

  afterAll(async () => {
    await http?.stop();
    await channel?.stop();
    await store?.close();
    await connector?.stop();
  });

  beforeEach(() => {
    connector.clear();
    gate = deferred<Reply>();
  });

  it('acknowledges a slow message at once and posts the answer when it is ready', async () => {
    const activity = teams.message('a slow question');
    const started = Date.now();
    const res = await postActivity(port, activity);
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(5000);
    const [ack] = await connector.waitFor(1);
    expect(cardText(cardOf(ack))).toMatch(/Still working on that/);
    expect(ack!.replyToId).toBe(activity.id);

    gate.resolve(
      answer('Here is the slow answer.', { notice: { text: 'New erasure request DSR-2026-0009.' } }),
    );
    await channel.settled();
    const replies = await connector.waitFor(3);
    const late = replies.find((r) => cardText(cardOf(r)).includes('slow answer'))!;
    expect(late.conversationId).toBe(ack!.conversationId);
    const notice = replies.find((r) => r.conversationId === PRIVACY_CHANNEL)!;
    expect(cardText(cardOf(notice))).toMatch(/DSR-2026-0009/);
  });

  it('answers a slow Action.Execute with a message now and the card later', async () => {
    const res = await postActivity(port, teams.execute('request.show', { value: 'DSR-2026-0001' }));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({
      statusCode: 200,
      type: 'application/vnd.microsoft.activity.message',
      value: 'Still working on that; the answer will follow here shortly.',
    });
    gate.resolve(answer('DSR-2026-0001 details'));
    await channel.settled();
    const [late] = await connector.waitFor(1);
    expect(cardText(cardOf(late))).toMatch(/DSR-2026-0001 details/);
  });

  it('answers quick work within the turn', async () => {
    gate.resolve(answer('Quick.'));
    const res = await postActivity(port, teams.message('a quick question'));
    expect(res.status).toBe(200);
    const [reply] = await connector.waitFor(1);
    expect(cardText(cardOf(reply))).toBe('Quick.');
  });

  it('never shows a reply with personal data to a shared audience', async () => {
    gate.resolve({ ...answer('Jane Roe <jane@example.com>'), personal: true });
    await postActivity(port, teams.message('show it', { kind: 'groupChat' }));
    const [reply] = await connector.waitFor(1);
    expect(JSON.stringify(reply!.activity)).not.toMatch(/Jane Roe|jane@example/);
    expect(cardText(cardOf(reply))).toMatch(/only show it in a personal chat/);
  });
});

describe('Teams: a form whose submission died with the process (issue 11.1)', () => {
  it('can be submitted again once the claim of the dead submission ran out; a logged form stays claimed', async () => {
    const store = await TeamsStore.open('memory://');
    try {
      const t0 = new Date('2026-03-10T10:00:00Z');
      expect(await store.claimForm('form-1', t0)).toBe(true);
      // A second press while the first is being written is refused...
      expect(await store.claimForm('form-1', new Date(t0.getTime() + 1_000))).toBe(false);
      // ...but the process died before logging it: a minute later the person can submit again.
      expect(await store.claimForm('form-1', new Date(t0.getTime() + 60_000))).toBe(true);
      await store.completeForm('form-1', 'DSR-2026-0001', t0);
      expect(await store.claimForm('form-1', new Date(t0.getTime() + 365 * 86_400_000))).toBe(false);
      expect(await store.formResult('form-1')).toBe('DSR-2026-0001');
    } finally {
      await store.close();
    }
  });
});
