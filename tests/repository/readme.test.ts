import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The README and docs/ as a newcomer meets them: the two commands on top, every setting of
 * .env.example in the README's table, links that lead somewhere, and every `bin/privacy-ops`
 * command in them run as printed, in order, in a fresh directory (a fresh register), as on a
 * fresh clone. Lines with a placeholder (`<…>`, `...`, `…`, `YOUR-`) are not run.
 */

const root = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(root, 'bin', 'privacy-ops');
const README = readFileSync(join(root, 'README.md'), 'utf8');
const DOCS = readdirSync(join(root, 'docs'))
  .filter((f) => f.endsWith('.md'))
  .sort();
const read = (file: string) => readFileSync(join(root, file), 'utf8');

/** The fenced blocks of a markdown text with their info string. */
function blocks(markdown: string): { lang: string; body: string }[] {
  return [...markdown.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1]!, body: m[2]! }));
}

/** The `bin/privacy-ops` command lines of a text's `sh` blocks: continuations joined, comments off. */
function commands(markdown: string): string[] {
  return blocks(markdown)
    .filter((b) => b.lang === 'sh')
    .flatMap((b) => b.body.replace(/\\\n\s*/g, '').split('\n'))
    .map((line) => line.replace(/\s+#\s.*$/, '').trim())
    .filter((line) => line.includes('bin/privacy-ops'))
    .filter((line) => !/<|\.\.\.|…|YOUR-/.test(line));
}

/** The section of a markdown text under a `## ` heading, up to the next one. */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n## ${heading}\n`);
  expect(start, `no "## ${heading}" section`).toBeGreaterThanOrEqual(0);
  const end = markdown.indexOf('\n## ', start + 4);
  return markdown.slice(start, end < 0 ? undefined : end);
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as dashes. */
const anchor = (heading: string) =>
  heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\- ]/gu, '')
    .replace(/ /g, '-');

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A fresh working directory that has what a clone has where the commands look: the corpora. */
function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'privacy-ops-readme-'));
  dirs.push(dir);
  for (const name of ['examples', 'bench']) symlinkSync(join(root, name), join(dir, name));
  return dir;
}

/** Runs one documented command line through the shell, as a reader would paste it. */
function runLine(line: string, cwd: string, input = '') {
  const command = line.replace(/(^|[\s|])bin\/privacy-ops\b/g, `$1'${BIN}'`);
  // Only what a newcomer's shell has: no .env, no OPENAI_* or store settings from this machine.
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? cwd, LANG: 'C.UTF-8' };
  return spawnSync('sh', ['-c', command], { cwd, env, input, encoding: 'utf8', timeout: 60_000 });
}

describe('README.md', () => {
  it('opens with the two commands: install and run the console chat, and run the tests', () => {
    const first = blocks(README)[0]!;
    expect(first.lang).toBe('sh');
    expect(first.body).toMatch(/^npm install && npm start\b/m);
    expect(first.body).toMatch(/^npm test\b/m);
    expect(README.indexOf('```sh')).toBeLessThan(README.indexOf('\n## '));
  });

  it('stays short: what a newcomer needs, the rest in docs/', () => {
    expect(README.split('\n').length).toBeLessThanOrEqual(200);
  });

  it('documents every variable of .env.example in its Configuration table', () => {
    const keys = [...read('.env.example').matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]!);
    expect(keys.length).toBeGreaterThan(40);
    const table = section(README, 'Configuration')
      .split('\n')
      .filter((l) => l.startsWith('| `'));
    const documented = new Set(
      table.flatMap((row) => [...row.split('|')[1]!.matchAll(/`([A-Z0-9_]+)`/g)].map((m) => m[1]!)),
    );
    expect(keys.filter((k) => !documented.has(k))).toEqual([]);
  });

  it('links every page in docs/', () => {
    expect(DOCS.filter((page) => !README.includes(`](docs/${page}`))).toEqual([]);
  });
});

describe('links in README.md and docs/', () => {
  it.each(['README.md', ...DOCS.map((p) => `docs/${p}`)])(
    '%s links only to files and headings that exist',
    (file) => {
      const text = read(file);
      const broken: string[] = [];
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(target!)) continue;
        const [path, hash] = target!.split('#');
        const resolved = path ? resolve(dirname(join(root, file)), path) : join(root, file);
        if (!existsSync(resolved)) {
          broken.push(target!);
          continue;
        }
        if (hash && resolved.endsWith('.md')) {
          const headings = [...readFileSync(resolved, 'utf8').matchAll(/^#+ (.+)$/gm)].map((m) =>
            anchor(m[1]!),
          );
          if (!headings.includes(hash)) broken.push(target!);
        }
      }
      expect(broken).toEqual([]);
    },
  );
});

describe('the commands as printed', () => {
  it('README: the console chat, then every command line, on a fresh register', { timeout: 240_000 }, () => {
    const dir = freshDir();
    // The transcript under "The console chat", typed into the chat.
    const transcript = blocks(README).find((b) => b.lang === 'text' && b.body.startsWith('> '))!;
    const chat = runLine('bin/privacy-ops chat', dir, transcript.body.replace(/^> /gm, ''));
    expect(chat.status, chat.stderr).toBe(0);
    expect(chat.stdout).toContain('Technical logs');
    expect(chat.stdout).toMatch(/Logged DSR-\d{4}-0001/);
    expect(chat.stdout).toMatch(/closed: completed/);
    expect(chat.stdout).toMatch(/due \d{4}-\d\d-\d\d — 15 business days/);

    const lines = commands(README);
    expect(lines.length).toBeGreaterThanOrEqual(6);
    for (const line of lines) {
      const run = runLine(line, dir);
      expect(run.status, `${line}\n${run.stderr}`).toBe(0);
      // The README says what to expect of these two.
      if (line.includes('requests add')) expect(run.stdout).toMatch(/Logged DSR-\d{4}-0002/);
      if (line.includes('--due-within 7')) expect(run.stdout).toMatch(/DSR-\d{4}-0002 .*\n1 request\(s\)/);
      if (line.includes('requests verify')) expect(run.stdout).toMatch(/Head: event \d+, [0-9a-f]{64}\n/);
    }
  });

  it.each(DOCS.filter((page) => commands(read(`docs/${page}`)).length > 0))(
    'docs/%s: every command line, in order, on a fresh register',
    { timeout: 240_000 },
    (page) => {
      const dir = freshDir();
      for (const line of commands(read(`docs/${page}`))) {
        const run = runLine(line, dir);
        expect(run.status, `${line}\n${run.stderr}`).toBe(0);
        if (line.includes('--due-within 7')) expect(run.stdout).toMatch(/DSR-\d{4}-0003 .*\n1 request\(s\)/);
      }
    },
  );
});
