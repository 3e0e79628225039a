import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailboxWatcher } from '../../../src/channels/mailbox/watcher.js';
import type { Reply } from '../../../src/core/conversation/reply.js';
import { MailIntakeService } from '../../../src/core/mailbox/service.js';
import type { Register } from '../../../src/core/requests/register.js';
import type { BackendSeenKeys } from '../../../src/store/seen-keys.js';
import { DOVECOT_MISSING, type Dovecot } from '../../helpers/dovecot.js';
import { type MailboxWorld, openMailboxWorld } from '../../helpers/mailbox-world.js';

/**
 * New mail is noticed at once over IMAP IDLE (RFC 2177), not at the next poll: the watcher polls
 * once an hour here, and a mail delivered once the connection idles is still drafted in seconds.
 */

if (DOVECOT_MISSING) console.warn(DOVECOT_MISSING);

/** ImapFlow starts IDLE after 15 s without a command (its autoIdleDelay default). */
const IDLE_STARTS_MS = 15_000;

let imap: Dovecot;
let world: MailboxWorld;
let register: Register;
let seen: BackendSeenKeys;

describe.skipIf(Boolean(DOVECOT_MISSING))('the mailbox watcher over IDLE', () => {
  beforeAll(async () => {
    world = await openMailboxWorld();
    ({ imap, register, seen } = world);
  }, 30_000);

  afterAll(async () => {
    await world?.close();
  });

  it('drafts a mail within seconds while polling only hourly', async () => {
    const posted: { at: number; reply: Reply }[] = [];
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
        pollSeconds: 3600,
      },
      service,
      seen,
      logger: pino({ level: 'silent' }),
    });
    await watcher.start();
    try {
      await new Promise((r) => setTimeout(r, IDLE_STARTS_MS + 1_000));
      const sent = Date.now();
      await imap.deliver('From: idle@example.fr\nMessage-ID: <idle-1@example.fr>\n\nDelete my data.\n');
      for (let i = 0; i < 100 && posted.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
      expect(posted).toHaveLength(1);
      expect(posted[0]!.at - sent).toBeLessThan(5_000);
      expect(posted[0]!.reply.text).toContain('idle-1@example.fr');
    } finally {
      await watcher.stop();
    }
  }, 60_000);
});
