import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ANSWER_SYSTEM_PROMPT,
  AssistedAnswerer,
  groundCitations,
} from '../../../src/core/llm/assisted-answer.js';
import { OpenAiLlmClient } from '../../../src/core/llm/openai-client.js';
import { redactForModel } from '../../../src/core/llm/quotes.js';
import type { Passage, PolicyAnswerer } from '../../../src/core/policy/answer.js';
import { locateQuote } from '../../../src/core/policy/quotes.js';
import { openPolicies } from '../../../src/core/policy/service.js';
import { run } from '../../../src/main.js';
import { apiError, completion, dataOf, FakeOpenAiApi, type RecordedRequest } from '../../fakes/openai-api.js';

/**
 * Assisted answering against a loopback fake of an OpenAI-compatible API: the model writes only
 * when the offline answer is not confident, and its answer is served only when every quote is the
 * policy's own words. Every failure leaves the offline answer, within the time budget.
 */

const examples = fileURLToPath(new URL('../../../examples/policies/', import.meta.url));
/** Offline: found false (confidence about 0.4), with "7. Your rights" among the passages. */
// A question the offline answerer cannot settle (the policy names no CRM).
const UNSURE = 'Could my tickets be exported straight into Salesforce from Brightdesk?';
const RIGHTS_QUOTE = 'You have the right to access, correct, delete or export your personal data';

let fake: FakeOpenAiApi;
let answerer: PolicyAnswerer;
beforeAll(async () => {
  fake = await FakeOpenAiApi.start();
  answerer = (await openPolicies(examples)).answerer;
});
afterAll(() => fake.stop());
beforeEach(() => fake.reset());

function assisted(timeoutMs = 1500): AssistedAnswerer {
  const llm = new OpenAiLlmClient({ model: 'fake-model', baseURL: fake.url, timeoutMs, maxRetries: 1 });
  return new AssistedAnswerer(answerer, llm);
}

interface SentPassage {
  id: string;
  policy: string;
  section: string;
  text: string;
}
const passagesOf = (r: RecordedRequest) => dataOf(r).passages as SentPassage[];

/** A model that answers from the passage containing `needle`, quoting `quote` (default: the needle). */
function answering(needle: string, answer: string, quote = needle) {
  return (r: RecordedRequest) => {
    const p = passagesOf(r).find((x) => x.text.includes(needle));
    if (!p) throw new Error(`no passage with "${needle}" was sent`);
    return completion({
      status: 'answered',
      answer,
      citations: [{ policy: p.policy, section: p.section, quote }],
    });
  };
}

describe('AssistedAnswerer', () => {
  it('leaves a confident offline answer alone and sends nothing', async () => {
    const q = 'How long do we keep technical logs at Brightdesk?';
    const answer = await assisted().askAssisted(q);
    expect(answer).toMatchObject({ source: 'rules', assistance: 'not-needed', found: true });
    expect(answer.answer).toBe(answerer.ask(q).answer);
    expect(fake.requests).toHaveLength(0);
  });

  it('without an LLM, is the offline answerer', async () => {
    const answer = await new AssistedAnswerer(answerer, null).askAssisted(UNSURE);
    const { source, assistance, ...rest } = answer;
    expect({ source, assistance }).toEqual({ source: 'rules', assistance: 'off' });
    expect(rest).toEqual(answerer.ask(UNSURE));
  });

  it('sends nothing when retrieval found nothing to write from', async () => {
    const answer = await assisted().askAssisted('Does Brightdesk have a bug bounty?');
    expect(answer).toMatchObject({ assistance: 'no-passages', found: false });
    expect(fake.requests).toHaveLength(0);
  });

  it('serves a grounded model answer, marked as the model’s, with the clause’s own words cited', async () => {
    // The model's quote differs in case, spacing and a trailing full stop: still verbatim.
    fake.reply(
      answering(
        RIGHTS_QUOTE,
        'Yes. You can ask Brightdesk to export your personal data.',
        '  you have the right to access,   correct, delete or export your personal data.',
      ),
    );
    const answer = await assisted().askAssisted(UNSURE);
    expect(answer).toMatchObject({
      source: 'llm',
      assistance: 'answered',
      found: true,
      policies: ['brightdesk'],
    });
    expect(answer.answer).toMatch(/^Yes\. You can ask Brightdesk to export your personal data\./);
    expect(answer.answer).toMatch(
      /Written by the AI assistant from the quoted clauses of the Brightdesk policy/,
    );
    expect(answer.citations).toEqual([
      { policy: 'brightdesk', section: '7. Your rights', quote: RIGHTS_QUOTE, clauseId: expect.any(String) },
    ]);

    // The request: the fixed system prompt, and the question and clauses as JSON data only.
    const sent = fake.requests[0]!;
    expect(sent.body.messages[0]).toEqual({ role: 'system', content: ANSWER_SYSTEM_PROMPT });
    const data = dataOf(sent);
    expect(data.question).toBe(UNSURE);
    expect(passagesOf(sent).every((p) => p.policy === 'brightdesk' && p.text.length > 0)).toBe(true);
  });

  it('discards an answer whose quote is not in the clauses sent', async () => {
    fake.reply(
      answering(
        'export your personal data',
        'Yes, in CSV within 7 days.',
        'Exports are delivered as CSV within 7 days.',
      ),
    );
    const answer = await assisted().askAssisted(UNSURE);
    expect(answer).toMatchObject({ source: 'rules', assistance: 'unverified-quote', found: false });
    expect(answer.answer).toBe(answerer.ask(UNSURE).answer);
  });

  it('discards an answer quoting a real sentence under another policy', async () => {
    fake.reply((r) => {
      const p = passagesOf(r)[0]!;
      return completion({
        status: 'answered',
        answer: 'Yes.',
        citations: [{ policy: 'northwind', section: p.section, quote: p.text }],
      });
    });
    expect((await assisted().askAssisted(UNSURE)).assistance).toBe('unverified-quote');
  });

  it('discards an answer that cites nothing, or quotes a mere word', async () => {
    fake.reply(completion({ status: 'answered', answer: 'Yes, any time.', citations: [] }));
    expect(await assisted().askAssisted(UNSURE)).toMatchObject({ assistance: 'no-citations', found: false });
    fake.reply(answering('export', 'Yes.', 'export'));
    expect(await assisted().askAssisted(UNSURE)).toMatchObject({
      assistance: 'unverified-quote',
      found: false,
    });
  });

  it('keeps found false when the model says the policy does not say', async () => {
    fake.reply(completion({ status: 'not-stated', answer: '', citations: [] }));
    const answer = await assisted().askAssisted(UNSURE);
    expect(answer).toMatchObject({ source: 'rules', assistance: 'not-stated', found: false });
    expect(answer.answer).toMatch(/does not say/);
  });

  it.each([
    ['malformed', completion('{"status":"answered","answer":')],
    ['invalid', completion({ status: 'answered', answer: 42 })],
    ['unavailable', apiError(500)],
    ['rate-limited', apiError(429, { 'retry-after': '30' })],
    ['rejected', apiError(404)],
  ])('falls back to the offline answer on %s', async (kind, reply) => {
    fake.always(reply);
    const answer = await assisted().askAssisted(UNSURE);
    expect(answer).toMatchObject({ source: 'rules', assistance: kind, found: false });
    expect(answer.answer).toBe(answerer.ask(UNSURE).answer);
  });

  it('answers offline within Slack’s 3 seconds when the model hangs (default 2.5 s budget)', async () => {
    fake.always({ ...completion({ status: 'not-stated', answer: '', citations: [] }), delayMs: 10_000 });
    const started = performance.now();
    const answer = await assisted(2500).askAssisted(UNSURE);
    expect(performance.now() - started).toBeLessThan(3000);
    expect(answer).toMatchObject({ source: 'rules', assistance: 'timeout', found: false });
  });

  it('never sends e-mail addresses, phone numbers or request ids in the question', async () => {
    fake.reply(completion({ status: 'not-stated', answer: '', citations: [] }));
    await assisted().askAssisted(
      'Can jane.roe@example.com, +49 30 1234 5678, DSR-2026-0007, export her tickets from Brightdesk?',
    );
    const raw = fake.requests[0]!.raw;
    expect(raw).not.toMatch(/jane\.roe|example\.com|1234 5678|DSR-2026-0007/);
    expect(dataOf(fake.requests[0]!).question).toBe(
      'Can [email], [number], [request], export her tickets from Brightdesk?',
    );
  });
});

describe('quote checks', () => {
  it('finds a quote after folding white space, quote marks, dashes and case, and returns the clause’s words', () => {
    const clause = 'We keep “Technical logs” for 30 days — then\u00a0they are purged.';
    expect(locateQuote(clause, '"technical logs" for 30 days - then they are purged')).toBe(
      'We keep “Technical logs” for 30 days — then\u00a0they are purged'.slice(8),
    );
    expect(locateQuote(clause, '…for 30 days — then they…')).toBe('for 30 days — then\u00a0they');
    expect(locateQuote(clause, 'for 30 days ... purged')).toBeNull();
    expect(locateQuote(clause, 'for 60 days')).toBeNull();
    expect(locateQuote(clause, 'days')).toBeNull();
  });

  it('grounds all citations or none', () => {
    const passages: Passage[] = [
      {
        policy: 'p',
        section: '1. Logs',
        quote: 'Logs are kept for 30 days.',
        clauseId: 's1.c1',
        policyName: 'P',
        score: 1,
        coverage: 1,
      },
    ];
    expect(
      groundCitations([{ policy: 'p', section: 'x', quote: 'logs are kept for 30 days' }], passages),
    ).toEqual([{ policy: 'p', section: '1. Logs', quote: 'Logs are kept for 30 days', clauseId: 's1.c1' }]);
    expect(
      groundCitations(
        [
          { policy: 'p', section: '1. Logs', quote: 'Logs are kept for 30 days' },
          { policy: 'p', section: '1. Logs', quote: 'Logs are kept for 90 days' },
        ],
        passages,
      ),
    ).toBeNull();
  });

  it('redacts contact details but not periods, years or section numbers', () => {
    expect(redactForModel('Do we keep logs 90 days since 2026 (section 4.2)?')).toBe(
      'Do we keep logs 90 days since 2026 (section 4.2)?',
    );
    expect(redactForModel('mail a.b+c@x.co.uk or call +1 (415) 555-0100')).toBe(
      'mail [email] or call [number]',
    );
  });
});

describe('privacy-ops ask with an LLM configured', () => {
  const env = () => ({
    OPENAI_MODEL: 'fake-model',
    OPENAI_BASE_URL: fake.url,
    LOG_LEVEL: 'silent',
    POLICY_CORPUS: examples,
  });
  async function cli(args: string[], extra: Record<string, string> = {}) {
    let out = '';
    let err = '';
    const status = await run(args, {
      env: { ...env(), ...extra },
      out: (t) => {
        out += t;
      },
      err: (t) => {
        err += t;
      },
    });
    return { status, out, err };
  }

  it('--json marks the model’s answer with source "llm"', async () => {
    fake.reply(answering(RIGHTS_QUOTE, 'Yes, you can ask for an export.'));
    const { status, out } = await cli(['ask', '--json', UNSURE]);
    expect(status).toBe(0);
    const json = JSON.parse(out) as Record<string, unknown>;
    expect(json).toMatchObject({ found: true, source: 'llm' });
    expect(json.citations).toEqual([
      { policy: 'brightdesk', section: '7. Your rights', quote: RIGHTS_QUOTE },
    ]);
  });

  it('--jsonl answers every line, offline where the model fails', async () => {
    fake.always(apiError(500));
    const { Readable } = await import('node:stream');
    let out = '';
    const status = await run(['ask', '--jsonl'], {
      env: env(),
      stdin: Readable.from([
        `{"id":"a","q":"${UNSURE}"}\n{"id":"b","q":"How long are technical logs kept at Brightdesk?"}\n`,
      ]),
      out: (t) => {
        out += t;
      },
      err: () => {},
    });
    expect(status).toBe(0);
    const lines = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => [l.id, l.found, l.source])).toEqual([
      ['a', false, 'rules'],
      ['b', true, 'rules'],
    ]);
  });

  it('--offline, and no OPENAI_* at all, never call the model and print no source', async () => {
    const offline = await cli(['ask', '--json', '--offline', UNSURE]);
    const none = await cli(['ask', '--json', UNSURE], { OPENAI_MODEL: '', OPENAI_BASE_URL: '' });
    expect(fake.requests).toHaveLength(0);
    expect(JSON.parse(offline.out)).not.toHaveProperty('source');
    expect(none.out).toBe(offline.out);
  });
});
