import { afterEach, describe, expect, it } from 'vitest';
import { castVote, type FeedbackStore } from '../../../src/core/conversation/feedback.js';
import { openFeedbackStore } from '../../../src/store/feedback-store.js';

/**
 * One store of votes for Slack and Teams with one rule: one vote per person per answer, and a new
 * vote replaces the old (issue 13: Slack kept the first vote, Teams the last, in separate stores).
 */

const at = '2026-03-10T10:00:00.000Z';
let store: FeedbackStore;
afterEach(async () => store?.close());

describe('the feedback store', () => {
  it('keeps one vote per person and answer, the last one', async () => {
    store = await openFeedbackStore('memory://');
    const vote = { questionId: 'm1abc-x7y8z9', user: 'U0STAFF', clauses: ['c1'], at };
    expect(await store.record({ ...vote, vote: 'helpful' })).toBe('recorded');
    expect(await store.record({ ...vote, vote: 'helpful' })).toBe('unchanged');
    expect(await store.record({ ...vote, vote: 'not-helpful' })).toBe('changed');
    expect((await store.get(vote.questionId, 'U0STAFF'))?.vote).toBe('not-helpful');
    // Another person's vote, from another channel, is theirs.
    expect(await store.record({ ...vote, user: 'teams:0000-aad', vote: 'helpful' })).toBe('recorded');
    expect((await store.get(vote.questionId, 'U0STAFF'))?.vote).toBe('not-helpful');
  });

  it('refuses ids that are not shaped like ours', async () => {
    store = await openFeedbackStore('memory://');
    await expect(
      store.record({ questionId: '../../etc', user: 'U0STAFF', vote: 'helpful', clauses: [], at }),
    ).rejects.toThrow(/could not be read/);
  });
});

describe('castVote', () => {
  it('says the same words in every channel', async () => {
    store = await openFeedbackStore('memory://');
    const vote = { questionId: 'q-1', user: 'teams:aad', clauses: [], at };
    expect(await castVote(store, { ...vote, vote: 'helpful' })).toMatch(
      /Thanks, noted as helpful. Your vote was recorded/,
    );
    expect(await castVote(store, { ...vote, vote: 'helpful' })).toBe(
      'You already marked this answer as helpful.',
    );
    expect(await castVote(store, { ...vote, vote: 'not-helpful' })).toBe(
      'Changed your vote on this answer to not helpful.',
    );
    expect(await castVote(undefined, { ...vote, vote: 'helpful' })).toMatch(/not being collected/);
  });
});
