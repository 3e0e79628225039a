import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { figure, show, type Target, type Unit } from './report.js';

/**
 * `npm run bench`: runs every benchmark section in this one process and prints a plain-text
 * report, one figure per line with its target and PASS/FAIL. It reports and never gates: the exit
 * code is 0 even when a target is missed (a section that throws is reported and the rest go on).
 *
 * To add a benchmark (Slack ack latency, reminder sweep, LLM comparison, ...), write a module in
 * bench/ that exports `async () => string[]` (build lines with `figure` from ./qa.js) and append a
 * `{ name, run }` entry to SECTIONS.
 */

/** A benchmark section: a title and a function that returns its report lines. */
export interface Section {
  name: string;
  run: () => Promise<string[]>;
}

export const SECTIONS: Section[] = [
  // Sections load lazily: each runs in a process of its own that imports only what it measures.
  { name: 'Policy QA', run: async () => (await import('./qa.js')).benchQa() },
  { name: 'Register', run: benchRegisterSection },
  { name: 'LLM comparison', run: async () => (await import('./llm.js')).benchLlm() },
  { name: 'Slack ack latency', run: async () => (await import('./slack.js')).benchSlackAck() },
  { name: 'Reminder sweep', run: async () => (await import('./reminders.js')).benchReminderSweep() },
];

/**
 * The register benchmark lives in bench/register.ts (written separately), so it is loaded only
 * when present: `benchRegister(count?, log?)` resolves to an object of figures.
 */
async function benchRegisterSection(): Promise<string[]> {
  const file = new URL('./register.ts', import.meta.url);
  if (!existsSync(fileURLToPath(file))) return ['  register benchmark: not available yet'];
  const mod = (await import(file.href)) as Record<string, unknown>;
  const fn = mod.benchRegister ?? Object.values(mod).find((v) => typeof v === 'function');
  if (typeof fn !== 'function') return ['  register benchmark: bench/register.ts exports no function'];
  // Progress lines would interleave with the report; the figures come back in the result.
  const result: unknown = await fn(undefined, () => {});
  return describeRegister(result);
}

/** Known register figures get their targets (queries under 200 ms, peak RSS under 300 MB). */
const REGISTER_FIGURES: Record<string, { label: string; unit: Unit; target?: Target; note?: string }> = {
  count: { label: 'requests in the register', unit: '' },
  addMs: { label: 'bulk add (batch path)', unit: 'ms' },
  addPerSecond: { label: 'bulk add rate', unit: '/s' },
  listOpenMs: { label: 'list open requests', unit: 'ms', target: { op: '<', limit: 200 } },
  dueWithin7Ms: { label: 'list due within 7 days', unit: 'ms', target: { op: '<', limit: 200 } },
  changeMs: { label: 'one change (assign/close)', unit: 'ms' },
  snapshotMs: { label: 'write snapshot', unit: 'ms' },
  coldOpenMs: { label: 'cold open from snapshot', unit: 'ms', note: 'a fresh process' },
  coldListOpenMs: { label: 'cold list open requests', unit: 'ms', target: { op: '<', limit: 200 } },
  coldDueWithin7Ms: { label: 'cold list due within 7 days', unit: 'ms', target: { op: '<', limit: 200 } },
  freshListTotalMs: {
    label: 'fresh process to the open list',
    unit: 'ms',
    note: 'process start, module loading, open, list',
  },
  verifyMs: { label: 'verify whole audit trail', unit: 'ms' },
  rssMb: { label: 'RSS after the register bench', unit: 'MB' },
  maxRssMb: {
    label: 'peak RSS',
    unit: 'MB',
    target: { op: '<', limit: 300 },
    note: 'add, change, list; and the fresh process (cold open, list)',
  },
  verifyPeakRssMb: { label: 'peak RSS including verify', unit: 'MB' },
};

function describeRegister(result: unknown): string[] {
  if (typeof result === 'string') return result.split('\n').map((l) => `  ${l}`);
  if (Array.isArray(result)) return result.map((l) => `  ${String(l)}`);
  if (!result || typeof result !== 'object') return [`  register benchmark returned ${String(result)}`];
  const r = result as Record<string, unknown>;
  const lines: string[] = [];
  for (const [key, value] of Object.entries(r)) {
    const known = REGISTER_FIGURES[key];
    if (key === 'targets') continue; // PASS/FAIL is worked out per figure above.
    if (known && typeof value === 'number') {
      const count =
        key === 'listOpenMs' ? r.listOpenCount : key === 'dueWithin7Ms' ? r.dueWithin7Count : undefined;
      const note = [count !== undefined ? `${count} requests` : '', known.note ?? '']
        .filter(Boolean)
        .join('; ');
      lines.push(figure(known.label, value, known.unit, known.target, note));
    } else if (key !== 'listOpenCount' && key !== 'dueWithin7Count') {
      lines.push(`  ${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`);
    }
  }
  return lines;
}

/**
 * Runs one section in this process. `npm run bench` runs each section in a child process of its
 * own (`--section NAME`), so that peak memory (a process-lifetime figure) is the section's own.
 */
async function runSection(section: Section, out: (line: string) => void): Promise<void> {
  const start = performance.now();
  try {
    for (const line of await section.run()) out(line);
  } catch (error) {
    out(`  ERROR: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
  // maxRSS is a process-lifetime peak (KiB on Linux).
  const peak = process.resourceUsage().maxRSS / 1024;
  out(
    `  (section took ${show((performance.now() - start) / 1000, 's')}; section peak RSS ${show(peak, 'MB')})`,
  );
}

/**
 * `--requests N` sets the size the register and reminder sections build (default 100,000; the
 * sections' processes read it from BENCH_REQUESTS); `--sections A,B` runs only the named sections.
 */
function options(argv: string[]): { sections: Section[] } {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const requests = value('--requests');
  if (requests !== undefined) process.env.BENCH_REQUESTS = requests.replace(/[,_]/g, '');
  const names = value('--sections')
    ?.split(',')
    .map((n) => n.trim().toLowerCase());
  const sections = names ? SECTIONS.filter((s) => names.includes(s.name.toLowerCase())) : SECTIONS;
  return { sections };
}

async function main(): Promise<void> {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const only = process.argv.indexOf('--section');
  if (only >= 0) {
    const section = SECTIONS.find((s) => s.name === process.argv[only + 1]);
    if (section) await runSection(section, out);
    else out(`  no section named ${process.argv[only + 1]}`);
    return;
  }
  const { sections } = options(process.argv);
  const started = performance.now();
  out(
    `privacy-ops benchmark — ${new Date().toISOString()} — Node ${process.version} on ${process.platform}/${process.arch}`,
  );
  out('Figures are from one run; compare ratios and percentiles, not absolute milliseconds.');
  if (process.env.BENCH_REQUESTS)
    out(`Register and reminder sections over ${process.env.BENCH_REQUESTS} requests.`);
  for (const section of sections) {
    out('');
    out(`== ${section.name}`);
    const child = spawnSync(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), '--section', section.name],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
        maxBuffer: 64 << 20,
      },
    );
    out((child.stdout ?? '').trimEnd());
    if (child.status !== 0) out(`  (section process exited with ${child.status ?? child.signal})`);
  }
  out('');
  out(`total ${show((performance.now() - started) / 1000, 's')}`);
}

await main();
// Reports, never gates: open handles (stores, timers) must not keep the process alive either.
process.exit(0);
