import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ctx,
  type KeyvRegisterStore,
  NOW,
  newRequest,
  OPTIONS,
  openRegisterStore,
  Register,
  TARGETS,
} from '../../helpers/register-stores.js';

/**
 * What a crash or a damaged store leaves behind, on every backend (issue 11, points 6, 8, 9):
 * personal data no event refers to, a log cut off at its end, one row that cannot be read.
 */

/** Writes `text` as the raw stored value of `key`, bypassing the store's envelope (damage). */
async function writeRaw(store: KeyvRegisterStore, key: string, text: string): Promise<void> {
  const adapter = store.backend.keyv.store as { set(key: string, value: string): unknown };
  await adapter.set(store.backend.prefix + key, text);
}

describe.each(TARGETS)('durability of the register: $name', (target) => {
  let place: ReturnType<typeof target.create>;
  let store: KeyvRegisterStore;

  beforeEach(async (context) => {
    if (target.skip) context.skip(target.skip);
    place = target.create();
    store = await openRegisterStore(place.url, { namespace: place.namespace });
  });

  afterEach(async () => {
    if (target.skip) return;
    await store.close();
    await place.cleanup();
  });

  it('reports personal data that no event refers to, and purge deletes it (point 6)', async () => {
    const register = await Register.open(store, OPTIONS);
    const kept = await register.add(newRequest({ note: 'call back' }), ctx());
    // What a crash between the two writes of an earlier version left: a record, no event.
    const orphan = {
      v: 1,
      salt: 'ab'.repeat(16),
      createdAt: NOW.toISOString(),
      data: { kind: 'requester', name: 'Orphan Person', email: 'orphan@example.org' },
    };
    await store.putPersonal([{ ref: 'f'.repeat(64), record: orphan }]);
    const report = await register.verify();
    expect(report.ok).toBe(false);
    expect(report.orphans).toBe(1);
    expect(report.problems.join('\n')).toMatch(/1 personal-data record\(s\) belong to no request.*purge/);
    // Nothing is due for purging, but the orphan is deleted; the request's own data stays.
    const purged = await register.purge(ctx(new Date(NOW.getTime() + 2 * 3_600_000)));
    expect(purged).toMatchObject({ due: [], recordsDeleted: 1, orphansDeleted: 1 });
    expect(await store.getPersonal(['f'.repeat(64)])).toEqual([undefined]);
    expect((await register.show(kept.id)).requester?.name).toBe('Jane Doe');
    expect((await register.show(kept.id)).trail[0]?.text).toBe('call back');
    expect(await register.verify()).toMatchObject({ ok: true, orphans: 0, problems: [] });
  });

  it('leaves a fresh unreferenced record alone: an add of an older version may be under way', async () => {
    const register = await Register.open(store, OPTIONS);
    const record = {
      v: 1,
      salt: 'cd'.repeat(16),
      createdAt: NOW.toISOString(),
      data: { kind: 'text', text: 'x' },
    };
    await store.putPersonal([{ ref: 'e'.repeat(64), record }]);
    expect((await register.purge(ctx(new Date(NOW.getTime() + 60_000)))).recordsDeleted).toBe(0);
    expect((await store.getPersonal(['e'.repeat(64)]))[0]).toBeDefined();
  });

  it('notices events removed from the end of the trail against a recorded head (point 8)', async () => {
    const register = await Register.open(store, OPTIONS);
    const { id } = await register.add(newRequest(), ctx());
    await register.assign(id, 'alice', ctx());
    const middle = (await register.verify()).headHash;
    await register.start(id, ctx());
    const recorded = await register.verify();
    expect(recorded.headHash).toBe(register.position.hash);
    // A head recorded earlier is still in the trail: fine, and said where.
    expect(await register.verify({ head: middle })).toMatchObject({
      ok: true,
      recordedHead: { hash: middle, at: 2 },
    });
    await store.backend.keyv.delete(`${store.backend.prefix}log:000000000003`);
    // A fresh process with no snapshot: the chain links perfectly, only the recorded head tells.
    const fresh = await Register.open(store, OPTIONS);
    const cut = await fresh.verify({ head: recorded.headHash.toUpperCase() });
    expect(cut.ok).toBe(false);
    expect(cut.recordedHead).toEqual({ hash: recorded.headHash, at: null });
    expect(cut.problems.join('\n')).toMatch(
      /the recorded head [0-9a-f]{12} is not in the trail and the trail ends at event 2 .*removed from its end/,
    );
    await expect(fresh.verify({ head: 'not-a-hash' })).rejects.toThrow(/64 hexadecimal digits/);
  });

  it('notices a cut-off end without a recorded head when the snapshot or this process saw further', async () => {
    const register = await Register.open(store, OPTIONS);
    const { id } = await register.add(newRequest(), ctx());
    await register.assign(id, 'alice', ctx());
    await register.snapshot();
    await store.backend.keyv.delete(`${store.backend.prefix}log:000000000002`);
    expect((await register.verify()).problems.join('\n')).toMatch(
      /the snapshot was taken at event 2, but the trail ends at event 1/,
    );
    await store.deleteSnapshot();
    expect((await register.verify()).problems.join('\n')).toMatch(
      /this process has seen event 2, but the trail ends at event 1/,
    );
  });

  it('names a row that cannot be read and how to recover, and still lists what comes before it (point 9)', async () => {
    const register = await Register.open(store, OPTIONS);
    const first = await register.add(newRequest(), ctx());
    await register.add(newRequest(), ctx());
    await register.add(newRequest(), ctx());
    await writeRaw(store, 'log:000000000002', '{"value":{"v":1,"seq":2,');
    const fresh = await Register.open(store, OPTIONS);
    expect((await fresh.list({ status: ['all'] }, NOW)).map((r) => r.id)).toEqual([first.id]);
    expect(fresh.damaged).toMatch(/event 2 cannot be read: the stored value is not valid JSON/);
    const report = await fresh.verify();
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      expect.stringMatching(/^event 2: it cannot be read: the stored value is not valid JSON/),
    ]);
    expect(report.advice.join('\n')).toMatch(/Restore event 2 \(store key log:000000000002\) from a backup/);
    await expect(fresh.add(newRequest(), ctx())).rejects.toThrow(
      /event 2 cannot be read.*nothing was changed\. Restore event 2/,
    );
    // Not in the store's envelope at all: named the same way.
    await writeRaw(store, 'log:000000000002', '"just a string"');
    expect((await (await Register.open(store, OPTIONS)).verify()).problems[0]).toMatch(
      /^event 2: it cannot be read: the stored value is not in the store's/,
    );
  });
});

describe('personal data and its event are written together (point 6)', () => {
  it('leaves no personal-data record when the append that would refer to it fails', async () => {
    const store = await openRegisterStore('memory://');
    const register = await Register.open(store, OPTIONS);
    const raw = store.backend.keyv.store as Map<string, string>;
    const pdKeys = () => [...raw.keys()].filter((k) => k.startsWith('pd:'));
    await register.add(newRequest({ note: 'first' }), ctx());
    expect(pdKeys()).toHaveLength(2);
    // The process "dies" in the append: the backend refuses every write from now on.
    store.backend.insertAll = async () => {
      throw new Error('killed');
    };
    await expect(register.add(newRequest({ note: 'second' }), ctx())).rejects.toThrow();
    const { id } = (await register.list({ status: ['all'] }, NOW))[0]!;
    await expect(register.closeRequest(id, 'completed', ctx(), 'a note')).rejects.toThrow();
    expect(pdKeys()).toHaveLength(2);
  });
});
