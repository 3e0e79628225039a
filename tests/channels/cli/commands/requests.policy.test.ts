import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'po-req-policy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[]) {
  return spawnSync(process.execPath, ['bin/privacy-ops', 'requests', ...args], {
    encoding: 'utf8',
    env: {
      ...process.env,
      PRIVACY_OPS_STORE: `sqlite://${join(dir, 'register.sqlite')}`,
      POLICY_CORPUS: 'examples/policies',
      PRIVACY_OPS_ACTOR: 'tester',
      LOG_LEVEL: 'silent',
    },
  });
}

const base = ['add', '--type', 'access', '--regime', 'gdpr', '--received', '2026-11-02', '--country', 'DE'];
const requester = ['--requester-name', 'Ann Example', '--requester-email', 'ann@example.com'];

describe('requests add --policy', () => {
  it("shows the policy's own promise beside the legal deadline", () => {
    const run = cli([...base, ...requester, '--policy', 'brightdesk', '--json']);
    expect(run.status, run.stderr).toBe(0);
    const request = JSON.parse(run.stdout);
    const target = request.deadlines.deadlines.find((d: { kind: string }) => d.kind === 'policy-target');
    // Brightdesk promises 30 days: 2 Nov + 30 = 2 Dec; GDPR: one month = Wed 2 Dec 2026 as well.
    expect(target).toMatchObject({ binding: false });
    expect(request.deadlines.due).toBe('2026-12-02');
  });

  it('refuses an unknown policy id with the known ones, and writes nothing', () => {
    const run = cli([...base, ...requester, '--policy', 'no-such-policy']);
    expect(run.status).toBe(65);
    expect(run.stderr).toMatch(/no policy "no-such-policy".*brightdesk, northwind/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    const list = cli(['list', '--status', 'all', '--json']);
    expect(JSON.parse(list.stdout)).toHaveLength(1);
  });
});
