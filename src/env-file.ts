import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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
export function loadEnvFile(dir: string = process.cwd()): string | undefined {
  const path = join(dir, ENV_FILE);
  if (!existsSync(path)) return undefined;
  if (typeof process.loadEnvFile !== 'function' || typeof util.parseEnv !== 'function') {
    throw new AppError(
      'CONFIG',
      `Reading ${ENV_FILE} needs Node.js 20.12 or later (this is ${process.version}); upgrade Node.js, or export the variables and remove ${ENV_FILE}.`,
    );
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new AppError(
      'CONFIG',
      `Cannot read ${ENV_FILE} in the working directory (${code}); make it a readable file of KEY=value lines, or remove it.`,
      { cause: error },
    );
  }
  const bad = Object.keys(util.parseEnv(text)).find((name) => !NAME_RE.test(name));
  if (bad !== undefined) {
    // The bad name starts with the text of the first line Node could not read as KEY=value.
    const first = bad.split('\n')[0]!.trim();
    const line = first ? text.split(/\r?\n/).findIndex((l) => l.trim().startsWith(first)) + 1 : 0;
    const where = line > 0 ? `Line ${line} of ${ENV_FILE}` : `A line of ${ENV_FILE}`;
    throw new AppError(
      'CONFIG',
      `${where} in the working directory is not a NAME=value setting; write it as NAME=value (quote values with spaces or *), or start it with # to make it a comment.`,
    );
  }
  process.loadEnvFile(path);
  return ENV_FILE;
}
