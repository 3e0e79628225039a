import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** Runs the real CLI (bin/privacy-ops over dist/, built by the global setup). */
function cli(args: string[], env: Record<string, string> = {}) {
  const run = spawnSync(process.execPath, ['bin/privacy-ops', 'deadline', ...args], {
    encoding: 'utf8',
    env: { ...process.env, DEFAULT_COUNTRY: 'DE', DEFAULT_TIMEZONE: 'UTC', ...env },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function expectNoStack(stderr: string) {
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(stderr).not.toContain('AppError');
}

describe('privacy-ops deadline --json', () => {
  it('prints one JSON object with due, rule, source and every clock', () => {
    const run = cli([
      '--regime',
      'gdpr',
      '--received',
      '2026-05-15',
      '--country',
      'FR',
      '--extended',
      '--json',
    ]);
    expect(run.status).toBe(0);
    const out = JSON.parse(run.stdout);
    // Three months from Fri 15 May 2026: Sat 15 Aug, a holiday too -> Mon 17 Aug.
    expect(out.due).toBe('2026-08-17');
    expect(out.rule).toMatch(/Saturday 15 August 2026/);
    expect(out.source).toMatch(/12\(3\)/);
    expect(out.deadlines.map((d: { kind: string }) => d.kind)).toEqual(['response', 'extension-notice']);
    expect(out.deadlines[1].due).toBe('2026-06-15');
  });

  it('counts CCPA opt-outs in business days and accepts type aliases', () => {
    const run = cli(['--regime', 'cpra', '--received', '2026-01-09', '--type', 'do-not-sell', '--json']);
    expect(run.status).toBe(0);
    // Jan 12-16, MLK Day on 19, 20-23, 26-30, then Mon 2 Feb is the 15th business day.
    expect(JSON.parse(run.stdout)).toMatchObject({ due: '2026-02-02', type: 'opt-out-of-sale' });
  });

  it('uses DEFAULT_COUNTRY for the EU GDPR when no country is given', () => {
    // Fri 15 Aug 2025 is a holiday in France (Assomption) but not in most of Germany.
    const fr = cli(['--regime', 'gdpr', '--received', '2025-07-15', '--json'], { DEFAULT_COUNTRY: 'FR' });
    const de = cli(['--regime', 'gdpr', '--received', '2025-07-15', '--json'], { DEFAULT_COUNTRY: 'DE' });
    expect(JSON.parse(fr.stdout).due).toBe('2025-08-18');
    expect(JSON.parse(de.stdout).due).toBe('2025-08-15');
  });

  it('uses the regime home country otherwise (UK GDPR: England)', () => {
    // Mon 31 Aug 2026 is the Summer bank holiday in England -> Tue 1 Sep.
    const run = cli(['--regime', 'uk-gdpr', '--received', '2026-07-31', '--json']);
    expect(JSON.parse(run.stdout)).toMatchObject({ due: '2026-09-01', country: 'GB', region: 'ENG' });
  });
});

describe('privacy-ops deadline (text)', () => {
  it('shows the date with its weekday, the rule, the source and the other clocks', () => {
    const run = cli(['--regime', 'ccpa', '--received', '2026-01-10']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Due: Tuesday 24 February 2026 (2026-02-24');
    expect(run.stdout).toMatch(/Rule: 45 calendar days/);
    expect(run.stdout).toContain('Source: Cal. Code Regs. tit. 11 § 7021(b)');
    expect(run.stdout).toMatch(/Receipt confirmation: Monday 26 January 2026/);
  });
});

describe('privacy-ops deadline errors', () => {
  it.each([
    [['--received', '2026-01-05'], /missing --regime/],
    [['--regime', 'gdpr'], /missing --received/],
    [['--regime', 'hipaa', '--received', '2026-01-05'], /unknown regime "hipaa".*gdpr, uk-gdpr/],
    [['--regime', 'gdpr', '--received', '2026-01-05', '--type', 'zap'], /unknown request type "zap"/],
    [['--regime', 'gdpr', '--received', '2026-01-05', '--bogus'], /--bogus/],
    [['--regime', 'gdpr', '--received', '2026-01-05', 'extra'], /extra/],
  ])('usage error %j exits 64 with the usage', (args, message) => {
    const run = cli(args);
    expect(run.status).toBe(64);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toContain('usage: privacy-ops deadline --regime');
    expect(run.stdout).toBe('');
    expectNoStack(run.stderr);
  });

  it.each([
    [['--regime', 'gdpr', '--received', '2026-02-30'], /February 2026 has 28 days/],
    [['--regime', 'gdpr', '--received', 'last friday'], /YYYY-MM-DD/],
    [['--regime', 'gdpr', '--received', '2026-01-05', '--country', 'XX'], /ISO 3166-1/],
    [['--regime', 'lgpd', '--received', '2026-01-05', '--extended'], /allows no extension/],
  ])('invalid data %j exits 65 with a clear message', (args, message) => {
    const run = cli(args);
    expect(run.status).toBe(65);
    expect(run.stderr).toMatch(message);
    expectNoStack(run.stderr);
  });

  it.each([
    [
      ['--regime', 'us-state', '--region', 'NY', '--received', '2026-01-05'],
      /"NY".*known states: VA \(Virginia\)/,
    ],
    [['--regime', 'us-state', '--received', '2026-01-05'], /give the state as the region/],
    [['--regime', 'us-state', '--region', 'UT', '--received', '2026-01-05', '--type', 'appeal'], /no appeal/],
  ])('US state input %j exits 65 naming the known states or the missing right', (args, message) => {
    const run = cli(args);
    expect(run.status).toBe(65);
    expect(run.stderr).toMatch(message);
    expectNoStack(run.stderr);
  });
});

/** Issue 14 point 1 and 2 at the command line: the state's own period, and the appeal clock. */
describe('privacy-ops deadline for a US state', () => {
  it.each([
    // region, type, extended, due, statute cited
    ['IA', 'access', false, '2026-04-10', 'Iowa Code § 715D.3(2)(a)'],
    ['VA', 'access', false, '2026-02-24', 'Va. Code § 59.1-577(B)(1)'],
    ['TX', 'appeal', false, '2026-03-11', 'Tex. Bus. & Com. Code § 541.053'],
    ['CO', 'appeal', false, '2026-02-24', 'Colo. Rev. Stat. § 6-1-1306(3)'],
    // Issue 14 point 5 (was Sat 25 Apr): C.R.S. § 2-4-108(2) runs a period ending on a Saturday to Monday.
    ['CO', 'appeal', true, '2026-04-27', 'Colo. Rev. Stat. § 6-1-1306(3)'],
  ])('--region %s --type %s (extended: %s): due %s under %s', (region, type, extended, due, statute) => {
    // Received Sat 10 Jan 2026: +45 Tue 24 Feb, +60 Wed 11 Mar, +90 Fri 10 Apr, +105 Sat 25 Apr (date -d).
    const args = ['--regime', 'us-state', '--region', region, '--received', '2026-01-10', '--type', type];
    const run = cli([...args, ...(extended ? ['--extended'] : []), '--json']);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ due, source: statute, region, type });
  });
});

/** Issue 14 point 6: the calculator plans ahead; the register still refuses a future receipt. */
describe('privacy-ops deadline for a day still to come', () => {
  it.each([
    // regime, received, options, due, statute cited
    ['gdpr', '2199-01-05', ['--country', 'DE'], '2199-02-05', 'GDPR art. 12(3)'],
    ['us-state', '2199-01-05', ['--region', 'IA'], '2199-04-05', 'Iowa Code § 715D.3(2)(a)'],
  ])('%s received %s: computed, and said to be in the future', (regime, received, options, due, statute) => {
    const text = cli(['--regime', regime, '--received', received, ...options]);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(
      new RegExp(`What-if: --received ${received} is in the future \\(today is \\d{4}-\\d{2}-\\d{2}\\)`),
    );
    expect(text.stdout).toContain(`(${due}, in `);
    expect(text.stdout).toContain(statute);
    const json = cli(['--regime', regime, '--received', received, ...options, '--json']);
    expect(json.status).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ due, future: true });
    expectNoStack(json.stderr);
  });
});

/** Issue 14 points 3 to 5 at the command line: the new flags and the safe readings, with their sources. */
describe('privacy-ops deadline: the safe reading and the rules added by issue 14', () => {
  it.each([
    // args, due, statute cited
    [['--regime', 'ccpa', '--received', '2025-11-20', '--type', 'opt-out'], '2025-12-12', '§ 7026(f)'],
    [
      ['--regime', 'lgpd', '--received', '2026-03-02', '--small-agent'],
      '2026-04-01',
      'Resolução CD/ANPD 2/2022 art. 14',
    ],
    [['--regime', 'lgpd', '--received', '2026-03-02', '--simplified'], '2026-03-02', 'art. 19, I'],
    [
      [
        '--regime',
        'pipeda',
        '--received',
        '2026-05-04',
        '--extended',
        '--alternative-format',
        '--extension-days',
        '45',
      ],
      '2026-07-18',
      'PIPEDA s. 8(3) and 8(4)(b)',
    ],
    [
      ['--regime', 'swiss', '--received', '2026-03-03', '--extended', '--extension-days', '16'],
      '2026-04-18',
      'DPO (SR 235.11) art. 18',
    ],
    [['--regime', 'swiss', '--received', '2026-03-04'], '2026-04-03', 'CO art. 77-78'],
    [
      ['--regime', 'us-state', '--region', 'CO', '--received', '2026-02-05'],
      '2026-03-23',
      'Colo. Rev. Stat. § 6-1-1306(2)',
    ],
  ])('%j: due %s under %s', (args, due, statute) => {
    const run = cli([...args, '--json']);
    expect(run.status).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.due).toBe(due);
    expect(out.source).toContain(statute);
  });

  it('warns when an EU GDPR deadline is given a country outside the EEA', () => {
    const run = cli(['--regime', 'gdpr', '--received', '2026-03-10', '--country', 'US']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Note: Warning: US is not an EU or EEA state/);
  });

  it('refuses an alternative-format extension without its days, in one sentence (exit 65)', () => {
    const run = cli(['--regime', 'pipeda', '--received', '2026-05-04', '--extended', '--alternative-format']);
    expect(run.status).toBe(65);
    expect(run.stderr).toMatch(/period necessary to convert/);
    expectNoStack(run.stderr);
  });
});
