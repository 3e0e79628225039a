import { parseArgs } from 'node:util';
import type { ConversationEngine } from '../../core/conversation/engine.js';
import { AppError } from '../../core/errors.js';
import type { LlmClient } from '../../core/llm/client.js';
import type { Corpus } from '../../core/policy/model.js';
import type { Scheduler } from '../../core/reminders/scheduler.js';
import type { PolicyTargets, Register } from '../../core/requests/register.js';
import type { Logger } from '../../logger.js';

/** The settings commands read, mapped by the composition root from the configuration it validated. */
export interface CliSettings {
  /** POLICY_CORPUS: the policy documents. */
  corpusDir: string;
  /** DEFAULT_POLICY: the policy a question names when it names none. */
  defaultPolicy?: string;
  /** TRUST_LLM_FACTS: serve facts `ingest --llm` extracted. */
  trustLlmFacts: boolean;
  /** PRIVACY_OPS_ACTOR: who the audit trail records; the OS account when unset. */
  actor?: string;
  /** DEFAULT_TIMEZONE: "today", and dates shown. */
  timeZone: string;
  /** DEFAULT_COUNTRY: whose holidays count when a request names no country. */
  country: string;
  /** REGISTER_RETENTION_MONTHS: how long `requests purge` keeps a closed request's personal data. */
  retentionMonths: number;
  /** OPENAI_INGEST_TIMEOUT_MS: the time one `ingest --llm` request may take. */
  ingestTimeoutMs: number;
}

/** An open register; closing it closes its store. */
export interface OpenRegister {
  register: Register;
  close(): Promise<void>;
}

/** The conversation core the console chat talks to, over a corpus and the register. */
export interface ConsoleCore extends OpenRegister {
  corpus: Corpus;
  engine: ConversationEngine;
}

/** The reminder scheduler, delivering as the server does (Slack and/or Teams) or only planning. */
export interface Reminders {
  scheduler: Scheduler;
  /** The platforms it delivers through ('slack', 'teams'); empty when it can only plan. */
  platforms: string[];
  close(): Promise<void>;
}

/**
 * What the composition root (src/main.ts) wires for commands, each opened only when a command asks:
 * the CLI builds no store, scheduler or client of its own, so it runs what the server runs.
 */
export interface CliServices {
  /**
   * The register in PRIVACY_OPS_STORE, with the policies' response promises when given. `readOnly`:
   * the command only reads, so a default SQLite file that does not exist is not created but is a
   * REGISTER_MISSING error (run from elsewhere, it would be a new, empty register).
   */
  openRegister(policyTargets?: PolicyTargets, options?: { readOnly?: boolean }): Promise<OpenRegister>;
  /** The conversation core over a corpus (the console chat). */
  openConsole(options: { corpusDir: string; defaultPolicy?: string }): Promise<ConsoleCore>;
  /**
   * The reminder scheduler with the server's delivery, on the command's clock. `send`: about to
   * send (platform credentials are checked first); otherwise it only plans.
   */
  openReminders(options: { send: boolean; now: () => Date }): Promise<Reminders>;
  /** The configured LLM client, or null when the configuration names none. */
  llm(): LlmClient | null;
}

/** What every CLI command gets: its arguments, its settings, the root's services and the streams. */
export interface CommandContext {
  argv: string[];
  settings: CliSettings;
  services: CliServices;
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
    // Node's own wording for a stray word ("Unexpected argument 'x'. This command does not take
    // positional arguments") says what is wrong but not what the command takes.
    const stray = /^Unexpected argument '(.*)'/.exec(error instanceof Error ? error.message : '');
    if (stray)
      throw new AppError(
        'USAGE',
        `"${stray[1]!.slice(0, 40)}" is not understood: this command takes only the options shown below.\nusage: ${usage}`,
      );
    const message = error instanceof Error ? error.message.replace(/^.*?: /, '') : String(error);
    throw new AppError('USAGE', `${message}\nusage: ${usage}`);
  }
}

/**
 * DEFAULT_POLICY must name a policy of the configured corpus: a typo would otherwise be ignored
 * and every policy would answer. Checked where the corpus is loaded, as a settings error (exit 78).
 */
export function checkDefaultPolicy(corpus: Corpus, defaultPolicy: string | undefined): void {
  if (!defaultPolicy || corpus.policies.some((p) => p.id === defaultPolicy)) return;
  const known = corpus.policies.map((p) => p.id).join(', ') || 'none';
  throw new AppError(
    'CONFIG',
    `DEFAULT_POLICY "${defaultPolicy.slice(0, 40)}" names no policy in POLICY_CORPUS; set it to one of the policy ids (${known}) or unset it.`,
  );
}

export function usageError(message: string, usage: string): AppError {
  return new AppError('USAGE', `${message}\nusage: ${usage}`);
}
