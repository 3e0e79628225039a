import { z } from 'zod';

/**
 * The structured corpus: what ingestion produces and what answering reads. Everything a person
 * may want to check points back to a clause, and every clause keeps the exact source words.
 * The JSON written by `privacy-ops ingest` is this shape (versioned by `schemaVersion`).
 */

export const blockKindSchema = z.enum(['heading', 'paragraph', 'list-item', 'table-row']);
export type BlockKind = z.infer<typeof blockKindSchema>;

/** A clause: one paragraph, list item or table row, with its verbatim text. */
export const clauseSchema = z.object({
  /** Stable within a document version: `<section id>.c<n>`. */
  id: z.string(),
  sectionId: z.string(),
  kind: blockKindSchema,
  /** The source words, whitespace folded to single spaces. Quotes are substrings of this. */
  text: z.string(),
  /** Table cells when the clause is a table row (flattened tables are split back into cells). */
  cells: z.array(z.string()).optional(),
  /** The table's header cells, for reading a row as "header: cell". */
  header: z.array(z.string()).optional(),
  /** For a list item, the sentence that introduces the list ("We collect:"). */
  lead: z.string().optional(),
  sentences: z.array(z.string()),
});
export type Clause = z.infer<typeof clauseSchema>;

export const sectionSchema = z.object({
  id: z.string(),
  /** The section number as printed ("5", "2.1"), when the document numbers its sections. */
  number: z.string().optional(),
  title: z.string(),
  level: z.number().int().min(0),
  /** Titles of the enclosing sections, outermost first. */
  parents: z.array(z.string()),
  clauseIds: z.array(z.string()),
});
export type Section = z.infer<typeof sectionSchema>;

/** Where a fact was read: the clause and the exact words. */
export const sourceSchema = z.object({ clauseId: z.string(), quote: z.string() });
export type Source = z.infer<typeof sourceSchema>;

const base = { source: sourceSchema, origin: z.enum(['rules', 'llm']).default('rules') };

export const retentionFactSchema = z.object({
  kind: z.literal('retention'),
  /** The data category as the policy names it ("Technical logs"). */
  category: z.string(),
  /** The period as written ("up to 90 days"), or null when the policy names the data but no period. */
  period: z.string().nullable(),
  /** The period in days when it is a fixed duration (months count as 30, years as 365). */
  days: z.number().nullable(),
  /** What starts the clock ("after deletion", "from last contact"), when stated. */
  start: z.string().nullable(),
  /** What happens afterwards ("purged automatically"), when stated. */
  afterwards: z.string().nullable(),
  ...base,
});

export const rightFactSchema = z.object({
  kind: z.literal('right'),
  right: z.enum([
    'access',
    'rectification',
    'erasure',
    'restriction',
    'portability',
    'objection',
    'withdraw-consent',
    'opt-out-of-sale',
    'complaint',
    'automated-decisions',
  ]),
  ...base,
});

export const contactFactSchema = z.object({
  kind: z.literal('contact'),
  channel: z.enum(['email', 'phone', 'url', 'in-app', 'postal']),
  value: z.string(),
  /** What the contact is for, when the text says ("privacy requests", "security"). */
  purpose: z.string().nullable(),
  ...base,
});

export const responseTimeFactSchema = z.object({
  kind: z.literal('response-time'),
  period: z.string(),
  days: z.number().nullable(),
  ...base,
});

export const processorFactSchema = z.object({
  kind: z.literal('processor'),
  name: z.string(),
  purpose: z.string().nullable(),
  region: z.string().nullable(),
  ...base,
});

export const hostingFactSchema = z.object({ kind: z.literal('hosting'), location: z.string(), ...base });
export const transferFactSchema = z.object({ kind: z.literal('transfer'), safeguard: z.string(), ...base });

export const cookieFactSchema = z.object({
  kind: z.literal('cookie'),
  name: z.string(),
  purpose: z.string().nullable(),
  required: z.boolean().nullable(),
  ...base,
});

export const legalBasisFactSchema = z.object({
  kind: z.literal('legal-basis'),
  activity: z.string().nullable(),
  basis: z.string(),
  ...base,
});

export const securityFactSchema = z.object({ kind: z.literal('security'), measure: z.string(), ...base });
export const minimumAgeFactSchema = z.object({
  kind: z.literal('minimum-age'),
  age: z.number().int(),
  ...base,
});
export const changeNoticeFactSchema = z.object({
  kind: z.literal('change-notice'),
  period: z.string().nullable(),
  days: z.number().nullable(),
  ...base,
});
export const complaintFactSchema = z.object({
  kind: z.literal('complaint-authority'),
  authority: z.string(),
  ...base,
});
export const commitmentFactSchema = z.object({
  kind: z.literal('commitment'),
  /** A practice the policy says it does NOT do. */
  practice: z.enum(['sell', 'share-for-advertising', 'advertising', 'train-models', 'tracking', 'profiling']),
  ...base,
});

export const factSchema = z.discriminatedUnion('kind', [
  retentionFactSchema,
  rightFactSchema,
  contactFactSchema,
  responseTimeFactSchema,
  processorFactSchema,
  hostingFactSchema,
  transferFactSchema,
  cookieFactSchema,
  legalBasisFactSchema,
  securityFactSchema,
  minimumAgeFactSchema,
  changeNoticeFactSchema,
  complaintFactSchema,
  commitmentFactSchema,
]);
export type Fact = z.infer<typeof factSchema>;
export type FactKind = Fact['kind'];
export type FactOf<K extends FactKind> = Extract<Fact, { kind: K }>;
export const FACT_KINDS = factSchema.options.map((o) => o.shape.kind.value) as FactKind[];

export const policySchema = z.object({
  id: z.string(),
  /** The company or product name, read from the text. */
  name: z.string(),
  file: z.string(),
  format: z.enum(['text', 'markdown', 'html', 'rst']),
  sections: z.array(sectionSchema),
  clauses: z.array(clauseSchema),
  facts: z.array(factSchema),
});
export type Policy = z.infer<typeof policySchema>;

export const corpusSchema = z.object({
  schemaVersion: z.literal(1),
  policies: z.array(policySchema),
  /** Documents that could not be read, with the reason; the rest still load. */
  skipped: z.array(z.object({ file: z.string(), reason: z.string() })),
});
export type Corpus = z.infer<typeof corpusSchema>;
