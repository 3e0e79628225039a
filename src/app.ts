import { HttpServer } from './channels/http.js';
import type { Config } from './config.js';
import { ConversationEngine } from './core/conversation/engine.js';
import { openPolicies } from './core/policy/service.js';
import { policyTargetsFrom } from './core/policy/targets.js';
import { Register } from './core/requests/register.js';
import type { Logger } from './logger.js';
import { openRegisterStore } from './store/register-store.js';

/**
 * The composition root: config -> stores -> core -> channels -> scheduler. Every long-running
 * part is started here in order and stopped in reverse by {@link App.stop}. Tests call
 * {@link startApp} with a config of their own and port 0.
 */
export interface App {
  port: number;
  routes: string[];
  engine: ConversationEngine;
  register: Register;
  stop(): Promise<void>;
}

/** True when a chat platform is configured, so the process serves HTTP instead of the console. */
export function platformsConfigured(config: Config): boolean {
  return Boolean(config.SLACK_BOT_TOKEN || config.SLACK_SIGNING_SECRET || config.SLACK_APP_TOKEN);
}

export async function startApp(config: Config, logger: Logger): Promise<App> {
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const fn of stops.splice(0).reverse()) {
      try {
        await fn();
      } catch (error) {
        logger.error({ err: error }, 'stop failed');
      }
    }
  };
  try {
    const { corpus, answerer } = await openPolicies(config.POLICY_CORPUS, config.DEFAULT_POLICY);
    for (const s of corpus.skipped)
      logger.warn({ file: s.file, reason: s.reason }, 'policy document skipped');
    const store = await openRegisterStore(config.PRIVACY_OPS_STORE);
    stops.push(() => store.close());
    const register = await Register.open(store, {
      defaultCountry: config.DEFAULT_COUNTRY,
      timeZone: config.DEFAULT_TIMEZONE,
      retentionMonths: config.REGISTER_RETENTION_MONTHS,
      policyTargets: policyTargetsFrom(corpus),
    });
    stops.push(() => register.close());
    const engine = new ConversationEngine({
      answerer,
      register,
      defaultCountry: config.DEFAULT_COUNTRY,
      defaultTimeZone: config.DEFAULT_TIMEZONE,
      onError: (error, reference) =>
        logger.error({ code: error.code, reference, err: error.cause }, 'turn failed'),
    });
    const http = new HttpServer(logger);
    // Channels mount their routes here (Slack: /slack/events; Teams: /api/messages).
    const port = await http.start(config.PORT);
    stops.push(() => http.stop());
    return { port, routes: http.paths, engine, register, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
