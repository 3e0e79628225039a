import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { type App, startApp } from '../../../src/main.js';
import {
  cardOf,
  cardText,
  FakeBotConnector,
  LEAD,
  PRIVACY_CHANNEL,
  postActivity,
  submitActions,
  TeamsActivities,
  type Where,
} from '../../fakes/bot-connector.js';
import { DOVECOT_MISSING, type Dovecot, startDovecot } from '../../helpers/dovecot.js';

/**
 * The privacy mailbox into Microsoft Teams: a mail delivered into a real IMAP server (Dovecot) is
 * posted as a card in the privacy channel (the loopback fake of the Bot Connector records it),
 * and Log it on the card logs it. A draft the bot cannot post yet (it has never heard from Teams,
 * so it has no address to write to) is not lost: it is posted once it can.
 */

if (DOVECOT_MISSING) console.warn(DOVECOT_MISSING);

const privacy: Where = { kind: 'channel', channel: PRIVACY_CHANNEL };
let imap: Dovecot;
let connector: FakeBotConnector;
let teams: TeamsActivities;
let app: App | undefined;
let dir: string;
const logLines: string[] = [];

describe.skipIf(Boolean(DOVECOT_MISSING))('the privacy mailbox in Teams', () => {
  beforeAll(async () => {
    imap = await startDovecot();
    connector = await new FakeBotConnector().start();
    teams = new TeamsActivities(connector.url);
    dir = mkdtempSync(join(tmpdir(), 'privacy-ops-mailteams-'));
  }, 30_000);

  afterAll(async () => {
    await app?.stop();
    await connector?.stop();
    await imap?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('posts the draft as a card once Teams can be reached, and Log it on the card logs the request', async () => {
    const logger = pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) });
    app = await startApp(
      loadConfig({
        TEAMS_DEV_MODE: 'true',
        TEAMS_PRIVACY_CHANNEL_ID: PRIVACY_CHANNEL,
        TEAMS_PRIVACY_TEAM_AAD_IDS: LEAD.aadObjectId,
        PORT: '0',
        REMINDERS_ENABLED: 'false',
        PRIVACY_OPS_STORE: `sqlite://${join(dir, 'register.sqlite')}`,
        DEFAULT_TIMEZONE: 'Europe/Berlin',
        MAILBOX_HOST: imap.host,
        MAILBOX_PORT: String(imap.port),
        MAILBOX_TLS: 'false',
        MAILBOX_USER: imap.user,
        MAILBOX_PASSWORD: imap.password,
        MAILBOX_POLL_SECONDS: '1',
      }),
      logger,
    );
    await imap.deliver(
      'From: Lena Braun <lena.braun@example.de>\nSubject: Auskunft\nMessage-ID: <teams-1@example.de>\n\nI request a copy of my personal data under the GDPR.\n',
    );
    // No conversation with Teams yet: the check fails, says so without the mail, and tries again.
    const failed = () => logLines.filter((l) => l.includes('mailbox check failed'));
    for (let i = 0; i < 100 && failed().length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(failed().length).toBeGreaterThan(0);
    expect(connector.activities).toEqual([]);

    // Someone writes to the bot in the privacy channel: now it can post there.
    const res = await postActivity(app.port, teams.message('help', privacy, LEAD));
    expect(res.status).toBe(200);
    const draft = await (async () => {
      for (let i = 0; i < 200; i++) {
        const found = connector.activities.find(
          (a) => a.conversationId === PRIVACY_CHANNEL && cardText(cardOf(a)).includes('teams-1@example.de'),
        );
        if (found) return found;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('no draft card in the privacy channel');
    })();
    expect(cardText(cardOf(draft))).toContain('Lena Braun');
    const actions = submitActions(cardOf(draft));
    expect(actions.map((a) => a.title)).toEqual(['Log it', 'Edit', 'Not a request']);
    const log = actions[0]!.data;
    connector.clear();
    expect((await postActivity(app.port, teams.submit(log, privacy, LEAD))).status).toBe(200);
    await connector.waitFor(2);
    // The draft card (the one pressed) is replaced by what became of it, without its buttons.
    const updated = connector.activities.find((a) => a.method === 'PUT');
    expect(updated?.replyToId).toBe('card-1');
    expect(cardText(cardOf(updated))).toMatch(/Mail to the privacy mailbox: logged as DSR-\d{4}-0001 by/);
    expect(submitActions(cardOf(updated))).toEqual([]);
    const reply = connector.activities.find((a) => a.method === 'POST');
    expect(cardText(cardOf(reply))).toMatch(/Logged DSR-\d{4}-0001/);
    const [logged] = await app.register.list({ status: ['all'] }, new Date());
    expect(logged).toMatchObject({ type: 'access', regime: 'gdpr', channel: 'email' });
    expect(logLines.join('\n')).not.toMatch(/lena|Braun|teams-1/i);
  }, 60_000);
});
