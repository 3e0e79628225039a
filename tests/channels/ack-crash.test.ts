import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { todayIn } from '../../src/core/requests/input.js';
import { Register } from '../../src/core/requests/register.js';
import { openRegisterStore } from '../../src/store/register-store.js';
import { FakeBotConnector, postActivity, TeamsActivities } from '../fakes/bot-connector.js';
import {
  commandBody,
  type FakeSlackApi,
  interactionBody,
  postToSlackEndpoint,
  startFakeSlackApi,
} from '../fakes/slack-api.js';
import { finished } from '../helpers/spawn-worker.js';

/**
 * Nothing acknowledged is lost (issue 11, point 1): the real server runs in its own process
 * (`node dist/index.js`, built by the global setup) over a SQLite register, and is killed with
 * SIGKILL the moment Slack's request is answered 200. A fresh process then finds the change in
 * the store: the form's request, the one-line request confirmed with "Log it", a close, an
 * extension, an assignment; and in Teams, whose answer to a form comes after the turn that logs it.
 */

const SECRET = 'crash-signing-secret-0123456789';
const LEAD = 'ULEAD';
const root = fileURLToPath(new URL('../..', import.meta.url));
const OPTIONS = { defaultCountry: 'DE', timeZone: 'Europe/Berlin', retentionMonths: 24 };

let fake: FakeSlackApi;
let dir: string;
let storeUrl: string;
let server: ChildProcess | undefined;

beforeAll(async () => {
  fake = await startFakeSlackApi();
  dir = mkdtempSync(join(tmpdir(), 'privacy-ops-crash-'));
  storeUrl = `sqlite://${join(dir, 'register.sqlite')}`;
});

afterEach(async () => {
  if (server && server.exitCode === null && server.signalCode === null) {
    server.kill('SIGKILL');
    await finished(server);
  }
  server = undefined;
});

afterAll(async () => {
  await fake?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Starts the server in a child process; resolves with its Slack endpoint once it listens. */
async function startServer(platform: Record<string, string> = {}): Promise<string> {
  const child = spawn(process.execPath, [join(root, 'dist', 'index.js')], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      // Not a .env a person may keep in the checkout.
      PRIVACY_OPS_ENV_FILE: '',
      ...(Object.keys(platform).length > 0
        ? platform
        : {
            SLACK_BOT_TOKEN: 'xoxb-crash',
            SLACK_SIGNING_SECRET: SECRET,
            SLACK_API_URL: fake.url,
            SLACK_PRIVACY_TEAM_USERS: LEAD,
          }),
      PORT: '0',
      REMINDERS_ENABLED: 'false',
      POLICY_CORPUS: join(root, 'examples', 'policies'),
      PRIVACY_OPS_STORE: storeUrl,
      DEFAULT_TIMEZONE: 'Europe/Berlin',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  server = child;
  let log = '';
  return new Promise((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      log += chunk;
      const port = /"port":(\d+)[^\n]*privacy-ops is serving/.exec(log)?.[1];
      if (port) resolve(`http://127.0.0.1:${port}/slack/events`);
    });
    child.on('close', () => reject(new Error(`the server ended before listening: ${log.slice(-2000)}`)));
  });
}

/** Posts a signed body; kills the server with SIGKILL as soon as the answer arrives. */
async function postThenKill(endpoint: string, body: string) {
  const res = await postToSlackEndpoint(endpoint, body, { secret: SECRET });
  server?.kill('SIGKILL');
  const exit = await finished(server!);
  expect(exit.signal).toBe('SIGKILL');
  return res;
}

/** The register as a fresh process sees it after the crash. */
async function afterCrash<T>(read: (register: Register) => Promise<T>): Promise<T> {
  const store = await openRegisterStore(storeUrl);
  try {
    return await read(await Register.open(store, OPTIONS));
  } finally {
    await store.close();
  }
}

async function emailsInStore(): Promise<string[]> {
  return afterCrash(async (register) => {
    const all = await register.list({ status: ['all'] }, new Date());
    return [...(await register.requesters(all)).values()].map((r) => r?.email ?? '');
  });
}

let seq = 0;
const next = (prefix: string) => `${prefix}${++seq}${Date.now().toString(36)}`;

function buttonBody(actionId: string, value: string, user = LEAD) {
  return interactionBody({
    type: 'block_actions',
    api_app_id: 'A1',
    team: { id: 'T1' },
    user: { id: user, username: user.toLowerCase(), team_id: 'T1' },
    container: { type: 'message', message_ts: '1.1', channel_id: 'D1', is_ephemeral: true },
    trigger_id: next('trig'),
    channel: { id: 'D1', name: 'x' },
    response_url: fake.responseUrl(next('resp')),
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
}

async function addDirectly(): Promise<string> {
  const store = await openRegisterStore(storeUrl);
  try {
    const register = await Register.open(store, OPTIONS);
    const today = todayIn(new Date(), 'Europe/Berlin');
    const added = await register.add(
      {
        type: 'access',
        regime: 'gdpr',
        received: today,
        requesterName: 'Ann Example',
        requesterEmail: 'ann@example.org',
      },
      { actor: 'test', now: new Date() },
    );
    await register.close();
    return added.id;
  } finally {
    await store.close();
  }
}

describe('kill -9 right after Slack is answered 200', { timeout: 60_000 }, () => {
  it('keeps a request submitted through the form', async () => {
    const endpoint = await startServer();
    const select = (v: string) => ({ type: 'static_select', selected_option: { value: v } });
    const text = (v: string | null) => ({ type: 'plain_text_input', value: v });
    const values = {
      type: { value: select('erasure') },
      name: { value: text('Form Person') },
      email: { value: { type: 'email_text_input', value: 'form.person@example.org' } },
      regime: { value: select('gdpr') },
      country: { value: text('FR') },
      received: { value: { type: 'datepicker', selected_date: todayIn(new Date(), 'Europe/Berlin') } },
      channel: { value: select('email') },
      owner: { value: { type: 'users_select', selected_user: null } },
      policy: { value: { type: 'static_select', selected_option: null } },
      note: { value: text(null) },
    };
    const res = await postThenKill(
      endpoint,
      interactionBody({
        type: 'view_submission',
        api_app_id: 'A1',
        team: { id: 'T1' },
        user: { id: 'USTAFF', username: 'ustaff', team_id: 'T1' },
        trigger_id: next('trig'),
        view: { id: next('V'), type: 'modal', callback_id: 'intake.submit', hash: 'h', state: { values } },
      }),
    );
    expect(res.status).toBe(200);
    // Slack closes the form on an empty 200: that is the confirmation, so the request must be there.
    expect(res.body).toBe('');
    expect(await emailsInStore()).toContain('form.person@example.org');
  });

  it('keeps a one-line request confirmed with "Log it"', async () => {
    const endpoint = await startServer();
    const responseId = next('cmd');
    await postToSlackEndpoint(
      endpoint,
      commandBody({
        text: 'log erasure request from Line Person <line.person@example.org> received today under GDPR',
        user: LEAD,
        responseUrl: fake.responseUrl(responseId),
      }),
      { secret: SECRET },
    );
    await fake.waitFor(() => fake.responses.find((r) => r.id === responseId));
    const res = await postThenKill(endpoint, buttonBody('core:intake.confirm', 'confirm'));
    expect(res.status).toBe(200);
    expect(await emailsInStore()).toContain('line.person@example.org');
  });

  it.each([
    ['close', 'core:request.close', (r: { status: string }) => expect(r.status).toBe('completed')],
    ['extend', 'core:request.extend', (r: { extensions: number }) => expect(r.extensions).toBe(1)],
    ['assign', 'core:request.assign-me', (r: { owner: string | null }) => expect(r.owner).toBe(LEAD)],
  ] as const)('keeps a %s pressed on a button', async (_name, actionId, check) => {
    const id = await addDirectly();
    const endpoint = await startServer();
    const res = await postThenKill(endpoint, buttonBody(actionId, id));
    expect(res.status).toBe(200);
    const request = await afterCrash((register) => register.get(id));
    (check as (r: unknown) => void)(request);
  });
});

describe('kill -9 right after Teams is answered 200', { timeout: 60_000 }, () => {
  it('keeps a request submitted through the Teams form', async () => {
    const connector = await new FakeBotConnector().start();
    try {
      const endpoint = await startServer({ TEAMS_DEV_MODE: 'true' });
      const port = Number(new URL(endpoint).port);
      const activity = new TeamsActivities(connector.url).submit({
        action: 'request.submit',
        formId: randomUUID(),
        type: 'erasure',
        regime: 'gdpr',
        received: todayIn(new Date(), 'Europe/Berlin'),
        requesterName: 'Teams Person',
        requesterEmail: 'teams.person@example.org',
        country: 'FR',
      });
      const res = await postActivity(port, activity);
      server?.kill('SIGKILL');
      await finished(server!);
      expect(res.status).toBe(200);
      expect(await emailsInStore()).toContain('teams.person@example.org');
    } finally {
      await connector.stop();
    }
  });
});
