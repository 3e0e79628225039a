import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { mailKey } from '../src/core/mailbox/message.js';
import { todayIn } from '../src/core/requests/input.js';
import { type App, startApp } from '../src/main.js';
import {
  commandBody,
  type FakeSlackApi,
  interactionBody,
  postToSlackEndpoint,
  type RecordedCall,
  startFakeSlackApi,
} from './fakes/slack-api.js';
import { DOVECOT_MISSING, type Dovecot, startDovecot } from './helpers/dovecot.js';

/**
 * The privacy mailbox end to end: a real IMAP server (a throwaway Dovecot) with real RFC 822
 * messages delivered into it, the real server (startApp) watching it, the loopback fake of the
 * Slack Web API as the privacy channel, and signed button presses as Slack sends them.
 */

if (DOVECOT_MISSING) console.warn(DOVECOT_MISSING);

const SECRET = 'test-signing-secret-0123456789';
const LEAD = 'ULEAD';
const PRIVACY = 'CPRIVACY';
const TZ = 'Europe/Berlin';
const examples = fileURLToPath(new URL('../examples/policies/', import.meta.url));

let imap: Dovecot;
let fake: FakeSlackApi;
let app: App | undefined;
let dir: string;
const logLines: string[] = [];
let seq = 0;

function configFor(extra: Record<string, string> = {}) {
  return loadConfig({
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: fake.url,
    SLACK_PRIVACY_CHANNEL: PRIVACY,
    SLACK_PRIVACY_TEAM_USERS: LEAD,
    PORT: '0',
    REMINDERS_ENABLED: 'false',
    POLICY_CORPUS: examples,
    PRIVACY_OPS_STORE: `sqlite://${join(dir, 'register.sqlite')}`,
    DEFAULT_TIMEZONE: TZ,
    LOG_LEVEL: 'info',
    MAILBOX_HOST: imap.host,
    MAILBOX_PORT: String(imap.port),
    MAILBOX_TLS: 'false',
    MAILBOX_USER: imap.user,
    MAILBOX_PASSWORD: imap.password,
    MAILBOX_POLL_SECONDS: '1',
    ...extra,
  });
}

async function startServer(extra: Record<string, string> = {}): Promise<App> {
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) });
  app = await startApp(configFor(extra), logger);
  return app;
}

/** Two days ago at 23:30 UTC: already the next day in Berlin, so the receipt day is read in the team's zone. */
function lateEvening(): { at: Date; berlinDay: string } {
  const at = new Date(Date.now() - 2 * 86_400_000);
  at.setUTCHours(23, 30, 0, 0);
  return { at, berlinDay: todayIn(at, TZ) };
}

function message(headers: Record<string, string>, body: string): string {
  const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}`);
  return `${lines.join('\r\n')}\r\n\r\n${body}\r\n`;
}

/** The drafts posted to the privacy channel whose text names `marker`. */
function draftsMentioning(marker: string): RecordedCall[] {
  return fake
    .callsTo('chat.postMessage')
    .filter((c) => c.args.channel === PRIVACY && JSON.stringify(c.args).includes(marker));
}

function buttonsOf(call: RecordedCall): { action_id: string; value: string }[] {
  const blocks = call.args.blocks as { type: string; elements?: { action_id: string; value: string }[] }[];
  return blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements ?? []);
}

function press(actionId: string, value: string, user = LEAD) {
  const id = `btn${++seq}`;
  const body = interactionBody({
    type: 'block_actions',
    token: 'legacy',
    api_app_id: 'A1',
    team: { id: 'T1' },
    user: { id: user, username: user.toLowerCase(), team_id: 'T1' },
    container: { type: 'message', message_ts: '1.1', channel_id: PRIVACY, is_ephemeral: false },
    trigger_id: `trig${seq}`,
    channel: { id: PRIVACY, name: 'privacy' },
    response_url: fake.responseUrl(id),
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
  return {
    id,
    post: postToSlackEndpoint(`http://127.0.0.1:${app!.port}/slack/events`, body, { secret: SECRET }),
  };
}

async function pressAndRead(actionId: string, value: string): Promise<string> {
  const { id, post } = press(actionId, value);
  expect((await post).status).toBe(200);
  const response = await fake.waitFor(() => fake.responses.find((r) => r.id === id));
  return JSON.stringify(response.body);
}

async function slash(text: string): Promise<string> {
  const id = `cmd${++seq}`;
  const res = await postToSlackEndpoint(
    `http://127.0.0.1:${app!.port}/slack/events`,
    commandBody({ text, user: LEAD, responseUrl: fake.responseUrl(id) }),
    { secret: SECRET },
  );
  expect(res.status).toBe(200);
  return JSON.stringify((await fake.waitFor(() => fake.responses.find((r) => r.id === id), 10_000)).body);
}

describe.skipIf(Boolean(DOVECOT_MISSING))('the privacy mailbox over IMAP (Dovecot)', () => {
  beforeAll(async () => {
    imap = await startDovecot();
    fake = await startFakeSlackApi();
    dir = mkdtempSync(join(tmpdir(), 'privacy-ops-mailbox-'));
  }, 30_000);

  afterAll(async () => {
    await app?.stop();
    await fake?.close();
    await imap?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(() => fake.reset());

  it('drafts a delivered mail in the privacy channel; a person logs it with the receipt day and the Message-ID; a restart drafts it not again', async () => {
    await startServer();
    const { at, berlinDay } = lateEvening();
    const messageId = '<dsar-2201@mail.example.es>';
    await imap.deliver(
      message(
        {
          From: '"Ana Silva" <ana.silva@example.es>',
          To: 'privacy@example.org',
          Subject: 'Please delete my data',
          'Message-ID': messageId,
          Date: at.toUTCString(),
          'MIME-Version': '1.0',
          'Content-Type': 'text/plain; charset=utf-8',
        },
        'Hello, I want you to delete all my personal data. I live in Spain.\nThanks, Ana',
      ),
      at,
    );
    const [draft] = await fake.waitFor(
      () => draftsMentioning('dsar-2201').length > 0 && draftsMentioning('dsar-2201'),
      15_000,
    );
    const text = JSON.stringify(draft!.args);
    expect(text).toContain('Ana Silva');
    expect(text).toContain('ana.silva@example.es');
    expect(text).toContain(`Received: ${berlinDay}`);
    expect(text).toMatch(/Type: erasure/);
    expect(text).toMatch(/Law: EU GDPR/);
    // Slack's mrkdwn escapes the angle brackets.
    expect(text).toContain('Message-ID &lt;dsar-2201@mail.example.es&gt;');
    const buttons = buttonsOf(draft!);
    expect(buttons.map((b) => b.action_id)).toEqual(['core:mail.log', 'core:mail.edit', 'core:mail.dismiss']);
    // Nothing is logged before a person says so.
    expect(await app!.register.list({ status: ['all'] }, new Date())).toEqual([]);

    const said = await pressAndRead('core:mail.log', buttons[0]!.value);
    expect(said).toMatch(/Logged DSR-\d{4}-0001/);
    const [logged] = await app!.register.list({ status: ['all'] }, new Date());
    expect(logged).toMatchObject({
      type: 'erasure',
      regime: 'gdpr',
      country: 'ES',
      received: berlinDay,
      channel: 'email',
    });
    expect(logged!.intakeKey).toBe(
      mailKey({ messageId, location: { account: '', folder: '', uidValidity: '', uid: 0 } }),
    );
    const detail = await app!.register.show(logged!.id);
    expect(detail.requester).toMatchObject({ name: 'Ana Silva', email: 'ana.silva@example.es' });
    expect(JSON.stringify(detail.trail)).toContain(messageId);
    // A second press (another person, another replica) logs nothing more.
    expect(await pressAndRead('core:mail.log', buttons[0]!.value)).toMatch(
      /logged already, as DSR-\d{4}-0001/,
    );

    // Restart: the message is still in the folder, and is not drafted again; a new one is.
    await app!.stop();
    app = undefined;
    fake.reset();
    await startServer();
    await imap.deliver(
      message(
        { From: 'sam@example.com', Subject: 'copy of my data', 'Message-ID': '<after-restart@example.com>' },
        'Send me a copy of my data please, under the CCPA.',
      ),
    );
    await fake.waitFor(() => draftsMentioning('after-restart').length > 0, 15_000);
    expect(draftsMentioning('dsar-2201')).toEqual([]);
    expect(await app!.register.list({ status: ['all'] }, new Date())).toHaveLength(1);
    // Bodies and addresses never reach the log.
    const log = logLines.join('\n');
    for (const secret of [
      'ana.silva@example.es',
      'Ana Silva',
      'delete all my personal data',
      'sam@example.com',
      'dsar-2201',
    ])
      expect(log).not.toContain(secret);
    expect(log).toContain('mailbox message handled');
  }, 60_000);
});
