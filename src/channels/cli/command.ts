import { parseArgs } from 'node:util';
import type { Config } from '../../config.js';
import { AppError } from '../../core/errors.js';
import type { Logger } from '../../logger.js';

/** What every CLI command gets: its arguments, the validated configuration and the streams. */
export interface CommandContext {
  argv: string[];
  config: Config;
  logger: Logger;
  stdin: NodeJS.ReadableStream;
  out: (text: string) => void;
  err: (text: string) => void;
  /** The wall clock, injected so tests can pin "today". */
  now: () => Date;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Returns the process exit code. */
  run(ctx: CommandContext): Promise<number>;
}

type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;

/**
 * node:util parseArgs with errors turned into USAGE AppErrors that quote the command's usage, so
 * a mistyped flag gets "unknown option --x; usage: ..." instead of a stack trace.
 */
export function parseOptions<T extends OptionSpec>(
  argv: string[],
  options: T,
  usage: string,
  allowPositionals = true,
) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message.replace(/^.*?: /, '') : String(error);
    throw new AppError('USAGE', `${message}\nusage: ${usage}`);
  }
}

export function usageError(message: string, usage: string): AppError {
  return new AppError('USAGE', `${message}\nusage: ${usage}`);
}
