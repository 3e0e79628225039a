import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as util from 'node:util';
import { AppError } from './core/errors.js';

/** The settings file read at start-up, in the working directory (`.env.example` shows every key). */
export const ENV_FILE = '.env';

/** A variable name as a shell and Node's reader both take it. */
const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Loads `.env` from `dir` into `process.env` with Node's own reader (`process.loadEnvFile`, Node
 * 20.12 and later), when the file exists. Variables already in the environment win: loadEnvFile
 * never overwrites one that is set, even to an empty value (Node's `dotenv.cc`, "override" off).
 * Returns the file's name relative to `dir` when it was read, undefined when there is none.
 *
 * Node's reader never fails on content: a line without `=` silently becomes part of the next
 * key's name, and that key is lost. So the names it reads are checked first and such a file is a
 * CONFIG error naming the line (never its text, which may hold a secret); nothing is loaded then.
 */
export function loadEnvFile(dir: string = process.cwd(), file: string = ENV_FILE): string | undefined {
  // The entry points pass PRIVACY_OPS_ENV_FILE: another settings file, or, set empty, none (the
  // test suite runs that way, so a person's own .env never changes what the tests see).
  if (file === '') return undefined;
  const path = resolve(dir, file);
  if (!existsSync(path)) return undefined;
  if (typeof process.loadEnvFile !== 'function' || typeof util.parseEnv !== 'function') {
    throw new AppError(
      'CONFIG',
      `Reading ${file} needs Node.js 20.12 or later (this is ${process.version}); upgrade Node.js, or export the variables and remove ${file}.`,
    );
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new AppError(
      'CONFIG',
      `Cannot read ${file}${file === ENV_FILE ? ' in the working directory' : ''} (${code}); make it a readable file of KEY=value lines, or remove it.`,
      { cause: error },
    );
  }
  const bad = Object.keys(util.parseEnv(text)).find((name) => !NAME_RE.test(name));
  // A line that is no setting at the end of the file (or before only comments) is dropped by
  // Node's reader without a trace: found by reading the lines themselves.
  const stray = strayLine(text);
  if (bad !== undefined || stray > 0) {
    // The bad name starts with the text of the first line Node could not read as KEY=value.
    const first = bad === undefined ? '' : bad.split('\n')[0]!.trim();
    const line = first ? text.split(/\r?\n/).findIndex((l) => l.trim().startsWith(first)) + 1 : stray;
    const where = line > 0 ? `Line ${line} of ${file}` : `A line of ${file}`;
    throw new AppError(
      'CONFIG',
      `${where}${file === ENV_FILE ? ' in the working directory' : ''} is not a NAME=value setting; write it as NAME=value (quote values with spaces or *), or start it with # to make it a comment.`,
    );
  }
  process.loadEnvFile(path);
  return file;
}

/**
 * The number of the first line that is neither blank, a comment, nor NAME=value (with `export`
 * before it, as a shell takes it), outside a quoted value that runs over several lines; 0 if none.
 */
function strayLine(text: string): number {
  const lines = text.split(/\r?\n/);
  let open: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (open) {
      if (line.includes(open)) open = null;
      continue;
    }
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const m = /^(?:export\s+)?[A-Za-z_][A-Za-z0-9_]*\s*=\s*(["'`])?(.*)$/.exec(trimmed);
    if (!m) return i + 1;
    // A quoted value not closed on its line goes on to the line that closes it.
    if (m[1] && !m[2]!.includes(m[1])) open = m[1];
  }
  return 0;
}
