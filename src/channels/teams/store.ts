import { z } from 'zod';
import { AppError } from '../../core/errors.js';
import { type Backend, openBackend } from '../../store/backends.js';

/**
 * What the Teams channel keeps between requests, in its own namespace of the register's backend
 * (a `register_teams` table in SQLite and Postgres, a `teams:` key prefix in Redis):
 *
 * - `ref:user:<entra id>` the personal chat with a user, `ref:channel:<channel id>` a team channel:
 *   Bot Framework conversation references, which proactive messages need (a bot cannot open a
 *   conversation from nothing but the ids; learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/send-proactive-messages).
 * - `ref:service` the last service URL and tenant seen, to reach a channel the bot was installed
 *   in but has not heard from yet.
 * - `user:<lower-case display name>` the Entra id behind a display name, since the register records
 *   owners by name.
 * - `form:<form id>` a submitted intake form, so a second press cannot log the request twice.
 *
 * Records are parsed with zod on read; a record that does not parse is treated as absent.
 */

/** A Bot Framework ConversationReference (protocol JSON), as stored. */
export const referenceSchema = z.looseObject({
  channelId: z.string(),
  serviceUrl: z.string(),
  conversation: z.looseObject({
    id: z.string(),
    conversationType: z.string().optional(),
    isGroup: z.boolean().optional(),
    tenantId: z.string().optional(),
  }),
  bot: z.looseObject({ id: z.string(), name: z.string().optional() }).optional(),
  user: z
    .looseObject({ id: z.string(), name: z.string().optional(), aadObjectId: z.string().optional() })
    .optional(),
  locale: z.string().optional(),
});
export type ConversationRef = z.infer<typeof referenceSchema>;

const storedRef = z.object({ v: z.literal(1), reference: referenceSchema, at: z.string() });
const storedUser = z.object({ v: z.literal(1), aadObjectId: z.string(), at: z.string() });
const storedForm = z.object({ v: z.literal(1), requestId: z.string().nullable(), at: z.string() });

/** How long a form counts as "being submitted" before another press may submit it again. */
const FORM_PENDING_MS = 30_000;

export class TeamsStore {
  private constructor(private readonly backend: Backend) {}

  /** Opens the store in the `teams` namespace of the register's backend URL. */
  static async open(url: string): Promise<TeamsStore> {
    return new TeamsStore(await openBackend(url, { namespace: 'teams' }));
  }

  private key(name: string): string {
    return this.backend.prefix + name;
  }

  private async io<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw new AppError('STORE', `The Teams store failed while ${what}.`, { cause: error });
    }
  }

  private async read<T>(schema: z.ZodType<T>, name: string): Promise<T | undefined> {
    const raw = await this.io('reading', () => this.backend.keyv.get(this.key(name)));
    const parsed = schema.safeParse(raw);
    return parsed.success ? parsed.data : undefined;
  }

  private async write(name: string, value: unknown): Promise<void> {
    await this.io('writing', () => this.backend.putMany([{ key: this.key(name), value }]));
  }

  async saveReference(key: string, reference: ConversationRef, now: Date): Promise<void> {
    await this.write(`ref:${key}`, { v: 1, reference, at: now.toISOString() });
  }

  async reference(key: string): Promise<ConversationRef | undefined> {
    return (await this.read(storedRef, `ref:${key}`))?.reference;
  }

  async deleteReference(key: string): Promise<void> {
    await this.io('deleting', () => this.backend.keyv.delete(this.key(`ref:${key}`)));
  }

  /** Remembers whose Entra id a display name is, for reminders addressed to an owner by name. */
  async rememberUser(name: string, aadObjectId: string, now: Date): Promise<void> {
    const key = `user:${name.trim().toLowerCase()}`;
    const known = await this.read(storedUser, key);
    if (known?.aadObjectId === aadObjectId) return;
    await this.write(key, { v: 1, aadObjectId, at: now.toISOString() });
  }

  async userByName(name: string): Promise<string | undefined> {
    return (await this.read(storedUser, `user:${name.trim().toLowerCase()}`))?.aadObjectId;
  }

  /**
   * Claims a form for submission with the backend's atomic put-if-absent: false when it was
   * claimed before (submitted, or being submitted by a second press right now). The claim of a
   * submission in progress runs out after {@link FORM_PENDING_MS}, so a form whose submission died
   * with the process (a crash mid-write) can be submitted again; a logged form stays claimed.
   */
  async claimForm(formId: string, now: Date): Promise<boolean> {
    return this.io('claiming a form', () =>
      this.backend.claim(
        this.key(`form:${formId}`),
        { v: 1, requestId: null, at: now.toISOString() },
        FORM_PENDING_MS,
        now.getTime(),
      ),
    );
  }

  /** The request a form logged, null while it is being submitted, undefined when never claimed. */
  async formResult(formId: string): Promise<string | null | undefined> {
    return (await this.read(storedForm, `form:${formId}`))?.requestId;
  }

  async completeForm(formId: string, requestId: string, now: Date): Promise<void> {
    await this.write(`form:${formId}`, { v: 1, requestId, at: now.toISOString() });
  }

  /** Gives a form back after a failed submission, so the person can correct it and submit again. */
  async releaseForm(formId: string): Promise<void> {
    await this.io('releasing a form', () => this.backend.keyv.delete(this.key(`form:${formId}`)));
  }

  async close(): Promise<void> {
    await this.backend.close();
  }
}
