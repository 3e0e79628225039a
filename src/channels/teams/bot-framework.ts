import {
  type Activity,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type ConversationReference,
  TurnContext,
} from 'botbuilder';
import type { ConversationRef } from './store.js';

/**
 * The only file that knows botbuilder (Bot Framework SDK v4, archived by Microsoft; the Microsoft
 * 365 Agents SDK is its successor). The channel talks to {@link BotTransport} in protocol terms —
 * activity JSON in, activity JSON out, conversation references — so replacing the SDK means
 * rewriting this file only.
 */

/** An activity the bot sends: a message (text and/or attachments). */
export interface OutgoingMessage {
  type: 'message';
  text?: string;
  summary?: string;
  attachments?: { contentType: string; content: unknown }[];
}

/** One inbound turn, as the channel sees it. */
export interface TurnHandle {
  /** The activity JSON that was posted (authenticated). */
  readonly activity: Record<string, unknown>;
  /** Replies in the same conversation (threaded under the activity where the platform threads). */
  send(message: OutgoingMessage): Promise<void>;
  /** Replaces a message the bot sent earlier in this conversation (a card whose button was pressed). */
  update(activityId: string, message: OutgoingMessage): Promise<void>;
  /** The HTTP answer to an `invoke` activity (Adaptive Card Action.Execute and the like). */
  respondToInvoke(status: number, body?: unknown): Promise<void>;
  /** Where this conversation is (and the activity, as `activityId`), for replies after the turn. */
  reference(): ConversationRef;
}

export interface BotTransport {
  /**
   * Authenticates one posted activity and runs `run` for it. Rejects with {@link UnauthorizedError}
   * when the Bot Framework token check fails and {@link AuthUnavailableError} when it cannot be
   * made now; resolves with the HTTP status and body to answer.
   */
  process(
    activity: Record<string, unknown>,
    authorization: string,
    run: (turn: TurnHandle) => Promise<void>,
  ): Promise<{ status: number; body?: unknown }>;
  /** Sends a message into a conversation outside any inbound turn (proactive messaging). */
  send(reference: ConversationRef, message: OutgoingMessage): Promise<void>;
}

export class UnauthorizedError extends Error {
  constructor(cause: unknown) {
    super('The request did not carry a valid Bot Framework token.', { cause });
    this.name = 'UnauthorizedError';
  }
}

/** The token could not be checked right now (the signing keys could not be fetched): retryable. */
export class AuthUnavailableError extends Error {
  constructor(cause: unknown) {
    super('The Bot Framework signing keys could not be fetched.', { cause });
    this.name = 'AuthUnavailableError';
  }
}

export interface BotFrameworkOptions {
  /** Unset: authentication disabled (dev mode only; config refuses it in production). */
  appId?: string;
  appPassword?: string;
  tenantId?: string;
  /**
   * Where channel tokens' signing keys are published and who issues them; for tests and private
   * clouds. Unset: the public Bot Framework (login.botframework.com, api.botframework.com).
   */
  openIdMetadataUrl?: string;
  tokenIssuer?: string;
  /** The clock for the expiry pre-check; the SDK's own check uses the system clock. */
  now?: () => Date;
}

/** What botframework-connector accepts (AuthenticationConstants.AllowedSigningAlgorithms). */
const ALLOWED_ALGORITHMS = ['RS256', 'RS384', 'RS512'];
/** The SDK's clock tolerance for `exp` (tokenValidationParameters: 5 minutes). */
const CLOCK_TOLERANCE_SECONDS = 5 * 60;

/**
 * Why a bearer token can never pass the SDK's check, read from the token alone; undefined when
 * only its signature can tell. Such tokens (unsigned, `alg: none`, HS256 "signed" with the app
 * password, expired, for another app) are refused without fetching the signing keys, so an
 * unreachable key endpoint turns only a possibly genuine token into 503, never a forgery.
 */
export function impossibleToken(authorization: string, appId: string, now: Date): string | undefined {
  const match = /^Bearer\s+([\w-]+)\.([\w-]+)\.([\w-]*)$/i.exec(authorization.trim());
  if (!match) return 'no bearer JWT';
  let header: { alg?: unknown };
  let claims: { exp?: unknown; aud?: unknown };
  try {
    header = JSON.parse(Buffer.from(match[1]!, 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(match[2]!, 'base64url').toString('utf8'));
  } catch {
    return 'not a JWT';
  }
  if (typeof header !== 'object' || header === null || typeof claims !== 'object' || claims === null)
    return 'not a JWT';
  if (typeof header.alg !== 'string' || !ALLOWED_ALGORITHMS.includes(header.alg))
    return `signing algorithm ${String(header.alg).slice(0, 16)} is not accepted`;
  if (!match[3]) return 'no signature';
  if (typeof claims.exp === 'number' && claims.exp + CLOCK_TOLERANCE_SECONDS < now.getTime() / 1000)
    return 'expired';
  // The SDK compares the audience claim with the app id (a bot's channel tokens are for it alone).
  if (claims.aud !== appId) return 'issued for another audience';
  return undefined;
}

// The public-cloud values of botframework-connector's AuthenticationConstants: setting any one of
// these switches the SDK to "parameterized" mode, where every other one must be given too.
const PUBLIC_CLOUD = {
  ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
  ToChannelFromBotOAuthScope: 'https://api.botframework.com',
  ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
  OAuthUrl: 'https://api.botframework.com',
  ToBotFromChannelOpenIdMetadataUrl: 'https://login.botframework.com/v1/.well-known/openidconfiguration',
  ToBotFromEmulatorOpenIdMetadataUrl:
    'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
  CallerId: 'urn:botframework:azure',
  ValidateAuthority: true,
};

/** CloudAdapter with its protected processActivity reachable, so authentication is done first. */
class Adapter extends CloudAdapter {
  run(
    auth: Awaited<ReturnType<ConfigurationBotFrameworkAuthentication['authenticateRequest']>>,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ) {
    return this.processActivity(auth, activity, logic);
  }
}

export class BotFrameworkTransport implements BotTransport {
  private readonly auth: ConfigurationBotFrameworkAuthentication;
  private readonly adapter: Adapter;
  private readonly appId: string;
  private readonly now: () => Date;

  constructor(options: BotFrameworkOptions) {
    this.appId = options.appId ?? '';
    this.now = options.now ?? (() => new Date());
    const settings: ConfigurationBotFrameworkAuthenticationOptions = options.appId
      ? {
          MicrosoftAppId: options.appId,
          MicrosoftAppPassword: options.appPassword,
          MicrosoftAppTenantId: options.tenantId,
          // Azure creates only single-tenant bots since 31 July 2025 (learn.microsoft.com/azure/bot-service/abs-quickstart).
          MicrosoftAppType: 'SingleTenant',
          ...(options.openIdMetadataUrl
            ? {
                ...PUBLIC_CLOUD,
                ToBotFromChannelOpenIdMetadataUrl: options.openIdMetadataUrl,
                ToBotFromChannelTokenIssuer: options.tokenIssuer ?? PUBLIC_CLOUD.ToBotFromChannelTokenIssuer,
              }
            : {}),
        }
      : {};
    this.auth = new ConfigurationBotFrameworkAuthentication(settings);
    this.adapter = new Adapter(this.auth);
  }

  async process(
    activity: Record<string, unknown>,
    authorization: string,
    run: (turn: TurnHandle) => Promise<void>,
  ): Promise<{ status: number; body?: unknown }> {
    const sdkActivity = activity as unknown as Activity;
    let authenticated: Awaited<ReturnType<ConfigurationBotFrameworkAuthentication['authenticateRequest']>>;
    // Without an app id (dev mode) the SDK accepts any caller; the channel limits that to loopback.
    const impossible = this.appId ? impossibleToken(authorization, this.appId, this.now()) : undefined;
    if (impossible) throw new UnauthorizedError(new Error(impossible));
    try {
      // Authenticated here rather than inside CloudAdapter.process: there, a token that fails
      // jsonwebtoken's signature check surfaces as a plain error and is answered with 500, not 401.
      authenticated = await this.auth.authenticateRequest(sdkActivity, authorization);
    } catch (error) {
      // The SDK reports a failed key download as status 500 (node-fetch's FetchError when the
      // network is down): that is an outage to retry, not a bad token.
      const status = (error as { statusCode?: unknown }).statusCode;
      if ((typeof status === 'number' && status >= 500) || (error as Error).name === 'FetchError')
        throw new AuthUnavailableError(error);
      throw new UnauthorizedError(error);
    }
    const result = await this.adapter.run(authenticated, sdkActivity, (context) => run(handleFor(context)));
    return { status: result?.status ?? 200, ...(result?.body === undefined ? {} : { body: result.body }) };
  }

  async send(reference: ConversationRef, message: OutgoingMessage): Promise<void> {
    await this.adapter.continueConversationAsync(
      this.appId,
      reference as unknown as Partial<ConversationReference>,
      async (context) => {
        await context.sendActivity(message);
      },
    );
  }
}

function handleFor(context: TurnContext): TurnHandle {
  return {
    activity: context.activity as unknown as Record<string, unknown>,
    async send(message) {
      await context.sendActivity(message);
    },
    async respondToInvoke(status, body) {
      await context.sendActivity({ type: 'invokeResponse', value: { status, body } });
    },
    async update(activityId, message) {
      await context.updateActivity({ ...message, id: activityId });
    },
    reference() {
      return TurnContext.getConversationReference(context.activity) as unknown as ConversationRef;
    },
  };
}
