import { englishWords, type Lexicon } from './language.js';
import type { Policy } from './model.js';
import { STOPWORDS, stem } from './text.js';

export interface NameMatcher {
  id: string;
  spellings: string[];
  queryTerms: Set<string>;
  /** Other names of its owner ("Kandra Labs" for Zulip), each dropped where a question says it. */
  aliases: { spelling: string; terms: Set<string> }[];
  /** The terms of its name and id that are no English word ("opifexhq", "opifex"). */
  properTerms: Set<string>;
}

/** A name or question as the words a name is matched on: "Login.gov" -> "login gov". */
export function spellingOf(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/**
 * The terms of a policy's name and id that are no English word: "QuaymarkHQ" is itself and its
 * parts "Quaymark" and "HQ", however a dictionary would cut them. An English word of the name
 * ("weather" in "Weather Radar") may still be what a question asks about.
 */
export function properNameTerms(
  policy: Policy,
  lexicon: Lexicon,
  owners: readonly string[] = [],
): Set<string> {
  const english = englishWords();
  // The owner's other names ("Kandra Labs", "RKI") count like the policy's own.
  const name = [policy.name, policy.name.replace(/(?<=[a-z])(?=[A-Z])/g, ' '), policy.id, ...owners].join(
    ' ',
  );
  const out = new Set(
    (name.toLowerCase().match(/[a-z0-9]+/g) ?? [])
      .filter((w) => !english.has(w) && !STOPWORDS.has(w))
      .map((w) => lexicon.termOf(w)),
  );
  // An English word of the name that the policy itself only ever writes as a name, capitalised
  // ("Studio" for Kolibri Studio), and never in lower case in any form ("encryption" keeps
  // "encrypt" of Let's Encrypt a subject).
  const englishOfName = new Set(
    (policy.name.match(/[A-Za-z0-9]+/g) ?? [])
      .map((w) => w.toLowerCase())
      .filter((w) => english.has(w) && !STOPWORDS.has(w))
      .map((w) => lexicon.termOf(w)),
  );
  if (englishOfName.size > 0) {
    const capitalised = new Map<string, number>();
    const lower = new Set<string>();
    // Addresses ("studio.example.org") are written in lower case whatever they name.
    for (const clause of policy.clauses)
      for (const w of clause.text.replace(/\S*\w[.@/]\w\S*/g, ' ').match(/[A-Za-z][a-z]+/g) ?? []) {
        const t = lexicon.termOf(w.toLowerCase());
        if (!englishOfName.has(t)) continue;
        if (w[0] === w[0]!.toLowerCase()) lower.add(t);
        else capitalised.set(t, (capitalised.get(t) ?? 0) + 1);
      }
    for (const [t, n] of capitalised) if (n >= 2 && !lower.has(t)) out.add(t);
  }
  // The name written as one word ("openhumans" for "Open Humans").
  const words = policy.name.toLowerCase().match(/[a-z0-9]+/g) ?? [];
  for (let from = 0; from < words.length; from++)
    for (let to = from + 2; to <= words.length; to++) {
      const joined = words.slice(from, to).join('');
      if (!english.has(joined)) out.add(stem(joined));
    }
  return out;
}
