import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const WORKER = join(import.meta.dirname, 'reminder-worker.ts');

/**
 * The parent's handle on a tests/helpers/reminder-worker.ts process: sends it ticks and waits for
 * its answers line by line, and notices when it dies.
 */
export class ReminderWorker {
  private readonly child: ChildProcess;
  private buffer = '';
  private readonly lines: string[] = [];
  private waiter: (() => void) | undefined;
  private stderr = '';
  exited = false;

  constructor(args: string[]) {
    this.child = spawn(process.execPath, ['--import', 'tsx', WORKER, ...args], {
      cwd: join(import.meta.dirname, '..', '..'),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (chunk: Buffer) => {
      this.buffer += chunk;
      const parts = this.buffer.split('\n');
      this.buffer = parts.pop()!;
      this.lines.push(...parts);
      this.waiter?.();
    });
    this.child.stderr!.on('data', (chunk: Buffer) => {
      this.stderr += chunk;
    });
    this.child.on('exit', () => {
      this.exited = true;
      this.waiter?.();
    });
  }

  get errors(): string {
    return this.stderr;
  }

  /** Resolves true once the worker printed `line`, false if it died first. */
  async expect(line: string): Promise<boolean> {
    for (;;) {
      const i = this.lines.indexOf(line);
      if (i >= 0) {
        this.lines.splice(0, i + 1);
        return true;
      }
      if (this.exited) return false;
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
      });
      this.waiter = undefined;
    }
  }

  /** Runs one sweep at `at` in the worker; false when the worker died doing it. */
  async tick(n: number, at: Date): Promise<boolean> {
    if (this.exited) return false;
    this.child.stdin!.write(`TICK ${n} ${at.toISOString()}\n`);
    return this.expect(`DONE ${n}`);
  }

  async exit(): Promise<void> {
    if (this.exited) return;
    this.child.stdin!.end('EXIT\n');
    await new Promise<void>((resolve) =>
      this.exited ? resolve() : this.child.once('exit', () => resolve()),
    );
  }
}
