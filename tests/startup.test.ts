import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Starting the server (dist/index.js, as `npm start` runs it) when it cannot start: one sentence
 * on stderr that says what to fix, and the exit code the CLI uses for that kind of failure (README,
 * "Exit codes"): 74 for the store, 78 for configuration. Never a stack trace.
 */

const root = fileURLToPath(new URL('..', import.meta.url));
const examples = join(root, 'examples', 'policies');
let dir: string;
let busy: Server;
let busyPort: number;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'privacy-ops-startup-'));
  busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '0.0.0.0', resolve));
  busyPort = (busy.address() as { port: number }).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => busy.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

function start(
  env: Record<string, string>,
): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'dist', 'index.js')], {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? '',
        SLACK_BOT_TOKEN: 'xoxb-test',
        SLACK_SIGNING_SECRET: 'test-signing-secret',
        // Nothing listens here: start-up only warns that Slack is unreachable.
        SLACK_API_URL: 'http://127.0.0.1:1/api/',
        REMINDERS_ENABLED: 'false',
        POLICY_CORPUS: examples,
        LOG_LEVEL: 'error',
        PORT: '0',
        PRIVACY_OPS_STORE: `sqlite://${join(dir, 'ok.sqlite')}`,
        ...env,
      },
    });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (c) => {
      stderr += c;
    });
    child.stdout.on('data', (c) => {
      stdout += c;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, stdout });
    });
  });
}

describe('start-up failures', () => {
  it('says the store cannot be opened, in one sentence, and exits 74', async () => {
    // A directory where the SQLite file should be.
    const { code, stderr } = await start({ PRIVACY_OPS_STORE: `sqlite://${dir}` });
    expect(stderr).toMatch(/^privacy-ops: .*register store.*PRIVACY_OPS_STORE/m);
    expect(stderr).not.toMatch(/\n\s+at .*:\d+:\d+/);
    expect(code).toBe(74);
  });

  it('says the port is in use, in one sentence, and exits 78', async () => {
    const { code, stderr } = await start({ PORT: String(busyPort) });
    expect(stderr).toMatch(new RegExp(`^privacy-ops: Port ${busyPort} is in use.*PORT`, 'm'));
    expect(stderr).not.toMatch(/\n\s+at .*:\d+:\d+/);
    expect(code).toBe(78);
  });
});
