import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Reply } from '../../../src/core/conversation/reply.js';
import { DraftDesk } from '../../../src/core/intake/desk.js';
import { IntakeService, type IntakeServiceOptions } from '../../../src/core/intake/service.js';
import { type IntakeSubmission, intakeSubmissionSchema } from '../../../src/core/intake/submission.js';
import { OpenAiLlmClient } from '../../../src/core/llm/openai-client.js';
import { Register } from '../../../src/core/requests/register.js';
import { type KeyvRegisterStore, openRegisterStore } from '../../../src/store/register-store.js';
import { type BackendSeenKeys, openSeenKeys } from '../../../src/store/seen-keys.js';
import { apiError, completion, dataOf, FakeOpenAiApi } from '../../fakes/openai-api.js';

/**
 * A web-form message (the intake webhook's) read by a model where the rules could not, as the
 * privacy mailbox's mail is (LLM_READ_MAIL): against the loopback fake of an OpenAI-compatible
 * API. Only what the form's fields left empty is filled, each such line marked "(read by the
 * LLM)"; what is sent is redacted; a slow model holds the draft no longer than its budget; a
 * complete form or a form logged at once sends nothing; without the model nothing is sent.
 */

const NOW = new Date('2026-11-30T09:30:00Z');
const EMAIL = 'marta.nowak@example.pl';

let fake: FakeOpenAiApi;
let dir: string;
let store: KeyvRegisterStore;
let register: Register;
let seen: BackendSeenKeys;
let seq = 0;

beforeAll(async () => {
  fake = await FakeOpenAiApi.start();
  dir = mkdtempSync(join(tmpdir(), 'privacy-ops-intake-llm-'));
  store = await openRegisterStore(`sqlite://${join(dir, 'r.sqlite')}`);
  register = await Register.open(store, { defaultCountry: 'DE', timeZone: 'UTC', retentionMonths: 24 });
  seen = await openSeenKeys(`sqlite://${join(dir, 'r.sqlite')}`);
});

afterAll(async () => {
  await fake.stop();
  await seen.close();
  await register.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => fake.reset());

/** A form whose type field no parser reads, with no law and no place: both are left to a person. */
function submission(overrides: Record<string, unknown> = {}): IntakeSubmission {
  return intakeSubmissionSchema.parse({
    idempotencyKey: `llm-form-${++seq}-${Date.now().toString(36)}`,
    requester: { name: 'Marta Nowak', email: EMAIL },
    type: 'Privacy request',
    message: 'Hello, I want every trace of me gone from your systems. Marta Nowak',
    source: 'web form',
    ...overrides,
  });
}

function reading(values: Record<string, unknown> = {}) {
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

function service(options: { llm?: IntakeServiceOptions['llm'] | null; autoLog?: boolean } = {}): {
  service: IntakeService;
  desk: DraftDesk;
  posted: Reply[];
} {
  const posted: Reply[] = [];
  const desk = new DraftDesk({ register, seen, timeZone: 'UTC', post: async (r) => void posted.push(r) });
  const llm = options.llm === undefined ? { client: client() } : options.llm;
  return {
    posted,
    desk,
    service: new IntakeService({
      register,
      seen,
      autoLog: options.autoLog ?? false,
      timeZone: 'UTC',
      desk,
      ...(llm ? { llm } : {}),
    }),
  };
}

/** The draft a delivery becomes: the text posted and the fields kept. */
async function draftOf(s: ReturnType<typeof service>, form: IntakeSubmission) {
  const result = await s.service.submit(form, NOW);
  if (result.kind !== 'new' || result.outcome.status !== 'pending') throw new Error('not kept for a person');
  const open = await s.desk.open(result.outcome.intakeId);
  if (open.status !== 'open') throw new Error(open.status);
  return { text: s.posted.at(-1)!.text, fields: open.fields, missing: result.outcome.missing };
}

describe('a web-form message read by the LLM where the rules could not', () => {
  it('fills the type and place the form left empty, each marked; the sender is still told what was missing', async () => {
    fake.reply(reading({ type: 'erasure', country: 'PL', requesterName: 'Marta Nowak' }));
    const { text, fields, missing } = await draftOf(service(), submission());
    expect(fake.requests).toHaveLength(1);
    expect(fields).toMatchObject({ type: 'erasure', country: 'PL', regime: 'gdpr', email: EMAIL });
    // The name came from the form, not the model: it is not marked.
    expect(fields.name).toBe('Marta Nowak');
    expect(text).toContain('• Type: erasure (read by the LLM)');
    expect(text).toContain('• Law: EU GDPR (read by the LLM)');
    expect(text).not.toContain('(name read by the LLM)');
    expect(text).toContain(
      '⚠ Read by the LLM, not by the rules: the type, the place and its law. Check before you log it.',
    );
    // The model's reading is for the person confirming; the form's sender learns what it lacked.
    expect(missing).toEqual(['the request type', 'the law (or a country or state it follows from)']);
  });

  it("fills only what is empty: the form's own type stands against a contradicting model", async () => {
    fake.reply(reading({ type: 'access', country: 'ES' }));
    const { text, fields } = await draftOf(service(), submission({ type: 'erasure' }));
    expect(fake.requests).toHaveLength(1);
    expect(fields).toMatchObject({ type: 'erasure', country: 'ES', regime: 'gdpr' });
    expect(text).toContain('• Type: erasure\n');
    expect(text).toContain('• Law: EU GDPR (read by the LLM)');
  });

  it('a name is taken only when the form gave none, and marked', async () => {
    fake.reply(reading({ requesterName: 'Marta Nowak' }));
    const { text, fields } = await draftOf(
      service(),
      submission({ type: 'erasure', requester: { email: EMAIL } }),
    );
    expect(fields.name).toBe('Marta Nowak');
    expect(text).toContain('(name read by the LLM)');
  });

  it('a complete form sends nothing to the model, and neither does one logged at once', async () => {
    fake.always(reading({ type: 'access', country: 'US', state: 'CA' }));
    const { text, fields } = await draftOf(service(), submission({ type: 'erasure', country: 'Spain' }));
    expect(fields).toMatchObject({ type: 'erasure', country: 'ES', regime: 'gdpr' });
    expect(text).not.toContain('LLM');
    const logged = await service({ autoLog: true }).service.submit(
      submission({ type: 'erasure', country: 'Spain' }),
      NOW,
    );
    expect(logged).toMatchObject({ kind: 'new', outcome: { status: 'logged' } });
    expect(fake.requests).toHaveLength(0);
  });

  it('without the model (LLM_READ_MAIL off) nothing is sent and the draft is the offline one', async () => {
    fake.always(reading({ type: 'erasure', country: 'PL' }));
    const { text, fields } = await draftOf(service({ llm: null }), submission());
    expect(fake.requests).toHaveLength(0);
    expect(fields.type).toBeUndefined();
    expect(text).not.toContain('LLM');
  });

  it('says so when the model reads no rights request, without dismissing it', async () => {
    fake.reply(reading({ isRightsRequest: false, type: 'erasure' }));
    const { text, fields } = await draftOf(service(), submission({ message: 'Do you ship to Norway?' }));
    expect(fields.type).toBeUndefined();
    expect(text).toContain('⚠ The LLM reads no rights request in this message');
  });

  it('a failing model leaves the offline draft', async () => {
    fake.always(apiError(500));
    const { text, fields } = await draftOf(service(), submission());
    expect(fake.requests.length).toBeGreaterThanOrEqual(1);
    expect(fields.type).toBeUndefined();
    expect(text).not.toContain('LLM');
  });

  it('a slow model holds the answer to the sender no longer than the budget', async () => {
    fake.always({ ...reading({ type: 'erasure' }), delayMs: 5_000 });
    const started = performance.now();
    const { text, fields } = await draftOf(
      service({ llm: { client: client(10_000), budgetMs: 400 } }),
      submission(),
    );
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(fields.type).toBeUndefined();
    expect(text).not.toContain('LLM');
  });

  it("sends the form's words with none of the requester's addresses, numbers or own name", async () => {
    fake.reply(reading({ type: 'erasure', country: 'IE' }));
    await draftOf(
      service(),
      submission({
        type: `Request from ${EMAIL}`,
        message: `I want every trace of me gone. My old address was m.nowak@mail.example.pl.\nCall me on +48 601 234 567.\nMarta Nowak\n12 High Street, Dublin`,
      }),
    );
    expect(fake.requests).toHaveLength(1);
    const { raw } = fake.requests[0]!;
    for (const secret of [EMAIL, 'marta.nowak', 'm.nowak@', '601 234 567', 'Nowak', 'High Street'])
      expect(raw).not.toContain(secret);
    // What is asked, and the town that says where the sender is, do reach the model.
    const data = dataOf(fake.requests[0]!);
    expect(String(data.text)).toContain('every trace of me gone');
    expect(String(data.text)).toContain('Dublin');
  });
});
