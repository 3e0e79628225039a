import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../../src/core/conversation/reply.js';
import { isClearCase, type MailMessage, mailKey, readMail } from '../../../src/core/mailbox/message.js';
import { MailIntakeService } from '../../../src/core/mailbox/service.js';
import { Register } from '../../../src/core/requests/register.js';
import { openRegisterStore } from '../../../src/store/register-store.js';
import { type BackendSeenKeys, openSeenKeys } from '../../../src/store/seen-keys.js';

/**
 * How one message of the privacy mailbox is read (pure), and how the service claims it once on
 * every replica sharing the store (two services over one SQLite file), whatever fails on the way.
 */

const RECEIVED = new Date('2026-11-30T23:30:00Z');

function mail(overrides: Partial<MailMessage> = {}): MailMessage {
  return {
    messageId: '<m1@example.es>',
    location: {
      account: 'privacy@example.org on imap.example.org',
      folder: 'INBOX',
      uidValidity: '7',
      uid: 1,
    },
    from: { name: 'Ana Silva', address: 'Ana.Silva@Example.ES' },
    subject: 'Please delete my data',
    text: 'Hello, delete all my personal data please. I live in Spain.',
    htmlOnly: false,
    receivedAt: RECEIVED,
    size: 400,
    truncated: false,
    attachments: 0,
    headers: {},
    ...overrides,
  };
}

describe('reading a message', () => {
  it('takes the sender from From, the day from the server receipt in the team zone, the rest from the text', () => {
    const read = readMail(mail({ text: 'Delete my data. I visited you on 3 March.' }), 'Europe/Berlin');
    expect(read).toMatchObject({
      kind: 'draft',
      fields: {
        type: 'erasure',
        received: '2026-12-01',
        name: 'Ana Silva',
        // The domain in lower case (RFC 5321 2.4), the local part as written.
        email: 'Ana.Silva@example.es',
        channel: 'email',
      },
      warnings: [],
    });
    // The same instant is still 30 November in New York.
    expect(readMail(mail(), 'America/New_York')).toMatchObject({ fields: { received: '2026-11-30' } });
  });

  it('keeps the reference and the text in the note, within the register note size', () => {
    const read = readMail(mail({ text: 'x'.repeat(5_000) }), 'UTC');
    if (read.kind !== 'draft') throw new Error('not a draft');
    expect(read.note.startsWith('By email: Message-ID <m1@example.es> in INBOX, UID 1')).toBe(true);
    expect(read.note.length).toBe(2_000);
  });

  it.each([
    [
      'a DSN',
      { headers: { contentType: 'multipart/report; report-type=delivery-status; boundary=x' } },
      'bounce',
    ],
    ['a bounce from MAILER-DAEMON', { from: { address: 'MAILER-DAEMON@mx.example.org' } }, 'bounce'],
    ['X-Failed-Recipients', { headers: { xFailedRecipients: 'a@b.example' } }, 'bounce'],
    ['an out-of-office reply', { headers: { autoSubmitted: 'auto-replied (vacation)' } }, 'auto-reply'],
    ['X-Autoreply', { headers: { xAutoreply: 'yes' } }, 'auto-reply'],
    ['Precedence: auto_reply', { headers: { precedence: 'auto_reply' } }, 'auto-reply'],
  ] as [string, Partial<MailMessage>, string][])('skips %s', (_, overrides, reason) => {
    expect(readMail(mail(overrides), 'UTC')).toEqual({ kind: 'skip', reason });
  });

  it.each([
    ['no From', { from: undefined }, /No sender address/],
    ['spam', { headers: { xSpamFlag: 'YES' } }, /marked this message as spam/],
    ['spam by status', { headers: { xSpamStatus: 'Yes, score=9.1' } }, /marked this message as spam/],
    ['a form mailer', { headers: { autoSubmitted: 'auto-generated' } }, /Sent by a machine/],
    ['a truncated message', { truncated: true, size: 40 * 1_048_576 }, /40\.0 MB: only its start was read/],
    ['an undecoded charset', { undecodedCharset: 'x-unknown' }, /could not be decoded \(x-unknown\)/],
    ['an unreadable message', { unparsable: true, text: '' }, /could not be read \(broken MIME\)/],
  ] as [string, Partial<MailMessage>, RegExp][])(
    'drafts %s with a warning, never as a clear case',
    (_, overrides, warning) => {
      const read = readMail(mail(overrides), 'UTC');
      if (read.kind !== 'draft') throw new Error('not a draft');
      expect(read.warnings.join(' ')).toMatch(warning);
      expect(isClearCase(read)).toBe(false);
    },
  );

  it('a complete, plain request is a clear case; one without a law is not', () => {
    expect(
      isClearCase(readMail(mail(), 'UTC') as Extract<ReturnType<typeof readMail>, { kind: 'draft' }>),
    ).toBe(true);
    const vague = readMail(
      mail({ text: 'Please delete my data.', subject: '', from: { address: 'a@example.com' } }),
      'UTC',
    );
    expect(isClearCase(vague as Extract<typeof vague, { kind: 'draft' }>)).toBe(false);
  });

  it('keys a message by its Message-ID (any folder), else by its place, as a digest without the address', () => {
    const here = mailKey(mail());
    expect(mailKey(mail({ location: { account: 'a', folder: 'Archive', uidValidity: '9', uid: 44 } }))).toBe(
      here,
    );
    expect(here).toMatch(/^mail:[0-9a-f]{40}$/);
    const noId = mail({ messageId: undefined });
    expect(mailKey(noId)).not.toBe(mailKey({ ...noId, location: { ...noId.location, uid: 2 } }));
  });
});

describe('the mailbox service on replicas sharing a store', () => {
  let dir: string;
  let register: Register;
  const opened: { close(): Promise<void> }[] = [];
  const seen: BackendSeenKeys[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'privacy-ops-mailread-'));
    const store = await openRegisterStore(`sqlite://${join(dir, 'r.sqlite')}`);
    opened.push(store);
    register = await Register.open(store, { defaultCountry: 'DE', timeZone: 'UTC', retentionMonths: 24 });
    for (let i = 0; i < 2; i++) seen.push(await openSeenKeys(`sqlite://${join(dir, 'r.sqlite')}`));
  });

  afterAll(async () => {
    for (const s of seen) await s.close();
    await register.close();
    for (const o of opened) await o.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('drafts a message once when two replicas read it at the same moment', async () => {
    const posted: Reply[] = [];
    const services = seen.map(
      (s) =>
        new MailIntakeService({
          register,
          seen: s,
          autoLog: false,
          timeZone: 'UTC',
          post: async (r) => void posted.push(r),
        }),
    );
    const message = mail({ messageId: '<both@example.es>' });
    const outcomes = await Promise.all(services.map((s) => s.receive(message, RECEIVED)));
    expect(outcomes.map((o) => o.kind).sort()).toEqual(['drafted', 'in-progress']);
    expect(posted).toHaveLength(1);
    expect(await services[1]!.receive(message, RECEIVED)).toEqual({ kind: 'duplicate' });
  });

  it('a draft the channel did not take is not lost: the next check posts it', async () => {
    let up = false;
    const posted: Reply[] = [];
    const service = new MailIntakeService({
      register,
      seen: seen[0]!,
      autoLog: false,
      timeZone: 'UTC',
      post: async (r) => {
        if (!up) throw new Error('channel down');
        posted.push(r);
      },
    });
    const message = mail({ messageId: '<retry@example.es>' });
    await expect(service.receive(message, RECEIVED)).rejects.toThrow('channel down');
    up = true;
    expect(await service.receive(message, RECEIVED)).toMatchObject({ kind: 'drafted' });
    expect(posted).toHaveLength(1);
  });

  it('two presses of Log it on two replicas log one request', async () => {
    const services = seen.map(
      (s) => new MailIntakeService({ register, seen: s, autoLog: false, timeZone: 'UTC' }),
    );
    const outcome = await services[0]!.receive(mail({ messageId: '<press@example.es>' }), RECEIVED);
    if (outcome.kind !== 'drafted') throw new Error(outcome.kind);
    const ctx = { actor: 'alice', now: new Date('2026-12-02T10:00:00Z') };
    const results = await Promise.all(services.map((s) => s.log(outcome.draftId, ctx)));
    const ids = results.map((r) =>
      r.status === 'logged' ? r.request.id : r.status === 'already-logged' ? r.requestId : r.status,
    );
    expect(new Set(ids).size).toBe(1);
    expect(
      (await register.list({ status: ['all'] }, ctx.now)).filter(
        (r) => r.intakeKey === mailKey(mail({ messageId: '<press@example.es>' })),
      ),
    ).toHaveLength(1);
  });
});
