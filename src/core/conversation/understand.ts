import {
  EMAIL_RE,
  findPhone,
  findPhrase,
  findPostalAddress,
  maskContacts,
  nameCase,
  readFields,
} from './fields.js';
import { closeNote, command } from './understand-command.js';
import { deadline, followUp } from './understand-deadline.js';
import { namedYes, nameForName, yesOrNo } from './understand-draft.js';
import { appeal, redate, requesterEdit } from './understand-edits.js';
import { list } from './understand-list.js';
import { findRef, ID_RE, namedOutright } from './understand-refs.js';
import { smalltalk } from './understand-smalltalk.js';
import type { LineContext, Understanding } from './understand-types.js';
import { firstVerb, outcomeIn } from './understand-verbs.js';
import { isQuestion, onTopic, personWord, words } from './understand-words.js';
import {
  APPEAL_REF,
  ASSIGN_LAST,
  CORRECTION_CUE,
  COUNT_WORDS,
  DISCARD_CUE,
  FOREIGN_TYPE_WORDS,
  HELP,
  INTAKE_CUE,
  NAME_CHANGE,
  NAME_SPELLING,
  NEW_REQUEST_ALONE,
  NO_NAME_ANSWER,
  NOT_DISCARD,
  NOT_IN_REGISTER,
  POLITE_INTAKE,
  PRAISE_WORDS,
  REMINDER_CUE,
  REMINDERS_HOW,
  REPLACE_CUE,
  THANKS,
  THANKS_WORDS,
} from './vocabulary.js';

/**
 * What a line of chat means, decided from the whole line before anything is done: a command on
 * the register, a one-line intake, an answer to a waiting draft, a deadline, a list, small talk, or
 * a question for the policy. The same reading serves the console, Slack and Teams. Where two
 * readings are equally good it asks (`clarify`) rather than guessing.
 */

export type { DraftFields, RequestMatch, RequestRef } from './fields.js';
export type { DeadlineAsked, LineContext, ListStatus, Understanding } from './understand-types.js';
export type { Verb } from './vocabulary.js';
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
export function lineKind(line: string, now: Date): Understanding['kind'] {
  return understand(line, { now, timeZone: 'UTC' }).kind;
}
