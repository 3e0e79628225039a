/**
 * Measuring and reporting, shared by every benchmark section so they print the same way. Kept
 * apart from the sections so that a section's process loads only what that section measures.
 */

/** A target a figure is checked against: below a limit (latency) or at least a level (accuracy). */
export interface Target {
  op: '<' | '>=';
  limit: number;
}

/** Nearest-rank percentile (p in 0..100) of unsorted samples. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export const median = (samples: number[]): number => percentile(samples, 50);

/** Runs `fn` and returns its result and the wall time in milliseconds. */
export async function timed<T>(fn: () => T | Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - start };
}

export type Unit = 'ms' | 's' | '%' | 'MB' | '/s' | '';

/** Formats a figure for display: times with sensible precision, percentages, sizes, counts. */
export function show(value: number, unit: Unit): string {
  if (Number.isNaN(value)) return 'n/a';
  // Whole numbers (targets, rounded figures) print without decimals: "10 ms", not "10.00 ms".
  if (Number.isInteger(value) && (unit === 'ms' || unit === 's')) return `${value} ${unit}`;
  switch (unit) {
    case 'ms':
      return value < 1
        ? `${value.toFixed(3)} ms`
        : value < 100
          ? `${value.toFixed(2)} ms`
          : `${value.toFixed(0)} ms`;
    case 's':
      return `${value.toFixed(2)} s`;
    case '%':
      return `${value.toFixed(1)}%`;
    case 'MB':
      return `${value.toFixed(0)} MB`;
    default:
      return `${Math.round(value).toLocaleString('en-US')}${unit ? ` ${unit}` : ''}`;
  }
}

/** One report line: label, value, the target and PASS/FAIL, or "info" when the figure has no target. */
export function figure(label: string, value: number, unit: Unit, target?: Target, note = ''): string {
  const shown = show(value, unit).padStart(10);
  const suffix = note ? `  (${note})` : '';
  if (!target) return `  ${label.padEnd(54)} ${shown}   ${''.padEnd(18)} info${suffix}`;
  const pass = target.op === '<' ? value < target.limit : value >= target.limit;
  const goal = `target ${target.op} ${show(target.limit, unit)}`;
  return `  ${label.padEnd(54)} ${shown}   ${goal.padEnd(18)} ${pass ? 'PASS' : 'FAIL'}${suffix}`;
}
