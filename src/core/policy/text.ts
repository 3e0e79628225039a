import { stemmer } from 'stemmer';

/** Folds every run of white space (including no-break spaces) into one space and trims. */
export function fold(text: string): string {
  return text.replace(/[\s\u00a0\u2000-\u200b\u202f\u205f\u3000]+/g, ' ').trim();
}

/** Lower-cased, folded text for containment checks ("is this quote in the source?"). */
export function comparable(text: string): string {
  return fold(text.normalize('NFKC'))
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/[\u201c\u201d]/g, '"');
}

// Abbreviations after which a full stop does not end a sentence.
const ABBREVIATIONS =
  /(?:\b(?:e\.g|i\.e|etc|inc|ltd|llc|corp|co|no|nr|vs|mr|mrs|ms|dr|st|art|sec|para|approx|incl|esp|cf|u\.s|u\.k|e\.u)\.)$/i;

const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

/**
 * Splits a clause into sentences with Intl.Segmenter, then re-joins the splits it makes after
 * abbreviations ("e.g.", "Inc.") and inside bullet separators, so every sentence is verbatim.
 */
export function sentences(text: string): string[] {
  const out: string[] = [];
  for (const { segment } of segmenter.segment(text)) {
    const s = segment.trim();
    if (!s) continue;
    const prev = out[out.length - 1];
    if (prev !== undefined && (ABBREVIATIONS.test(prev) || /^[a-z0-9(]/.test(s) || s.length < 3)) {
      out[out.length - 1] = `${prev} ${s}`;
    } else {
      out.push(s);
    }
  }
  return out.length > 0 ? out : [text.trim()];
}

/**
 * Words that carry no meaning for retrieval. Kept short on purpose: "not", "no", "all", "any" and
 * "without" matter in privacy text and stay. Chat writes "whats" for "what's": the same stopword.
 * A company's legal form ("OsmAnd B.V.", "Acme Ltd", "Foo GmbH") is part of its name and says
 * nothing of what is asked about it.
 */
export const STOPWORDS = new Set(
  `a an the of to and or in on for is are was were be been being do does did done doing i me my mine
  you your yours we us our ours it its this that these those there here with by at as from into onto
  about over than then so such can could would should shall may might must will also just very
  what which who whom whose how when where why if whether s t ll re ve d m let lets let's please
  tell know want wanted like get got go going am has have had having some their them they theirs his her
  him he she one ones someone anyone anybody somebody
  whats wheres whos hows whens whys thats theres heres etc actually really basically literally honestly quick
  ltd inc llc gmbh bv b.v plc corp pty srl sarl nv n.v`.split(/\s+/),
);

/** Tokens: lower-case words and numbers, keeping inner dots/hyphens ("aes-256", "1.3"). */
export function words(text: string): string[] {
  return (
    text
      .toLowerCase()
      .replace(/[\u2018\u2019]/g, "'")
      // Contractions: "don't" keeps its "not"; "what's", "we'll", "they're" lose the ending.
      .replace(/n't\b/g, ' not')
      .replace(/'(s|re|ll|ve|d|m)\b/g, '')
      .match(/[a-z0-9@]+(?:[.'-][a-z0-9@]+)*/g) ?? []
  );
}

const stemCache = new Map<string, string>();
/** Porter stem (the `stemmer` package), memoised: ingestion and answering stem the same words a lot. */
export function stem(word: string): string {
  let s = stemCache.get(word);
  if (s === undefined) {
    s = /\d/.test(word) ? word : stemmer(word);
    if (stemCache.size < 200_000) stemCache.set(word, s);
  }
  return s;
}

/** Content terms of a text: stemmed, without stopwords. */
export function terms(text: string): string[] {
  return words(text)
    .filter((w) => !STOPWORDS.has(w))
    .map(stem);
}

const NUMBER_WORDS: Record<string, number> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  eighteen: 18,
  twenty: 20,
  thirty: 30,
  forty: 40,
  'forty-five': 45,
  fifty: 50,
  sixty: 60,
  ninety: 90,
  hundred: 100,
};

/** "12", "twelve" or "thirty (30)" as a number. */
export function parseNumber(token: string): number | null {
  const t = token.toLowerCase();
  if (/^\d+$/.test(t)) return Number(t);
  return NUMBER_WORDS[t] ?? null;
}

const NUMBER_RE = `(?:\\d+|${Object.keys(NUMBER_WORDS).join('|')})`;
/** A duration such as "90 days", "twelve (12) months", "7-year", "one year". */
export const DURATION_RE = new RegExp(
  `\\b(${NUMBER_RE})(?:\\s*\\(\\d+\\))?[\\s-]*(business days?|calendar days?|working days?|days?|weeks?|months?|years?)\\b`,
  'i',
);

/** Days in a duration match (months count as 30 and years as 365: for ordering, not for law). */
export function durationDays(amount: number, unit: string): number {
  const u = unit.toLowerCase();
  if (u.includes('week')) return amount * 7;
  if (u.includes('month')) return amount * 30;
  if (u.includes('year')) return amount * 365;
  return amount;
}
