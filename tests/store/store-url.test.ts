import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { run } from '../../src/main.js';

/**
 * PRIVACY_OPS_STORE names the register (issue 17): a plain file path, absolute or relative, is a
 * SQLite file as README says; the URL forms keep working; an unknown scheme is refused.
 */

const examples = fileURLToPath(new URL('../../examples/policies/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'privacy-ops-store-url-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('PRIVACY_OPS_STORE', () => {
  it.each([
    ['/srv/privacy/register.sqlite', 'sqlite:///srv/privacy/register.sqlite'],
    ['data/other.db', 'sqlite://data/other.db'],
    ['./register', 'sqlite://./register'],
    ['sqlite://data/x.sqlite', 'sqlite://data/x.sqlite'],
    ['redis://localhost:6379', 'redis://localhost:6379'],
    ['postgres://u@localhost:5432/db', 'postgres://u@localhost:5432/db'],
  ])('takes %s', (value, url) => {
    expect(loadConfig({ PRIVACY_OPS_STORE: value }).PRIVACY_OPS_STORE).toBe(url);
  });

  it('refuses an unknown scheme, saying what it takes', () => {
    expect(() => loadConfig({ PRIVACY_OPS_STORE: 'mysql://localhost/db' })).toThrow(
      /PRIVACY_OPS_STORE.*must be a SQLite file path or start with sqlite:\/\/, redis:\/\/ or postgres:\/\//,
    );
  });

  it('keeps the register in a plain file path', async () => {
    const file = join(dir, 'register.sqlite');
    const env = { PRIVACY_OPS_STORE: file, POLICY_CORPUS: examples, PRIVACY_OPS_ACTOR: 'alice' };
    let out = '';
    let err = '';
    const io = {
      env,
      out: (t: string) => {
        out += t;
      },
      err: (t: string) => {
        err += t;
      },
    };
    const added = await run(
      [
        'requests',
        'add',
        '--type',
        'access',
        '--regime',
        'gdpr',
        '--received',
        '2026-03-02',
        '--requester-name',
        'Sam Lee',
        '--requester-email',
        'sam@example.com',
      ],
      io,
    );
    expect(added, err).toBe(0);
    expect(existsSync(file)).toBe(true);
    out = '';
    expect(await run(['requests', 'list'], io), err).toBe(0);
    expect(out).toMatch(/DSR-2026-0001/);
  });
});
