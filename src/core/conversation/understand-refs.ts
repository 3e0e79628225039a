import { VERBS } from './command-words.js';
import type { RequestMatch, RequestRef } from './fields.js';
import { LAW_WORDS, TYPE_WORDS } from './law-and-type-words.js';
import { cityNamed, placeNamed } from './places.js';
import { byRequesterName } from './understand-names.js';
import {
  DESCRIPTION_FILLER,
  type DescribedStatus,
  FOCUS_WORDS,
  RECEIVED_DAY_WORDS,
  REQUEST_NOUNS,
  STATUS_DESCRIPTIONS,
} from './vocabulary.js';

/**
 * The request a line names: by id ("DSR-2026-0003"), number ("#3", "0003", "request 3"), description
 * ("the uk one"), requester ("the bob smith one") or "it" (the one in focus); and whether a number is
 * a request's or part of a date.
 */

export const ID_RE = /\bDSR-(\d{4})-(\d{1,6})\b/i;

function padId(year: string | number, n: string | number): string {
  return `DSR-${year}-${String(Number(n)).padStart(4, '0')}`;
}

const MONTH =
  '(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';
/** A day of the month beside a month's name ("15 oct", "nov 23", "3rd of may"), or a year after one. */
const DATE_AFTER = new RegExp(`^(?:st|nd|rd|th)?\\s*(?:of\\s+)?${MONTH}(?![a-z])`);
const DATE_BEFORE = new RegExp(`(?:^|[^a-z])${MONTH}\\s*(?:\\d{1,2}(?:st|nd|rd|th)?,?\\s*)?(?:the\\s+)?$`);

/** Whether the number at [at, end) is part of a date: a day beside a month name, or a year. */
export function partOfDate(lower: string, at: number, end: number): boolean {
  return DATE_AFTER.test(lower.slice(end)) || DATE_BEFORE.test(lower.slice(0, at));
}

/**
 * Whether a line names a request outright (its id, "#3", "0003", "request 3") rather than with a
 * bare number that might be anything.
 */
export function namedOutright(lower: string, ws: string[]): boolean {
  const found = findRef(lower, ws);
  return Boolean(found && !('it' in found.ref) && found.outright);
}

/** The request a line names, and where in the line it does. */
export function findRef(
  lower: string,
  ws: string[],
): { ref: RequestRef; at: number; end: number; outright?: boolean } | undefined {
  const id = ID_RE.exec(lower);
  if (id)
    return { ref: { id: padId(id[1]!, id[2]!) }, at: id.index, end: id.index + id[0].length, outright: true };
  // A request number matched in the line (its first group), where it stands.
  const numbered = (m: { 1?: string; 0: string; index: number }, outright = true) => ({
    ref: { number: Number(m[1]) },
    at: m.index,
    end: m.index + m[0].length,
    ...(outright ? { outright: true } : {}),
  });
  const notADate = (m: RegExpMatchArray) => !partOfDate(lower, m.index!, m.index! + m[0].length);
  const hash = /(?:^|\s|\()#(\d{1,6})\b/.exec(lower);
  if (hash) return numbered(hash);
  // A number written with leading zeros is a request number (0003); a year (2026) is not, nor is a
  // day of the month ("05 oct").
  const padded = [...lower.matchAll(/(?<![\d-])\b(0\d{2,5})\b(?![\d-])/g)].find(notADate);
  if (padded) return numbered(padded as RegExpExecArray);
  const named = [...lower.matchAll(/\b(?:request|req|dsr|number|no\.?)\s*#?(\d{1,6})\b/g)].find(notADate);
  if (named) return numbered(named as RegExpExecArray);
  // "extend 1": a verb and a bare number, nothing else.
  if (ws.length === 2 && /^\d{1,4}$/.test(ws[1]!) && VERBS.some((v) => v.re.test(ws[0]!)))
    return { ref: { number: Number(ws[1]) }, at: lower.lastIndexOf(ws[1]!), end: lower.length };
  // "mark 1 as done", "whats the status of 2": a verb and a bare number that is no date, time or
  // period ("the 3rd", "11/30", "10 days").
  const bare = [
    ...lower.matchAll(
      /(?<![\d/.:-])\b(\d{1,4})\b(?![/.:-]?\d|\s*(?:st|nd|rd|th|days?|weeks?|months?|years?|hours?|am|pm)\b)/g,
    ),
  ].find(notADate);
  if (bare && VERBS.some((v) => v.re.test(lower))) return numbered(bare as RegExpExecArray, false);
  // "the uk one", "the german deletion request": what the request is, before who made it.
  const described = VERBS.some((v) => v.re.test(lower)) ? byDescription(lower) : undefined;
  if (described) return described;
  const person = VERBS.some((v) => v.re.test(lower)) ? byRequesterName(lower) : undefined;
  if (person) return person;
  const it = FOCUS_WORDS.exec(lower);
  if (it) return { ref: { it: true }, at: it.index, end: it.index + it[0].length };
  return undefined;
}

/** The most words a description runs to ("the unassigned uk gdpr deletion one"). */
const DESCRIPTION_MAX_WORDS = 6;

/**
 * What a run of words says a request is: its place, law, type and state, each from the tables of
 * `vocabulary.ts`; undefined when a word is none of these (a name, "the bob smith one") or when
 * the words say nothing at all.
 */
function describe(words: string[]): Omit<RequestMatch, 'said'> | undefined {
  const out: Omit<RequestMatch, 'said'> = {};
  let i = 0;
  let said = false;
  while (i < words.length) {
    let took = 0;
    for (const n of [3, 2, 1]) {
      if (i + n > words.length) continue;
      const phrase = words.slice(i, i + n).join(' ');
      const law = LAW_WORDS[phrase];
      const type = TYPE_WORDS[phrase];
      const status = STATUS_DESCRIPTIONS[phrase] as DescribedStatus | undefined;
      const place = law || type || status ? undefined : (placeNamed(phrase) ?? cityNamed(phrase));
      if (law) out.regime = law;
      else if (type) out.type = type;
      else if (status) out.status = status;
      else if (place && !place.ask) {
        out.country = place.country;
        if (place.region) out.region = place.region;
      } else if (n === 1 && DESCRIPTION_FILLER.has(phrase)) {
        took = 1;
        break;
      } else continue;
      took = n;
      said = true;
      break;
    }
    if (!took) return undefined;
    i += took;
  }
  return said ? out : undefined;
}

/**
 * A request named by what it is: "the uk one", "the german deletion request", "the overdue one",
 * "the one from california", "the request under ccpa". Only the description is read; which
 * requests fit is the register's to say (one is acted on, several are asked about).
 */
export function byDescription(lower: string): { ref: RequestRef; at: number; end: number } | undefined {
  const tokens = [...lower.matchAll(/[\p{L}][\p{L}'’-]*|[^\s\p{L}]+/gu)].map((m) => ({
    w: m[0],
    at: m.index,
    end: m.index + m[0].length,
  }));
  const found = (run: typeof tokens, at: number, end: number) => {
    const d = describe(run.map((t) => t.w));
    return d ? { ref: { match: { ...d, said: lower.slice(at, end) } }, at, end } : undefined;
  };
  for (let i = 0; i < tokens.length; i++) {
    if (!/^(?:the|that|this)$/.test(tokens[i]!.w)) continue;
    // "the one from california", "the request in the uk": a noun, then where or under which law.
    const noun = tokens[i + 1];
    if (noun && REQUEST_NOUNS.test(noun.w) && /^(?:from|in|under|for)$/.test(tokens[i + 2]?.w ?? '')) {
      let j = i + 3;
      // "start on the one from yesterday": the day it came in.
      const day = RECEIVED_DAY_WORDS[tokens[j]?.w ?? ''];
      if (day !== undefined && tokens[i + 2]!.w === 'from')
        return {
          ref: { match: { receivedDaysAgo: day, said: lower.slice(tokens[i]!.at, tokens[j]!.end) } },
          at: tokens[i]!.at,
          end: tokens[j]!.end,
        };
      if (tokens[j]?.w === 'the') j++;
      const run = tokens.slice(j, j + 3).filter((t) => /^\p{L}/u.test(t.w));
      for (let n = run.length; n > 0; n--) {
        const r = found(run.slice(0, n), tokens[i]!.at, run[n - 1]!.end);
        if (r) return r;
      }
      continue;
    }
    // "the uk one", "the german deletion request", "the gdpr one": words up to a noun for a request,
    // or up to the end of the words when the last says its type ("close the german deletion").
    const run: typeof tokens = [];
    let j = i + 1;
    for (; j < tokens.length && run.length < DESCRIPTION_MAX_WORDS; j++) {
      if (!/^\p{L}/u.test(tokens[j]!.w) || REQUEST_NOUNS.test(tokens[j]!.w)) break;
      run.push(tokens[j]!);
    }
    const next = tokens[j];
    if (run.length === 0) continue;
    if (next && REQUEST_NOUNS.test(next.w)) {
      const r = found(run, tokens[i]!.at, next.end);
      if (r) return r;
      continue;
    }
    // No noun: the longest start of the run that is a description ending in a request type.
    for (let n = run.length; n > 0; n--) {
      if (!(run[n - 1]!.w in TYPE_WORDS)) continue;
      const r = found(run.slice(0, n), tokens[i]!.at, run[n - 1]!.end);
      if (r) return r;
    }
  }
  return undefined;
}
