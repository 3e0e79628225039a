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
  slackSignature,
  startFakeSlackApi,
} from '../../fakes/slack-api.js';

/**
 * Two replicas on one store (issue 11, point 7): the same signed request, the same event and the
 * same form submission sent to both are handled once, and a replay is refused after a restart.
 */

const SECRET = 'replica-signing-secret-0123456789';
const LEAD = 'ULEAD';
const examples = fileURLToPath(new URL('../../../examples/policies/', import.meta.url));

let fake: FakeSlackApi;
let dir: string;
let config: ReturnType<typeof loadConfig>;
const apps: App[] = [];
/** The two replicas the tests send to (the first one is replaced by a restart in the first test). */
let replicas: Array<{ app: App; endpoint: string }> = [];
let seq = 0;
const next = (prefix: string) => `${prefix}${++seq}${Date.now().toString(36)}`;
/** Forms submitted at once in the burst test, streams of copies per form, and copies per stream. */
const BURST_FORMS = 5;
const BURST_STREAMS = 4;
const BURST_COPIES = 10;

async function start(): Promise<{ app: App; endpoint: string }> {
  const app = await startApp(config, pino({ level: 'silent' }));
  apps.push(app);
  return { app, endpoint: `http://127.0.0.1:${app.port}/slack/events` };
}

beforeAll(async () => {
  fake = await startFakeSlackApi();
  dir = mkdtempSync(join(tmpdir(), 'privacy-ops-replicas-'));
  config = loadConfig({
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: fake.url,
    SLACK_PRIVACY_TEAM_USERS: LEAD,
    PORT: '0',
    REMINDERS_ENABLED: 'false',
    POLICY_CORPUS: examples,
    PRIVACY_OPS_STORE: `sqlite://${join(dir, 'register.sqlite')}`,
    DEFAULT_TIMEZONE: 'Europe/Berlin',
  });
});

beforeEach(() => fake.reset());

afterAll(async () => {
  for (const app of apps.splice(0)) await app.stop();
  await fake?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Sends one exact signed body (same timestamp, same signature) to an endpoint. */
function sendExact(endpoint: string, body: string, timestamp: number) {
  return postToSlackEndpoint(endpoint, body, {
    headers: {
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': slackSignature(SECRET, timestamp, body),
    },
  });
}

/** A signed form submission of one view (each delivery with its own trigger id), for `email`. */
function formSubmission(viewId: string, email: string): string {
  const select = (v: string) => ({ type: 'static_select', selected_option: { value: v } });
  const text = (v: string | null) => ({ type: 'plain_text_input', value: v });
  return interactionBody({
    type: 'view_submission',
    api_app_id: 'A1',
    team: { id: 'T1' },
    user: { id: 'USTAFF', username: 'ustaff', team_id: 'T1' },
    // Each delivery has its own trigger id; the view id is what they share.
    trigger_id: next('trig'),
    view: {
      id: viewId,
      type: 'modal',
      callback_id: 'intake.submit',
      hash: 'h',
      state: {
        values: {
          type: { value: select('access') },
          name: { value: text('Twice Person') },
          email: { value: { type: 'email_text_input', value: email } },
          regime: { value: select('gdpr') },
          country: { value: text('DE') },
          received: {
            value: { type: 'datepicker', selected_date: todayIn(new Date(), 'Europe/Berlin') },
          },
          channel: { value: select('email') },
          owner: { value: { type: 'users_select', selected_user: null } },
          policy: { value: { type: 'static_select', selected_option: null } },
          note: { value: text(null) },
        },
      },
    },
  });
}

/** How many requests in the register carry `email`. */
async function logged(email: string): Promise<number> {
  for (const app of apps) await app.slack!.settle();
  const register = apps[0]!.register;
  const all = await register.list({ status: ['all'] }, new Date());
  const emails = [...(await register.requesters(all)).values()].map((r) => r?.email);
  return emails.filter((e) => e === email).length;
}

describe('two replicas on one store', () => {
  it('answer the same signed request once, and refuse its replay after a restart', async () => {
    replicas = [await start(), await start()];
    const [a, b] = replicas as [{ app: App; endpoint: string }, { app: App; endpoint: string }];
    const id = next('cmd');
    const body = commandBody({ text: 'help', user: LEAD, responseUrl: fake.responseUrl(id) });
    const timestamp = Math.floor(Date.now() / 1000);
    const results = await Promise.all([
      sendExact(a.endpoint, body, timestamp),
      sendExact(b.endpoint, body, timestamp),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
    await Promise.all([a.app.slack!.settle(), b.app.slack!.settle()]);
    expect(fake.responses.filter((r) => r.id === id)).toHaveLength(1);

    // A restart forgets nothing: the captured request is still refused within its five minutes.
    await a.app.stop();
    apps.splice(apps.indexOf(a.app), 1);
    const again = await start();
    replicas = [again, b];
    expect((await sendExact(again.endpoint, body, timestamp)).status).toBe(401);
  });

  it('log the same form submission once when it reaches both', async () => {
    if (replicas.length < 2) replicas = [await start(), await start()];
    const endpoints = replicas.map((r) => r.endpoint);
    const viewId = next('V');
    const submission = () => formSubmission(viewId, 'twice@example.org');
    const results = await Promise.all(
      endpoints.map((e) => postToSlackEndpoint(e, submission(), { secret: SECRET })),
    );
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    // Later, once more to the first replica (a double click that arrived late).
    await postToSlackEndpoint(endpoints[0]!, submission(), { secret: SECRET });
    expect(await logged('twice@example.org')).toBe(1);
  });

  it('log each form once while copies of it keep arriving at both as it is logged', async () => {
    if (replicas.length < 2) replicas = [await start(), await start()];
    const endpoints = replicas.map((r) => r.endpoint);
    // Copies sent one after another to each replica, several streams per form and several forms at
    // once, so that some copies land while the first one's key is turned from "being submitted"
    // into "logged" (a submission that landed in between was logged again).
    const forms = Array.from({ length: BURST_FORMS }, (_, f) => ({
      viewId: next('V'),
      email: `burst${f}@example.org`,
    }));
    const stream = async (form: (typeof forms)[number], endpoint: string) => {
      for (let i = 0; i < BURST_COPIES; i++)
        await postToSlackEndpoint(endpoint, formSubmission(form.viewId, form.email), { secret: SECRET });
    };
    await Promise.all(
      forms.flatMap((form) =>
        Array.from({ length: BURST_STREAMS }, (_, i) => stream(form, endpoints[i % endpoints.length]!)),
      ),
    );
    for (const form of forms) expect(await logged(form.email)).toBe(1);
  });

  it('answer the same event (a Slack retry) once when it reaches both', async () => {
    if (replicas.length < 2) replicas = [await start(), await start()];
    const endpoints = replicas.map((r) => r.endpoint);
    const eventId = next('Ev');
    const body = JSON.stringify({
      token: 'legacy',
      team_id: 'T1',
      api_app_id: 'A1',
      type: 'event_callback',
      event_id: eventId,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ team_id: 'T1', user_id: 'UBOT', is_bot: true }],
      event: {
        type: 'message',
        channel_type: 'im',
        channel: 'D42',
        user: LEAD,
        text: 'help',
        ts: `${Date.now() / 1000}`,
      },
    });
    // A retry is signed anew (its own timestamp), so only the event id tells them apart.
    const results = await Promise.all(
      endpoints.map((e, i) =>
        postToSlackEndpoint(e, body, {
          secret: SECRET,
          contentType: 'application/json',
          timestamp: Math.floor(Date.now() / 1000) - i,
          headers: i > 0 ? { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } : {},
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    for (const app of apps) await app.slack!.settle();
    expect(fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'D42')).toHaveLength(1);
  });
});
