import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LlmClient } from '../../../src/core/llm/client.js';
import { OpenAiLlmClient } from '../../../src/core/llm/openai-client.js';
import {
  checkMailReading,
  type MailReadingReply,
  mailForModel,
  mergeLlmReading,
  readRequestWithLlm,
} from '../../../src/core/llm/read-request.js';
import { completion, dataOf, FakeOpenAiApi } from '../../fakes/openai-api.js';

/**
 * Reading a mail with a model (src/core/llm/read-request.ts): what is sent (no addresses, numbers,
 * streets or the sender's name), which values of a reply survive the offline path's validators,
 * and the merge rule (the parsers' reading wins; the model fills only what they left empty).
 */

const reply = (values: Partial<MailReadingReply> = {}): MailReadingReply => ({
  isRightsRequest: true,
  type: null,
  country: null,
  state: null,
  requesterName: null,
  ...values,
});

describe('what is sent', () => {
  it('takes out e-mail addresses, phone numbers, request ids, the street and the sender name; keeps the town', () => {
    const sent = mailForModel(
      'Erase me — ana@example.es',
      'Hi, I am Ana Silva (ana.silva@work.example.com, tel. 030 1234567, +34 612 345 678).\nRe DSR-2026-0042.\nCalle Mayor 5, Madrid',
      'Ana Silva',
    );
    const all = `${sent.subject}\n${sent.text}`;
    for (const gone of [
      'ana@example.es',
      'work.example.com',
      '1234567',
      '612 345 678',
      'DSR-2026-0042',
      'Calle Mayor',
      'Ana Silva',
    ])
      expect(all).not.toContain(gone);
    expect(all).toContain('[email]');
    expect(all).toContain('[phone]');
    expect(all).toContain('[sender]');
    expect(all).toContain('Madrid');
  });

  it('caps the subject and the text', () => {
    const sent = mailForModel('s'.repeat(500), 'word '.repeat(2_000));
    expect(sent.subject.length).toBe(200);
    expect(sent.text.length).toBeLessThanOrEqual(3_000);
  });
});

describe('the checks a reply passes', () => {
  it('keeps a type of the register, never "other" or a type it has not', () => {
    expect(checkMailReading(reply({ type: 'erasure' }), '')).toEqual({ type: 'erasure' });
    expect(checkMailReading(reply({ type: 'other' }), '')).toEqual({});
    expect(checkMailReading(reply({ type: 'appeal' as never }), '')).toEqual({});
  });

  it('gives no type when the model reads no rights request', () => {
    expect(checkMailReading(reply({ isRightsRequest: false, type: 'access' }), '')).toEqual({
      notARequest: true,
    });
  });

  it('keeps a country ICU knows, with the region and law the parsers give it', () => {
    expect(checkMailReading(reply({ country: 'es' }), '').place).toEqual({ country: 'ES', regime: 'gdpr' });
    expect(checkMailReading(reply({ country: 'UK' }), '').place).toMatchObject({
      country: 'GB',
      regime: 'uk-gdpr',
    });
    expect(checkMailReading(reply({ country: 'US', state: 'tx' }), '').place).toEqual({
      country: 'US',
      region: 'TX',
      regime: 'us-state',
    });
    expect(checkMailReading(reply({ country: 'CA', state: 'QC' }), '').place).toEqual({
      country: 'CA',
      region: 'QC',
      regime: 'quebec',
    });
    // A country without a law the register knows is still a place; a state it does not know is dropped.
    expect(checkMailReading(reply({ country: 'JP' }), '').place).toEqual({ country: 'JP' });
    expect(checkMailReading(reply({ country: 'US', state: 'ZZ' }), '').place).toEqual({ country: 'US' });
    for (const country of ['XX', 'Spain', 'EU', ''])
      expect(checkMailReading(reply({ country }), '').place).toBeUndefined();
  });

  it('keeps a name only when it is written in the mail', () => {
    expect(checkMailReading(reply({ requesterName: 'Marta  Nowak' }), 'Thanks,\nmarta nowak').name).toBe(
      'Marta Nowak',
    );
    expect(checkMailReading(reply({ requesterName: 'John Smith' }), 'Thanks, Marta').name).toBeUndefined();
    expect(checkMailReading(reply({ requesterName: '[sender]' }), '[sender]').name).toBeUndefined();
  });
});

describe('the merge rule', () => {
  it('keeps every value the parsers found and fills only the empty ones, each listed', () => {
    const parsed = {
      type: 'access' as const,
      country: 'ES',
      regime: 'gdpr' as const,
      received: '2026-11-30',
      email: 'a@b.example',
    };
    const merged = mergeLlmReading(parsed, {
      type: 'erasure',
      place: { country: 'US', region: 'CA', regime: 'ccpa' },
      name: 'Ana',
    });
    expect(merged.fields).toEqual({ ...parsed, name: 'Ana' });
    expect(merged.filled).toEqual(['name']);
  });

  it('fills the type and the place where the parsers found none, and drops the address-ending hint', () => {
    const merged = mergeLlmReading(
      { received: '2026-11-30', placeHint: { country: 'PL', said: '.pl' } },
      { type: 'erasure', place: { country: 'DE', regime: 'gdpr' } },
    );
    expect(merged.fields).toEqual({ received: '2026-11-30', type: 'erasure', country: 'DE', regime: 'gdpr' });
    expect(merged.filled).toEqual(['type', 'place']);
  });

  it('leaves a place the parsers question ("in LA") and a law they found without a country', () => {
    const place = { country: 'US', region: 'CA', regime: 'ccpa' as const };
    expect(mergeLlmReading({ placeQuestion: 'Which LA?' }, { place }).filled).toEqual([]);
    expect(mergeLlmReading({ regime: 'gdpr' as const }, { place }).fields).toEqual({ regime: 'gdpr' });
  });

  it('a "no rights request" counts only where the parsers found no type', () => {
    expect(mergeLlmReading({}, { notARequest: true }).notARequest).toBe(true);
    expect(mergeLlmReading({ type: 'access' as const }, { notARequest: true }).notARequest).toBe(false);
  });
});

describe('readRequestWithLlm', () => {
  let fake: FakeOpenAiApi;
  beforeAll(async () => {
    fake = await FakeOpenAiApi.start();
  });
  afterAll(() => fake.stop());
  beforeEach(() => fake.reset());
  const llm = () =>
    new OpenAiLlmClient({ model: 'fake-model', baseURL: fake.url, timeoutMs: 1_000, maxRetries: 0 });
  const sent = { subject: 'Data', text: 'I want every trace of me gone.' };

  it('sends the subject and text as data, under fixed instructions, and returns the checked reading', async () => {
    fake.reply(completion(reply({ type: 'erasure', country: 'PL' })));
    expect(await readRequestWithLlm(llm(), sent, 'Data\nI want every trace of me gone.')).toEqual({
      type: 'erasure',
      place: { country: 'PL', regime: 'gdpr' },
    });
    expect(dataOf(fake.requests[0]!)).toEqual(sent);
    expect(fake.requests[0]!.body.messages[0]!.content).not.toContain('every trace');
  });

  it('returns nothing, never throws, on a failure, a wrong shape, nothing usable or a throwing client', async () => {
    fake.reply(
      { status: 500, body: {} },
      completion({ kind: 'erasure' }),
      completion(reply({ type: 'other' })),
    );
    expect(await readRequestWithLlm(llm(), sent, '')).toBeUndefined();
    expect(await readRequestWithLlm(llm(), sent, '')).toBeUndefined();
    expect(await readRequestWithLlm(llm(), sent, '')).toBeUndefined();
    const throwing: LlmClient = {
      complete: () => Promise.reject(new Error('boom')),
    };
    expect(await readRequestWithLlm(throwing, sent, '')).toBeUndefined();
  });
});
