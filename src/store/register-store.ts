import { AppError, isStorageFull, storageFullError } from '../core/errors.js';
import type { RegisterStore } from '../core/requests/store.js';
import { type Backend, type BackendOptions, openBackend } from './backends.js';

/**
 * The register's {@link RegisterStore} over keyv, for every backend. Keys:
 *
 * - `log:<seq>` one audit event per log position, seq zero-padded to 12 digits so keys sort in
 *   log order (the backend's `max(key)` then finds the last one); written only by `insertAll`.
 * - `pd:<ref>` a personal-data record (requester, free text), keyed by its salted digest.
 * - `snapshot` and `snapshot:<n>` the derived projection (header and parts); overwritten freely,
 *   validated against the log on read.
 */
export class KeyvRegisterStore implements RegisterStore {
  readonly kind: string;

  constructor(readonly backend: Backend) {
    this.kind = backend.kind;
  }

  private key(name: string): string {
    return this.backend.prefix + name;
  }

  private logKey(seq: number): string {
    return this.key(`log:${String(seq).padStart(12, '0')}`);
  }

  /** Runs a backend call, turning driver failures into one STORE error that names the backend. */
  private async io<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof AppError) throw error;
      if (isStorageFull(error)) throw storageFullError('register', error);
      throw new AppError(
        'STORE',
        `The ${this.kind} register store failed while ${what}: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
  }

  async readLog(from: number, count: number): Promise<unknown[]> {
    const seqs = Array.from({ length: count }, (_, i) => from + i);
    const values = await this.readLogAt(seqs);
    const end = values.indexOf(undefined);
    return end === -1 ? values : values.slice(0, end);
  }

  async readLogAt(seqs: number[]): Promise<(unknown | undefined)[]> {
    if (seqs.length === 0) return [];
    return this.io('reading the audit trail', () =>
      this.backend.keyv.getMany(seqs.map((s) => this.logKey(s))),
    );
  }

  async appendLog(
    first: number,
    entries: unknown[],
    personal: Array<{ ref: string; record: unknown }> = [],
  ): Promise<boolean> {
    if (entries.length === 0) return true;
    // The personal-data keys are fresh salted digests, so they never make the insert lose a race;
    // writing them in the same statement as the events means neither exists without the other.
    return this.io('appending to the audit trail', () =>
      this.backend.insertAll([
        ...personal.map((e) => ({ key: this.key(`pd:${e.ref}`), value: e.record })),
        ...entries.map((value, i) => ({ key: this.logKey(first + i), value })),
      ]),
    );
  }

  async lastLogSeq(): Promise<number> {
    const prefix = this.key('log:');
    const max = await this.io('reading the audit trail', () => this.backend.maxKey(prefix));
    return max ? Number(max.slice(prefix.length)) : 0;
  }

  async getPersonal(refs: string[]): Promise<(unknown | undefined)[]> {
    if (refs.length === 0) return [];
    return this.io('reading personal data', () =>
      this.backend.keyv.getMany(refs.map((r) => this.key(`pd:${r}`))),
    );
  }

  async putPersonal(entries: Array<{ ref: string; record: unknown }>): Promise<void> {
    if (entries.length === 0) return;
    await this.io('writing personal data', () =>
      this.backend.putMany(entries.map((e) => ({ key: this.key(`pd:${e.ref}`), value: e.record }))),
    );
  }

  async deletePersonal(refs: string[]): Promise<void> {
    if (refs.length === 0) return;
    await this.io('deleting personal data', () =>
      this.backend.keyv.deleteMany(refs.map((r) => this.key(`pd:${r}`))),
    );
  }

  async listPersonalRefs(): Promise<string[]> {
    const prefix = this.key('pd:');
    const keys = await this.io('listing personal data', () => this.backend.keys(prefix));
    return keys.map((k) => k.slice(prefix.length));
  }

  async getSnapshotHeader(): Promise<unknown | undefined> {
    return this.io('reading the snapshot', () => this.backend.keyv.get(this.key('snapshot')));
  }

  async getSnapshotParts(count: number, from = 0): Promise<(unknown | undefined)[]> {
    const parts: (unknown | undefined)[] = [];
    // One part at a time: a part is a few MB, the whole snapshot can be a hundred.
    for (let i = from; i < from + count; i++) {
      parts.push(
        await this.io('reading the snapshot', () => this.backend.keyv.get(this.key(`snapshot:${i}`))),
      );
    }
    return parts;
  }

  async putSnapshot(header: unknown, parts: unknown[]): Promise<void> {
    for (const [i, part] of parts.entries()) {
      await this.io('writing the snapshot', () =>
        this.backend.putMany([{ key: this.key(`snapshot:${i}`), value: part }]),
      );
    }
    await this.io('writing the snapshot', () =>
      this.backend.putMany([{ key: this.key('snapshot'), value: header }]),
    );
  }

  async deleteSnapshot(): Promise<void> {
    await this.io('deleting the snapshot', () => this.backend.keyv.delete(this.key('snapshot')));
  }

  async close(): Promise<void> {
    await this.backend.close();
  }
}

/** Opens the register store a URL names (sqlite://FILE, postgres://..., redis://..., memory://). */
export async function openRegisterStore(
  url: string,
  options: BackendOptions = {},
): Promise<KeyvRegisterStore> {
  return new KeyvRegisterStore(await openBackend(url, options));
}
