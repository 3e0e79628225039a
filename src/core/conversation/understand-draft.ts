import {
  FILLER_WORDS,
  LOG_WORDS,
  NAMED_YES_FILLER,
  NO_PHRASES,
  NO_WORDS,
  YES_PHRASES,
  YES_WORDS,
} from './answer-words.js';
import { VERB_NAMES } from './command-words.js';
import { EMAIL_RE } from './contacts.js';
import { LAW_WORDS, TYPE_WORDS } from './law-and-type-words.js';
import { placeNamed } from './places.js';
import { nameCase } from './requester-names.js';
import { ID_RE } from './understand-refs.js';
import type { LineContext, Understanding } from './understand-types.js';
import { nameWord, words } from './understand-words.js';
import {
  APPEAL_REF,
  DISCARD_CUE,
  NAME_CHANGE,
  NAME_FOR_NAME,
  NAME_SPELLING,
  NO_NAME_ANSWER,
  NOT_DISCARD,
  NOT_IN_REGISTER,
  REPLACE_CUE,
} from './vocabulary.js';

/**
 * The answers a waiting draft is given: yes or no in any of their everyday words ("ok log it", "nah
 * scrap that"), a yes that names whose draft it is, and a name put right ("it's Joan Roe not Jane Roe").
 */

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
export function yesOrNo(words: string[]): 'yes' | 'no' | undefined {
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
export function namedYes(words: string[]): string | undefined {
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
export function nameForName(line: string): RegExpExecArray | null {
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

/**
 * What a line says to the waiting draft, if it answers it: take the queued intake instead, yes or
 * no, the appealed request's reference, a reason to drop it, or the requester's name put right.
 */
export function answerToDraft(
  body: string,
  lower: string,
  ws: string[],
  ctx: LineContext,
): Understanding | undefined {
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
  return undefined;
}
