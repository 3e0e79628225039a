import { VERB_NAMES } from './command-words.js';
import type { RefFound } from './understand-types.js';
import { firstVerb, MARK_LEAD, type VerbFound } from './understand-verbs.js';
import { commonWord, nameWord } from './understand-words.js';

/**
 * A request named by its requester ("the bob smith one", "dana white's deletion", "close kevin wu"):
 * where in the line the name stands, and the run of words that makes it.
 */

/** A giving to a person: "sent X his data", "emailed X her copy", "told X their …". */
const GIVING =
  /^(?:sent|send|sending|gave|give|given|giving|emailed|email|mailed|posted|told|tell|showed|forwarded|forward)$/;

/**
 * One to three name words ending (or, `from`, starting) at a place in the line, and not all common
 * words. A word of a command after the first is a name's ("lisa park", "jo close"); a run that ends
 * in a possessive ("mark's", "grant stone's") is a name whatever its words: the possessive says so.
 */
export function nameRun(ws: string[], possessive = false): string | undefined {
  if (ws.length === 0 || ws.length > 3) return undefined;
  if (!ws.every((w, i) => nameWord(w, possessive || (i > 0 && VERB_NAMES.has(w))))) return undefined;
  if (!possessive && ws.every(commonWord)) return undefined;
  return ws.join(' ');
}

/** The words for a request a name is said before ("the bob smith one", "dana white's deletion"). */
const REQUEST_WORD =
  /^(?:one|request|req|case|ticket|dsar|dsr|sar|deletion|erasure|access|opt-out|optout|rectification|correction|portability|objection)$/;

/** A word of the line, without its "'s" (`possessive` says it had one), and where it stands. */
interface Token {
  w: string;
  possessive: boolean;
  at: number;
  end: number;
}

/** A line as the readers of a name see it. */
interface NameLine {
  lower: string;
  tokens: Token[];
  /** The first verb of the line. */
  said: VerbFound | undefined;
  /** Where a name that ends before `at` may start at the earliest: after the command's own words. */
  floor: (at: number) => number;
}

/**
 * A request named by its requester: "the bob smith one", "dana white's deletion", "the request
 * from Jane Doe", "kevin wu withdrew his request". Only the name is read; which open request has
 * that requester is the register's to say.
 */
export function byRequesterName(lower: string): RefFound | undefined {
  const tokens = [...lower.matchAll(/[\p{L}'’-]+|[^\s\p{L}]+/gu)].map((m) => ({
    w: m[0].replace(/['’]s$/, ''),
    possessive: /['’]s$/.test(m[0]),
    at: m.index,
    end: m.index + m[0].length,
  }));
  // A name never reaches back into the command's own words ("pull up kevin's request"), nor into
  // a "mark" opening the line ("mark jane's as done"; "mark hill's is done" still finds Mark Hill).
  const said = firstVerb(lower);
  const marked = MARK_LEAD.exec(lower);
  const floor = (at: number) =>
    Math.max(said && said.end <= at ? said.end : 0, marked && marked[0].length <= at ? marked[0].length : 0);
  const line: NameLine = { lower, tokens, said, floor };
  return (
    beforeRequestWord(line) ??
    possessiveAtEnd(line) ??
    possessiveAnywhere(line) ??
    askedWhenDue(line) ??
    afterFromOrFor(line) ??
    givenTo(line) ??
    afterOpeningVerb(line) ??
    beforeVerb(line)
  );
}

/** A request named by a name read in the line, where the name stands. */
function named(name: string | undefined, at: number, end: number): RefFound | undefined {
  return name ? { ref: { name }, at, end } : undefined;
}

/** "the bob smith one", "dana white's deletion": the name before a word for the request. */
function beforeRequestWord(line: NameLine): RefFound | undefined {
  const { tokens, floor } = line;
  for (let i = 1; i < tokens.length; i++) {
    if (REQUEST_WORD.test(tokens[i]!.w)) {
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
      const r = named(
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
  return undefined;
}

/** "what about sam's", "show me kevin's": a possessive name ending the line. */
function possessiveAtEnd(line: NameLine): RefFound | undefined {
  const { lower, floor } = line;
  const last = [...lower.matchAll(/([\p{L}'’-]+)['’]s[\s?.!]*$/gu)][0];
  if (last) {
    const before = lower.slice(floor(last.index), last.index).split(/\s+/).filter(Boolean);
    for (let n = Math.min(2, before.length); n >= 0; n--) {
      // "extend it, it's jane's": a word with its own "'s" or a comma after it is no part of the name.
      if (before.slice(before.length - n).some((w) => /['’]s$|[,;:]$/.test(w))) continue;
      const run = [...before.slice(before.length - n), last[1]!];
      const at = lower.lastIndexOf(run[0]!, last.index);
      const r = named(nameRun(run, true), at, lower.length);
      if (r) return r;
    }
  }
  return undefined;
}

/**
 * "we need more time on luca's, extend it", "bob's is finished, close it": a possessive name
 * anywhere names that requester's request, and an "it" beside it means that one.
 */
function possessiveAnywhere(line: NameLine): RefFound | undefined {
  const { tokens, floor } = line;
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
      const r = named(
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
  return undefined;
}

/** "when is kevin due", "when's dana white's request due": the name asked about. */
function askedWhenDue(line: NameLine): RefFound | undefined {
  const { lower } = line;
  const due = /\bwhen(?:['’]s|\s+is)\s+([\p{L}'’ -]+?)(?:\s+(?:request|one|case))?\s+due\b/u.exec(lower);
  if (due) {
    const run = due[1]!.split(/\s+/).map((w) => w.replace(/['’]s$/, ''));
    const r = named(nameRun(run), due.index, due.index + due[0].length);
    if (r) return r;
  }
  return undefined;
}

/** "the request from Jane Doe", "the one for kevin wu": the name after from/for/by. */
function afterFromOrFor(line: NameLine): RefFound | undefined {
  const { tokens } = line;
  for (let i = 0; i < tokens.length - 1; i++) {
    if (!/^(?:from|for|by|of)$/.test(tokens[i]!.w)) continue;
    const after: typeof tokens = [];
    for (let j = i + 1; j < tokens.length && after.length < 3 && nameWord(tokens[j]!.w); j++)
      after.push(tokens[j]!);
    const next = tokens[i + 1 + after.length];
    if (next && !/^[,.;:!?)\-–—]/.test(next.w)) continue;
    const r = named(nameRun(after.map((t) => t.w)), tokens[i]!.at, after[after.length - 1]?.end ?? 0);
    if (r) return r;
  }
  return undefined;
}

/**
 * "sent marco his confirmation", "emailed dana white her copy": the person something was given
 * to, named between the giving and "his"/"her"/"their" (a name, even beside an "it", decides).
 */
function givenTo(line: NameLine): RefFound | undefined {
  const { tokens } = line;
  for (let i = 1; i < tokens.length; i++) {
    if (!/^(?:his|her|their)$/.test(tokens[i]!.w)) continue;
    const run: typeof tokens = [];
    let j = i - 1;
    for (; j >= 0 && run.length < 3 && !GIVING.test(tokens[j]!.w) && nameWord(tokens[j]!.w); j--)
      run.unshift(tokens[j]!);
    if (j < 0 || !GIVING.test(tokens[j]!.w)) continue;
    const r = named(nameRun(run.map((t) => t.w)), run[0]?.at ?? 0, run[run.length - 1]?.end ?? 0);
    if (r) return r;
  }
  return undefined;
}

/** "show me bob smith", "close kevin wu": the verb opening the line, then only the name. */
function afterOpeningVerb(line: NameLine): RefFound | undefined {
  const { tokens, said } = line;
  if (said?.at !== 0) return undefined;
  const rest = tokens.filter((t) => t.at >= said.end && !/^[?.!]+$/.test(t.w));
  // "close lisa park, fulfilled": the name runs up to a comma or a dash.
  const stop = rest.findIndex((t) => /^[,;:–—-]+$/.test(t.w));
  const upToStop = stop > 0 ? rest.slice(0, stop) : rest;
  const run = upToStop[0]?.w === 'me' ? upToStop.slice(1) : upToStop;
  return run.length > 0
    ? named(nameRun(run.map((t) => t.w)), run[0]!.at, run[run.length - 1]!.end)
    : undefined;
}

/** "kevin wu withdrew his request": a name opening the line, then the verb. */
function beforeVerb(line: NameLine): RefFound | undefined {
  const { tokens, said: verb } = line;
  if (!verb || verb.at <= 0) return undefined;
  const lead = tokens.filter((t) => t.end <= verb.at);
  // "lisa park is done": an "is" or "was" between the name and the verb is no part of it.
  while (lead.length > 1 && /^(?:is|was|has|been|are|now|all)$/.test(lead[lead.length - 1]!.w)) lead.pop();
  return named(nameRun(lead.map((t) => t.w)), 0, verb.at);
}
