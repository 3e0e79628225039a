import {
  ACK_WORDS,
  FILLER_WORDS,
  GREETING,
  KEYBOARD_ROWS,
  PRAISE_WORDS,
  THANKS,
  THANKS_WORDS,
  YES_WORDS,
} from './answer-words.js';
import { findPhrase } from './fields.js';
import { TYPE_WORDS } from './law-and-type-words.js';
import { yesOrNo } from './understand-draft.js';
import type { LineContext, Understanding } from './understand-types.js';
import { firstVerb } from './understand-verbs.js';
import { isQuestion, knownWord } from './understand-words.js';

/** Small talk: a greeting, a thank-you, an acknowledgement, or keyboard noise. */

/** The longest line a "thanks" in it makes a thank-you (a chat sentence, not a request). */
const THANKS_MAX_WORDS = 10;

export function smalltalk(lower: string, ws: string[]): Understanding | undefined {
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

/** A yes or no with nothing waiting for one: said so, rather than answered from the policy. */
export function answerToNothing(ws: string[], ctx: LineContext): Understanding | undefined {
  if (ctx.draft || !yesOrNo(ws) || ws.some((w) => THANKS.test(w))) return undefined;
  // "great", "perfect!": praise, answered as thanks; "yes", "ok log it": a yes to nothing.
  if (ws.some((w) => PRAISE_WORDS.has(w)) && ws.every((w) => PRAISE_WORDS.has(w) || THANKS_WORDS.has(w)))
    return { kind: 'smalltalk', what: 'thanks' };
  return { kind: 'smalltalk', what: 'no-draft' };
}
