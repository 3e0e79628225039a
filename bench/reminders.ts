import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { slackAddress } from '../src/channels/slack/address.js';
import type { ReminderChannel } from '../src/core/reminders/delivery.js';
import { Scheduler, type SchedulerOptions } from '../src/core/reminders/scheduler.js';
import { remindersDue } from '../src/core/reminders/select.js';
import { ReminderStore } from '../src/core/reminders/store.js';
import { type NewRequest, Register, type RegisterOptions } from '../src/core/requests/register.js';
import { openRegisterStore } from '../src/store/register-store.js';
import { benchSize, inFreshProcess } from './fresh.js';
import { figure } from './report.js';

/**
 * The reminder sweep at scale, on a temp SQLite store: 100,000 open requests of mixed regimes and
 * owners (Slack users in five zones, names, nobody), then, at a working-hours instant:
 *
 * - the pure selection (`remindersDue`) over all of them;
 * - the first sweep, which records every reminder due (tens of thousands of outbox entries);
 * - a sweep in a fresh process (a process of its own) once they are recorded (target < 1 s), and
 *   the next one in that process, which knows what it recorded;
 * - delivery throughput through a channel that answers at once (the store's claim and outcome
 *   writes per message; Slack's own rate limit is the real bound).
 *
 *   npx tsx bench/reminders.ts [COUNT]
 */

const OPTIONS: RegisterOptions = { defaultCountry: 'DE', timeZone: 'Europe/Berlin', retentionMonths: 24 };
const REGIMES = ['gdpr', 'uk-gdpr', 'ccpa', 'us-state', 'lgpd', 'pipeda', 'quebec', 'swiss'];
const STATES = ['VA', 'CO', 'TX', 'IA', 'OR'];
const ZONES: Record<string, string> = {
  U0BERLIN1: 'Europe/Berlin',
  U0LONDON1: 'Europe/London',
  U0NEWYORK: 'America/New_York',
  U0LOSANG1: 'America/Los_Angeles',
  W0TOKYO12: 'Asia/Tokyo',
};
const OWNERS = [...Object.keys(ZONES), 'alice', 'bob', undefined];
// Tuesday 10 March 2026, 10:00 UTC: working hours in Europe, before them in the Americas.
const NOW = new Date('2026-03-10T10:00:00Z');
const CHUNK = 5_000;

function input(i: number): NewRequest {
  // Received over the 45 days before NOW: some overdue, many within a week of a deadline.
  const received = new Date(NOW.getTime() - (i % 45) * 86_400_000).toISOString().slice(0, 10);
  const owner = OWNERS[i % OWNERS.length];
  return {
    type: i % 5 === 0 ? 'erasure' : 'access',
    regime: REGIMES[(i >> 3) % REGIMES.length]!,
    // A US state request names its state: each state has its own law.
    ...(REGIMES[(i >> 3) % REGIMES.length] === 'us-state'
      ? { country: 'US', region: STATES[i % STATES.length]! }
      : {}),
    received,
    requesterName: `Person ${i}`,
    requesterEmail: `person${i}@example.org`,
    ...(owner ? { owner } : {}),
  };
}

/** A channel that accepts every message at once: measures the scheduler and the store, not Slack. */
class NullChannel implements ReminderChannel {
  readonly name = 'null';
  sent = 0;
  async deliver() {
    this.sent++;
    return { ok: true as const };
  }
  async timeZone(address: string) {
    return ZONES[address];
  }
}

const SETTINGS: Omit<SchedulerOptions, 'register' | 'store'> = {
  offsets: [7, 3, 1, 0],
  hours: { start: 9 * 60, end: 17 * 60, days: [1, 2, 3, 4, 5] },
  timeZone: 'Europe/Berlin',
  lead: 'U0LEAD001',
  channelWithinDays: 1,
  now: () => NOW,
  addressForm: slackAddress,
};

/**
 * The first process: adds the requests, times the pure selection and the first sweep. Its
 * projection is released on return, as a restarted process would start without it.
 */
async function fill(url: string, count: number, log: (line: string) => void) {
  const store = await openRegisterStore(url);
  const register = await Register.open(store, OPTIONS);
  for (let start = 0; start < count; start += CHUNK) {
    const batch = Array.from({ length: Math.min(CHUNK, count - start) }, (_, k) => input(start + k));
    await register.addMany(batch, { actor: 'bench', now: NOW });
  }
  await register.snapshot();
  log(`  added ${count} requests`);

  const open = await register.list({ status: ['received', 'identity-verified', 'in-progress'] }, NOW);
  const select = {
    offsets: SETTINGS.offsets,
    hours: SETTINGS.hours,
    timeZone: SETTINGS.timeZone,
    timeZoneOf: (a: string) => ZONES[a],
    channelWithinDays: 1,
    lead: 'U0LEAD001',
    addressOf: slackAddress,
  };
  const times: number[] = [];
  let due = 0;
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    due = remindersDue(open, NOW, select).length;
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);

  const first = new Scheduler({
    ...SETTINGS,
    register,
    store: new ReminderStore(store.backend),
    channel: new NullChannel(),
  });
  const t = performance.now();
  const recorded = await first.record(NOW);
  const firstSweepMs = performance.now() - t;
  log(`  first sweep recorded ${recorded.enqueued} reminders`);
  await store.close();
  return { selectMs: +times[2]!.toFixed(1), due, firstSweepMs };
}

export interface ReminderBenchResult {
  count: number;
  selectMs: number;
  due: number;
  firstSweepMs: number;
  entries: number;
  sweepMs: number;
  warmSweepMs: number;
  deliverPerMessageMs: number;
  /** The fresh process's open of the register, before its sweep. */
  openMs: number;
  /** Peak RSS of the fresh process. */
  freshRssMb: number;
}

/** What the fresh process measures (`--fresh URL`). */
type FreshSweep = Pick<
  ReminderBenchResult,
  'entries' | 'sweepMs' | 'warmSweepMs' | 'deliverPerMessageMs' | 'openMs' | 'freshRssMb'
>;

/** The fresh process: opens the register, sweeps once everything is recorded, then delivers. */
async function freshSweep(url: string): Promise<FreshSweep> {
  const channel = new NullChannel();
  let t = performance.now();
  const store2 = await openRegisterStore(url);
  const register2 = await Register.open(store2, OPTIONS);
  const openMs = performance.now() - t;
  const reminders2 = new ReminderStore(store2.backend);
  const steady = new Scheduler({
    ...SETTINGS,
    register: register2,
    store: reminders2,
    channel,
    maxPerPass: 1000,
  });
  t = performance.now();
  const again = await steady.record(NOW);
  const sweepMs = performance.now() - t;
  if (again.enqueued !== 0) throw new Error(`the second sweep recorded ${again.enqueued} reminders again`);
  // The same process a few minutes later: what it knows recorded is cached.
  t = performance.now();
  await steady.record(new Date(NOW.getTime() + 5 * 60_000));
  const warmSweepMs = performance.now() - t;
  const entries = (await reminders2.entries()).length;
  t = performance.now();
  const delivered = await steady.deliver(NOW);
  const deliverPerMessageMs = (performance.now() - t) / Math.max(1, delivered.sent + delivered.dropped);
  const freshRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  await store2.close();
  return {
    entries,
    sweepMs: Math.round(sweepMs),
    warmSweepMs: Math.round(warmSweepMs),
    deliverPerMessageMs: +deliverPerMessageMs.toFixed(2),
    openMs: Math.round(openMs),
    freshRssMb,
  };
}

export async function benchReminders(
  count = benchSize(),
  log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<ReminderBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'privacy-ops-reminders-bench-'));
  const url = `sqlite://${join(dir, 'register.sqlite')}`;
  try {
    const { selectMs, due, firstSweepMs } = await fill(url, count, log);
    // A fresh process: register from the snapshot, no cache of what was recorded.
    const later = inFreshProcess<FreshSweep>(import.meta.url, ['--fresh', url]);
    return { count, selectMs, due, firstSweepMs: Math.round(firstSweepMs), ...later };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The report lines for `npm run bench`. */
export async function benchReminderSweep(): Promise<string[]> {
  const r = await benchReminders(benchSize(), () => {});
  return [
    figure('open requests', r.count, ''),
    figure('select due reminders (pure, median of 5)', r.selectMs, 'ms', undefined, `${r.due} due`),
    figure(
      'first sweep: select + record everything due',
      r.firstSweepMs,
      'ms',
      undefined,
      `${r.entries} outbox entries`,
    ),
    figure(
      `sweep over ${r.count.toLocaleString('en-US')} open requests (SQLite)`,
      r.sweepMs,
      'ms',
      { op: '<', limit: 1000 },
      'fresh process, all recorded',
    ),
    figure('fresh process: open the register first', r.openMs, 'ms'),
    figure('fresh process: peak RSS', r.freshRssMb, 'MB'),
    figure('next sweep in the same process', r.warmSweepMs, 'ms'),
    figure(
      'deliver one message (claim, re-check, record)',
      r.deliverPerMessageMs,
      'ms',
      undefined,
      'instant channel',
    ),
  ];
}

const main = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (main && process.argv[2] === '--fresh') {
  process.stdout.write(`${JSON.stringify(await freshSweep(process.argv[3]!))}\n`);
} else if (main) {
  const count = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 100_000);
  const r = await benchReminders(count);
  process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
}
