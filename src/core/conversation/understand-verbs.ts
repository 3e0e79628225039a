import type { Outcome } from '../requests/model.js';
import { OUTCOME_WORDS, VERB_NAMES, VERB_OBJECT, VERBS, type Verb } from './command-words.js';
import { commonWord, nameWord } from './understand-words.js';

/**
 * The lifecycle verb a line says ("close", "extend", "assign"), where it says it, and the outcome it
 * gives a close in other words; a command word standing where a name does ("lisa park") is no verb.
 */

/** The verbs with every match read, for the ones that stand where a name does. */
const VERBS_ALL = VERBS.map((v) => ({ ...v, all: new RegExp(v.re.source, `${v.re.flags}g`) }));

/** "mark hill's …" or "mark jane's as done": a "mark" opening the line is the command's word. */
export const MARK_LEAD = /^(?:(?:pls|please|ok|okay|so|and|now)\s+)*mark\s+(?=\S)/;

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

/** A lifecycle verb a line says, with the outcome its word gives a close, and where it stands. */
export interface VerbFound {
  verb: Verb;
  outcome?: Outcome;
  at: number;
  end: number;
}

/** The earliest lifecycle verb in the line (other than `except`), if any. */
export function firstVerb(lower: string, except?: Verb): VerbFound | undefined {
  let best: VerbFound | undefined;
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
