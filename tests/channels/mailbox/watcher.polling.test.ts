import { ImapFlow } from 'imapflow';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailboxWatcher } from '../../../src/channels/mailbox/watcher.js';
import type { Reply } from '../../../src/core/conversation/reply.js';
import { MailIntakeService } from '../../../src/core/mailbox/service.js';
import type { Register } from '../../../src/core/requests/register.js';
import type { BackendSeenKeys } from '../../../src/store/seen-keys.js';
import { DOVECOT_MISSING, type Dovecot } from '../../helpers/dovecot.js';
import { type MailboxWorld, openMailboxWorld, until } from '../../helpers/mailbox-world.js';

/**
 * A server without IDLE (RFC 2177): a real Dovecot whose capabilities leave IDLE out. New mail is
 * noticed by the check every MAILBOX_POLL_SECONDS, within a few intervals, and drafted once
 * however many checks follow.
 */

if (DOVECOT_MISSING) console.warn(DOVECOT_MISSING);

const POLL_SECONDS = 1;

let imap: Dovecot;
let world: MailboxWorld;
let register: Register;
let seen: BackendSeenKeys;

describe.skipIf(Boolean(DOVECOT_MISSING))('the mailbox watcher on a server without IDLE', () => {
  beforeAll(async () => {
    world = await openMailboxWorld({ idle: false });
    ({ imap, register, seen } = world);
  }, 30_000);

  afterAll(async () => {
    await world?.close();
  });

  it('the server offers no IDLE after login', async () => {
    const client = new ImapFlow({
      host: imap.host,
      port: imap.port,
      secure: false,
      auth: { user: imap.user, pass: imap.password },
      logger: false,
    });
    await client.connect();
    try {
      expect(client.capabilities.has('IMAP4rev1')).toBe(true);
      expect(client.capabilities.has('IDLE')).toBe(false);
    } finally {
      await client.logout();
    }
  });

  it('notices a mail delivered while connected within a few poll intervals, and drafts it once', async () => {
    const posted: { at: number; reply: Reply }[] = [];
    const logLines: string[] = [];
    const service = new MailIntakeService({
      register,
      seen,
      autoLog: false,
      timeZone: 'UTC',
      post: async (reply) => void posted.push({ at: Date.now(), reply }),
    });
    const watcher = new MailboxWatcher({
      settings: {
        host: imap.host,
        port: imap.port,
        tls: false,
        user: imap.user,
        password: imap.password,
        folder: 'INBOX',
        pollSeconds: POLL_SECONDS,
      },
      service,
      seen,
      logger: pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) }),
    });
    await watcher.start();
    try {
      // Connected and past its first check: the folder was empty.
      expect(posted).toHaveLength(0);
      const sent = Date.now();
      await imap.deliver(
        'From: Polly Poll <polly@example.fr>\nSubject: Delete my data\nMessage-ID: <poll-1@example.fr>\n\nPlease erase everything you hold on me.\n',
      );
      await until(() => posted.length > 0, 5 * POLL_SECONDS * 1000);
      expect(posted).toHaveLength(1);
      expect(posted[0]!.at - sent).toBeLessThan(5 * POLL_SECONDS * 1000);
      expect(posted[0]!.reply.text).toContain('poll-1@example.fr');
      // More checks find nothing new: the same mail is not drafted again.
      await new Promise((r) => setTimeout(r, 3 * POLL_SECONDS * 1000));
      expect(posted).toHaveLength(1);
      const handled = logLines.filter((l) => l.includes('mailbox message handled'));
      expect(handled).toHaveLength(1);
      // The log says what happened, never who wrote or what.
      const log = logLines.join('\n');
      expect(log).not.toMatch(/polly|Polly Poll|Delete my data|erase everything/);
    } finally {
      await watcher.stop();
    }
  }, 30_000);
});
