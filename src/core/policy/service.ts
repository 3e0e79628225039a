import { loadIntents } from '../conversation/intents.js';
import { PolicyAnswerer } from './answer.js';
import { loadCorpus } from './ingest.js';
import { INTENTS_DIR, Lexicon, loadLexiconData } from './language.js';
import type { Corpus } from './model.js';

/** Loads a corpus directory and the intents, and returns a ready answerer. */
export async function openPolicies(
  dir: string,
  defaultPolicy?: string,
): Promise<{ corpus: Corpus; answerer: PolicyAnswerer }> {
  const corpus = await loadCorpus(dir);
  return { corpus, answerer: answererFor(corpus, defaultPolicy) };
}

export function answererFor(corpus: Corpus, defaultPolicy?: string): PolicyAnswerer {
  const lexicon = new Lexicon(loadLexiconData());
  return new PolicyAnswerer(corpus, lexicon, loadIntents(INTENTS_DIR), defaultPolicy);
}
