import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The command line run outside the directory that holds the register (issue 17): a command that
 * only reads does not create an empty register at ./data/privacy-ops.sqlite but says in one
 * sentence that none exists there and what to do (exit 66, EX_NOINPUT); one that writes creates it.
 */

const root = fileURLToPath(new URL('../../..', import.meta.url));
const BIN = join(root, 'bin', 'privacy-ops');
const examples = join(root, 'examples', 'policies');
const dir = mkdtempSync(join(tmpdir(), 'privacy-ops-no-register-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[]) {
  const env: Record<string, string | undefined> = { ...process.env, POLICY_CORPUS: examples };
  delete env.PRIVACY_OPS_STORE;
  return spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', env });
}

describe('a read-only command without a register', () => {
  const register = join(dir, 'data', 'privacy-ops.sqlite');

  it.each([
    [['requests', 'list']],
    [['requests', 'show', '1']],
    [['requests', 'export']],
    [['requests', 'verify']],
  ])('%j creates none and says where it looked, exit 66', (args) => {
    const run = cli(args);
    expect(run.status, run.stderr).toBe(66);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      `privacy-ops: No register exists at ${register}; run this from the directory that holds data/privacy-ops.sqlite (the repository root), or set PRIVACY_OPS_STORE to the register.\n`,
    );
    expect(existsSync(register)).toBe(false);
    expect(existsSync(join(dir, 'data'))).toBe(false);
  });

  it('is created by a command that writes, and then read', () => {
    const add = cli([
      'requests',
      'add',
      '--type',
      'access',
      '--regime',
      'gdpr',
      '--received',
      'today',
      '--requester-name',
      'Sam Lee',
      '--requester-email',
      'sam@example.com',
    ]);
    expect(add.status, add.stderr).toBe(0);
    expect(existsSync(register)).toBe(true);
    const list = cli(['requests', 'list']);
    expect(list.status, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/Sam Lee|DSR-/);
  });
});
