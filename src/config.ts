import { isIP } from 'node:net';
import { Cron } from 'croner';
import { z } from 'zod';
import { AppError } from './core/errors.js';
import { parseHours } from './core/reminders/time.js';
import { parseCountry } from './core/requests/calendar.js';

/**
 * Every setting privacy-ops reads, validated once at start-up. Only the composition root (src/main.ts)
 * calls {@link loadConfig}; nothing else reads `process.env`. `.env.example` documents each key
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
/** Every IPv4 interface: where the server listened before HOST existed. */
export const DEFAULT_HOST = '0.0.0.0';
// RFC 1123 host names: dot-separated labels of letters, digits and inner hyphens.
const HOSTNAME_RE =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const guid = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .trim()
    .regex(GUID_RE, { message: 'must be a GUID such as 00000000-0000-0000-0000-000000000000' })
    .optional(),
);
/**
 * A whole number in a range, with errors in words that say what is expected ("is not a number;
 * use a whole number from 0 to 65535") instead of zod's own ("expected number, received NaN").
 * The value itself is never quoted: some keys are secrets.
 */
function wholeNumber(min: number, max?: number, unit = 'a whole number') {
  const expected = max === undefined ? `use ${unit} of at least ${min}` : `use ${unit} from ${min} to ${max}`;
  const n = z.coerce
    .number({ error: `is not a number; ${expected}` })
    .int({ error: `is not a whole number; ${expected}` })
    .min(min, { error: `is below ${min}; ${expected}` });
  return max === undefined ? n : n.max(max, { error: `is above ${max}; ${expected}` });
}
/** One of a fixed list of words, with an error that lists them. */
function oneOf<const T extends readonly [string, ...string[]]>(values: T, what: string) {
  const list = `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}`;
  return z.enum(values, { error: `is not ${what}; use one of ${list}` });
}
/** The words a yes/no setting reads as yes. */
const YES = /^(1|true|yes|on)$/i;
const bool = z.preprocess((v) => {
  if (typeof v !== 'string' || v.trim() === '') return undefined;
  return YES.test(v.trim());
}, z.boolean().optional());

/** A store URL's `scheme://` (a plain file path has none). */
function hasScheme(value: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(value);
}

export const configSchema = z.object({
  NODE_ENV: z.preprocess(
    emptyToUndefined,
    oneOf(['development', 'production', 'test'], 'a known environment').default('development'),
  ),
  LOG_LEVEL: z.preprocess(
    emptyToUndefined,
    oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'a log level').default('info'),
  ),
  /** Directory of policy documents (.txt, .md, .html, .rst), or a corpus file written by `ingest --out`. */
  POLICY_CORPUS: z.preprocess(emptyToUndefined, z.string().default('examples/policies')),
  /** Policy id used when a question names none; unset means "all policies". */
  DEFAULT_POLICY: optionalString,
  /**
   * Where the register lives: sqlite://FILE, redis://HOST:PORT, postgres://USER@HOST/DB, or a plain
   * file path (no scheme), which is a SQLite file: kept as sqlite://PATH from here on.
   */
  PRIVACY_OPS_STORE: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .default('sqlite://data/privacy-ops.sqlite')
      .refine((s) => !hasScheme(s) || /^(sqlite|redis|rediss|postgres|postgresql):\/\//.test(s), {
        message: 'must be a SQLite file path or start with sqlite://, redis:// or postgres://',
      })
      .transform((s) => (hasScheme(s) ? s : `sqlite://${s}`)),
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
  REGISTER_RETENTION_MONTHS: z.preprocess(
    emptyToUndefined,
    wholeNumber(24, undefined, 'a whole number of months').default(24),
  ),
  /** Who the CLI records as the actor in the audit trail. */
  PRIVACY_OPS_ACTOR: optionalString,
  PORT: z.preprocess(emptyToUndefined, wholeNumber(0, 65535, 'a port number').default(3000)),
  /**
   * The address the HTTP server listens on: every IPv4 interface by default (as before the
   * setting existed); `127.0.0.1` behind a reverse proxy on the same machine, `::` for IPv6 too.
   */
  HOST: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .trim()
      .default(DEFAULT_HOST)
      .refine((s) => isIP(s) !== 0 || HOSTNAME_RE.test(s), {
        message: 'must be an IP address such as 127.0.0.1 or a host name such as localhost',
      }),
  ),

  SLACK_BOT_TOKEN: optionalString,
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_APP_TOKEN: optionalString,
  SLACK_SOCKET_MODE: bool,
  SLACK_API_URL: optionalString,
  SLACK_PRIVACY_CHANNEL: optionalString,
  SLACK_PRIVACY_TEAM_USERS: csv,
  SLACK_PRIVACY_TEAM_GROUP: optionalString,

  /** LLM assistance (optional): a model plus an API key or a base URL turns it on; see README. */
  OPENAI_API_KEY: optionalString,
  /** Any OpenAI-compatible endpoint up to /v1 (Azure OpenAI, Ollama, vLLM); OpenAI's when unset. */
  OPENAI_BASE_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .trim()
      .refine((s) => /^https?:\/\/[^\s/]+/.test(s), {
        message: 'must be an http(s) URL such as http://localhost:11434/v1',
      })
      .optional(),
  ),
  OPENAI_MODEL: optionalString,
  /** Time an answer may wait for the model, retries included; Slack wants a reply within 3 s. */
  OPENAI_TIMEOUT_MS: z.preprocess(emptyToUndefined, wholeNumber(100, 600_000, 'milliseconds').default(2500)),
  /** Time one `ingest --llm` request may take (extraction is batch work, not a chat turn). */
  OPENAI_INGEST_TIMEOUT_MS: z.preprocess(
    emptyToUndefined,
    wholeNumber(1000, 3_600_000, 'milliseconds').default(60_000),
  ),
  /** Retries after a 429, 5xx or connection error, when they fit the time budget. */
  OPENAI_MAX_RETRIES: z.preprocess(emptyToUndefined, wholeNumber(0, 5).default(1)),
  /** Serve facts marked origin "llm" (from `ingest --llm`, after review); off by default. */
  TRUST_LLM_FACTS: bool,
  /**
   * Send the privacy mailbox's mail (subject and text, contact details taken out) to the LLM to
   * read the type and place the rules could not; off by default, as a mail is requester data.
   */
  LLM_READ_MAIL: bool,

  /** Microsoft Teams: the Azure Bot's Microsoft App ID (an Entra app registration's client id). */
  MICROSOFT_APP_ID: guid,
  /** The client secret of that app registration. */
  MICROSOFT_APP_PASSWORD: optionalString,
  /** The Entra tenant the (single-tenant) app registration lives in. */
  MICROSOFT_APP_TENANT_ID: guid,
  /**
   * Microsoft Entra's sign-in endpoint, where start-up asks for a Bot Framework token to check the
   * three keys above; Entra's own (https://login.microsoftonline.com/) when unset. For tests, which
   * point it at a loopback stand-in; the Bot Framework SDK's own token requests do not read it.
   */
  MICROSOFT_LOGIN_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .trim()
      .refine((s) => /^https?:\/\/[^\s/]+/.test(s), {
        message: 'must be an http(s) URL such as https://login.microsoftonline.com/',
      })
      .optional(),
  ),
  /** The bot's public host name, for the Teams app package (scripts/teams-package.mjs reads it). */
  TEAMS_BOT_DOMAIN: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .trim()
      .refine((s) => HOSTNAME_RE.test(s), {
        message: 'must be a host name only, such as bot.example.com (no https:// and no path)',
      })
      .optional(),
  ),
  /** Teams without Bot Framework authentication, for local development only; refused in production. */
  TEAMS_DEV_MODE: bool,
  /** The Teams channel (19:...@thread.tacv2) of the privacy team: request notices, reminder summaries. */
  TEAMS_PRIVACY_CHANNEL_ID: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .trim()
      .regex(/^19:[^\s]+@thread\.(tacv2|skype)$/, {
        message: 'must be a Teams channel id such as 19:abc123@thread.tacv2 (URL-decoded)',
      })
      .optional(),
  ),
  /** Entra object ids (GUIDs) of the privacy team members, who may view and change requests in Teams. */
  TEAMS_PRIVACY_TEAM_AAD_IDS: csv.pipe(
    z.array(z.string().regex(GUID_RE, { message: 'must be Entra object ids (GUIDs), comma-separated' })),
  ),

  /** Reminders (src/core/reminders): on by default whenever Slack or Teams is configured. */
  REMINDERS_ENABLED: z.preprocess((v) => {
    if (typeof v !== 'string' || v.trim() === '') return undefined;
    return YES.test(v.trim());
  }, z.boolean().default(true)),
  /** Days before each deadline to remind the owner; 0 is the due day itself. */
  REMINDER_OFFSETS_DAYS: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() !== '' ? v.split(',').map((s) => s.trim()) : undefined),
    z
      .array(z.coerce.number({ error: 'must be whole days such as 7,3,1,0' }).int().min(0).max(365))
      .min(1)
      .default([7, 3, 1, 0])
      .transform((days) => [...new Set(days)].sort((a, b) => b - a)),
  ),
  /** Working hours reminders arrive in, in the recipient's time zone (HH:MM-HH:MM). */
  REMINDER_WORK_HOURS: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .default('09:00-17:00')
      .refine((s) => parseHours(s) !== undefined, { message: 'must be a range such as 09:00-17:00' })
      .transform((s) => parseHours(s)!),
  ),
  /** Working days, ISO weekday numbers (1 = Monday ... 7 = Sunday). */
  REMINDER_WORK_DAYS: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() !== '' ? v.split(',').map((s) => s.trim()) : undefined),
    z
      .array(z.coerce.number({ error: 'must be weekday numbers such as 1,2,3,4,5' }).int().min(1).max(7))
      .min(1)
      .default([1, 2, 3, 4, 5]),
  ),
  /** Reminders this many days or fewer before a deadline are also summarised in the privacy channel. */
  REMINDER_CHANNEL_WITHIN_DAYS: z.preprocess(
    emptyToUndefined,
    wholeNumber(0, undefined, 'whole days').default(1),
  ),
  /** When the reminder sweep runs (cron, in DEFAULT_TIMEZONE). */
  REMINDER_SWEEP_CRON: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .default('*/5 * * * *')
      .refine(isCron, { message: 'must be a cron pattern such as */5 * * * *' }),
  ),
  /** When the daily digest goes to the privacy channel (cron, in DEFAULT_TIMEZONE). */
  REMINDER_DIGEST_CRON: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .default('0 9 * * 1-5')
      .refine(isCron, { message: 'must be a cron pattern such as 0 9 * * 1-5' }),
  ),
  /** How long the "Snooze" button silences a request's reminders before the due day (hours). */
  REMINDER_SNOOZE_HOURS: z.preprocess(emptyToUndefined, wholeNumber(1, 24 * 14, 'whole hours').default(24)),
  /**
   * The signed intake webhook (`POST /api/intake`): the shared secret web forms and ticketing tools
   * sign with (HMAC-SHA256); unset = the route is not mounted. At least 32 characters, so it cannot
   * be guessed offline from one captured signature.
   */
  INTAKE_SECRET: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .trim()
      .min(32, { message: 'must be at least 32 characters (e.g. openssl rand -hex 32)' })
      .optional(),
  ),
  /** true = a complete webhook intake is logged at once; otherwise it waits for a person to confirm. */
  INTAKE_AUTO_LOG: bool,
  /**
   * The privacy mailbox (docs/mailbox.md): the IMAP server whose folder is watched; unset = off.
   * Each new message becomes a draft in the privacy channel.
   */
  MAILBOX_HOST: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .trim()
      .refine((s) => isIP(s) !== 0 || HOSTNAME_RE.test(s), {
        message: 'must be the IMAP server host name, such as outlook.office365.com or imap.gmail.com',
      })
      .optional(),
  ),
  /** IMAP port: 993 with TLS (IMAPS), 143 without (STARTTLS when the server offers it). */
  MAILBOX_PORT: z.preprocess(emptyToUndefined, wholeNumber(1, 65535, 'a port number').default(993)),
  /** TLS from the first byte (port 993); false only for 143 with STARTTLS or a server on this machine. */
  MAILBOX_TLS: z.preprocess((v) => {
    if (typeof v !== 'string' || v.trim() === '') return undefined;
    return YES.test(v.trim());
  }, z.boolean().default(true)),
  /** The mailbox's login: usually its address (privacy@example.org). */
  MAILBOX_USER: optionalString,
  /** A password or app password; or MAILBOX_ACCESS_TOKEN instead. */
  MAILBOX_PASSWORD: optionalString,
  /** An OAuth2 access token (XOAUTH2), as Microsoft 365 requires and Google Workspace prefers. */
  MAILBOX_ACCESS_TOKEN: optionalString,
  /**
   * OAuth2 client credentials (RFC 6749 4.4), so tokens are fetched and renewed as they expire:
   * the token endpoint (Microsoft Entra's https://login.microsoftonline.com/TENANT/oauth2/v2.0/token),
   * the app registration's client id and secret, and the scope asked for.
   */
  MAILBOX_OAUTH_TOKEN_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .trim()
      .refine((s) => /^https?:\/\/[^\s/]+/.test(s), {
        message:
          'must be the token endpoint, such as https://login.microsoftonline.com/TENANT/oauth2/v2.0/token',
      })
      .optional(),
  ),
  MAILBOX_OAUTH_CLIENT_ID: optionalString,
  MAILBOX_OAUTH_CLIENT_SECRET: optionalString,
  /**
   * A Google Workspace service account's JSON key file, instead: with domain-wide delegation it
   * gets tokens for MAILBOX_USER by a signed JWT (RFC 7523), renewed as they expire.
   */
  MAILBOX_OAUTH_SERVICE_ACCOUNT_FILE: optionalString,
  /**
   * The scope of the token: Exchange Online's IMAP (https://outlook.office365.com/.default) with
   * client credentials, Gmail's (https://mail.google.com/) with a service account, when unset.
   */
  MAILBOX_OAUTH_SCOPE: optionalString,
  /** The folder watched. */
  MAILBOX_FOLDER: z.preprocess(emptyToUndefined, z.string().trim().min(1).default('INBOX')),
  /** Seconds between checks for new mail, besides IDLE's immediate notice where the server has it. */
  MAILBOX_POLL_SECONDS: z.preprocess(emptyToUndefined, wholeNumber(1, 3600, 'whole seconds').default(60)),
  /** true = a clear case from the mailbox is logged without a person; otherwise every mail waits for one. */
  MAILBOX_AUTO_LOG: bool,
  /** The privacy lead's Slack user id: overdue requests escalate to them daily. */
  PRIVACY_LEAD_SLACK_ID: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .trim()
      .regex(/^[UW][A-Z0-9]{6,}$/, { message: 'must be a Slack user id such as U012AB3CD' })
      .optional(),
  ),
});

export type Config = z.infer<typeof configSchema>;

/** True for a pattern croner accepts (five or six fields). */
function isCron(pattern: string): boolean {
  try {
    new Cron(pattern, { paused: true }).stop();
    return true;
  } catch {
    return false;
  }
}

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
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `  ${issueText(i, env)}`);
  // Cross-key rules read the raw values, so they are reported together with the per-key ones.
  problems.push(
    ...platformProblems(env),
    ...llmProblems(env),
    ...teamsProblems(env),
    ...mailboxProblems(env),
    ...valueProblems(env),
  );
  if (problems.length > 0 || !parsed.success) {
    throw new AppError(
      'CONFIG',
      `The configuration is invalid; fix these keys in the environment or .env:\n${problems.join('\n')}`,
    );
  }
  return parsed.data;
}

/** Zod's remaining default wordings ("Invalid input: ...", "Too small: ..."), put in words. */
const ZOD_DEFAULT = /^(Invalid|Too (small|big)|Expected)/;

/** One bad key: its name and what is wrong in words, never the value (it may be a secret). */
function issueText(issue: z.core.$ZodIssue, env: Record<string, string | undefined>): string {
  const key = String(issue.path[0] ?? '(root)');
  const raw = env[key]?.trim() ?? '';
  // A value that opens a quote and never closes it: Node's .env reader keeps the quote.
  if (/^["'`]/.test(raw) && !raw.endsWith(raw[0]!))
    return `${key}: has an opening quote (${raw[0]}) with no closing one; close it or remove it`;
  if (!ZOD_DEFAULT.test(issue.message)) return `${key}: ${issue.message}`;
  switch (issue.code) {
    case 'too_small':
      return `${key}: is too small; use at least ${String(issue.minimum)}`;
    case 'too_big':
      return `${key}: is too large; use at most ${String(issue.maximum)}`;
    case 'invalid_value':
      return `${key}: is not an allowed value; use one of ${issue.values.map(String).join(', ')}`;
    case 'invalid_type':
      return `${key}: is not ${issue.expected === 'number' ? 'a number' : `a valid ${issue.expected}`}`;
    default:
      return `${key}: is not a valid value; see .env.example for what it takes`;
  }
}

/**
 * Values checked against what the program knows, so a mistake stops start-up instead of failing
 * when first used: a country needs a holiday calendar (date-holidays), a Slack token its prefix.
 */
function valueProblems(env: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  const country = env.DEFAULT_COUNTRY?.trim();
  if (country && /^[A-Za-z]{2}$/.test(country)) {
    try {
      parseCountry(country);
    } catch {
      problems.push(
        '  DEFAULT_COUNTRY: is not a known country code with a holiday calendar; use a two-letter ISO 3166-1 code such as DE, FR, GB, US, CA, BR or CH',
      );
    }
  }
  // Slack's token prefixes (api.slack.com/authentication/token-types): a token of the wrong kind
  // is refused here rather than by Slack after a network round trip, or never when Slack is out of reach.
  const bot = env.SLACK_BOT_TOKEN?.trim();
  if (bot && !bot.startsWith('xoxb-'))
    problems.push(
      "  SLACK_BOT_TOKEN: does not start with xoxb-; copy the Bot User OAuth Token from the app's OAuth & Permissions page",
    );
  const app = env.SLACK_APP_TOKEN?.trim();
  if (app && !app.startsWith('xapp-'))
    problems.push(
      "  SLACK_APP_TOKEN: does not start with xapp-; copy an app-level token (connections:write) from the app's Basic Information page",
    );
  return problems;
}

/** A platform's secrets are required only when that platform is on. */
function platformProblems(env: Record<string, string | undefined>): string[] {
  const set = (key: string) => Boolean(env[key]?.trim());
  const problems: string[] = [];
  const socketMode = YES.test(env.SLACK_SOCKET_MODE?.trim() ?? '');
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

/**
 * A model alone is not enough: it needs a key (hosted) or a base URL (a local server may take no
 * key). A key alone is ignored, since OPENAI_API_KEY is often exported for other tools.
 */
function llmProblems(env: Record<string, string | undefined>): string[] {
  const set = (key: string) => Boolean(env[key]?.trim());
  if (set('OPENAI_MODEL') && !set('OPENAI_API_KEY') && !set('OPENAI_BASE_URL'))
    return [
      '  OPENAI_MODEL: set OPENAI_API_KEY (hosted) or OPENAI_BASE_URL (local server) as well, or unset it',
    ];
  // Reading mail with a model that is not there would silently be no reading at all.
  if (YES.test(env.LLM_READ_MAIL?.trim() ?? '') && !set('OPENAI_MODEL'))
    return [
      '  LLM_READ_MAIL: needs an LLM: set OPENAI_MODEL with OPENAI_API_KEY or OPENAI_BASE_URL, or unset LLM_READ_MAIL',
    ];
  return [];
}

/**
 * Teams is on with an Azure bot registration (all three MICROSOFT_APP_* keys; new Azure bots are
 * single-tenant since 31 July 2025) or, locally, in TEAMS_DEV_MODE. Dev mode is refused in
 * production: botbuilder's CloudAdapter treats an empty app id as "authentication disabled" and
 * then accepts activities from any caller.
 */
function teamsProblems(env: Record<string, string | undefined>): string[] {
  const set = (key: string) => Boolean(env[key]?.trim());
  const devMode = YES.test(env.TEAMS_DEV_MODE?.trim() ?? '');
  const problems: string[] = [];
  if (set('MICROSOFT_APP_ID')) {
    if (!set('MICROSOFT_APP_PASSWORD'))
      problems.push(
        "  MICROSOFT_APP_PASSWORD: required with MICROSOFT_APP_ID (the app registration's client secret)",
      );
    if (!set('MICROSOFT_APP_TENANT_ID'))
      problems.push(
        '  MICROSOFT_APP_TENANT_ID: required with MICROSOFT_APP_ID (the tenant of the single-tenant bot)',
      );
    if (devMode)
      problems.push(
        '  TEAMS_DEV_MODE: unset it when MICROSOFT_APP_ID is set (dev mode turns authentication off)',
      );
  } else if (set('MICROSOFT_APP_PASSWORD') || set('MICROSOFT_APP_TENANT_ID')) {
    problems.push(
      '  MICROSOFT_APP_ID: required when MICROSOFT_APP_PASSWORD or MICROSOFT_APP_TENANT_ID is set',
    );
  }
  if (devMode && env.NODE_ENV?.trim() === 'production') {
    problems.push(
      '  TEAMS_DEV_MODE: refused with NODE_ENV=production, where the Teams endpoint would accept requests from anyone; ' +
        'register the bot in Azure and set MICROSOFT_APP_ID, MICROSOFT_APP_PASSWORD and MICROSOFT_APP_TENANT_ID',
    );
  }
  return problems;
}

/**
 * The mailbox needs a login (a password or an OAuth2 token, not both) and somewhere to post its
 * drafts: a privacy channel in Slack or Teams, as the drafts carry the requester's details.
 */
function mailboxProblems(env: Record<string, string | undefined>): string[] {
  const set = (key: string) => Boolean(env[key]?.trim());
  const problems: string[] = [];
  const oauthKeys = ['MAILBOX_OAUTH_TOKEN_URL', 'MAILBOX_OAUTH_CLIENT_ID', 'MAILBOX_OAUTH_CLIENT_SECRET'];
  if (!set('MAILBOX_HOST')) {
    const stray = [
      'MAILBOX_USER',
      'MAILBOX_PASSWORD',
      'MAILBOX_ACCESS_TOKEN',
      ...oauthKeys,
      'MAILBOX_OAUTH_SERVICE_ACCOUNT_FILE',
    ].filter(set);
    if (stray.length > 0)
      problems.push(
        `  MAILBOX_HOST: required when ${stray.join(' or ')} is set (the IMAP server, e.g. imap.gmail.com)`,
      );
    return problems;
  }
  if (!set('MAILBOX_USER'))
    problems.push('  MAILBOX_USER: required with MAILBOX_HOST (the mailbox login, usually its address)');
  const oauth = oauthKeys.filter(set);
  // One way to log in: a password, a token, client credentials or a service account that fetch tokens.
  const ways = [
    set('MAILBOX_PASSWORD'),
    set('MAILBOX_ACCESS_TOKEN'),
    oauth.length > 0,
    set('MAILBOX_OAUTH_SERVICE_ACCOUNT_FILE'),
  ].filter(Boolean).length;
  if (ways > 1)
    problems.push(
      '  MAILBOX_ACCESS_TOKEN: set one of MAILBOX_PASSWORD, MAILBOX_ACCESS_TOKEN, the MAILBOX_OAUTH_ client credentials or MAILBOX_OAUTH_SERVICE_ACCOUNT_FILE, not several',
    );
  else if (ways === 0)
    problems.push(
      '  MAILBOX_PASSWORD: required with MAILBOX_HOST, or MAILBOX_ACCESS_TOKEN, or MAILBOX_OAUTH_TOKEN_URL, MAILBOX_OAUTH_CLIENT_ID and MAILBOX_OAUTH_CLIENT_SECRET (Microsoft 365), or MAILBOX_OAUTH_SERVICE_ACCOUNT_FILE (Google Workspace) for OAuth2',
    );
  else if (oauth.length > 0 && oauth.length < oauthKeys.length)
    for (const key of oauthKeys.filter((k) => !set(k)))
      problems.push(`  ${key}: required with the other MAILBOX_OAUTH_ keys (client credentials)`);
  const slackChannel = set('SLACK_BOT_TOKEN') && set('SLACK_PRIVACY_CHANNEL');
  const teams = set('MICROSOFT_APP_ID') || YES.test(env.TEAMS_DEV_MODE?.trim() ?? '');
  const teamsChannel = teams && set('TEAMS_PRIVACY_CHANNEL_ID');
  if (!slackChannel && !teamsChannel)
    problems.push(
      '  MAILBOX_HOST: drafts from the mailbox go to the privacy channel; configure Slack with SLACK_PRIVACY_CHANNEL or Teams with TEAMS_PRIVACY_CHANNEL_ID',
    );
  return problems;
}
