import { FeedbackStore } from '../core/conversation/feedback.js';
import { openBackend } from './backends.js';

/**
 * The votes on answers in the register's own backend under a namespace of their own (a table
 * `register_feedback` in SQLite and Postgres, a key prefix in Redis), for Slack and Teams alike.
 */
export async function openFeedbackStore(url: string): Promise<FeedbackStore> {
  const backend = await openBackend(url, { namespace: 'feedback' });
  return new FeedbackStore({
    get: (key) => backend.keyv.get(backend.prefix + key),
    put: (key, value) => backend.putMany([{ key: backend.prefix + key, value }]),
    close: () => backend.close(),
  });
}
