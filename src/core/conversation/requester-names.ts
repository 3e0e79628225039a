import { englishWords } from '../policy/language.js';
import { LAW_WORDS, TYPE_WORDS } from './law-and-type-words.js';
import { cityNamed, placeNamed } from './places.js';
import { NAME_PARTICLES, NAME_TAIL_WORDS, NOT_NAME_WORDS, SIGNATURE_LEAD } from './vocabulary.js';

/**
 * The requester's name as a line gives it: which typed words may be a name ("O'Brien", "Anna-Lena",
 * never "received" or a common word), how it is written in the register, and where in the line it
 * stands (before a contact, after "from", "name:" or "should be").
 */

/** One word of a name as people type it: letters, with ' ’ . - inside ("O'Brien", "Anna-Lena", "J."). */
const NAME_SHAPE = /^\p{L}[\p{L}'’.-]*$/u;

/**
 * Given names that are also month words ("Jan", "May", "June"): a name word when typed with a
 * capital and followed by another name word ("Jan Novak"), never alone ("received Jan 5").
 */
const MONTH_NAMES = new Set('jan may june april august'.split(' '));

export function isNameWord(w: string, beforeName = false): boolean {
  const lower = w.toLowerCase();
  const monthName = beforeName && MONTH_NAMES.has(lower) && /^\p{Lu}\p{Ll}/u.test(w);
  return (
    NAME_SHAPE.test(w) &&
    (!NOT_NAME_WORDS.has(lower) || monthName) &&
    !placeNamed(lower) &&
    !cityNamed(lower) &&
    !LAW_WORDS[lower] &&
    !TYPE_WORDS[lower]
  );
}

/**
 * A name as it is recorded: a word typed in lower case is title-cased ("o'brien" -> "O'Brien",
 * "anna-lena" -> "Anna-Lena"), a particle inside a name stays lower case ("van der Berg"), and a
 * word typed with any capital is kept exactly as typed ("McDonald", "DeLuca").
 */
export function nameCase(typed: string[]): string {
  // A name typed all in capitals ("MARY O'BRIEN") says nothing about its case: it is recorded as if
  // typed in lower case, and "Mc" keeps its capital after it ("MCDONALD" -> "McDonald").
  const shouting = typed.some((w) => /\p{Lu}{2}/u.test(w)) && typed.every((w) => w === w.toUpperCase());
  const ws = shouting ? typed.map((w) => w.toLowerCase()) : typed;
  return ws
    .map((w, i) => {
      if (w !== w.toLowerCase()) return w;
      if (shouting && /^mc\p{L}{2,}/u.test(w)) return `Mc${w.charAt(2).toUpperCase()}${w.slice(3)}`;
      if (i > 0 && i < ws.length - 1 && NAME_PARTICLES.has(w)) return w;
      return w.replace(/(^|['’-])(\p{L})/gu, (_m, sep: string, c: string) => sep + c.toUpperCase());
    })
    .join(' ');
}

/** A name found in the line: as recorded, and the words as typed (to leave out of other fields). */
export interface NameFound {
  name: string;
  typed: string;
}

/**
 * The SCOWL size up to which a word is everyday English. Where a name is expected (before the
 * requester's address or number, after "from"/"for"/"by" or "name is"), lower-case words are read
 * as a name unless one is clearly none (a role, a command, a date or request-type word: those stop
 * the run before this is asked): "rose baker", "mark brown". Only a lone everyday word ("from
 * marketing", "from rose") is too unsure to record, unless the address repeats it ("rose@…"); the
 * draft then asks for the name. Elsewhere in a line, a run of everyday words in lower case is no
 * name at all ("huge mailbox"). "grace", "rose", "smith" are size 20; "mike" (35), "tom" (50) and
 * most surnames are not in the lists.
 */
const EVERYDAY_WORD_SIZE = 20;

/** Where a run of words stands in the line, and what the requester's address repeats. */
interface NameContext {
  /** The run stands where a name is expected (next to the contact, or after from/for/by). */
  expected: boolean;
  /** The requester's address, whose local part may repeat a lone word ("rose@…" for "rose"). */
  email?: string | undefined;
}

export function nameFrom(ws: string[], context: NameContext = { expected: false }): NameFound | undefined {
  // A name does not start or end with a particle ("de" in "request de ..." is not a name).
  while (ws.length > 0 && NAME_PARTICLES.has(ws[0]!.toLowerCase())) ws.shift();
  while (ws.length > 0 && NAME_PARTICLES.has(ws[ws.length - 1]!.toLowerCase())) ws.pop();
  if (ws.length === 0) return undefined;
  const english = englishWords();
  const everyday = (w: string) => w === w.toLowerCase() && (english.get(w) ?? 99) <= EVERYDAY_WORD_SIZE;
  if (ws.every(everyday)) {
    const local = context.email?.split('@')[0]?.toLowerCase() ?? '';
    const repeated = ws.length === 1 && ws[0]!.length >= 3 && local.includes(ws[0]!);
    if (!context.expected || (ws.length === 1 && !repeated)) return undefined;
  }
  return { name: nameCase(ws), typed: ws.join(' ') };
}

/**
 * Where a name cannot reach back past: "from"/"for"/"by", a comma or bracket, a dash, or the end
 * of a sentence (a word of two letters or more and a full stop: "her address. Priya Patel" is no
 * name "Address. Priya Patel", while the initial in "J. Smith" is part of one).
 */
const SENTENCE_OR_CUE = /\b(?:from|for|by)\s+|[,;:)\]|]\s*|\s[-–—]\s|(?<=\p{L}{2})[.!?]+\s+/giu;

/**
 * The words right before the address, back to "from"/"for"/"by" or the start of that part of the
 * line, that are no type, law, place, date or filler word: "Tom Baker" in "from Tom Baker tom@…",
 * "raj patel" in "canadian customer raj patel raj@…", whatever their case.
 */
export function nameBefore(line: string, end: number, email?: string): NameFound | undefined {
  const head = line.slice(0, end);
  const trimmed = head.replace(/[\s<([]+$/, '');
  // A signature sets the name off with a comma before the address ("- Tom Becker, tom@…",
  // "Regards, Paul Girard, paul@…"): read when the words open a signature, never otherwise
  // ("opt out of targeted ads, cole@…" has no name).
  const signed = /(?<=\p{L})\s*,$/u.test(trimmed);
  const before = signed ? trimmed.replace(/\s*,$/, '') : trimmed;
  if (before.length === head.length && end > 0) return undefined;
  const cue = [...before.matchAll(SENTENCE_OR_CUE)].pop();
  const part = cue ? before.slice(cue.index + cue[0].length) : before;
  const ws = part.split(/\s+/).filter(Boolean);
  const name: string[] = [];
  // "Test User": a role word typed with a capital after a capitalised name word ends the name.
  const last = ws[ws.length - 1];
  const beforeLast = ws[ws.length - 2];
  if (
    last &&
    beforeLast &&
    NAME_TAIL_WORDS.has(last.toLowerCase()) &&
    /^\p{Lu}/u.test(last) &&
    /^\p{Lu}/u.test(beforeLast) &&
    isNameWord(beforeLast, true)
  )
    name.unshift(ws.pop()!);
  while (ws.length > 0 && name.length < 4 && isNameWord(ws[ws.length - 1]!, name.length > 0))
    name.unshift(ws.pop()!);
  if (signed && (name.length === 0 || !SIGNATURE_LEAD.test(before.slice(0, before.lastIndexOf(name[0]!)))))
    return undefined;
  return nameFrom(name, { expected: true, email });
}

/** Name words right after `start` ("hans weber" in "from hans weber, germany"), up to a stop. */
export function nameAfter(line: string, start: number, email?: string): NameFound | undefined {
  const ws = line.slice(start).trim().split(/\s+/);
  const name: string[] = [];
  for (const w of ws) {
    // An initial keeps its stop and the name runs on after it ("j. huang", "mary o. watts").
    if (/^\p{L}\.$/u.test(w) && name.length < 3) {
      name.push(w);
      continue;
    }
    const bare = w.replace(/[,;:.!?)]+$/, '');
    if (!isNameWord(bare) || name.length >= 4) break;
    name.push(bare);
    if (bare !== w) break;
  }
  return nameFrom(name, { expected: true, email });
}
