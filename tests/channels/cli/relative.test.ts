import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { relativeDay } from '../../../src/channels/cli/relative.js';
import { run } from '../../../src/main.js';

/**
 * The short forms the command line takes so that the README's commands still work next month:
 * `today`, `yesterday`, `N days ago` for a day, a request's number for this year's request, and
 * `ingest --out` into a directory that does not exist yet (data/, which git ignores).
 */

const NOW = new Date('2026-03-10T10:00:00Z');
const examples = fileURLToPath(new URL('../../../examples/policies/', import.meta.url));
let dir: string;
let env: Record<string, string>;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'privacy-ops-relative-'));
  env = {
    PRIVACY_OPS_STORE: `sqlite://${join(dir, 'register.sqlite')}`,
    PRIVACY_OPS_ACTOR: 'alice',
    POLICY_CORPUS: examples,
    DEFAULT_COUNTRY: 'DE',
    DEFAULT_TIMEZONE: 'UTC',
  };
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function cli(argv: string[], now: Date = NOW) {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, {
    env,
    now: () => now,
    out: (t) => {
      stdout += t;
    },
    err: (t) => {
      stderr += t;
    },
  });
  return { code, stdout, stderr };
}

const add = (received: string, extra: string[] = []) =>
  cli([
    'requests',
    'add',
    '--type',
    'access',
    '--regime',
    'ccpa',
    '--received',
    received,
    '--requester-name',
    'Sam Lee',
    '--requester-email',
    'sam@example.com',
    '--json',
    ...extra,
  ]);

describe('relativeDay', () => {
  it.each([
    ['today', '2026-03-10'],
    [' Today ', '2026-03-10'],
    ['yesterday', '2026-03-09'],
    ['40 days ago', '2026-01-29'],
    ['1 day ago', '2026-03-09'],
    ['2026-02-01', '2026-02-01'],
    // Anything else is left for the date parser to refuse with its own message.
    ['tomorrow', 'tomorrow'],
    ['last friday', 'last friday'],
  ])('reads %j as %j', (text, day) => {
    expect(relativeDay(text, '2026-03-10')).toBe(day);
  });
});

describe('requests with relative days and request numbers', () => {
  it('logs a request received "40 days ago" that `list --due-within 7` then lists', async () => {
    const added = await add('40 days ago');
    expect(added.code).toBe(0);
    // CCPA: 45 calendar days from 29 January is 15 March, five days after "today".
    expect(JSON.parse(added.stdout)).toMatchObject({
      received: '2026-01-29',
      deadlines: { due: '2026-03-15' },
    });
    const listed = await cli(['requests', 'list', '--due-within', '7']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain('DSR-2026-0001');
  });

  it('takes `today` and `yesterday` for the received day', async () => {
    expect(JSON.parse((await add('today')).stdout).received).toBe('2026-03-10');
    expect(JSON.parse((await add('yesterday')).stdout).received).toBe('2026-03-09');
  });

  it('reads a bare number as this year’s request, and names the id it looked for', async () => {
    await add('today');
    for (const ref of ['1', '0001', '#1']) {
      const shown = await cli(['requests', 'show', ref]);
      expect(shown.code, ref).toBe(0);
      expect(shown.stdout.split('\n')[0]).toBe('DSR-2026-0001');
    }
    const missing = await cli(['requests', 'show', '9']);
    expect(missing.code).toBe(65);
    expect(missing.stderr).toContain('There is no request DSR-2026-0009');
  });

  it('finds last year’s request by number when this year has none yet', async () => {
    await add('today');
    const shown = await cli(['requests', 'show', '1'], new Date('2027-01-05T10:00:00Z'));
    expect(shown.code).toBe(0);
    expect(shown.stdout.split('\n')[0]).toBe('DSR-2026-0001');
  });

  it('changes a request named by number', async () => {
    await add('today');
    const assigned = await cli(['requests', 'assign', '1', 'bob']);
    expect(assigned.code).toBe(0);
    expect(assigned.stdout).toContain('DSR-2026-0001 assigned to bob.');
  });
});

describe('deadline with a relative day', () => {
  it('gives the same deadline for `yesterday` as for the date itself', async () => {
    const relative = await cli(['deadline', '--regime', 'gdpr', '--received', 'yesterday', '--json']);
    const dated = await cli(['deadline', '--regime', 'gdpr', '--received', '2026-03-09', '--json']);
    expect(relative.code).toBe(0);
    expect(JSON.parse(relative.stdout)).toEqual(JSON.parse(dated.stdout));
  });
});

describe('ingest --out', () => {
  it('creates the directory it writes into', async () => {
    const out = join(dir, 'data', 'review', 'corpus.json');
    const ingested = await cli(['ingest', '--out', out]);
    expect(ingested.code).toBe(0);
    expect(existsSync(out)).toBe(true);
  });
});
