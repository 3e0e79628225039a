import { connect, createServer, type Server, type Socket } from 'node:net';
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
 * The watcher's connection is lost against a real Dovecot: dropped by the server (`doveadm kick`)
 * and the server stopped and started again on the same port, with mail arriving while the watcher
 * is disconnected and while the server is down; and a connection that goes silent (a NAT or
 * firewall forgetting it: no reset, no answer). Every message is drafted exactly once: none lost,
 * none twice.
 */

if (DOVECOT_MISSING) console.warn(DOVECOT_MISSING);

const POLL_SECONDS = 1;

let imap: Dovecot;
let world: MailboxWorld;
let register: Register;
let seen: BackendSeenKeys;

/**
 * A loopback TCP relay to the server whose open connections can be made to go silent: bytes stop
 * flowing either way and nothing is closed, as when a middlebox drops a connection's state. New
 * connections are relayed as before.
 */
async function startRelay(port: number): Promise<{ port: number; silence(): void; close(): Promise<void> }> {
  const pairs: [Socket, Socket][] = [];
  const server: Server = createServer((client) => {
    const upstream = connect(port, '127.0.0.1');
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    pairs.push([client, upstream]);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    silence() {
      for (const [client, upstream] of pairs) {
        client.unpipe(upstream);
        upstream.unpipe(client);
        client.pause();
        upstream.pause();
      }
    },
    async close() {
      for (const [client, upstream] of pairs.splice(0)) {
        client.destroy();
        upstream.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function mail(n: number): string {
  return `From: Rita Reconnect <rita${n}@example.fr>\nSubject: Erase request ${n}\nMessage-ID: <reconnect-${n}@example.fr>\n\nPlease delete my data, number ${n}.\n`;
}

describe.skipIf(Boolean(DOVECOT_MISSING))('the mailbox watcher when its connection is lost', () => {
  beforeAll(async () => {
    world = await openMailboxWorld();
    ({ imap, register, seen } = world);
  }, 30_000);

  afterAll(async () => {
    await world?.close();
  });

  it('reconnects after a kick and after a server restart, and drafts every mail exactly once', async () => {
    const posted: Reply[] = [];
    const logLines: string[] = [];
    const service = new MailIntakeService({
      register,
      seen,
      autoLog: false,
      timeZone: 'UTC',
      post: async (reply) => void posted.push(reply),
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
    const draftedOf = (n: number) => posted.filter((r) => r.text.includes(`reconnect-${n}@`)).length;
    const within = 5 * POLL_SECONDS * 1000;
    await watcher.start();
    try {
      await imap.deliver(mail(1));
      await until(() => draftedOf(1) > 0, within);
      expect(draftedOf(1)).toBe(1);

      // The server drops the connection; a mail arrives before the watcher is back.
      await imap.kick();
      await imap.deliver(mail(2));
      await until(() => draftedOf(2) > 0, within);
      expect(draftedOf(2)).toBe(1);

      // The server goes down; checks meanwhile fail. Mail lands in the Maildir while it is down.
      await imap.halt();
      imap.dropIntoMaildir(mail(3));
      await new Promise((r) => setTimeout(r, 2 * POLL_SECONDS * 1000 + 200));
      expect(logLines.some((l) => l.includes('mailbox check failed'))).toBe(true);
      await imap.start();
      await imap.deliver(mail(4));
      await until(() => draftedOf(3) > 0 && draftedOf(4) > 0, within);

      // A few more checks on the new connection: nothing is drafted twice.
      await new Promise((r) => setTimeout(r, 2 * POLL_SECONDS * 1000));
      expect([1, 2, 3, 4].map(draftedOf)).toEqual([1, 1, 1, 1]);
      expect(posted).toHaveLength(4);
      expect(logLines.filter((l) => l.includes('mailbox message handled'))).toHaveLength(4);
      // Nothing of the mail reaches the log, reconnection errors included.
      expect(logLines.join('\n')).not.toMatch(/rita|Reconnect|Erase request|delete my data/i);
    } finally {
      await watcher.stop();
    }
  }, 60_000);

  it('gives up a connection that went silent and reconnects, within seconds rather than minutes', async () => {
    const relay = await startRelay(imap.port);
    const posted: Reply[] = [];
    const service = new MailIntakeService({
      register,
      seen,
      autoLog: false,
      timeZone: 'UTC',
      post: async (reply) => void posted.push(reply),
    });
    const watcher = new MailboxWatcher({
      settings: {
        host: imap.host,
        port: relay.port,
        tls: false,
        user: imap.user,
        password: imap.password,
        folder: 'INBOX',
        pollSeconds: POLL_SECONDS,
      },
      service,
      seen,
      logger: pino({ level: 'silent' }),
      probeTimeoutMs: 1_000,
    });
    const draftedOf = (n: number) => posted.filter((r) => r.text.includes(`reconnect-${n}@`)).length;
    await watcher.start();
    try {
      await imap.deliver(mail(5));
      await until(() => draftedOf(5) > 0, 5_000);
      relay.silence();
      await imap.deliver(mail(6));
      // A poll second, the probe's second, a reconnect: well under ImapFlow's 5-minute socket timeout.
      await until(() => draftedOf(6) > 0, 8_000);
      await new Promise((r) => setTimeout(r, 2 * POLL_SECONDS * 1000));
      expect([5, 6].map(draftedOf)).toEqual([1, 1]);
    } finally {
      await watcher.stop();
      await relay.close();
    }
  }, 30_000);
});
