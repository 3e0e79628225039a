import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import { type NewRequest, Register, type RegisterOptions } from '../src/core/requests/register.js';
import { openRegisterStore } from '../src/store/register-store.js';
import { benchSize, inFreshProcess } from './fresh.js';

/**
 * The register at scale, on a temp SQLite store: bulk-add 100,000 requests (through the batch
 * path, `addMany`), then time the queries the CLI makes (`list` of open requests, `list` of those
 * due within 7 days) through the same `Register` API, a cold start from the snapshot, single
 * changes, and the process's memory. Targets: each query under 200 ms, RSS under 300 MB.
 *
 *   npx tsx bench/register.ts [COUNT] [--untuned]
 */

export interface RegisterBenchResult {
  count: number;
  addMs: number;
  addPerSecond: number;
  listOpenMs: number;
  listOpenCount: number;
  dueWithin7Ms: number;
  dueWithin7Count: number;
  snapshotMs: number;
  coldOpenMs: number;
  coldListOpenMs: number;
  coldDueWithin7Ms: number;
  /** A fresh process from its first line to the open requests listed: start, open, list. */
  freshListTotalMs: number;
  changeMs: number;
  verifyMs: number;
  rssMb: number;
  /** Peak RSS through adding, changing, listing and a cold open (the target). */
  maxRssMb: number;
  /** Peak RSS once the whole trail was verified too. */
  verifyPeakRssMb: number;
  targets: { queriesUnder200Ms: boolean; rssUnder300Mb: boolean };
}

const OPTIONS: RegisterOptions = { defaultCountry: 'DE', timeZone: 'UTC', retentionMonths: 24 };
const REGIMES = ['gdpr', 'uk-gdpr', 'ccpa', 'us-state', 'lgpd', 'pipeda', 'quebec', 'swiss'];
const STATES = ['VA', 'CO', 'TX', 'IA', 'OR'];
const TYPES = ['access', 'erasure', 'rectification', 'portability', 'objection', 'opt-out-of-sale'];
const NOW = new Date('2026-03-10T10:00:00Z');
const CHUNK = 5_000;

function input(i: number): NewRequest {
  // Received over the 40 days before NOW, so some are overdue, some due soon, most later.
  const received = new Date(NOW.getTime() - (i % 40) * 86_400_000).toISOString().slice(0, 10);
  return {
    type: TYPES[i % TYPES.length]!,
    regime: REGIMES[(i >> 3) % REGIMES.length]!,
    // A US state request names its state: each state has its own law.
    ...(REGIMES[(i >> 3) % REGIMES.length] === 'us-state'
      ? { country: 'US', region: STATES[i % STATES.length]! }
      : {}),
    received,
    requesterName: `Person ${i}`,
    requesterEmail: `person${i}@example.org`,
    owner: `owner-${i % 25}`,
  };
}

/** Median wall time of `runs` calls, and the last result. */
async function time<T>(runs: number, fn: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const times: number[] = [];
  let result!: T;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    result = await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)]!, result };
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

/**
 * Runs the bench and returns its figures; `log` receives progress lines. Unless `tuneV8` is false
 * it sets V8's --optimize-for-size for this process (see below), which the bench reports.
 */
export async function benchRegister(
  count = benchSize(),
  log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
  options: { tuneV8?: boolean } = {},
): Promise<RegisterBenchResult> {
  // V8 otherwise lets the heap grow to about three times the live data during the bulk add; a
  // long-running deployment would set the same (or --max-old-space-size) in NODE_OPTIONS.
  if (options.tuneV8 !== false) v8.setFlagsFromString('--optimize-for-size');
  const dir = mkdtempSync(join(tmpdir(), 'privacy-ops-bench-'));
  const url = `sqlite://${join(dir, 'register.sqlite')}`;
  try {
    const warm = await addAndQuery(url, count, log);
    const warmPeakMb = Math.round(process.resourceUsage().maxRSS / 1024);

    // A new process's view, in a new process: open from the snapshot, then the same two queries.
    // With the same V8 setting as this process, so the peak RSS figures compare.
    const cold = inFreshProcess<FreshFigures>(
      import.meta.url,
      ['--fresh', url],
      options.tuneV8 !== false ? ['--optimize-for-size'] : [],
    );
    // The target covers adding, listing and finding what is due; verifying the whole trail reads
    // every event and is reported on its own.
    const maxRssMb = Math.max(warmPeakMb, cold.peakRssMb);
    log(`  cold open done, RSS ${cold.rssMb} MB; verifying`);
    const verifyStore = await openRegisterStore(url);
    const verifyStart = performance.now();
    const report = await (await Register.open(verifyStore, OPTIONS)).verify();
    const verifyMs = performance.now() - verifyStart;
    if (!report.ok) throw new Error(`verify failed: ${report.problems.slice(0, 3).join('; ')}`);
    await verifyStore.close();

    const result: RegisterBenchResult = {
      ...warm,
      coldOpenMs: cold.openMs,
      coldListOpenMs: cold.listOpenMs,
      coldDueWithin7Ms: cold.dueWithin7Ms,
      freshListTotalMs: cold.totalMs,
      verifyMs: Math.round(verifyMs),
      rssMb: cold.rssMb,
      maxRssMb,
      verifyPeakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      targets: { queriesUnder200Ms: false, rssUnder300Mb: false },
    };
    const slowest = Math.max(
      result.listOpenMs,
      result.dueWithin7Ms,
      result.coldListOpenMs,
      result.coldDueWithin7Ms,
    );
    result.targets = { queriesUnder200Ms: slowest < 200, rssUnder300Mb: result.maxRssMb < 300 };
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What the fresh process measures (`--fresh URL`). */
interface FreshFigures {
  openMs: number;
  listOpenMs: number;
  dueWithin7Ms: number;
  totalMs: number;
  rssMb: number;
  peakRssMb: number;
}

/** The fresh process: open the register from its snapshot, list the open requests, then those due. */
async function fresh(url: string): Promise<FreshFigures> {
  const start = performance.now();
  const store = await openRegisterStore(url);
  const register = await Register.open(store, OPTIONS);
  const openMs = performance.now() - start;
  const list = await time(1, () => register.list({}, NOW));
  // From the start of the process (performance's time origin), module loading included.
  const totalMs = performance.now();
  const due = await time(1, () => register.list({ dueWithinDays: 7 }, NOW));
  await store.close();
  return {
    openMs: Math.round(openMs),
    listOpenMs: +list.ms.toFixed(1),
    dueWithin7Ms: +due.ms.toFixed(1),
    totalMs: Math.round(totalMs),
    rssMb: mb(process.memoryUsage().rss),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

/** The first process: bulk add, single changes, warm queries, snapshot. Its projection is released on return. */
async function addAndQuery(url: string, count: number, log: (line: string) => void) {
  const store = await openRegisterStore(url);
  try {
    const register = await Register.open(store, OPTIONS);
    const ctx = { actor: 'bench', now: NOW };
    const addStart = performance.now();
    for (let start = 0; start < count; start += CHUNK) {
      const batch = Array.from({ length: Math.min(CHUNK, count - start) }, (_, k) => input(start + k));
      await register.addMany(batch, ctx);
      if ((start / CHUNK) % 4 === 3)
        log(`  added ${start + batch.length}, RSS ${mb(process.memoryUsage().rss)} MB`);
    }
    const addMs = performance.now() - addStart;

    // Single changes through the normal path: each re-reads the log tail and claims one position.
    const open = await register.list({}, NOW);
    const changes = 200;
    const changeStart = performance.now();
    for (let i = 0; i < changes; i++) {
      const target = open[i * 7]!;
      if (i % 2 === 0) await register.assign(target.id, 'bench-owner', ctx);
      else await register.closeRequest(target.id, 'completed', ctx);
    }
    const changeMs = (performance.now() - changeStart) / changes;

    const listOpen = await time(5, () => register.list({}, NOW));
    const due = await time(5, () => register.list({ dueWithinDays: 7 }, NOW));
    const snapshotStart = performance.now();
    await register.snapshot();
    const snapshotMs = performance.now() - snapshotStart;
    return {
      count,
      addMs: Math.round(addMs),
      addPerSecond: Math.round(count / (addMs / 1000)),
      listOpenMs: +listOpen.ms.toFixed(1),
      listOpenCount: listOpen.result.length,
      dueWithin7Ms: +due.ms.toFixed(1),
      dueWithin7Count: due.result.length,
      snapshotMs: Math.round(snapshotMs),
      changeMs: +changeMs.toFixed(2),
    };
  } finally {
    await store.close();
  }
}

const main = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (main && process.argv[2] === '--fresh') {
  process.stdout.write(`${JSON.stringify(await fresh(process.argv[3]!))}\n`);
} else if (main) {
  const args = process.argv.slice(2);
  const untuned = args.includes('--untuned');
  const count = Number(args.find((a) => /^\d+$/.test(a)) ?? 100_000);
  const r = await benchRegister(count, undefined, { tuneV8: !untuned });
  const rows: Array<[string, string]> = [
    ['requests added', `${r.count} in ${r.addMs} ms (${r.addPerSecond}/s, batch path)`],
    ['list open', `${r.listOpenMs} ms (${r.listOpenCount} requests)`],
    ['due within 7 days', `${r.dueWithin7Ms} ms (${r.dueWithin7Count} requests)`],
    ['one change (assign/close)', `${r.changeMs} ms`],
    ['write snapshot', `${r.snapshotMs} ms`],
    ['cold open from snapshot', `${r.coldOpenMs} ms (fresh process)`],
    ['fresh process to open list', `${r.freshListTotalMs} ms (start, load modules, open, list)`],
    ['cold list open / due 7d', `${r.coldListOpenMs} ms / ${r.coldDueWithin7Ms} ms`],
    ['verify whole trail', `${r.verifyMs} ms`],
    [
      'RSS after cold open / peak',
      `${r.rssMb} MB / ${r.maxRssMb} MB (V8 ${untuned ? 'defaults' : '--optimize-for-size'})`,
    ],
    ['queries under 200 ms', r.targets.queriesUnder200Ms ? 'yes' : 'NO'],
    ['peak RSS under 300 MB', r.targets.rssUnder300Mb ? 'yes' : 'NO'],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  process.stdout.write(`${rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n')}\n`);
}
