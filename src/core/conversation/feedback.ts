import { z } from 'zod';
import { AppError } from '../errors.js';

/**
 * Helpful / not-helpful votes on answers, one rule for every channel: a person has one vote per
 * answer, and voting again replaces it (a misclick or a second thought is corrected, never counted
 * twice). A vote is keyed by question id and voter id, so two racing clicks still leave one vote,
 * the last. Nothing else about the person is stored.
 */
export const VOTES = ['helpful', 'not-helpful'] as const;
export type VoteKind = (typeof VOTES)[number];

const voteSchema = z.object({
  v: z.literal(1),
  questionId: z.string(),
  /** The voter as the channel names them (a Slack user id, `teams:<Entra id>`). */
  user: z.string(),
  vote: z.enum(VOTES),
  /** The clauses the answer quoted, to find passages that answer badly. */
  clauses: z.array(z.string()),
  at: z.string(),
});
export type Vote = z.infer<typeof voteSchema>;

/** What became of a vote. */
export type VoteResult = 'recorded' | 'changed' | 'unchanged';

/** Where votes are kept: a namespace of the register's store (src/store/feedback-store.ts). */
export interface VoteStorage {
  get(key: string): Promise<unknown>;
  put(key: string, value: unknown): Promise<void>;
  close(): Promise<void>;
}

/** The engine's question ids ("m1abc-x7y8z9"); a button's value is refused unless it is one. */
const QUESTION_ID = /^[A-Za-z0-9-]{1,64}$/;
const VOTER = /^[\w:.@-]{1,200}$/;

export class FeedbackStore {
  constructor(private readonly storage: VoteStorage) {}

  private key(questionId: string, user: string): string {
    return `feedback:${questionId}:${user}`;
  }

  /** Records a vote: a first one, a changed one, or the same one again (nothing is written). */
  async record(vote: Omit<Vote, 'v'>): Promise<VoteResult> {
    // The ids come back from a button; refuse anything that is not shaped like ours.
    if (!QUESTION_ID.test(vote.questionId) || !VOTER.test(vote.user))
      throw new AppError('INVALID_INPUT', 'That vote could not be read; ask the question again to vote.');
    const record: Vote = { v: 1, ...vote, clauses: vote.clauses.slice(0, 10).map((c) => c.slice(0, 100)) };
    try {
      const before = await this.get(vote.questionId, vote.user);
      if (before?.vote === vote.vote) return 'unchanged';
      await this.storage.put(this.key(vote.questionId, vote.user), record);
      return before ? 'changed' : 'recorded';
    } catch (error) {
      throw new AppError('STORE', 'Your vote could not be saved.', { cause: error });
    }
  }

  /** The person's vote on an answer, parsed (so an old or foreign record is not trusted). */
  async get(questionId: string, user: string): Promise<Vote | undefined> {
    const parsed = voteSchema.safeParse(await this.storage.get(this.key(questionId, user)));
    return parsed.success ? parsed.data : undefined;
  }

  async close(): Promise<void> {
    await this.storage.close();
  }
}

/**
 * Records a vote and returns what the voter is told, the same words in every channel; without a
 * store (an installation that collects none) only thanks.
 */
export async function castVote(store: FeedbackStore | undefined, vote: Omit<Vote, 'v'>): Promise<string> {
  if (!store) return 'Thanks! Votes are not being collected in this installation.';
  const result = await store.record(vote);
  const label = vote.vote === 'helpful' ? 'helpful' : 'not helpful';
  if (result === 'unchanged') return `You already marked this answer as ${label}.`;
  if (result === 'changed') return `Changed your vote on this answer to ${label}.`;
  return vote.vote === 'helpful'
    ? 'Thanks, noted as helpful. Your vote was recorded; it helps the privacy team improve the answers.'
    : 'Thanks, noted as not helpful. Your vote was recorded; for anything the policy does not settle, ask the privacy team.';
}
