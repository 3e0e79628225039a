import { AppError } from '../../core/errors.js';

/**
 * OAuth2 access tokens for the mailbox by the client-credentials grant (RFC 6749 4.4), as
 * Microsoft Entra issues them to an app registration with Exchange Online's IMAP.AccessAsApp
 * (learn.microsoft.com/exchange/client-developer/legacy-protocols/how-to-authenticate-an-imap-pop-smtp-application-by-using-oauth).
 * A token lasts about an hour; one is fetched when the connection is (re)opened and kept until
 * shortly before it expires, so a reconnect after expiry logs in with a fresh one.
 */

/** Renewed this long before it expires: a connection opened just before expiry still logs in. */
const EARLY_MS = 5 * 60_000;
/** How long the token endpoint may take. */
const TOKEN_TIMEOUT_MS = 15_000;

export interface ClientCredentialsSettings {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scope: string;
}

export class ClientCredentials {
  private cached: { token: string; until: number } | undefined;

  constructor(
    private readonly settings: ClientCredentialsSettings,
    private readonly now: () => number = Date.now,
  ) {}

  /** A valid access token: the cached one, or a new one from the token endpoint. */
  async token(): Promise<string> {
    if (this.cached && this.now() < this.cached.until) return this.cached.token;
    const { tokenUrl, clientId, clientSecret, scope } = this.settings;
    let res: Response;
    try {
      res = await fetch(tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: clientId,
          client_secret: clientSecret,
          scope,
        }).toString(),
        signal: AbortSignal.timeout(TOKEN_TIMEOUT_MS),
      });
    } catch (error) {
      throw new AppError(
        'CONFIG',
        'Could not reach MAILBOX_OAUTH_TOKEN_URL to get a token for the mailbox: check the URL and the network.',
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
        typeof body.error === 'string'
          ? body.error.replace(/[^\w.-]/g, '').slice(0, 40)
          : `HTTP ${res.status}`;
      throw new AppError(
        'CONFIG',
        `The token endpoint refused the mailbox's client credentials (${code}): check MAILBOX_OAUTH_CLIENT_ID, MAILBOX_OAUTH_CLIENT_SECRET and MAILBOX_OAUTH_SCOPE (docs/mailbox.md).`,
      );
    }
    const lifetime = Number(body.expires_in ?? 3600) * 1000;
    this.cached = { token: body.access_token, until: this.now() + Math.max(lifetime - EARLY_MS, 0) };
    return body.access_token;
  }
}
