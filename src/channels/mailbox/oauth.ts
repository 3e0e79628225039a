import { createSign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { AppError } from '../../core/errors.js';

/**
 * OAuth2 access tokens for the mailbox, fetched and renewed without a person:
 * - by the client-credentials grant (RFC 6749 4.4), as Microsoft Entra issues them to an app
 *   registration with Exchange Online's IMAP.AccessAsApp
 *   (learn.microsoft.com/exchange/client-developer/legacy-protocols/how-to-authenticate-an-imap-pop-smtp-application-by-using-oauth);
 * - by a Google Workspace service account with domain-wide delegation: a JWT naming the mailbox,
 *   signed RS256 with the account's private key, exchanged at its token endpoint (the JWT bearer
 *   grant, RFC 7523; developers.google.com/identity/protocols/oauth2/service-account).
 * A token lasts about an hour; one is fetched when the connection is (re)opened and kept until
 * shortly before it expires, so a reconnect after expiry logs in with a fresh one, and a token
 * the server refuses is dropped ({@link TokenSource.invalidate}) so the next login gets a new one.
 */

/** Renewed this long before it expires: a connection opened just before expiry still logs in. */
const EARLY_MS = 5 * 60_000;
/** How long the token endpoint may take. */
const TOKEN_TIMEOUT_MS = 15_000;
/** How long a service account's signed assertion is valid: Google's maximum, one hour. */
const ASSERTION_SECONDS = 3600;

/** Google's scope for IMAP. */
export const GOOGLE_MAIL_SCOPE = 'https://mail.google.com/';
/** Exchange Online's scope for an app's IMAP access. */
export const OUTLOOK_APP_SCOPE = 'https://outlook.office365.com/.default';

/** Where the watcher gets its access tokens. */
export interface TokenSource {
  /** A valid access token: the cached one, or a new one from the token endpoint. */
  token(): Promise<string>;
  /** Forgets the cached token (the server refused it), so the next {@link token} fetches one. */
  invalidate(): void;
}

export interface ClientCredentialsSettings {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scope: string;
}

/** A token cache over one grant: a token until shortly before it expires. */
abstract class CachedTokens implements TokenSource {
  private cached: { token: string; until: number } | undefined;

  constructor(protected readonly now: () => number) {}

  async token(): Promise<string> {
    if (this.cached && this.now() < this.cached.until) return this.cached.token;
    const { token, lifetimeMs } = await this.fetchToken();
    this.cached = { token, until: this.now() + Math.max(lifetimeMs - EARLY_MS, 0) };
    return token;
  }

  invalidate(): void {
    this.cached = undefined;
  }

  protected abstract fetchToken(): Promise<{ token: string; lifetimeMs: number }>;
}

/**
 * Posts a grant to a token endpoint; the access token and its lifetime, or a CONFIG error naming
 * the endpoint's error code (never its description, which may quote ids) and `check`.
 */
async function requestToken(
  tokenUrl: string,
  form: Record<string, string>,
  what: { unreachable: string; refused: string; check: string },
): Promise<{ token: string; lifetimeMs: number }> {
  let res: Response;
  try {
    res = await fetch(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(form).toString(),
      signal: AbortSignal.timeout(TOKEN_TIMEOUT_MS),
    });
  } catch (error) {
    throw new AppError(
      'CONFIG',
      `Could not reach ${what.unreachable} to get a token for the mailbox: check the URL and the network.`,
      { cause: error },
    );
  }
  const body = (await res.json().catch(() => ({}))) as {
    access_token?: string;
    expires_in?: number | string;
    error?: string;
  };
  if (!res.ok || typeof body.access_token !== 'string') {
    // The endpoint's error code (invalid_client, unauthorized_client, invalid_scope), never its description.
    const code =
      typeof body.error === 'string' ? body.error.replace(/[^\w.-]/g, '').slice(0, 40) : `HTTP ${res.status}`;
    throw new AppError(
      'CONFIG',
      `The token endpoint refused ${what.refused} (${code}): check ${what.check}.`,
    );
  }
  return { token: body.access_token, lifetimeMs: Number(body.expires_in ?? 3600) * 1000 };
}

export class ClientCredentials extends CachedTokens {
  constructor(
    private readonly settings: ClientCredentialsSettings,
    now: () => number = Date.now,
  ) {
    super(now);
  }

  protected fetchToken(): Promise<{ token: string; lifetimeMs: number }> {
    const { tokenUrl, clientId, clientSecret, scope } = this.settings;
    return requestToken(
      tokenUrl,
      { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, scope },
      {
        unreachable: 'MAILBOX_OAUTH_TOKEN_URL',
        refused: "the mailbox's client credentials",
        check:
          'MAILBOX_OAUTH_CLIENT_ID, MAILBOX_OAUTH_CLIENT_SECRET and MAILBOX_OAUTH_SCOPE (docs/mailbox.md)',
      },
    );
  }
}

/** A service account's key, as read from the JSON key file Google gives for it. */
export interface ServiceAccountKey {
  clientEmail: string;
  /** PEM (PKCS #8), as in the key file's `private_key`. */
  privateKey: string;
  /** The key file's `token_uri`. */
  tokenUrl: string;
  /** The key file's `private_key_id`, named in the assertion's header. */
  keyId?: string;
}

export interface ServiceAccountSettings {
  key: ServiceAccountKey;
  /** The mailbox the account acts for (domain-wide delegation): MAILBOX_USER. */
  subject: string;
  scope: string;
}

const KEY_FILE = 'MAILBOX_OAUTH_SERVICE_ACCOUNT_FILE';

/**
 * A service account's JSON key file (Google Cloud console → IAM → Service accounts → Keys), read
 * and checked. A CONFIG error names the setting and what is wrong, never a value from the file.
 */
export function readServiceAccountFile(path: string): ServiceAccountKey {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch (error) {
    throw new AppError(
      'CONFIG',
      `${KEY_FILE}: the key file cannot be read (${(error as { code?: string }).code ?? 'error'}): check the path and that privacy-ops may read it.`,
      { cause: error },
    );
  }
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    throw new AppError(
      'CONFIG',
      `${KEY_FILE}: the key file is not JSON; give the service account's JSON key file.`,
    );
  }
  const text = (name: string) => (typeof json[name] === 'string' ? (json[name] as string) : undefined);
  const clientEmail = text('client_email');
  const privateKey = text('private_key');
  const tokenUrl = text('token_uri') ?? 'https://oauth2.googleapis.com/token';
  if (json.type !== 'service_account' || !clientEmail || !privateKey?.includes('PRIVATE KEY'))
    throw new AppError(
      'CONFIG',
      `${KEY_FILE}: not a service account's JSON key file (it needs type "service_account", client_email and private_key).`,
    );
  if (!/^https?:\/\/[^\s/]+/.test(tokenUrl))
    throw new AppError('CONFIG', `${KEY_FILE}: the key file's token_uri is not a URL.`);
  const keyId = text('private_key_id');
  return { clientEmail, privateKey, tokenUrl, ...(keyId ? { keyId } : {}) };
}

function base64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url');
}

export class ServiceAccount extends CachedTokens {
  constructor(
    private readonly settings: ServiceAccountSettings,
    now: () => number = Date.now,
  ) {
    super(now);
  }

  /** The signed JWT the token endpoint exchanges for an access token (RFC 7523 2.1). */
  assertion(): string {
    const { key, subject, scope } = this.settings;
    const iat = Math.floor(this.now() / 1000);
    const header = { alg: 'RS256', typ: 'JWT', ...(key.keyId ? { kid: key.keyId } : {}) };
    const claims = {
      iss: key.clientEmail,
      sub: subject,
      scope,
      aud: key.tokenUrl,
      iat,
      exp: iat + ASSERTION_SECONDS,
    };
    const signed = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
    let signature: Buffer;
    try {
      signature = createSign('RSA-SHA256').update(signed).sign(key.privateKey);
    } catch (error) {
      throw new AppError('CONFIG', `${KEY_FILE}: the key file's private_key cannot sign (not an RSA key).`, {
        cause: error,
      });
    }
    return `${signed}.${base64url(signature)}`;
  }

  protected fetchToken(): Promise<{ token: string; lifetimeMs: number }> {
    return requestToken(
      this.settings.key.tokenUrl,
      { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: this.assertion() },
      {
        unreachable: `the token_uri of ${KEY_FILE}`,
        refused: "the mailbox's service account",
        check: `that the service account in ${KEY_FILE} has domain-wide delegation for MAILBOX_OAUTH_SCOPE (${this.settings.scope}) and MAILBOX_USER is a mailbox of the domain (docs/mailbox.md)`,
      },
    );
  }
}
