import { daysBetween } from '../requests/calendar.js';
import { REGIME_LABELS, type Regime } from '../requests/deadlines.js';
import type { NewRequest, Register } from '../requests/register.js';
import { dateOrderOf, lawOf, stateName } from './places.js';
import { contactParts, NO_NAME, requesterText } from './reply.js';
import type { DraftFields } from './understand.js';

/**
 * A one-line intake as a small conversation: the draft keeps what the person said, asks for what
 * is missing one thing at a time, takes corrections of any field, and shows, before anything is
 * written, every field and the exact deadline the register would store.
 */

/**
 * A received date further back than this is questioned on the draft: longer than any response
 * period the register knows (LGPD 15 days to CCPA's 45 and GDPR's month), so a request that old is
 * overdue already and the date is more likely misread ("1/12" taken as 12 January).
 */
export const STALE_RECEIVED_DAYS = 45;

/** How long a draft waits for an answer; after that the person must see the summary again. */
export const DRAFT_TTL_MS = 15 * 60_000;

export type { Draft } from './draft-store.js';

type Missing = 'type' | 'date' | 'law' | 'contact';

export function missingOf(fields: DraftFields): Missing[] {
  const missing: Missing[] = [];
  if (!fields.type) missing.push('type');
  if (fields.receivedEither) missing.push('date');
  if (!fields.regime) missing.push('law');
  // Any one way to reach the requester; an appeal takes the appealed request's.
  if (!fields.email && !fields.phone && !fields.address && !fields.appealOf) missing.push('contact');
  return missing;
}

/** What a missing field is called when a "yes" cannot log the draft ("the law is missing"). */
export const MISSING_LABELS: Record<Missing, string> = {
  type: 'request type',
  date: 'received date',
  law: 'law',
  contact: "requester's contact (email, phone or postal address)",
};

const QUESTIONS: Record<Missing, string> = {
  type: 'What kind of request is it (access, deletion, correction, opt-out, ...)?',
  date: 'Which day did it arrive?',
  law: 'Which law applies, or where is the requester? (for example "Spain", "California", "under GDPR")',
  contact:
    "What is the requester's email address? (For a request by post or phone, give their postal address or phone number instead.)",
};

/**
 * The contact to ask for when the request came by post or phone and the line gave none: the one
 * the reply will go to, with the others offered too.
 */
const CONTACT_BY: Record<string, string> = {
  post: 'What is the requester\'s postal address, to reply to? (e.g. "address is 1 Main Road, Dublin"; an email address or phone number will do too)',
  phone:
    'What is the requester\'s phone number? (e.g. "phone is +353 1 234 5678"; an email address or postal address will do too)',
};

function longDate(date: string): string {
  return new Date(`${date}T12:00:00Z`).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

/** The one short question to ask next, or undefined when the draft is complete. */
export function nextQuestion(fields: DraftFields): string | undefined {
  const [first] = missingOf(fields);
  const either = fields.receivedEither;
  if (first === 'date' && either)
    return `"${either.said}": did it arrive on ${longDate(either.dayFirst)} or on ${longDate(either.monthFirst)}? (or say where the requester is)`;
  if (first === 'law' && fields.placeQuestion) return fields.placeQuestion;
  // The address's ending is a hint, never applied silently: the person says yes or names the place.
  if (first === 'law' && fields.placeHint)
    return `Which law applies, or where is the requester? ${countryName(fields.placeHint.country)}, from the email address (${fields.placeHint.said}) — is that right? Say "yes" if so, or name the place or the law (e.g. "she's in Spain", "under GDPR").`;
  if (first === 'contact' && fields.channel && CONTACT_BY[fields.channel]) return CONTACT_BY[fields.channel];
  // A US state without a comprehensive privacy law (New York, Illinois, ...): no deadline follows
  // from the place, so the team decides which law it handles the request under, if any.
  const state = fields.country === 'US' && fields.region ? stateName(fields.region) : undefined;
  if (first === 'law' && state)
    return `${state} has no comprehensive consumer privacy law that gives this request a legal deadline, so none follows from the place. Which law does your team want to handle it under (e.g. "under CCPA", "under GDPR")? If none, say "no" and handle it under your own policy.`;
  if (first === 'law' && fields.country === 'US')
    return 'Which law applies: CCPA (California) or a US state law (which state)?';
  return first ? QUESTIONS[first] : undefined;
}

/**
 * Applies a correction. A new place brings its law; a new law alone drops a country that law does
 * not cover (a draft from Germany corrected to "under CCPA" is counted on California's calendar).
 */
export function correct(fields: DraftFields, change: DraftFields): DraftFields {
  const next: DraftFields = { ...fields };
  for (const key of [
    'type',
    'received',
    'name',
    'email',
    'phone',
    'address',
    'appealOf',
    'appealRef',
    'receivedEither',
    'channel',
  ] as const) {
    if (change[key] !== undefined) (next as Record<string, unknown>)[key] = change[key];
  }
  if (change.received !== undefined) delete next.receivedEither;
  if (change.typeNote !== undefined || change.type !== undefined) {
    if (change.typeNote) next.typeNote = change.typeNote;
    else delete next.typeNote;
  }
  if (change.placeQuestion !== undefined) next.placeQuestion = change.placeQuestion;
  if (change.placeHint !== undefined && !next.regime) next.placeHint = change.placeHint;
  // A postal address given later is a contact, not news of where the requester is: a place (and
  // so a law) already on the draft stays.
  const placeKept = change.placeFromAddress && (next.country !== undefined || next.regime !== undefined);
  if (placeKept) {
    const { country: _c, region: _r, regime: _l, placeFromAddress: _a, ...contactOnly } = change;
    change = contactOnly;
  }
  if (change.country !== undefined || change.regime !== undefined) {
    delete next.placeQuestion;
    delete next.placeHint;
  }
  if (change.country !== undefined) {
    next.country = change.country;
    if (change.region !== undefined) next.region = change.region;
    else delete next.region;
    const law = change.regime ?? lawOf(change.country, change.region);
    if (law) next.regime = law;
    else if (!change.regime) delete next.regime;
  } else if (change.regime !== undefined) {
    next.regime = change.regime;
    if (next.country && lawOf(next.country, next.region) !== change.regime) {
      delete next.country;
      delete next.region;
    }
  }
  // A place or law given later settles a date that could be read either way round.
  const order = next.receivedEither && dateOrderOf(next.country, next.regime);
  if (next.receivedEither && order) {
    next.received = order === 'day-first' ? next.receivedEither.dayFirst : next.receivedEither.monthFirst;
    delete next.receivedEither;
  }
  return next;
}

/**
 * A "yes" to a draft whose only open question is the place its address suggests: the hint is
 * taken as the place (the draft is shown again, complete, before anything is logged).
 */
export function acceptPlaceHint(fields: DraftFields): DraftFields | undefined {
  const [first] = missingOf(fields);
  if (first !== 'law' || !fields.placeHint || fields.placeQuestion) return undefined;
  const { country, region } = fields.placeHint;
  return correct(fields, { country, ...(region ? { region } : {}) });
}

/** The request the register is asked to log; the draft must be complete. */
export function toNewRequest(fields: DraftFields, today: string): NewRequest {
  return {
    type: fields.type!,
    regime: fields.regime!,
    received: fields.received ?? today,
    ...(fields.email ? { requesterEmail: fields.email } : {}),
    ...(fields.phone ? { requesterPhone: fields.phone } : {}),
    ...(fields.address ? { requesterAddress: fields.address } : {}),
    ...(fields.name ? { requesterName: fields.name } : {}),
    // An appeal names the request it appeals, resolved to its id before the draft is shown.
    ...(fields.appealOf && 'id' in fields.appealOf ? { appealOf: fields.appealOf.id } : {}),
    ...(fields.country ? { country: fields.country } : {}),
    ...(fields.region ? { region: fields.region } : {}),
    // How it reached us when the line said so; else it was relayed through the chat.
    channel: fields.channel ?? 'chat',
    ...notesOf(fields),
  };
}

/** What the draft of an appeal says of the request it appeals. */
function appealLine(fields: DraftFields): string[] {
  if (fields.type !== 'appeal') return [];
  if (fields.appealOf && 'id' in fields.appealOf) return [`• Appeal of: ${fields.appealOf.id}`];
  // The original may predate the register, or have been handled elsewhere: the appeal is logged
  // on its own; its number, if it is in the register, links it instead.
  return [
    `• Appeal of: a request not in the register${fields.appealRef ? ` (reference given: ${fields.appealRef})` : ''}. The original is optional: give its number if it is in the register ("appeal of 0042"), or the reference they gave ("their ref is CASE-88"); "skip" or "yes" logs it as it is.`,
  ];
}

/** The requester as the draft has them: name and contact, or what is still to be given. */
export function draftRequester(fields: DraftFields): string {
  const contact = contactParts(fields);
  if (contact.length > 0)
    return requesterText({
      name: fields.name ?? '',
      ...(fields.email ? { email: fields.email } : {}),
      ...(fields.phone ? { phone: fields.phone } : {}),
      ...(fields.address ? { address: fields.address } : {}),
    });
  // An appeal is from the requester of the request it appeals: their details are taken on "yes".
  if (fields.appealOf && 'id' in fields.appealOf)
    return `the requester of ${fields.appealOf.id} (their details are taken from it)`;
  return `${fields.name ?? NO_NAME}, no email, phone number or postal address given yet`;
}

function countryName(code: string): string {
  try {
    return new Intl.DisplayNames(['en'], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/**
 * Every field of the draft, one per line, and the deadlines the register would store for it.
 * `showRequester` is false where the audience may not see personal data.
 */
export function summary(
  fields: DraftFields,
  register: Register,
  now: Date,
  today: string,
  showRequester: boolean,
): string[] {
  const lines = [
    `• Type: ${fields.type ?? 'not given yet'}${fields.typeNote ? ` (${fields.typeNote})` : ''}`,
    ...appealLine(fields),
    `• Requester: ${showRequester ? draftRequester(fields) : 'the requester (details hidden here)'}`,
    `• Received: ${fields.receivedEither ? `"${fields.receivedEither.said}" (which day?)` : (fields.received ?? today)}`,
    `• Law: ${fields.regime ? REGIME_LABELS[fields.regime as Regime] : 'not given yet'}`,
  ];
  if (fields.channel) lines.push(`• Came in by: ${fields.channel}`);
  if (missingOf(fields).length > 0) {
    if (fields.country) lines.push(`• Country: ${countryName(fields.country)} (${fields.country})`);
    return lines;
  }
  // The register's own validation and deadline rules: exactly what "yes" stores.
  const stored = register.preview(toNewRequest(fields, today), now);
  const where = `${countryName(stored.country)} (${stored.country}${stored.region ? `-${stored.region}` : ''})`;
  lines.push(`• Country: ${where}`);
  for (const d of stored.deadlines.deadlines) {
    const label = d.kind === 'response' ? 'Response due' : `${d.kind}`;
    lines.push(
      `• ${label}: ${d.due}${d.binding ? '' : ' (internal target)'} — ${d.rule.replace(/\.\s*$/, '')}`,
    );
  }
  // A date long past is more often a misread than a request left lying: say so before the yes.
  const ago = daysBetween(stored.received, today);
  if (ago > STALE_RECEIVED_DAYS)
    lines.push(
      `⚠ Received ${ago} days ago${stored.deadlines.due < today ? ', so it is already overdue' : ''}: is ${stored.received} right? If not, correct it (e.g. "received 1 December").`,
    );
  return lines;
}

/**
 * The note a logged request keeps: what came with the draft (a mail's reference), and for an appeal
 * whose original is not in the register, that it is not, with any reference given.
 */
function notesOf(fields: DraftFields): { note?: string } {
  const notes = [
    fields.note,
    fields.type === 'appeal' && !fields.appealOf
      ? `Appeal of a refusal not in the register${fields.appealRef ? `; reference given: ${fields.appealRef}` : ''}.`
      : undefined,
  ].filter((n): n is string => Boolean(n));
  return notes.length > 0 ? { note: notes.join('\n') } : {};
}

/** Whether a name quoted as the old one ("not Lee", "not Jane Roe") is a draft's name or a word of it. */
export function nameQuoted(name: string, was: string): boolean {
  const plain = (v: string) =>
    v
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .split(/[\s,.]+/)
      .filter(Boolean);
  const have = plain(name);
  const quoted = plain(was);
  return quoted.length > 0 && quoted.every((w) => have.includes(w));
}

/** A queued draft in one line: its type, requester (where they may be shown) and law. */
export function queuedLine(f: DraftFields, mayShow: boolean): string {
  const who = mayShow && f.name ? ` from ${f.name}` : '';
  const law = f.regime ? REGIME_LABELS[f.regime] : 'law not given yet';
  return `${f.type ?? 'type not given yet'} request${who}, received ${f.received ?? 'today'}, ${law}`;
}
