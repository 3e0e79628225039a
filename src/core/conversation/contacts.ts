import { LAW_WORDS, TYPE_WORDS } from './law-and-type-words.js';
import {
  ADDRESS_CUE,
  ADDRESS_STOP_WORDS,
  NOT_NAME_WORDS,
  PHONE_CUE,
  STREET_PREFIXES,
  STREET_SUFFIXES,
  STREET_WORDS,
} from './vocabulary.js';

/**
 * The contacts a chat line gives: an email address, a phone number, a postal address; and the line
 * with the number and the address blanked, so their digits are read as no request number or date.
 */

export const EMAIL_RE = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/;

/** A piece of a line: what was typed and where. */
export interface Span {
  text: string;
  at: number;
  end: number;
}

/** The fewest and most digits read as a phone number (E.164 allows 15; local numbers have 7 or more). */
const PHONE_DIGITS = { min: 7, max: 15 };
/** Digits that make a number a phone number without any cue ("07700 900456" has 11). */
const PHONE_DIGITS_ALONE = 10;

/**
 * The phone number a line gives: digits grouped by spaces, dashes, dots or brackets, that start
 * with + or 0 or a bracket, follow a word such as "tel" or "phone", or are long enough to be
 * nothing else; never a date ("2026-11-20", "27/11/2026"), a postcode or a request number.
 */
export function findPhone(line: string): Span | undefined {
  const candidates = /(?<![\p{L}\p{N}@._/+-])\+?\(?\d[\d ()./-]{4,}\d(?![\p{L}\p{N}@_])/gu;
  for (const m of line.matchAll(candidates)) {
    const text = m[0];
    const digits = text.replace(/\D/g, '').length;
    if (digits < PHONE_DIGITS.min || digits > PHONE_DIGITS.max) continue;
    if (/^\d{4}-\d{1,2}-\d{1,2}$|^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}$/.test(text)) continue;
    const cue = PHONE_CUE.test(line.slice(Math.max(0, m.index - 30), m.index));
    const looks = /^[+(0]/.test(text) || (digits >= PHONE_DIGITS_ALONE && /[\s().-]/.test(text));
    if (cue || looks) return { text, at: m.index, end: m.index + text.length };
  }
  return undefined;
}

const literal = (w: string) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/**
 * "1 Main Road", "221B Baker Street", "12 rue de Rivoli", "9 Lindenweg": a house number, then a
 * street's name. Group 1 holds the words between the number and a street word, checked apart.
 */
const NUMBER_FIRST = new RegExp(
  `\\b\\d{1,5}[a-z]?(?:[-–]\\d{1,5})?,?\\s+(?:(?:${STREET_PREFIXES.map(literal).join('|')})\\s+\\p{L}|((?:[\\p{L}'’.-]+\\s+){0,4})(?:${STREET_WORDS.map(literal).join('|')})\\b|[\\p{L}-]*(?:${STREET_SUFFIXES.map(literal).join('|')})(?![\\p{L}]))`,
  'iu',
);

/** "Hauptstraße 5", "Via Roma 10", "Calle Mayor 5", "PO Box 12": a street's name, then the number. */
const NUMBER_AFTER = new RegExp(
  `\\b(?:[\\p{L}-]+(?:${STREET_SUFFIXES.map(literal).join('|')})|(?:${STREET_PREFIXES.map(literal).join('|')})\\s+(?:[\\p{L}'’.-]+\\s+){0,3}?)\\s*\\d{1,5}[a-z]?\\b|\\bp\\.?\\s?o\\.?\\s+box\\s+\\d+`,
  'iu',
);
/** A street found in a part of a line: number first, or name first; never "2 to the green team". */
function streetIn(part: string): RegExpExecArray | null {
  const first = NUMBER_FIRST.exec(part);
  // The words between the number and the street word are a street's name, not "to the", "days".
  if (first && !(first[1] ?? '').split(/\s+/).some((w) => NOT_NAME_WORDS.has(w.toLowerCase()))) return first;
  return NUMBER_AFTER.exec(part);
}

/** A postcode or ZIP code: "LS1 4AB", "yo1 7hh", "80331", "10115", "K1A 0B1", "90210-1234". */
const POSTCODE =
  /(?:^|\s)(?:[a-z]{1,2}\d[a-z\d]?\s*\d[a-z]{2}|\d{4,5}(?:-\d{4})?|[a-z]\d[a-z]\s?\d[a-z]\d)(?=\s|$)/i;

/** A part of an address written before the street: "Flat 2", "Apt 4B", "c/o Jane Doe". */
const ADDRESS_LEAD = /^(?:flat|apt\.?|apartment|unit|suite|room|floor|c\/o)\s+\S+$/i;
/** Where a line's parts end: commas, semicolons, a dash between words, a line break. */
const PART_BREAK = /\s*[,;\n]\s*|\s+[-–—]\s+/g;

/** The words of a part up to the first one that ends an address ("Dublin wants …" -> "Dublin"). */
function addressWords(part: string): string {
  const kept: string[] = [];
  for (const w of part.split(/\s+/)) {
    const bare = w.toLowerCase().replace(/[.!?:]+$/, '');
    if (ADDRESS_STOP_WORDS.has(bare) || bare in TYPE_WORDS || bare in LAW_WORDS || EMAIL_RE.test(w)) break;
    kept.push(w);
  }
  return kept.join(' ').replace(/[.!?:]+$/, '');
}

/**
 * The postal address a line gives: from the street (a house number and a street word, in the
 * orders people write them, or after "address:" / "lives at"), on through the parts after it that
 * look like an address (a town, a postcode: capitalised or with a digit), up to the first that
 * does not ("wales" typed as a note, "received yesterday"). `street` is its first part.
 */
export function findPostalAddress(line: string): (Span & { street: Span }) | undefined {
  const parts: Span[] = [];
  let from = 0;
  for (const m of line.matchAll(PART_BREAK)) {
    parts.push({ text: line.slice(from, m.index), at: from, end: m.index });
    from = m.index + m[0].length;
  }
  parts.push({ text: line.slice(from), at: from, end: line.length });
  let first = -1;
  let start = 0;
  for (const [i, part] of parts.entries()) {
    const cue = ADDRESS_CUE.exec(part.text);
    const street = streetIn(part.text);
    if (street) {
      first = i;
      start = part.at + street.index;
      break;
    }
    // "address: Jane's Farm, Lower Slaughter": after a cue, the rest of the part (or the next one).
    if (cue && /\p{L}/u.test(part.text.slice(cue.index + cue[0].length))) {
      first = i;
      start = part.at + cue.index + cue[0].length;
      break;
    }
  }
  if (first < 0) return undefined;
  const head = addressWords(line.slice(start, parts[first]!.end));
  if (!head) return undefined;
  const street = { text: head, at: start, end: start + head.length };
  let end = street.end;
  // Back to a flat or unit number written before the street ("Flat 2, 10 High Street").
  const before = parts[first - 1];
  if (before && ADDRESS_LEAD.test(before.text.trim()) && start === parts[first]!.at) start = before.at;
  if (head.length === parts[first]!.end - street.at) {
    for (const part of parts.slice(first + 1)) {
      const words = addressWords(part.text.trim());
      // A town typed in lower case counts beside a postcode ("leeds LS1 4AB", "york yo1 7hh").
      const looks =
        words.length > 0 &&
        words.split(/\s+/).length <= 5 &&
        (/^[\p{Lu}\d]/u.test(words) || POSTCODE.test(words));
      if (!looks) break;
      end = part.at + part.text.indexOf(words) + words.length;
      if (words !== part.text.trim()) break;
    }
  }
  const text = line.slice(start, end).replace(/\s+/g, ' ').trim();
  return { text, at: start, end, street };
}

/** The line with its phone number and postal address blanked, so their digits are no request number. */
export function maskContacts(line: string): string {
  return blank(blank(line, findPhone(line)), findPostalAddress(line));
}

/**
 * An address as it is recorded: the domain in lower case (it is case-insensitive, RFC 5321 2.4),
 * and the local part too when it was typed all in capitals ("ANA.SILVA@Example.PT").
 */
export function emailCase(email: string): string {
  const at = email.lastIndexOf('@');
  const local = email.slice(0, at);
  return `${local === local.toUpperCase() ? local.toLowerCase() : local}${email.slice(at).toLowerCase()}`;
}

/** The line with a span of it blanked (same length, so other positions stay where they were). */
export function blank(line: string, span: { at: number; end: number } | undefined): string {
  return span ? line.slice(0, span.at) + ' '.repeat(span.end - span.at) + line.slice(span.end) : line;
}
