import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Runs a bench module in a process of its own and returns the JSON it prints last: a "fresh
 * process" figure then includes what a restarted server or a CLI command pays (module loading,
 * cold JIT, reading the store), not a warm process that merely dropped its objects.
 */
export function inFreshProcess<T>(module: string, args: string[], nodeFlags: string[] = []): T {
  const argv = [...nodeFlags, ...process.execArgv, fileURLToPath(module), ...args];
  const child = spawnSync(process.execPath, argv, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 16 << 20,
  });
  const last = (child.stdout ?? '').trim().split('\n').pop() ?? '';
  if (child.status !== 0 || !last.startsWith('{'))
    throw new Error(`the fresh process ${module} failed (${child.status ?? child.signal}): ${last}`);
  return JSON.parse(last) as T;
}

/** The number of requests a bench builds: `--requests N` on `npm run bench`, else `fallback`. */
export function benchSize(fallback = 100_000): number {
  const n = Number(process.env.BENCH_REQUESTS);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}
