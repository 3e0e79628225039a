import { englishWords } from '../policy/language.js';
import { OUTCOME_WORDS, VERBS } from './command-words.js';
import { findPhrase } from './fields.js';
import { LAW_WORDS, TYPE_WORDS } from './law-and-type-words.js';
import { findPlace } from './line-places.js';
import { DOMAIN_WORDS, NOT_NAME_WORDS } from './vocabulary.js';

/**
 * How the words of a chat line are read: the line split into words, whether it asks a question,
 * whether a word is English or a word of privacy work, and whether it may be part of a person's name.
 */

const QUESTION_START =
  /^(?:how|what|what's|whats|who|whom|whose|where|when|why|which|do|does|did|can|could|is|are|was|were|should|would|will|may|might|have|has|must)\b(?!\s+not\b)/;

export function isQuestion(lower: string): boolean {
  return /\?\s*$/.test(lower) || QUESTION_START.test(lower);
}

export function words(lower: string): string[] {
  return lower
    .split(/\s+/)
    .map((w) =>
      w.replace(/^[^\p{L}\p{N}\p{Extended_Pictographic}#@]+|[^\p{L}\p{N}\p{Extended_Pictographic}]+$/gu, ''),
    )
    .filter(Boolean);
}

/** A word of English, or of the words this chat knows (laws, request types, places). */
export function knownWord(w: string): boolean {
  return (
    englishWords().has(w) ||
    DOMAIN_WORDS.has(w) ||
    w in LAW_WORDS ||
    w in TYPE_WORDS ||
    Boolean(findPlace(w, w, 'after-in'))
  );
}

/**
 * Whether a line the policies could not answer is about privacy work at all: it names a word of
 * the work, a law or a request type. One that does not ("what time is lunch") is off topic.
 */
export function onTopic(line: string): boolean {
  const ws = words(line.toLowerCase()).map((w) => w.replace(/'s$/, ''));
  return ws.some((w) => knownWordOfWork(w)) || Boolean(findPhrase(line.toLowerCase(), TYPE_WORDS));
}

export function knownWordOfWork(w: string): boolean {
  return DOMAIN_WORDS.has(w) || DOMAIN_WORDS.has(w.replace(/s$/, '')) || w in LAW_WORDS || w in TYPE_WORDS;
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

/**
 * A word that may be part of a requester's name (the register decides whether anyone has it).
 * `asName`: it stands where a name does (before a possessive, or after a first name: "lisa
 * park"), so a word that is also a command's ("park", "close") may be one.
 */
export function nameWord(w: string, asName = false): boolean {
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
export function commonWord(w: string): boolean {
  return (englishWords().get(w) ?? 99) <= COMMON_WORD_SIZE;
}

/**
 * Whether a word names a person who may own a request: an @mention, or a name, never a common
 * English word ("give 0001 more time" gives it to nobody called "more"). A word typed with a
 * capital counts unless it is a function word; one typed in lower case only if it is not among the
 * commonest English words (SCOWL size 10: "the", "more", "will"); "bob" and "priya" are names.
 */
const COMMON_WORD_SIZE = 10;
export function personWord(w: string): boolean {
  if (!/^\p{L}[\p{L}\p{N}._'-]*$/u.test(w)) return false;
  const lower = w.toLowerCase();
  if (NOT_NAME_WORDS.has(lower) || knownWordOfWork(lower)) return false;
  if (w !== lower) return true;
  return (englishWords().get(lower) ?? 99) > COMMON_WORD_SIZE;
}
