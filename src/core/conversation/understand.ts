import { englishWords } from '../policy/language.js';
import { addDays } from '../requests/calendar.js';
import { REGIMES, type Regime, type RequestType } from '../requests/deadlines.js';
import { todayIn } from '../requests/input.js';
import type { Outcome } from '../requests/model.js';
import { DUE_SOON_DAYS, dueHorizon, namesYearlyDay, readDates, receivedDate } from './dates.js';
import {
  type DescribedStatus,
  type DraftFields,
  EMAIL_RE,
  findPhone,
  findPhrase,
  findPlace,
  findPostalAddress,
  maskContacts,
  nameCase,
  type RequestMatch,
  type RequestRef,
  readFields,
  readRequesterEdit,
} from './fields.js';
import {
  ABOUT_POLICY,
  ACK_WORDS,
  APPEAL_CUE,
  APPEAL_REF,
  ASKS_WHEN,
  ASSIGN_LAST,
  BEFORE_DAY,
  BY_LAW_CUE,
  BY_LAW_MAX_WORDS,
  BY_LAW_WORDS,
  CLOSE_COMMAND_AT_END,
  CLOSE_COMMAND_AT_START,
  CORRECTION_CUE,
  COUNT_WORDS,
  cityNamed,
  DEADLINE_CUE,
  DESCRIPTION_FILLER,
  DISCARD_CUE,
  DOMAIN_WORDS,
  dateOrderOf,
  EDIT_CUE,
  EDIT_FIELD,
  FILLER_WORDS,
  FOCUS_WORDS,
  FOLLOW_UP_LEAD,
  FOREIGN_TYPE_WORDS,
  GREETING,
  HELP,
  INTAKE_CUE,
  KEYBOARD_ROWS,
  LAW_WORDS,
  LIST_ANCHOR,
  LIST_VOCABULARY,
  LOG_WORDS,
  lawOf,
  MINE,
  NAME_CHANGE,
  NAME_FOR_NAME,
  NAME_SPELLING,
  NAMED_YES_FILLER,
  NEW_REQUEST_ALONE,
  NO_NAME_ANSWER,
  NO_PHRASES,
  NO_WORDS,
  NOT_DISCARD,
  NOT_IN_REGISTER,
  NOT_NAME_WORDS,
  OUTCOME_WORDS,
  POLITE_INTAKE,
  PRAISE_WORDS,
  placeNamed,
  RECEIVED_DAY_WORDS,
  RECEIVED_EDIT_CUE,
  RECEIVED_FIELD,
  REMINDER_CUE,
  REMINDERS_HOW,
  REPLACE_CUE,
  REQUEST_NOUNS,
  SHOW_ALONE,
  STATUS_DESCRIPTIONS,
  THANKS,
  THANKS_WORDS,
  TYPE_WORDS,
  UNOWNED,
  VERB_NAMES,
  VERB_OBJECT,
  VERBS,
  type Verb,
  WHAT_IF_CUE,
  YES_PHRASES,
  YES_WORDS,
} from './vocabulary.js';

/**
 * What a line of chat means, decided from the whole line before anything is done: a command on
 * the register, a one-line intake, an answer to a waiting draft, a deadline, a list, small talk, or
 * a question for the policy. The same reading serves the console, Slack and Teams. Where two
 * readings are equally good it asks (`clarify`) rather than guessing.
 */

export type { DraftFields, RequestMatch, RequestRef, Verb };
export { readFields };

export type ListStatus = 'open' | 'overdue' | 'all' | 'closed';

export type Understanding =
  | { kind: 'intake'; fields: DraftFields }
  /**
   * A correction of the waiting draft. `was`: the old name the line quotes ("… not Lee"), which
   * picks the draft it is about among the waiting and the queued ones.
   */
  | { kind: 'correct'; fields: DraftFields; was?: { name: string } }
  /** The requester's name or contact (email, phone number, postal address) of a logged request put right. */
  | {
      kind: 'edit';
      ref: RequestRef;
      fields: { name?: string; email?: string; phone?: string; address?: string };
    }
  /**
   * A yes to the waiting draft. `named`: the requester's name said with it ("ok yes save klaus"):
   * the yes counts only when the waiting draft is theirs (the engine checks).
   */
  | { kind: 'confirm'; named?: string }
  | { kind: 'cancel' }
  | {
      kind: 'request';
      verb: Verb;
      ref: RequestRef;
      outcome?: Outcome;
      /** "me" for the person speaking. */
      owner?: string;
      note?: string;
    }
  | {
      kind: 'list';
      status: ListStatus;
      mine: boolean;
      dueBy?: string;
      regime?: Regime;
      /** "how many …": the number is said before the list. */
      count?: boolean;
      /** "which ones have no owner": only the open requests nobody owns. */
      unassigned?: boolean;
      /**
       * Asked for by law alone ("anything under ccpa?"): a list for the privacy team; for anyone
       * else the line is a question for the policy.
       */
      byLaw?: boolean;
    }
  /** "change the received date on 3 to nov 28": the received date of a logged request put right. */
  | { kind: 'redate'; ref: RequestRef; received: string }
  | DeadlineAsked
  | { kind: 'question'; text: string }
  /** "send the reminders": how reminders go out, and what they are about now. */
  | { kind: 'reminders' }
  /** With a new intake queued behind the waiting draft: drop the waiting one, take the new one. */
  | { kind: 'replace' }
  | { kind: 'smalltalk'; what: 'greeting' | 'thanks' | 'ack' | 'no-draft' | 'noise' }
  | { kind: 'help' }
  | { kind: 'form' }
  | {
      kind: 'clarify';
      question: string;
      /** The request the question is about ("close 0003": as what?), to check it exists. */
      ref?: RequestRef;
      /** A deadline question that named no law: its day and type, for the answer that names one. */
      deadline?: Omit<DeadlineAsked, 'regime'>;
    };

/** A deadline question: a law's deadline for a request received on a day. */
export interface DeadlineAsked {
  kind: 'deadline';
  regime: Regime;
  received: string;
  receivedSaid: boolean;
  type?: RequestType;
  country?: string;
  region?: string;
  extended: boolean;
}

export interface LineContext {
  now: Date;
  timeZone: string;
  /** A one-line intake is waiting for yes, no or a correction. */
  draft?: boolean;
  /** Another intake, sent while the draft waited, is queued behind it. */
  queued?: boolean;
  /** The chat has just asked how to close this request (its id): an outcome alone answers it. */
  awaiting?: { outcome: string };
  /**
   * The deadline question asked just before (or one asked without a law): "and under lgpd?" asks
   * it again under another law, for the same day and type.
   */
  lastDeadline?: Omit<DeadlineAsked, 'regime'> & { regime?: Regime };
}

/** The longest line judged off topic before the policies are asked (a chat sentence, not a paste). */
const OFF_TOPIC_MAX_WORDS = 12;
const OFF_TOPIC_MAX_CHARS = 200;
/** The longest line a "thanks" in it makes a thank-you (a chat sentence, not a request). */
const THANKS_MAX_WORDS = 10;

/** A request imagined ("if a … came in", "say a … arrived", "suppose we got …"), not reported. */
const HYPOTHETICAL =
  /^(?:if|say|suppose|supposing|assuming|imagine|what if|hypothetically)\b|\b(?:if|suppose|say) (?:an?|we|one|someone|it|they)\b.*\b(?:came|comes|arrived|arrives|got|get|gets|received|receive)\b/;

const ID_RE = /\bDSR-(\d{4})-(\d{1,6})\b/i;

const QUESTION_START =
  /^(?:how|what|what's|whats|who|whom|whose|where|when|why|which|do|does|did|can|could|is|are|was|were|should|would|will|may|might|have|has|must)\b(?!\s+not\b)/;

function isQuestion(lower: string): boolean {
  return /\?\s*$/.test(lower) || QUESTION_START.test(lower);
}

function words(lower: string): string[] {
  return lower
    .split(/\s+/)
    .map((w) =>
      w.replace(/^[^\p{L}\p{N}\p{Extended_Pictographic}#@]+|[^\p{L}\p{N}\p{Extended_Pictographic}]+$/gu, ''),
    )
    .filter(Boolean);
}

/** The phrases of yes and no, longest first, each as one pattern. */
const ANSWER_PHRASES = [
  ...YES_PHRASES.map((p) => ({ p, as: 'yes' })),
  ...NO_PHRASES.map((p) => ({ p, as: 'no' })),
]
  .sort((a, b) => b.p.length - a.p.length)
  .map(({ p, as }) => ({ re: new RegExp(`(?<![\\p{L}'])${p}(?![\\p{L}'])`, 'gu'), as }));

/**
 * A line made only of yes words (or only no words), yes or no phrases and fillers: "ok log it",
 * "nah scrap that", "good to go", "hold off, don't log that".
 */
function yesOrNo(words: string[]): 'yes' | 'no' | undefined {
  let joined = words.join(' ');
  for (const { re, as } of ANSWER_PHRASES) joined = joined.replace(re, as);
  const ws = joined.split(' ').filter(Boolean);
  if (ws.length === 0 || ws.length > 6) return undefined;
  let yes = 0;
  let no = 0;
  for (const w of ws) {
    if (NO_WORDS.has(w)) no++;
    else if (YES_WORDS.has(w)) yes++;
    else if (!FILLER_WORDS.has(w)) return undefined;
  }
  return no > 0 ? 'no' : yes > 0 ? 'yes' : undefined;
}

/**
 * A yes with a word of logging and a requester's name, besides fillers: "ok yes save klaus", "yep,
 * log jane roe's", "sure, go ahead with jane", "yes log the one for jane roe". The name (one to
 * three name words) is returned; undefined when any other word is said ("yes but the date is the
 * 28th" corrects the draft) or a no word.
 */
function namedYes(words: string[]): string | undefined {
  if (words.length > 10 || !words.some((w) => LOG_WORDS.has(w))) return undefined;
  let joined = words.join(' ');
  for (const { re, as } of ANSWER_PHRASES) joined = joined.replace(re, as);
  const name: string[] = [];
  let yes = 0;
  for (const typed of joined.split(' ').filter(Boolean)) {
    const w = typed.replace(/['’]s$/, '');
    if (NO_WORDS.has(w)) return undefined;
    if (YES_WORDS.has(w)) yes++;
    else if (FILLER_WORDS.has(w) || NAMED_YES_FILLER.has(w)) continue;
    else if (nameWord(w, VERB_NAMES.has(w))) name.push(w);
    else return undefined;
  }
  return yes > 0 && name.length > 0 && name.length <= 3 ? name.join(' ') : undefined;
}

/** "it's Joan Roe not Jane Roe": two names, neither of which is a request type, a law or a place. */
function nameForName(line: string): RegExpExecArray | null {
  const m = NAME_FOR_NAME.exec(line);
  if (!m) return null;
  const notName = (said: string) => {
    const w = said.toLowerCase();
    return (
      w in TYPE_WORDS ||
      w in LAW_WORDS ||
      Boolean(placeNamed(w)) ||
      w.split(/\s+/).some((x) => x in TYPE_WORDS || x in LAW_WORDS || Boolean(placeNamed(x)))
    );
  };
  return notName(m[1]!) || notName(m[2]!) ? null : m;
}

/** A word of English, or of the words this chat knows (laws, request types, places). */
function knownWord(w: string): boolean {
  return (
    englishWords().has(w) ||
    DOMAIN_WORDS.has(w) ||
    w in LAW_WORDS ||
    w in TYPE_WORDS ||
    Boolean(findPlace(w, w, 'after-in'))
  );
}

function smalltalk(lower: string, ws: string[]): Understanding | undefined {
  if (!/[\p{L}\p{N}]/u.test(lower)) return { kind: 'smalltalk', what: 'noise' };
  if (
    ws.length <= 4 &&
    GREETING.test(lower) &&
    ws.slice(1).every((w) => /^(?:there|all|team|bot|everyone|folks|privacy-ops|morning)$/.test(w))
  )
    return { kind: 'smalltalk', what: 'greeting' };
  if (ws.some((w) => THANKS.test(w)) && ws.every((w) => THANKS_WORDS.has(w) || YES_WORDS.has(w)))
    return { kind: 'smalltalk', what: 'thanks' };
  // "thanks, you're a lifesaver", "many thanks for sorting that out": thanks anywhere in a short
  // line that asks for nothing (no request, address, request type, question or lifecycle verb).
  if (
    ws.length <= THANKS_MAX_WORDS &&
    ws.some((w) => THANKS.test(w)) &&
    !/[\d@#]/.test(lower) &&
    !isQuestion(lower) &&
    !firstVerb(lower) &&
    !findPhrase(lower, TYPE_WORDS)
  )
    return { kind: 'smalltalk', what: 'thanks' };
  if (
    ws.length <= 3 &&
    ws.every((w) => ACK_WORDS.has(w) || YES_WORDS.has(w) || FILLER_WORDS.has(w)) &&
    !firstVerb(lower)
  )
    return { kind: 'smalltalk', what: 'ack' };
  // Keyboard mash: one "word" typed along a single row of keys, or without any vowel.
  if (ws.length === 1 && /^[a-z]{4,}$/.test(ws[0]!)) {
    const w = ws[0]!;
    if (KEYBOARD_ROWS.some((row) => [...w].every((c) => row.includes(c))) || !/[aeiouy]/.test(w))
      return { kind: 'smalltalk', what: 'noise' };
  }
  // A few "words" none of which is English or a word of this work ("qwer asdf zxcv").
  if (ws.length >= 2 && ws.length <= 6 && ws.every((w) => /^[a-z]+$/.test(w) && !knownWord(w)))
    return { kind: 'smalltalk', what: 'noise' };
  return undefined;
}

/** "request", "log a request", "new DSAR request": the request form, where the channel has one. */
export const FORM_RE =
  /^(?:please\s+)?(?:(?:log|file|add|create|open|new|record|start)\s+)?(?:an?\s+)?(?:new\s+)?(?:(?:rights|dsr|dsar|data[- ]subject|privacy)\s+)?request(?:\s+form)?[.!]?$|^form$/i;

function padId(year: string | number, n: string | number): string {
  return `DSR-${year}-${String(Number(n)).padStart(4, '0')}`;
}

const MONTH =
  '(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';
/** A day of the month beside a month's name ("15 oct", "nov 23", "3rd of may"), or a year after one. */
const DATE_AFTER = new RegExp(`^(?:st|nd|rd|th)?\\s*(?:of\\s+)?${MONTH}(?![a-z])`);
const DATE_BEFORE = new RegExp(`(?:^|[^a-z])${MONTH}\\s*(?:\\d{1,2}(?:st|nd|rd|th)?,?\\s*)?(?:the\\s+)?$`);

/** Whether the number at [at, end) is part of a date: a day beside a month name, or a year. */
function partOfDate(lower: string, at: number, end: number): boolean {
  return DATE_AFTER.test(lower.slice(end)) || DATE_BEFORE.test(lower.slice(0, at));
}

/**
 * Whether a line names a request outright (its id, "#3", "0003", "request 3") rather than with a
 * bare number that might be anything.
 */
function namedOutright(lower: string, ws: string[]): boolean {
  const found = findRef(lower, ws);
  return Boolean(found && !('it' in found.ref) && found.outright);
}

/** The request a line names, and where in the line it does. */
function findRef(
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
function byDescription(lower: string): { ref: RequestRef; at: number; end: number } | undefined {
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

/**
 * Words that never start or make a requester's name in "the X one", "from X", nor before an "'s"
 * that means "is" ("who's working on what", "here's the thing").
 */
const NOT_IN_NAME = new Set(
  'the a an my our your his her their its this that these those it one ones me us we you they them he she i new old last latest first other same another customer requester user consumer employee someone somebody put set get let make bring keep leave place pop stick please pls who what where when why how here there everyone everybody anyone anybody nobody nothing something everything which whose'.split(
    ' ',
  ),
);

/** A giving to a person: "sent X his data", "emailed X her copy", "told X their …". */
const GIVING =
  /^(?:sent|send|sending|gave|give|given|giving|emailed|email|mailed|posted|told|tell|showed|forwarded|forward)$/;

/**
 * A word that may be part of a requester's name (the register decides whether anyone has it).
 * `asName`: it stands where a name does (before a possessive, or after a first name: "lisa
 * park"), so a word that is also a command's ("park", "close") may be one.
 */
function nameWord(w: string, asName = false): boolean {
  return (
    /^\p{L}[\p{L}'’-]*$/u.test(w) &&
    !/['’](?:ll|d|m|re|ve|t)$/.test(w) &&
    !NOT_IN_NAME.has(w) &&
    !NOT_NAME_WORDS.has(w) &&
    !knownWordOfWork(w) &&
    (asName || (!VERBS.some((v) => v.re.test(w)) && !OUTCOME_WORDS.some((o) => o.re.test(w))))
  );
}

/** Whether a word is among the commonest of English ("the", "more", "grant", "stone"). */
function commonWord(w: string): boolean {
  return (englishWords().get(w) ?? 99) <= COMMON_WORD_SIZE;
}

/**
 * One to three name words ending (or, `from`, starting) at a place in the line, and not all common
 * words. A word of a command after the first is a name's ("lisa park", "jo close"); a run that ends
 * in a possessive ("mark's", "grant stone's") is a name whatever its words: the possessive says so.
 */
function nameRun(ws: string[], possessive = false): string | undefined {
  if (ws.length === 0 || ws.length > 3) return undefined;
  if (!ws.every((w, i) => nameWord(w, possessive || (i > 0 && VERB_NAMES.has(w))))) return undefined;
  if (!possessive && ws.every(commonWord)) return undefined;
  return ws.join(' ');
}

/**
 * A request named by its requester: "the bob smith one", "dana white's deletion", "the request
 * from Jane Doe", "kevin wu withdrew his request". Only the name is read; which open request has
 * that requester is the register's to say.
 */
function byRequesterName(lower: string): { ref: RequestRef; at: number; end: number } | undefined {
  const found = (name: string | undefined, at: number, end: number) =>
    name ? { ref: { name }, at, end } : undefined;
  const tokens = [...lower.matchAll(/[\p{L}'’-]+|[^\s\p{L}]+/gu)].map((m) => ({
    w: m[0].replace(/['’]s$/, ''),
    possessive: /['’]s$/.test(m[0]),
    at: m.index,
    end: m.index + m[0].length,
  }));
  const anchor =
    /^(?:one|request|req|case|ticket|dsar|dsr|sar|deletion|erasure|access|opt-out|optout|rectification|correction|portability|objection)$/;
  // A name never reaches back into the command's own words ("pull up kevin's request"), nor into
  // a "mark" opening the line ("mark jane's as done"; "mark hill's is done" still finds Mark Hill).
  const said = firstVerb(lower);
  const marked = MARK_LEAD.exec(lower);
  const floor = (at: number) =>
    Math.max(said && said.end <= at ? said.end : 0, marked && marked[0].length <= at ? marked[0].length : 0);
  for (let i = 1; i < tokens.length; i++) {
    // "the bob smith one", "dana white's deletion": the name before a word for the request.
    if (anchor.test(tokens[i]!.w)) {
      const before: typeof tokens = [];
      const from = floor(tokens[i]!.at);
      // A possessive or a contraction ("when's bob's request") ends a name: it is only its last word.
      for (
        let j = i - 1;
        j >= 0 &&
        tokens[j]!.at >= from &&
        before.length < 3 &&
        nameWord(tokens[j]!.w, VERB_NAMES.has(tokens[j]!.w) || tokens[i - 1]!.possessive) &&
        (j === i - 1 || !tokens[j]!.possessive);
        j--
      )
        before.unshift(tokens[j]!);
      const r = found(
        nameRun(
          before.map((t) => t.w),
          tokens[i - 1]!.possessive,
        ),
        before[0]?.at ?? 0,
        tokens[i]!.end,
      );
      if (r) return r;
    }
  }
  // "what about sam's", "show me kevin's": a possessive name ending the line.
  const last = [...lower.matchAll(/([\p{L}'’-]+)['’]s[\s?.!]*$/gu)][0];
  if (last) {
    const before = lower.slice(floor(last.index), last.index).split(/\s+/).filter(Boolean);
    for (let n = Math.min(2, before.length); n >= 0; n--) {
      // "extend it, it's jane's": a word with its own "'s" or a comma after it is no part of the name.
      if (before.slice(before.length - n).some((w) => /['’]s$|[,;:]$/.test(w))) continue;
      const run = [...before.slice(before.length - n), last[1]!];
      const at = lower.lastIndexOf(run[0]!, last.index);
      const r = found(nameRun(run, true), at, lower.length);
      if (r) return r;
    }
  }
  // "we need more time on luca's, extend it", "bob's is finished, close it": a possessive name
  // anywhere names that requester's request, and an "it" beside it means that one.
  for (let i = 0; i < tokens.length; i++) {
    if (!tokens[i]!.possessive) continue;
    for (let n = 2; n >= 0; n--) {
      const run = tokens.slice(Math.max(0, i - n), i + 1);
      if (
        run.length !== n + 1 ||
        run.slice(0, -1).some((t) => t.possessive) ||
        run[0]!.at < floor(tokens[i]!.at)
      )
        continue;
      const r = found(
        nameRun(
          run.map((t) => t.w),
          true,
        ),
        run[0]!.at,
        tokens[i]!.end,
      );
      if (r) return r;
    }
  }
  // "when is kevin due", "when's dana white's request due": the name asked about.
  const due = /\bwhen(?:['’]s|\s+is)\s+([\p{L}'’ -]+?)(?:\s+(?:request|one|case))?\s+due\b/u.exec(lower);
  if (due) {
    const run = due[1]!.split(/\s+/).map((w) => w.replace(/['’]s$/, ''));
    const r = found(nameRun(run), due.index, due.index + due[0].length);
    if (r) return r;
  }
  // "the request from Jane Doe", "the one for kevin wu": the name after from/for/by.
  for (let i = 0; i < tokens.length - 1; i++) {
    if (!/^(?:from|for|by|of)$/.test(tokens[i]!.w)) continue;
    const after: typeof tokens = [];
    for (let j = i + 1; j < tokens.length && after.length < 3 && nameWord(tokens[j]!.w); j++)
      after.push(tokens[j]!);
    const next = tokens[i + 1 + after.length];
    if (next && !/^[,.;:!?)\-–—]/.test(next.w)) continue;
    const r = found(nameRun(after.map((t) => t.w)), tokens[i]!.at, after[after.length - 1]?.end ?? 0);
    if (r) return r;
  }
  // "sent marco his confirmation", "emailed dana white her copy": the person something was given
  // to, named between the giving and "his"/"her"/"their" (a name, even beside an "it", decides).
  for (let i = 1; i < tokens.length; i++) {
    if (!/^(?:his|her|their)$/.test(tokens[i]!.w)) continue;
    const run: typeof tokens = [];
    let j = i - 1;
    for (; j >= 0 && run.length < 3 && !GIVING.test(tokens[j]!.w) && nameWord(tokens[j]!.w); j--)
      run.unshift(tokens[j]!);
    if (j < 0 || !GIVING.test(tokens[j]!.w)) continue;
    const r = found(nameRun(run.map((t) => t.w)), run[0]?.at ?? 0, run[run.length - 1]?.end ?? 0);
    if (r) return r;
  }
  // "show me bob smith", "close kevin wu": the verb opening the line, then only the name.
  if (said && said.at === 0) {
    const rest = tokens.filter((t) => t.at >= said.end && !/^[?.!]+$/.test(t.w));
    // "close lisa park, fulfilled": the name runs up to a comma or a dash.
    const stop = rest.findIndex((t) => /^[,;:–—-]+$/.test(t.w));
    const named = stop > 0 ? rest.slice(0, stop) : rest;
    const run = named[0]?.w === 'me' ? named.slice(1) : named;
    const r =
      run.length > 0 ? found(nameRun(run.map((t) => t.w)), run[0]!.at, run[run.length - 1]!.end) : undefined;
    if (r) return r;
  }
  // "kevin wu withdrew his request": a name opening the line, then the verb.
  const verb = firstVerb(lower);
  if (verb && verb.at > 0) {
    const lead = tokens.filter((t) => t.end <= verb.at);
    // "lisa park is done": an "is" or "was" between the name and the verb is no part of it.
    while (lead.length > 1 && /^(?:is|was|has|been|are|now|all)$/.test(lead[lead.length - 1]!.w)) lead.pop();
    const r = found(nameRun(lead.map((t) => t.w)), 0, verb.at);
    if (r) return r;
  }
  return undefined;
}

/** The verbs with every match read, for the ones that stand where a name does. */
const VERBS_ALL = VERBS.map((v) => ({ ...v, all: new RegExp(v.re.source, `${v.re.flags}g`) }));

/** "mark hill's …" or "mark jane's as done": a "mark" opening the line is the command's word. */
const MARK_LEAD = /^(?:(?:pls|please|ok|okay|so|and|now)\s+)*mark\s+(?=\S)/;

/**
 * Whether the command word found at [at, end) stands where a name does, so is no verb: it carries
 * a possessive ("lisa park's is done", "jo close's"), or it is a word of a command that is also a
 * name (`VERB_NAMES`) right after a name word and not followed by what a command acts on ("lisa
 * park is done", but "kim, park it" and "park 3" are commands).
 */
function standsForName(lower: string, at: number, end: number): boolean {
  if (/^['’]s\b/.test(lower.slice(end))) return true;
  if (!VERB_NAMES.has(lower.slice(at, end))) return false;
  const before = /([\p{L}'’-]+)\s+$/u.exec(lower.slice(0, at))?.[1];
  if (!before || !nameWord(before) || commonWord(before)) return false;
  return !VERB_OBJECT.test(lower.slice(end));
}

function firstVerb(
  lower: string,
  except?: Verb,
): { verb: Verb; outcome?: Outcome; at: number; end: number } | undefined {
  let best: { verb: Verb; outcome?: Outcome; at: number; end: number } | undefined;
  for (const v of VERBS_ALL) {
    if (v.verb === except) continue;
    for (const m of lower.matchAll(v.all)) {
      if (best && m.index >= best.at) break;
      if (standsForName(lower, m.index, m.index + m[0].length)) continue;
      best = {
        verb: v.verb,
        ...(v.outcome ? { outcome: v.outcome } : {}),
        at: m.index,
        end: m.index + m[0].length,
      };
      break;
    }
  }
  return best;
}

/** The outcome a line says in its own words ("all the data was sent", "they dropped it"), if any. */
export function outcomeIn(lower: string): Outcome | undefined {
  for (const { outcome, re } of OUTCOME_WORDS) {
    const g = new RegExp(re.source, 'g');
    for (const m of lower.matchAll(g))
      if (!/(?:\bnot|\bnever|n't|\bno)\s+(?:\w+\s+)?$/.test(lower.slice(0, m.index))) return outcome;
  }
  return undefined;
}

/**
 * Whether a word names a person who may own a request: an @mention, or a name, never a common
 * English word ("give 0001 more time" gives it to nobody called "more"). A word typed with a
 * capital counts unless it is a function word; one typed in lower case only if it is not among the
 * commonest English words (SCOWL size 10: "the", "more", "will"); "bob" and "priya" are names.
 */
const COMMON_WORD_SIZE = 10;
function personWord(w: string): boolean {
  if (!/^\p{L}[\p{L}\p{N}._'-]*$/u.test(w)) return false;
  const lower = w.toLowerCase();
  if (NOT_NAME_WORDS.has(lower) || knownWordOfWork(lower)) return false;
  if (w !== lower) return true;
  return (englishWords().get(lower) ?? 99) > COMMON_WORD_SIZE;
}

/** Who a handover names: "me", an @mention, or a person after "to" ("bump 2 over to priya"). */
function ownerOf(line: string, lower: string, from: number, after: number): string | undefined {
  const mention = /@([\p{L}\p{N}._-]+)/u.exec(line);
  if (mention) return mention[1];
  const to = /\bto\s+(?:over\s+)?([\p{L}\p{N}._'-]+)/u.exec(line.slice(from));
  if (to && /^(?:me|myself|i)$/i.test(to[1]!)) return 'me';
  if (to && personWord(to[1]!)) return to[1];
  if (/\b(?:i'?ll|i will|i can|let me)\b|\btake\b/.test(lower)) return 'me';
  // "assign 4 bob": the word right after the request.
  const next = line
    .slice(after)
    .trim()
    .split(/\s+/)[0]
    ?.replace(/[,.;:!?]+$/, '');
  if (next && /^(?:me|myself)$/i.test(next)) return 'me';
  return !to && next && personWord(next) ? next : undefined;
}

/** A close's note without the command words said with it ("completed — close it" -> none). */
function closeNote(note: string): string {
  return note.replace(CLOSE_COMMAND_AT_END, '').replace(CLOSE_COMMAND_AT_START, '').trim();
}

const NOTE_FILLER =
  /^(?:now|please|thanks|again|today|as|it|is|the|a|to|me|mark|marked|as done|done|continue)$/;

/**
 * A request as a question names it back: as written ("0003", "the uk one"), except a requester's
 * name, which is personal data and never said back.
 */
function spoken(line: string, found: { ref: RequestRef; at: number; end: number }): string {
  return 'name' in found.ref ? 'that request' : line.slice(found.at, found.end).trim();
}

function command(line: string, lower: string, ws: string[]): Understanding | undefined {
  const verb = firstVerb(lower);
  // "ID received, continue", "off hold please": a hold released without naming the request is the
  // request in focus ("it"); a bare "resume" still asks which.
  const found =
    findRef(lower, ws) ??
    // "what's the deadline for the uk one?": a request described, with no verb but show words.
    (verb ? undefined : byDescription(lower)) ??
    // "add a comment: called her back": a note naming no request is on the request in focus.
    (((verb?.verb === 'resume' && ws.length > 1) || verb?.verb === 'note') && !isQuestion(lower)
      ? { ref: { it: true } as RequestRef, at: verb.end, end: verb.end }
      : undefined);
  if (!found || ('it' in found.ref && !verb)) return undefined;
  // A request named alone ("#1", "what about 0004?") is shown; beside a word that is no verb I
  // know ("shwo DSR-…") it is not guessed at.
  if (!verb) {
    const others = words(lower.slice(0, found.at) + lower.slice(found.end));
    if (!others.every((w) => SHOW_ALONE.has(w))) return undefined;
  }
  let v = verb ?? { verb: 'show' as Verb, at: found.at, end: found.at };
  let owner: string | undefined;
  if (v.verb === 'assign') {
    owner = ownerOf(line, lower, found.at, found.end);
    if (!owner) {
      // No person to hand it to: "give 0001 more time" is an extension, said with "give".
      const other = firstVerb(lower, 'assign');
      if (other) v = other;
      else {
        const named = spoken(line, found);
        return {
          kind: 'clarify',
          question: `Who should own ${named}? Name a person, e.g. "assign ${named} to @alice" (or "to me").`,
        };
      }
    }
  }
  let outcome = v.outcome;
  if (v.verb === 'close' && !outcome) {
    // "we sent the data to 1, close it", "close #3 - they dropped it": the outcome in other words.
    outcome = outcomeIn(lower.slice(0, found.at) + lower.slice(found.end));
    if (!outcome) {
      const named = spoken(line, found);
      return {
        kind: 'clarify',
        question: `Close ${named} as completed, rejected or withdrawn? For example: ${'name' in found.ref ? '"completed"' : `close ${named} completed`}.`,
        ref: found.ref,
      };
    }
  }
  const result: Extract<Understanding, { kind: 'request' }> = {
    kind: 'request',
    verb: v.verb,
    ref: found.ref,
  };
  if (outcome) result.outcome = outcome;
  if (v.verb === 'assign') {
    if (owner) result.owner = owner;
  } else {
    // What follows the last of the verb and the request is a note or reason ("waiting for ID").
    const from = Math.max(found.end, v.end);
    let note = line.slice(from).replace(/^[\s,;:.–—-]+/, '');
    // A note is kept as typed: "verified", "refused" or "sent" in it are its words, not commands.
    if (v.verb === 'note') {
      note = note.replace(/^(?:that|saying|says)\s+/i, '').trim();
      if (/[\p{L}\p{N}]/u.test(note)) result.note = note;
      return result;
    }
    note = note.replace(/^(?:as|because(?: of)?|since|due to|reason:?)\s+/i, '').trim();
    note = cleanNote(note, v.verb);
    // "she's refused - cant verify identity. refuse it", "no reply after 2 months - reject 0003": a
    // refusal's or withdrawal's reason said before the command, set off by a dash or a stop.
    if (!note && v.verb === 'close' && outcome !== 'completed') {
      const first = Math.min(found.at, v.at);
      const between = found.at > v.end ? line.slice(v.end, found.at) : line.slice(found.end, v.at);
      for (const part of [between, line.slice(0, first)]) {
        // "she never sent ID, close it as refused": a clause before the command is its reason too.
        const clause = part === line.slice(0, first) && /,\s*$/.test(part);
        if (!clause && !/[–—:;.]|\s-\s|^\s*-/.test(part)) continue;
        note = cleanNote(part.replace(SUBJECT_LEAD, ''), v.verb);
        if (note) break;
      }
    }
    if (note) result.note = note;
  }
  return result;
}

/** "she's", "they have", "we": who did it, said before a reason, is no part of it. */
const SUBJECT_LEAD = /^\s*(?:she|he|they|we|i)(?:['’]s|['’]ve|['’]re| is| are| has| have)?\b/i;

/** A note or reason without the command words said with it; empty when nothing is left. */
function cleanNote(text: string, verb: Verb): string {
  let note = text;
  for (const x of VERBS.filter((y) => y.outcome))
    note = note.replace(new RegExp(x.re.source, 'gi'), '').trim();
  if (verb === 'close') note = closeNote(note);
  note = note.replace(/^[\s,;:.–—-]+|[\s,;:.–—-]+$/g, '');
  return /[\p{L}\p{N}]/u.test(note) && !note.split(/\s+/).every((w) => NOTE_FILLER.test(w.toLowerCase()))
    ? note
    : '';
}

function list(line: string, lower: string, ctx: LineContext): Understanding | undefined {
  let rest = lower;
  for (const d of readDates(line, ctx.now, ctx.timeZone, 'future'))
    rest = rest.replace(d.text.toLowerCase(), ' ');
  const law = findPhrase(rest, LAW_WORDS);
  if (law)
    rest = rest.replace(
      new RegExp(
        Object.keys(LAW_WORDS)
          .filter((k) => LAW_WORDS[k] === law.value)
          .sort((a, b) => b.length - a.length)
          .map((k) => `\\b${k}\\b`)
          .join('|'),
        'g',
      ),
      ' ',
    );
  const ws = words(rest).filter((w) => !/^\d+$/.test(w));
  // "anything under gdpr?", "requests under lgpd": a law and list words only make a list of it.
  const anchored = LIST_ANCHOR.test(lower);
  const byLaw =
    Boolean(law) && ws.length <= BY_LAW_MAX_WORDS && ws.some((w) => BY_LAW_CUE.has(w)) && !anchored;
  if (!(anchored || byLaw) || !ws.every((w) => LIST_VOCABULARY.has(w) || (law && BY_LAW_WORDS.has(w))))
    return undefined;
  const mine = MINE.test(lower);
  let status: ListStatus = 'open';
  let dueBy: string | undefined;
  const open = /\bopen\b/.test(lower);
  if (/\b(?:overdue|late|past due)\b/.test(lower)) status = 'overdue';
  // "everything, open or closed": both; "closed ones": only those.
  else if (/\bclosed\b/.test(lower)) status = open ? 'all' : 'closed';
  else if (/\bdue\b|\bsoon\b|\bupcoming\b/.test(lower)) {
    dueBy = dueHorizon(line, ctx.now, ctx.timeZone) ?? addDays(todayIn(ctx.now, ctx.timeZone), DUE_SOON_DAYS);
    // "due before the 20th": the day named is not included.
    const named = readDates(line, ctx.now, ctx.timeZone, 'future')[0];
    if (named && BEFORE_DAY.test(lower.slice(0, named.index))) dueBy = addDays(named.date, -1);
  } else if (/\ball\b|\beverything\b/.test(lower) && !open) status = 'all';
  return {
    kind: 'list',
    status,
    mine,
    ...(dueBy ? { dueBy } : {}),
    ...(law ? { regime: law.value } : {}),
    ...(/\bhow many\b|\bcount\b|\bnumber of\b/.test(lower) ? { count: true } : {}),
    ...(UNOWNED.test(lower) ? { unassigned: true } : {}),
    ...(byLaw ? { byLaw: true } : {}),
  };
}

function deadline(line: string, lower: string, ctx: LineContext): Understanding | undefined {
  if (!DEADLINE_CUE.test(lower)) return undefined;
  // "when's the german one due", "when are the gdpr ones due": requests of the register, described,
  // not a law's deadline.
  if (byDescription(lower) || /\b(?:the|our|my)\s+(?:[\w-]+\s+){0,3}(?:ones|requests|cases)\b/.test(lower))
    return undefined;
  const law = findPhrase(lower, LAW_WORDS);
  // "if a cali opt out came in today, when's it due": a request imagined, its place said anywhere.
  const hypothetical = HYPOTHETICAL.test(lower);
  const where = findPlace(
    line,
    lower,
    /^deadline\b/.test(lower) || hypothetical ? 'any' : 'after-in',
    law?.value,
  );
  const regime = law?.value ?? where?.regime;
  if (!regime) {
    // "if a sar lands on xmas eve, when is it due": a day or a type said, but no law. Asked, and
    // the day and type kept for the answer that names one ("under uk gdpr").
    if (!/^deadline\b/.test(lower) && (hypothetical || ASKS_WHEN.test(lower))) {
      const on = hypothetical && (WHAT_IF_CUE.test(lower) || namesYearlyDay(line)) ? 'future' : 'past';
      const day =
        on === 'future'
          ? readDates(line, ctx.now, ctx.timeZone, 'future')[0]
          : receivedDate(line, ctx.now, ctx.timeZone);
      const kind = findPhrase(lower.replace(/\bdeadlines?\b/g, ' '), TYPE_WORDS);
      if (day || kind)
        return {
          kind: 'clarify',
          question: `Under which law? Say it, e.g. "under gdpr", "under uk gdpr" or "in california", and I will give the deadline${day ? ` for a request received ${day.date}` : ''}.`,
          deadline: {
            kind: 'deadline',
            received: day?.date ?? todayIn(ctx.now, ctx.timeZone),
            receivedSaid: Boolean(day),
            ...(kind ? { type: kind.value } : {}),
            extended: false,
          },
        };
    }
    if (!/^deadline\b/.test(lower)) return undefined;
    const word = /^deadline\s+([^\s\d][^\s]*)/.exec(lower)?.[1];
    return {
      kind: 'clarify',
      question: `${word ? `I know no law called "${word.slice(0, 30)}" (unknown regime). ` : ''}Under which law? Use one of ${REGIMES.join(', ')}, or name the country or US state, e.g. "deadline gdpr 2026-01-31 DE".`,
    };
  }
  const order = dateOrderOf(where?.country || undefined, regime) ?? 'month-first';
  // "if it comes in Friday": a day still to come, read forward (the engine labels it a what-if).
  // A yearly day said by name in a what-if ("if one lands on christmas eve") is the coming one.
  const received =
    WHAT_IF_CUE.test(lower) || (hypothetical && namesYearlyDay(line))
      ? readDates(line, ctx.now, ctx.timeZone, 'future', order)[0]
      : receivedDate(line, ctx.now, ctx.timeZone, order);
  // "can we extend the deadline under GDPR?" asks about the rules, not for a date; "how long do
  // we have for an LGPD request?" asks for one, counted from today.
  if (
    !received &&
    isQuestion(lower) &&
    !/^deadline\b/.test(lower) &&
    (!ASKS_WHEN.test(lower) || ABOUT_POLICY.test(lower))
  )
    return undefined;
  const type = findPhrase(lower.replace(/\bdeadlines?\b/g, ' '), TYPE_WORDS);
  return {
    kind: 'deadline',
    regime,
    received: received?.date ?? todayIn(ctx.now, ctx.timeZone),
    receivedSaid: Boolean(received),
    ...(type ? { type: type.value } : {}),
    ...(where?.country && where.country !== '' ? { country: where.country } : {}),
    ...(where?.region ? { region: where.region } : {}),
    // "if we extend", "with the extension": the extended deadline is asked for.
    extended: /\bextended\b|\bif (?:we|you|i) extend\b|\bwith (?:an |the )?extension\b/.test(lower),
  };
}

/**
 * "and under lgpd?", "what about pipeda", "and in brazil?": the deadline question just asked (or
 * one that named no law) asked again under the law named, for the same day and type.
 */
function followUp(lower: string, ctx: LineContext): Understanding | undefined {
  const last = ctx.lastDeadline;
  if (!last || ctx.draft) return undefined;
  const rest = lower
    .replace(FOLLOW_UP_LEAD, '')
    .replace(/[\s?!.]+$/, '')
    .replace(/\s+(?:then|instead|too)$/, '')
    .trim();
  if (!rest) return undefined;
  const law = LAW_WORDS[rest];
  const place = law ? undefined : (placeNamed(rest) ?? cityNamed(rest));
  const regime =
    law ?? (place && !place.ask ? (place.regime ?? lawOf(place.country, place.region)) : undefined);
  if (!regime) return undefined;
  const { country: _c, region: _r, regime: _l, ...asked } = last;
  return {
    ...asked,
    kind: 'deadline',
    regime,
    ...(place?.country ? { country: place.country } : {}),
    ...(place?.region ? { region: place.region } : {}),
  };
}

/**
 * "appeal on 0006 received today", "the customer appealed our refusal of #6": an appeal of a
 * refusal, linked to the request it names. Only the day, how it came and a contact the line gives
 * are read; the law, place and requester are the appealed request's (the engine looks them up).
 * A lifecycle verb other than the refusal itself makes it a command on a request ("show the
 * appeal 0008"), and a question stays a question ("can they appeal a refusal?").
 */
function appeal(line: string, lower: string, ws: string[], ctx: LineContext): Understanding | undefined {
  if (!APPEAL_CUE.test(lower)) return undefined;
  const found = findRef(lower, ws) ?? appellant(lower);
  const verb = firstVerb(lower);
  if (!found || (verb && !(verb.verb === 'close' && verb.outcome === 'rejected'))) return undefined;
  const said = readFields(
    line.slice(0, found.at) + ' '.repeat(found.end - found.at) + line.slice(found.end),
    ctx.now,
    ctx.timeZone,
  );
  const fields: DraftFields = { type: 'appeal', appealOf: found.ref };
  for (const key of ['received', 'receivedEither', 'channel', 'name', 'email', 'phone', 'address'] as const)
    if (said[key] !== undefined) (fields as Record<string, unknown>)[key] = said[key];
  return { kind: ctx.draft ? 'correct' : 'intake', fields };
}

/** Who appeals, opening the line: a requester's name ("sam lee is appealing") or "she" ("it"). */
const APPELLANT =
  /^((?:[\p{L}'’-]+\s+){1,3}?)(?:is\s+|has\s+|have\s+|wants? to\s+|would like to\s+)?appeal(?:s|ed|ing)?\b/u;

/**
 * The refused request an appeal names by who appeals: "ahmed khan is appealing the refusal" (the
 * name, looked up by the engine among refused requests), "she appealed" (the request in focus).
 */
function appellant(lower: string): { ref: RequestRef; at: number; end: number } | undefined {
  const m = APPELLANT.exec(lower);
  if (!m) return undefined;
  const who = m[1]!.trim();
  const end = who.length;
  if (/^(?:she|he|they|the (?:customer|requester|consumer|data subject))$/.test(who))
    return { ref: { it: true }, at: 0, end };
  const name = nameRun(who.split(/\s+/));
  return name ? { ref: { name }, at: 0, end } : undefined;
}

/**
 * "the email on 0002 is wrong, should be pat@example.com": a correction of a logged request's
 * requester, named by id, number or "it". While a draft waits, "it" is the draft, so only a
 * request named outright is edited.
 */
function requesterEdit(
  line: string,
  lower: string,
  ws: string[],
  ctx: LineContext,
): Understanding | undefined {
  if (!EDIT_FIELD.test(lower) || !EDIT_CUE.test(lower)) return undefined;
  const found =
    findRef(lower, ws)?.ref ??
    (() => {
      const n = /\b(?:on|for|of|in)\s+(\d{1,4})\b(?![/.:-]?\d|\s*(?:st|nd|rd|th|days?)\b)/.exec(lower);
      return n ? { number: Number(n[1]) } : undefined;
    })();
  if (!found || ('it' in found && ctx.draft)) return undefined;
  const fields = readRequesterEdit(line);
  if (Object.keys(fields).length === 0) return undefined;
  return { kind: 'edit', ref: found, fields };
}

/**
 * "change the received date on that one to nov 28", "the received date on 1 should be nov 18",
 * "it actually came in on the 30th": the day a logged request arrived, put right. The request is
 * named by id, number, description or "it" (the one in focus); while a draft waits, "it" is the
 * draft, so only a request named outright is changed. The day is the last one said that is not
 * after "not" ("oct 5, not oct 1").
 */
function redate(line: string, lower: string, ws: string[], ctx: LineContext): Understanding | undefined {
  if (!RECEIVED_FIELD.test(lower) || !RECEIVED_EDIT_CUE.test(lower)) return undefined;
  // A note is kept as typed, whatever it says of dates ("note on 3: the received date was wrong").
  if (firstVerb(lower)?.verb === 'note') return undefined;
  // "the received date on 2 is wrong, it was oct 22": a number after on/for/of names the request
  // before an "it" does.
  const n = /\b(?:on|for|of)\s+#?(\d{1,4})\b(?![/.:-]?\d|\s*(?:st|nd|rd|th|days?)\b)/.exec(lower);
  const numbered =
    n && !partOfDate(lower, n.index, n.index + n[0].length) ? { number: Number(n[1]) } : undefined;
  const named = findRef(lower, ws)?.ref;
  // "change received date for dana to 24 nov", "olivia's came in on the 24th actually": the
  // requester named, with no verb of the lifecycle in the line.
  const forName = /\b(?:for|of|on)\s+([\p{L}'’-]+(?:\s+[\p{L}'’-]+)?)\s+(?:to|is|should|was|as)\b/u.exec(
    lower,
  );
  const person =
    byRequesterName(lower)?.ref ??
    (forName ? nameRun(forName[1]!.split(/\s+/).map((w) => w.replace(/['’]s$/, ''))) : undefined);
  const byPerson: RequestRef | undefined = typeof person === 'string' ? { name: person } : person;
  const found =
    (named && !('it' in named) ? named : undefined) ??
    byDescription(lower)?.ref ??
    numbered ??
    byPerson ??
    named;
  if (!found || ('it' in found && ctx.draft)) return undefined;
  const days = readDates(line, ctx.now, ctx.timeZone, 'past', 'month-first').filter(
    (d) => !/\b(?:not|instead of|rather than|from)\s+(?:on\s+|the\s+)?$/i.test(line.slice(0, d.index)),
  );
  const day = days[days.length - 1];
  if (!day) return undefined;
  return { kind: 'redate', ref: found, received: day.date };
}

/** A request put as a question: "can you …", "could u …", "will you …". */
const POLITE_ASK = /^(?:can|could|would|will)\s+(?:you|u|ya)\b/;

/** Reads one line of chat. Pure: the same line and context always mean the same thing. */
export function understand(line: string, ctx: LineContext): Understanding {
  const trimmed = line.trim();
  // A greeting or a please in front of a command does not change it ("hi, show 0003").
  const body = trimmed
    .replace(/^(?:hi|hello|hey)(?: there)?[,!.]\s+(?=\S)/i, '')
    .replace(new RegExp(POLITE_INTAKE.source, 'i'), '')
    // "due this wk": chat short forms of a week.
    .replace(/(?<![\w.@+-])wks?(?![\w@.-])/gi, (w) => (w.length === 2 ? 'week' : 'weeks'));
  // A phone number's or a postal address's digits are never a request number or a date.
  const lower = maskContacts(body).toLowerCase();
  const ws = words(lower);
  if (!body) return { kind: 'smalltalk', what: 'noise' };
  if (ctx.draft) {
    if (ctx.queued && REPLACE_CUE.test(lower)) return { kind: 'replace' };
    if (NO_NAME_ANSWER.test(lower.replace(/[\s,.!]+$/, ''))) return { kind: 'confirm' };
    // An appeal's original: not in the register (the draft stays, unlinked), or its reference.
    if (NOT_IN_REGISTER.test(lower.trim())) return { kind: 'correct', fields: {} };
    const ref = APPEAL_REF.exec(body.trim());
    if (ref && !ID_RE.test(ref[1]!)) return { kind: 'correct', fields: { appealRef: ref[1]! } };
    const answer = yesOrNo(ws);
    if (answer) return { kind: answer === 'yes' ? 'confirm' : 'cancel' };
    const named = namedYes(ws);
    if (named) return { kind: 'confirm', named };
    // "nope, don't log it, dup": a reason not to log it drops the draft, never asks the policies.
    if (DISCARD_CUE.test(lower) && !NOT_DISCARD.test(lower) && !EMAIL_RE.test(body) && ws.length <= 12)
      return { kind: 'cancel' };
    const spelled = NAME_SPELLING.exec(body.trim());
    if (spelled && !EMAIL_RE.test(body)) {
      const name = nameCase(words(spelled[1]!));
      const was = spelled[2] ? nameCase(words(spelled[2])) : undefined;
      if (name) return { kind: 'correct', fields: { name }, ...(was ? { was: { name: was } } : {}) };
    }
    const renamed = NAME_CHANGE.exec(body.trim()) ?? nameForName(body.trim());
    if (renamed && !EMAIL_RE.test(body)) {
      const typed = words(renamed[1]!);
      const name = typed.length <= 4 ? nameCase(typed) : '';
      const was = renamed[2] ? nameCase(words(renamed[2])) : undefined;
      if (name) return { kind: 'correct', fields: { name }, ...(was ? { was: { name: was } } : {}) };
    }
  }
  if (HELP.test(lower)) return { kind: 'help' };
  if (FORM_RE.test(lower)) return { kind: 'form' };
  // A yes or no with nothing waiting for one: say so, rather than answer it from the policy.
  if (!ctx.draft && yesOrNo(ws) && !ws.some((w) => THANKS.test(w))) {
    // "great", "perfect!": praise, answered as thanks; "yes", "ok log it": a yes to nothing.
    if (ws.some((w) => PRAISE_WORDS.has(w)) && ws.every((w) => PRAISE_WORDS.has(w) || THANKS_WORDS.has(w)))
      return { kind: 'smalltalk', what: 'thanks' };
    return { kind: 'smalltalk', what: 'no-draft' };
  }
  const small = smalltalk(lower, ws);
  if (small) return small;
  const question = isQuestion(lower);
  // An outcome given after "close 0003" asked for one: "completed", "rejected, no ID".
  const closing = ctx.awaiting?.outcome;
  if (closing) {
    const verb = firstVerb(lower);
    const ref = findRef(lower, ws);
    const said = verb?.verb === 'close' && verb.outcome ? verb : undefined;
    const outcome = said?.outcome ?? (!verb || verb.verb === 'close' ? outcomeIn(lower) : undefined);
    if (outcome && (!ref || 'it' in ref.ref)) {
      const note = closeNote(body.slice(said?.end ?? 0).replace(/^[\s,;:.–—-]+/, '')).trim();
      return {
        kind: 'request',
        verb: 'close',
        outcome,
        ref: { id: closing },
        ...(/[\p{L}\p{N}]/u.test(note) && !/^(?:it|them|that)$/i.test(note) ? { note } : {}),
      };
    }
  }
  const moved = redate(body, lower, ws, ctx);
  if (moved) return moved;
  const edit = requesterEdit(body, lower, ws, ctx);
  if (edit) return edit;
  const appealed = question ? undefined : appeal(body, lower, ws, ctx);
  if (appealed) return appealed;
  // "actually it was received on the 24th, not 3 days ago", "correction: she's in France": the
  // rest of the line corrects the waiting draft, even where it says "correction" or "received".
  const cue = ctx.draft ? CORRECTION_CUE.exec(lower) : null;
  if (cue && !EMAIL_RE.test(body) && !namedOutright(lower, ws)) {
    const fields = readFields(body.slice(cue[0].length), ctx.now, ctx.timeZone);
    if (Object.keys(fields).length > 0) return { kind: 'correct', fields };
  }
  // "got a new request": an empty draft, which asks for the details.
  if (NEW_REQUEST_ALONE.test(lower)) return { kind: 'intake', fields: {} };
  if (EMAIL_RE.test(body) && !question) {
    const fields = readFields(body, ctx.now, ctx.timeZone);
    if (ctx.draft && !fields.type) return { kind: 'correct', fields };
    return { kind: 'intake', fields };
  }
  // A phone number or a postal address is a contact too: with a request type, words of a request
  // arriving or how it came ("by post"), the line is an intake; while a draft waits, a correction.
  if ((findPhone(body) || findPostalAddress(body)) && !question) {
    const fields = readFields(body, ctx.now, ctx.timeZone);
    if (ctx.draft && !fields.type) return { kind: 'correct', fields };
    if (fields.type || fields.channel || INTAKE_CUE.test(lower)) return { kind: 'intake', fields };
  }
  // A deadline question is one, whatever verb or bare number it has ("gdpr deadline if we extend,
  // received 15 oct"), unless it names a request outright ("when is 0003 due").
  const outright = namedOutright(lower, ws);
  // "send the reminders", "can you ping the owners?": asked for; "do we send reminders to
  // requesters?" is a question about them, for the policy.
  if (
    !outright &&
    ((REMINDER_CUE.test(lower) && (!question || POLITE_ASK.test(lower))) || REMINDERS_HOW.test(lower))
  )
    return { kind: 'reminders' };
  const again = followUp(lower, ctx);
  if (again) return again;
  const due = outright ? undefined : deadline(body, lower, ctx);
  if (due) return due;
  // "put anna on the last two": a handover of the requests logged last, each changed on its own.
  const many = ASSIGN_LAST.exec(lower);
  const manyOwner = many ? (many[1] ?? many[4])! : undefined;
  const manyCount = many ? (COUNT_WORDS[many[2] ?? many[3]!] ?? Number(many[2] ?? many[3])) : 0;
  if (many && manyOwner && manyCount > 1 && (/^(?:me|myself)$/.test(manyOwner) || personWord(manyOwner)))
    return {
      kind: 'request',
      verb: 'assign',
      ref: { match: { lastLogged: manyCount, said: many[0] } },
      owner: /^(?:me|myself)$/.test(manyOwner) ? 'me' : manyOwner,
    };
  const cmd = command(body, lower, ws);
  if (cmd) return cmd;
  const dueOf = outright ? deadline(body, lower, ctx) : undefined;
  if (dueOf) return dueOf;
  const listed = list(body, lower, ctx);
  if (listed) return listed;
  const verb = firstVerb(lower);
  if (verb && verb.at === 0 && ws.length <= 3 && !question)
    return {
      kind: 'clarify',
      question: `Which request? For example: ${ws[0]} 0001 (or ${ws[0]} DSR-2026-0001).`,
    };
  if (!question) {
    const fields = readFields(body, ctx.now, ctx.timeZone);
    if (ctx.draft && Object.keys(fields).length > 0) {
      // A line about a request of the register ("delete #6", "working on 7 now") or a whole new
      // request (its own kind and requester, or said as one arrived) is not a correction of the
      // waiting draft: merging it would log a request nobody made.
      const ref = findRef(lower, ws);
      if (ref && !('it' in ref.ref)) return { kind: 'question', text: body };
      if (fields.type && (fields.name || fields.email || INTAKE_CUE.test(lower)))
        return { kind: 'intake', fields };
      return { kind: 'correct', fields };
    }
    // "log ..." is an intake even when it says too little; the draft then asks for the rest. So
    // is a request from a named person ("postal request from John Smith, …").
    if (
      (fields.type && INTAKE_CUE.test(lower)) ||
      (fields.name && /\brequest\s+(?:from|for|by)\b/.test(lower)) ||
      /^(?:please\s+)?(?:log|record|file|enter|register)\b/.test(lower) ||
      // A right asked for in the requester's own language ("quiero acceder a mis datos").
      (fields.type && findPhrase(lower, FOREIGN_TYPE_WORDS))
    )
      return { kind: 'intake', fields };
  }
  // Nothing of privacy work in it, and no proper name that might be a company or product the
  // policies speak of ("what time is lunch"): off topic, pointed to help without a policy answer.
  // A single word may be a mistyped command (a channel hints at it) and a long line is the
  // answerer's to refuse, so only a short sentence is judged here.
  if (
    !ctx.draft &&
    ws.length >= 2 &&
    ws.length <= OFF_TOPIC_MAX_WORDS &&
    body.length <= OFF_TOPIC_MAX_CHARS &&
    !onTopic(body) &&
    !/\s\p{Lu}/u.test(body)
  )
    return { kind: 'smalltalk', what: 'noise' };
  return { kind: 'question', text: body };
}

/**
 * What kind of line this is, read without a conversation's context: for a channel that must
 * decide before the core answers (Slack opens the request form within 3 seconds of a command).
 */
/**
 * Whether a line the policies could not answer is about privacy work at all: it names a word of
 * the work, a law or a request type. One that does not ("what time is lunch") is off topic.
 */
export function onTopic(line: string): boolean {
  const ws = words(line.toLowerCase()).map((w) => w.replace(/'s$/, ''));
  return ws.some((w) => knownWordOfWork(w)) || Boolean(findPhrase(line.toLowerCase(), TYPE_WORDS));
}

function knownWordOfWork(w: string): boolean {
  return DOMAIN_WORDS.has(w) || DOMAIN_WORDS.has(w.replace(/s$/, '')) || w in LAW_WORDS || w in TYPE_WORDS;
}

export function lineKind(line: string, now: Date): Understanding['kind'] {
  return understand(line, { now, timeZone: 'UTC' }).kind;
}
