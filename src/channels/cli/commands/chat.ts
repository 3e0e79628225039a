import { userInfo } from 'node:os';
import { createInterface } from 'node:readline';
import { overLongLine, typoHint } from '../../../core/conversation/input.js';
import type { Actor } from '../../../core/conversation/reply.js';
import { type Command, parseOptions } from '../command.js';

const usage = 'privacy-ops chat [--corpus DIR] [--policy ID]';

/**
 * The local console chat: the same conversation core as Slack and Teams, over the configured
 * corpus and register (embedded SQLite by default), with no credentials. The person at the
 * console is the operator, so they act as a member of the privacy team.
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
    const dir = values.corpus ?? ctx.settings.corpusDir;
    const { corpus, register, engine, close } = await ctx.services.openConsole({
      corpusDir: dir,
      ...(values.policy ? { defaultPolicy: values.policy } : {}),
    });
    try {
      const name = ctx.settings.actor ?? safeUserName();
      const actor: Actor = {
        id: `cli:${name}`,
        name,
        isPrivacyTeam: true,
        timeZone: ctx.settings.timeZone,
      };
      ctx.out(
        `privacy-ops: ${corpus.policies.length} polic${corpus.policies.length === 1 ? 'y' : 'ies'} loaded from ${dir} (${corpus.policies.map((p) => p.name).join(', ')}).\nAsk a question, e.g. "How long do we keep technical logs?", or type "help". "quit" leaves.\n`,
      );
      const answer = async (text: string): Promise<string> => {
        const overLong = overLongLine(text);
        if (overLong) return overLong;
        const hint = typoHint(text, ctx.now());
        if (hint) return hint;
        await register.refresh();
        return (await engine.handle({ text, actor, audience: 'private', now: ctx.now() })).text;
      };
      const rl = createInterface({ input: ctx.stdin, terminal: false });
      ctx.out('> ');
      for await (const line of rl) {
        const text = line.trim();
        if (/^(quit|exit|bye)$/i.test(text)) break;
        if (text) ctx.out(`${await answer(text)}\n`);
        ctx.out('> ');
      }
      ctx.out('bye\n');
      // Leaving the loop does not release the input: a terminal's stdin keeps the process alive
      // until Ctrl-C (issue 16). Stop reading it, so "quit" ends the process like end of input does.
      rl.close();
      (ctx.stdin as { destroy?: () => void }).destroy?.();
      return 0;
    } finally {
      await close();
    }
  },
};

function safeUserName(): string {
  try {
    return userInfo().username || 'console';
  } catch {
    return 'console';
  }
}
