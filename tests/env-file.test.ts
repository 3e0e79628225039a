import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';

/**
 * `.env` in the working directory, read at start-up by both entry points (dist/index.js, as
 * `npm start` runs it, and bin/privacy-ops) with Node's own reader, under the real environment.
 * Each test runs in a fresh temporary directory, as a person's checkout would be.
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const EXAMPLES = join(ROOT, 'examples', 'policies');
const scratch = mkdtempSync(join(tmpdir(), 'privacy-ops-env-'));
let dir: string;
let n = 0;

beforeEach(() => {
  dir = join(scratch, String(++n));
  mkdirSync(dir);
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs an entry point in `dir` with only `env` set; `until` ends it (SIGTERM) once stderr matches. */
function launch(args: string[], env: Record<string, string>, input = '', until?: RegExp): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: dir,
        PRIVACY_OPS_STORE: `sqlite://${join(dir, 'r.sqlite')}`,
        ...env,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => {
      stdout += c;
    });
    child.stderr.on('data', (c) => {
      stderr += c;
      if (until?.test(stderr)) child.kill('SIGTERM');
    });
    child.stdin.end(input);
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const server = (env: Record<string, string>, until?: RegExp) =>
  launch([join(ROOT, 'dist', 'index.js')], env, 'quit\n', until);
const cli = (args: string[], env: Record<string, string>) =>
  launch([join(ROOT, 'bin', 'privacy-ops'), ...args], env);
const QUESTION = 'How long do we keep technical logs?';
const STACK = /\n\s+at .*:\d+:\d+/;

describe('.env at start-up', () => {
  it('is read by the console chat, which says which file it read', async () => {
    writeFileSync(join(dir, '.env'), `# the corpus\nPOLICY_CORPUS=${EXAMPLES}\n`);
    const { code, stdout, stderr } = await server({});
    expect(stdout).toContain(`loaded from ${EXAMPLES}`);
    expect(stderr).toBe('privacy-ops: settings read from .env in the working directory.\n');
    expect(code).toBe(0);
  });

  it('is not mentioned when there is none', async () => {
    const { code, stderr } = await server({ POLICY_CORPUS: EXAMPLES });
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('gives way to the real environment', async () => {
    writeFileSync(join(dir, '.env'), `POLICY_CORPUS=${join(dir, 'nowhere')}\n`);
    const { code, stdout } = await server({ POLICY_CORPUS: EXAMPLES });
    expect(stdout).toContain(`loaded from ${EXAMPLES}`);
    expect(code).toBe(0);
  });

  it('is read by bin/privacy-ops, under the real environment', async () => {
    writeFileSync(join(dir, '.env'), 'DEFAULT_POLICY=northwind\n');
    const fromFile = await cli(['ask', QUESTION], { POLICY_CORPUS: EXAMPLES });
    expect(fromFile.code).toBe(0);
    expect(fromFile.stdout).toMatch(/^“Server logs are kept for 14 days\.” \(Northwind policy/);
    expect(fromFile.stdout).not.toMatch(/brightdesk/i);
    const real = await cli(['ask', QUESTION], { POLICY_CORPUS: EXAMPLES, DEFAULT_POLICY: 'brightdesk' });
    expect(real.code).toBe(0);
    expect(real.stdout).toMatch(/Brightdesk policy/);
    expect(real.stdout).not.toMatch(/northwind/i);
  });

  it.each([
    ['the server', server],
    ['bin/privacy-ops', (env: Record<string, string>) => cli(['ask', QUESTION], env)],
  ])(
    'is refused by %s in one sentence naming the line, never its text, when a line is not NAME=value',
    async (_, start) => {
      // Node's reader would fold this line into the next key's name and lose POLICY_CORPUS.
      writeFileSync(
        join(dir, '.env'),
        `NODE_ENV=development\nxoxb-not-a-setting\nPOLICY_CORPUS=${EXAMPLES}\n`,
      );
      const { code, stderr, stdout } = await start({});
      expect(stderr).toMatch(
        /^privacy-ops: Line 2 of \.env in the working directory is not a NAME=value setting; .*\n$/,
      );
      expect(stderr.split('\n')).toHaveLength(2);
      expect(stderr).not.toContain('xoxb');
      expect(stdout).toBe('');
      expect(code).toBe(78);
    },
  );

  it('is refused when a stray line is the last one, where Node would drop it without a trace', async () => {
    writeFileSync(join(dir, '.env'), `POLICY_CORPUS=${EXAMPLES}\nPORT=3000\nnotvalid\n# a comment\n`);
    const { code, stderr } = await server({});
    expect(stderr).toMatch(
      /^privacy-ops: Line 3 of \.env in the working directory is not a NAME=value setting; .*\n$/,
    );
    expect(code).toBe(78);
  });

  it('reads a quoted value over several lines, and export before a name, as settings', async () => {
    writeFileSync(
      join(dir, '.env'),
      `export POLICY_CORPUS=${EXAMPLES}\nSLACK_NOTE="first line\nsecond line"\n`,
    );
    const { code, stdout } = await server({});
    expect(stdout).toContain(`loaded from ${EXAMPLES}`);
    expect(code).toBe(0);
  });

  it('is another file when PRIVACY_OPS_ENV_FILE names one, and none when it is empty', async () => {
    writeFileSync(join(dir, '.env'), `POLICY_CORPUS=${join(dir, 'nowhere')}\n`);
    writeFileSync(join(dir, 'trial.env'), `POLICY_CORPUS=${EXAMPLES}\n`);
    const other = await server({ PRIVACY_OPS_ENV_FILE: 'trial.env' });
    expect(other.stdout).toContain(`loaded from ${EXAMPLES}`);
    expect(other.stderr).toBe('privacy-ops: settings read from trial.env.\n');
    const none = await cli(['ask', QUESTION], { PRIVACY_OPS_ENV_FILE: '', POLICY_CORPUS: EXAMPLES });
    expect(none.code).toBe(0);
    expect(none.stdout).toMatch(/Brightdesk policy/);
  });

  it('is refused in one sentence when it cannot be read', async () => {
    mkdirSync(join(dir, '.env'));
    const { code, stderr } = await server({ POLICY_CORPUS: EXAMPLES });
    expect(stderr).toMatch(/^privacy-ops: Cannot read \.env in the working directory \(EISDIR\); .*\n$/);
    expect(stderr).not.toMatch(STACK);
    expect(code).toBe(78);
  });

  it("is named in the server's start-up line, without its values", async () => {
    writeFileSync(join(dir, '.env'), 'SLACK_PRIVACY_CHANNEL=C0SECRET42\nLOG_LEVEL=info\n');
    const { stderr } = await server(
      {
        SLACK_BOT_TOKEN: 'xoxb-test',
        SLACK_SIGNING_SECRET: 'test-signing-secret',
        // Nothing listens here: start-up only warns that Slack is unreachable.
        SLACK_API_URL: 'http://127.0.0.1:1/api/',
        REMINDERS_ENABLED: 'false',
        POLICY_CORPUS: EXAMPLES,
        PORT: '0',
      },
      /privacy-ops is serving/,
    );
    const line = stderr.split('\n').find((l) => l.includes('privacy-ops is serving'));
    expect(JSON.parse(line ?? '{}')).toMatchObject({ envFile: '.env' });
    expect(stderr).not.toContain('C0SECRET42');
  });
});
