import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { STOPWORDS, stem, words } from './text.js';

/**
 * How questions and policy text are read into comparable terms: shorthand expanded, synonyms folded
 * to one canonical stem, Porter-stemmed, and unknown words corrected to the nearest known one (so
 * "lnog" reads as "long" and "tech" as "technical"). The word lists are data in intents/lexicon.yaml.
 */
const lexiconSchema = z.object({
  synonyms: z.array(z.array(z.string().min(1)).min(2)),
  shorthand: z.record(z.string(), z.string()),
});
export type LexiconData = z.infer<typeof lexiconSchema>;

export const INTENTS_DIR = fileURLToPath(new URL('../../../intents/', import.meta.url));

export function loadLexiconData(file = `${INTENTS_DIR}lexicon.yaml`): LexiconData {
  let raw: unknown;
  try {
    raw = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new AppError('CONFIG', `${file}: cannot read the lexicon (${(error as Error).message})`);
  }
  const parsed = lexiconSchema.safeParse(raw);
  if (!parsed.success) {
    throw new AppError(
      'CONFIG',
      `${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return parsed.data;
}

export class Lexicon {
  /** stem -> canonical stem */
  private readonly canonical = new Map<string, string>();
  /** multi-word phrases (lower case) -> canonical single word */
  private readonly phrases: [RegExp, string][] = [];
  private readonly shorthand: Map<string, string>;
  /** Known words (lower case) for spelling correction, with a frequency. */
  private readonly vocabulary = new Map<string, number>();
  private readonly corrections = new Map<string, string | null>();

  constructor(data: LexiconData) {
    this.shorthand = new Map(Object.entries(data.shorthand));
    for (const group of data.synonyms) {
      const head = stem(group[0]!.toLowerCase());
      for (const member of group) {
        const m = member.toLowerCase();
        if (m.includes(' ')) {
          this.phrases.push([
            new RegExp(`\\b${m.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'g'),
            group[0]!,
          ]);
        } else {
          this.canonical.set(stem(m), head);
        }
        for (const w of words(m)) this.learn(w, 5);
      }
    }
  }

  /** Adds words to the vocabulary used for spelling correction. */
  learn(word: string, weight = 1): void {
    this.vocabulary.set(word, (this.vocabulary.get(word) ?? 0) + weight);
  }

  learnText(text: string): void {
    for (const w of words(text)) this.learn(w);
  }

  /** The canonical stem of one word. */
  termOf(word: string): string {
    const s = stem(word);
    return this.canonical.get(s) ?? s;
  }

  /** Lower-cases, expands shorthand and multi-word synonyms, corrects spelling. */
  normalise(text: string, correct: boolean): string[] {
    let t = ` ${text.toLowerCase().replace(/[\u2018\u2019]/g, "'")} `;
    for (const [re, to] of this.phrases) t = t.replace(re, to);
    const out: string[] = [];
    for (const raw of t.split(/\s+/)) {
      const sh = this.shorthand.get(raw.replace(/[?!.,]+$/, ''));
      for (const w of words(sh ?? raw).flatMap((x) => (/^\d+-[a-z]+$/.test(x) ? x.split('-') : [x]))) {
        out.push(correct ? this.correct(w) : w);
      }
    }
    return out;
  }

  /** Content terms (canonical stems, no stopwords) of a text. */
  terms(text: string, correct = false): string[] {
    return this.normalise(text, correct)
      .filter((w) => !STOPWORDS.has(w))
      .map((w) => this.termOf(w));
  }

  /**
   * The nearest known word within one edit (two for long words), preferring frequent words;
   * known words, numbers and e-mail addresses are left alone.
   */
  correct(word: string): string {
    if (word.length < 4 || /\d|@/.test(word) || this.vocabulary.has(word) || STOPWORDS.has(word)) return word;
    const cached = this.corrections.get(word);
    if (cached !== undefined) return cached ?? word;
    const limit = word.length >= 8 ? 2 : 1;
    let best: string | null = null;
    let bestScore = -1;
    for (const [candidate, freq] of this.vocabulary) {
      if (Math.abs(candidate.length - word.length) > limit) continue;
      const d = editDistance(word, candidate, limit);
      if (d > limit) continue;
      const score = freq / (d + 1);
      if (score > bestScore) {
        best = candidate;
        bestScore = score;
      }
    }
    this.corrections.set(word, best);
    return best ?? word;
  }
}

/** Damerau-Levenshtein (optimal string alignment) distance, giving up past `limit`. */
export function editDistance(a: string, b: string, limit: number): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) rows.push([i]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    let rowMin = Number.POSITIVE_INFINITY;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = v;
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > limit) return limit + 1;
  }
  return rows[a.length]![b.length]!;
}
