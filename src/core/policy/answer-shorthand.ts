import type { ClauseIndex } from './answer-index.js';
import { THRESHOLDS } from './evidence.js';
import { englishWords, type Lexicon } from './language.js';
import type { Policy } from './model.js';
import { STOPWORDS } from './text.js';

/** Shorthand in a question spelled out from the words of the policy it is asked of. */
export class Shorthand {
  /** Each policy's spelled-out shorthand, read once. */
  private readonly acronyms = new Map<string, Map<string, string>>();

  constructor(
    private readonly lexicon: Lexicon,
    private readonly clauses: ClauseIndex,
  ) {}

  /**
   * A question with shorthand spelled out from the policy's own words: a short word the policy
   * never uses that is the initials of a run of its capitalised words ("DNT": "Do Not Track";
   * "SCCs": "Standard Contractual Clauses") reads as those words, and the initials or the start of
   * the policy's own name ("PG", "moz") are dropped, as its full name would be.
   */
  spellOut(policy: Policy, question: string): string {
    const vocabulary = this.clauses.vocabularyOf(policy);
    // "LE" for "Let's Encrypt": a possessive is no word of the name.
    const name =
      policy.name
        .toLowerCase()
        .replace(/['’]s\b/g, '')
        .match(/[a-z0-9]+/g) ?? [];
    const ownInitials = name.length > 1 ? name.map((w) => w[0]).join('') : '';
    let acronyms: Map<string, string> | undefined;
    return question.replace(/\b[A-Za-z]{2,6}\b/g, (token) => {
      const lower = token.toLowerCase();
      const single = lower.replace(/s$/, '');
      if (STOPWORDS.has(lower) || vocabulary.has(this.lexicon.termOf(lower)) || isCommonWord(lower))
        return token;
      if (
        lower === ownInitials ||
        single === ownInitials ||
        (lower.length >= 3 && name[0]?.startsWith(lower))
      )
        return '';
      acronyms ??= this.acronymsOf(policy);
      return acronyms.get(lower) ?? acronyms.get(single) ?? token;
    });
  }

  /** Initials of runs of two to five capitalised words in a policy, read once. */
  acronymsOf(policy: Policy): Map<string, string> {
    let map = this.acronyms.get(policy.id);
    if (!map) {
      map = new Map();
      const run = /\b(?:[A-Z][\p{L}]*)(?:\s+(?:(?:of|the|and|for|to|a|on)\s+)?[A-Z][\p{L}]*){1,4}/gu;
      for (const clause of policy.clauses) {
        for (const m of clause.text.matchAll(run)) {
          const words = m[0].split(/\s+/);
          // Every run of two or more of its words: "Do Not Track HTTP" holds "Do Not Track".
          for (let from = 0; from < words.length - 1; from++) {
            for (let to = from + 2; to <= words.length; to++) {
              const phrase = words.slice(from, to);
              if (!/^[A-Z]/.test(phrase[0]!) || !/^[A-Z]/.test(phrase[phrase.length - 1]!)) continue;
              const capitals = phrase.filter((w) => /^[A-Z]/.test(w));
              for (const ws of [capitals, phrase]) {
                const initials = ws.map((w) => w[0]!.toLowerCase()).join('');
                if (initials.length >= 2 && !map.has(initials)) map.set(initials, phrase.join(' '));
              }
            }
          }
        }
      }
      this.acronyms.set(policy.id, map);
    }
    return map;
  }
}

/** A word of everyday English (SCOWL lists up to size 35): never shorthand, often phrasing. */
export function isCommonWord(word: string): boolean {
  return (englishWords().get(word) ?? 99) <= THRESHOLDS.commonWordLevel;
}

/** The words of a question written with a capital inside it: names ("Stripe", "ISO 27001"). */
export function namesIn(question: string): string {
  return (
    question.match(/(?<=[\p{L}\p{N},;:)]\s+)(?:[A-Z][\p{L}\p{N}]*[A-Z0-9][\p{L}\p{N}]*|[A-Z][a-z]+)/gu) ?? []
  ).join(' ');
}
