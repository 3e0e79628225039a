import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { createLogger } from '../../../src/logger.js';
import { type App, startApp } from '../../../src/main.js';
import {
  cardOf,
  cardText,
  FakeBotConnector,
  GENERAL_CHANNEL,
  LEAD,
  PRIVACY_CHANNEL,
  postActivity,
  type RecordedActivity,
  STAFF,
  submitActions,
  TeamsActivities,
  type Where,
} from '../../fakes/bot-connector.js';

/**
 * Teams end to end at the HTTP level: real Bot Framework activities posted to /api/messages of the
 * real app (TEAMS_DEV_MODE, port 0), replies recorded by a loopback fake of the Bot Connector.
 */

const personal: Where = { kind: 'personal' };
const general: Where = { kind: 'channel', channel: GENERAL_CHANNEL };
const privacy: Where = { kind: 'channel', channel: PRIVACY_CHANNEL };

let connector: FakeBotConnector;
let app: App;
let dir: string;
let teams: TeamsActivities;

beforeAll(async () => {
  connector = await new FakeBotConnector().start();
  teams = new TeamsActivities(connector.url);
  dir = mkdtempSync(join(tmpdir(), 'privacy-ops-teams-'));
  const config = loadConfig({
    TEAMS_DEV_MODE: 'true',
    PORT: '0',
    // The reminder loop is tested on its own; a sweep firing mid-test would post into the fake.
    REMINDERS_ENABLED: 'false',
    LOG_LEVEL: 'silent',
    PRIVACY_OPS_STORE: `sqlite://${join(dir, 'register.sqlite')}`,
    DEFAULT_TIMEZONE: 'Europe/Berlin',
    TEAMS_PRIVACY_TEAM_AAD_IDS: LEAD.aadObjectId,
    TEAMS_PRIVACY_CHANNEL_ID: PRIVACY_CHANNEL,
  });
  app = await startApp(config, createLogger('silent'));
});

afterAll(async () => {
  await app?.stop();
  await connector?.stop();
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => connector.clear());

/** Posts an activity and returns the bot's replies (waits for `expected` of them). */
async function exchange(activity: Record<string, unknown>, expected = 1): Promise<RecordedActivity[]> {
  const res = await postActivity(app.port, activity);
  expect(res.status, res.body).toBe(200);
  return connector.waitFor(expected);
}

async function say(text: string, where: Where = personal, user = LEAD): Promise<RecordedActivity> {
  const [reply] = await exchange(teams.message(text, where, user));
  return reply!;
}

async function press(data: unknown, where: Where = personal, user = LEAD): Promise<RecordedActivity> {
  const [reply] = await exchange(teams.submit(data, where, user));
  return reply!;
}

const CARD_ELEMENTS_1_5 = new Set([
  'AdaptiveCard',
  'TextBlock',
  'RichTextBlock',
  'TextRun',
  'Container',
  'ColumnSet',
  'Column',
  'FactSet',
  'ActionSet',
  'Action.Submit',
  'Input.Text',
  'Input.ChoiceSet',
  'Input.Date',
]);

/** The card is Adaptive Cards 1.5 made of known elements, and each TextBlock holds no user text. */
function expectValidCard(recorded: RecordedActivity): void {
  const card = cardOf(recorded);
  expect(recorded.activity.attachments?.[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive');
  expect(card.type).toBe('AdaptiveCard');
  expect(card.version).toBe('1.5');
  const walk = (n: unknown) => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (typeof n !== 'object' || n === null) return;
    const o = n as Record<string, unknown>;
    if (typeof o.type === 'string' && !/^(Input\.)?Choice$/.test(o.type) && o.type !== 'Action.Submit')
      expect(CARD_ELEMENTS_1_5, `element ${o.type}`).toContain(o.type);
    Object.values(o).forEach(walk);
  };
  walk(card);
}

async function logOne(
  where: Where = personal,
  name = 'Jane Roe',
  email = 'jane@example.com',
): Promise<string> {
  const form = await say('log a request', where);
  const formId = submitActions(cardOf(form)).find((a) => a.data.action === 'request.submit')?.data.formId;
  connector.clear();
  const reply = await press(
    {
      action: 'request.submit',
      formId,
      type: 'erasure',
      regime: 'gdpr',
      received: '2025-01-06',
      requesterName: name,
      requesterEmail: email,
      country: 'FR',
      channel: 'email',
    },
    where,
  );
  const id = /DSR-\d{4}-\d{4}/.exec(cardText(cardOf(reply)))?.[0];
  expect(id, cardText(cardOf(reply))).toBeDefined();
  await connector.waitFor(2).catch(() => undefined); // the privacy-channel notice, when not said there
  connector.clear();
  return id!;
}

describe('Teams: /api/messages', () => {
  it('is mounted on the shared server next to the other routes', () => {
    expect(app.routes).toContain('/api/messages');
  });

  it('answers an @mention in a channel thread with a 1.5 card: answer, quoted sources, vote buttons', async () => {
    const activity = teams.message('how long do we keep technical logs at Brightdesk?', general);
    const [reply] = await exchange(activity);
    // A reply to the message, in the thread it was posted in.
    expect(reply!.conversationId).toBe(`${GENERAL_CHANNEL};messageid=1700000000000`);
    expect(reply!.replyToId).toBe(activity.id);
    expectValidCard(reply!);
    const text = cardText(cardOf(reply));
    expect(text).toMatch(/30 days/);
    expect(text).toMatch(/brightdesk/i);
    expect(text).toMatch(/Sources/);
    const votes = submitActions(cardOf(reply)).filter((a) => a.data.action === 'answer.vote');
    expect(votes.map((v) => v.data.vote)).toEqual(['helpful', 'not-helpful']);
    expect(votes[0]!.data.questionId).toMatch(/^[a-z0-9-]+$/);
  });

  it('answers in a personal chat without a mention', async () => {
    const reply = await say('help');
    expect(reply.conversationId).toMatch(/^a:personal-/);
    expect(cardText(cardOf(reply))).toMatch(/requests \[mine\|open\|overdue\|due soon\|all\]/);
  });

  it('keeps one vote per person and answer; voting again changes it', async () => {
    const answer = await say('do we sell personal data?');
    const [helpful, notHelpful] = submitActions(cardOf(answer)).filter(
      (a) => a.data.action === 'answer.vote',
    );
    connector.clear();
    expect(cardText(cardOf(await press(helpful!.data)))).toMatch(/Thanks, noted as helpful/);
    connector.clear();
    expect(cardText(cardOf(await press(helpful!.data)))).toMatch(/already marked this answer as helpful/);
    connector.clear();
    expect(cardText(cardOf(await press(notHelpful!.data)))).toMatch(
      /Changed your vote on this answer to not helpful/,
    );
    connector.clear();
    // Another person's vote is theirs.
    expect(cardText(cardOf(await press(helpful!.data, personal, STAFF)))).toMatch(/Thanks, noted as helpful/);
  });

  it('shows the intake form for "log a request", logs the submission once, and notices the privacy channel', async () => {
    const form = await say('log a request');
    expectValidCard(form);
    const card = cardOf(form);
    const inputs = JSON.stringify(card);
    for (const id of [
      'type',
      'requesterName',
      'requesterEmail',
      'regime',
      'country',
      'received',
      'channel',
      'owner',
      'policyId',
      'note',
    ])
      expect(inputs).toContain(`"id":"${id}"`);
    const received = card.body.find((e) => e.id === 'received');
    expect(received?.value).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(received?.max).toBe(received?.value);
    const submit = submitActions(card).find((a) => a.data.action === 'request.submit')!;
    connector.clear();

    const data = {
      ...submit.data,
      type: 'access',
      regime: 'ccpa',
      received: '2025-02-03',
      requesterName: 'Ada Lovelace',
      requesterEmail: 'ada@example.com',
      country: '',
      channel: 'web form',
      owner: 'Lena Lead',
      policyId: 'brightdesk',
      note: 'Wants a copy of support tickets',
    };
    const replies = await exchange(teams.submit(data), 2);
    const logged = replies.find((r) => r.conversationId.startsWith('a:personal-'))!;
    const text = cardText(cardOf(logged));
    expect(text).toMatch(/Logged DSR-\d{4}-\d{4}/);
    const notice = replies.find((r) => r.conversationId === PRIVACY_CHANNEL)!;
    expect(cardText(cardOf(notice))).toMatch(/New access request DSR-\d{4}-\d{4}/);
    expect(JSON.stringify(notice.activity)).not.toMatch(/Ada Lovelace|ada@example/);

    const id = /DSR-\d{4}-\d{4}/.exec(text)![0];
    connector.clear();
    // A personal chat may show the requester.
    expect(cardText(cardOf(await say(`show ${id}`)))).toMatch(/Requester: Ada Lovelace <ada@example\.com>/);
    connector.clear();
    const again = await press(data);
    expect(cardText(cardOf(again))).toContain(`already submitted: it logged ${id}`);
    const list = await app.register.list({ status: ['all'] }, new Date());
    expect(list.filter((r) => r.type === 'access' && r.regime === 'ccpa')).toHaveLength(1);
  });

  it('lets a form with a mistake be corrected and submitted again', async () => {
    const form = await say('new request');
    const submit = submitActions(cardOf(form)).find((a) => a.data.action === 'request.submit')!;
    connector.clear();
    const base = {
      ...submit.data,
      type: 'erasure',
      regime: 'gdpr',
      requesterName: 'Bo',
      requesterEmail: 'bo@example.com',
    };
    expect(cardText(cardOf(await press({ ...base, received: '2999-01-01' })))).toMatch(/in the future/);
    connector.clear();
    expect(cardText(cardOf(await press({ ...base, received: '' })))).toMatch(
      /Please fill in the received date/,
    );
    connector.clear();
    const replies = await exchange(teams.submit({ ...base, received: '2025-03-03' }), 2);
    expect(replies.map((r) => cardText(cardOf(r))).join('\n')).toMatch(/Logged DSR-\d{4}-\d{4}/);
  });

  it('logs a request by post with a postal address and no email, and asks for a contact when none is given', async () => {
    const form = await say('log a request');
    const inputs = JSON.stringify(cardOf(form));
    for (const id of ['requesterPhone', 'requesterAddress']) expect(inputs).toContain(`"id":"${id}"`);
    const submit = submitActions(cardOf(form)).find((a) => a.data.action === 'request.submit')!;
    connector.clear();
    const base = {
      ...submit.data,
      type: 'access',
      regime: 'gdpr',
      received: '2025-03-03',
      requesterName: 'Post Person',
      channel: 'post',
    };
    expect(cardText(cardOf(await press(base)))).toMatch(
      /Please fill in the requester's email, phone number or postal address/,
    );
    connector.clear();
    const replies = await exchange(
      teams.submit({ ...base, requesterAddress: '1 Main Road\nDublin', country: 'IE' }),
      2,
    );
    const text = replies.map((r) => cardText(cardOf(r))).join('\n');
    const id = /Logged (DSR-\d{4}-\d{4})/.exec(text)?.[1];
    expect(id, text).toBeDefined();
    connector.clear();
    expect(cardText(cardOf(await say(`show ${id}`)))).toMatch(
      /Requester: Post Person, postal address 1 Main Road, Dublin/,
    );
  });

  it('runs the request commands by text and by card buttons', async () => {
    const id = await logOne();
    const due = await say('requests all');
    expectValidCard(due);
    expect(cardText(cardOf(due))).toContain(id);
    // Each row opens its request: Action.Submit data routed back to the engine.
    const open = submitActions(cardOf(due)).find((a) => a.data.value === id)!;
    expect(open.data.action).toBe('request.show');
    connector.clear();
    const shown = await press(open.data);
    expect(cardText(cardOf(shown))).toMatch(/Requester: Jane Roe <jane@example\.com>/);
    expect(cardText(cardOf(shown))).toMatch(/Audit trail/);
    const start = submitActions(cardOf(shown)).find((a) => a.data.action === 'request.start')!;
    connector.clear();
    expect(cardText(cardOf(await press(start.data)))).toMatch(new RegExp(`${id}: start done`));
    connector.clear();
    const closed = await say(`close ${id} fulfilled`);
    expect(cardText(cardOf(closed))).toMatch(/close done/);
    expect((await app.register.get(id)).outcome).toBe('completed');
  });

  it('routes Action.Execute invokes the same way and answers with a card in the invoke response', async () => {
    const id = await logOne();
    const res = await postActivity(
      app.port,
      teams.execute('request.show', { action: 'request.show', value: id }),
    );
    expect(res.status).toBe(200);
    const body = JSON.parse(res.body) as { statusCode: number; type: string; value: unknown };
    expect(body.statusCode).toBe(200);
    expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardText(body.value)).toContain(id);
    expect(connector.activities).toHaveLength(0);
  });

  it('lets only the privacy team list and view requests', async () => {
    const reply = await say('requests due soon', personal, STAFF);
    expect(cardText(cardOf(reply))).toMatch(/only the privacy team can view or change requests/);
    connector.clear();
    expect(cardText(cardOf(await say('requests due soon', personal, LEAD)))).toMatch(
      /Requests due within 7 days/,
    );
  });

  it('shows the notes of a request only in personal chats and the privacy channel', async () => {
    const id = await logOne(personal, 'Noted Person', 'noted@example.com');
    await say(`start ${id} Asked by email to delete her account`);
    connector.clear();
    for (const where of [general, { kind: 'groupChat' } as Where]) {
      const shown = await say(`show ${id}`, where);
      expect(cardText(cardOf(shown))).toContain(id);
      expect(JSON.stringify(shown.activity), where.kind).not.toMatch(/Asked by email|delete her account/);
      connector.clear();
    }
    for (const where of [personal, privacy]) {
      const shown = await say(`show ${id}`, where);
      expect(cardText(cardOf(shown)), where.kind).toMatch(/Asked by email to delete her account/);
      connector.clear();
    }
  });

  it('shows requester data only in personal chats and the privacy channel', async () => {
    const id = await logOne(personal, 'Hidden Person', 'hidden@example.com');
    const inGeneral = await say(`show ${id}`, general);
    expect(JSON.stringify(inGeneral.activity)).not.toMatch(/Hidden Person|hidden@example/);
    connector.clear();
    const inGroup = await say(`show ${id}`, { kind: 'groupChat' });
    expect(JSON.stringify(inGroup.activity)).not.toMatch(/Hidden Person|hidden@example/);
    connector.clear();
    const inPrivacy = await say(`show ${id}`, privacy);
    expect(cardText(cardOf(inPrivacy))).toMatch(/Hidden Person <hidden@example\.com>/);
    connector.clear();
    // Logged from a shared channel's form: the reply there names no requester.
    const form = await say('log a request', general);
    expect(cardText(cardOf(form))).toMatch(/will not show the requester/);
    const submit = submitActions(cardOf(form)).find((a) => a.data.action === 'request.submit')!;
    connector.clear();
    const replies = await exchange(
      teams.submit(
        {
          ...submit.data,
          type: 'access',
          regime: 'gdpr',
          received: '2025-01-02',
          requesterName: 'Shy Person',
          requesterEmail: 'shy@example.com',
        },
        general,
      ),
      2,
    );
    expect(cardText(cardOf(replies.find((r) => r.conversationId.startsWith(GENERAL_CHANNEL))))).toMatch(
      /Logged/,
    );
    expect(JSON.stringify(replies.map((r) => r.activity))).not.toMatch(/Shy Person|shy@example/);
  });

  it('handles every manifest command (none falls through to a policy answer)', async () => {
    const manifest = JSON.parse(
      readFileSync(new URL('../../../manifests/teams/manifest.json', import.meta.url), 'utf8'),
    ) as {
      bots: { commandLists: { commands: { title: string }[] }[] }[];
    };
    const titles = new Set(manifest.bots[0]!.commandLists.flatMap((l) => l.commands.map((c) => c.title)));
    for (const title of titles) {
      connector.clear();
      const reply = await say(title);
      const actions = submitActions(cardOf(reply)).map((a) => a.data.action);
      expect(actions, title).not.toContain('answer.vote');
    }
  });
});

describe('Teams: plain words (issue 16)', () => {
  it('asks for the law, reads the place, logs on "ok log it" and extends "it"', async () => {
    const draft = cardText(
      cardOf(await say('got a deletion request by email yesterday from Hans Müller <hans@example.de>')),
    );
    expect(draft).toMatch(/Which law applies, or where is the requester/);
    connector.clear();
    const full = cardText(cardOf(await say("he's in Germany")));
    expect(full).toMatch(/Hans Müller <hans@example\.de>/);
    expect(full).toMatch(/Country: Germany \(DE\)/);
    expect(full).toMatch(/Response due: \d{4}-\d{2}-\d{2}/);
    connector.clear();
    const [logged] = await exchange(teams.message('ok log it', personal, LEAD), 2);
    const id = /DSR-\d{4}-\d{4}/.exec(cardText(cardOf(logged)))![0];
    expect((await app.register.get(id)).country).toBe('DE');
    await connector.waitFor(2).catch(() => undefined);
    connector.clear();
    expect(cardText(cardOf(await say('extend it')))).toMatch(new RegExp(`${id}: extend done`));
  });

  it('answers small talk with a pointer to help and lists overdue requests in plain words', async () => {
    expect(cardText(cardOf(await say('hello')))).toMatch(/"help"/);
    connector.clear();
    expect(cardText(cardOf(await say('anything overdue?')))).toMatch(/Overdue requests/);
  });
});

describe('Teams: install and proactive messages', () => {
  it('welcomes on install and keeps the conversation reference for proactive messages', async () => {
    const [welcome] = await exchange(teams.installed(personal, STAFF));
    expect(cardText(cardOf(welcome))).toMatch(/Hello, I am privacy-ops/);
    connector.clear();
    const reply = {
      blocks: [{ kind: 'text' as const, text: 'DSR-2026-0001 is due tomorrow.' }],
      text: 'DSR-2026-0001 is due tomorrow.',
      personal: false,
    };
    expect(await app.teams!.sendToUser(STAFF.aadObjectId, reply)).toBe(true);
    const [sent] = await connector.waitFor(1);
    expect(sent!.conversationId).toBe(`a:personal-${STAFF.aadObjectId.slice(0, 8)}`);
    expect(cardText(cardOf(sent))).toMatch(/due tomorrow/);
    expect(await app.teams!.sendToUser('99999999-9999-4999-8999-999999999999', reply)).toBe(false);
  });

  it('reaches an owner by the display name the register records', async () => {
    await say('help', personal, STAFF);
    connector.clear();
    const reply = { blocks: [{ kind: 'text' as const, text: 'ping' }], text: 'ping', personal: false };
    expect(await app.teams!.sendToOwner('Sam Staff', reply)).toBe(true);
    const [sent] = await connector.waitFor(1);
    expect(sent!.conversationId).toBe(`a:personal-${STAFF.aadObjectId.slice(0, 8)}`);
  });

  it('posts to the privacy channel as a new conversation in that channel', async () => {
    const [welcome] = await exchange(teams.installed(privacy));
    expect(cardText(cardOf(welcome))).toMatch(
      /New requests and reminder summaries will be posted in this channel/,
    );
    connector.clear();
    const reply = {
      blocks: [{ kind: 'text' as const, text: '2 requests are due this week.' }],
      text: '2 requests are due this week.',
      personal: false,
    };
    expect(await app.teams!.sendToPrivacyChannel(reply)).toBe(true);
    const [sent] = await connector.waitFor(1);
    // The channel itself, not a reply thread (no ;messageid=).
    expect(sent!.conversationId).toBe(PRIVACY_CHANNEL);
  });

  it('says nothing when someone else joins, and forgets a personal chat on uninstall', async () => {
    const res = await postActivity(app.port, teams.memberJoined(general, STAFF));
    expect(res.status).toBe(200);
    await postActivity(app.port, teams.installationUpdate('remove', personal, STAFF));
    const reply = { blocks: [{ kind: 'text' as const, text: 'x' }], text: 'x', personal: false };
    expect(await app.teams!.sendToUser(STAFF.aadObjectId, reply)).toBe(false);
    expect(connector.activities).toHaveLength(0);
  });
});

describe('Teams: bad input', () => {
  it('answers an empty message and a message that is only the mention', async () => {
    expect(cardText(cardOf(await say('')))).toMatch(/Ask me a question about the privacy policy/);
    connector.clear();
    const onlyMention = teams.message('', general);
    expect(onlyMention.text).toBe('<at>privacy-ops</at> ');
    const [reply] = await exchange(onlyMention);
    expect(cardText(cardOf(reply))).toMatch(/Ask me a question about the privacy policy/);
  });

  it('answers unknown and unreadable card submissions', async () => {
    expect(cardText(cardOf(await press({ action: 'request.teleport', value: 'x' })))).toMatch(
      /That button is not one I know/,
    );
    connector.clear();
    expect(cardText(cardOf(await press({ hello: 'world' })))).toMatch(/could not read that card action/);
    connector.clear();
    expect(
      cardText(cardOf(await press({ action: 'answer.vote', questionId: '../../etc', vote: 'love' }))),
    ).toMatch(/vote button is broken/);
    connector.clear();
    expect(cardText(cardOf(await press({ action: 'request.submit', formId: 'x' })))).toMatch(
      /could not be read/,
    );
  });

  it('answers oversized text without trying to answer it', async () => {
    expect(cardText(cardOf(await say('a'.repeat(10_000))))).toMatch(/10000 characters long/);
    connector.clear();
    expect(cardText(cardOf(await say(`what ${'about '.repeat(500)}`)))).toMatch(/keep it under 2000/);
  });

  it('shows HTML and markdown in names as typed, in TextRuns only', async () => {
    const hostile = { ...STAFF, name: '<img src=x onerror=alert(1)> [x](https://evil.example)' };
    const id = await logOne(personal, '<b>Jane</b> [click](https://evil.example)', 'jane2@example.com');
    connector.clear();
    const shown = await say(`show ${id}`);
    const card = cardOf(shown);
    expect(cardText(card)).toContain('<b>Jane</b> [click](https://evil.example) <jane2@example.com>');
    const textBlocks = JSON.stringify(card.body).match(/"type":"TextBlock","text":"[^"]*evil/g);
    expect(textBlocks).toBeNull();
    connector.clear();
    const reply = await say('help', personal, hostile);
    expect(reply.activity.type).toBe('message');
  });

  it('refuses what is not an activity, and ignores activity types it does not handle', async () => {
    expect((await postActivity(app.port, 'not json')).status).toBe(400);
    expect((await postActivity(app.port, { hello: 'world' })).status).toBe(400);
    expect((await postActivity(app.port, { type: 'message', text: 'hi' })).status).toBe(400);
    const get = await fetch(`http://127.0.0.1:${app.port}/api/messages`);
    expect(get.status).toBe(405);
    const typing = { ...teams.message('x'), type: 'typing' };
    expect((await postActivity(app.port, typing)).status).toBe(200);
    const otherInvoke = { ...teams.execute('x', {}), name: 'composeExtension/query' };
    expect((await postActivity(app.port, otherInvoke)).status).toBe(501);
    const huge = { ...teams.message('x'), text: 'x'.repeat(600_000) };
    expect((await postActivity(app.port, huge)).status).toBe(413);
    expect(connector.activities).toHaveLength(0);
  });
});
