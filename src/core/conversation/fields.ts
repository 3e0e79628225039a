import type { Regime, RequestType } from '../requests/deadlines.js';
import { blank, EMAIL_RE, emailCase, findPhone, findPostalAddress, type Span } from './contacts.js';
import { ambiguousNumericDate, receivedDate } from './dates.js';
import {
  LAW_WORDS,
  MARKETING_OBJECTION,
  TYPE_PURPOSES,
  TYPE_STAND_INS,
  TYPE_WORDS,
} from './law-and-type-words.js';
import { findPlace, placeFromAddress, stateCodeIn } from './line-places.js';
import { cityNamed, dateOrderOf, type Place, placeCode, placeNamed, stateName } from './places.js';
import { isNameWord, type NameFound, nameAfter, nameBefore, nameFrom } from './requester-names.js';
import {
  BARE_PLACE_CODE,
  CANADA_CUE,
  CHANNEL_WORDS,
  type DescribedStatus,
  NAME_CUE,
  UK_POSTCODE,
  US_CONSUMER_CUE,
} from './vocabulary.js';

/**
 * The request fields a chat line gives: the address, the name written before it (never one made
 * up from it), the type in everyday words, the law (or the one that follows from the place), the
 * day it arrived. Used for one-line intakes and for corrections of a waiting draft.
 */

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
      if (run?.every((w) => isNameWord(w))) name = nameFrom(run, { expected: true, email: address });
      if (name) break;
    }
  }
  if (!name) {
    // A part of the line that is nothing but a name ("deletion, Ana Silva, colorado").
    for (const part of parts) {
      const ws = part.trim().split(/\s+/);
      if (ws.length >= 2 && ws.length <= 4 && ws.every((w) => isNameWord(w)) && !cityNamed(ws.join(' '))) {
        name = nameFrom(ws);
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
