import { HELP } from './answer-words.js';
import { maskContacts } from './contacts.js';
import { readFields } from './fields.js';
import { assignLast, awaitedClose, command, whichRequest } from './understand-command.js';
import { deadline, followUp } from './understand-deadline.js';
import { answerToDraft } from './understand-draft.js';
import { appeal, redate, requesterEdit } from './understand-edits.js';
import { intakeOrCorrection, reported } from './understand-intake.js';
import { list } from './understand-list.js';
import { namedOutright } from './understand-refs.js';
import { answerToNothing, smalltalk } from './understand-smalltalk.js';
import type { LineContext, Understanding } from './understand-types.js';
import { outcomeIn } from './understand-verbs.js';
import { isQuestion, onTopic, words } from './understand-words.js';
import { POLITE_INTAKE, REMINDER_CUE, REMINDERS_HOW } from './vocabulary.js';

/**
 * What a line of chat means, decided from the whole line before anything is done: a command on
 * the register, a one-line intake, an answer to a waiting draft, a deadline, a list, small talk, or
 * a question for the policy. The same reading serves the console, Slack and Teams. Where two
 * readings are equally good it asks (`clarify`) rather than guessing.
 */

export type { Verb } from './command-words.js';
export type { DraftFields, RequestMatch, RequestRef } from './fields.js';
export type { DeadlineAsked, LineContext, ListStatus, Understanding } from './understand-types.js';
export { onTopic, outcomeIn, readFields };

/** The longest line judged off topic before the policies are asked (a chat sentence, not a paste). */
const OFF_TOPIC_MAX_WORDS = 12;
const OFF_TOPIC_MAX_CHARS = 200;

/** "request", "log a request", "new DSAR request": the request form, where the channel has one. */
export const FORM_RE =
  /^(?:please\s+)?(?:(?:log|file|add|create|open|new|record|start)\s+)?(?:an?\s+)?(?:new\s+)?(?:(?:rights|dsr|dsar|data[- ]subject|privacy)\s+)?request(?:\s+form)?[.!]?$|^form$/i;

/** A request put as a question: "can you …", "could u …", "will you …". */
const POLITE_ASK = /^(?:can|could|would|will)\s+(?:you|u|ya)\b/;

/** Reads one line of chat. Pure: the same line and context always mean the same thing. */
export function understand(line: string, ctx: LineContext): Understanding {
  const body = chatBody(line);
  // A phone number's or a postal address's digits are never a request number or a date.
  const lower = maskContacts(body).toLowerCase();
  const ws = words(lower);
  if (!body) return { kind: 'smalltalk', what: 'noise' };
  const question = isQuestion(lower);
  return (
    (ctx.draft ? answerToDraft(body, lower, ws, ctx) : undefined) ??
    aside(lower, ws, ctx) ??
    aboutLogged(body, lower, ws, ctx, question) ??
    reported(body, lower, ws, ctx, question) ??
    askedOf(body, lower, ws, ctx, question) ??
    (question ? undefined : intakeOrCorrection(body, lower, ws, ctx)) ??
    offTopicOrQuestion(body, ws, ctx)
  );
}

/** The line as read: without a greeting or a please in front, and with chat short forms spelt out. */
function chatBody(line: string): string {
  // A greeting or a please in front of a command does not change it ("hi, show 0003").
  return (
    line
      .trim()
      .replace(/^(?:hi|hello|hey)(?: there)?[,!.]\s+(?=\S)/i, '')
      .replace(new RegExp(POLITE_INTAKE.source, 'i'), '')
      // "due this wk": chat short forms of a week.
      .replace(/(?<![\w.@+-])wks?(?![\w@.-])/gi, (w) => (w.length === 2 ? 'week' : 'weeks'))
  );
}

/** Help, the request form, a yes or no with nothing waiting for one, or small talk. */
function aside(lower: string, ws: string[], ctx: LineContext): Understanding | undefined {
  if (HELP.test(lower)) return { kind: 'help' };
  if (FORM_RE.test(lower)) return { kind: 'form' };
  return answerToNothing(ws, ctx) ?? smalltalk(lower, ws);
}

/**
 * A line about a request already logged that is no command on it: the outcome the chat asked for
 * to close one, its received date or requester put right, or an appeal of its refusal.
 */
function aboutLogged(
  body: string,
  lower: string,
  ws: string[],
  ctx: LineContext,
  question: boolean,
): Understanding | undefined {
  return (
    awaitedClose(body, lower, ws, ctx.awaiting?.outcome) ??
    redate(body, lower, ws, ctx) ??
    requesterEdit(body, lower, ws, ctx) ??
    (question ? undefined : appeal(body, lower, ws, ctx))
  );
}

/**
 * Something asked of the register or of the deadlines: the reminders, a law's deadline (or the one
 * just asked, under another law), a handover of the last requests, a command on one, or a list.
 */
function askedOf(
  body: string,
  lower: string,
  ws: string[],
  ctx: LineContext,
  question: boolean,
): Understanding | undefined {
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
  return (
    followUp(lower, ctx) ??
    (outright ? undefined : deadline(body, lower, ctx)) ??
    assignLast(lower) ??
    command(body, lower, ws) ??
    (outright ? deadline(body, lower, ctx) : undefined) ??
    list(body, lower, ctx) ??
    whichRequest(lower, ws, question)
  );
}

/** A line nothing else reads: off topic (small talk's "noise"), or a question for the policies. */
function offTopicOrQuestion(body: string, ws: string[], ctx: LineContext): Understanding {
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
export function lineKind(line: string, now: Date): Understanding['kind'] {
  return understand(line, { now, timeZone: 'UTC' }).kind;
}
