import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import type { Reply } from '../../../src/core/conversation/reply.js';
import { OpenAiLlmClient } from '../../../src/core/llm/openai-client.js';
import { MAIL_READ_TASK } from '../../../src/core/llm/read-request.js';
import { type MailMessage, readMail } from '../../../src/core/mailbox/message.js';
import { type MailIntakeOptions, MailIntakeService } from '../../../src/core/mailbox/service.js';
import { Register } from '../../../src/core/requests/register.js';
import { createLlmClient, mailLlmFrom } from '../../../src/main.js';
import { openRegisterStore } from '../../../src/store/register-store.js';
import { type BackendSeenKeys, openSeenKeys } from '../../../src/store/seen-keys.js';
import { apiError, completion, dataOf, FakeOpenAiApi } from '../../fakes/openai-api.js';

/**
 * The privacy mailbox with a model reading what the rules could not (LLM_READ_MAIL): through the
 * mailbox service, against the loopback fake of an OpenAI-compatible API. The model fills only
 * what the parsers left empty, each such field marked on the draft; it never makes a case clear
 * for auto-logging; any failure, a slow reply or a wrong shape leaves the offline draft; with the
 * setting off nothing is sent; and what is sent has none of the sender's addresses.
 */

const RECEIVED = new Date('2026-11-30T09:30:00Z');
const SENDER = 'jan.kowalski@example.com';
/** No type word the chat's parser knows ("delete", "erase", "wipe"...), and no place. */
const UNREADABLE = 'Hello,\nI want every trace of me gone from your systems.\nThanks';

let fake: FakeOpenAiApi;
let dir: string;
let register: Register;
let seen: BackendSeenKeys;
/** Where the offline twin of a draft is kept, so the same message is drafted once in each. */
let offlineSeen: BackendSeenKeys;
const opened: { close(): Promise<void> }[] = [];
let seq = 0;

beforeAll(async () => {
  fake = await FakeOpenAiApi.start();
  dir = mkdtempSync(join(tmpdir(), 'privacy-ops-mail-llm-'));
  const store = await openRegisterStore(`sqlite://${join(dir, 'r.sqlite')}`);
  opened.push(store);
  register = await Register.open(store, { defaultCountry: 'DE', timeZone: 'UTC', retentionMonths: 24 });
  seen = await openSeenKeys(`sqlite://${join(dir, 'r.sqlite')}`);
  offlineSeen = await openSeenKeys(`sqlite://${join(dir, 'offline.sqlite')}`);
});

afterAll(async () => {
  await fake.stop();
  await seen.close();
  await offlineSeen.close();
  await register.close();
  for (const o of opened) await o.close();
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => fake.reset());

function mail(overrides: Partial<MailMessage> = {}): MailMessage {
  seq++;
  return {
    messageId: `<llm-${seq}@example.com>`,
    location: {
      account: 'privacy@example.org on imap.example.org',
      folder: 'INBOX',
      uidValidity: '7',
      uid: seq,
    },
    from: { address: SENDER },
    subject: 'My data',
    text: UNREADABLE,
    htmlOnly: false,
    receivedAt: RECEIVED,
    size: 400,
    truncated: false,
    attachments: 0,
    headers: {},
    ...overrides,
  };
}

/** The model's answer in the mail-reading shape. */
function reading(values: Partial<Record<string, unknown>> = {}) {
  return completion({
    isRightsRequest: true,
    type: null,
    country: null,
    state: null,
    requesterName: null,
    ...values,
  });
}

const client = (timeoutMs = 2_000) =>
  new OpenAiLlmClient({ model: 'fake-model', baseURL: fake.url, timeoutMs, maxRetries: 0 });

function service(options: { llm?: MailIntakeOptions['llm'] | null; autoLog?: boolean } = {}): {
  service: MailIntakeService;
  posted: Reply[];
} {
  const posted: Reply[] = [];
  const llm = options.llm === undefined ? { client: client() } : options.llm;
  return {
    posted,
    service: new MailIntakeService({
      register,
      seen,
      autoLog: options.autoLog ?? false,
      timeZone: 'UTC',
      post: async (r) => void posted.push(r),
      ...(llm ? { llm } : {}),
    }),
  };
}

/** The draft a service posts for `message`, and its stored fields. */
async function draftOf(s: ReturnType<typeof service>, message: MailMessage) {
  const outcome = await s.service.receive(message, RECEIVED);
  if (outcome.kind !== 'drafted') throw new Error(`not drafted: ${outcome.kind}`);
  const open = await s.service.open(outcome.draftId);
  if (open.status !== 'open') throw new Error(open.status);
  const text = s.posted.at(-1)!.text;
  return { text, fields: open.fields };
}

/** The draft the offline reading alone makes of the same message (no model), on a store of its own. */
async function offlineDraft(message: MailMessage) {
  const posted: Reply[] = [];
  const offline = new MailIntakeService({
    register,
    seen: offlineSeen,
    autoLog: false,
    timeZone: 'UTC',
    post: async (r) => void posted.push(r),
  });
  return draftOf({ service: offline, posted }, message);
}

describe('a mail read by the LLM where the rules could not', () => {
  it("gets the model's type where the parser read none, marked on the draft as read by the LLM", async () => {
    const message = mail();
    // The premise: the chat's parser reads no type here (else this test proves nothing).
    expect(readMail(message, 'UTC')).toMatchObject({ kind: 'draft' });
    const offline = readMail(message, 'UTC');
    if (offline.kind !== 'draft') throw new Error('skip');
    expect(offline.fields.type).toBeUndefined();

    fake.reply(reading({ type: 'erasure', country: 'PL' }));
    const { text, fields } = await draftOf(service(), message);
    expect(fake.requests).toHaveLength(1);
    expect(fields).toMatchObject({ type: 'erasure', country: 'PL', regime: 'gdpr', email: SENDER });
    // The received day is the server's receipt, whatever the model saw.
    expect(fields.received).toBe('2026-11-30');
    expect(text).toContain('• Type: erasure (read by the LLM)');
    expect(text).toContain('• Law: EU GDPR (read by the LLM)');
    expect(text).toMatch(/• Country: Poland \(PL\).*\(read by the LLM\)/);
    expect(text).toContain(
      '⚠ Read by the LLM, not by the rules: the type, the place and its law. Check before you log it.',
    );
  });

  it('fills only what the parser left empty: its type and place stand against a contradicting model', async () => {
    // The parser reads the type (erasure) but no place: the model is asked, and only the place is taken.
    const partly = mail({ text: 'Please delete all my data.' });
    fake.reply(reading({ type: 'access', country: 'ES' }));
    const { text, fields } = await draftOf(service(), partly);
    expect(fake.requests).toHaveLength(1);
    expect(fields).toMatchObject({ type: 'erasure', country: 'ES', regime: 'gdpr' });
    expect(text).toContain('• Type: erasure\n');
    expect(text).toContain('• Law: EU GDPR (read by the LLM)');

    // The parser reads it all (type, place, contact): the draft is the offline one, whatever the model says.
    const full = mail({ text: 'Please delete all my data. I live in Spain.' });
    fake.always(reading({ isRightsRequest: false, type: 'access', country: 'US', state: 'CA' }));
    const before = fake.requests.length;
    const withLlm = await draftOf(service(), full);
    const without = await offlineDraft(full);
    expect(withLlm.fields).toEqual({ ...without.fields });
    expect(withLlm.text).toBe(without.text);
    expect(withLlm.text).not.toContain('LLM');
    // Nothing to fill, so nothing of the mail was sent.
    expect(fake.requests.length).toBe(before);
  });

  it('never logs because of the model: auto-logging leaves a case the model completed to a person', async () => {
    const message = mail({ text: 'I want every trace of me gone from your systems. I live in Spain.' });
    fake.reply(reading({ type: 'erasure' }));
    const s = service({ autoLog: true });
    const outcome = await s.service.receive(message, RECEIVED);
    expect(outcome.kind).toBe('drafted');
    expect(fake.requests).toHaveLength(1);
    expect(s.posted.at(-1)!.text).toContain('• Type: erasure (read by the LLM)');
    const all = await register.list({ status: ['all'] }, RECEIVED);
    expect(all).toHaveLength(0);
  });

  it.each([
    ['a server error', () => apiError(500)],
    ['a refusal', () => completion('', { refusal: 'I cannot help with that.' })],
    ['a reply that is not JSON', () => completion('erasure, I think')],
    ['a reply out of shape', () => completion({ type: 'erasure' })],
    ['a type the register has not', () => reading({ type: 'forget-me' })],
    ['a country nobody knows and an unknown state', () => reading({ country: 'XX', state: 'ZZ' })],
  ])('leaves the offline draft on %s', async (_, answer) => {
    const message = mail();
    fake.always(answer());
    const withLlm = await draftOf(service(), message);
    const without = await offlineDraft(message);
    expect(fake.requests.length).toBeGreaterThanOrEqual(1);
    expect(withLlm.fields).toEqual(without.fields);
    expect(withLlm.text).toBe(without.text);
    expect(withLlm.fields.type).toBeUndefined();
  });

  it('a model reading no rights request fills nothing and says so, without dismissing it', async () => {
    fake.reply(reading({ isRightsRequest: false, type: 'erasure' }));
    const { text, fields } = await draftOf(service(), mail({ text: 'Do you ship to Norway?' }));
    expect(fields.type).toBeUndefined();
    expect(text).toContain('⚠ The LLM reads no rights request in this mail');
  });

  it('a slow model holds the draft up no longer than the budget, then the offline reading goes out', async () => {
    const message = mail();
    fake.always({ ...reading({ type: 'erasure' }), delayMs: 5_000 });
    const started = performance.now();
    // The service's own budget, shorter than the client's: it bounds even a client that overruns.
    const s = service({ llm: { client: client(10_000), budgetMs: 400 } });
    const { text, fields } = await draftOf(s, message);
    const took = performance.now() - started;
    expect(took).toBeLessThan(2_000);
    expect(fields.type).toBeUndefined();
    expect(text).not.toContain('LLM');
  });

  it('a client that throws despite its contract, or never answers, leaves the offline draft', async () => {
    const throwing = service({
      llm: {
        client: {
          complete: async () => {
            throw new Error('boom');
          },
        },
      },
    });
    expect((await draftOf(throwing, mail())).fields.type).toBeUndefined();
    const hung = service({ llm: { client: { complete: () => new Promise(() => {}) }, budgetMs: 200 } });
    expect((await draftOf(hung, mail())).fields.type).toBeUndefined();
  });

  it("sends the subject and text with none of the sender's addresses, numbers or own name", async () => {
    const message = mail({
      from: { name: 'Jan Kowalski', address: SENDER },
      subject: `Request from ${SENDER}`,
      text: `Hello,\nI want every trace of me gone from your systems. My old address was jan.k@mail.example.pl.\nCall me on +48 601 234 567.\nJan Kowalski\n12 High Street, Dublin`,
    });
    fake.reply(reading({ type: 'erasure', country: 'IE' }));
    await draftOf(service(), message);
    expect(fake.requests).toHaveLength(1);
    const { raw } = fake.requests[0]!;
    for (const secret of [
      SENDER,
      'jan.kowalski',
      'jan.k@',
      'mail.example.pl',
      '601 234 567',
      'Kowalski',
      'High Street',
    ])
      expect(raw).not.toContain(secret);
    const data = dataOf(fake.requests[0]!);
    expect(Object.keys(data).sort()).toEqual(['subject', 'text']);
    expect(data.text).toContain('every trace of me gone');
    // The town says where the requester is; it stays.
    expect(data.text).toContain('Dublin');
    expect(fake.requests[0]!.body.response_format?.json_schema?.name).toBe(MAIL_READ_TASK);
  });

  it('a name the model gives is taken only when the mail has none and it is written in the mail', async () => {
    fake.reply(reading({ type: 'erasure', requesterName: 'Marta Nowak' }));
    const { text, fields } = await draftOf(service(), mail({ text: `${UNREADABLE}\nMarta Nowak` }));
    expect(fields.name).toBe('Marta Nowak');
    expect(text).toMatch(/• Requester: Marta Nowak.*\(name read by the LLM\)/);

    fake.reply(reading({ type: 'erasure', requesterName: 'Invented Person' }));
    expect((await draftOf(service(), mail())).fields.name).toBeUndefined();
  });

  it('logs the task, outcome, time and tokens, never the text or what the model said', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'debug' }, { write: (l: string) => void lines.push(l) });
    const llm = new OpenAiLlmClient({
      model: 'fake-model',
      baseURL: fake.url,
      timeoutMs: 2_000,
      maxRetries: 0,
      logger,
    });
    fake.reply(reading({ type: 'erasure', country: 'PL', requesterName: 'Zofia Wrona' }));
    await draftOf(service({ llm: { client: llm, logger } }), mail({ text: `${UNREADABLE}\nZofia Wrona` }));
    const log = lines.join('\n');
    expect(log).toContain(MAIL_READ_TASK);
    expect(log).toContain('"promptTokens":412');
    for (const secret of ['every trace', 'Zofia', 'Wrona', SENDER, 'erasure', '"PL"'])
      expect(log).not.toContain(secret);
  });
});

describe('LLM_READ_MAIL', () => {
  const llmEnv = () => ({ OPENAI_MODEL: 'fake-model', OPENAI_BASE_URL: fake.url });

  it('is off by default: with an LLM configured, the mailbox sends it nothing', async () => {
    const config = loadConfig(llmEnv());
    expect(config.LLM_READ_MAIL).toBeUndefined();
    const llm = mailLlmFrom(config, createLlmClient(config));
    expect(llm).toBeUndefined();
    fake.always(reading({ type: 'erasure' }));
    const { fields } = await draftOf(service({ llm: llm ?? null }), mail());
    expect(fields.type).toBeUndefined();
    expect(fake.requests).toHaveLength(0);
  });

  it('on, with an LLM configured, the mailbox asks the model', async () => {
    const config = loadConfig({ ...llmEnv(), LLM_READ_MAIL: 'true' });
    const llm = mailLlmFrom(config, createLlmClient(config));
    expect(llm).toBeDefined();
    fake.reply(reading({ type: 'erasure' }));
    const { fields } = await draftOf(service({ llm: llm ?? null }), mail());
    expect(fields.type).toBe('erasure');
    expect(fake.requests).toHaveLength(1);
  });

  it('on without an LLM is refused at start-up in one sentence', () => {
    expect(() => loadConfig({ LLM_READ_MAIL: 'true' })).toThrow(/LLM_READ_MAIL: needs an LLM/);
  });
});
