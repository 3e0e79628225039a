import type { Regime, RequestType } from '../requests/deadlines.js';
import { receivedDate } from './dates.js';
import { LAW_WORDS, type Place, placeNamed, TYPE_WORDS } from './vocabulary.js';

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
}

const NAME_WORD = /^(?:\p{Lu}[\p{L}'’.-]*|van|von|de|da|di|del|der|la|le|du|dos|bin|al)$/u;
const NOT_NAMES = new Set(
  'i email e-mail mail address contact requester customer user client consumer resident from by for log new got dsar sar dsr gdpr ccpa cpra lgpd pipeda request mr mrs ms dr monday tuesday wednesday thursday friday saturday sunday january february march april may june july august september october november december today yesterday'.split(
    ' ',
  ),
);

function isNameWord(w: string): boolean {
  const lower = w.toLowerCase();
  return (
    NAME_WORD.test(w) &&
    !NOT_NAMES.has(lower) &&
    !placeNamed(lower) &&
    !LAW_WORDS[lower] &&
    !TYPE_WORDS[lower]
  );
}

/** Capitalised words ending just before `end` ("Tom Baker" in "from Tom Baker tom@…"). */
function nameBefore(line: string, end: number): string | undefined {
  const before = line.slice(0, end).replace(/[\s<([]+$/, '');
  if (before.length === line.slice(0, end).length && end > 0) return undefined;
  const ws = before.split(/\s+/);
  const name: string[] = [];
  while (ws.length > 0 && name.length < 4 && isNameWord(ws[ws.length - 1]!)) name.unshift(ws.pop()!);
  while (name.length > 0 && !/^\p{Lu}/u.test(name[0]!)) name.shift();
  return name.length > 0 ? name.join(' ') : undefined;
}

/** Capitalised words right after `start` ("Hans Weber" in "from Hans Weber, Germany"). */
function nameAfter(line: string, start: number): string | undefined {
  const ws = line.slice(start).trim().split(/\s+/);
  const name: string[] = [];
  for (const w of ws) {
    const bare = w.replace(/[,;:.!?)]+$/, '');
    if (!isNameWord(bare) || name.length >= 4) break;
    name.push(bare);
    if (bare !== w) break;
  }
  while (name.length > 0 && !/^\p{Lu}/u.test(name[name.length - 1]!)) name.pop();
  return name.length > 0 ? name.join(' ') : undefined;
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

const CODE_STOPWORDS = new Set(
  'in it is on of or to at by if me we be do no so an as my he hi id us'.split(' '),
);

/** Where the line says the requester is: a country or US state by name, or a code after "in". */
export function findPlace(line: string, lower: string, codes: 'after-in' | 'any'): Place | undefined {
  const ws = lower.split(/[^\p{L}'’-]+/u).filter(Boolean);
  for (let i = 0; i < ws.length; i++) {
    for (const n of [3, 2, 1]) {
      if (i + n > ws.length) continue;
      const found = placeNamed(ws.slice(i, i + n).join(' '));
      if (found) return found;
    }
  }
  const code =
    /\b(?:in|country|from)\s+(?:the\s+)?([A-Z]{2})(?:-([A-Z0-9]{1,3}))?\b/.exec(line) ??
    (codes === 'any'
      ? /(?:^|\s)([A-Za-z]{2})(?:-([A-Za-z0-9]{1,3}))?(?=\s|$)/.exec(line.replace(/\b\d{4}-\d\d-\d\d\b/g, ''))
      : null);
  if (code && !(codes === 'any' && CODE_STOPWORDS.has(code[1]!.toLowerCase()))) {
    const country = code[1]!.toUpperCase();
    if (country === 'UK') return placeNamed('uk');
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
  if (email) {
    fields.email = email[0].replace(/\.$/, '');
    const name = nameBefore(line, email.index);
    if (name) fields.name = name;
  }
  const said = /\b(?:name is|name's|name:|called|named)\s+/i.exec(masked);
  if (said) {
    const name = nameAfter(masked, said.index + said[0].length);
    if (name) fields.name = name;
  } else if (!fields.name) {
    const from = /\b(?:from|for|by)\s+(?=\p{Lu})/u.exec(masked);
    const name = from ? nameAfter(masked, from.index + from[0].length) : undefined;
    if (name) fields.name = name;
  }
  if (!fields.name) {
    // A part of the line that is nothing but a name ("deletion, Ana Silva, colorado").
    for (const part of masked.split(/\s*[,;()]\s*|\s+[-–—]\s+/)) {
      const ws = part.trim().split(/\s+/);
      if (ws.length >= 2 && ws.length <= 4 && ws.every((w) => isNameWord(w) && /^\p{Lu}/u.test(w))) {
        fields.name = ws.join(' ');
        break;
      }
    }
  }
  const nameless = fields.name ? lower.replace(fields.name.toLowerCase(), ' ') : lower;
  const type = findPhrase(nameless, TYPE_WORDS);
  if (type) fields.type = type.value;
  const law = findPhrase(nameless, LAW_WORDS);
  const where = findPlace(fields.name ? masked.replace(fields.name, ' ') : masked, nameless, 'after-in');
  if (where?.country) fields.country = where.country;
  if (where?.region) fields.region = where.region;
  const regime = law?.value ?? where?.regime;
  if (regime) fields.regime = regime;
  const received = receivedDate(masked, now, timeZone);
  if (received) fields.received = received.date;
  return fields;
}
