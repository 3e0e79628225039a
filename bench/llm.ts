import { readFileSync } from 'node:fs';
import { loadConfig } from '../src/config.js';
import { AssistedAnswerer, type AssistOutcome } from '../src/core/llm/assisted-answer.js';
import type { LlmClient, LlmRequest, LlmResult } from '../src/core/llm/client.js';
import { openPolicies } from '../src/core/policy/service.js';
import { createLlmClient } from '../src/main.js';
import { CORPUS_DIR, DEV_QA, type DevQuestion, grade, HAS_SHARED, SHARED_DIR } from './devset.js';
import { figure, percentile, timed } from './report.js';

/**
 * Offline vs LLM-assisted answers on the development questions, graded as
 * ../shared/eval/grade-qa.mjs grades them. Runs only when an endpoint is configured (OPENAI_* in
 * the environment, as for the CLI); otherwise it says it was skipped. Assistance must never cost
 * accuracy, and an assisted answer must come within Slack's 3 seconds.
 */

/** Adds up token use across calls (the client logs each call; the bench wants totals). */
class CountingClient implements LlmClient {
  calls = 0;
  promptTokens = 0;
  completionTokens = 0;
  constructor(private readonly inner: LlmClient) {}
  async complete<T>(request: LlmRequest<T>): Promise<LlmResult<T>> {
    const result = await this.inner.complete(request);
    this.calls++;
    this.promptTokens += result.usage?.promptTokens ?? 0;
    this.completionTokens += result.usage?.completionTokens ?? 0;
    return result;
  }
}

export async function benchLlm(): Promise<string[]> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    return [
      `  LLM comparison: skipped (${error instanceof Error ? error.message.split('\n').join(' ') : error})`,
    ];
  }
  const inner = createLlmClient(config);
  if (!inner)
    return [
      '  LLM comparison: skipped (no endpoint configured: set OPENAI_MODEL and OPENAI_API_KEY, or OPENAI_BASE_URL for a local server)',
    ];
  if (!HAS_SHARED)
    return [
      `  LLM comparison: skipped (it grades the development questions over the reference corpus, in ${SHARED_DIR}, which is not here)`,
    ];

  const { answerer } = await openPolicies(CORPUS_DIR);
  const llm = new CountingClient(inner);
  const assisted = new AssistedAnswerer(answerer, llm);
  const questions = readFileSync(DEV_QA, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as DevQuestion);

  let offlinePassed = 0;
  let assistedPassed = 0;
  const outcomes = new Map<AssistOutcome, number>();
  const consultedMs: number[] = [];
  const changes: string[] = [];
  for (const q of questions) {
    const offline = answerer.ask(q.q, { policy: q.policy });
    const calls = llm.calls;
    const { value: answer, ms } = await timed(() => assisted.askAssisted(q.q, { policy: q.policy }));
    if (llm.calls > calls) consultedMs.push(ms);
    outcomes.set(answer.assistance, (outcomes.get(answer.assistance) ?? 0) + 1);
    const before = grade(q, offline).length === 0;
    const after = grade(q, answer).length === 0;
    offlinePassed += before ? 1 : 0;
    assistedPassed += after ? 1 : 0;
    if (before !== after)
      changes.push(`  ${after ? 'fixed' : 'BROKE'} ${q.id}: ${q.q} [${answer.assistance}]`);
  }
  const pct = (n: number) => (100 * n) / questions.length;
  const discarded = ['no-citations', 'unverified-quote', 'invalid', 'malformed', 'refused', 'truncated'];
  const failed = ['timeout', 'rate-limited', 'unavailable', 'rejected'];
  const count = (kinds: string[]) => kinds.reduce((n, k) => n + (outcomes.get(k as AssistOutcome) ?? 0), 0);
  return [
    `  endpoint: ${config.OPENAI_BASE_URL ?? 'api.openai.com'}, model ${config.OPENAI_MODEL}, budget ${config.OPENAI_TIMEOUT_MS} ms`,
    figure(
      'dev questions correct, offline',
      pct(offlinePassed),
      '%',
      undefined,
      `${offlinePassed}/${questions.length}`,
    ),
    figure(
      'dev questions correct, LLM-assisted',
      pct(assistedPassed),
      '%',
      { op: '>=', limit: pct(offlinePassed) },
      `${assistedPassed}/${questions.length}; must not fall below offline`,
    ),
    figure('questions sent to the model', consultedMs.length, ''),
    figure('model answers served', outcomes.get('answered') ?? 0, ''),
    figure('model said "not stated"', outcomes.get('not-stated') ?? 0, ''),
    figure('model answers discarded (ungrounded, malformed)', count(discarded), ''),
    figure('calls failed (timeout, 429, errors): offline used', count(failed), ''),
    figure('assisted answer time p50 (questions sent)', percentile(consultedMs, 50), 'ms'),
    figure(
      'assisted answer time p95 (questions sent)',
      percentile(consultedMs, 95),
      'ms',
      { op: '<', limit: 3000 },
      "Slack's 3 s",
    ),
    figure('prompt tokens (all questions)', llm.promptTokens, ''),
    figure('completion tokens (all questions)', llm.completionTokens, ''),
    ...changes,
  ];
}
