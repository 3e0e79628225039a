import { newReference, toAppError } from '../../core/errors.js';
import type { Logger } from '../../logger.js';
import type { CliServices, CliSettings, Command, CommandContext } from './command.js';

/**
 * The command table. Commands load lazily so that `deadline` does not pay for the search index
 * and `ask` does not pay for the database drivers.
 */
const commands: Record<string, { summary: string; load: () => Promise<Command> }> = {
  ask: {
    summary: 'answer a question from the policy corpus, with citations',
    load: async () => (await import('./commands/ask.js')).askCommand,
  },
  ingest: {
    summary: 'build the structured corpus and write it as JSON for review',
    load: async () => (await import('./commands/ingest.js')).ingestCommand,
  },
  facts: {
    summary: 'print the typed facts of one policy as a table',
    load: async () => (await import('./commands/facts.js')).factsCommand,
  },
  chat: {
    summary: 'a console chat with the bot (the default of `npm start`)',
    load: async () => (await import('./commands/chat.js')).chatCommand,
  },
  deadline: {
    summary: 'the legal response deadline of a rights request, with its rule and source',
    load: async () => (await import('./commands/deadline.js')).deadlineCommand,
  },
  requests: {
    summary: 'the rights-request register: add, list, show, change, export, verify and purge',
    load: async () => (await import('./commands/requests.js')).requestsCommand,
  },
  reminders: {
    summary: 'deadline reminders: what is due at an instant, or one sweep now',
    load: async () => (await import('./commands/reminders.js')).remindersCommand,
  },
};

function help(): string {
  const width = Math.max(...Object.keys(commands).map((n) => n.length));
  const rows = Object.entries(commands).map(([n, c]) => `  ${n.padEnd(width)}  ${c.summary}`);
  return `usage: privacy-ops <command> [options]\n\ncommands:\n${rows.join('\n')}\n\nRun \`bin/privacy-ops <command> --help\` for a command's options.\n`;
}

/** The terminal: streams and the clock, injectable for tests. */
export interface CliIo {
  stdin?: NodeJS.ReadableStream;
  out?: (text: string) => void;
  err?: (text: string) => void;
  now?: () => Date;
}

/** Set once stdout's reader is gone (`requests export | head`): the rest is not wanted. */
let stdoutGone = false;
let stdoutGuarded = false;

/**
 * Standard output whose reader may leave early. A closed pipe is an EPIPE 'error' event, which
 * would end the process with a stack trace; the reader has what it wanted, so the remaining
 * output is dropped and the command finishes as usual.
 */
function writeStdout(text: string): void {
  if (!stdoutGuarded) {
    stdoutGuarded = true;
    process.stdout.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      stdoutGone = true;
    });
  }
  if (!stdoutGone) process.stdout.write(text);
}

/** What the composition root hands a command: settings, services and the logger. */
export interface CliWiring {
  settings: CliSettings;
  services: CliServices;
  logger: Logger;
}

/**
 * Runs one CLI invocation and returns its exit code; never throws. `wire` is the composition
 * root's: called once the command is known (help and an unknown command need no configuration),
 * it validates the configuration and may throw its CONFIG error, which is reported like any other.
 */
export async function runCli(argv: string[], options: CliIo, wire: () => CliWiring): Promise<number> {
  const out = options.out ?? writeStdout;
  const err = options.err ?? ((t: string) => void process.stderr.write(t));
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    out(help());
    return name ? 0 : 64;
  }
  const entry = commands[name];
  if (!entry) {
    err(`privacy-ops: unknown command "${name.slice(0, 40)}".\n${help()}`);
    return 64;
  }
  let wiring: CliWiring;
  try {
    wiring = wire();
  } catch (error) {
    err(`privacy-ops: ${toAppError(error).message}\n`);
    return toAppError(error).exitCode;
  }
  const { logger } = wiring;
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    out(`usage: ${command.usage}\n\n${command.summary}\n`);
    return 0;
  }
  const ctx: CommandContext = {
    argv: rest,
    settings: wiring.settings,
    services: wiring.services,
    logger,
    stdin: options.stdin ?? process.stdin,
    out,
    err,
    now: options.now ?? (() => new Date()),
  };
  try {
    return await command.run(ctx);
  } catch (error) {
    const appError = toAppError(error);
    if (appError.code === 'INTERNAL') {
      const reference = newReference();
      logger.error({ err: appError.cause, code: appError.code, reference, command: name }, 'command failed');
      err(`privacy-ops: ${appError.message} (reference ${reference})\n`);
    } else {
      err(`privacy-ops: ${appError.message}\n`);
    }
    return appError.exitCode;
  }
}
