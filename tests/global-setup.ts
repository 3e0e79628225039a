import { spawnSync } from 'node:child_process';

/**
 * Compiles src/ to dist/ so that tests which spawn bin/privacy-ops exercise the current code.
 * tsc emits even when it finds type errors; those fail `npm run typecheck`, not every test.
 */
export default function setup(): void {
  const run = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    encoding: 'utf8',
  });
  if (run.status !== 0)
    process.stderr.write(`tsc reported problems (dist/ was still written):\n${run.stdout}\n`);
}
