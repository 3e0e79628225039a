import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type OpenAiClientOptions, OpenAiLlmClient } from '../../../src/core/llm/openai-client.js';
import { apiError, completion, FakeOpenAiApi, USAGE } from '../../fakes/openai-api.js';

/**
 * The OpenAI-compatible client against a loopback fake endpoint: structured output in, a parsed
 * value or a typed failure out, within its time budget, with token counts (and no text) logged.
 */

const schema = z.object({ status: z.enum(['ok', 'no']), items: z.array(z.string()) });
const request = { task: 'unit_test', system: 'You are a test.', data: { question: 'q?' }, schema };

let fake: FakeOpenAiApi;
beforeAll(async () => {
  fake = await FakeOpenAiApi.start();
});
afterAll(() => fake.stop());
beforeEach(() => fake.reset());

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

function client(options: Partial<OpenAiClientOptions> = {}): OpenAiLlmClient {
  return new OpenAiLlmClient({
    model: 'fake-model',
    baseURL: fake.url,
    timeoutMs: 1500,
    maxRetries: 1,
    ...options,
  });
}

describe('OpenAiLlmClient', () => {
  it('sends the schema as strict structured output and the data as JSON, and parses the reply', async () => {
    fake.reply(completion({ status: 'ok', items: ['a', 'b'] }));
    const result = await client({ apiKey: 'sk-test' }).complete(request);
    expect(result).toEqual({
      ok: true,
      value: { status: 'ok', items: ['a', 'b'] },
      usage: { promptTokens: 412, completionTokens: 57, totalTokens: 469 },
    });
    const sent = fake.requests[0]!;
    expect(sent.headers.authorization).toBe('Bearer sk-test');
    expect(sent.body.model).toBe('fake-model');
    expect(sent.body.response_format?.type).toBe('json_schema');
    expect(sent.body.response_format?.json_schema?.strict).toBe(true);
    expect(sent.body.response_format?.json_schema?.name).toBe('unit_test');
    expect(sent.body.messages).toEqual([
      { role: 'system', content: 'You are a test.' },
      { role: 'user', content: '{"question":"q?"}' },
    ]);
  });

  it('works with a local server that takes no key', async () => {
    fake.reply(completion({ status: 'no', items: [] }));
    expect((await client().complete(request)).ok).toBe(true);
  });

  it.each([
    ['malformed', completion('{"status": "ok", "items": [')],
    ['malformed', completion('Sure! Here is the answer you wanted.')],
    ['invalid', completion({ status: 'maybe', items: 'x' })],
    ['truncated', completion('{"status":', { finishReason: 'length' })],
    ['refused', completion('', { refusal: 'I cannot help with that.' })],
    ['rejected', apiError(401)],
    ['rejected', apiError(400)],
  ])('reports %s output as a typed failure without retrying', async (kind, reply) => {
    fake.reply(reply);
    const result = await client().complete(request);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.failure.kind).toBe(kind);
    expect(fake.requests).toHaveLength(1);
  });

  it('gives up at its time budget when the server is slow', async () => {
    fake.always({ ...completion({ status: 'ok', items: [] }), delayMs: 3000 });
    const started = performance.now();
    const result = await client({ timeoutMs: 400 }).complete(request);
    const ms = performance.now() - started;
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.failure.kind).toBe('timeout');
    expect(ms).toBeLessThan(900);
    // A timeout is not retried: the budget is spent.
    expect(fake.requests).toHaveLength(1);
  });

  it('retries a server error once, then fails as unavailable', async () => {
    fake.always(apiError(500));
    const result = await client().complete(request);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.failure).toMatchObject({ kind: 'unavailable', status: 500 });
    expect(fake.requests).toHaveLength(2);
  });

  it('recovers when a retry succeeds', async () => {
    fake.reply(apiError(503), completion({ status: 'ok', items: ['x'] }));
    const result = await client().complete(request);
    expect(result.ok).toBe(true);
    expect(fake.requests).toHaveLength(2);
  });

  it('retries a 429 whose retry-after fits the budget', async () => {
    fake.reply(apiError(429, { 'retry-after-ms': '50' }), completion({ status: 'ok', items: [] }));
    expect((await client().complete(request)).ok).toBe(true);
    expect(fake.requests).toHaveLength(2);
  });

  it('does not wait out a long retry-after, and pauses further calls until it passes', async () => {
    let now = 1_000_000;
    const llm = client({ now: () => now });
    fake.reply(apiError(429, { 'retry-after': '20' }));
    const started = performance.now();
    const first = await llm.complete(request);
    expect(performance.now() - started).toBeLessThan(500);
    expect(first.ok === false && first.failure.kind).toBe('rate-limited');
    expect(fake.requests).toHaveLength(1);

    // Within the 20 s no request is sent at all: the offline answer comes at once.
    now += 5_000;
    const second = await llm.complete(request);
    expect(second.ok === false && second.failure.kind).toBe('rate-limited');
    expect(fake.requests).toHaveLength(1);

    now += 16_000;
    fake.reply(completion({ status: 'ok', items: [] }));
    expect((await llm.complete(request)).ok).toBe(true);
    expect(fake.requests).toHaveLength(2);
  });

  it('fails as unavailable when nothing listens', async () => {
    const result = await client({ baseURL: 'http://127.0.0.1:9/v1', maxRetries: 0 }).complete(request);
    expect(result.ok === false && result.failure.kind).toBe('unavailable');
  });

  it('logs token counts as numbers and never the prompt or the output', async () => {
    const { logger, lines } = capture();
    fake.reply(completion({ status: 'ok', items: ['secret output'] }));
    await client({ logger }).complete({ ...request, data: { question: 'a secret question' } });
    fake.reply(completion('not json at all'));
    await client({ logger }).complete(request);

    expect(lines).toHaveLength(2);
    const [ok, failed] = lines.map((l) => l.llm as Record<string, unknown>);
    expect(ok).toMatchObject({
      task: 'unit_test',
      outcome: 'ok',
      promptTokens: USAGE.prompt_tokens,
      completionTokens: USAGE.completion_tokens,
      totalTokens: USAGE.total_tokens,
      attempts: 1,
    });
    for (const key of ['promptTokens', 'completionTokens', 'totalTokens', 'ms'])
      expect(typeof ok![key], key).toBe('number');
    expect(failed).toMatchObject({ outcome: 'malformed', promptTokens: USAGE.prompt_tokens });
    const all = JSON.stringify(lines);
    expect(all).not.toMatch(/secret|You are a test|not json/);
  });
});
