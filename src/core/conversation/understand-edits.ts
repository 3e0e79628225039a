import { readDates } from './dates.js';
import { type DraftFields, type RequestRef, readFields, readRequesterEdit } from './fields.js';
import { byRequesterName, nameRun } from './understand-names.js';
import { byDescription, findRef, partOfDate } from './understand-refs.js';
import type { LineContext, Understanding } from './understand-types.js';
import { firstVerb } from './understand-verbs.js';
import { APPEAL_CUE, EDIT_CUE, EDIT_FIELD, RECEIVED_EDIT_CUE, RECEIVED_FIELD } from './vocabulary.js';

/**
 * Lines about a request already in the register that are no command on it: an appeal of its
 * refusal, a correction of its requester's name or contact, and a change of the day it arrived.
 */

/**
 * "appeal on 0006 received today", "the customer appealed our refusal of #6": an appeal of a
 * refusal, linked to the request it names. Only the day, how it came and a contact the line gives
 * are read; the law, place and requester are the appealed request's (the engine looks them up).
 * A lifecycle verb other than the refusal itself makes it a command on a request ("show the
 * appeal 0008"), and a question stays a question ("can they appeal a refusal?").
 */
export function appeal(
  line: string,
  lower: string,
  ws: string[],
  ctx: LineContext,
): Understanding | undefined {
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
export function requesterEdit(
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
export function redate(
  line: string,
  lower: string,
  ws: string[],
  ctx: LineContext,
): Understanding | undefined {
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
