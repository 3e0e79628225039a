import { describe, expect, it } from 'vitest';
import { Scheduler } from '../../../src/core/reminders/scheduler.js';
import { ReminderStore } from '../../../src/core/reminders/store.js';
import { Register } from '../../../src/core/requests/register.js';
import { openRegisterStore } from '../../../src/store/register-store.js';
import {
  compare,
  Driver,
  Oracle,
  REGISTER_OPTIONS,
  RecordingChannel,
  SETTINGS,
  scenario,
  TEAM_ZONE,
  tickTime,
  wall,
  working,
  ZONES,
} from '../../helpers/reminder-sim.js';

/**
 * 120 simulated days, 1,000 requests of mixed regimes, a sweep every hour of an injected clock,
 * with requests closed, extended, paused, reassigned and snoozed along the way. The oracle in
 * tests/helpers/reminder-sim.ts works out independently what must be sent; every expected message
 * arrives once, at the first sweep it is due, in the recipient's working hours where that applies.
 */
describe('reminders over 120 simulated days', () => {
  it('sends every expected reminder once, on time, in working hours', { timeout: 240_000 }, async () => {
    const sc = scenario(20260302, 1000, 120);
    const backend = await openRegisterStore('memory://');
    const register = await Register.open(backend, REGISTER_OPTIONS);
    const store = new ReminderStore(backend.backend);
    const channel = new RecordingChannel();
    let now = tickTime(0);
    const scheduler = new Scheduler({ ...SETTINGS, register, store, channel, now: () => now });
    const driver = new Driver(sc, register, store);
    const oracle = new Oracle(driver.snoozes);
    for (let tick = 0; tick < sc.ticks; tick++) {
      now = tickTime(tick);
      channel.tick = tick;
      await driver.apply(tick);
      oracle.observe(tick, now, await register.list({ status: ['all'] }, now));
      await scheduler.sweep(now);
    }

    const result = compare(oracle, channel.delivered, { ticks: true });
    expect(result.missing.slice(0, 5)).toEqual([]);
    expect(result.duplicates.slice(0, 5)).toEqual([]);
    expect(result.unexpected.slice(0, 5)).toEqual([]);
    expect(result.wrong.slice(0, 5)).toEqual([]);
    expect(channel.delivered).toHaveLength(result.sent);

    // Enough of everything happened for the comparison to mean something.
    const stages = new Set(
      channel.delivered.map((d) => (d.key.split('|')[3] ?? 'digest').replace(/:.*/, '')),
    );
    expect(stages).toEqual(new Set(['d7', 'd3', 'd1', 'd0', 'overdue', 'unassigned', 'digest']));
    // Owners who took a request after its stage went to the channel got that stage's DM (issue 15.3).
    expect(channel.delivered.filter((d) => d.key.endsWith('|owner')).length).toBeGreaterThan(0);
    const kinds = new Set(channel.delivered.map((d) => d.key.split('|')[1]));
    for (const k of ['response', 'extension-notice', 'receipt-confirmation', 'policy-target'])
      expect(kinds).toContain(k);
    const dropped = [...oracle.expected.values()].filter((e) => e.outcome === 'dropped').length;
    console.info(
      `simulation: ${channel.delivered.length} messages sent, ${dropped} dropped as no longer valid, ${oracle.waiting} waiting at the end`,
    );
    expect(channel.delivered.length).toBeGreaterThan(5_000);
    expect(dropped).toBeGreaterThan(0);

    // In the right hours, checked again on the delivered messages themselves.
    for (const d of channel.delivered) {
      const stage = d.key.split('|')[3] ?? 'digest';
      if (!/^d[1-9]/.test(stage) && !stage.startsWith('unassigned')) continue;
      const zone = d.to.startsWith('dm:') ? (ZONES[d.to.slice(3)] ?? TEAM_ZONE) : TEAM_ZONE;
      if (!working(tickTime(d.tick), zone))
        throw new Error(`${d.key} reached ${d.to} at ${JSON.stringify(wall(tickTime(d.tick), zone))}`);
    }
    // Never a requester's name or email.
    for (const d of channel.delivered) expect(d.text).not.toMatch(/Requester|Person\d|@example\.org/);

    // The outbox agrees: every entry has an outcome, none failed.
    const entries = await store.entries();
    const outcomes = await store.outcomes(entries.map((e) => e.seq));
    const open = entries.filter((_, i) => outcomes[i] === undefined);
    expect(open.length).toBe(oracle.waiting);
    expect(outcomes.filter((o) => o?.outcome === 'failed')).toEqual([]);
    expect(outcomes.filter((o) => o?.outcome === 'sent')).toHaveLength(channel.delivered.length);
    await backend.close();
  });
});

describe('a fresh process sweeping', () => {
  // Tuesday 10 March 2026, 10:00 UTC: working hours for the team (London) and Berlin.
  const AT = new Date('2026-03-10T10:00:00Z');

  /** A register with requests at every stage, swept once by a first process. */
  async function sweptOnce() {
    const backend = await openRegisterStore('memory://');
    const register = await Register.open(backend, REGISTER_OPTIONS);
    const inputs = Array.from({ length: 40 }, (_, i) => ({
      type: 'access',
      regime: 'gdpr',
      received: new Date(AT.getTime() - i * 86_400_000).toISOString().slice(0, 10),
      requesterName: `Person ${i}`,
      requesterEmail: `p${i}@example.org`,
      ...(i % 3 === 0 ? {} : { owner: 'U0BERLIN1' }),
    }));
    await register.addMany(inputs, { actor: 'test', now: AT });
    const first = new Scheduler({
      ...SETTINGS,
      register,
      store: new ReminderStore(backend.backend),
      channel: new RecordingChannel(),
      now: () => AT,
    });
    const recorded = await first.record(AT);
    expect(recorded.enqueued).toBeGreaterThan(10);
    return { backend, register };
  }

  /** A reminder store that counts how many reminder markers it reads one by one. */
  function countingStore(backend: Awaited<ReturnType<typeof openRegisterStore>>) {
    const reads = { markers: 0 };
    const keyv = {
      getMany: async (keys: string[]) => {
        reads.markers += keys.filter((k) => k.includes('reminders:key:')).length;
        return backend.backend.keyv.getMany(keys);
      },
    };
    return { reads, store: new ReminderStore({ ...backend.backend, keyv } as never) };
  }

  it('starts from the summary of what is recorded, not one read per reminder', async () => {
    const { backend, register } = await sweptOnce();
    const { reads, store } = countingStore(backend);
    const fresh = new Scheduler({
      ...SETTINGS,
      register,
      store,
      channel: new RecordingChannel(),
      now: () => AT,
    });
    expect(await fresh.record(AT)).toEqual({ fresh: 0, enqueued: 0 });
    expect(reads.markers).toBe(0);
  });

  it('records and delivers when the summary cannot be written', async () => {
    const backend = await openRegisterStore('memory://');
    const register = await Register.open(backend, REGISTER_OPTIONS);
    await register.add(
      {
        type: 'access',
        regime: 'gdpr',
        received: '2026-02-10',
        requesterName: 'A',
        requesterEmail: 'a@example.org',
      },
      { actor: 'test', now: AT },
    );
    const putMany = async (entries: Array<{ key: string; value: unknown }>) => {
      if (entries.some((e) => e.key.endsWith('reminders:recorded'))) throw new Error('disk full');
      return backend.backend.putMany(entries);
    };
    const store = new ReminderStore({ ...backend.backend, keyv: backend.backend.keyv, putMany } as never);
    const channel = new RecordingChannel();
    const report = await new Scheduler({ ...SETTINGS, register, store, channel, now: () => AT }).sweep(AT);
    expect(report.enqueued).toBeGreaterThan(0);
    expect(channel.delivered.length).toBeGreaterThan(0);
  });

  it('reads the markers when the summary cannot be read, and records nothing twice', async () => {
    const { backend, register } = await sweptOnce();
    await backend.backend.putMany([{ key: 'reminders:recorded', value: { v: 1, groups: 'damaged' } }]);
    const { reads, store } = countingStore(backend);
    const fresh = new Scheduler({
      ...SETTINGS,
      register,
      store,
      channel: new RecordingChannel(),
      now: () => AT,
    });
    expect(await fresh.record(AT)).toEqual({ fresh: 0, enqueued: 0 });
    expect(reads.markers).toBeGreaterThan(10);
  });
});
