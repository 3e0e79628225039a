import type { Config } from './config.js';
import { ConversationEngine } from './core/conversation/engine.js';
import { AssistedAnswerer } from './core/llm/assisted-answer.js';
import { createLlmClient } from './core/llm/openai-client.js';
import type { Corpus } from './core/policy/model.js';
import { openPolicies } from './core/policy/service.js';
import { policyTargetsFrom } from './core/policy/targets.js';
import { ReminderStore } from './core/reminders/store.js';
import { Register } from './core/requests/register.js';
import type { Logger } from './logger.js';
import type { Backend } from './store/backends.js';
import { BackendDraftStore } from './store/draft-store.js';
import { openRegisterStore } from './store/register-store.js';

/**
 * The platform-neutral core, wired once for every entry point that talks to people (the server in
 * app.ts and the console chat): policies, the optional LLM, the register and its store, the
 * reminder store, the drafts waiting for a "yes" and the conversation engine. Channels and the
 * scheduler are the callers' own.
 */
export interface CoreServices {
  corpus: Corpus;
  register: Register;
  reminderStore: ReminderStore;
  /** The register's storage backend, which the reminder scheduler's claims share. */
  backend: Backend;
  engine: ConversationEngine;
  /** Closes the register and its store. */
  close(): Promise<void>;
}

export async function openCore(
  config: Config,
  logger: Logger,
  options: { corpusDir?: string; defaultPolicy?: string } = {},
): Promise<CoreServices> {
  const { corpus, answerer } = await openPolicies(
    options.corpusDir ?? config.POLICY_CORPUS,
    options.defaultPolicy ?? config.DEFAULT_POLICY,
    { trustLlmFacts: config.TRUST_LLM_FACTS ?? false },
  );
  for (const s of corpus.skipped) logger.warn({ file: s.file, reason: s.reason }, 'policy document skipped');
  // Optional: an OpenAI-compatible endpoint helps with low-confidence answers (never required).
  const llm = createLlmClient(config, logger);
  const store = await openRegisterStore(config.PRIVACY_OPS_STORE);
  let register: Register;
  try {
    register = await Register.open(store, {
      defaultCountry: config.DEFAULT_COUNTRY,
      timeZone: config.DEFAULT_TIMEZONE,
      retentionMonths: config.REGISTER_RETENTION_MONTHS,
      policyTargets: policyTargetsFrom(corpus),
    });
  } catch (error) {
    await store.close();
    throw error;
  }
  const reminderStore = new ReminderStore(store.backend);
  const engine = new ConversationEngine({
    answerer,
    ...(llm ? { assistant: new AssistedAnswerer(answerer, llm, { logger }) } : {}),
    register,
    // Drafts wait in the register's store, so a "yes" may reach any replica, or come after a restart.
    drafts: new BackendDraftStore(store.backend),
    snoozeReminders: async (requestId, now) => {
      const until = new Date(now.getTime() + config.REMINDER_SNOOZE_HOURS * 3_600_000);
      await reminderStore.snooze(requestId, until);
      return until;
    },
    defaultCountry: config.DEFAULT_COUNTRY,
    defaultTimeZone: config.DEFAULT_TIMEZONE,
    onError: (error, reference) =>
      logger.error({ code: error.code, reference, err: error.cause }, 'turn failed'),
  });
  return {
    corpus,
    register,
    reminderStore,
    backend: store.backend,
    engine,
    async close() {
      try {
        await register.close();
      } finally {
        await store.close();
      }
    },
  };
}
