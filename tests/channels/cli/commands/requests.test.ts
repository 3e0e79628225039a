import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Register } from '../../../../src/core/requests/register.js';
import { run } from '../../../../src/main.js';
import { openRegisterStore } from '../../../../src/store/register-store.js';

/**
 * `privacy-ops requests` end to end: in-process through the CLI's `run` (with a pinned clock)
 * for the behaviour, and through the real bin/privacy-ops for exit codes, ./data creation and logs.
 */

const NOW = new Date('2026-03-10T10:00:00Z');
let dir: string;
let env: Record<string, string>;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'privacy-ops-cli-'));
  env = {
    PRIVACY_OPS_STORE: `sqlite://${join(dir, 'register.sqlite')}`,
    PRIVACY_OPS_ACTOR: 'alice',
    DEFAULT_COUNTRY: 'DE',
    DEFAULT_TIMEZONE: 'UTC',
  };
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function cli(argv: string[], now: Date = NOW) {
  let stdout = '';
  let stderr = '';
  const code = await run(['requests', ...argv], {
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

const ADD = [
  'add',
  '--type',
  'access',
  '--regime',
  'gdpr',
  '--received',
  '2026-03-02',
  '--requester-name',
  'Jane Doe',
  '--requester-email',
  'jane@example.org',
];

async function addOne(extra: string[] = []): Promise<string> {
  const { code, stdout } = await cli([...ADD, ...extra, '--json']);
  expect(code).toBe(0);
  return JSON.parse(stdout).id as string;
}

async function eventCount(): Promise<number> {
  const store = await openRegisterStore(env.PRIVACY_OPS_STORE!);
  try {
    return await store.lastLogSeq();
  } finally {
    await store.close();
  }
}

describe('requests add, list, show', () => {
  it('adds a request and prints its id, status, due date with the rule, and owner', async () => {
    const { code, stdout, stderr } = await cli([...ADD, '--owner', 'bob', '--channel', 'email']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^Logged DSR-2026-0001\./);
    expect(stdout).toMatch(/access under EU GDPR/);
    expect(stdout).toMatch(/status\s+received/);
    expect(stdout).toMatch(/due\s+2026-04-02: One month from receipt .*GDPR art\. 12\(3\)/);
    expect(stdout).toMatch(/owner\s+bob/);
  });

  it('prints JSON that parses, for add, list and show', async () => {
    const id = await addOne(['--note', 'came by post']);
    const list = await cli(['list', '--json']);
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ id, status: 'received' })]);
    const show = await cli(['show', id, '--json']);
    const detail = JSON.parse(show.stdout);
    expect(detail.requester).toEqual({ name: 'Jane Doe', email: 'jane@example.org' });
    expect(detail.trail).toEqual([
      expect.objectContaining({ action: 'created', actor: 'alice', text: 'came by post' }),
    ]);
    expect(list.stdout).not.toMatch(/jane/i);
  });

  it('adds a request by post or phone with a postal address or phone number instead of an email', async () => {
    const noEmail = ADD.slice(0, -2);
    const post = await cli([
      ...noEmail,
      '--requester-address',
      '1 Main Road, Dublin',
      '--channel',
      'post',
      '--json',
    ]);
    expect(post.code, post.stderr).toBe(0);
    const phone = await cli([...noEmail, '--requester-phone', '+353 1 234 5678', '--json']);
    expect(phone.code, phone.stderr).toBe(0);
    const shown = await cli(['show', JSON.parse(post.stdout).id]);
    expect(shown.stdout).toMatch(/Jane Doe, postal address 1 Main Road, Dublin/);
    const detail = JSON.parse((await cli(['show', JSON.parse(phone.stdout).id, '--json'])).stdout);
    expect(detail.requester).toEqual({ name: 'Jane Doe', phone: '+353 1 234 5678' });
    // With none of the three, the command says which flags would do.
    const none = await cli(noEmail);
    expect(none.code).toBe(64);
    expect(none.stderr).toMatch(/--requester-email \(or --requester-phone or --requester-address/);
  });

  it('shows since when the team waits on the requester (recorded from chat)', async () => {
    const id = await addOne();
    const store = await openRegisterStore(env.PRIVACY_OPS_STORE!);
    const register = await Register.open(store, {
      defaultCountry: 'DE',
      timeZone: 'UTC',
      retentionMonths: 24,
    });
    await register.hold(id, { actor: 'alice', now: NOW }, 'waiting on ID');
    await register.close();
    await store.close();
    expect((await cli(['show', id])).stdout).toMatch(
      /waiting\s+on the requester since 2026-03-10; the deadline keeps running/,
    );
  });

  it('lists open requests by default, filters, and finds those due within N days', async () => {
    const a = await addOne(['--received', '2026-02-12']);
    const b = await addOne(['--owner', 'bob']);
    const c = await addOne();
    expect((await cli(['close', c, '--outcome', 'withdrawn'])).code).toBe(0);
    const open = await cli(['list']);
    expect(open.stdout).toMatch(new RegExp(`${a}  access  gdpr  received  due 2026-03-12 .*owner -\\n${b}`));
    expect(open.stdout).toMatch(/2 request\(s\)\./);
    expect((await cli(['list', '--due-within', '7'])).stdout).not.toMatch(b);
    expect((await cli(['list', '--due-within', '7'])).stdout).toMatch(a);
    expect((await cli(['list', '--owner', 'bob'])).stdout).toMatch(new RegExp(`^${b}`));
    expect((await cli(['list', '--status', 'withdrawn'])).stdout).toMatch(new RegExp(`^${c}.*withdrawn`));
    expect((await cli(['list', '--status', 'open,closed'])).stdout).toMatch(/3 request\(s\)/);
  });

  it('shows a request with its audit trail', async () => {
    const id = await addOne();
    await cli(['assign', id, 'carol']);
    const { stdout } = await cli(['show', id]);
    expect(stdout).toMatch(/requester\s+Jane Doe <jane@example.org>/);
    expect(stdout).toMatch(
      /audit trail:\n {2}1 .* alice {2}created\n {2}2 .* alice {2}assigned {2}owner: - -> carol/,
    );
  });
});

describe('requests lifecycle commands', () => {
  it('walks a request through its lifecycle', async () => {
    const id = await addOne();
    const steps: Array<[string[], RegExp]> = [
      [['verify-identity', id], /identity verified\.\n.*identity-verified/],
      [['start', id, '--note', 'collecting data'], /started\.\n.*in-progress/],
      [['assign', id, 'bob'], /assigned to bob\.\n.*owner bob/],
      [['extend', id, '--reason', 'complex'], /extended\.\n.*due 2026-06-02 .*extended/],
      [['close', id, '--outcome', 'completed', '--note', 'sent'], /closed: completed/],
      [['reopen', id], /reopened\.\n.*in-progress/],
    ];
    for (const [argv, expected] of steps) {
      const { code, stdout, stderr } = await cli(argv);
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(stdout).toMatch(expected);
    }
    const detail = JSON.parse((await cli(['show', id, '--json'])).stdout);
    expect(detail.trail.map((e: { action: string }) => e.action)).toEqual([
      'created',
      'identity-verified',
      'started',
      'assigned',
      'extended',
      'closed',
      'reopened',
    ]);
  });

  it('pauses and resumes where the regime allows it', async () => {
    const id = await addOne(['--regime', 'uk-gdpr']);
    expect((await cli(['pause', id, '--reason', 'clarification'])).stdout).toMatch(
      /clock paused since 2026-03-10/,
    );
    const resumed = await cli(['resume', id, '--json'], new Date('2026-03-15T10:00:00Z'));
    // Issue 14 point 3 (was 5): 10 to 15 March, both days included (UK GDPR art. 12A).
    expect(JSON.parse(resumed.stdout)).toMatchObject({ status: 'received', pausedDays: 6 });
  });
});

/** Issue 14 point 4 in the register: the facts that change the count, with their sources. */
describe('requests add and extend with the terms the law leaves to the controller', () => {
  it.each([
    // add flags, extend flags, due, statute (received Mon 2 Mar 2026)
    [
      ['--regime', 'lgpd', '--country', 'BR', '--small-agent'],
      undefined,
      '2026-04-01',
      'Resolução CD/ANPD 2/2022 art. 14',
    ],
    [['--regime', 'lgpd', '--country', 'BR', '--simplified'], undefined, '2026-03-02', 'art. 19, I'],
    [
      ['--regime', 'swiss', '--country', 'CH'],
      ['--extension-days', '16'],
      '2026-04-17',
      'DPO (SR 235.11) art. 18',
    ],
    [
      ['--regime', 'pipeda', '--country', 'CA'],
      ['--alternative-format', '--extension-days', '45'],
      '2026-05-16',
      'PIPEDA s. 8(3) and 8(4)(b)',
    ],
  ])('add %j, extend %j: due %s under %s', async (add, extend, due, statute) => {
    const id = await addOne(add);
    const shown = extend
      ? await cli(['extend', id, '--reason', 'needs time', ...extend, '--json'])
      : await cli(['show', id, '--json']);
    expect(shown.code).toBe(0);
    const parsed = JSON.parse(shown.stdout);
    const deadlines = parsed.deadlines ?? parsed.request.deadlines;
    expect(deadlines.due).toBe(due);
    expect(deadlines.source).toContain(statute);
  });
});

describe('bad input: a clear message, a distinct exit code, nothing written', () => {
  const cases: Array<[string, () => Promise<string[]>, number, RegExp]> = [
    ['no subcommand', async () => [], 64, /missing subcommand/],
    ['an unknown subcommand', async () => ['frobnicate'], 64, /unknown subcommand "frobnicate"/],
    ['an unknown flag', async () => [...ADD, '--colour', 'red'], 64, /Unknown option '--colour'/],
    [
      'missing required flags',
      async () => ['add', '--type', 'access'],
      64,
      /missing --regime, --received, --requester-name, --requester-email/,
    ],
    [
      'an unknown regime',
      async () => ADD.map((a) => (a === 'gdpr' ? 'gdpx' : a)),
      64,
      /unknown regime "gdpx"/,
    ],
    [
      'an unknown type',
      async () => ADD.map((a) => (a === 'access' ? 'teleport' : a)),
      64,
      /unknown request type "teleport"/,
    ],
    [
      'a future received date',
      async () => ADD.map((a) => (a === '2026-03-02' ? '2026-03-11' : a)),
      65,
      /in the future \(today is 2026-03-10\)/,
    ],
    [
      'an impossible date',
      async () => ADD.map((a) => (a === '2026-03-02' ? '2026-02-30' : a)),
      65,
      /not a real calendar date/,
    ],
    ['an unknown country', async () => [...ADD, '--country', 'XQ'], 65, /"XQ" is not a known country/],
    [
      'a malformed email',
      async () => ADD.map((a) => (a === 'jane@example.org' ? 'jane.example.org' : a)),
      65,
      /email is not a valid address/,
    ],
    ['an unknown id', async () => ['start', 'DSR-2026-0042'], 65, /There is no request DSR-2026-0042/],
    ['a malformed id', async () => ['show', 'banana'], 65, /not a request id/],
    ['a missing id', async () => ['start'], 64, /missing ID/],
    ['a bad --due-within', async () => ['list', '--due-within', 'soon'], 64, /whole number of days/],
    [
      'an unknown status filter',
      async () => ['list', '--status', 'sleeping'],
      64,
      /unknown status "sleeping"/,
    ],
    ['close without an outcome', async () => ['close', await addOne()], 64, /missing --outcome/],
    [
      'an unknown outcome',
      async () => ['close', await addOne(), '--outcome', 'done'],
      64,
      /"done" is not an outcome/,
    ],
    [
      'pausing a GDPR request',
      async () => ['pause', await addOne()],
      65,
      /EU GDPR has no stop-the-clock rule/,
    ],
    [
      'closing a closed request',
      async () => {
        const id = await addOne();
        await cli(['close', id, '--outcome', 'completed']);
        return ['close', id, '--outcome', 'rejected'];
      },
      65,
      /already closed \(completed\); reopen it first/,
    ],
    [
      'extending twice where the law allows once',
      async () => {
        const id = await addOne();
        await cli(['extend', id]);
        return ['extend', id];
      },
      65,
      /already extended; the EU GDPR allows extending only once/,
    ],
    ['a bad export format', async () => ['export', '--format', 'xml'], 64, /--format must be csv or json/],
  ];

  it.each(cases)('%s', async (_name, argv, exitCode, message) => {
    const args = await argv();
    const before = await eventCount();
    const { code, stdout, stderr } = await cli(args);
    expect(stderr).toMatch(message);
    expect(stderr).toMatch(/^privacy-ops: /);
    expect(stderr).not.toMatch(/\n\s+at .*:\d+:\d+/);
    expect(code).toBe(exitCode);
    expect(stdout).toBe('');
    expect(await eventCount()).toBe(before);
  });
});

describe('requests export, verify, purge', () => {
  it('exports CSV (requests and audit trail) and JSON, without personal data unless asked', async () => {
    const id = await addOne();
    await cli(['assign', id, 'bob']);
    const out = join(dir, 'out', 'register.csv');
    const file = await cli(['export', '--format', 'csv', '--out', out]);
    expect(file.stdout).toMatch(
      /Wrote 1 request\(s\) to .*register\.csv and 2 audit event\(s\) to .*register\.audit\.csv/,
    );
    const csv = readFileSync(out, 'utf8');
    expect(csv.split('\n')[0]).toMatch(/^id,type,regime,country,region,received,/);
    expect(csv).toMatch(new RegExp(`^${id},access,gdpr,DE,,2026-03-02,`, 'm'));
    expect(readFileSync(join(dir, 'out', 'register.audit.csv'), 'utf8')).toMatch(
      new RegExp(`^2,${id},.*,alice,assigned,`, 'm'),
    );
    expect(csv).not.toMatch(/jane/i);

    const trail = await cli(['export', '--format', 'csv', '--trail']);
    expect(trail.stdout.split('\n')[0]).toBe(
      'seq,request_id,at,actor,action,before,after,text_ref,prev_hash,hash',
    );

    const json = JSON.parse((await cli(['export', '--format', 'json'])).stdout);
    expect(json.requests[0]).toMatchObject({ id, owner: 'bob' });
    expect(json.requests[0].trail).toHaveLength(2);
    expect(JSON.stringify(json)).not.toMatch(/jane/i);
    const personal = JSON.parse((await cli(['export', '--format', 'json', '--with-personal-data'])).stdout);
    expect(personal.requests[0].requester).toEqual({ name: 'Jane Doe', email: 'jane@example.org' });
  });

  it('verifies the trail and reports tampering with exit code 65', async () => {
    const id = await addOne();
    await cli(['assign', id, 'bob']);
    const ok = await cli(['verify']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/Audit trail intact: 2 event\(s\) over 1 request\(s\)/);
    const store = await openRegisterStore(env.PRIVACY_OPS_STORE!);
    const [event] = (await store.readLogAt([2])) as Array<Record<string, unknown>>;
    await store.backend.keyv.set('log:000000000002', { ...event, after: { owner: 'mallory' } });
    await store.close();
    const bad = await cli(['verify']);
    expect(bad.code).toBe(65);
    expect(bad.stdout).toMatch(/1 problem\(s\):\n {2}- event 2: its hash does not match/);
    expect(JSON.parse((await cli(['verify', '--json'])).stdout)).toMatchObject({ ok: false, events: 2 });
  });

  it('purges personal data after the retention period, keeping the trail valid', async () => {
    const id = await addOne();
    await cli(['close', id, '--outcome', 'completed']);
    const later = new Date('2028-03-11T00:00:00Z');
    expect((await cli(['purge', '--dry-run'], later)).stdout).toMatch(
      new RegExp(`Would purge the personal data of 1 request\\(s\\) closed more than 24 months ago: ${id}`),
    );
    expect((await cli(['show', id, '--json'])).stdout).toMatch(/jane@example.org/);
    expect((await cli(['purge'], later)).stdout).toMatch(
      /Purged the personal data of 1 request\(s\).*\(1 record\(s\) deleted\)/,
    );
    const shown = await cli(['show', id]);
    expect(shown.stdout).toMatch(/requester\s+\(purged\)/);
    expect(shown.stdout).toMatch(/purged {2}purged: false -> true/);
    expect((await cli(['verify'])).code).toBe(0);
    expect((await cli(['purge', '--json'], later)).stdout).toMatch(/"due": \[\]/);
  });
});

describe('requests verify anchors the head and names damage (issue 11, points 8 and 9)', () => {
  it('prints the full head, and --head HASH notices the last event removed', async () => {
    const id = await addOne();
    await cli(['assign', id, 'bob']);
    const ok = await cli(['verify']);
    const head = /Head: event 2, ([0-9a-f]{64})/.exec(ok.stdout)?.[1];
    expect(head).toBeDefined();
    expect((await cli(['verify', '--head', head!])).stdout).toMatch(/every hash and link checks out/);
    const store = await openRegisterStore(env.PRIVACY_OPS_STORE!);
    await store.backend.keyv.delete('log:000000000002');
    await store.deleteSnapshot();
    await store.close();
    const cut = await cli(['verify', '--head', head!]);
    expect(cut.code).toBe(65);
    expect(cut.stdout).toMatch(
      /the recorded head [0-9a-f]{12} is not in the trail and the trail ends at event 1/,
    );
    const bad = await cli(['verify', '--head', 'abc']);
    expect(bad.code).toBe(64);
    expect(bad.stderr).toMatch(/--head takes the 64 hexadecimal digits/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });

  it('names an unreadable row and how to recover; list still shows what comes before it', async () => {
    const first = await addOne();
    await addOne();
    const store = await openRegisterStore(env.PRIVACY_OPS_STORE!);
    await (store.backend.keyv.store as { set(k: string, v: string): Promise<unknown> }).set(
      'log:000000000002',
      '{"value":{"v":1,',
    );
    await store.close();
    const list = await cli(['list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(first);
    expect(list.stderr).toMatch(/warning: the audit trail is damaged \(event 2 cannot be read/);
    const verify = await cli(['verify']);
    expect(verify.code).toBe(65);
    expect(verify.stdout).toMatch(/- event 2: it cannot be read: the stored value is not valid JSON/);
    expect(verify.stdout).toMatch(
      /Restore event 2 \(store key log:000000000002\) from a backup of the store/,
    );
    const add = await cli(ADD);
    expect(add.code).toBe(74);
    expect(add.stderr).toMatch(/event 2 cannot be read.*Restore event 2/);
  });
});

describe('bin/privacy-ops requests', () => {
  const bin = join(process.cwd(), 'bin', 'privacy-ops');
  const today = new Date().toISOString().slice(0, 10);

  it('creates ./data/ for the default store, exits with the documented codes and logs no personal data', () => {
    const base = { ...process.env, PRIVACY_OPS_STORE: '', LOG_LEVEL: 'debug', PRIVACY_OPS_ACTOR: 'ci' };
    const exec = (args: string[]) =>
      spawnSync(process.execPath, [bin, 'requests', ...args], { cwd: dir, env: base, encoding: 'utf8' });
    const add = exec([
      ...ADD.map((a) => (a === '2026-03-02' ? today : a)),
      '--note',
      'secret note',
      '--json',
    ]);
    expect(add.status).toBe(0);
    const { id } = JSON.parse(add.stdout);
    expect(id).toMatch(/^DSR-\d{4}-0001$/);
    expect(existsSync(join(dir, 'data', 'privacy-ops.sqlite'))).toBe(true);
    expect(add.stderr).toMatch(/request added/);
    expect(add.stderr).not.toMatch(/Jane|jane@|secret note/);

    const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const future = exec(ADD.map((a) => (a === '2026-03-02' ? tomorrow : a)));
    expect(future.status).toBe(65);
    expect(future.stderr).toMatch(/is in the future/);
    expect(exec(['list', '--bogus']).status).toBe(64);
    const shown = exec(['show', id, '--json']);
    expect(shown.status).toBe(0);
    expect(JSON.parse(shown.stdout).trail[0].actor).toBe('ci');
    expect(shown.stderr).not.toMatch(/jane/i);
    expect(exec(['verify']).status).toBe(0);
  });

  it('ends quietly when the reader of its output goes away (`requests export | head`)', async () => {
    const env = {
      ...process.env,
      PRIVACY_OPS_STORE: `sqlite://${join(dir, 'register.sqlite')}`,
      LOG_LEVEL: 'warn',
    };
    expect(spawnSync(process.execPath, [bin, 'requests', ...ADD], { env, encoding: 'utf8' }).status).toBe(0);
    const child = spawn(process.execPath, [bin, 'requests', 'export', '--format', 'csv'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // The reader is gone before the first line is written, as `head` is once it has its lines.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (c) => {
      stderr += c;
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toMatch(/EPIPE|\n\s+at .*:\d+:\d+/);
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});

/** Issue 14 points 2 and 6 at the command line: an appeal linked to its request; no future receipt. */
describe('requests add: appeals and future receipt', () => {
  const US = ['--regime', 'us-state', '--region', 'TX'];

  it('logs an appeal linked to the request it appeals, due under Tex. Bus. & Com. Code § 541.053', async () => {
    const first = await addOne([...US]);
    const { code, stdout } = await cli([
      ...ADD.map((a) => (a === 'access' ? 'appeal' : a === 'gdpr' ? 'us-state' : a)),
      '--region',
      'TX',
      '--appeal-of',
      first,
    ]);
    expect(code).toBe(0);
    // Appeal received Mon 2 Mar 2026 + 60 days: Fri 1 May 2026 (date -d).
    expect(stdout).toMatch(new RegExp(`appeal of\\s+${first}`));
    expect(stdout).toMatch(/due\s+2026-05-01: Appeal: .*\[Tex\. Bus\. & Com\. Code § 541\.053\]/);
  });

  it('logs an appeal whose original is not in the register, unlinked, and refuses a receipt date after today', async () => {
    const appeal = await cli([
      ...ADD.map((a) => (a === 'access' ? 'appeal' : a === 'gdpr' ? 'us-state' : a)),
      '--region',
      'TX',
    ]);
    expect(appeal.code).toBe(0);
    const future = await cli([...ADD.map((a) => (a === '2026-03-02' ? '2026-03-11' : a))]);
    expect(future.code).not.toBe(0);
    expect(future.stderr).toMatch(/in the future/);
    expect(await eventCount()).toBe(1);
  });
});
