import { z } from 'zod';
import { AppError } from '../../core/errors.js';
import { type Backend, openBackend } from '../../store/backends.js';

/**
 * Helpful / not-helpful votes on answers, in the register's own backend under a namespace of
 * their own (a table `register_feedback` in SQLite and Postgres, a key prefix in Redis). A vote is
 * keyed by question id and Slack user id and written with put-if-absent, so each person votes once
 * per answer, even when two clicks race. Nothing else about the person is stored.
 */
export const VOTES = ['helpful', 'not-helpful'] as const;
export type VoteKind = (typeof VOTES)[number];

const voteSchema = z.object({
  v: z.literal(1),
  questionId: z.string(),
  user: z.string(),
  vote: z.enum(VOTES),
  /** The clauses the answer quoted, to find passages that answer badly. */
  clauses: z.array(z.string()),
  at: z.string(),
});
export type Vote = z.infer<typeof voteSchema>;

const QUESTION_ID = /^[a-z0-9-]{1,40}$/;
const USER_ID = /^[UW][A-Z0-9]{2,20}$/;

export class FeedbackStore {
  constructor(private readonly backend: Backend) {}

  private key(questionId: string, user: string): string {
    return `${this.backend.prefix}feedback:${questionId}:${user}`;
  }

  /** Records a vote; `duplicate` when this person already voted on this answer. */
  async record(vote: Omit<Vote, 'v'>): Promise<'recorded' | 'duplicate'> {
    // The ids come back from a button; refuse anything that is not shaped like ours.
    if (!QUESTION_ID.test(vote.questionId) || !USER_ID.test(vote.user))
      throw new AppError('INVALID_INPUT', 'That vote could not be read; ask the question again to vote.');
    const record: Vote = { v: 1, ...vote, clauses: vote.clauses.slice(0, 10).map((c) => c.slice(0, 100)) };
    try {
      const written = await this.backend.insertAll([
        { key: this.key(vote.questionId, vote.user), value: record },
      ]);
      return written ? 'recorded' : 'duplicate';
    } catch (error) {
      throw new AppError('STORE', 'Your vote could not be saved.', { cause: error });
    }
  }

  /** The person's vote on an answer, parsed (so an old or foreign record is not trusted). */
  async get(questionId: string, user: string): Promise<Vote | undefined> {
    const raw: unknown = await this.backend.keyv.get(this.key(questionId, user));
    const parsed = voteSchema.safeParse(raw);
    return parsed.success ? parsed.data : undefined;
  }

  async close(): Promise<void> {
    await this.backend.close();
  }
}

/** Opens the feedback namespace of the store PRIVACY_OPS_STORE names. */
export async function openFeedbackStore(url: string): Promise<FeedbackStore> {
  return new FeedbackStore(await openBackend(url, { namespace: 'feedback' }));
}
