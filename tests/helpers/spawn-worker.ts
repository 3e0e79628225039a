import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const WORKER = join(import.meta.dirname, 'register-worker.ts');

/** Starts tests/helpers/register-worker.ts in its own Node process (TypeScript through tsx). */
export function spawnWorker(args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', WORKER, ...args], {
    cwd: join(import.meta.dirname, '..', '..'),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Resolves once the process printed `line` (at the start of a line) on stdout. */
export function printed(child: ChildProcess, line: string): Promise<void> {
  let seen = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      seen += chunk;
      if (seen.split('\n').includes(line)) {
        child.stdout?.off('data', onData);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.on('close', () => reject(new Error(`the worker ended before printing ${line}: ${seen}`)));
  });
}

/** Resolves with the exit code and output once the process ends. */
export function finished(
  child: ChildProcess,
): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
