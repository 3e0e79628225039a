/**
 * The process entry of `npm start`: reads `.env` from the working directory (under the real
 * environment, src/env-file.ts), then hands over to the composition root (src/main.ts), which
 * serves the chat platforms or, with none configured, opens the console chat.
 */
import { toAppError } from './core/errors.js';
import { ENV_FILE, loadEnvFile } from './env-file.js';
import { start } from './main.js';

let envFile: string | undefined;
try {
  envFile = loadEnvFile(process.cwd(), process.env.PRIVACY_OPS_ENV_FILE ?? ENV_FILE);
} catch (error) {
  process.stderr.write(`privacy-ops: ${toAppError(error).message}\n`);
  process.exit(toAppError(error).exitCode);
}
const code = await start(process.argv.slice(2), { env: process.env, ...(envFile ? { envFile } : {}) });
process.exitCode = code;
// After a failed start, a library may still hold a retry timer or socket (Slack's Socket Mode
// client retries for ever): end the process once what was written has been flushed.
if (code !== 0) setTimeout(() => process.exit(code), 1_000).unref();
