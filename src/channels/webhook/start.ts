import type { DraftDesk } from '../../core/intake/desk.js';
import { type IntakeOutcome, IntakeService } from '../../core/intake/service.js';
import type { ReadingModel } from '../../core/llm/read-request.js';
import type { Register } from '../../core/requests/register.js';
import type { Logger } from '../../logger.js';
import { openSeenKeys } from '../../store/seen-keys.js';
import type { HttpServer } from '../http.js';
import { INTAKE_PATH, intakeRoute } from './intake-route.js';

/** How often drafts no privacy channel took are posted again: a minute, as a person would retry. */
export const INTAKE_REPOST_MS = 60_000;

export interface StartedIntake {
  service: IntakeService;
  stop(): Promise<void>;
}

/** What the intake webhook is given from the configuration (the composition root maps it). */
export interface IntakeSettings {
  /** Where its idempotency keys live: the register's store (PRIVACY_OPS_STORE). */
  store: string;
  /** INTAKE_SECRET, which senders sign with. */
  secret: string;
  /** INTAKE_AUTO_LOG: log a complete intake at once instead of waiting for a person. */
  autoLog: boolean;
  timeZone: string;
}

/**
 * The signed intake webhook, when INTAKE_SECRET is set: mounts `POST /api/intake` on the shared
 * server, with its idempotency keys (and requests waiting for confirmation) in the register's
 * store, so every replica sees them.
 */
export async function startIntake(deps: {
  settings: IntakeSettings;
  register: Register;
  http: HttpServer;
  logger: Logger;
  /** Told of each new intake, e.g. to post a notice without personal data to the privacy channel. */
  onOutcome?: (outcome: IntakeOutcome) => Promise<void>;
  /** Where a delivery kept for a person becomes a draft in the privacy channel. */
  desk?: DraftDesk;
  /** The model that reads what the rules could not in a draft's message (LLM_READ_MAIL). */
  llm?: ReadingModel;
}): Promise<StartedIntake> {
  const { settings } = deps;
  const seen = await openSeenKeys(settings.store);
  try {
    const service = new IntakeService({
      register: deps.register,
      seen,
      autoLog: settings.autoLog,
      timeZone: settings.timeZone,
      ...(deps.onOutcome ? { onOutcome: deps.onOutcome } : {}),
      ...(deps.desk ? { desk: deps.desk } : {}),
      ...(deps.llm ? { llm: deps.llm } : {}),
    });
    deps.http.mount(INTAKE_PATH, intakeRoute({ secret: settings.secret, service, logger: deps.logger }));
    // Drafts no privacy channel took (Slack down, Teams not reached yet) are posted again: at
    // start, after each new delivery, and every INTAKE_REPOST_MS.
    const timer = deps.desk ? setInterval(() => void service.repost(), INTAKE_REPOST_MS) : undefined;
    if (deps.desk) void service.repost();
    return {
      service,
      async stop() {
        if (timer) clearInterval(timer);
        await seen.close();
      },
    };
  } catch (error) {
    await seen.close();
    throw error;
  }
}
