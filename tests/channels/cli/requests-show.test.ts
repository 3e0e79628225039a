import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { run } from '../../../src/main.js';

/**
 * `requests show`: each audit-trail line names only the fields whose value changed (issue 17: a
 * close listed "statusBeforePause: - -> -, pausedOn: - -> -, pausedDays: 0 -> 0").
 */

const examples = fileURLToPath(new URL('../../../examples/policies/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'privacy-ops-show-trail-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('lists only the changed fields of each trail event', async () => {
  const env = {
    PRIVACY_OPS_STORE: `sqlite://${join(dir, 'register.sqlite')}`,
    POLICY_CORPUS: examples,
    PRIVACY_OPS_ACTOR: 'alice',
  };
  let out = '';
  let err = '';
  const io = {
    env,
    now: () => new Date('2026-03-10T10:00:00Z'),
    out: (t: string) => {
      out += t;
    },
    err: (t: string) => {
      err += t;
    },
  };
  const add = [
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
  ];
  expect(await run(add, io), err).toBe(0);
  expect(await run(['requests', 'close', '1', '--outcome', 'completed'], io), err).toBe(0);
  out = '';
  expect(await run(['requests', 'show', '1'], io), err).toBe(0);
  const closed = out.split('\n').find((l) => /^ {2}2 /.test(l));
  expect(closed).toMatch(/closed {2}status: \S+ -> \S+/);
  // A field shown is one whose value changed.
  for (const [, before, after] of closed!.matchAll(/\w+: (\S+) -> (\S+?)(?:,|$| )/g))
    expect(before).not.toBe(after);
  expect(closed).not.toMatch(/pausedDays|pausedOn|statusBeforePause|waitingSince/);
});
