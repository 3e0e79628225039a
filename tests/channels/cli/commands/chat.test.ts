import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The console chat as a person uses it: bin/privacy-ops over dist/ (built by the global setup) in
 * a child process whose stdin stays open, as a terminal's does, until the test closes it.
 */

const ROOT = fileURLToPath(new URL('../../../..', import.meta.url));
const EXAMPLES = fileURLToPath(new URL('../../../../examples/policies/', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'privacy-ops-chat-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Session {
  /** Sends a line and resolves with what the chat printed for it (up to the next prompt). */
  say(line: string): Promise<string>;
  /** Resolves with the exit code, or null if the process was still running after `ms`. */
  exited(ms: number): Promise<number | null>;
  /** Sends a line without waiting for a reply. */
  send(line: string): void;
  closeInput(): void;
  output(): string;
}

function chat(store: string): Session {
  const child = spawn(process.execPath, ['bin/privacy-ops', 'chat', '--corpus', EXAMPLES], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      // Not a .env a person may keep in the checkout.
      PRIVACY_OPS_ENV_FILE: '',
      HOME: scratch,
      NODE_ENV: 'test',
      PRIVACY_OPS_STORE: `sqlite://${join(scratch, store)}`,
      PRIVACY_OPS_ACTOR: 'tester',
      DEFAULT_TIMEZONE: 'UTC',
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let waiting: (() => void) | undefined;
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    out += chunk;
    waiting?.();
  });
  const exit = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
  const prompts = () => out.split('> ').length - 1;
  const nextPrompt = (after: number) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (prompts() > after) {
          waiting = undefined;
          resolve();
        }
      };
      waiting = check;
      check();
    });
  return {
    async say(line) {
      await nextPrompt(0);
      const before = out.length;
      const count = prompts();
      child.stdin.write(`${line}\n`);
      await nextPrompt(count);
      return out.slice(before).replace(/\n> $/, '');
    },
    exited: (ms) =>
      Promise.race([exit, new Promise<null>((resolve) => setTimeout(() => resolve(null), ms))]).finally(
        () => {
          if (child.exitCode === null) child.kill();
        },
      ),
    send: (line) => child.stdin.write(`${line}\n`),
    closeInput: () => child.stdin.end(),
    output: () => out,
  };
}

describe('the console chat', () => {
  it('exits on "quit" although its input stays open, as a terminal does', async () => {
    const session = chat('quit.sqlite');
    expect(await session.say('hello')).toMatch(/help/);
    session.send('quit');
    expect(await session.exited(10_000)).toBe(0);
    expect(session.output().trimEnd()).toMatch(/bye$/);
  }, 30_000);

  it('exits at the end of its input', async () => {
    const session = chat('eof.sqlite');
    expect(await session.say('thanks!')).toMatch(/help/);
    session.closeInput();
    expect(await session.exited(10_000)).toBe(0);
  }, 30_000);

  it('logs a request stated in plain words, after a correction and an everyday yes, then changes it by "it"', async () => {
    const session = chat('intake.sqlite');
    const draft = await session.say("new DSAR from maria.lopez@example.es, arrived Monday, she's in Spain");
    expect(draft).toMatch(/Log an access request from maria\.lopez@example\.es \(no name given\)/);
    expect(draft).toMatch(/Law: EU GDPR/);
    expect(draft).toMatch(/Country: Spain \(ES\)/);
    expect(draft).toMatch(/Response due: \d{4}-\d{2}-\d{2}/);
    const corrected = await session.say('actually her name is Maria López');
    expect(corrected).toMatch(/from Maria López <maria\.lopez@example\.es>/);
    expect(await session.say('how long do we keep technical logs?')).toMatch(/still waiting to be logged/);
    const logged = await session.say('yep');
    expect(logged).toMatch(/Logged DSR-\d{4}-0001/);
    expect(await session.say('my requests')).toMatch(/Open requests owned by you:\n {2}Nothing here/);
    expect(await session.say('requests open gdpr')).toMatch(/DSR-\d{4}-0001 access \(EU GDPR\)/);
    expect(await session.say('start work on it')).toMatch(/DSR-\d{4}-0001: start done/);
    expect(await session.say('mark #1 done')).toMatch(/closed: completed/);
    expect(await session.say('show 0042')).toMatch(
      /There is no request DSR-\d{4}-0042\. Type "requests all"/,
    );
    expect(await session.say('asdfgh')).toMatch(/did not understand.*help/);
    session.closeInput();
    expect(await session.exited(10_000)).toBe(0);
  }, 60_000);
});
