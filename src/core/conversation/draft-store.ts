import { z } from 'zod';
import { REGIMES, REQUEST_TYPES } from '../requests/deadlines.js';
import type { DraftFields } from './fields.js';

/**
 * Where one-line intakes wait for their "yes". Kept outside the process (the register's store, in
 * production) so that a "yes" reaching another replica, or arriving after a restart, finds the
 * draft; the register's intake key then logs it once however many times it is confirmed.
 */

/** A draft waiting for an answer, or (with `loggedAs`) one already logged, kept briefly. */
export interface Draft {
  /** A random key for this draft: the register logs a draft with the same key only once. */
  id: string;
  fields: DraftFields;
  /** When it was last shown, epoch ms (the turn's clock). */
  at: number;
  /** The request it was logged as; its fields are dropped then (no personal data is kept). */
  loggedAs?: string;
  /**
   * New intakes sent while this one waited, oldest first: each is offered in turn once this one is
   * logged or dropped, never merged into it or lost.
   */
  queued?: DraftFields[];
}

/** The most intakes kept queued behind a waiting draft. */
export const MAX_QUEUED = 5;

/** The drafts of every person the bot talks to, by actor id ("slack:U123"). */
export interface DraftStore {
  /** The actor's draft, or undefined when there is none (or the store let it expire). */
  get(actorId: string): Promise<Draft | undefined>;
  /** Writes the actor's draft, replacing theirs; resolves once it is stored. */
  put(actorId: string, draft: Draft): Promise<void>;
  delete(actorId: string): Promise<void>;
}

const ref = z.union([
  z.object({ id: z.string() }),
  z.object({ number: z.number().int() }),
  z.object({ it: z.literal(true) }),
]);

/** The fields of a draft as stored: parsed on read, so a damaged or foreign value is no draft. */
const draftFieldsSchema: z.ZodType<DraftFields> = z.object({
  type: z.enum(REQUEST_TYPES).optional(),
  regime: z.enum(REGIMES).optional(),
  country: z.string().optional(),
  region: z.string().optional(),
  received: z.string().optional(),
  name: z.string().optional(),
  email: z.string().optional(),
  phone: z.string().optional(),
  address: z.string().optional(),
  receivedEither: z.object({ said: z.string(), dayFirst: z.string(), monthFirst: z.string() }).optional(),
  placeQuestion: z.string().optional(),
  channel: z.string().optional(),
  placeHint: z.object({ country: z.string(), region: z.string().optional(), said: z.string() }).optional(),
  typeNote: z.string().optional(),
  appealOf: ref.optional(),
  appealRef: z.string().max(40).optional(),
  placeFromAddress: z.boolean().optional(),
  note: z.string().max(2000).optional(),
});

/** A draft as a store keeps it (shape version 1). */
export const storedDraftSchema = z.object({
  v: z.literal(1),
  id: z.string().min(1).max(100),
  at: z.number(),
  fields: draftFieldsSchema,
  loggedAs: z.string().optional(),
  queued: z.array(draftFieldsSchema).max(MAX_QUEUED).optional(),
});

/** The stored form of a draft. */
export function toStored(draft: Draft): z.infer<typeof storedDraftSchema> {
  return { v: 1, ...draft };
}

/** A stored value read back as a draft, or undefined when it is not one. */
export function fromStored(value: unknown): Draft | undefined {
  const parsed = storedDraftSchema.safeParse(value);
  if (!parsed.success) return undefined;
  const { v: _v, ...draft } = parsed.data;
  return draft;
}

/** Drafts in this process only: for tests and a deployment without a shared store. */
export class MemoryDraftStore implements DraftStore {
  private readonly drafts = new Map<string, unknown>();

  async get(actorId: string): Promise<Draft | undefined> {
    return fromStored(this.drafts.get(actorId));
  }

  async put(actorId: string, draft: Draft): Promise<void> {
    // Stored as a copy, as a real store would: later changes to the object do not leak in.
    this.drafts.set(actorId, structuredClone(toStored(draft)));
  }

  async delete(actorId: string): Promise<void> {
    this.drafts.delete(actorId);
  }
}
