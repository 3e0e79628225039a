import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { corpusSchema } from '../../../../src/core/policy/model.js';

/**
 * The policy commands of the real CLI: bin/privacy-ops over dist/ (built by the global setup),
 * against the fictional policies in tests/fixtures/policies-qa.
 */

const ROOT = fileURLToPath(new URL('../../../..', import.meta.url));
const QA = fileURLToPath(new URL('../../../fixtures/policies-qa/', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'privacy-ops-cli-ask-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * A clean environment: nothing from the developer's shell (POLICY_CORPUS, Slack keys) leaks in, and
 * the register that `chat` opens lives in the scratch directory, not in the repository.
 */
const ENV = {
  PATH: process.env.PATH ?? '',
  // Not a .env a person may keep in the checkout.
  PRIVACY_OPS_ENV_FILE: '',
  HOME: scratch,
  NODE_ENV: 'test',
  PRIVACY_OPS_STORE: `sqlite://${join(scratch, 'register.sqlite')}`,
  PRIVACY_OPS_ACTOR: 'tester',
};

function cli(args: string[], input?: string, env: Record<string, string> = {}) {
  const run = spawnSync(process.execPath, ['bin/privacy-ops', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...ENV, ...env },
    input,
    timeout: 25_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** No stack trace and no raw error class names reach the user. */
function expectNoTrace(stderr: string): void {
  expect(stderr).not.toMatch(/at .*\(.*:\d+:\d+\)/);
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(stderr).not.toMatch(/\b\w*Error:/);
}

interface JsonAnswer {
  id?: unknown;
  answer: string;
  found: boolean;
  citations: { policy: string; section: string; quote: string }[];
  error?: boolean;
}

describe('privacy-ops ask', () => {
  it('--json prints one object with answer, found and citations {policy, section, quote}', () => {
    const run = cli([
      'ask',
      '--corpus',
      QA,
      '--policy',
      'lumenpay',
      '--json',
      'How long do we hang onto device logs?',
    ]);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
    const out = JSON.parse(run.stdout) as JsonAnswer;
    expect(typeof out.answer).toBe('string');
    expect(out.found).toBe(true);
    expect(out.answer).toMatch(/60 days/);
    expect(out.citations.length).toBeGreaterThan(0);
    for (const c of out.citations) {
      expect(Object.keys(c).sort()).toEqual(['policy', 'quote', 'section']);
      expect(c.policy).toBe('lumenpay');
    }
    expect(out.citations[0]!.quote).toMatch(/Device logs.*60 days/);
  });

  it('--json says found false, with no citations, for an off-topic question', () => {
    const run = cli(['ask', '--corpus', QA, '--json', 'Which train goes to the airport?']);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ found: false, citations: [] });
  });

  it('prints the answer with its sources as text by default', () => {
    const run = cli(['ask', '--corpus', QA, '--policy', 'quillbase', 'how long r access logs kept']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/45 days/);
    // The answer quotes the policy; its source names where, and the quote appears once.
    expect(run.stdout).toMatch(/Sources:\n\s+\[quillbase, Retention\]\n/);
    expect(run.stdout.split('Access logs are kept for 45 days.').length - 1).toBe(1);
  });

  it('--jsonl answers one line per line in, with ids, and goes on after a bad line', () => {
    const input = [
      JSON.stringify({ id: 'q1', q: 'How long are access logs kept?', policy: 'quillbase' }),
      'this line is not JSON',
      JSON.stringify({ id: 'q3', q: '   ' }),
      JSON.stringify({ id: 'q4', q: 'Who hosts our backups?', policy: 'no-such-policy' }),
      JSON.stringify({ id: 'q5', question: 'missing the q field' }),
      JSON.stringify({ id: 6, q: 'For how long are diagnostic logs stored?', policy: 'harbor-notes' }),
    ].join('\n');
    const run = cli(['ask', '--corpus', QA, '--jsonl'], `${input}\n`);
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(6);
    const out = lines.map((l) => JSON.parse(l) as JsonAnswer);
    expect(out.map((o) => o.id)).toEqual(['q1', null, 'q3', 'q4', 'q5', 6]);
    expect(out[0]).toMatchObject({ found: true });
    expect(out[0]!.answer).toMatch(/45 days/);
    expect(out[5]!.answer).toMatch(/14 days/);
    for (const bad of [out[1]!, out[2]!, out[3]!, out[4]!]) {
      expect(bad).toMatchObject({ error: true, found: false, citations: [] });
      expect(bad.answer.length).toBeGreaterThan(0);
    }
    expect(out[1]!.answer).toMatch(/line 2/);
    expect(out[3]!.answer).toMatch(/no-such-policy/);
    expect(out[0]!.error).toBeUndefined();
  });
});

describe('privacy-ops ingest and facts', () => {
  it('ingest --out writes JSON that matches the corpus schema, with a summary on stderr', () => {
    const file = join(scratch, 'corpus.json');
    const run = cli(['ingest', '--corpus', QA, '--out', file]);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('');
    const parsed = corpusSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    expect(parsed.success).toBe(true);
    expect(parsed.data?.policies.map((p) => p.id)).toEqual(['harbor-notes', 'lumenpay', 'quillbase']);
    for (const id of ['harbor-notes', 'lumenpay', 'quillbase'])
      expect(run.stderr).toMatch(new RegExp(`^${id} \\(`, 'm'));
  });

  it('ingest without --out prints the JSON on stdout', () => {
    const run = cli(['ingest', '--corpus', QA]);
    expect(run.status).toBe(0);
    expect(corpusSchema.safeParse(JSON.parse(run.stdout)).success).toBe(true);
  });

  it('facts --policy ID --topic retention prints a table of the retention facts', () => {
    const run = cli(['facts', '--corpus', QA, '--policy', 'lumenpay', '--topic', 'retention']);
    expect(run.status).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^LumenPay \(lumenpay\): \d+ facts? of kind retention/);
    const header = lines.find((l) => /^category\s+period\s+days/.test(l));
    expect(header).toBeDefined();
    const row = (category: string) => lines.find((l) => l.startsWith(category));
    expect(row('Device logs')).toMatch(/^Device logs\s+60 days\s+60\s/);
    expect(row('Transaction history')).toMatch(/6 years after the transaction/);
    // Data the policy keeps without a period shows an empty period column.
    expect(row('Voice notes')).toMatch(/^Voice notes\s+—\s+—/);
    expect(run.stdout).not.toMatch(/^(processor|contact|right)$/m);
  });
});

describe('privacy-ops ask with bad input', () => {
  const hundredKb = `How long do we keep logs? ${'a'.repeat(100 * 1024)}`;
  it.each([
    ['no question', ['ask', '--corpus', QA], 64],
    ['an unknown option', ['ask', '--corpus', QA, '--verbose', 'How long are logs kept?'], 64],
    ['a question with --jsonl', ['ask', '--corpus', QA, '--jsonl', 'How long are logs kept?'], 64],
    ['an unknown policy', ['ask', '--corpus', QA, '--policy', 'acme', 'How long are logs kept?'], 65],
    [
      'a missing corpus directory',
      ['ask', '--corpus', join(scratch, 'nowhere'), 'How long are logs kept?'],
      66,
    ],
    ['an empty question', ['ask', '--corpus', QA, ''], 65],
    ['a blank question', ['ask', '--corpus', QA, ' \t '], 65],
    ['a 100 KB question', ['ask', '--corpus', QA, hundredKb], 65],
    ['facts without a policy', ['facts', '--corpus', QA], 64],
    ['facts of an unknown policy', ['facts', '--corpus', QA, '--policy', 'acme'], 65],
    [
      'facts of an unknown topic',
      ['facts', '--corpus', QA, '--policy', 'lumenpay', '--topic', 'weather'],
      64,
    ],
    ['ingest of a missing corpus', ['ingest', '--corpus', join(scratch, 'nowhere')], 66],
  ] as const)('refuses %s with exit %i and a short message', (_, args, code) => {
    const run = cli([...args]);
    expect(run.status).toBe(code);
    expect(run.stdout).toBe('');
    expectNoTrace(run.stderr);
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^privacy-ops: \S/);
    expect(lines[0]!.length).toBeLessThan(300);
    // A usage error may add the command's usage; a data error is one line.
    if (code === 64) expect(lines.slice(1).join('\n')).toMatch(/^usage: privacy-ops /);
    else expect(lines).toHaveLength(1);
  });

  it('names the unknown policy and the known ones', () => {
    const run = cli(['ask', '--corpus', QA, '--policy', 'acme', 'How long are logs kept?']);
    expect(run.stderr).toMatch(/"acme".*harbor-notes, lumenpay, quillbase/);
  });
});

describe('settings and words a command cannot use (issue 17, newcomer points 1 and 2)', () => {
  it.each([
    ['ask', ['ask', 'How long are logs kept?']],
    ['facts', ['facts']],
    ['chat', ['chat']],
  ])('%s refuses a DEFAULT_POLICY that names no loaded policy, in one sentence, exit 78', (_, args) => {
    const run = cli([...args], 'quit\n', { POLICY_CORPUS: QA, DEFAULT_POLICY: 'nosuch' });
    expect(run.status).toBe(78);
    expectNoTrace(run.stderr);
    expect(run.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(
        /^privacy-ops: DEFAULT_POLICY "nosuch" names no policy in POLICY_CORPUS; set it to one of the policy ids \(harbor-notes, lumenpay, quillbase\) or unset it\.$/,
      ),
    ]);
  });

  it('hints name the command as the README runs it, bin/privacy-ops', () => {
    const help = cli(['--help']);
    expect(help.stdout).toContain('Run `bin/privacy-ops <command> --help`');
    const corpus = cli(['ask', '--corpus', join(scratch, 'missing.json'), 'How long are logs kept?']);
    expect(corpus.stderr).toContain('`bin/privacy-ops ingest --out ');
  });

  it('a word where a command takes only options says so, with the usage', () => {
    const run = cli(['facts', 'nosuch']);
    expect(run.status).toBe(64);
    const [first, usage] = run.stderr.trimEnd().split('\n');
    expect(first).toBe(
      'privacy-ops: "nosuch" is not understood: this command takes only the options shown below.',
    );
    expect(usage).toMatch(/^usage: privacy-ops facts .*--policy ID/);
  });
});

describe('privacy-ops chat', () => {
  it('answers questions read from stdin and stops at "quit"', () => {
    const input = [
      'How long are access logs kept?',
      '',
      '\u0007',
      'quit',
      'How long do we hang onto device logs?',
    ].join('\n');
    const run = cli(['chat', '--corpus', QA], `${input}\n`);
    expect(run.status).toBe(0);
    expectNoTrace(run.stderr);
    expect(run.stdout).toMatch(/3 policies loaded/);
    expect(run.stdout).toMatch(/45 days/);
    // The answer quotes its source.
    expect(run.stdout).toContain('Access logs are kept for 45 days.');
    // The line of control characters gets a reply instead of silence or a crash.
    const replies = run.stdout.split('> ').slice(1);
    expect(replies.length).toBeGreaterThanOrEqual(3);
    expect(replies[2]!.trim().length).toBeGreaterThan(0);
    // The question after "quit" is not answered.
    expect(run.stdout).not.toMatch(/60 days/);
    expect(run.stdout.trimEnd()).toMatch(/bye$/);
  });

  it('ends cleanly when stdin closes without "quit"', () => {
    const run = cli(
      ['chat', '--corpus', QA, '--policy', 'harbor-notes'],
      'For how long are diagnostic logs stored?\n',
    );
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/14 days/);
    expect(run.stdout.trimEnd()).toMatch(/bye$/);
  });
});
