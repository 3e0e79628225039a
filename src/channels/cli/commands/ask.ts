import { createInterface } from 'node:readline';
import { sourcesOf } from '../../../core/conversation/reply.js';
import { AppError, toAppError } from '../../../core/errors.js';
import { AssistedAnswerer } from '../../../core/llm/assisted-answer.js';
import type { Answer } from '../../../core/policy/answer.js';
import { openPolicies } from '../../../core/policy/service.js';
import { type Command, checkDefaultPolicy, parseOptions, usageError } from '../command.js';

const usage =
  'privacy-ops ask [--corpus DIR|FILE.json] [--policy ID] [--json] [--offline] [--trust-llm-facts] "QUESTION"  |  privacy-ops ask [--corpus DIR] --jsonl < questions.jsonl';

/** The JSON answer contract: answer, found, citations [{policy, section, quote}]. */
function toJson(answer: Answer & { source?: string }): Record<string, unknown> {
  return {
    answer: answer.answer,
    found: answer.found,
    citations: answer.citations.map((c) => ({ policy: c.policy, section: c.section, quote: c.quote })),
    intent: answer.intent,
    confidence: Number(answer.confidence.toFixed(3)),
    // Only when an LLM is configured: "llm" marks an answer the model wrote from the quoted clauses.
    ...(answer.source ? { source: answer.source } : {}),
  };
}

function toText(answer: Answer): string {
  const lines = [answer.answer];
  if (answer.citations.length > 0) {
    lines.push('', 'Sources:');
    for (const c of sourcesOf(answer.answer, answer.citations))
      lines.push(`  [${c.policy}, ${c.section}]${c.quote === null ? '' : ` “${c.quote}”`}`);
  }
  return `${lines.join('\n')}\n`;
}

export const askCommand: Command = {
  name: 'ask',
  summary: 'answer a question from the policy corpus, with citations',
  usage,
  async run(ctx) {
    const { values, positionals } = parseOptions(
      ctx.argv,
      {
        corpus: { type: 'string' },
        policy: { type: 'string' },
        json: { type: 'boolean' },
        jsonl: { type: 'boolean' },
        offline: { type: 'boolean' },
        'trust-llm-facts': { type: 'boolean' },
      },
      usage,
    );
    if (values.jsonl && positionals.length > 0)
      throw usageError('--jsonl reads questions from standard input; give no question argument.', usage);
    if (!values.jsonl && positionals.length === 0) throw usageError('Give a question to answer.', usage);
    const { answerer, corpus } = await openPolicies(
      values.corpus ?? ctx.settings.corpusDir,
      ctx.settings.defaultPolicy,
      {
        trustLlmFacts: Boolean(values['trust-llm-facts'] || ctx.settings.trustLlmFacts),
      },
    );
    // Another --corpus need not hold the configured default; the configured corpus must.
    if (!values.corpus) checkDefaultPolicy(corpus, ctx.settings.defaultPolicy);
    // With an LLM configured, unconfident answers are checked with it; without, nothing changes.
    const llm = values.offline ? null : ctx.services.llm();
    const assisted = llm ? new AssistedAnswerer(answerer, llm, { logger: ctx.logger }) : null;
    const ask = (q: string, policy: string | null) =>
      assisted ? assisted.askAssisted(q, { policy }) : Promise.resolve(answerer.ask(q, { policy }));

    if (!values.jsonl) {
      const answer = await ask(positionals.join(' '), values.policy ?? null);
      ctx.out(values.json ? `${JSON.stringify(toJson(answer))}\n` : toText(answer));
      return 0;
    }
    // Batch mode: one {"id","q","policy"} object per line in, one answer object (plus id) per line out.
    // A bad line gets an error object for its id; the batch goes on.
    const lines = createInterface({ input: ctx.stdin, crlfDelay: Number.POSITIVE_INFINITY });
    let lineNo = 0;
    for await (const line of lines) {
      lineNo++;
      if (!line.trim()) continue;
      let id: unknown = null;
      try {
        const item = JSON.parse(line) as { id?: unknown; q?: unknown; policy?: unknown };
        id = item.id ?? null;
        if (typeof item.q !== 'string') throw new AppError('INVALID_INPUT', 'each line needs a "q" string');
        const policy = typeof item.policy === 'string' && item.policy ? item.policy : (values.policy ?? null);
        ctx.out(`${JSON.stringify({ id, ...toJson(await ask(item.q, policy)) })}\n`);
      } catch (error) {
        const message =
          error instanceof SyntaxError ? `line ${lineNo} is not JSON` : toAppError(error).message;
        ctx.out(`${JSON.stringify({ id, answer: message, found: false, citations: [], error: true })}\n`);
      }
    }
    return 0;
  },
};
