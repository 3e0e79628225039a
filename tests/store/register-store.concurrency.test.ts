import { afterEach, describe, expect, it } from 'vitest';
import {
  ctx,
  newRequest,
  OPTIONS,
  openRegisterStore,
  Register,
  TARGETS,
} from '../helpers/register-stores.js';
import { finished, printed, spawnWorker } from '../helpers/spawn-worker.js';

/**
 * No lost updates across processes: two worker processes make 200 changes between them (half to
 * one shared request, half each to their own) and add 40 requests, all at once, on each backend.
 * Afterwards every change is in the audit trail, every id is unique and the trail verifies.
 */
describe.each(TARGETS)('two processes writing at once: $name', (target) => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await cleanup?.();
    cleanup = undefined;
  });

  it('loses no change and never hands out an id twice', { timeout: 120_000 }, async (context) => {
    if (target.skip) context.skip(target.skip);
    const place = target.create();
    cleanup = place.cleanup;
    const open = () => openRegisterStore(place.url, { namespace: place.namespace });

    const setupStore = await open();
    const setup = await Register.open(setupStore, OPTIONS);
    const [shared, own1, own2] = await setup.addMany([newRequest(), newRequest(), newRequest()], ctx());
    await setupStore.close();

    const children = [
      ['p1', own1!.id],
      ['p2', own2!.id],
    ].map(([label, own]) =>
      spawnWorker(['changes', place.url, place.namespace, label!, '100', shared!.id, own!, '20']),
    );
    const outcomes = children.map(finished);
    await Promise.all(children.map((child) => printed(child, 'READY')));
    for (const child of children) child.stdin?.end('GO\n');
    const results = await Promise.all(outcomes);
    for (const r of results) {
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(/^READY\nDONE \d+\n$/);
      expect(r.code).toBe(0);
    }
    const lost = results.reduce((n, r) => n + Number(r.stdout.split(' ').at(-1)), 0);
    console.info(`${target.name}: the workers lost ${lost} race(s) for a log position and retried`);

    const store = await open();
    try {
      const register = await Register.open(store, OPTIONS);
      const sharedTrail = (await register.show(shared!.id)).trail.filter((e) => e.action === 'assigned');
      const expectedShared = ['p1', 'p2'].flatMap((l) =>
        Array.from({ length: 50 }, (_, i) => `${l}-${i * 2}`),
      );
      expect(sharedTrail.map((e) => e.after.owner).sort()).toEqual(expectedShared.sort());
      // Each change started from the state left by the one before it.
      for (let i = 1; i < sharedTrail.length; i++)
        expect(sharedTrail[i]!.before.owner).toBe(sharedTrail[i - 1]!.after.owner);
      expect((await register.get(shared!.id)).owner).toBe(sharedTrail.at(-1)!.after.owner);
      for (const [label, own] of [
        ['p1', own1!],
        ['p2', own2!],
      ] as const) {
        const trail = (await register.show(own.id)).trail.filter((e) => e.action === 'assigned');
        expect(trail.map((e) => e.after.owner).sort()).toEqual(
          Array.from({ length: 50 }, (_, i) => `${label}-${i * 2 + 1}`).sort(),
        );
      }
      const all = await register.list({ status: ['all'] }, new Date());
      expect(all).toHaveLength(43);
      expect(all.map((r) => r.id).sort()).toEqual(
        Array.from({ length: 43 }, (_, i) => `DSR-2026-${String(i + 1).padStart(4, '0')}`),
      );
      expect(await register.verify()).toMatchObject({ ok: true, events: 243, requests: 43, problems: [] });
    } finally {
      await store.close();
    }
  });
});
