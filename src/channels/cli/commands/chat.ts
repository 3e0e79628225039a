import { createInterface } from 'node:readline';
import { toAppError } from '../../../core/errors.js';
import { openPolicies } from '../../../core/policy/service.js';
import { type Command, parseOptions } from '../command.js';

const usage = 'privacy-ops chat [--corpus DIR] [--policy ID]';

/**
 * The local console chat: the same core as Slack and Teams, over the configured corpus, with no
 * credentials. Each line is a question; `policies` lists the corpus, `quit` ends.
 */
export const chatCommand: Command = {
  name: 'chat',
  summary: 'a console chat with the bot (the default of `npm start`)',
  usage,
  async run(ctx) {
    const { values } = parseOptions(
      ctx.argv,
      { corpus: { type: 'string' }, policy: { type: 'string' } },
      usage,
      false,
    );
    const dir = values.corpus ?? ctx.config.POLICY_CORPUS;
    const { corpus, answerer } = await openPolicies(dir, values.policy ?? ctx.config.DEFAULT_POLICY);
    ctx.out(
      `privacy-ops: ${corpus.policies.length} polic${corpus.policies.length === 1 ? 'y' : 'ies'} loaded from ${dir} (${corpus.policies.map((p) => p.name).join(', ')}).\nAsk a question about them, e.g. "How long do we keep technical logs?". Type "policies" to list them, "quit" to leave.\n`,
    );
    const rl = createInterface({ input: ctx.stdin, terminal: false });
    const prompt = () => ctx.out('> ');
    prompt();
    for await (const line of rl) {
      const text = line.trim();
      if (/^(quit|exit|bye)$/i.test(text)) break;
      if (!text) {
        prompt();
        continue;
      }
      if (/^policies$/i.test(text)) {
        ctx.out(`${corpus.policies.map((p) => `  ${p.id}: ${p.name}`).join('\n')}\n`);
      } else {
        try {
          const a = answerer.ask(text, { policy: values.policy ?? null });
          ctx.out(`${a.answer}\n`);
          for (const c of a.citations) ctx.out(`  source: ${c.policy}, ${c.section}: “${c.quote}”\n`);
        } catch (error) {
          ctx.out(`${toAppError(error).message}\n`);
        }
      }
      prompt();
    }
    ctx.out('bye\n');
    return 0;
  },
};
