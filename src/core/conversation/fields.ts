import { englishWords } from '../policy/language.js';
import type { Regime, RequestType } from '../requests/deadlines.js';
import { ambiguousNumericDate, receivedDate } from './dates.js';
import {
  CHANNEL_WORDS,
  cityNamed,
  codeReadings,
  dateOrderOf,
  GENERIC_CCTLDS,
  LAW_WORDS,
  lawOf,
  NAME_CUE,
  NAME_PARTICLES,
  NAME_TAIL_WORDS,
  NOT_NAME_WORDS,
  OTHER_CONTACT,
  type Place,
  placeCode,
  placeNamed,
  STATE_CODE_CUE,
  stateName,
  TYPE_STAND_INS,
  TYPE_WORDS,
} from './vocabulary.js';

/**
 * The request fields a chat line gives: the address, the name written before it (never one made
 * up from it), the type in everyday words, the law (or the one that follows from the place), the
 * day it arrived. Used for one-line intakes and for corrections of a waiting draft.
 */

export const EMAIL_RE = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/;

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
  /** The line gave a postal address or phone number as the contact, which the register cannot take. */
  otherContact?: boolean;
  /** How the request reached the organisation ("web form", "email", "post"), when the line says. */
  channel?: string;
  /**
   * Where the address's ending suggests the requester is (".pl" -> Poland), when the line names no
   * place: shown on the draft as a question, applied only when the person says yes.
   */
  placeHint?: { country: string; region?: string; said: string };
  /** Why the type is a stand-in for a right the register has no type for (targeted advertising). */
  typeNote?: string;
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
 * The SCOWL size up to which a word is everyday English: a run typed in lower case made only of
 * such words ("marketing team", "former candidate") is not taken for a name. Set on the intake
 * utterances: "grace", "rose", "smith" are size 20 (so "grace smith" typed in lower case is asked
 * for rather than recorded), while "mike" (35), "tom" (50) and most surnames are not in them.
 */
const EVERYDAY_WORD_SIZE = 20;

function found(ws: string[]): NameFound | undefined {
  // A name does not start or end with a particle ("de" in "request de ..." is not a name).
  while (ws.length > 0 && NAME_PARTICLES.has(ws[0]!.toLowerCase())) ws.shift();
  while (ws.length > 0 && NAME_PARTICLES.has(ws[ws.length - 1]!.toLowerCase())) ws.pop();
  if (ws.length === 0) return undefined;
  const english = englishWords();
  if (ws.every((w) => w === w.toLowerCase() && (english.get(w) ?? 99) <= EVERYDAY_WORD_SIZE))
    return undefined;
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
function nameBefore(line: string, end: number): NameFound | undefined {
  const head = line.slice(0, end);
  const before = head.replace(/[\s<([]+$/, '');
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
  return found(name);
}

/** Name words right after `start` ("hans weber" in "from hans weber, germany"), up to a stop. */
function nameAfter(line: string, start: number): NameFound | undefined {
  const ws = line.slice(start).trim().split(/\s+/);
  const name: string[] = [];
  for (const w of ws) {
    const bare = w.replace(/[,;:.!?)]+$/, '');
    if (!isNameWord(bare) || name.length >= 4) break;
    name.push(bare);
    if (bare !== w) break;
  }
  return found(name);
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
    /\b(?:in|country|from)\s+(?:the\s+)?([A-Z]{2})(?:-([A-Z0-9]{1,3}))?\b/.exec(line) ??
    (codes === 'any'
      ? /(?:^|\s)([A-Za-z]{2})(?:-([A-Za-z0-9]{1,3}))?(?=\s|$)/.exec(line.replace(/\b\d{4}-\d\d-\d\d\b/g, ''))
      : null);
  if (code && !(codes === 'any' && CODE_STOPWORDS.has(code[1]!.toLowerCase()))) {
    const country = code[1]!.toUpperCase();
    if (country === 'UK') return placeNamed('uk');
    // A code that is also a US state's or a city's: the law named decides, else it is asked.
    const readings = code[2] ? [] : codeReadings(country);
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
  const email = EMAIL_RE.exec(line);
  // Addresses and ids are read once and then hidden, so "example.de" is not Germany.
  const masked = line.replace(/[\w.+-]+@[\w.-]+|\bDSR-\d{4}-\d+\b/gi, (m) => ' '.repeat(m.length));
  const lower = masked.toLowerCase();
  // A lower-case state code beside "resident" or "customer" ("tx customer") is a place, no name.
  const stateAt = stateCodeIn(line);
  const nameLine = stateAt ? line.replace(stateAt.said, (m) => ' '.repeat(m.length)) : line;
  let name: NameFound | undefined;
  if (email) {
    fields.email = emailCase(email[0].replace(/\.$/, ''));
    name = nameBefore(nameLine, email.index);
  }
  const said = NAME_CUE.exec(masked);
  if (said) name = nameAfter(masked, said.index + said[0].length) ?? name;
  else if (!name) {
    // Read on the line itself: a name cannot run on past an address ("from ole@… under gdpr").
    for (const from of masked.matchAll(/\b(?:from|for|by)\s+/gi)) {
      name = nameAfter(nameLine, from.index + from[0].length);
      if (name) break;
    }
  }
  if (!name) {
    // A part of the line that is nothing but a name ("deletion, Ana Silva, colorado").
    for (const part of masked.split(/\s*[,;()]\s*|\s+[-–—]\s+|(?<=\p{L}{2})[.!?]+\s+/u)) {
      const ws = part.trim().split(/\s+/);
      if (ws.length >= 2 && ws.length <= 4 && ws.every((w) => isNameWord(w)) && !cityNamed(ws.join(' '))) {
        name = found(ws);
        break;
      }
    }
  }
  if (name) fields.name = name.name;
  const nameless = name ? lower.replace(name.typed.toLowerCase(), ' ') : lower;
  const type = findPhrase(nameless, TYPE_WORDS);
  if (type) fields.type = type.value;
  const standIn = TYPE_STAND_INS.find((t) => t.re.test(nameless));
  if (type && standIn) fields.typeNote = standIn.said;
  const law = findPhrase(nameless, LAW_WORDS);
  const where =
    findPlace(name ? masked.replace(name.typed, ' ') : masked, nameless, 'after-in', law?.value) ??
    (stateAt ? placeCode(`US-${stateAt.code}`, stateAt.said) : undefined);
  if (where?.ask) fields.placeQuestion = where.ask;
  if (where?.country) fields.country = where.country;
  if (where?.region) fields.region = where.region;
  const regime = law?.value ?? where?.regime;
  if (regime) fields.regime = regime;
  if (email && !where && !regime) {
    const hint = placeFromAddress(fields.email!);
    if (hint) fields.placeHint = hint;
  }
  if (!email && OTHER_CONTACT.test(lower)) fields.otherContact = true;
  const channel = CHANNEL_WORDS.find((c) => c.re.test(lower));
  if (channel) fields.channel = channel.channel;
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
  return fields;
}

/** A lower-case US state code the line marks as a place ("a co resident", "tx customer"). */
function stateCodeIn(line: string): { code: string; said: string } | undefined {
  for (const m of line.matchAll(STATE_CODE_CUE)) {
    const said = m[1] ?? m[2]!;
    const code = said.toUpperCase();
    if (said === said.toLowerCase() && !CODE_STOPWORDS.has(said) && stateName(code)) return { code, said };
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
 * The new requester details a correction of a logged request gives: the address, or the name
 * written after "should be", "to", "is actually", "is now" or a colon.
 */
export function readRequesterEdit(line: string): { name?: string; email?: string } {
  const email = EMAIL_RE.exec(line);
  if (email) return { email: emailCase(email[0].replace(/\.$/, '')) };
  const cue = [
    ...line.matchAll(/\b(?:should be|should read|to|is actually|is now|it's|its)\s+|[:=]\s*|->\s*/gi),
  ].pop();
  const name = cue ? nameAfter(line, cue.index + cue[0].length) : undefined;
  return name ? { name: name.name } : {};
}
