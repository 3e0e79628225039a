import { describe, it } from 'vitest';
import { ReminderStore } from '../../../src/core/reminders/store.js';
import { openRegisterStore, Register, TARGETS } from '../../helpers/register-stores.js';
import { FakeSlack } from '../../helpers/reminder-fake-slack.js';
import {
  compare,
  Driver,
  LEAD,
  Oracle,
  REGISTER_OPTIONS,
  scenario,
  tickTime,
  ZONES,
} from '../../helpers/reminder-sim.js';
import { ReminderWorker } from '../../helpers/reminder-workers.js';

/**
 * Two scheduler processes against one store (SQLite file, Redis, Postgres), sweeping the same
 * 120 simulated days in lockstep while this process changes the register, with one replica killed
 * while it holds a claimed delivery (and replaced by a fresh process). Everything goes through a
 * loopback fake of the Slack API; the oracle says what must arrive. Zero duplicates, zero misses.
 */
const DAYS = 120;
const REQUESTS = 250;

describe('two scheduler processes', () => {
  // Concurrent: the backends are independent and each run mostly waits on its child processes.
  it.concurrent.for(TARGETS)(
    '$name: sends each reminder once, none lost, when one replica dies mid-delivery',
    { timeout: 600_000 },
    async (target, context) => {
      const { expect } = context;
      if (target.skip) context.skip(target.skip);
      const cleanups: Array<() => Promise<void>> = [];
      context.onTestFinished(async () => {
        for (const c of cleanups.splice(0).reverse()) await c();
      });
      const place = target.create();
      cleanups.push(place.cleanup);
      const slack = await FakeSlack.start({
        users: { ...ZONES, U0NOZONE1: undefined, [LEAD]: 'Europe/London' },
      });
      cleanups.push(() => slack.close());
      const store = await openRegisterStore(place.url, { namespace: place.namespace });
      cleanups.push(() => store.close());
      const register = await Register.open(store, REGISTER_OPTIONS);
      const reminders = new ReminderStore(store.backend);
      const sc = scenario(7 + target.name.length, REQUESTS, DAYS);
      const driver = new Driver(sc, register, reminders);
      const oracle = new Oracle(driver.snoozes);
      let tick = 0;
      slack.stamp = () => tick;

      const args = (replica: string, dieAt?: number) => [
        place.url,
        place.namespace,
        slack.url,
        replica,
        ...(dieAt === undefined ? [] : [String(dieAt)]),
      ];
      // Replica b dies at its first delivery after day 30, while holding that entry's claim.
      const dieAt = 30 * 24;
      const workers = [new ReminderWorker(args('a')), new ReminderWorker(args('b', dieAt))];
      cleanups.push(async () => {
        for (const w of workers) await w.exit();
      });
      for (const w of workers) expect(await w.expect('READY')).toBe(true);

      let crashes = 0;
      for (tick = 0; tick < sc.ticks; tick++) {
        const at = tickTime(tick);
        await driver.apply(tick);
        oracle.observe(tick, at, await register.list({ status: ['all'] }, at));
        const done = await Promise.all(workers.map((w) => w.tick(tick, at)));
        const dead = done.flatMap((ok, i) => (ok ? [] : [i]));
        if (dead.length === 0) continue;
        crashes += dead.length;
        // The survivor sweeps again five minutes later, past the dead replica's two-minute lease,
        // within the same simulated hour (no change to the register in between).
        const later = new Date(at.getTime() + 5 * 60_000);
        for (const [i, w] of workers.entries())
          if (!dead.includes(i)) expect(await w.tick(tick, later)).toBe(true);
        for (const i of dead) {
          workers[i] = new ReminderWorker(args(`${i === 0 ? 'a' : 'b'}${crashes}`));
          expect(await workers[i]!.expect('READY')).toBe(true);
        }
      }
      for (const w of workers) await w.exit();
      for (const w of workers) expect(w.errors).toBe('');
      expect(crashes).toBe(1);

      const delivered = slack.posts.map((p) => ({
        tick: p.stamp as number,
        key: p.metadata!.event_payload.reminder!,
        role: p.metadata!.event_payload.role!,
        to: p.channel === 'C0PRIVACY' ? 'channel' : `dm:${p.channel.slice(1)}`,
      }));
      const result = compare(oracle, delivered, { ticks: true });
      console.info(
        `${target.name}: ${delivered.length} messages from two replicas, ${result.duplicates.length} duplicates, ${result.missing.length} missing; ${reminders.conflicts} lost enqueue races in this process`,
      );
      expect(result.missing.slice(0, 5)).toEqual([]);
      expect(result.duplicates.slice(0, 5)).toEqual([]);
      expect(result.unexpected.slice(0, 5)).toEqual([]);
      expect(result.wrong.slice(0, 5)).toEqual([]);
      expect(delivered.length).toBe(result.sent);
      expect(delivered.length).toBeGreaterThan(1_000);

      // The claim the dead replica held was taken over: attempt 1 by b, never finished; attempt 2
      // by a replica that lived, which sent it.
      const entries = await reminders.entries();
      const outcomes = await reminders.outcomes(entries.map((e) => e.seq));
      expect(outcomes.filter((o) => o === undefined)).toHaveLength(oracle.waiting);
      const taken: string[] = [];
      for (const [i, e] of entries.entries()) {
        if (outcomes[i]?.outcome !== 'sent' || outcomes[i]?.by === 'b') continue;
        const attempts = await reminders.attempts(e.seq);
        if (attempts.length === 2 && attempts[0]!.by === 'b' && !attempts[0]!.failed) taken.push(e.key);
      }
      expect(taken).toHaveLength(1);
      expect(new Set(outcomes.map((o) => o?.by))).toContain('a');
    },
  );
});
