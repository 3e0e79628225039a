/**
 * The process entry point: reads the environment once (with `.env` from the working directory
 * under it, when there is one), then either serves the chat platforms
 * through the composition root in app.ts (config -> stores -> core -> channels -> scheduler) or,
 * with no Slack or Teams credentials, opens the console chat over the configured corpus and the
 * embedded SQLite register.
 */
import { type App, platformsConfigured, startApp } from './app.js';
import { run } from './channels/cli/main.js';
import { type Config, loadConfig } from './config.js';
import { newReference, toAppError } from './core/errors.js';
import { loadEnvFile } from './env-file.js';
import { createLogger } from './logger.js';

async function main(): Promise<number> {
  let config: Config;
  let envFile: string | undefined;
  try {
    envFile = loadEnvFile();
    config = loadConfig(process.env);
  } catch (error) {
    process.stderr.write(`privacy-ops: ${toAppError(error).message}\n`);
    return toAppError(error).exitCode;
  }
  if (!platformsConfigured(config)) {
    // Embedded defaults: a local console chat, no credentials needed.
    if (envFile)
      process.stderr.write(`privacy-ops: settings read from ${envFile} in the working directory.\n`);
    return run(['chat', ...process.argv.slice(2)]);
  }
  const logger = createLogger(config.LOG_LEVEL);
  let app: App;
  try {
    app = await startApp(config, logger);
  } catch (error) {
    // One sentence that says what to fix, and the CLI's exit code for it (README, "Exit codes").
    const appError = toAppError(error);
    if (appError.code === 'INTERNAL') {
      const reference = newReference();
      logger.error({ err: appError.cause, code: appError.code, reference }, 'start-up failed');
      process.stderr.write(`privacy-ops: could not start: ${appError.message} (reference ${reference})\n`);
    } else {
      process.stderr.write(`privacy-ops: ${appError.message}\n`);
    }
    return appError.exitCode;
  }
  // Which settings file was read, never its values.
  logger.info({ port: app.port, routes: app.routes, envFile: envFile ?? null }, 'privacy-ops is serving');
  const stop = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    await app.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  return new Promise<number>(() => {
    // Runs until a signal stops it.
  });
}

process.exitCode = await main();
