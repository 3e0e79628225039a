import { z } from 'zod';
import { findPhrase } from '../conversation/fields.js';
import { LAW_WORDS, TYPE_WORDS } from '../conversation/law-and-type-words.js';
import { cityNamed, lawOf, placeCode, placeNamed } from '../conversation/places.js';
import { parseRegime, parseRequestType, type Regime, type RequestType } from '../requests/deadlines.js';
import { todayIn } from '../requests/input.js';
import type { NewRequest } from '../requests/register.js';

/**
 * A request delivered by a machine (a web form, a ticketing tool, a mail-parsing service) to the
 * intake webhook: the JSON body's shape, and how it is read into the register's fields with the
 * same vocabulary as a one-line chat intake ("right to be forgotten", "under the CPRA", "Spain").
 */

/** Longest free-text message kept: the register's note holds 2,000 characters. */
export const MAX_MESSAGE_CHARS = 2_000;

const text = (max: number) => z.string().trim().min(1).max(max);

/** The intake webhook's JSON body. Unknown keys are ignored, so a form may send more than this. */
export const intakeSubmissionSchema = z
  .object({
    /** The sender's id for this delivery: a retry with the same key is handled once. */
    idempotencyKey: z
      .string()
      .regex(/^[A-Za-z0-9._:-]{8,200}$/, { message: 'must be 8-200 letters, digits or . _ : -' }),
    requester: z
      .object({
        name: text(200).optional(),
        email: z.email({ message: 'must be an email address such as name@example.org' }).optional(),
        phone: text(40).optional(),
        postalAddress: text(500).optional(),
      })
      .refine((r) => Boolean(r.email || r.phone || r.postalAddress), {
        message: 'give at least one of email, phone or postalAddress',
      }),
    /** The request type as a code ("erasure") or in everyday words ("delete my data"). */
    type: text(200),
    /** The law as a code ("gdpr") or in words ("under the CPRA"); else it follows from the place. */
    law: text(100).optional(),
    /** Where the requester is: an ISO code ("ES") or a name ("Spain"). */
    country: text(100).optional(),
    /** A state or province: a code ("CA") or a name ("California"). */
    state: text(100).optional(),
    /** The day the request arrived (YYYY-MM-DD, or an ISO instant); the delivery day when absent. */
    received: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2}))?$/, {
        message: 'must be a date such as 2025-03-01 or an instant such as 2025-03-01T09:30:00Z',
      })
      .optional(),
    /** What the requester wrote. */
    message: z.string().trim().max(MAX_MESSAGE_CHARS).optional(),
    /** Where it came from, as recorded on the request ("web form", "Zendesk"). */
    source: text(100),
  })
  .strip();

export type IntakeSubmission = z.infer<typeof intakeSubmissionSchema>;

/** What a submission says, read into register fields; `missing` lists what a person must supply. */
export interface ReadSubmission {
  request: Partial<NewRequest> & { received: string; channel: string };
  /** Why it cannot be logged as it stands, one short phrase each ("the law"); empty when complete. */
  missing: string[];
}

function requestType(said: string): RequestType | undefined {
  try {
    return parseRequestType(said);
  } catch {
    return findPhrase(said.toLowerCase(), TYPE_WORDS)?.value;
  }
}

function regimeOf(said: string): Regime | undefined {
  try {
    return parseRegime(said);
  } catch {
    return findPhrase(said.toLowerCase(), LAW_WORDS)?.value;
  }
}

/** A country or US state given by code or by name, as the chat intake reads places. */
function placeOf(country?: string, state?: string): { country?: string; region?: string } {
  const region = state?.trim();
  if (region) {
    const named = placeNamed(region) ?? cityNamed(region);
    if (named?.country && !named.ask)
      return { country: named.country, ...(named.region ? { region: named.region } : {}) };
    if (/^[A-Za-z]{2,3}$/.test(region)) {
      const inCountry = country ? placeOf(country).country : 'US';
      const code = `${inCountry ?? 'US'}-${region.toUpperCase()}`;
      return { country: placeCode(code, region).country, region: region.toUpperCase() };
    }
  }
  const said = country?.trim();
  if (!said) return {};
  if (/^[A-Za-z]{2}$/.test(said)) return { country: said.toUpperCase() === 'UK' ? 'GB' : said.toUpperCase() };
  const named = placeNamed(said);
  return named?.country ? { country: named.country, ...(named.region ? { region: named.region } : {}) } : {};
}

/** The day the request arrived, in the register's time zone. */
function receivedDay(said: string | undefined, now: Date, timeZone: string): string {
  if (!said) return todayIn(now, timeZone);
  if (/^\d{4}-\d{2}-\d{2}$/.test(said)) return said;
  const instant = new Date(said);
  return Number.isNaN(instant.getTime()) ? said : todayIn(instant, timeZone);
}

/**
 * Reads a submission into the fields {@link Register.add} takes. Nothing is guessed: a type, a law
 * or an email the submission does not give is listed in `missing`, for the person who confirms.
 * Any one of email, phone and postal address is a contact the register keeps (as personal data,
 * stored and purged like the name); the message goes into the note.
 */
export function readSubmission(submission: IntakeSubmission, now: Date, timeZone: string): ReadSubmission {
  const missing: string[] = [];
  const type = requestType(submission.type);
  if (!type) missing.push('the request type');
  const place = placeOf(submission.country, submission.state);
  const regime =
    (submission.law ? regimeOf(submission.law) : undefined) ??
    (place.country ? lawOf(place.country, place.region) : undefined);
  if (!regime) missing.push('the law (or a country or state it follows from)');
  const { requester } = submission;
  const note = (submission.message ?? '').slice(0, MAX_MESSAGE_CHARS);
  return {
    request: {
      ...(type ? { type } : {}),
      ...(regime ? { regime } : {}),
      received: receivedDay(submission.received, now, timeZone),
      ...(place.country ? { country: place.country } : {}),
      ...(place.region ? { region: place.region } : {}),
      ...(requester.name ? { requesterName: requester.name } : {}),
      ...(requester.email ? { requesterEmail: requester.email } : {}),
      ...(requester.phone ? { requesterPhone: requester.phone } : {}),
      ...(requester.postalAddress ? { requesterAddress: requester.postalAddress } : {}),
      channel: submission.source,
      ...(note ? { note } : {}),
    },
    missing,
  };
}
