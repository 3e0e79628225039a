import { englishWords } from '../policy/language.js';
import type { Regime, RequestType } from '../requests/deadlines.js';
import { ambiguousNumericDate, receivedDate } from './dates.js';
import {
  LAW_WORDS,
  MARKETING_OBJECTION,
  TYPE_PURPOSES,
  TYPE_STAND_INS,
  TYPE_WORDS,
} from './law-and-type-words.js';
import {
  cityNamed,
  codeReadings,
  dateOrderOf,
  lawOf,
  type Place,
  PROVINCE_CODES,
  placeCode,
  placeNamed,
  stateName,
} from './places.js';
import {
  ADDRESS_CUE,
  ADDRESS_STOP_WORDS,
  BARE_PLACE_CODE,
  CANADA_CUE,
  CHANNEL_WORDS,
  GENERIC_CCTLDS,
  NAME_CUE,
  NAME_PARTICLES,
  NAME_TAIL_WORDS,
  NOT_NAME_WORDS,
  PHONE_CUE,
  SIGNATURE_LEAD,
  STATE_CODE_CUE,
  STREET_PREFIXES,
  STREET_SUFFIXES,
  STREET_WORDS,
  UK_POSTCODE,
  US_CONSUMER_CUE,
} from './vocabulary.js';

/**
 * The request fields a chat line gives: the address, the name written before it (never one made
 * up from it), the type in everyday words, the law (or the one that follows from the place), the
 * day it arrived. Used for one-line intakes and for corrections of a waiting draft.
 */

export const EMAIL_RE = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/;

/**
 * How a person named a request: its id, its number ("0003", "#3"), "it" (the last one shown), its
 * requester's name (whole, first or last: "kevin's request"), or what it is ("the uk one", "the
 * german deletion request", "the overdue one"). Which request a name or a description fits is the
 * register's to say.
 */
export type RequestRef =
  | { id: string }
  | { number: number }
  | { it: true }
  | { name: string }
  | { match: RequestMatch };

/** What a request is said to be ("the spanish one"): each field given must fit. */
export interface RequestMatch {
  country?: string;
  region?: string;
  regime?: Regime;
  type?: RequestType;
  status?: DescribedStatus;
  /** "the one from yesterday": received that many days before today (0: today). */
  receivedDaysAgo?: number;
  /** "the last two": the requests logged last, that many of them (only a handover takes several). */
  lastLogged?: number;
  /** The words that described it, for the question that asks which ("the gdpr one"). */
  said: string;
}

/** A state a request is described by: "the overdue one", "the unassigned one", "the one on hold". */
export type DescribedStatus = 'overdue' | 'unassigned' | 'on-hold' | 'in-progress' | 'extended';

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

/** The fields of a request being logged in chat; any may still be missing. */
export interface DraftFields {
  type?: RequestType;
  regime?: Regime;
  country?: string;
  region?: string;
  received?: string;
  name?: string;
  email?: string;
  /**
   * A numeric date that reads differently day-first and month-first ("1/12"), said where neither
   * the country nor the law tells which: both readings, until the person says which.
   */
  receivedEither?: { said: string; dayFirst: string; monthFirst: string };
  /** Where the line named a place that may be several ("in LA"): the question to ask. */
  placeQuestion?: string;
  /** A phone number, when that is (one of) the requester's contact. */
  phone?: string;
  /** A postal address (a request by post): kept as one line, its parts joined with ", ". */
  address?: string;
  /**
   * For an appeal: the request whose refusal it appeals, as the line named it; the engine looks it
   * up, and the appeal takes its law, place and requester.
   */
  appealOf?: RequestRef;
  /**
   * For an appeal whose original request is not in the register: the reference the requester or
   * the team gave for it ("their ref is CASE-88"), kept as the appeal's note. Optional.
   */
  appealRef?: string;
  /**
   * The place was read only from the postal address's town or postcode: a correction that gives
   * an address does not move a draft that already has a place (its law stays).
   */
  placeFromAddress?: boolean;
  /** How the request reached the organisation ("web form", "email", "post"), when the line says. */
  channel?: string;
  /**
   * Where the address's ending suggests the requester is (".pl" -> Poland), when the line names no
   * place: shown on the draft as a question, applied only when the person says yes.
   */
  placeHint?: { country: string; region?: string; said: string };
  /** Why the type is a stand-in for a right the register has no type for (targeted advertising). */
  typeNote?: string;
  /**
   * The request's note, when the draft came with one (a mail's reference and text): kept through
   * corrections and logged with the request as personal data.
   */
  note?: string;
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

/** One word of a name as people type it: letters, with ' ’ . - inside ("O'Brien", "Anna-Lena", "J."). */
const NAME_SHAPE = /^\p{L}[\p{L}'’.-]*$/u;

/**
 * Given names that are also month words ("Jan", "May", "June"): a name word when typed with a
 * capital and followed by another name word ("Jan Novak"), never alone ("received Jan 5").
 */
const MONTH_NAMES = new Set('jan may june april august'.split(' '));

function isNameWord(w: string, beforeName = false): boolean {
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
interface NameFound {
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

function found(ws: string[], context: NameContext = { expected: false }): NameFound | undefined {
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
function nameBefore(line: string, end: number, email?: string): NameFound | undefined {
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
  return found(name, { expected: true, email });
}

/** Name words right after `start` ("hans weber" in "from hans weber, germany"), up to a stop. */
function nameAfter(line: string, start: number, email?: string): NameFound | undefined {
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
  return found(name, { expected: true, email });
}

export function findPhrase<T>(lower: string, table: Record<string, T>): { value: T; at: number } | undefined {
  let best: { value: T; at: number; len: number } | undefined;
  for (const [phrase, value] of Object.entries(table)) {
    const re = new RegExp(
      `(?<![\\p{L}-])${phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}-])`,
      'gu',
    );
    for (const m of lower.matchAll(re)) {
      // A type named right after "not" is the one not meant ("an opt-out, not access").
      if (/\bnot\s+(?:an?\s+)?$/.test(lower.slice(0, m.index))) continue;
      if (!best || m.index < best.at || (m.index === best.at && phrase.length > best.len))
        best = { value, at: m.index, len: phrase.length };
      break;
    }
  }
  return best ? { value: best.value, at: best.at } : undefined;
}

const STATE_CODE_CUE_ONE = new RegExp(STATE_CODE_CUE.source);
/** The same cue with the code in either case ("CA resident"); the words around it in lower case. */
const STATE_CODE_CUE_ANY_CASE = new RegExp(STATE_CODE_CUE.source.replaceAll('[a-z]{2}', '[a-zA-Z]{2}'), 'g');

const CODE_STOPWORDS = new Set(
  'in it is on of or to at by if me we be do no so an as my he hi id us'.split(' '),
);

/** Where the line says the requester is: a country or US state by name, or a code after "in". */
export function findPlace(
  line: string,
  lower: string,
  codes: 'after-in' | 'any',
  law?: Regime,
): Place | undefined {
  const ws = lower.split(/[^\p{L}'’-]+/u).filter(Boolean);
  // The first place the line names wins, except a city of several places ("richmond"), which is
  // asked about only when nothing else in the line says where ("va resident from richmond").
  let unsure: Place | undefined;
  for (let i = 0; i < ws.length; i++) {
    for (const n of [3, 2, 1]) {
      if (i + n > ws.length) continue;
      const words = ws.slice(i, i + n).join(' ');
      const found = placeNamed(words) ?? cityNamed(words);
      if (found?.ask) unsure ??= found;
      else if (found) return found;
      if (found) {
        i += n - 1;
        break;
      }
    }
  }
  if (unsure && !STATE_CODE_CUE_ONE.test(lower)) return unsure;
  const code =
    /\b(?:in|[Cc]ountry(?:\s+code)?\s*[:=]?|from)\s+(?:the\s+)?([A-Z]{2})(?:-([A-Z0-9]{1,3}))?\b/.exec(
      line,
    ) ??
    (codes === 'any'
      ? /(?:^|\s)([A-Za-z]{2})(?:-([A-Za-z0-9]{1,3}))?(?=\s|$)/.exec(line.replace(/\b\d{4}-\d\d-\d\d\b/g, ''))
      : null);
  if (code && !(codes === 'any' && CODE_STOPWORDS.has(code[1]!.toLowerCase()))) {
    const country = code[1]!.toUpperCase();
    if (country === 'UK') return placeNamed('uk');
    // A code that is also a US state's or a city's: the law named decides, else it is asked.
    // "Country: DE" (a ticket's field) names a country, never the US state of that code.
    const asCountry = /^[Cc]ountry/.test(code[0]);
    const readings = code[2] || asCountry ? [] : codeReadings(country);
    // "in TX": an upper-case code that is a US state's and no country's is that state.
    if (readings.length === 0 && !code[2] && !asCountry && code[1] === country && stateName(country))
      return placeCode(`US-${country}`, code[0].trim());
    // "in BC", "from ON": a Canadian province's code that is no country's is that province.
    if (readings.length === 0 && !code[2] && !asCountry && code[1] === country && PROVINCE_CODES.has(country))
      return placeCode(`CA-${country}`, code[0].trim());
    if (readings.length > 0) {
      const places = readings.map((r) => placeCode(r.code, code[0].trim()));
      const fits = law ? places.filter((p) => p.regime === law) : [];
      if (fits.length === 1) return fits[0];
      if (law && !['ccpa', 'us-state'].includes(law)) return places.find((p) => !p.region) ?? places[0];
      const names = readings.map((r) => r.name);
      return {
        country: '',
        said: code[1]!,
        ask: `By "${code[1]}" do you mean ${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}? (or name the law)`,
      };
    }
    try {
      const name = new Intl.DisplayNames(['en'], { type: 'region' }).of(country);
      if (name && name !== country) {
        const at = placeNamed(name.toLowerCase());
        const region = code[2]?.toUpperCase();
        return {
          country,
          ...(region ? { region } : {}),
          ...(at?.regime ? { regime: at.regime } : {}),
          said: code[0].trim(),
        };
      }
    } catch {
      // not a region code
    }
  }
  return undefined;
}

/**
 * Every request field a line gives: the address, the name written before it (never one made up
 * from it), the type in everyday words, the law (or the one following from the place), the day
 * it arrived.
 */
export function readFields(line: string, now: Date, timeZone: string): DraftFields {
  const fields: DraftFields = {};
  const read = readContacts(line);
  const { email, phone, post, withPlace, masked, lower } = read;
  if (email) fields.email = emailCase(email[0].replace(/\.$/, ''));
  if (phone) fields.phone = phone.text.replace(/\s+/g, ' ');
  if (post) fields.address = post.text.replace(/[,;.]+$/, '');
  const name = requesterName(read, fields.email);
  if (name) fields.name = name.name;
  const nameless = name ? lower.replace(name.typed.toLowerCase(), ' ') : lower;
  readType(fields, nameless);
  const law = findPhrase(nameless, LAW_WORDS);
  const where = placeOf(read, name ? withPlace.replace(name.typed, ' ') : withPlace, law?.value);
  if (where?.ask) fields.placeQuestion = where.ask;
  if (where && post && !law && !findPlace(masked, lower, 'after-in')) fields.placeFromAddress = true;
  if (where?.country) fields.country = where.country;
  if (where?.region) fields.region = where.region;
  const regime = law?.value ?? where?.regime;
  if (regime) fields.regime = regime;
  if (email && !where && !regime) {
    const hint = placeFromAddress(fields.email!);
    if (hint) fields.placeHint = hint;
  }
  const channel = CHANNEL_WORDS.find((c) => c.re.test(lower));
  if (channel) fields.channel = channel.channel;
  readReceived(fields, masked, now, timeZone);
  return fields;
}

/** A line read once for its contacts, and the line with them hidden for what else it says. */
interface ContactsRead {
  email: RegExpExecArray | null;
  phone: Span | undefined;
  post: ReturnType<typeof findPostalAddress>;
  /** The line with addresses, numbers, ids and the street hidden: the town and postcode still say where. */
  withPlace: string;
  /** The line with every contact hidden. */
  masked: string;
  lower: string;
  /** A lower-case US state code beside "resident" or "customer" ("tx customer"), if the line has one. */
  stateAt: { code: string; said: string } | undefined;
  /** The line a name is read in: a state code, the phone number and the postal address hidden. */
  nameLine: string;
}

/** The contacts a line gives (email, phone, postal address), and the line with them hidden. */
function readContacts(line: string): ContactsRead {
  const email = EMAIL_RE.exec(line);
  const phone = findPhone(line);
  const post = findPostalAddress(line);
  // Addresses, numbers and ids are read once and then hidden, so "example.de" is not Germany and
  // "+49 30 …" no date. A postal address is hidden too, except its town and postcode, which say
  // where the requester is ("…, Dublin").
  const withPlace = blank(
    blank(
      line.replace(/[\w.+-]+@[\w.-]+|\bDSR-\d{4}-\d+\b/gi, (m) => ' '.repeat(m.length)),
      phone,
    ),
    post?.street,
  );
  const masked = blank(withPlace, post);
  const lower = masked.toLowerCase();
  // A lower-case state code beside "resident" or "customer" ("tx customer") is a place, no name.
  const stateAt = stateCodeIn(line);
  const nameLine = blank(
    blank(stateAt ? line.replace(stateAt.said, (m) => ' '.repeat(m.length)) : line, phone),
    post,
  );
  return { email, phone, post, withPlace, masked, lower, stateAt, nameLine };
}

/**
 * The requester's name: next to the contact, after a cue ("name: …") or from/for/by, opening a part
 * that says what the person did ("Liam Byrne phoned in …"), or a part that is nothing but a name.
 */
function requesterName(read: ContactsRead, address: string | undefined): NameFound | undefined {
  const { email, phone, post, masked, nameLine } = read;
  // The name is read next to the contact: just before the address, number or postal address.
  const contactAt = email?.index ?? phone?.at ?? post?.at;
  let name: NameFound | undefined =
    contactAt === undefined ? undefined : nameBefore(nameLine, contactAt, address);
  const said = NAME_CUE.exec(masked);
  if (said) name = nameAfter(masked, said.index + said[0].length, address) ?? name;
  else if (!name) {
    // Read on the line itself: a name cannot run on past an address ("from ole@… under gdpr").
    for (const from of masked.matchAll(/\b(?:from|for|by)\s+/gi)) {
      name = nameAfter(nameLine, from.index + from[0].length, address);
      if (name) break;
    }
  }
  const parts = masked.split(/\s*[,;:()]\s*|\s+[-–—]\s+|(?<=\p{L}{2})[.!?]+\s+/u);
  if (!name) {
    // A part that opens with a name and says what the person did ("Liam Byrne phoned in …").
    for (const part of parts) {
      const run = REPORTED_BY.exec(part.trim())?.[1]?.trim().split(/\s+/);
      if (run?.every((w) => isNameWord(w))) name = found(run, { expected: true, email: address });
      if (name) break;
    }
  }
  if (!name) {
    // A part of the line that is nothing but a name ("deletion, Ana Silva, colorado").
    for (const part of parts) {
      const ws = part.trim().split(/\s+/);
      if (ws.length >= 2 && ws.length <= 4 && ws.every((w) => isNameWord(w)) && !cityNamed(ws.join(' '))) {
        name = found(ws);
        break;
      }
    }
  }
  return name;
}

/** The request type a line says (its words, what the data is wanted for), with a note where it stands in. */
function readType(fields: DraftFields, nameless: string): void {
  const type = findPhrase(nameless, TYPE_WORDS);
  if (type) fields.type = type.value;
  // What the data is wanted for, or taken off, may say another type than the words alone.
  const purpose = TYPE_PURPOSES.find((p) => (!type || p.over.includes(type.value)) && p.re.test(nameless));
  if (purpose) fields.type = purpose.type;
  const standIn = TYPE_STAND_INS.find((t) => t.re.test(nameless));
  if (type && standIn) fields.typeNote = standIn.said;
  if (fields.type === 'objection' && MARKETING_OBJECTION.re.test(nameless))
    fields.typeNote = MARKETING_OBJECTION.said;
}

/**
 * Where the requester is: a place named in the line (`placeLine`, the name taken out), a US state
 * code beside "resident", a UK postcode, or a code standing alone as a part of the line.
 */
function placeOf(read: ContactsRead, placeLine: string, law: Regime | undefined): Place | undefined {
  const { post, lower, stateAt } = read;
  let where =
    findPlace(placeLine, placeLine.toLowerCase(), 'after-in', law) ??
    (stateAt ? placeCode(`US-${stateAt.code}`, stateAt.said) : undefined) ??
    // A UK postcode in the postal address ("York YO1 7HH") says the United Kingdom.
    (post && UK_POSTCODE.test(post.text) ? placeNamed('uk') : undefined);
  // A code standing alone as a part of the line ("…, CA, opt out of sale"): read as "in CA" would
  // be; a code that is a US state and a country is the state only where the line is about a US
  // consumer's right (sale, sharing, CCPA) and says nothing of Canada, else it is asked about.
  const bare = where ? undefined : BARE_PLACE_CODE.exec(placeLine);
  if (bare) {
    const code = bare[1]!;
    const asIn = findPlace(`in ${code}`, `in ${code.toLowerCase()}`, 'after-in', law);
    where =
      asIn?.ask && stateName(code) && US_CONSUMER_CUE.test(lower) && !CANADA_CUE.test(lower)
        ? placeCode(`US-${code}`, code)
        : asIn;
  }
  return where;
}

/** The day the request arrived, read in the order the requester's country writes dates. */
function readReceived(fields: DraftFields, masked: string, now: Date, timeZone: string): void {
  // A numeric date is read the way the requester's country writes it ("2/11" in Spain is
  // 2 November); where nothing says which, both readings are kept and the person is asked.
  const order = dateOrderOf(fields.country, fields.regime);
  const either = order ? undefined : ambiguousNumericDate(masked);
  const received = receivedDate(masked, now, timeZone, order ?? 'month-first');
  if (either) {
    const dayFirst = receivedDate(masked, now, timeZone, 'day-first');
    if (received && dayFirst && dayFirst.date !== received.date)
      fields.receivedEither = { said: either, dayFirst: dayFirst.date, monthFirst: received.date };
    else if (received) fields.received = received.date;
  } else if (received) fields.received = received.date;
}

/** A name at the start of a part, then what they did: "Liam Byrne phoned in", "bo li wants …". */
const REPORTED_BY =
  /^((?:[\p{L}'’.-]+\s+){1,4}?)(?:phoned|called|rang|wrote|e-?mailed|asked|asks|wants|wanted|sent|says|said|would like|is asking|has asked)\b/iu;

/** The line with a span of it blanked (same length, so other positions stay where they were). */
function blank(line: string, span: { at: number; end: number } | undefined): string {
  return span ? line.slice(0, span.at) + ' '.repeat(span.end - span.at) + line.slice(span.end) : line;
}

/** A lower-case US state code the line marks as a place ("a co resident", "tx customer"). */
function stateCodeIn(line: string): { code: string; said: string } | undefined {
  for (const m of line.matchAll(STATE_CODE_CUE_ANY_CASE)) {
    const said = m[1] ?? m[2]!;
    const code = said.toUpperCase();
    // "tx customer", "CA resident" (a resident is of a state, not of Canada): typed all in one case.
    const oneCase = said === said.toLowerCase() || said === code;
    if (oneCase && !CODE_STOPWORDS.has(said) && stateName(code)) return { code, said };
  }
  return undefined;
}

/**
 * The country an address's ending suggests (".pl" -> Poland, ".com.br" -> Brazil, ".co.uk" -> the
 * UK), where a law follows from it; generic endings (".io", ".co", ".com") suggest none.
 */
export function placeFromAddress(
  email: string,
): { country: string; region?: string; said: string } | undefined {
  const tld = /\.([a-z]{2})$/i.exec(email)?.[1]?.toLowerCase();
  if (!tld || GENERIC_CCTLDS.has(tld)) return undefined;
  const country = tld === 'uk' ? 'GB' : tld.toUpperCase();
  if (!lawOf(country)) return undefined;
  return { country, said: `.${tld}` };
}

/**
 * The new requester details a correction of a logged request gives: the address, a phone number
 * (when the line speaks of a phone), a postal address (when it speaks of an address), or the name
 * written after "should be", "to", "is actually", "is now" or a colon.
 */
export function readRequesterEdit(line: string): {
  name?: string;
  email?: string;
  phone?: string;
  address?: string;
} {
  const email = EMAIL_RE.exec(line);
  if (email) return { email: emailCase(email[0].replace(/\.$/, '')) };
  const lower = line.toLowerCase();
  if (/\b(?:phone|tel|telephone|mobile|number)\b/.test(lower)) {
    const phone = findPhone(line);
    if (phone) return { phone: phone.text.replace(/\s+/g, ' ') };
  }
  const field = /\b(?:postal address|address|postcode)\b/.exec(lower);
  if (field) {
    const post = findPostalAddress(line);
    if (post) return { address: post.text.replace(/[,;.]+$/, '') };
    // "the address on 0002 should be Rose Cottage, Lower Slaughter": all after the first cue.
    const cue = /\b(?:should be|should read|to|is actually|is now)\s+|[:=]\s*|->\s*/i.exec(
      line.slice(field.index + field[0].length),
    );
    const rest = cue
      ? line
          .slice(field.index + field[0].length + cue.index + cue[0].length)
          .trim()
          .replace(/[.!]+$/, '')
      : '';
    return /\p{L}/u.test(rest) ? { address: rest } : {};
  }
  const cue = [
    ...line.matchAll(/\b(?:should be|should read|to|is actually|is now|it's|its)\s+|[:=]\s*|->\s*/gi),
  ].pop();
  const name = cue ? nameAfter(line, cue.index + cue[0].length) : undefined;
  return name ? { name: name.name } : {};
}
