import { afterEach, describe, expect, it } from 'vitest';
import {
  ctx,
  newRequest,
  OPTIONS,
  openRegisterStore,
  Register,
  TARGETS,
} from '../helpers/register-stores.js';
import { finished, spawnWorker } from '../helpers/spawn-worker.js';

/**
 * Crash safety: a process adding 1,000 requests is killed with SIGKILL in the middle of the burst.
 * After a restart every add it acknowledged is there, the ids run without a hole, nothing is
 * half-written (the trail verifies) and the register takes new requests.
 */
describe.each(TARGETS)('kill -9 during a burst of adds: $name', (target) => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await cleanup?.();
    cleanup = undefined;
  });

  it('keeps every acknowledged add and nothing half-written', { timeout: 120_000 }, async (context) => {
    if (target.skip) context.skip(target.skip);
    const place = target.create();
    cleanup = place.cleanup;
    const child = spawnWorker(['add', place.url, place.namespace, '1000']);
    // Kill at a different point each run, after a few hundred acknowledgements.
    const killAfter = 150 + Math.floor(Math.random() * 200);
    const acked: string[] = [];
    let pending = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith('ACK ')) acked.push(line.slice(4));
        if (acked.length === killAfter) child.kill('SIGKILL');
      }
    });
    const result = await finished(child);
    expect(result.signal).toBe('SIGKILL');
    expect(acked.length).toBeGreaterThanOrEqual(killAfter);
    expect(acked.length).toBeLessThan(1000);

    const store = await openRegisterStore(place.url, { namespace: place.namespace });
    try {
      const register = await Register.open(store, OPTIONS);
      for (const id of acked) expect((await register.get(id)).status).toBe('received');
      const ids = (await register.list({ status: ['all'] }, new Date())).map((r) => r.id).sort();
      expect(ids.length).toBeGreaterThanOrEqual(acked.length);
      expect(ids).toEqual(
        Array.from({ length: ids.length }, (_, i) => `DSR-2026-${String(i + 1).padStart(4, '0')}`),
      );
      const report = await register.verify();
      expect(report.problems).toEqual([]);
      expect(report.ok).toBe(true);
      const next = await register.add(newRequest(), ctx());
      expect(next.id).toBe(`DSR-2026-${String(ids.length + 1).padStart(4, '0')}`);
      expect((await register.show(acked.at(-1)!)).requester?.email).toBe('worker@example.org');
    } finally {
      await store.close();
    }
  });
});
