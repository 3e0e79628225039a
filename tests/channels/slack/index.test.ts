import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { todayIn } from '../../../src/core/requests/input.js';
import { type App, startApp } from '../../../src/main.js';
import {
  commandBody,
  type FakeSlackApi,
  interactionBody,
  postToSlackEndpoint,
  startFakeSlackApi,
} from '../../fakes/slack-api.js';

/**
 * The Slack channel through the real HTTP server on port 0 (startApp with a test config), signed
 * requests as Slack sends them, and a loopback fake of the Slack Web API and of response_url.
 */

const SECRET = 'test-signing-secret-0123456789';
const LEAD = 'ULEAD'; // on the team by SLACK_PRIVACY_TEAM_USERS
const MEMBER = 'UGROUP1'; // on the team through the user group
const STAFF = 'USTAFF'; // not on the team
const PRIVACY = 'CPRIVACY';
const examples = fileURLToPath(new URL('../../../examples/policies/', import.meta.url));

let fake: FakeSlackApi;
let app: App;
let endpoint: string;
let dir: string;
const logLines: string[] = [];
let seq = 0;

beforeAll(async () => {
  fake = await startFakeSlackApi();
  fake.groupMembers = [MEMBER];
  dir = mkdtempSync(join(tmpdir(), 'privacy-ops-slack-'));
  const config = loadConfig({
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: fake.url,
    SLACK_PRIVACY_CHANNEL: PRIVACY,
    SLACK_PRIVACY_TEAM_USERS: LEAD,
    SLACK_PRIVACY_TEAM_GROUP: 'SPRIVACY',
    PORT: '0',
    // The reminder loop is tested on its own; a sweep firing mid-test would post into the fake.
    REMINDERS_ENABLED: 'false',
    POLICY_CORPUS: examples,
    PRIVACY_OPS_STORE: `sqlite://${join(dir, 'register.sqlite')}`,
    DEFAULT_TIMEZONE: 'Europe/Berlin',
    LOG_LEVEL: 'info',
  });
  const logger = pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) });
  app = await startApp(config, logger);
  endpoint = `http://127.0.0.1:${app.port}/slack/events`;
});

afterAll(async () => {
  await app?.stop();
  await fake?.close();
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  fake.reset();
});

const nextId = (prefix: string) => `${prefix}${++seq}`;
const json = (value: unknown) => JSON.stringify(value);

/** Sends `/privacy <text>`; resolves with the HTTP ack and the response_url id. */
async function command(text: string, user = LEAD, extra: { triggerId?: string; channel?: string } = {}) {
  const id = nextId('cmd');
  const res = await postToSlackEndpoint(
    endpoint,
    commandBody({ text, user, responseUrl: fake.responseUrl(id), ...extra }),
    { secret: SECRET },
  );
  return { res, id };
}

/** The message posted to a response_url. */
async function responseTo(id: string): Promise<Record<string, unknown>> {
  return (await fake.waitFor(() => fake.responses.find((r) => r.id === id))).body;
}

async function ask(text: string, user = LEAD): Promise<Record<string, unknown>> {
  const { res, id } = await command(text, user);
  expect(res.status).toBe(200);
  return responseTo(id);
}

function event(event: Record<string, unknown>, eventId = nextId('Ev')) {
  return json({
    token: 'legacy',
    team_id: 'T1',
    api_app_id: 'A1',
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: 'T1', user_id: 'UBOT', is_bot: true }],
    event,
  });
}

function postEvent(body: string, headers: Record<string, string> = {}, timestamp?: number) {
  return postToSlackEndpoint(endpoint, body, {
    secret: SECRET,
    contentType: 'application/json',
    headers,
    ...(timestamp ? { timestamp } : {}),
  });
}

function buttonPress(
  actionId: string,
  value: string,
  user = LEAD,
  container: Record<string, unknown> = {
    type: 'message',
    message_ts: '1.1',
    channel_id: 'C1',
    is_ephemeral: true,
  },
) {
  const id = nextId('btn');
  const inView = container.type === 'view';
  const body = interactionBody({
    type: 'block_actions',
    token: 'legacy',
    api_app_id: 'A1',
    team: { id: 'T1' },
    user: { id: user, username: user.toLowerCase(), team_id: 'T1' },
    container,
    trigger_id: nextId('trig'),
    // Buttons in a view (Home tab, modal) come with the view and without a channel or response_url.
    ...(inView
      ? { view: { id: container.view_id, type: 'home', callback_id: '', hash: 'h', state: { values: {} } } }
      : { channel: { id: container.channel_id, name: 'x' }, response_url: fake.responseUrl(id) }),
    actions: [
      {
        type: 'button',
        action_id: actionId,
        block_id: 'b1',
        value,
        text: { type: 'plain_text', text: 'x' },
        action_ts: `${Date.now() / 1000}`,
      },
    ],
  });
  return { id, post: postToSlackEndpoint(endpoint, body, { secret: SECRET }) };
}

function intakeValues(fields: Record<string, string | null>) {
  const select = (v: string | null) => ({ type: 'static_select', selected_option: v ? { value: v } : null });
  return {
    type: { value: select(fields.type ?? null) },
    name: { value: { type: 'plain_text_input', value: fields.name ?? null } },
    email: { value: { type: 'email_text_input', value: fields.email ?? null } },
    regime: { value: select(fields.regime ?? null) },
    country: { value: { type: 'plain_text_input', value: fields.country ?? null } },
    received: { value: { type: 'datepicker', selected_date: fields.received ?? null } },
    channel: { value: select(fields.channel ?? 'email') },
    owner: { value: { type: 'users_select', selected_user: fields.owner ?? null } },
    policy: { value: select(fields.policy ?? null) },
    note: { value: { type: 'plain_text_input', value: fields.note ?? null } },
  };
}

function submitIntake(values: ReturnType<typeof intakeValues>, user = STAFF, viewId = nextId('VIEW')) {
  return postToSlackEndpoint(
    endpoint,
    interactionBody({
      type: 'view_submission',
      token: 'legacy',
      api_app_id: 'A1',
      team: { id: 'T1' },
      user: { id: user, username: user.toLowerCase(), team_id: 'T1' },
      trigger_id: nextId('trig'),
      view: { id: viewId, type: 'modal', callback_id: 'intake.submit', hash: 'h', state: { values } },
    }),
    { secret: SECRET },
  );
}

const today = () => todayIn(new Date(), 'Europe/Berlin');

/** Every message the app posted or answered, as JSON (for "never contains" checks). */
function everythingSent(): string {
  return json([fake.calls.map((c) => c.args), fake.responses.map((r) => r.body)]);
}

describe('the HTTP endpoint', () => {
  it('mounts POST /slack/events on the shared server', () => {
    expect(app.routes).toContain('/slack/events');
  });

  it('refuses unsigned, wrongly signed, stale, future and replayed requests with 401', async () => {
    const body = commandBody({ text: 'help', user: LEAD, responseUrl: fake.responseUrl('x') });
    expect((await postToSlackEndpoint(endpoint, body)).status).toBe(401);
    expect((await postToSlackEndpoint(endpoint, body, { secret: 'not-the-secret' })).status).toBe(401);
    const now = Math.floor(Date.now() / 1000);
    expect((await postToSlackEndpoint(endpoint, body, { secret: SECRET, timestamp: now - 301 })).status).toBe(
      401,
    );
    expect((await postToSlackEndpoint(endpoint, body, { secret: SECRET, timestamp: now + 301 })).status).toBe(
      401,
    );
    const once = { secret: SECRET, timestamp: now };
    expect((await postToSlackEndpoint(endpoint, body, once)).status).toBe(200);
    expect((await postToSlackEndpoint(endpoint, body, once)).status).toBe(401);
    // A signature over a different body does not verify.
    const tampered = await postToSlackEndpoint(endpoint, body.replace('help', 'requests'), {
      headers: {
        'x-slack-request-timestamp': String(now),
        'x-slack-signature': 'v0=0000000000000000000000000000000000000000000000000000000000000000',
      },
    });
    expect(tampered.status).toBe(401);
  });

  it('answers malformed payloads with 400, oversized ones with 413, and other methods with 405', async () => {
    const bad = await postToSlackEndpoint(endpoint, 'payload=%7Bnot-json', { secret: SECRET });
    expect(bad.status).toBe(400);
    const array = await postToSlackEndpoint(endpoint, '[1,2]', {
      secret: SECRET,
      contentType: 'application/json',
    });
    expect(array.status).toBe(400);
    const huge = await postToSlackEndpoint(endpoint, `text=${'a'.repeat(300 * 1024)}`, { secret: SECRET });
    expect(huge.status).toBe(413);
    const get = await fetch(endpoint);
    expect(get.status).toBe(405);
  });

  it.each([
    ['a view_submission without its view', { type: 'view_submission', user: { id: 'ULEAD' } }],
    ['a view_closed without its view', { type: 'view_closed', user: { id: 'ULEAD' } }],
    ['a block_actions without actions', { type: 'block_actions', user: { id: 'ULEAD' } }],
    ['a shortcut without a callback id', { type: 'shortcut', user: { id: 'ULEAD' } }],
  ])('answers %s with 400, not 500', async (_, payload) => {
    logLines.length = 0;
    const res = await postToSlackEndpoint(
      endpoint,
      interactionBody({ token: 'legacy', team: { id: 'T1' }, ...payload }),
      {
        secret: SECRET,
      },
    );
    expect(res.status).toBe(400);
    expect(logLines.join('\n')).not.toMatch(/slack request failed/);
  });

  it('answers the Events API URL verification challenge', async () => {
    const res = await postEvent(json({ type: 'url_verification', challenge: 'c-123', token: 't' }));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ challenge: 'c-123' });
  });

  it('points other slash commands at /privacy instead of timing out', async () => {
    const other = await postToSlackEndpoint(
      endpoint,
      commandBody({ text: '', user: LEAD, responseUrl: fake.responseUrl('o'), command: '/weather' }),
      { secret: SECRET },
    );
    expect(other.status).toBe(200);
    expect(JSON.parse(other.body).text).toMatch(/\/privacy/);
  });
});

describe('/privacy <question>', () => {
  it('acks at once, then answers ephemerally with the answer, quoted citations and vote buttons', async () => {
    const { res, id } = await command('how long do we hold on to technical logs at Brightdesk?');
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
    const reply = await responseTo(id);
    expect(reply.response_type).toBe('ephemeral');
    const text = json(reply.blocks);
    expect(text).toMatch(/30 days/);
    expect(text).toMatch(/\*brightdesk\*/);
    expect(text).toMatch(/feedback\.helpful/);
    expect(text).toMatch(/feedback\.not-helpful/);
    // Bolt asked auth.test once at start-up, not per request.
    expect(fake.callsTo('auth.test')).toHaveLength(0);
  });

  it('stores one vote per person and answer, with no more than the Slack user id', async () => {
    const reply = await ask('how long do we hold on to technical logs at Brightdesk?');
    const actions = (
      reply.blocks as { type: string; elements?: { action_id: string; value: string }[] }[]
    ).find((b) => b.type === 'actions' && b.elements?.some((e) => e.action_id === 'feedback.helpful'))!;
    const value = actions.elements!.find((e) => e.action_id === 'feedback.helpful')!.value;
    const first = buttonPress('feedback.helpful', value, STAFF);
    expect((await first.post).status).toBe(200);
    expect(json(await responseTo(first.id))).toMatch(/vote was recorded/);
    const second = buttonPress('feedback.not-helpful', value, STAFF);
    await second.post;
    expect(json(await responseTo(second.id))).toMatch(/Changed your vote on this answer to not helpful/);
    const other = buttonPress('feedback.not-helpful', value, LEAD);
    await other.post;
    expect(json(await responseTo(other.id))).toMatch(/vote was recorded/);
  });

  it('lists every command with examples on help, the team ones only for the team', async () => {
    const forLead = json(await ask('help'));
    expect(forLead).toMatch(/\/privacy requests/);
    expect(forLead).toMatch(/deadline gdpr 2026-01-31 DE/);
    const forStaff = json(await ask('help', STAFF));
    expect(forStaff).not.toMatch(/\/privacy requests \[/);
    expect(forStaff).toMatch(/for the privacy team/);
  });

  it('gives a helpful reply to unknown subcommands and oversized input', async () => {
    expect(json(await ask('shwo DSR-2026-0001'))).toMatch(/did you mean \\"show\\"/);
    expect(json(await ask('reqests'))).toMatch(/did you mean `\/privacy requests`/);
    expect(json(await ask(`why ${'x'.repeat(4500)}?`))).toMatch(/keep it under 2000/);
  });

  it('computes a deadline with its rule', async () => {
    const text = json(await ask('deadline gdpr 2026-01-31 DE'));
    expect(text).toMatch(/2026-03-02/);
    expect(text).toMatch(/GDPR art\. 12\(3\)/);
  });
});

describe('who may see the register', () => {
  it('refuses people outside the privacy team, politely', async () => {
    for (const text of [
      'requests',
      'requests overdue',
      'show DSR-2026-0001',
      'close DSR-2026-0001 completed',
    ]) {
      expect(json(await ask(text, STAFF))).toMatch(/only the privacy team/);
    }
  });

  it('lets members of the privacy team user group in, asking Slack for the group briefly cached', async () => {
    expect(json(await ask('requests', MEMBER))).toMatch(/Open requests/);
    expect(json(await ask('requests overdue', MEMBER))).toMatch(/Overdue requests/);
    expect(fake.callsTo('usergroups.users.list').length).toBeLessThanOrEqual(1);
  });
});

describe('logging a request', () => {
  it('opens the intake modal on /privacy request, received defaulting to today', async () => {
    const { res } = await command('request', STAFF);
    expect(res.status).toBe(200);
    const open = await fake.waitFor(() => fake.callsTo('views.open')[0]);
    const view = open.args.view as {
      callback_id: string;
      blocks: { block_id?: string; element?: { initial_date?: string } }[];
    };
    expect(view.callback_id).toBe('intake.submit');
    expect(view.blocks.map((b) => b.block_id).filter(Boolean)).toEqual([
      'type',
      'name',
      'email',
      'phone',
      'address',
      'regime',
      'country',
      'received',
      'channel',
      'owner',
      'policy',
      'note',
    ]);
    expect(view.blocks.find((b) => b.block_id === 'received')?.element?.initial_date).toBe(today());
  });

  it('returns field errors in the ack, so the form stays open', async () => {
    const res = await submitIntake(
      intakeValues({
        type: 'erasure',
        name: 'Jane Roe',
        email: 'not-an-email',
        regime: 'gdpr',
        received: '2999-01-01',
      }),
    );
    expect(res.status).toBe(200);
    const ack = JSON.parse(res.body) as { response_action: string; errors: Record<string, string> };
    expect(ack.response_action).toBe('errors');
    expect(Object.keys(ack.errors).sort()).toEqual(['email', 'received']);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('stores a submitted form once, confirms by DM with id and deadlines, and tells the privacy channel without personal data', async () => {
    const viewId = nextId('VIEW');
    const values = intakeValues({
      type: 'erasure',
      name: 'Jane Roe',
      email: 'jane.roe@example.com',
      regime: 'gdpr',
      country: 'FR',
      received: today(),
      owner: LEAD,
      policy: 'brightdesk',
      note: 'asked by phone',
    });
    const res = await submitIntake(values, STAFF, viewId);
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
    const dm = await fake.waitFor(() =>
      fake.callsTo('chat.postMessage').find((c) => String(c.args.channel).startsWith('D')),
    );
    expect(fake.callsTo('conversations.open')[0]?.args.users).toBe(STAFF);
    const confirmation = json(dm.args);
    expect(confirmation).toMatch(/Logged DSR-\d{4}-\d{4}/);
    expect(confirmation).toMatch(/Response due/);
    expect(confirmation).toMatch(/GDPR art\. 12\(3\)/);
    const notice = await fake.waitFor(() =>
      fake.callsTo('chat.postMessage').find((c) => c.args.channel === PRIVACY),
    );
    expect(json(notice.args)).toMatch(/New erasure request DSR-/);
    expect(json(notice.args)).not.toMatch(/Jane|jane\.roe|asked by phone/);
    // The same view submitted again (a double click, a retry) logs nothing more.
    await submitIntake(values, STAFF, viewId);
    await app.slack!.settle();
    expect(
      fake.callsTo('chat.postMessage').filter((c) => String(c.args.channel).startsWith('D')),
    ).toHaveLength(1);
  });

  it('logs a one-line request only after the person confirms with the button', async () => {
    const reply = await ask('log erasure request from jane@example.com received yesterday under GDPR', STAFF);
    const text = json(reply.blocks);
    expect(text).toMatch(/core:intake\.confirm/);
    expect(text).toMatch(/core:intake\.cancel/);
    const count = async () => (await app.register.list({ status: ['all'] }, new Date())).length;
    const before = await count();
    const confirm = buttonPress('core:intake.confirm', 'confirm', STAFF);
    await confirm.post;
    const done = await responseTo(confirm.id);
    expect(done.replace_original).toBe(true);
    expect(json(done)).toMatch(/Logged DSR-/);
    await fake.waitFor(() => fake.callsTo('chat.postMessage').find((c) => c.args.channel === PRIVACY));
    // Pressing it again logs nothing more, and says what the draft became.
    const again = buttonPress('core:intake.confirm', 'confirm', STAFF);
    await again.post;
    expect(json(await responseTo(again.id))).toMatch(
      /logged already, as DSR-\d{4}-\d{4}; it was not logged again/,
    );
    expect(await count()).toBe(before + 1);
  });

  it('logs a one-line request by phone with the number as the contact, and an appeal of it, keeping both out of the channel', async () => {
    const draft = await ask(
      'deletion request by phone from Vera Lane, (804) 555-0100, virginia, received 2026-10-05',
      LEAD,
    );
    expect(json(draft.blocks)).toMatch(/Vera Lane, phone \(804\) 555-0100/);
    const confirm = buttonPress('core:intake.confirm', 'confirm', LEAD);
    await confirm.post;
    const id = /Logged (DSR-\d{4}-\d{4})/.exec(json(await responseTo(confirm.id)))![1]!;
    expect((await app.register.show(id)).requester).toEqual({ name: 'Vera Lane', phone: '(804) 555-0100' });
    await app.register.closeRequest(id, 'rejected', { actor: 'lead', now: new Date() });
    fake.reset();
    const appeal = await ask(`the customer appealed our refusal of ${id} today`, LEAD);
    expect(json(appeal.blocks)).toMatch(new RegExp(`Log an appeal of ${id}`));
    expect(json(appeal.blocks)).toMatch(/Response due: \d{4}-\d{2}-\d{2} — Appeal/);
    const yes = buttonPress('core:intake.confirm', 'confirm', LEAD);
    await yes.post;
    const appealId = /Logged (DSR-\d{4}-\d{4})/.exec(json(await responseTo(yes.id)))![1]!;
    expect(await app.register.get(appealId)).toMatchObject({ type: 'appeal', appealOf: id });
    const notice = await fake.waitFor(() =>
      fake.callsTo('chat.postMessage').find((c) => c.args.channel === PRIVACY),
    );
    expect(json(notice.args)).toMatch(/New appeal request/);
    expect(json(notice.args)).not.toMatch(/Vera|555-0100/);
  });

  it('pre-fills the form from a message with the message shortcut', async () => {
    const res = await postToSlackEndpoint(
      endpoint,
      interactionBody({
        type: 'message_action',
        callback_id: 'intake.from-message',
        token: 'legacy',
        team: { id: 'T1' },
        user: { id: STAFF, username: 'staff', team_id: 'T1' },
        channel: { id: 'C1', name: 'support' },
        trigger_id: nextId('trig'),
        response_url: fake.responseUrl('shortcut'),
        message_ts: '1700000000.000100',
        message: {
          type: 'message',
          user: 'UCUSTOMERSUPPORT',
          ts: '1700000000.000100',
          text: 'Customer asks us to delete everything: <mailto:max@example.org|max@example.org>',
        },
      }),
      { secret: SECRET },
    );
    expect(res.status).toBe(200);
    const open = await fake.waitFor(() => fake.callsTo('views.open')[0]);
    const blocks = (open.args.view as { blocks: { block_id?: string; element?: Record<string, unknown> }[] })
      .blocks;
    const el = (id: string) => blocks.find((b) => b.block_id === id)?.element ?? {};
    expect(el('email').initial_value).toBe('max@example.org');
    expect(el('note').initial_value).toMatch(/delete everything: max@example\.org/);
    expect(el('received').initial_date).toBe('2023-11-14');
  });
});

describe('working the register', () => {
  async function logOne(regime = 'gdpr', name = 'Erika Muster'): Promise<string> {
    await submitIntake(
      intakeValues({ type: 'access', name, email: 'erika@example.com', regime, received: today() }),
      LEAD,
    );
    const dm = await fake.waitFor(() =>
      fake
        .callsTo('chat.postMessage')
        .find((c) => /Logged DSR-/.test(json(c.args)) && String(c.args.channel).startsWith('D')),
    );
    fake.reset();
    return /DSR-\d{4}-\d{4}/.exec(json(dm.args))![0];
  }

  it('lists, shows (with the requester, privately), assigns, extends, pauses, resumes and closes', async () => {
    const id = await logOne('uk-gdpr');
    expect(json(await ask('requests open'))).toContain(id);
    const shown = json(await ask(`show ${id}`));
    expect(shown).toMatch(/Erika Muster/);
    expect(shown).toMatch(/Audit trail/);
    expect(shown).toMatch(/core:request\.assign-me/);
    expect(json(await ask(`assign ${id} <@UBOB|bob>`))).toMatch(/<@UBOB>/);
    expect(json(await ask('requests mine', 'UBOB'))).toMatch(/only the privacy team/);
    expect(json(await ask(`extend ${id} complex request`))).toMatch(/extend done/);
    expect(json(await ask(`pause ${id} waiting for ID`))).toMatch(/pause done/);
    expect(json(await ask(`resume ${id}`))).toMatch(/resume done/);
    expect(json(await ask(`close ${id} completed`))).toMatch(/close done/);
  });

  it('routes request buttons back to the engine, replacing the ephemeral message', async () => {
    const id = await logOne();
    const press = buttonPress('core:request.assign-me', id, LEAD);
    await press.post;
    const reply = await responseTo(press.id);
    expect(reply.replace_original).toBe(true);
    expect(json(reply)).toMatch(/assign done/);
    expect(json(await ask('requests mine'))).toContain(id);
  });

  it('answers a button in the privacy channel with a new ephemeral message, not by editing the notice', async () => {
    const id = await logOne();
    const press = buttonPress('core:request.show', id, MEMBER, {
      type: 'message',
      message_ts: '2.2',
      channel_id: PRIVACY,
      is_ephemeral: false,
    });
    await press.post;
    const reply = await responseTo(press.id);
    expect(reply.replace_original).toBe(false);
    expect(reply.response_type).toBe('ephemeral');
    expect(json(reply)).toMatch(/Erika Muster/);
  });

  it('publishes App Home: the team sees their lists with buttons, others an explanation', async () => {
    const id = await logOne();
    await ask(`assign ${id} <@${LEAD}|lead>`);
    fake.reset();
    await postEvent(event({ type: 'app_home_opened', user: LEAD, channel: 'DLEAD', tab: 'home' }));
    const home = await fake.waitFor(() => fake.callsTo('views.publish')[0]);
    expect(home.args.user_id).toBe(LEAD);
    const text = json(home.args.view);
    expect(text).toMatch(/owned by you/);
    expect(text).toMatch(/Requests due within 7 days/);
    expect(text).toMatch(/Overdue requests/);
    expect(text).toContain(id);
    expect(text).toMatch(/core:request\.show/);
    expect((home.args.view as { blocks: unknown[] }).blocks.length).toBeLessThanOrEqual(100);
    // Requester data never appears in lists.
    expect(text).not.toMatch(/Erika|erika@/);

    await postEvent(event({ type: 'app_home_opened', user: STAFF, channel: 'DSTAFF', tab: 'home' }));
    const guest = await fake.waitFor(() =>
      fake.callsTo('views.publish').find((c) => c.args.user_id === STAFF),
    );
    expect(json(guest.args.view)).toMatch(/Log a rights request/);
    expect(json(guest.args.view)).not.toContain(id);
  });

  it('shows a request from App Home in a modal', async () => {
    const id = await logOne();
    const press = buttonPress('core:request.show', id, LEAD, { type: 'view', view_id: 'VHOME' });
    await press.post;
    // Opened at once (the trigger expires in 3 s), then filled in.
    const open = await fake.waitFor(() => fake.callsTo('views.open')[0]);
    expect(json(open.args.view)).toMatch(/Working on it/);
    const update = await fake.waitFor(() => fake.callsTo('views.update')[0]);
    expect(update.args.view_id).toMatch(/^V\d+$/);
    expect(json(update.args.view)).toContain(id);
  });
});

describe('mentions and direct messages', () => {
  it('answers a mention in the thread, without pings or links', async () => {
    const res = await postEvent(
      event({
        type: 'app_mention',
        user: STAFF,
        channel: 'CGENERAL',
        ts: '1700000100.000100',
        text: '<@UBOT> how long do we hold on to technical logs at Brightdesk?',
      }),
    );
    expect(res.status).toBe(200);
    const post = await fake.waitFor(() => fake.callsTo('chat.postMessage')[0]);
    expect(post.args.channel).toBe('CGENERAL');
    expect(post.args.thread_ts).toBe('1700000100.000100');
    expect(post.args.parse).toBe('none');
    expect(String(post.args.link_names)).toBe('false');
    expect(json(post.args.blocks)).toMatch(/30 days/);
  });

  it('never shows requester data in a shared channel, but does in the privacy channel', async () => {
    await submitIntake(
      intakeValues({
        type: 'access',
        name: 'Paula Private',
        email: 'paula@example.com',
        regime: 'gdpr',
        received: today(),
      }),
      LEAD,
    );
    const dm = await fake.waitFor(() =>
      fake
        .callsTo('chat.postMessage')
        .find((c) => /Logged DSR-/.test(json(c.args)) && String(c.args.channel).startsWith('D')),
    );
    const id = /DSR-\d{4}-\d{4}/.exec(json(dm.args))![0];
    // The intake also tells the privacy channel; let that arrive before looking at the replies.
    await fake.waitFor(() => fake.callsTo('chat.postMessage').find((c) => c.args.channel === PRIVACY));
    fake.reset();
    await postEvent(
      event({
        type: 'app_mention',
        user: LEAD,
        channel: 'CGENERAL',
        ts: '1700000200.000100',
        text: `<@UBOT> show ${id}`,
      }),
    );
    const shared = await fake.waitFor(() =>
      fake.callsTo('chat.postMessage').find((c) => c.args.thread_ts === '1700000200.000100'),
    );
    expect(shared.args.channel).toBe('CGENERAL');
    expect(json(shared.args)).toContain(id);
    expect(json(shared.args)).not.toMatch(/Paula|paula@/);
    fake.reset();
    await postEvent(
      event({
        type: 'app_mention',
        user: LEAD,
        channel: PRIVACY,
        ts: '1700000300.000100',
        text: `<@UBOT> show ${id}`,
      }),
    );
    const privileged = await fake.waitFor(() =>
      fake.callsTo('chat.postMessage').find((c) => c.args.thread_ts === '1700000300.000100'),
    );
    expect(privileged.args.channel).toBe(PRIVACY);
    expect(json(privileged.args)).toMatch(/Paula Private/);
  });

  it('never shows the notes of a request in a shared channel, but does in the privacy channel', async () => {
    await submitIntake(
      intakeValues({
        type: 'erasure',
        name: 'Nora Noted',
        email: 'nora@example.com',
        regime: 'gdpr',
        received: today(),
        note: 'Asked by email to delete her account',
      }),
      LEAD,
    );
    const dm = await fake.waitFor(() =>
      fake
        .callsTo('chat.postMessage')
        .find((c) => /Logged DSR-/.test(json(c.args)) && String(c.args.channel).startsWith('D')),
    );
    const id = /DSR-\d{4}-\d{4}/.exec(json(dm.args))![0];
    await fake.waitFor(() => fake.callsTo('chat.postMessage').find((c) => c.args.channel === PRIVACY));
    const showIn = async (channel: string, ts: string) => {
      fake.reset();
      await postEvent(event({ type: 'app_mention', user: LEAD, channel, ts, text: `<@UBOT> show ${id}` }));
      return fake.waitFor(() => fake.callsTo('chat.postMessage').find((c) => c.args.thread_ts === ts));
    };
    const shared = await showIn('CGENERAL', '1700000250.000100');
    expect(json(shared.args)).toContain(id);
    expect(json(shared.args)).not.toMatch(/Asked by email|delete her account/);
    const privileged = await showIn(PRIVACY, '1700000350.000100');
    expect(json(privileged.args)).toMatch(/Asked by email to delete her account/);
  });

  it('answers a mention without text (only the mention, or only a file) like an empty message', async () => {
    logLines.length = 0;
    const res = await postEvent(
      event({ type: 'app_mention', user: STAFF, channel: 'CGENERAL', ts: '1700000450.000100' }),
    );
    expect(res.status).toBe(200);
    const reply = await fake.waitFor(() =>
      fake.callsTo('chat.postMessage').find((c) => c.args.thread_ts === '1700000450.000100'),
    );
    expect(json(reply.args)).toMatch(/Ask me a question/);
    expect(json(reply.args)).not.toMatch(/went wrong/);
    expect(logLines.join('\n')).not.toMatch(/"level":50/);
  });

  it('sends refusals in a channel only to the asker', async () => {
    await postEvent(
      event({
        type: 'app_mention',
        user: STAFF,
        channel: 'CGENERAL',
        ts: '1700000400.000100',
        text: '<@UBOT> requests',
      }),
    );
    const whisper = await fake.waitFor(() => fake.callsTo('chat.postEphemeral')[0]);
    expect(whisper.args.user).toBe(STAFF);
    expect(whisper.args.thread_ts).toBe('1700000400.000100');
    expect(json(whisper.args)).toMatch(/only the privacy team/);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('answers a direct message in the DM and ignores its own posts', async () => {
    await postEvent(
      event({
        type: 'message',
        channel_type: 'im',
        channel: 'DSTAFF',
        user: STAFF,
        ts: '1700000500.000100',
        text: 'deadline ccpa 2026-01-10',
      }),
    );
    const post = await fake.waitFor(() => fake.callsTo('chat.postMessage')[0]);
    expect(post.args.channel).toBe('DSTAFF');
    expect(json(post.args)).toMatch(/CCPA/);
    await postEvent(
      event({
        type: 'message',
        channel_type: 'im',
        channel: 'DSTAFF',
        user: 'UBOT',
        bot_id: 'BBOT',
        ts: '1700000501.000100',
        text: 'echo',
      }),
    );
    await app.slack!.settle();
    expect(fake.callsTo('chat.postMessage')).toHaveLength(1);
  });
});

describe('retries and duplicates', () => {
  it('answers a retried event (X-Slack-Retry-Num) once', async () => {
    const eventId = nextId('EvRetry');
    const payload = {
      type: 'app_mention',
      user: STAFF,
      channel: 'CGENERAL',
      ts: '1700000600.000100',
      text: '<@UBOT> deadline gdpr 2026-01-31',
    };
    // Slack signs each retry afresh (a later timestamp), so these pass verification and reach dedupe.
    const body = event(payload, eventId);
    const now = Math.floor(Date.now() / 1000);
    expect((await postEvent(body, {}, now - 2)).status).toBe(200);
    for (const retry of [1, 2]) {
      const res = await postEvent(
        body,
        { 'x-slack-retry-num': String(retry), 'x-slack-retry-reason': 'http_timeout' },
        now - 2 + retry,
      );
      expect(res.status).toBe(200);
    }
    // The same message under a new event id (slackapi/node-slack-sdk#2141) is still one message.
    await postEvent(event(payload));
    await app.slack!.settle();
    expect(fake.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('handles a command delivered twice with the same trigger id once', async () => {
    const triggerId = nextId('dup-trigger');
    await command('deadline gdpr 2026-01-31', LEAD, { triggerId });
    await command('deadline gdpr 2026-01-31', LEAD, { triggerId });
    await app.slack!.settle();
    expect(fake.responses).toHaveLength(1);
  });
});

describe('bad input and failures', () => {
  it('escapes mrkdwn in everything people typed: no pings, no links', async () => {
    const injected = '<!channel> Jane <@U999> <!here> <https://evil.example|click>';
    await submitIntake(
      intakeValues({
        type: 'access',
        name: injected,
        email: 'x@example.com',
        regime: 'gdpr',
        received: today(),
        note: injected,
      }),
      LEAD,
    );
    const dm = await fake.waitFor(() =>
      fake.callsTo('chat.postMessage').find((c) => /Logged DSR-/.test(json(c.args))),
    );
    const id = /DSR-\d{4}-\d{4}/.exec(json(dm.args))![0];
    await ask(`show ${id}`);
    await ask('deadline <!here> 2026-01-31');
    await ask('show <!channel>');
    const sent = everythingSent();
    expect(sent).toMatch(/&lt;!channel&gt; Jane &lt;@U999&gt;/);
    for (const raw of ['<!channel>', '<@U999>', '<!here>', '<https://evil.example|click>'])
      expect(sent).not.toContain(raw);
    for (const post of [...fake.callsTo('chat.postMessage'), ...fake.callsTo('chat.postEphemeral')]) {
      expect(post.args.parse).toBe('none');
      expect(String(post.args.link_names)).toBe('false');
    }
  });

  it('tells the user about a failure with a reference that matches the log, without personal data in the log', async () => {
    fake.failures.set('views.open', 'internal_error');
    logLines.length = 0;
    await command('request', STAFF);
    const dm = await fake.waitFor(() =>
      fake.callsTo('chat.postMessage').find((c) => String(c.args.channel).startsWith('D')),
    );
    const reference = /reference ([A-Z0-9]{6})/.exec(json(dm.args))?.[1];
    expect(reference).toBeDefined();
    const line = logLines.find((l) => l.includes(reference!));
    expect(line).toMatch(/"slackError":"internal_error"/);
    expect(logLines.join('\n')).not.toMatch(/@example\.com/);
  });
});

describe('plain words (issue 16), by slash command, mention and DM', () => {
  it('logs a request stated in plain words after an everyday yes, then closes "it"', async () => {
    const draft = json(await ask("new DSAR from maria.lopez@example.es, arrived yesterday, she's in Spain"));
    expect(draft).toMatch(/Country: Spain \(ES\)/);
    expect(draft).toMatch(/Response due: \d{4}-\d{2}-\d{2}/);
    expect(draft).toMatch(/core:intake\.confirm/);
    const logged = json(await ask('yep'));
    expect(logged).toMatch(/Logged DSR-\d{4}-\d{4}/);
    const id = /DSR-\d{4}-\d{4}/.exec(logged)![0];
    expect(json(await ask('mark it done'))).toMatch(new RegExp(`${id}.*closed: completed`));
    expect(json(await ask(`show ${Number(id.slice(-4)) + 100}`))).toMatch(/Type \\"requests all\\"/);
  });

  it('answers small talk in a mention with a pointer to help, in the thread', async () => {
    await postEvent(
      event({
        type: 'app_mention',
        user: STAFF,
        channel: 'CGENERAL',
        ts: '1700000900.000100',
        text: '<@UBOT> thanks!',
      }),
    );
    const post = await fake.waitFor(() => fake.callsTo('chat.postMessage')[0]);
    expect(post.args.thread_ts).toBe('1700000900.000100');
    expect(json(post.args)).toMatch(/help/);
    expect(json(post.args)).not.toMatch(/None of the policies/);
  });

  it('lists what is due this week from a direct message', async () => {
    await postEvent(
      event({
        type: 'message',
        channel_type: 'im',
        channel: 'DLEAD',
        user: LEAD,
        ts: '1700000901.000100',
        text: "what's due this week",
      }),
    );
    const post = await fake.waitFor(() => fake.callsTo('chat.postMessage')[0]);
    expect(post.args.channel).toBe('DLEAD');
    expect(json(post.args)).toMatch(/Requests due within \d days \(by \d{4}-\d{2}-\d{2}\)/);
  });
});
