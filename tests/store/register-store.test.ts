import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/errors.js';
import {
  ctx,
  type KeyvRegisterStore,
  newRequest,
  OPTIONS,
  openRegisterStore,
  Register,
  TARGETS,
} from '../helpers/register-stores.js';

/**
 * One contract, every backend: the same cases against SQLite (temp file), Redis (REDIS_URL) and
 * Postgres (DATABASE_URL), each in its own namespace that is dropped afterwards.
 */
describe.each(TARGETS)('register store contract: $name', (target) => {
  let place: ReturnType<typeof target.create>;
  let store: KeyvRegisterStore;
  const extra: KeyvRegisterStore[] = [];
  const open = async () => {
    const s = await openRegisterStore(place.url, { namespace: place.namespace });
    extra.push(s);
    return s;
  };

  beforeEach(async (context) => {
    if (target.skip) context.skip(target.skip);
    place = target.create();
    store = await open();
  });

  afterEach(async () => {
    if (target.skip) return;
    for (const s of extra.splice(0)) await s.close();
    await place.cleanup();
  });

  it('appends and reads the log in order, stopping at the first empty position', async () => {
    expect(await store.readLog(1, 10)).toEqual([]);
    expect(await store.lastLogSeq()).toBe(0);
    expect(await store.appendLog(1, [{ n: 1 }, { n: 2 }])).toBe(true);
    expect(await store.appendLog(3, [{ n: 3 }])).toBe(true);
    expect(await store.readLog(1, 10)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(await store.readLog(2, 1)).toEqual([{ n: 2 }]);
    expect(await store.readLogAt([3, 1, 9])).toEqual([{ n: 3 }, { n: 1 }, undefined]);
    expect(await store.lastLogSeq()).toBe(3);
  });

  it('is put-if-absent: a taken position refuses the whole append', async () => {
    expect(await store.appendLog(1, [{ who: 'a' }])).toBe(true);
    expect(await store.appendLog(1, [{ who: 'b' }])).toBe(false);
    expect(await store.appendLog(2, [{ who: 'b' }])).toBe(true);
    // Positions 3 and 4: 4 is taken first, so 3 must stay empty.
    expect(await store.appendLog(4, [{ who: 'c' }])).toBe(true);
    expect(await store.appendLog(3, [{ who: 'd' }, { who: 'd' }])).toBe(false);
    expect(await store.readLog(1, 10)).toEqual([{ who: 'a' }, { who: 'b' }]);
    expect(await store.lastLogSeq()).toBe(4);
  });

  it('lets exactly one of many concurrent writers win a position', async () => {
    const others = await Promise.all([open(), open(), open()]);
    const results = await Promise.all(
      [store, ...others].flatMap((s, i) => [s.appendLog(1, [{ w: i }]), s.appendLog(1, [{ w: i + 10 }])]),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('claims a key once until it expires, and sweeps expired keys (dedupe, issue 11.7)', async () => {
    const backend = store.backend;
    const key = `${backend.prefix}seen:k1`;
    const now = Date.now();
    expect(await backend.claim(key, { n: 1 }, 400, now)).toBe(true);
    expect(await backend.claim(key, { n: 2 }, 400, now)).toBe(false);
    const other = await open();
    expect(await other.backend.claim(key, { n: 3 }, 400, now + 10)).toBe(false);
    expect(await backend.keyv.get(key)).toEqual({ n: 1 });
    // Past its expiry the key counts as absent (Redis expires it itself, in real time).
    await new Promise((resolve) => setTimeout(resolve, 450));
    expect(await backend.claim(key, { n: 4 }, 60_000, Date.now())).toBe(true);
    expect(await backend.keyv.get(key)).toEqual({ n: 4 });
    await backend.claim(`${backend.prefix}seen:k2`, 1, 1, Date.now() - 1_000);
    await backend.deleteExpired(`${backend.prefix}seen:`, Date.now());
    expect(await backend.keyv.get(`${backend.prefix}seen:k2`)).toBeUndefined();
    expect(await backend.keyv.get(key)).toEqual({ n: 4 });
  });

  it('writes personal data with the events in one append, and lists it (issue 11.6)', async () => {
    expect(await store.appendLog(1, [{ n: 1 }], [{ ref: 'r1', record: { v: 1 } }])).toBe(true);
    // A lost race writes neither the events nor their personal data.
    expect(await store.appendLog(1, [{ n: 2 }], [{ ref: 'r2', record: { v: 1 } }])).toBe(false);
    expect(await store.getPersonal(['r1', 'r2'])).toEqual([{ v: 1 }, undefined]);
    expect(await store.listPersonalRefs()).toEqual(['r1']);
  });

  it('round-trips values exactly, including strings keyv would escape', async () => {
    const value = { s: ':colon', u: 'Zoë – ✓', n: null, a: [1, 'two', { deep: true }], b: ':base64:abc' };
    await store.appendLog(1, [value]);
    expect(await store.readLog(1, 1)).toEqual([value]);
  });

  it('stores, overwrites and deletes personal-data records in batches', async () => {
    await store.putPersonal([
      { ref: 'a', record: { v: 1, x: 1 } },
      { ref: 'b', record: { v: 1, x: 2 } },
    ]);
    await store.putPersonal([{ ref: 'a', record: { v: 1, x: 3 } }]);
    expect(await store.getPersonal(['a', 'b', 'c'])).toEqual([{ v: 1, x: 3 }, { v: 1, x: 2 }, undefined]);
    await store.deletePersonal(['a', 'c']);
    expect(await store.getPersonal(['a', 'b'])).toEqual([undefined, { v: 1, x: 2 }]);
  });

  it('stores and drops the snapshot, header and parts', async () => {
    expect(await store.getSnapshotHeader()).toBeUndefined();
    await store.putSnapshot({ v: 2, parts: 2 }, [{ p: 0 }, { p: 1 }]);
    expect(await store.getSnapshotHeader()).toEqual({ v: 2, parts: 2 });
    expect(await store.getSnapshotParts(3)).toEqual([{ p: 0 }, { p: 1 }, undefined]);
    // A starting register reads one part at a time.
    expect(await store.getSnapshotParts(1, 1)).toEqual([{ p: 1 }]);
    await store.deleteSnapshot();
    expect(await store.getSnapshotHeader()).toBeUndefined();
  });

  it('keeps a register across connections, from the log and from the snapshot', async () => {
    const register = await Register.open(store, { ...OPTIONS, snapshotEvery: 3 });
    const a = await register.add(newRequest({ note: 'first' }), ctx());
    const b = await register.add(newRequest({ regime: 'uk-gdpr' }), ctx());
    await register.assign(a.id, 'alice', ctx());
    await register.pause(b.id, ctx(), 'waiting for ID');
    await register.close();
    expect(await store.getSnapshotHeader()).toMatchObject({ upTo: 4, count: 2 });
    await register.closeRequest(a.id, 'completed', ctx());

    const other = await Register.open(await open(), OPTIONS);
    expect(await other.get(a.id)).toMatchObject({ status: 'completed', owner: 'alice' });
    expect(await other.get(b.id)).toMatchObject({ status: 'paused' });
    const detail = await other.show(a.id);
    expect(detail.requester?.email).toBe('jane@example.org');
    expect(detail.trail.map((e) => e.action)).toEqual(['created', 'assigned', 'closed']);
    expect(detail.trail[0]?.text).toBe('first');
    expect(await other.verify()).toMatchObject({ ok: true, events: 5, requests: 2 });
  });

  it('sees changes made through another connection before deciding', async () => {
    const one = await Register.open(store, OPTIONS);
    const two = await Register.open(await open(), OPTIONS);
    const { id } = await one.add(newRequest(), ctx());
    await two.closeRequest(id, 'completed', ctx());
    // `one` has not seen the close yet; it must re-read and refuse rather than close twice.
    await expect(one.closeRequest(id, 'rejected', ctx())).rejects.toThrow(/already closed/);
    const next = await one.add(newRequest(), ctx());
    expect(next.id).toBe('DSR-2026-0002');
  });

  it('loses no change when registers on separate connections race', async () => {
    const registers = await Promise.all([0, 1, 2].map(async () => Register.open(await open(), OPTIONS)));
    const { id } = await registers[0]!.add(newRequest(), ctx());
    const [addsA, addsB] = await Promise.all([
      Promise.all(registers.map((r, i) => r.assign(id, `owner-${i}`, ctx()))),
      Promise.all(registers.map((r) => r.add(newRequest(), ctx()))),
    ]);
    expect(addsA).toHaveLength(3);
    expect(new Set(addsB.map((r) => r.id)).size).toBe(3);
    const check = await Register.open(await open(), OPTIONS);
    expect((await check.show(id)).trail.filter((e) => e.action === 'assigned')).toHaveLength(3);
    expect(await check.verify()).toMatchObject({ ok: true, events: 7, requests: 4 });
  });

  it('closes safely twice', async () => {
    const s = await openRegisterStore(place.url, { namespace: place.namespace });
    await s.close();
    await s.close();
  });
});

describe('opening a store', () => {
  it.each([['redis://127.0.0.1:1'], ['postgres://postgres@127.0.0.1:1/none']])(
    'reports an unreachable %s as a STORE error',
    async (url) => {
      const error = await openRegisterStore(url).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('STORE');
      expect((error as AppError).message).toMatch(/Cannot open the register store/);
    },
  );

  it('rejects an unknown scheme as a configuration error', async () => {
    await expect(openRegisterStore('mongodb://x')).rejects.toMatchObject({ code: 'CONFIG' });
  });
});
