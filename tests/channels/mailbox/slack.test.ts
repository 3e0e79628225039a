import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { mailKey } from '../../../src/core/mailbox/message.js';
import { todayIn } from '../../../src/core/requests/input.js';
import { type App, startApp } from '../../../src/main.js';
import {
  commandBody,
  type FakeSlackApi,
  interactionBody,
  postToSlackEndpoint,
  type RecordedCall,
  startFakeSlackApi,
} from '../../fakes/slack-api.js';
import { DOVECOT_MISSING, type Dovecot, startDovecot } from '../../helpers/dovecot.js';

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
const examples = fileURLToPath(new URL('../../../examples/policies/', import.meta.url));

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

/** The private reply to a press (ephemeral, to the presser). */
async function pressAndRead(actionId: string, value: string): Promise<string> {
  return (await pressAndSee(actionId, value)).reply;
}

/** The private reply to a press, and what the draft in the channel was replaced with, if anything. */
async function pressAndSee(actionId: string, value: string): Promise<{ reply: string; draftNow?: string }> {
  const { id, post } = press(actionId, value);
  expect((await post).status).toBe(200);
  const reply = await fake.waitFor(() =>
    fake.responses.find((r) => r.id === id && r.body.response_type === 'ephemeral'),
  );
  const replaced = fake.responses.find((r) => r.id === id && r.body.replace_original === true);
  return {
    reply: JSON.stringify(reply.body),
    ...(replaced ? { draftNow: JSON.stringify(replaced.body) } : {}),
  };
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

    const { reply: said, draftNow } = await pressAndSee('core:mail.log', buttons[0]!.value);
    expect(said).toMatch(/Logged DSR-\d{4}-0001/);
    // Everyone in the channel sees the draft replaced by what became of it, without buttons.
    expect(draftNow).toMatch(/Mail to the privacy mailbox: logged as DSR-\d{4}-0001 by/);
    expect(draftNow).not.toContain('core:mail.');
    expect(draftNow).not.toContain('Ana');
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

  it('Edit: a draft that lacks the law is completed in a private chat and logged under the same mail; Not a request logs nothing', async () => {
    if (!app) await startServer();
    await imap.deliver(
      message(
        {
          From: 'Sam Lee <sam.lee@example.com>',
          Subject: 'my data',
          'Message-ID': '<edit-7731@example.com>',
        },
        'Could you send me a copy of all the data you hold about me?',
      ),
    );
    const [draft] = await fake.waitFor(
      () => draftsMentioning('edit-7731').length > 0 && draftsMentioning('edit-7731'),
      15_000,
    );
    expect(JSON.stringify(draft!.args)).toContain('Not complete yet');
    const id = buttonsOf(draft!)[0]!.value;
    expect(await pressAndRead('core:mail.log', id)).toMatch(/Not complete yet: Which law applies/);
    expect(await pressAndRead('core:mail.edit', id)).toMatch(/A new request so far/);
    expect(await slash('under the CCPA')).toMatch(/Log an access request from Sam Lee/);
    const said = await slash('yes');
    const number = /Logged (DSR-\d{4}-\d{4})/.exec(said)?.[1];
    expect(number).toBeDefined();
    const request = await app!.register.get(number!);
    expect(request).toMatchObject({ type: 'access', regime: 'ccpa', channel: 'email' });
    expect(request.intakeKey).toBe(
      mailKey({
        messageId: '<edit-7731@example.com>',
        location: { account: '', folder: '', uidValidity: '', uid: 0 },
      }),
    );
    expect(JSON.stringify((await app!.register.show(number!)).trail)).toContain('edit-7731@example.com');
    // The draft's own buttons now say it was logged, and log nothing more.
    expect(await pressAndRead('core:mail.log', id)).toContain(`logged already, as ${number}`);

    await imap.deliver(
      message(
        { From: 'news@shop.example', Subject: 'Our winter sale', 'Message-ID': '<sale-5150@shop.example>' },
        'Everything must go: 30% off this week only.',
      ),
    );
    const [sale] = await fake.waitFor(
      () => draftsMentioning('sale-5150').length > 0 && draftsMentioning('sale-5150'),
      15_000,
    );
    const before = (await app!.register.list({ status: ['all'] }, new Date())).length;
    expect(await pressAndRead('core:mail.dismiss', buttonsOf(sale!)[0]!.value)).toMatch(
      /marked not a request/,
    );
    expect(await pressAndRead('core:mail.log', buttonsOf(sale!)[0]!.value)).toMatch(/marked not a request/);
    expect(await app!.register.list({ status: ['all'] }, new Date())).toHaveLength(before);
  }, 60_000);

  it('malformed mail gets a draft with a warning or a logged skip with a reason, never a crash, never a lost message', async () => {
    if (!app) await startServer();
    const handled = () => logLines.filter((l) => /mailbox message (handled|skipped)/.test(l)).length;
    const start = handled();
    const big = Buffer.alloc(3 * 1_048_576, 7)
      .toString('base64')
      .replace(/.{76}/g, '$&\r\n');
    const mails: string[] = [
      // No From at all.
      message(
        { Subject: 'erase me', 'Message-ID': '<nofrom-1@x.example>' },
        'Please erase my data, I live in Ireland.',
      ),
      // A 3 MB attachment: only the start is read.
      message(
        {
          From: 'big@example.de',
          Subject: 'Auskunft',
          'Message-ID': '<huge-2@example.de>',
          'MIME-Version': '1.0',
          'Content-Type': 'multipart/mixed; boundary="b1"',
        },
        `--b1\r\nContent-Type: text/plain\r\n\r\nI request access to my data under GDPR. My ID scan is attached.\r\n--b1\r\nContent-Type: application/pdf; name="id.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\n${big}\r\n--b1--`,
      ),
      // HTML only.
      message(
        {
          From: 'html@example.fr',
          'Message-ID': '<html-3@example.fr>',
          'Content-Type': 'text/html; charset=utf-8',
        },
        '<html><body><p>Please <b>delete</b> my account and data.</p><p>I live in France.</p></body></html>',
      ),
      // ISO-8859-1, quoted-printable, and an encoded-word name.
      message(
        {
          From: '=?ISO-8859-1?Q?Jos=E9_M=FCller?= <jose@example.es>',
          'Message-ID': '<latin-4@example.es>',
          'Content-Type': 'text/plain; charset=ISO-8859-1',
          'Content-Transfer-Encoding': 'quoted-printable',
        },
        'Quiero que borren mis datos. Please delete my data, I live in Espa=F1a (Spain).',
      ),
      // A charset nobody knows.
      message(
        {
          From: 'odd@example.org',
          'Message-ID': '<charset-5@example.org>',
          'Content-Type': 'text/plain; charset=x-unknown-42',
          'Content-Transfer-Encoding': 'quoted-printable',
        },
        'Delete my data =FF=FE please.',
      ),
      // A bounce (RFC 3464 delivery status notification).
      message(
        {
          From: 'MAILER-DAEMON@mx.example.org',
          Subject: 'Undelivered Mail Returned to Sender',
          'Message-ID': '<bounce-6@mx.example.org>',
          'Content-Type': 'multipart/report; report-type=delivery-status; boundary="r"',
        },
        '--r\r\nContent-Type: text/plain\r\n\r\nThe mail to someone@example.net could not be delivered.\r\n--r\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.org\r\n\r\nFinal-Recipient: rfc822; someone@example.net\r\nAction: failed\r\nStatus: 5.1.1\r\n--r--',
      ),
      // An out-of-office reply (RFC 3834).
      message(
        {
          From: 'away@example.com',
          Subject: 'Out of office',
          'Message-ID': '<ooo-7@example.com>',
          'Auto-Submitted': 'auto-replied',
        },
        'I am away until Monday. Please delete nothing.',
      ),
      // Marked as spam by the server.
      message(
        {
          From: 'winner@lottery.example',
          Subject: 'You won',
          'Message-ID': '<spam-8@lottery.example>',
          'X-Spam-Flag': 'YES',
        },
        'Delete your data? No: claim your prize now!',
      ),
    ];
    for (const raw of mails) await imap.deliver(raw);
    await fake.waitFor(() => handled() - start >= mails.length, 30_000);
    const draftOf = (token: string) => JSON.stringify(draftsMentioning(token).map((c) => c.args.text));
    expect(draftOf('nofrom-1')).toContain('No sender address (From)');
    expect(draftOf('huge-2')).toContain('only its start was read');
    expect(draftOf('huge-2')).toContain('Type: access');
    expect(draftOf('html-3')).toContain('Type: erasure');
    expect(draftOf('html-3')).toContain('Country: France');
    expect(draftOf('latin-4')).toContain('José Müller');
    expect(draftOf('latin-4')).toContain('España');
    expect(draftOf('charset-5')).toContain('could not be decoded');
    expect(draftOf('spam-8')).toContain('marked this message as spam');
    expect(draftsMentioning('bounce-6')).toEqual([]);
    expect(draftsMentioning('ooo-7')).toEqual([]);
    const skips = logLines
      .filter((l) => l.includes('mailbox message skipped'))
      .map((l) => JSON.parse(l).reason);
    expect(skips).toEqual(expect.arrayContaining(['bounce', 'auto-reply']));
    expect(logLines.join('\n')).not.toMatch(/jose@example\.es|José|Müller|lottery|MAILER-DAEMON/);
  }, 90_000);

  it('auto-logging logs a clear case at once and leaves an unclear one for a person', async () => {
    await app?.stop();
    app = undefined;
    fake.reset();
    const { at, berlinDay } = lateEvening();
    await imap.deliver(
      message(
        {
          From: 'Lena Braun <lena.braun@example.de>',
          Subject: 'Auskunft',
          'Message-ID': '<clear-9@example.de>',
        },
        'I request access to my personal data under the GDPR. I live in Germany.',
      ),
      at,
      'Requests',
    );
    await imap.deliver(
      message(
        { From: 'x@lottery.example', 'Message-ID': '<unclear-10@lottery.example>', 'X-Spam-Flag': 'YES' },
        'Delete my data under GDPR, I live in Germany.',
      ),
      at,
      'Requests',
    );
    // Started after the mail arrived: the first check reads the folder's recent mail.
    await startServer({
      MAILBOX_AUTO_LOG: 'true',
      MAILBOX_FOLDER: 'Requests',
      PRIVACY_OPS_STORE: `sqlite://${join(dir, 'auto.sqlite')}`,
    });
    const [notice] = await fake.waitFor(() => {
      const found = fake
        .callsTo('chat.postMessage')
        .filter((c) => String(c.args.text).includes('from the privacy mailbox'));
      return found.length > 0 && found;
    }, 15_000);
    expect(String(notice!.args.text)).toMatch(/Logged DSR-\d{4}-0001 from the privacy mailbox/);
    expect(JSON.stringify(notice!.args)).toContain('an access request under EU GDPR');
    // The notice carries no personal data.
    expect(JSON.stringify(notice!.args)).not.toContain('Lena');
    const [logged] = await app!.register.list({ status: ['all'] }, new Date());
    expect(logged).toMatchObject({ type: 'access', regime: 'gdpr', received: berlinDay });
    await fake.waitFor(() => draftsMentioning('unclear-10').length > 0, 15_000);
    expect(await app!.register.list({ status: ['all'] }, new Date())).toHaveLength(1);
  }, 60_000);

  it('a mail filed into the folder later with an old receipt date (a move keeps it) is still drafted, with that date', async () => {
    await app?.stop();
    app = undefined;
    fake.reset();
    await imap.createFolder('Filed');
    await startServer({
      MAILBOX_FOLDER: 'Filed',
      PRIVACY_OPS_STORE: `sqlite://${join(dir, 'filed.sqlite')}`,
    });
    // Received 20 days ago, filed into the watched folder only now.
    const at = new Date(Date.now() - 20 * 86_400_000);
    await imap.deliver(
      message(
        { From: 'old@example.ie', Subject: 'delete', 'Message-ID': '<filed-11@example.ie>' },
        'Please delete my data. I live in Ireland.',
      ),
      at,
      'Filed',
    );
    const [draft] = await fake.waitFor(
      () => draftsMentioning('filed-11').length > 0 && draftsMentioning('filed-11'),
      15_000,
    );
    expect(JSON.stringify(draft!.args)).toContain(`Received: ${todayIn(at, TZ)}`);
  }, 60_000);

  it.each([
    [
      'a wrong password',
      { MAILBOX_PASSWORD: 'wrong' },
      /refused the login of MAILBOX_USER: check MAILBOX_PASSWORD/,
    ],
    [
      'a folder the mailbox does not have',
      { MAILBOX_FOLDER: 'No-Such-Folder' },
      /MAILBOX_FOLDER names a folder/,
    ],
    [
      'a port nothing listens on',
      { MAILBOX_PORT: '1' },
      /Could not reach the mail server .*MAILBOX_HOST, MAILBOX_PORT/,
    ],
  ])(
    '%s stops start-up with a sentence naming the key',
    async (_, env, said) => {
      await app?.stop();
      app = undefined;
      const logger = pino({ level: 'silent' });
      await expect(startApp(configFor(env), logger)).rejects.toMatchObject({
        code: 'CONFIG',
        message: expect.stringMatching(said),
      });
    },
    30_000,
  );
});
