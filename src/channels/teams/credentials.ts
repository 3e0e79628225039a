import { AppError } from '../../core/errors.js';
import type { Logger } from '../../logger.js';

/**
 * The Azure bot's credentials, checked at start-up the way the Bot Framework SDK uses them before
 * its first proactive message: a client-credentials token request to Microsoft Entra for the Bot
 * Framework's scope (learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-authentication).
 * Without this check a wrong client secret shows only when the bot first sends a message.
 */
export interface TeamsCredentials {
  appId: string;
  appPassword: string;
  tenantId: string;
}

export interface CredentialCheckOptions {
  /** Entra's sign-in endpoint (MICROSOFT_LOGIN_URL); https://login.microsoftonline.com/ when unset. */
  loginUrl?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/** `ok`: Entra issued a token. `unreachable`: no verdict (network, timeout, Entra's own 5xx). */
export type CredentialCheck = { ok: true } | { ok: false; unreachable: true; detail: string };

const ENTRA = 'https://login.microsoftonline.com/';
const BOT_FRAMEWORK_SCOPE = 'https://api.botframework.com/.default';

/**
 * Entra's error codes (learn.microsoft.com/entra/identity-platform/reference-error-codes) and the
 * key each one points at. 7000215: invalid secret; 7000222: expired secret; 700016: no such app in
 * the tenant; 90002 and 900023: no such tenant.
 */
const SECRET_CODES = new Set([7000215, 7000222]);
const APP_CODES = new Set([700016]);
const TENANT_CODES = new Set([90002, 900023]);

/**
 * Asks Entra for a Bot Framework token with the bot's credentials. Throws a CONFIG {@link AppError}
 * (exit 78) with one sentence naming the key to fix when Entra refuses them; resolves with
 * `unreachable` when no verdict could be had, so the caller can start and warn.
 */
export async function checkTeamsCredentials(
  credentials: TeamsCredentials,
  options: CredentialCheckOptions = {},
): Promise<CredentialCheck> {
  const base = options.loginUrl || ENTRA;
  const url = new URL(
    `${encodeURIComponent(credentials.tenantId)}/oauth2/v2.0/token`,
    base.endsWith('/') ? base : `${base}/`,
  );
  let response: Response;
  try {
    response = await (options.fetch ?? globalThis.fetch)(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: credentials.appId,
        client_secret: credentials.appPassword,
        scope: BOT_FRAMEWORK_SCOPE,
      }).toString(),
      signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
    });
  } catch (error) {
    const detail = (error as Error).name === 'TimeoutError' ? 'timeout' : 'network error';
    return { ok: false, unreachable: true, detail };
  }
  const body = (await response.json().catch(() => ({}))) as {
    access_token?: unknown;
    error?: unknown;
    error_codes?: unknown;
  };
  if (response.ok && typeof body.access_token === 'string') return { ok: true };
  if (response.status >= 500 || response.status === 429 || response.ok)
    return { ok: false, unreachable: true, detail: `HTTP ${response.status}` };
  throw refusal(body);
}

function refusal(body: { error?: unknown; error_codes?: unknown }): AppError {
  const codes = Array.isArray(body.error_codes) ? body.error_codes.filter((c) => typeof c === 'number') : [];
  const error = typeof body.error === 'string' ? body.error.slice(0, 40) : 'refused';
  const why = `(${[...codes.slice(0, 1).map((c) => `AADSTS${c}`), error].join(', ')})`;
  const has = (set: Set<number>) => codes.some((c) => set.has(c));
  let sentence: string;
  if (has(SECRET_CODES) || (codes.length === 0 && error === 'invalid_client'))
    sentence = `Microsoft Entra rejected MICROSOFT_APP_PASSWORD ${why}; set it to the Value (not the Secret ID) of a current client secret of the bot's app registration (Certificates & secrets).`;
  else if (has(APP_CODES) || (codes.length === 0 && error === 'unauthorized_client'))
    sentence = `Microsoft Entra does not know MICROSOFT_APP_ID in the tenant MICROSOFT_APP_TENANT_ID ${why}; set them to the Azure bot's Microsoft App ID and the tenant of its app registration.`;
  else if (has(TENANT_CODES))
    sentence = `Microsoft Entra does not know the tenant MICROSOFT_APP_TENANT_ID ${why}; set it to the Directory (tenant) ID of the bot's app registration.`;
  else
    sentence = `Microsoft Entra refused the Teams credentials ${why}; check MICROSOFT_APP_ID, MICROSOFT_APP_PASSWORD and MICROSOFT_APP_TENANT_ID.`;
  return new AppError('CONFIG', sentence);
}

/**
 * {@link checkTeamsCredentials} for a process about to serve or send: a refusal stops it (the
 * AppError propagates); an endpoint that cannot be reached is logged as a warning, and the process
 * goes on, as it does when Slack cannot be reached at start-up.
 */
export async function verifyTeamsCredentials(
  credentials: TeamsCredentials,
  options: CredentialCheckOptions & { logger: Logger },
): Promise<void> {
  const result = await checkTeamsCredentials(credentials, options);
  if (!result.ok)
    options.logger.warn(
      { channel: 'teams', detail: result.detail },
      'could not reach Microsoft Entra at start-up to check the Teams credentials; a wrong MICROSOFT_APP_PASSWORD will show when the bot first sends a message',
    );
}
