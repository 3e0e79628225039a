import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AppError } from '../../../core/errors.js';
import { augmentCorpus, type PolicyExtractionReport } from '../../../core/llm/extract-facts.js';
import { loadCorpus } from '../../../core/policy/ingest.js';
import { type Command, parseOptions } from '../command.js';

const usage = 'privacy-ops ingest [--corpus DIR] [--out FILE] [--llm]';

export const ingestCommand: Command = {
  name: 'ingest',
  summary: 'build the structured corpus and write it as JSON for review',
  usage,
  async run(ctx) {
    const { values } = parseOptions(
      ctx.argv,
      { corpus: { type: 'string' }, out: { type: 'string' }, llm: { type: 'boolean' } },
      usage,
      false,
    );
    const dir = values.corpus ?? ctx.settings.corpusDir;
    let corpus = await loadCorpus(dir);
    let reports: PolicyExtractionReport[] = [];
    if (values.llm) {
      const llm = ctx.services.llm();
      if (!llm)
        throw new AppError(
          'CONFIG',
          'ingest --llm needs an LLM: set OPENAI_MODEL and OPENAI_API_KEY (or OPENAI_BASE_URL for a local server).',
        );
      // Model facts are marked origin "llm" and are not served until reviewed (docs/llm.md).
      ({ corpus, reports } = await augmentCorpus(corpus, llm, {
        timeoutMs: ctx.settings.ingestTimeoutMs,
      }));
    }
    const json = `${JSON.stringify(corpus, null, 2)}\n`;
    if (values.out) {
      try {
        // As `requests export --out`: a file under data/ (ignored by git) needs no mkdir first.
        await mkdir(dirname(values.out), { recursive: true });
        await writeFile(values.out, json);
      } catch {
        throw new AppError(
          'INVALID_INPUT',
          `Cannot write ${values.out}: check that its directory can be created and is writable.`,
        );
      }
    } else {
      ctx.out(json);
    }
    // The summary goes to stderr so that stdout stays valid JSON.
    for (const p of corpus.policies) {
      const report = reports.find((r) => r.policy === p.id);
      const fromLlm = report
        ? ` (${report.added} from the LLM, to review; ${report.rejected} proposals rejected${report.failures.length ? `; ${report.failures.length} requests failed: ${[...new Set(report.failures.map((f) => f.kind))].join(', ')}` : ''})`
        : '';
      ctx.err(
        `${p.id} (${p.name}): ${p.sections.length} sections, ${p.clauses.length} clauses, ${p.facts.length} facts${fromLlm}\n`,
      );
    }
    for (const s of corpus.skipped) ctx.err(`skipped ${s.file}: ${s.reason}\n`);
    return 0;
  },
};
