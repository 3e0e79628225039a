/** The platform-neutral core the server and the console chat open: its parts, the engine, the drafts desk. */
import { checkDefaultPolicy } from '../channels/cli/command.js';
import type { ConversationEngine } from '../core/conversation/engine.js';
import type { Reply } from '../core/conversation/reply.js';
import type { DraftDesk } from '../core/intake/desk.js';
import type { LlmClient } from '../core/llm/client.js';
import type { MailIntakeOptions, MailIntakeService } from '../core/mailbox/service.js';
import type { PolicyAnswerer } from '../core/policy/answer.js';
import type { Corpus } from '../core/policy/model.js';
import type { ReminderStore } from '../core/reminders/store.js';
import type { PolicyTargets, Register } from '../core/requests/register.js';
import type { Logger } from '../logger.js';
import type { Backend } from '../store/backends.js';
import type { BackendSeenKeys } from '../store/seen-keys.js';

export interface OpenedRegister {
  register: Register;
  /** The register's storage backend, which reminder claims and drafts share. */
  backend: Backend;
  close(): Promise<void>;
}

/**
 * The platform-neutral core, for the server and the console chat: policies, the optional LLM, the
 * register, the reminder store, the drafts waiting for a "yes" and the conversation engine.
 */
export interface Core extends OpenedRegister {
  corpus: Corpus;
  reminderStore: ReminderStore;
  engine: ConversationEngine;
  /**
   * The drafts posted to the privacy channel, when the mailbox (MAILBOX_HOST) or the intake
   * webhook (INTAKE_SECRET) is on; `posters` are added as channels start.
   */
  drafts?: {
    desk: DraftDesk;
    /** The mailbox's service, when MAILBOX_HOST is set. */
    mail?: MailIntakeService;
    /** The model that reads what the rules could not in a draft (LLM_READ_MAIL), when on. */
    llm?: MailIntakeOptions['llm'];
    seen: BackendSeenKeys;
    posters: ((reply: Reply) => Promise<boolean>)[];
  };
}

/** What the engine takes from the configuration. */
export interface EngineSettings {
  /** REMINDER_SNOOZE_HOURS: how long "snooze" silences a request's reminders. */
  snoozeHours: number;
  country: string;
  timeZone: string;
}

/** The conversation engine over the core's parts: the answerer (with the LLM's help, if any), the register, drafts, snoozes. */
export async function newEngine(
  settings: EngineSettings,
  logger: Logger,
  parts: {
    answerer: PolicyAnswerer;
    llm: LlmClient | null;
    opened: OpenedRegister;
    drafts: Core['drafts'];
    reminderStore: ReminderStore;
  },
): Promise<ConversationEngine> {
  const { ConversationEngine } = await import('../core/conversation/engine.js');
  const { AssistedAnswerer } = await import('../core/llm/assisted-answer.js');
  const { BackendDraftStore } = await import('../store/draft-store.js');
  const { answerer, llm, opened, drafts, reminderStore } = parts;
  return new ConversationEngine({
    ...(drafts ? { desk: drafts.desk } : {}),
    answerer,
    ...(llm ? { assistant: new AssistedAnswerer(answerer, llm, { logger }) } : {}),
    register: opened.register,
    // Drafts wait in the register's store, so a "yes" may reach any replica, or come after a restart.
    drafts: new BackendDraftStore(opened.backend),
    snoozeReminders: async (requestId, now) => {
      const until = new Date(now.getTime() + settings.snoozeHours * 3_600_000);
      await reminderStore.snooze(requestId, until);
      return until;
    },
    defaultCountry: settings.country,
    defaultTimeZone: settings.timeZone,
    onError: (error, reference) =>
      logger.error({ code: error.code, reference, err: error.cause }, 'turn failed'),
  });
}

/** What the drafts desk takes from the configuration. */
export interface DeskSettings {
  /** PRIVACY_OPS_STORE, where the shared dedupe keys live. */
  store: string;
  timeZone: string;
  /** When the mailbox is on (MAILBOX_HOST and MAILBOX_USER): whether it logs clear requests itself. */
  mailbox?: { autoLog: boolean };
}

/**
 * The drafts for the privacy channel (the mailbox's, the intake webhook's), next to the register:
 * claims and drafts in the shared dedupe keys (every replica sees them). They go to whichever
 * privacy channels the server starts; one taking a draft is enough.
 */
export async function openDesk(
  settings: DeskSettings,
  opened: OpenedRegister,
  llm?: MailIntakeOptions['llm'],
): Promise<NonNullable<Core['drafts']>> {
  const { openSeenKeys } = await import('../store/seen-keys.js');
  const { DraftDesk } = await import('../core/intake/desk.js');
  const { AppError } = await import('../core/errors.js');
  const seen = await openSeenKeys(settings.store);
  const posters: ((reply: Reply) => Promise<boolean>)[] = [];
  const post = async (reply: Reply) => {
    const sent = await Promise.allSettled(posters.map((poster) => poster(reply)));
    if (!sent.some((r) => r.status === 'fulfilled' && r.value))
      throw new AppError('UPSTREAM', 'No privacy channel took the draft.', {
        cause: sent.find((r) => r.status === 'rejected')?.reason,
      });
  };
  const desk = new DraftDesk({ register: opened.register, seen, timeZone: settings.timeZone, post });
  if (!settings.mailbox) return { desk, seen, posters, ...(llm ? { llm } : {}) };
  const { MailIntakeService } = await import('../core/mailbox/service.js');
  const mail = new MailIntakeService({
    register: opened.register,
    seen,
    autoLog: settings.mailbox.autoLog,
    timeZone: settings.timeZone,
    post,
    desk,
    ...(llm ? { llm } : {}),
  });
  return { desk, mail, seen, posters, ...(llm ? { llm } : {}) };
}

/** What the core takes from the configuration. */
export interface CoreSettings {
  /** POLICY_CORPUS: the configured folder (or JSON file) of policies. */
  corpusDir: string;
  /** DEFAULT_POLICY, which the configured corpus must hold. */
  defaultPolicy: string | undefined;
  trustLlmFacts: boolean;
  /** When the mailbox or the intake webhook is on: where their drafts wait. */
  desk?: DeskSettings;
  engine: EngineSettings;
}

/** What the core is opened over: the register (opened by the composition root) and the LLM, if any. */
export interface CoreDeps {
  openRegister(policyTargets?: PolicyTargets): Promise<OpenedRegister>;
  /** The configured LLM, or null (the offline default). */
  llm: LlmClient | null;
  /** The model that reads mail and intake messages (LLM_READ_MAIL), when on. */
  mailLlm?: MailIntakeOptions['llm'];
}

export async function openCore(
  settings: CoreSettings,
  deps: CoreDeps,
  logger: Logger,
  options: { corpusDir?: string; defaultPolicy?: string; mailbox?: boolean } = {},
): Promise<Core> {
  const { openPolicies } = await import('../core/policy/service.js');
  const { policyTargetsFrom } = await import('../core/policy/targets.js');
  const { ReminderStore } = await import('../core/reminders/store.js');
  const { corpus, answerer } = await openPolicies(
    options.corpusDir ?? settings.corpusDir,
    options.defaultPolicy ?? settings.defaultPolicy,
    { trustLlmFacts: settings.trustLlmFacts },
  );
  // The configured corpus must hold the configured default; another one (`chat --corpus`) need not.
  const configuredCorpus = (options.corpusDir ?? settings.corpusDir) === settings.corpusDir;
  if (configuredCorpus && !options.defaultPolicy) checkDefaultPolicy(corpus, settings.defaultPolicy);
  for (const s of corpus.skipped) logger.warn({ file: s.file, reason: s.reason }, 'policy document skipped');
  // Optional: an OpenAI-compatible endpoint helps with low-confidence answers (never required).
  const { llm } = deps;
  const opened = await deps.openRegister(policyTargetsFrom(corpus));
  const drafts =
    options.mailbox && settings.desk ? await openDesk(settings.desk, opened, deps.mailLlm) : undefined;
  const reminderStore = new ReminderStore(opened.backend);
  const engine = await newEngine(settings.engine, logger, { answerer, llm, opened, drafts, reminderStore });
  return {
    ...opened,
    ...(drafts
      ? {
          drafts,
          async close() {
            try {
              await drafts.seen.close();
            } finally {
              await opened.close();
            }
          },
        }
      : {}),
    corpus,
    reminderStore,
    engine,
  };
}
