import type { Outcome } from '../requests/model.js';
import { VERBS, type Verb } from './command-words.js';
import type { RequestRef } from './fields.js';
import { byDescription, findRef } from './understand-refs.js';
import type { RefFound, Understanding } from './understand-types.js';
import { firstVerb, outcomeIn, type VerbFound } from './understand-verbs.js';
import { isQuestion, personWord, words } from './understand-words.js';
import {
  ASSIGN_LAST,
  CLOSE_COMMAND_AT_END,
  CLOSE_COMMAND_AT_START,
  COUNT_WORDS,
  SHOW_ALONE,
} from './vocabulary.js';

/**
 * A command on a request of the register ("close 0003 completed", "assign 4 to @bob", "note on 2:
 * called her"): its verb, the request, and the owner, outcome or note said with it.
 */

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
export function closeNote(note: string): string {
  return note.replace(CLOSE_COMMAND_AT_END, '').replace(CLOSE_COMMAND_AT_START, '').trim();
}

const NOTE_FILLER =
  /^(?:now|please|thanks|again|today|as|it|is|the|a|to|me|mark|marked|as done|done|continue)$/;

/**
 * A request as a question names it back: as written ("0003", "the uk one"), except a requester's
 * name, which is personal data and never said back.
 */
function spoken(line: string, found: RefFound): string {
  return 'name' in found.ref ? 'that request' : line.slice(found.at, found.end).trim();
}

/**
 * A command on a request the line names ("close 0003 completed", "assign 4 to @bob", "#1"): its
 * verb, the request, and what is said with it; a question back where the owner or outcome is missing.
 */
export function command(line: string, lower: string, ws: string[]): Understanding | undefined {
  const verb = firstVerb(lower);
  const found = commandRef(lower, ws, verb);
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
      if (!other) return whoShouldOwn(line, found);
      v = other;
    }
  }
  let outcome = v.outcome;
  if (v.verb === 'close' && !outcome) {
    // "we sent the data to 1, close it", "close #3 - they dropped it": the outcome in other words.
    outcome = outcomeIn(lower.slice(0, found.at) + lower.slice(found.end));
    if (!outcome) return closeAsWhat(line, found);
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
    const note = commandNote(line, found, v, outcome);
    if (note) result.note = note;
  }
  return result;
}

/** The request a command names: by id, number, description or name, or "it" for a note or a resume. */
function commandRef(lower: string, ws: string[], verb: VerbFound | undefined): RefFound | undefined {
  // "ID received, continue", "off hold please": a hold released without naming the request is the
  // request in focus ("it"); a bare "resume" still asks which.
  return (
    findRef(lower, ws) ??
    // "what's the deadline for the uk one?": a request described, with no verb but show words.
    (verb ? undefined : byDescription(lower)) ??
    // "add a comment: called her back": a note naming no request is on the request in focus.
    (((verb?.verb === 'resume' && ws.length > 1) || verb?.verb === 'note') && !isQuestion(lower)
      ? { ref: { it: true } as RequestRef, at: verb.end, end: verb.end }
      : undefined)
  );
}

/** A handover that names nobody to hand the request to: who, asked. */
function whoShouldOwn(line: string, found: RefFound): Understanding {
  const named = spoken(line, found);
  return {
    kind: 'clarify',
    question: `Who should own ${named}? Name a person, e.g. "assign ${named} to @alice" (or "to me").`,
  };
}

/** A close that says no outcome: which one, asked. */
function closeAsWhat(line: string, found: RefFound): Understanding {
  const named = spoken(line, found);
  return {
    kind: 'clarify',
    question: `Close ${named} as completed, rejected or withdrawn? For example: ${'name' in found.ref ? '"completed"' : `close ${named} completed`}.`,
    ref: found.ref,
  };
}

/**
 * The note or reason said with a command other than a handover: what follows the last of the verb
 * and the request ("waiting for ID"), or a refusal's reason said before it. Empty when none is.
 */
function commandNote(line: string, found: RefFound, v: VerbFound, outcome: Outcome | undefined): string {
  // What follows the last of the verb and the request is a note or reason ("waiting for ID").
  const from = Math.max(found.end, v.end);
  let note = line.slice(from).replace(/^[\s,;:.–—-]+/, '');
  // A note is kept as typed: "verified", "refused" or "sent" in it are its words, not commands.
  if (v.verb === 'note') {
    note = note.replace(/^(?:that|saying|says)\s+/i, '').trim();
    return /[\p{L}\p{N}]/u.test(note) ? note : '';
  }
  note = note.replace(/^(?:as|because(?: of)?|since|due to|reason:?)\s+/i, '').trim();
  note = cleanNote(note, v.verb);
  // "she's refused - cant verify identity. refuse it", "no reply after 2 months - reject 0003": a
  // refusal's or withdrawal's reason said before the command, set off by a dash or a stop.
  if (!note && v.verb === 'close' && outcome !== 'completed') note = reasonBefore(line, found, v);
  return note;
}

/** A refusal's or withdrawal's reason said before the command or between its verb and request. */
function reasonBefore(line: string, found: RefFound, v: VerbFound): string {
  const first = Math.min(found.at, v.at);
  const between = found.at > v.end ? line.slice(v.end, found.at) : line.slice(found.end, v.at);
  for (const part of [between, line.slice(0, first)]) {
    // "she never sent ID, close it as refused": a clause before the command is its reason too.
    const clause = part === line.slice(0, first) && /,\s*$/.test(part);
    if (!clause && !/[–—:;.]|\s-\s|^\s*-/.test(part)) continue;
    const note = cleanNote(part.replace(SUBJECT_LEAD, ''), v.verb);
    if (note) return note;
  }
  return '';
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

/**
 * An outcome given after "close 0003" asked for one (`closing`: that request's id): "completed",
 * "rejected, no ID".
 */
export function awaitedClose(
  body: string,
  lower: string,
  ws: string[],
  closing: string | undefined,
): Understanding | undefined {
  if (!closing) return undefined;
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
  return undefined;
}

/** "put anna on the last two": a handover of the requests logged last, each changed on its own. */
export function assignLast(lower: string): Understanding | undefined {
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
  return undefined;
}

/** A verb opening a short line that names no request ("close", "extend it"): which one is asked. */
export function whichRequest(lower: string, ws: string[], question: boolean): Understanding | undefined {
  const verb = firstVerb(lower);
  if (verb && verb.at === 0 && ws.length <= 3 && !question)
    return {
      kind: 'clarify',
      question: `Which request? For example: ${ws[0]} 0001 (or ${ws[0]} DSR-2026-0001).`,
    };
  return undefined;
}
