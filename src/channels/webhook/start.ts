import type { Config } from '../../config.js';
import { type IntakeOutcome, IntakeService } from '../../core/intake/service.js';
import type { Register } from '../../core/requests/register.js';
import type { Logger } from '../../logger.js';
import { openSeenKeys } from '../../store/seen-keys.js';
import type { HttpServer } from '../http.js';
import { INTAKE_PATH, intakeRoute } from './intake-route.js';

export interface StartedIntake {
  service: IntakeService;
  stop(): Promise<void>;
}

/**
 * The signed intake webhook, when INTAKE_SECRET is set: mounts `POST /api/intake` on the shared
 * server, with its idempotency keys (and requests waiting for confirmation) in the register's
 * store, so every replica sees them.
 */
export async function startIntake(deps: {
  config: Config;
  register: Register;
  http: HttpServer;
  logger: Logger;
  /** Told of each new intake, e.g. to post a notice without personal data to the privacy channel. */
  onOutcome?: (outcome: IntakeOutcome) => Promise<void>;
}): Promise<StartedIntake | undefined> {
  const { config } = deps;
  if (!config.INTAKE_SECRET) return undefined;
  const seen = await openSeenKeys(config.PRIVACY_OPS_STORE);
  try {
    const service = new IntakeService({
      register: deps.register,
      seen,
      autoLog: config.INTAKE_AUTO_LOG === true,
      timeZone: config.DEFAULT_TIMEZONE,
      ...(deps.onOutcome ? { onOutcome: deps.onOutcome } : {}),
    });
    deps.http.mount(INTAKE_PATH, intakeRoute({ secret: config.INTAKE_SECRET, service, logger: deps.logger }));
    return { service, stop: () => seen.close() };
  } catch (error) {
    await seen.close();
    throw error;
  }
}
