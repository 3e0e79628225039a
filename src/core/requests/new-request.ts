import { z } from 'zod';
import { AppError, toAppError } from '../errors.js';
import { parseRegime, parseRequestType, type Regime, type RequestType } from './deadlines.js';
import {
  NO_CONTACT_MESSAGE,
  parseCountry,
  parseEmail,
  parsePhone,
  parsePostalAddress,
  parseReceivedDate,
  parseText,
} from './input.js';
import type { NewRequest } from './register/types.js';

/**
 * The one schema of a new request (issue 13): what the Slack modal, the Teams card, the one-line
 * intake, the command line and the register itself check a new request with, so a field valid in
 * one is valid in all, with the same limits (a note of at most 2,000 characters everywhere). Each
 * field is read by the register's own parser, so its message is the register's.
 */

/** The fields of a new request, in the order the register checks them. */
export const NEW_REQUEST_FIELDS = [
  'type',
  'regime',
  'received',
  'appealOf',
  'country',
  'region',
  'requesterName',
  'requesterEmail',
  'requesterPhone',
  'requesterAddress',
  'channel',
  'owner',
  'policyId',
  'note',
  'intakeKey',
] as const;

export type NewRequestField = (typeof NEW_REQUEST_FIELDS)[number];

/** What is missing or wrong in a new request: the field, or `contact` when no way to reach the requester is given. */
export type Problem = { field: NewRequestField | 'contact'; message: string; missing: boolean };

/**
 * A text field read by `parse`. Not given (absent, or blank where `blank` is `absent`): refused
 * when `required`, in the parser's own words. `blank: 'given'`: a blank value is read, and refused
 * as empty, as the register has always refused a blank name or note.
 */
function field<T>(
  parse: (value: string) => T,
  options: { required?: boolean; blank?: 'absent' | 'given' } = {},
) {
  return z
    .string()
    .optional()
    .transform((value, ctx) => {
      const absent = value === undefined || (options.blank !== 'given' && value.trim() === '');
      if (absent) {
        if (options.required)
          ctx.addIssue({ code: 'custom', message: wordsOf(() => parse('')), params: { missing: true } });
        return undefined;
      }
      try {
        return parse(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: toAppError(error).message });
        return z.NEVER;
      }
    });
}

/** What a parser says of an empty value. */
function wordsOf(parse: () => unknown): string {
  try {
    parse();
    return 'This field is required.';
  } catch (error) {
    return toAppError(error).message;
  }
}

/** "DE-BY" in the country is the country and its region, as forms and the CLI's --country take it. */
function splitPlace(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null) return raw;
  const input = raw as Record<string, unknown>;
  const place = typeof input.country === 'string' ? input.country.trim() : '';
  const dash = place.indexOf('-');
  if (dash < 0 || (typeof input.region === 'string' && input.region.trim() !== '')) return raw;
  return { ...input, country: place.slice(0, dash), region: place.slice(dash + 1) };
}

export interface SchemaOptions {
  /** The day a received date may not be after (YYYY-MM-DD). */
  today: string;
  /**
   * A form's submission: the requester's name is required (the forms ask for it; the register and
   * a one-line intake log a request without one), and a field left blank is not given.
   */
  form?: boolean;
}

/** The schema of a new request. */
export function newRequestSchema({ today, form = false }: SchemaOptions) {
  // The register has always refused a blank name, channel, owner, policy or note; a form leaves them out.
  const blank = form ? ('absent' as const) : ('given' as const);
  const text = (what: string, max: number) => field((v) => parseText(v, what, max), { blank });
  return z.preprocess(
    splitPlace,
    z
      .object({
        type: field(parseRequestType, { required: true }),
        regime: field(parseRegime, { required: true }),
        received: field((v) => parseReceivedDate(v, today), { required: true }),
        appealOf: field((v) => v.trim().toUpperCase()),
        country: field(parseCountry),
        region: field((v) => parseText(v, 'region', 10).toUpperCase()),
        requesterName: field((v) => parseText(v, 'requester name'), { required: form, blank }),
        requesterEmail: field(parseEmail),
        requesterPhone: field(parsePhone),
        requesterAddress: field(parsePostalAddress),
        channel: text('intake channel', 100),
        owner: text('owner', 100),
        policyId: text('policy id', 100),
        note: text('note', 2000),
        intakeKey: text('intake key', 100),
        smallAgent: z.boolean().optional(),
        simplified: z.boolean().optional(),
      })
      // Any one way to reach the requester; an appeal linked to a request takes that one's.
      .superRefine(
        (r, ctx) => {
          if (r.appealOf === undefined && !r.requesterEmail && !r.requesterPhone && !r.requesterAddress)
            ctx.addIssue({
              code: 'custom',
              message: NO_CONTACT_MESSAGE,
              path: ['contact'],
              params: { missing: true },
            });
        },
        { when: () => true },
      ),
  );
}

/** A new request as the schema reads it: its type and law in the register's names, every field checked. */
export type CheckedRequest = NewRequest & { type: RequestType; regime: Regime };

/** A new request read with the schema: the request as the register keeps it, or every problem, in order. */
export function checkNewRequest(
  raw: unknown,
  options: SchemaOptions,
): { ok: true; request: CheckedRequest } | { ok: false; problems: Problem[] } {
  const result = newRequestSchema(options).safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => ({
      field: String(issue.path[0] ?? 'type') as Problem['field'],
      message: issue.message,
      missing: Boolean((issue as { params?: { missing?: boolean } }).params?.missing),
    }));
    return { ok: false, problems };
  }
  // Fields not given are left out (not `undefined`), as the register's input has them.
  const request = Object.fromEntries(
    Object.entries(result.data).filter(([, v]) => v !== undefined && v !== false),
  ) as unknown as CheckedRequest;
  return { ok: true, request };
}

/**
 * A new request read with the schema, or its first problem as an INVALID_INPUT error: what the
 * register says (and so the command line and the one-line intake, which log through it).
 */
export function parseNewRequest(raw: NewRequest, today: string): CheckedRequest {
  const checked = checkNewRequest(raw, { today });
  if (checked.ok) return checked.request;
  throw new AppError('INVALID_INPUT', checked.problems[0]!.message);
}
