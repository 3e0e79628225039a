import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { loadAnswerKinds } from './evidence.js';
import { FACT_KINDS } from './model.js';

/**
 * Intents are data: `intents/*.yaml` files, validated at start-up. A bad file, an unknown fact
 * kind or a duplicate id stops start-up with a message that names the file.
 */
export const intentSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9.-]*$/, 'ids are lower-case words joined by dots or dashes'),
  description: z.string().min(1),
  examples: z.array(z.string().min(1)).min(1),
  facts: z.array(z.string()).default([]),
  frame: z.array(z.string()).default([]),
  topics: z.array(z.string()).default([]),
  /** Phrases that by themselves mark the intent ("how long" asks about retention), matched case-insensitively. */
  cues: z.array(z.string()).default([]),
  /**
   * When the policy states facts of the intent's kinds, answer from them even if the question's
   * subject is not named in them (a policy's one legal-basis sentence answers "legal basis for
   * account data"). `when-general`: only when the question names nothing beyond the intent's own
   * words ("who do we share data with?" lists the processors; "can others see my profile?" does
   * not). Off for intents about a named thing (a vendor, a data category).
   */
  factsFirst: z
    .union([z.boolean(), z.literal('when-general')])
    .default(false)
    .describe('true: always; when-general: only when the question names nothing more specific'),
  /**
   * What a passage must say to answer a question of this kind, as a case-insensitive regular
   * expression (a response time states a time: "within 30 days", "without undue delay"). A
   * passage without it is quoted as the nearest one, not served as the answer.
   */
  answers: z
    .string()
    .refine((s) => {
      try {
        new RegExp(s, 'i');
        return true;
      } catch {
        return false;
      }
    }, 'not a valid regular expression')
    .optional(),
  /**
   * The kind of answer (an id in `answer-kinds.yaml`) that is itself this intent's topic: a
   * sentence holding it is on the topic whatever words it uses ("Period of detention | Ten years"
   * is about retention without saying "keep" or "retention").
   */
  kind: z.string().optional(),
  slots: z.record(z.string(), z.string()).optional(),
});
export type Intent = z.infer<typeof intentSchema>;

const fileSchema = z.object({ intents: z.array(intentSchema).min(1) });

export class IntentRegistry {
  private readonly byId = new Map<string, Intent>();

  add(intent: Intent, file: string): void {
    if (this.byId.has(intent.id)) throw new AppError('CONFIG', `${file}: duplicate intent id "${intent.id}"`);
    for (const kind of intent.facts) {
      if (!(FACT_KINDS as string[]).includes(kind)) {
        throw new AppError(
          'CONFIG',
          `${file}: intent "${intent.id}" names unknown fact kind "${kind}" (known: ${FACT_KINDS.join(', ')})`,
        );
      }
    }
    this.byId.set(intent.id, intent);
  }

  get(id: string): Intent | undefined {
    return this.byId.get(id);
  }

  all(): Intent[] {
    return [...this.byId.values()];
  }
}

/** Loads and validates every intents file in a directory (lexicon.yaml is not an intents file). */
export function loadIntents(dir: string): IntentRegistry {
  const registry = new IntentRegistry();
  // The answer kinds beside the intents, read once when an intent first names one.
  let known: string[] | undefined;
  for (const name of readdirSync(dir).sort()) {
    if (!/\.ya?ml$/.test(name) || name.startsWith('lexicon') || name.startsWith('answer-kinds')) continue;
    const file = join(dir, name);
    let raw: unknown;
    try {
      raw = parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new AppError('CONFIG', `${file}: not valid YAML (${(error as Error).message.split('\n')[0]})`);
    }
    const parsed = fileSchema.safeParse(raw);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      throw new AppError('CONFIG', `${file}: ${issues}`);
    }
    for (const intent of parsed.data.intents) {
      if (intent.kind !== undefined) {
        known ??= kindIds(dir);
        if (!known.includes(intent.kind))
          throw new AppError(
            'CONFIG',
            `${file}: intent "${intent.id}" names answer kind "${intent.kind}", which ${join(dir, 'answer-kinds.yaml')} does not define (known: ${known.join(', ') || 'none'})`,
          );
      }
      registry.add(intent, file);
    }
  }
  return registry;
}

/** The ids of the answer kinds defined beside the intents (none when there is no such file). */
function kindIds(dir: string): string[] {
  const file = join(dir, 'answer-kinds.yaml');
  return existsSync(file) ? loadAnswerKinds(file).map((k) => k.id) : [];
}
