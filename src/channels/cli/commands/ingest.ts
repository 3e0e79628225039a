import { writeFile } from 'node:fs/promises';
import { AppError } from '../../../core/errors.js';
import { loadCorpus } from '../../../core/policy/ingest.js';
import { type Command, parseOptions } from '../command.js';

const usage = 'privacy-ops ingest [--corpus DIR] [--out FILE]';

export const ingestCommand: Command = {
  name: 'ingest',
  summary: 'build the structured corpus and write it as JSON for review',
  usage,
  async run(ctx) {
    const { values } = parseOptions(
      ctx.argv,
      { corpus: { type: 'string' }, out: { type: 'string' } },
      usage,
      false,
    );
    const dir = values.corpus ?? ctx.config.POLICY_CORPUS;
    const corpus = await loadCorpus(dir);
    const json = `${JSON.stringify(corpus, null, 2)}\n`;
    if (values.out) {
      try {
        await writeFile(values.out, json);
      } catch {
        throw new AppError(
          'INVALID_INPUT',
          `Cannot write ${values.out}: check that its directory exists and is writable.`,
        );
      }
    } else {
      ctx.out(json);
    }
    // The summary goes to stderr so that stdout stays valid JSON.
    for (const p of corpus.policies) {
      ctx.err(
        `${p.id} (${p.name}): ${p.sections.length} sections, ${p.clauses.length} clauses, ${p.facts.length} facts\n`,
      );
    }
    for (const s of corpus.skipped) ctx.err(`skipped ${s.file}: ${s.reason}\n`);
    return 0;
  },
};
