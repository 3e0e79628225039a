import type { Policy } from './model.js';

/**
 * The other names a policy's owner goes by, read from its own words. Staff name the company
 * ("can kandra labs delete messages?", "does 37signals sell data?") as often as the product the
 * policy is filed under; such a name says who is asked, not what, and must not pull the answer
 * towards the one sentence that introduces the company. Three ways a policy says who "we" are:
 *
 * - a definition: `Kandra Labs, Inc. ("Zulip")`, `Monzo Bank Limited ("we", "our", "us")`,
 *   `… and Writeboard (together, "37signals")`: a name whose bracket gives a pronoun or a name
 *   the policy already goes by, or that defines a name no dictionary holds;
 * - who provides it: "The Login.gov service is provided by the U.S. General Services
 *   Administration", "This app is published by the Robert Koch Institute (RKI)";
 * - "We are Monzo Bank Limited".
 *
 * An abbreviation the text gives in brackets after such a name ("(RKI)") is a name too, and so are
 * the initials of a name of two or more words where the policy writes them ("ISRG").
 */
export function ownerNames(policy: Policy, isEnglish: (word: string) => boolean): string[] {
  const known = [policy.name, policy.id];
  const found = new Set<string>();
  const isOwn = (s: string) => {
    const k = key(s);
    return k !== '' && [...known, ...found].some((n) => key(n) === k);
  };
  const add = (name: string) => {
    const n = stripSuffix(name.trim());
    // A single dictionary word ("Foundation", "Services") names too much to be a name.
    const words = n.match(/[\p{L}\p{N}]+/gu) ?? [];
    if (words.length === 0 || (words.length === 1 && isEnglish(words[0]!.toLowerCase()))) return;
    found.add(n);
  };
  for (const clause of policy.clauses) {
    const text = clause.text;
    for (const m of text.matchAll(DEFINITION)) {
      const aliases = [...m[2]!.matchAll(QUOTED)].map((q) => q[1]!.trim());
      if (aliases.length === 0) continue;
      const names = aliases.filter((a) => !PRONOUNS.test(a));
      if (aliases.length > names.length || names.some(isOwn)) {
        add(m[1]!);
        for (const a of names) add(a);
      } else if (/\b(together|collectively)\b/i.test(m[2]!)) {
        // What a list of products is called together, when no dictionary holds the word.
        for (const a of names) if (!isEnglishPhrase(a, isEnglish)) add(a);
      }
    }
    for (const m of text.matchAll(PROVIDER)) {
      // Who provides this service, or the one the policy is named after.
      const before =
        text
          .slice(0, m.index)
          .split(/[.!?]\s/)
          .pop() ?? '';
      if (
        /\b(this|the|our)\b/i.test(before) ||
        [...known, ...found].some((n) => key(before).includes(key(n)))
      )
        add(m[1]!);
    }
    for (const m of text.matchAll(WE_ARE)) add(m[1]!);
  }
  // Abbreviations given in brackets after a name of the owner.
  for (const clause of policy.clauses) {
    for (const m of clause.text.matchAll(ABBREVIATED)) {
      const name = stripSuffix(m[1]!);
      if (isOwn(name) && name[0]!.toUpperCase() === m[2]![0]) found.add(m[2]!);
    }
  }
  // Initials of a name of two or more words, where the policy writes them ("ISRG").
  const initials = new Set<string>();
  for (const name of [...known, ...found]) {
    const words = name.replace(/['’]s\b/g, '').match(/[\p{L}\p{N}]+/gu) ?? [];
    if (words.length >= 2 && words.length <= 6) initials.add(words.map((w) => w[0]!.toUpperCase()).join(''));
  }
  for (const clause of policy.clauses)
    for (const w of clause.text.match(/\b\p{Lu}{2,6}\b/gu) ?? []) if (initials.has(w)) found.add(w);
  return [...found].filter((n) => !isOwn(n) || !known.some((k) => key(k) === key(n)));
}

/** A capitalised name: words that start with a capital or a digit, with "of", "for", "and" inside. */
const WORD = String.raw`[\p{Lu}\p{N}][\p{L}\p{N}&'’-]*(?:\.\p{L}[\p{L}\p{N}]*)*\.?`;
const NAME = String.raw`(${WORD}(?: (?:(?:of|for|and|the|&) )?${WORD}){0,6}(?:,? (?:Inc|LLC|Ltd|Limited|GmbH|AG|plc|Corp)\.?)?)`;
const DEFINITION = new RegExp(String.raw`${NAME}\s*\(((?:[^()"“”]|["“][^"“”]{1,60}["”]){1,160})\)`, 'gu');
const QUOTED = /["“]\s*(?:\*\*)?([^"“”*]{1,60}?)(?:\*\*)?\s*["”]/g;
const PRONOUNS = /^(we|us|our|ours|i|me)$/i;
const PROVIDER = new RegExp(
  String.raw`\b(?:is|are)\s+(?:an?\s+[\p{L}\s-]{0,40}?\s+)?(?:provided|published|operated|run|owned|maintained|offered|developed|managed|built)\s+by\s+(?:the\s+)?${NAME}`,
  'gu',
);
const WE_ARE = new RegExp(String.raw`(?:^|[.!?]\s+)We are (?:the\s+)?${NAME}`, 'gu');
const ABBREVIATED = new RegExp(
  String.raw`${NAME}\s*\((?:<[^>]+>|\*\*)?(\p{Lu}{2,6})(?:<[^>]+>|\*\*)?\)`,
  'gu',
);
/** A capitalised word that opens a sentence, not a name: "At Kandra Labs". */
const LEADING = /^(?:(?:At|By|From|For|And|The|This|That|With|To|In|On|Of|Our|Your|If|When|As|All|Any)\s+)+/;
const SUFFIX = /,?\s+(?:Inc|LLC|Ltd|Limited|GmbH|AG|SA|S\.A|BV|B\.V|plc|PLC|Corp|Corporation|Co)\.?$/;

function stripSuffix(name: string): string {
  return name
    .replace(/(?<!\b\p{L})\.\s.*$/u, '')
    .replace(LEADING, '')
    .replace(/[.,]+$/, '')
    .replace(SUFFIX, '')
    .trim();
}

function key(name: string): string {
  return stripSuffix(name)
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

function isEnglishPhrase(phrase: string, isEnglish: (word: string) => boolean): boolean {
  const words = phrase.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.length > 0 && words.every((w) => isEnglish(w));
}
