import { z } from 'zod';
import { AppError } from './core/errors.js';

/**
 * Every setting privacy-ops reads, validated once at start-up. Only the composition root and the
 * CLI call {@link loadConfig}; nothing else reads `process.env`. `.env.example` documents each key
 * and a test keeps the two in step.
 */
const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().trim().optional());
const csv = z.preprocess(
  (v) =>
    typeof v === 'string'
      ? v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : v,
  z.array(z.string()).default([]),
);
const bool = z.preprocess((v) => {
  if (typeof v !== 'string' || v.trim() === '') return undefined;
  return /^(1|true|yes|on)$/i.test(v.trim());
}, z.boolean().optional());

export const configSchema = z.object({
  NODE_ENV: z.preprocess(
    emptyToUndefined,
    z.enum(['development', 'production', 'test']).default('development'),
  ),
  LOG_LEVEL: z.preprocess(
    emptyToUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  /** Directory of policy documents (.txt, .md, .html). */
  POLICY_CORPUS: z.preprocess(emptyToUndefined, z.string().default('examples/policies')),
  /** Policy id used when a question names none; unset means "all policies". */
  DEFAULT_POLICY: optionalString,
  /** Where the register lives: sqlite://FILE, redis://HOST:PORT, postgres://USER@HOST/DB. */
  PRIVACY_OPS_STORE: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .default('sqlite://data/privacy-ops.sqlite')
      .refine((s) => /^(sqlite|redis|rediss|postgres|postgresql):\/\//.test(s), {
        message: 'must start with sqlite://, redis:// or postgres://',
      }),
  ),
  /** Country whose public holidays extend deadlines when a request names none (ISO 3166-1). */
  DEFAULT_COUNTRY: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^[A-Za-z]{2}$/, 'must be a two-letter country code such as DE')
      .transform((s) => s.toUpperCase())
      .default('DE'),
  ),
  /** Time zone for "today" and for showing dates when the reader's is unknown (IANA name). */
  DEFAULT_TIMEZONE: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .default('UTC')
      .refine(isTimeZone, { message: 'must be an IANA time zone such as Europe/Berlin' }),
  ),
  /** Months a closed request keeps its requester's personal data before `requests purge` scrubs it. */
  REGISTER_RETENTION_MONTHS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(24).default(24)),
  /** Who the CLI records as the actor in the audit trail. */
  PRIVACY_OPS_ACTOR: optionalString,
  PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65535).default(3000)),

  SLACK_BOT_TOKEN: optionalString,
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_APP_TOKEN: optionalString,
  SLACK_SOCKET_MODE: bool,
  SLACK_API_URL: optionalString,
  SLACK_PRIVACY_CHANNEL: optionalString,
  SLACK_PRIVACY_TEAM_USERS: csv,
  SLACK_PRIVACY_TEAM_GROUP: optionalString,
});

export type Config = z.infer<typeof configSchema>;

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Parses the environment; one error lists every bad key with what to do about it. */
export function loadConfig(env: Record<string, string | undefined> = {}): Config {
  const parsed = configSchema.safeParse(env);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
  // Cross-key rules read the raw values, so they are reported together with the per-key ones.
  problems.push(...platformProblems(env));
  if (problems.length > 0 || !parsed.success) {
    throw new AppError(
      'CONFIG',
      `The configuration is invalid; fix these keys in the environment or .env:\n${problems.join('\n')}`,
    );
  }
  return parsed.data;
}

/** A platform's secrets are required only when that platform is on. */
function platformProblems(env: Record<string, string | undefined>): string[] {
  const set = (key: string) => Boolean(env[key]?.trim());
  const problems: string[] = [];
  const socketMode = /^(1|true|yes|on)$/i.test(env.SLACK_SOCKET_MODE?.trim() ?? '');
  if (set('SLACK_BOT_TOKEN') || set('SLACK_SIGNING_SECRET') || set('SLACK_APP_TOKEN')) {
    if (!set('SLACK_BOT_TOKEN'))
      problems.push('  SLACK_BOT_TOKEN: required when Slack is configured (xoxb-...)');
    if (socketMode && !set('SLACK_APP_TOKEN'))
      problems.push('  SLACK_APP_TOKEN: required when SLACK_SOCKET_MODE is on (xapp-...)');
    if (!socketMode && !set('SLACK_SIGNING_SECRET'))
      problems.push('  SLACK_SIGNING_SECRET: required for Slack over HTTP (or set SLACK_SOCKET_MODE=true)');
  }
  return problems;
}
