import { EMAIL_RE, findPhone, findPostalAddress } from './contacts.js';
import { findPhrase, readFields } from './fields.js';
import { FOREIGN_TYPE_WORDS } from './law-and-type-words.js';
import { findRef, namedOutright } from './understand-refs.js';
import type { LineContext, Understanding } from './understand-types.js';
import { CORRECTION_CUE, INTAKE_CUE, NEW_REQUEST_ALONE } from './vocabulary.js';

/**
 * A line that reports a request (a one-line intake) or puts the waiting draft right: the fields it
 * gives, and whether they start a new draft or correct the one waiting.
 */

/**
 * A line that reports a request or corrects the waiting draft by what it says outright: a word of
 * correcting in front ("actually …"), "got a new request", or a contact (email, phone, address).
 */
export function reported(
  body: string,
  lower: string,
  ws: string[],
  ctx: LineContext,
  question: boolean,
): Understanding | undefined {
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
  return undefined;
}

/**
 * A line that is no question, read for the fields of a request: a correction of the waiting draft,
 * or an intake where it is said as one ("log …", "request from John Smith").
 */
export function intakeOrCorrection(
  body: string,
  lower: string,
  ws: string[],
  ctx: LineContext,
): Understanding | undefined {
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
  return undefined;
}
