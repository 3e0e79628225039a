import { DRAFT_TTL_MS } from '../core/conversation/draft.js';
import { type Draft, type DraftStore, fromStored, toStored } from '../core/conversation/draft-store.js';
import { AppError, isStorageFull, storageFullError } from '../core/errors.js';
import type { Backend } from './backends.js';

/**
 * How long the store keeps a draft (or the note that it was logged) after it was last written, by
 * the store's own clock: the engine's answer window (15 minutes) and a margin for clocks that
 * disagree. Only storage hygiene: whether a draft is still live is the engine's to say.
 */
export const DRAFT_STORE_TTL_MS = DRAFT_TTL_MS + 5 * 60_000;

/**
 * {@link DraftStore} in the register's backend, under `drafts:<actor id>` (next to the register's
 * `log:` and `pd:` keys, and the reminders' `reminders:`), with an expiry: Redis drops a key itself;
 * SQLite and Postgres keep an expired row until it is read or swept, so every write also sweeps
 * the expired drafts (a draft holds the requester's details until it is logged or dropped).
 */
export class BackendDraftStore implements DraftStore {
  constructor(
    private readonly backend: Backend,
    private readonly ttlMs: number = DRAFT_STORE_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  private key(actorId: string): string {
    return `${this.backend.prefix}drafts:${actorId}`;
  }

  private async io<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (isStorageFull(error)) throw storageFullError('register', error);
      throw new AppError('STORE', `The ${this.backend.kind} store failed while ${what}.`, { cause: error });
    }
  }

  async get(actorId: string): Promise<Draft | undefined> {
    // A value that is not a draft (damaged, or of an older shape) is no draft: the person retypes it.
    return fromStored(await this.io('reading a draft', () => this.backend.keyv.get(this.key(actorId))));
  }

  async put(actorId: string, draft: Draft): Promise<void> {
    await this.io('keeping a draft', () =>
      this.backend.keyv.set(this.key(actorId), toStored(draft), this.ttlMs),
    );
    // Housekeeping off the person's path; a failure only leaves expired rows for the next write.
    void this.backend.deleteExpired(this.key(''), this.now()).catch(() => undefined);
  }

  async delete(actorId: string): Promise<void> {
    await this.io('dropping a draft', () => this.backend.keyv.delete(this.key(actorId)));
  }
}
