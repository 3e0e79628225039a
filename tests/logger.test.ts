import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../src/config.js';
import { todayIn } from '../src/core/requests/input.js';
import { createLogger } from '../src/logger.js';
import { type App, startApp } from '../src/main.js';
import {
  FakeBotConnector,
  postActivity,
  LEAD as TEAMS_LEAD,
  TeamsActivities,
} from './fakes/bot-connector.js';
import {
  type FakeSlackApi,
  interactionBody,
  postToSlackEndpoint,
  startFakeSlackApi,
} from './fakes/slack-api.js';

/**
 * No personal data in logs at any level, the libraries' own lines included (Bolt, Slack's Web API
 * client, botbuilder). The real app at `debug` and `trace`, Slack and Teams on: a request is logged
 * through the Slack form (name, email, note), then shown in a Slack DM, on the Home tab and in a
 * Teams personal chat, and everything the logger and the console printed is searched for the
 * requester's name, email and note.
 */

const SECRET = 'test-signing-secret-0123456789';
const LEAD = 'ULEAD';
const NAME = 'Wilhelmina Quarterstaff';
const EMAIL = 'wilhelmina.q@example.org';
const NOTE = 'Asked by email to delete her account';
const PHONE = '+44 7700 900917';
const ADDRESS = '17 Gallowgate Crescent, Quillborough';
const PERSONAL = new RegExp(
  [
    NAME,
    'Wilhelmina',
    'Quarterstaff',
    EMAIL,
    'wilhelmina',
    NOTE,
    'delete her account',
    '7700 900917',
    '900917',
    'Gallowgate',
    'Quillborough',
  ].join('|'),
  'i',
);
const examples = fileURLToPath(new URL('../examples/policies/', import.meta.url));

describe.each(['debug', 'trace'])('logs at LOG_LEVEL=%s', (level) => {
  let fake: FakeSlackApi;
  let connector: FakeBotConnector;
  let teams: TeamsActivities;
  let app: App;
  let dir: string;
  const lines: string[] = [];
  const consoleLines: string[] = [];
  let seq = 0;

  beforeAll(async () => {
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const)
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        consoleLines.push(
          args.map((a) => (a instanceof Error ? `${a.message} ${a.stack}` : String(a))).join(' '),
        );
      });
    fake = await startFakeSlackApi();
    connector = await new FakeBotConnector().start();
    teams = new TeamsActivities(connector.url);
    dir = mkdtempSync(join(tmpdir(), 'privacy-ops-logs-'));
    const config = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: fake.url,
      SLACK_PRIVACY_CHANNEL: 'CPRIVACY',
      SLACK_PRIVACY_TEAM_USERS: LEAD,
      TEAMS_DEV_MODE: 'true',
      TEAMS_PRIVACY_TEAM_AAD_IDS: TEAMS_LEAD.aadObjectId,
      PORT: '0',
      REMINDERS_ENABLED: 'false',
      POLICY_CORPUS: examples,
      PRIVACY_OPS_STORE: `sqlite://${join(dir, 'register.sqlite')}`,
      DEFAULT_TIMEZONE: 'Europe/Berlin',
      LOG_LEVEL: level,
    });
    // The app's own logger factory, writing into memory instead of stderr.
    app = await startApp(
      config,
      createLogger(config.LOG_LEVEL, { write: (line: string) => void lines.push(line) }),
    );
  });

  afterAll(async () => {
    await app?.stop();
    await fake?.close();
    await connector?.stop();
    rmSync(dir, { recursive: true, force: true });
    vi.restoreAllMocks();
  });

  afterEach(() => fake.reset());

  const endpoint = () => `http://127.0.0.1:${app.port}/slack/events`;
  const postEvent = (event: Record<string, unknown>) =>
    postToSlackEndpoint(
      endpoint(),
      JSON.stringify({
        token: 'legacy',
        team_id: 'T1',
        api_app_id: 'A1',
        type: 'event_callback',
        event_id: `Ev${level}${++seq}`,
        event_time: Math.floor(Date.now() / 1000),
        authorizations: [{ team_id: 'T1', user_id: 'UBOT', is_bot: true }],
        event,
      }),
      { secret: SECRET, contentType: 'application/json' },
    );

  it('never carries the requester’s name, email, phone, postal address or note, from our code or the libraries', async () => {
    // Logged through the Slack form: Bolt sees the whole view_submission payload.
    const select = (v: string) => ({ type: 'static_select', selected_option: { value: v } });
    const submitted = await postToSlackEndpoint(
      endpoint(),
      interactionBody({
        type: 'view_submission',
        token: 'legacy',
        api_app_id: 'A1',
        team: { id: 'T1' },
        user: { id: LEAD, username: 'lead', team_id: 'T1' },
        trigger_id: `trig${level}`,
        view: {
          id: `VIEW${level}`,
          type: 'modal',
          callback_id: 'intake.submit',
          hash: 'h',
          state: {
            values: {
              type: { value: select('erasure') },
              name: { value: { type: 'plain_text_input', value: NAME } },
              email: { value: { type: 'email_text_input', value: EMAIL } },
              phone: { value: { type: 'plain_text_input', value: PHONE } },
              address: { value: { type: 'plain_text_input', value: ADDRESS } },
              regime: { value: select('gdpr') },
              country: { value: { type: 'plain_text_input', value: 'DE' } },
              received: {
                value: { type: 'datepicker', selected_date: todayIn(new Date(), 'Europe/Berlin') },
              },
              channel: { value: select('email') },
              owner: { value: { type: 'users_select', selected_user: LEAD } },
              policy: { value: select('') },
              note: { value: { type: 'plain_text_input', value: NOTE } },
            },
          },
        },
      }),
      { secret: SECRET },
    );
    expect(submitted.status).toBe(200);
    const dm = await fake.waitFor(() =>
      fake.callsTo('chat.postMessage').find((c) => /Logged DSR-/.test(JSON.stringify(c.args))),
    );
    const id = /DSR-\d{4}-\d{4}/.exec(JSON.stringify(dm.args))![0];

    await fake.waitFor(() => fake.callsTo('chat.postMessage').find((c) => c.args.channel === 'CPRIVACY'));
    // Shown in a DM: the reply (name, email, note) goes out through chat.postMessage.
    fake.reset();
    await postEvent({
      type: 'message',
      channel_type: 'im',
      channel: 'DLEAD',
      user: LEAD,
      ts: `17000${seq}.0001`,
      text: `show ${id}`,
    });
    const shown = await fake.waitFor(() =>
      fake.callsTo('chat.postMessage').find((c) => JSON.stringify(c.args).includes(id)),
    );
    expect(JSON.stringify(shown.args)).toContain(NAME);
    expect(JSON.stringify(shown.args)).toContain(NOTE);
    expect(JSON.stringify(shown.args)).toContain('Gallowgate');

    // The Home tab, through views.publish.
    await postEvent({ type: 'app_home_opened', user: LEAD, channel: 'DLEAD', tab: 'home' });
    await fake.waitFor(() => fake.callsTo('views.publish')[0]);

    // Teams: shown in a personal chat, to the privacy team.
    const res = await postActivity(app.port, teams.message(`show ${id}`, { kind: 'personal' }, TEAMS_LEAD));
    expect(res.status).toBe(200);
    const [card] = await connector.waitFor(1);
    expect(JSON.stringify(card!.activity)).toContain(NAME);
    await app.slack!.settle();

    // The libraries did log at this level (so the check means something) ...
    expect(lines.some((l) => /"component":"bolt"/.test(l))).toBe(true);
    expect(lines.length).toBeGreaterThan(10);
    // ... and nothing personal reached the log or the console.
    const leaks = [...lines, ...consoleLines].filter((l) => PERSONAL.test(l));
    expect(leaks.map((l) => l.slice(0, 300))).toEqual([]);
  });
});

describe('errors in the log', () => {
  it('are logged by type, code, message and stack, never with the payloads libraries hang on them', () => {
    const lines: string[] = [];
    const logger = createLogger('info', { write: (line: string) => void lines.push(line) });
    // What @slack/web-api throws on a platform error, and what HTTP clients attach.
    const error = Object.assign(new Error(`An API error occurred: invalid_blocks for ${EMAIL}`), {
      code: 'slack_webapi_platform_error',
      data: { ok: false, error: 'invalid_blocks', message: { text: `${NAME} ${NOTE}` } },
      config: { body: JSON.stringify({ text: NAME }) },
    });
    logger.error({ err: error }, 'post failed');
    expect(lines).toHaveLength(1);
    const logged = JSON.parse(lines[0]!) as { err: Record<string, unknown> };
    expect(logged.err.code).toBe('slack_webapi_platform_error');
    expect(logged.err.message).toMatch(/invalid_blocks/);
    expect(logged.err.stack).toMatch(/^\s+at /);
    expect(lines[0]).not.toMatch(PERSONAL);
  });
});
