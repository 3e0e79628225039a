import { describe, it } from 'vitest';
import { type NewOutboxEntry, ReminderStore } from '../../../src/core/reminders/store.js';
import { openRegisterStore, TARGETS } from '../../helpers/register-stores.js';

/**
 * The reminder store's atomic rules on every backend, each side with its own connection: racing
 * enqueues record each reminder once with no gap in the outbox, one claimer wins each attempt,
 * an outcome is recorded once, and the cursor skips what is done.
 */

const entry = (role: NewOutboxEntry['role'], requestId: string): NewOutboxEntry => ({
  role,
  kind: 'before',
  requestId,
  deadline: 'response',
  due: '2026-04-02',
  stage: 'd7',
  timeZone: 'UTC',
  workHours: true,
  alsoChannel: false,
});

describe('reminder store', () => {
  it.concurrent.for(TARGETS)(
    '$name: atomic enqueue, claims and outcomes across connections',
    async (target, context) => {
      const { expect } = context;
      if (target.skip) context.skip(target.skip);
      const place = target.create();
      const [one, two] = await Promise.all([
        openRegisterStore(place.url, { namespace: place.namespace }),
        openRegisterStore(place.url, { namespace: place.namespace }),
      ]);
      context.onTestFinished(async () => {
        await one.close();
        await two.close();
        await place.cleanup();
      });
      const a = new ReminderStore(one.backend);
      const b = new ReminderStore(two.backend);
      const now = new Date('2026-03-26T09:00:00Z');

      // 300 reminders, each side enqueuing an overlapping two thirds of them, in many small races.
      const items = Array.from({ length: 300 }, (_, i) => ({
        key: `DSR-2026-${String(i + 1).padStart(4, '0')}|response|2026-04-02|d7`,
        entries: [
          entry('owner', `DSR-2026-${i + 1}`),
          ...(i % 2 ? [entry('channel', `DSR-2026-${i + 1}`)] : []),
        ],
      }));
      const left = items.filter((_, i) => i % 3 !== 0);
      const right = items.filter((_, i) => i % 3 !== 1);
      const chunks = <T>(xs: T[], n: number) =>
        Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));
      const [addedA, addedB] = await Promise.all([
        (async () => (await Promise.all(chunks(left, 7).map((c) => a.enqueue(c, now)))).flat())(),
        (async () => (await Promise.all(chunks(right, 5).map((c) => b.enqueue(c, now)))).flat())(),
      ]);
      const added = [...addedA, ...addedB];
      expect(added.sort()).toEqual(items.map((i) => i.key).sort());
      const entries = await a.entries();
      expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
      expect(entries).toHaveLength(items.reduce((n, i) => n + i.entries.length, 0));
      // Each reminder's entries were written by the same insert as its key: never split.
      const byKey = new Map<string, number[]>();
      for (const e of entries) byKey.set(e.key, [...(byKey.get(e.key) ?? []), e.seq]);
      for (const item of items) expect(byKey.get(item.key)).toHaveLength(item.entries.length);
      expect(await a.recorded(items.slice(0, 3).map((i) => i.key))).toEqual(
        new Set(items.slice(0, 3).map((i) => i.key)),
      );
      // Each record names the roles its messages go to (issue 15.3); a record written before roles
      // were kept has them read off its entries.
      const roles = await b.recordedRoles([items[0]!.key, items[1]!.key, 'DSR-none|-|-|d7']);
      expect(Object.fromEntries(roles)).toEqual({
        [items[0]!.key]: ['owner'],
        [items[1]!.key]: ['owner', 'channel'],
      });
      const [first] = byKey.get(items[1]!.key)!;
      await one.backend.putMany([
        { key: `${one.backend.prefix}reminders:key:${items[1]!.key}`, value: { first, count: 2 } },
      ]);
      expect((await b.recordedRoles([items[1]!.key])).get(items[1]!.key)?.sort()).toEqual([
        'channel',
        'owner',
      ]);
      console.info(`${target.name}: ${a.conflicts + b.conflicts} lost enqueue races, retried`);

      // One winner per attempt; an outcome once.
      const claim = {
        by: 'x',
        at: now.toISOString(),
        leaseUntil: new Date(now.getTime() + 60_000).toISOString(),
      };
      const wins = await Promise.all([
        a.claim(1, 1, { ...claim, by: 'a' }),
        b.claim(1, 1, { ...claim, by: 'b' }),
      ]);
      expect(wins.filter(Boolean)).toHaveLength(1);
      expect(await a.finish(1, { outcome: 'sent', at: now.toISOString(), by: 'a' })).toBe(true);
      expect(await b.finish(1, { outcome: 'sent', at: now.toISOString(), by: 'b' })).toBe(false);

      // Pending: everything but the finished entry, with attempts; the cursor moves past entry 1.
      const pending = await b.pending(1000);
      expect(pending).toHaveLength(entries.length - 1);
      expect(pending[0]?.entry.seq).toBe(2);
      expect(await b.claim(2, 1, claim)).toBe(true);
      await b.failAttempt(2, 1, {
        ...claim,
        failed: { at: claim.at, nextAt: claim.leaseUntil, code: 'ratelimited' },
      });
      const [second] = await new ReminderStore(one.backend).pending(1);
      expect(second).toMatchObject({ attempts: 1, last: { failed: { code: 'ratelimited' } } });
      expect(await a.attempts(2)).toHaveLength(1);

      // Snoozes: last write wins, read back by request.
      await a.snooze('DSR-2026-0001', new Date('2026-03-27T09:00:00Z'));
      expect(await b.snoozes(['DSR-2026-0001', 'DSR-2026-0002'])).toEqual(
        new Map([['DSR-2026-0001', '2026-03-27T09:00:00.000Z']]),
      );
    },
  );
});
