import { readFile } from 'node:fs/promises';
import { AppError } from '../errors.js';
import { PolicyAnswerer } from './answer.js';
import { loadCorpus } from './ingest.js';
import { loadIntents } from './intents.js';
import { INTENTS_DIR, Lexicon, loadLexiconData } from './language.js';
import { type Corpus, corpusSchema } from './model.js';
import { locateQuote } from './quotes.js';

export interface PolicyServiceOptions {
  /**
   * Answer from facts a model extracted (`origin: 'llm'`, from `ingest --llm`) too. Off by default:
   * they are served only after a person reviewed the corpus file and turned this on.
   */
  trustLlmFacts?: boolean;
}

/** Loads a corpus directory (or a reviewed corpus JSON file) and the intents, and returns a ready answerer. */
export async function openPolicies(
  dir: string,
  defaultPolicy?: string,
  options: PolicyServiceOptions = {},
): Promise<{ corpus: Corpus; answerer: PolicyAnswerer }> {
  const corpus = dir.toLowerCase().endsWith('.json') ? await loadCorpusFile(dir) : await loadCorpus(dir);
  return { corpus, answerer: answererFor(corpus, defaultPolicy, options) };
}

export function answererFor(
  corpus: Corpus,
  defaultPolicy?: string,
  options: PolicyServiceOptions = {},
): PolicyAnswerer {
  const lexicon = new Lexicon(loadLexiconData());
  return new PolicyAnswerer(servedCorpus(corpus, options), lexicon, loadIntents(INTENTS_DIR), defaultPolicy);
}

/**
 * The facts answers may use: model-extracted ones only when trusted, and even then only while
 * their clause exists and their quote is still verbatim in it (a hand-edited file may drift).
 */
export function servedCorpus(corpus: Corpus, options: PolicyServiceOptions = {}): Corpus {
  if (!corpus.policies.some((p) => p.facts.some((f) => f.origin === 'llm'))) return corpus;
  return {
    ...corpus,
    policies: corpus.policies.map((policy) => {
      const clauses = new Map(policy.clauses.map((c) => [c.id, c.text]));
      return {
        ...policy,
        facts: policy.facts.filter((f) => {
          if (f.origin !== 'llm') return true;
          const text = clauses.get(f.source.clauseId);
          return Boolean(options.trustLlmFacts && text && locateQuote(text, f.source.quote));
        }),
      };
    }),
  };
}

/** A structured corpus as written by `privacy-ops ingest --out FILE` (and perhaps reviewed since). */
export async function loadCorpusFile(file: string): Promise<Corpus> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new AppError(
      'CORPUS_MISSING',
      `The corpus file ${file} does not exist or cannot be read. Write one with \`bin/privacy-ops ingest --out ${file}\`.`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError(
      'INVALID_INPUT',
      `The corpus file ${file} is not valid JSON; write it again with \`bin/privacy-ops ingest\`.`,
    );
  }
  const parsed = corpusSchema.safeParse(json);
  if (!parsed.success) {
    const where = parsed.error.issues
      .slice(0, 3)
      .map((i) => i.path.join('.'))
      .join(', ');
    throw new AppError(
      'INVALID_INPUT',
      `The corpus file ${file} does not have the corpus shape (at ${where}); write it again with \`bin/privacy-ops ingest\`.`,
    );
  }
  if (parsed.data.policies.length === 0)
    throw new AppError('CORPUS_EMPTY', `The corpus file ${file} holds no policies.`);
  return parsed.data;
}
