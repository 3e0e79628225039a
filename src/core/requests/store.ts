/**
 * The storage port of the register. Implementations (src/store/) only move opaque JSON values;
 * the register parses everything it reads with zod, so the stored shapes are versioned in one
 * place and a backend cannot smuggle in a record the model does not accept.
 *
 * The one primitive that makes several processes safe without transactions is
 * {@link RegisterStore.appendLog}: an atomic put-if-absent of consecutive log positions. Two
 * writers racing for the same position cannot both win; the loser re-reads and retries.
 */
/**
 * What a backend returns in place of a stored value it cannot decode (not JSON, or not in the
 * store's envelope): one damaged row must not make every other row unreadable, and the register
 * names the damaged position instead of failing the whole read.
 */
export class UnreadableValue {
  constructor(readonly reason: string) {}
}

export interface RegisterStore {
  /** A short name for messages: `sqlite`, `redis`, `postgres` or `memory`. */
  readonly kind: string;
  /**
   * Reads log entries `from`, `from + 1`, ... up to `count` of them, stopping before the first
   * position that holds nothing. Values are returned exactly as stored.
   */
  readLog(from: number, count: number): Promise<unknown[]>;
  /** Reads the entries at the given positions; missing ones are `undefined`. */
  readLogAt(seqs: number[]): Promise<(unknown | undefined)[]>;
  /**
   * Writes `entries` at positions `first`, `first + 1`, ... all or nothing, together with the
   * personal-data records the entries refer to (in the same atomic write, so a crash can never
   * leave a record that no event refers to). Returns false, writing nothing, when any of those
   * positions is already taken (another writer got there first).
   */
  appendLog(
    first: number,
    entries: unknown[],
    personal?: Array<{ ref: string; record: unknown }>,
  ): Promise<boolean>;
  /** The highest log position that holds an entry, or 0: lets `verify` notice a hole in the log. */
  lastLogSeq(): Promise<number>;

  /** Personal-data records (requester, free text), keyed by their salted digest. */
  getPersonal(refs: string[]): Promise<(unknown | undefined)[]>;
  /** Writes (or overwrites) several records in one round trip. */
  putPersonal(entries: Array<{ ref: string; record: unknown }>): Promise<void>;
  deletePersonal(refs: string[]): Promise<void>;
  /** Every personal-data record's ref, so records no event refers to can be found and purged. */
  listPersonalRefs(): Promise<string[]>;

  /**
   * The derived snapshot: disposable, rebuilt from the log when missing or inconsistent. It is a
   * header plus numbered parts, so no single stored value holds the whole register.
   */
  getSnapshotHeader(): Promise<unknown | undefined>;
  /** Parts `from` .. `from + count - 1` (from 0 by default); missing ones are `undefined`. */
  getSnapshotParts(count: number, from?: number): Promise<(unknown | undefined)[]>;
  /** Writes the parts first and the header last, so a header never announces unwritten parts. */
  putSnapshot(header: unknown, parts: unknown[]): Promise<void>;
  deleteSnapshot(): Promise<void>;

  /** Releases connections; the store cannot be used afterwards. Safe to call twice. */
  close(): Promise<void>;
}
