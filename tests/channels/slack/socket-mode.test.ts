import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { type App, startApp } from '../../../src/main.js';
import { type FakeSlackApi, startFakeSlackApi } from '../../fakes/slack-api.js';

/**
 * Socket Mode, chosen by SLACK_SOCKET_MODE: no HTTP route for Slack, a WebSocket to the fake's
 * apps.connections.open URL, and the same listeners: envelopes are acknowledged over the socket and
 * answers still go to response_url.
 */

const examples = fileURLToPath(new URL('../../../examples/policies/', import.meta.url));
let fake: FakeSlackApi;
let app: App;
let dir: string;

beforeAll(async () => {
  fake = await startFakeSlackApi();
  dir = mkdtempSync(join(tmpdir(), 'privacy-ops-slack-socket-'));
  app = await startApp(
    loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SOCKET_MODE: 'true',
      SLACK_APP_TOKEN: 'xapp-test',
      SLACK_API_URL: fake.url,
      SLACK_PRIVACY_TEAM_USERS: 'ULEAD',
      PORT: '0',
      // The reminder loop is tested on its own; a sweep firing mid-test would post into the fake.
      REMINDERS_ENABLED: 'false',
      POLICY_CORPUS: examples,
      PRIVACY_OPS_STORE: `sqlite://${join(dir, 'register.sqlite')}`,
    }),
    pino({ level: 'silent' }),
  );
});

afterAll(async () => {
  await app?.stop();
  await fake?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('Socket Mode', () => {
  it('mounts no Slack route and connects with the app-level token', async () => {
    expect(app.routes).not.toContain('/slack/events');
    const open = await fake.waitFor(() => fake.callsTo('apps.connections.open')[0]);
    expect(open.token).toBe('xapp-test');
  });

  it('acknowledges a slash command envelope over the socket and answers through response_url', async () => {
    await fake.sendEnvelope({
      envelope_id: 'env-1',
      type: 'slash_commands',
      accepts_response_payload: true,
      payload: {
        token: 'legacy',
        team_id: 'T1',
        channel_id: 'C1',
        user_id: 'ULEAD',
        user_name: 'lead',
        command: '/privacy',
        text: 'deadline gdpr 2026-01-31 DE',
        api_app_id: 'A1',
        response_url: fake.responseUrl('socket-1'),
        trigger_id: 'trigger-socket-1',
      },
    });
    await fake.waitFor(() => fake.socketAcks.get('env-1'));
    const answer = await fake.waitFor(() => fake.responses.find((r) => r.id === 'socket-1'));
    expect(JSON.stringify(answer.body)).toMatch(/2026-03-02/);
  });

  it('stops start-up with a message naming the key when Slack refuses the app token', async () => {
    fake.failures.set('apps.connections.open', 'invalid_auth');
    const start = startApp(
      loadConfig({
        SLACK_BOT_TOKEN: 'xoxb-test',
        SLACK_SOCKET_MODE: 'true',
        SLACK_APP_TOKEN: 'xapp-revoked',
        SLACK_API_URL: fake.url,
        PORT: '0',
        // The reminder loop is tested on its own; a sweep firing mid-test would post into the fake.
        REMINDERS_ENABLED: 'false',
        POLICY_CORPUS: examples,
        PRIVACY_OPS_STORE: `sqlite://${join(dir, 'register-2.sqlite')}`,
      }),
      pino({ level: 'silent' }),
    );
    await expect(start).rejects.toMatchObject({
      code: 'CONFIG',
      message: expect.stringMatching(/SLACK_APP_TOKEN/),
    });
    fake.failures.clear();
  });

  it('stops start-up when Slack rejects the bot token', async () => {
    fake.failures.set('auth.test', 'invalid_auth');
    const start = startApp(
      loadConfig({
        SLACK_BOT_TOKEN: 'xoxb-revoked',
        SLACK_SIGNING_SECRET: 'secret',
        SLACK_API_URL: fake.url,
        PORT: '0',
        // The reminder loop is tested on its own; a sweep firing mid-test would post into the fake.
        REMINDERS_ENABLED: 'false',
        POLICY_CORPUS: examples,
        PRIVACY_OPS_STORE: `sqlite://${join(dir, 'register-3.sqlite')}`,
      }),
      pino({ level: 'silent' }),
    );
    await expect(start).rejects.toMatchObject({
      code: 'CONFIG',
      message: expect.stringMatching(/SLACK_BOT_TOKEN/),
    });
    fake.failures.clear();
  });

  it('stops start-up in one sentence, and keeps the library quiet, when Slack cannot be reached (issue 17)', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    const began = Date.now();
    const start = startApp(
      loadConfig({
        SLACK_BOT_TOKEN: 'xoxb-test',
        SLACK_SOCKET_MODE: 'true',
        SLACK_APP_TOKEN: 'xapp-test',
        // Nothing listens here: no network, as behind a firewall.
        SLACK_API_URL: 'http://127.0.0.1:1/api/',
        PORT: '0',
        REMINDERS_ENABLED: 'false',
        POLICY_CORPUS: examples,
        PRIVACY_OPS_STORE: `sqlite://${join(dir, 'register-4.sqlite')}`,
      }),
      logger,
      { slackConnectTimeoutMs: 1_500 },
    );
    await expect(start).rejects.toMatchObject({
      code: 'CONFIG',
      message: expect.stringMatching(
        /^Slack could not be reached in Socket Mode within 2 s; check that this machine can open HTTPS and WebSocket connections to slack\.com/,
      ),
    });
    expect(Date.now() - began).toBeLessThan(8_000);
    // The library's own retry lines ("http request failed fetch failed") are debug, not warnings.
    expect(lines.filter((l) => /"component":"bolt"/.test(l))).toEqual([]);
  });
});
