import { generateKeyPairSync, type KeyObject, randomUUID, sign } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback stand-in for the Bot Framework Connector service (the `serviceUrl` Teams puts in every
 * activity) and for the Bot Framework token service, for channel tests:
 *
 * - records `POST /v3/conversations/:id/activities` (a new message) and
 *   `POST /v3/conversations/:id/activities/:replyToId` (a reply), answering `{ id }`;
 * - records `PUT /v3/conversations/:id/activities/:id` (an update) and `POST /v3/conversations`;
 * - answers token requests (`.../oauth2/v2.0/token`) with a fake access token, or refuses them as
 *   Microsoft Entra does when told to ({@link FakeBotConnector.tokenFailure});
 * - publishes an OpenID configuration and JWKS, and signs channel tokens with its key, so a test
 *   can send activities with a valid Bot Framework token (or one signed with another key).
 *
 * It also builds the activities Teams posts to the bot, with the fields Teams sets.
 */

export interface RecordedActivity {
  method: string;
  conversationId: string;
  replyToId?: string;
  authorization?: string;
  activity: Record<string, unknown> & {
    type?: string;
    text?: string;
    attachments?: { contentType: string; content: CardJson }[];
    conversation?: { id: string };
  };
}

/** An Adaptive Card as JSON, loosely typed for assertions. */
export type CardJson = { type: string; version: string; body: CardNode[]; [key: string]: unknown };
export type CardNode = Record<string, unknown>;

export const BOT_ID = '28:00000000-0000-0000-0000-0000000000b0';
export const BOT_NAME = 'privacy-ops';
export const TENANT_ID = '72f988bf-0000-4000-8000-000000000001';

export class FakeBotConnector {
  readonly activities: RecordedActivity[] = [];
  readonly tokenRequests: string[] = [];
  /**
   * When set, token requests are refused with this status and body, as Microsoft Entra refuses a
   * wrong client secret (401 invalid_client, AADSTS7000215), an unknown app id (400
   * unauthorized_client, AADSTS700016) or an unknown tenant (400 invalid_request, AADSTS90002).
   */
  tokenFailure: { status: number; body: Record<string, unknown> } | undefined;
  readonly issuer = 'https://api.botframework.test';
  private server: Server | undefined;
  private port = 0;
  private waiters: (() => void)[] = [];
  private readonly key = generateKeyPairSync('rsa', { modulusLength: 2048 });
  readonly kid = `kid-${randomUUID().slice(0, 8)}`;

  /** The service URL bots post to (ends with `/`, as Teams sends it). */
  get url(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  /** Where the bot finds the signing keys of channel tokens. */
  get openIdMetadataUrl(): string {
    return `${this.url}v1/.well-known/openidconfiguration`;
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections?.();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Resolves once at least `count` activities were recorded (fails after `timeoutMs`). */
  async waitFor(count: number, timeoutMs = 5000): Promise<RecordedActivity[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.activities.length < count) {
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`expected ${count} activities from the bot, got ${this.activities.length}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.activities;
  }

  /** Forgets what was recorded, so each step of a test reads only its own replies. */
  clear(): void {
    this.activities.length = 0;
  }

  /** A channel token as the Bot Framework signs them: RS256, this connector's issuer and key. */
  signToken(
    claims: Record<string, unknown>,
    options: { key?: KeyObject; kid?: string; expiresInSeconds?: number } = {},
  ): string {
    const now = Math.floor(Date.now() / 1000);
    const header = { alg: 'RS256', typ: 'JWT', kid: options.kid ?? this.kid };
    const payload = {
      iss: this.issuer,
      iat: now - 10,
      nbf: now - 10,
      exp: now + (options.expiresInSeconds ?? 3600),
      ...claims,
    };
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const signed = `${b64(header)}.${b64(payload)}`;
    const signature = sign('RSA-SHA256', Buffer.from(signed), options.key ?? this.key.privateKey);
    return `${signed}.${signature.toString('base64url')}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const json = (status: number, value: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    };

    if (req.method === 'GET' && path === '/v1/.well-known/openidconfiguration') {
      return json(200, {
        issuer: this.issuer,
        authorization_endpoint: `${this.url}authorize`,
        jwks_uri: `${this.url}v1/keys`,
        id_token_signing_alg_values_supported: ['RS256'],
      });
    }
    if (req.method === 'GET' && path === '/v1/keys') {
      const jwk = this.key.publicKey.export({ format: 'jwk' });
      // Bot Framework keys carry the channels they are endorsed for; the SDK checks `msteams`.
      return json(200, {
        keys: [{ kty: 'RSA', use: 'sig', kid: this.kid, n: jwk.n, e: jwk.e, endorsements: ['msteams'] }],
      });
    }
    if (req.method === 'POST' && /\/oauth2\/v2\.0\/token$/.test(path)) {
      this.tokenRequests.push(path);
      if (this.tokenFailure) return json(this.tokenFailure.status, this.tokenFailure.body);
      return json(200, {
        token_type: 'Bearer',
        expires_in: 3600,
        ext_expires_in: 3600,
        access_token: 'fake-bot-token',
      });
    }
    const conversation = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(path);
    if (conversation && (req.method === 'POST' || req.method === 'PUT')) {
      const activity = body ? (JSON.parse(body) as RecordedActivity['activity']) : {};
      this.activities.push({
        method: req.method,
        conversationId: decodeURIComponent(conversation[1]!),
        ...(conversation[2] ? { replyToId: decodeURIComponent(conversation[2]) } : {}),
        ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
        activity,
      });
      for (const wake of this.waiters.splice(0)) wake();
      return json(200, { id: `activity-${this.activities.length}` });
    }
    if (req.method === 'POST' && path === '/v3/conversations') {
      return json(200, { id: `a:conversation-${randomUUID().slice(0, 8)}` });
    }
    json(404, { error: { code: 'NotFound', message: `${req.method} ${path}` } });
  }
}

/** A user as Teams identifies them: a Bot Framework id and an Entra object id. */
export interface TeamsUser {
  id: string;
  name: string;
  aadObjectId: string;
}

export const LEAD: TeamsUser = {
  id: '29:1lead',
  name: 'Lena Lead',
  aadObjectId: '11111111-1111-4111-8111-111111111111',
};
export const STAFF: TeamsUser = {
  id: '29:1staff',
  name: 'Sam Staff',
  aadObjectId: '22222222-2222-4222-8222-222222222222',
};

export const PRIVACY_CHANNEL = '19:privacyteam0000@thread.tacv2';
export const GENERAL_CHANNEL = '19:general0000@thread.tacv2';

export type Where =
  | { kind: 'personal'; user?: TeamsUser }
  | { kind: 'channel'; channel: string; thread?: string }
  | { kind: 'groupChat' };

/** Builds the activities Teams posts to a bot at `serviceUrl`. */
export class TeamsActivities {
  private n = 0;

  constructor(
    private readonly serviceUrl: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private conversation(where: Where, user: TeamsUser): Record<string, unknown> {
    switch (where.kind) {
      case 'personal':
        return {
          conversation: {
            id: `a:personal-${user.aadObjectId.slice(0, 8)}`,
            conversationType: 'personal',
            tenantId: TENANT_ID,
          },
          channelData: { tenant: { id: TENANT_ID } },
        };
      case 'channel':
        return {
          conversation: {
            id: `${where.channel};messageid=${where.thread ?? '1700000000000'}`,
            conversationType: 'channel',
            isGroup: true,
            tenantId: TENANT_ID,
          },
          channelData: {
            tenant: { id: TENANT_ID },
            team: { id: GENERAL_CHANNEL, name: 'Privacy' },
            channel: {
              id: where.channel,
              name: where.channel === PRIVACY_CHANNEL ? 'privacy-team' : 'General',
            },
            teamsChannelId: where.channel,
          },
        };
      case 'groupChat':
        return {
          conversation: {
            id: '19:groupchat0000@thread.v2',
            conversationType: 'groupChat',
            isGroup: true,
            tenantId: TENANT_ID,
          },
          channelData: { tenant: { id: TENANT_ID } },
        };
    }
  }

  private base(type: string, where: Where, user: TeamsUser): Record<string, unknown> {
    this.n += 1;
    return {
      type,
      id: `1700000000${String(this.n).padStart(3, '0')}`,
      timestamp: this.now().toISOString(),
      localTimestamp: this.now().toISOString(),
      localTimezone: 'Europe/Berlin',
      serviceUrl: this.serviceUrl,
      channelId: 'msteams',
      from: { id: user.id, name: user.name, aadObjectId: user.aadObjectId },
      recipient: { id: BOT_ID, name: BOT_NAME },
      locale: 'en-US',
      ...this.conversation(where, user),
    };
  }

  /** A message; in channels and group chats the bot only hears it when @mentioned. */
  message(
    text: string,
    where: Where = { kind: 'personal' },
    user: TeamsUser = LEAD,
    mention = where.kind !== 'personal',
  ): Record<string, unknown> {
    const tag = `<at>${BOT_NAME}</at>`;
    return {
      ...this.base('message', where, user),
      text: mention ? `${tag} ${text}` : text,
      textFormat: 'plain',
      entities: [
        ...(mention ? [{ type: 'mention', text: tag, mentioned: { id: BOT_ID, name: BOT_NAME } }] : []),
        { type: 'clientInfo', locale: 'en-US', country: 'US', platform: 'Web', timezone: 'Europe/Berlin' },
      ],
    };
  }

  /** An Action.Submit press: a message with the card data (and inputs) as `value` and no text. */
  submit(
    data: unknown,
    where: Where = { kind: 'personal' },
    user: TeamsUser = LEAD,
    replyToId = 'card-1',
  ): Record<string, unknown> {
    return { ...this.base('message', where, user), value: data, replyToId };
  }

  /** An Action.Execute press (Universal Actions): an `adaptiveCard/action` invoke. */
  execute(
    verb: string,
    data: Record<string, unknown>,
    where: Where = { kind: 'personal' },
    user: TeamsUser = LEAD,
  ): Record<string, unknown> {
    return {
      ...this.base('invoke', where, user),
      name: 'adaptiveCard/action',
      value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
      replyToId: 'card-1',
    };
  }

  /** The conversationUpdate Teams sends when the app is installed (the bot is the member added). */
  installed(where: Where, user: TeamsUser = LEAD): Record<string, unknown> {
    return { ...this.base('conversationUpdate', where, user), membersAdded: [{ id: BOT_ID }] };
  }

  /** A conversationUpdate for someone else joining: nothing to say, but a reference to keep. */
  memberJoined(where: Where, user: TeamsUser = LEAD): Record<string, unknown> {
    return {
      ...this.base('conversationUpdate', where, user),
      membersAdded: [{ id: user.id, aadObjectId: user.aadObjectId }],
    };
  }

  installationUpdate(
    action: 'add' | 'remove',
    where: Where,
    user: TeamsUser = LEAD,
  ): Record<string, unknown> {
    return { ...this.base('installationUpdate', where, user), action };
  }
}

/** Posts an activity to the bot's messaging endpoint, as the Bot Framework service does. */
export async function postActivity(
  port: number,
  activity: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://127.0.0.1:${port}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof activity === 'string' ? activity : JSON.stringify(activity),
  });
  return { status: res.status, body: await res.text() };
}

/** Every TextRun, TextBlock and action title of a card, as one text, for assertions. */
export function cardText(node: unknown): string {
  const out: string[] = [];
  const walk = (n: unknown) => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (typeof n !== 'object' || n === null) return;
    const o = n as Record<string, unknown>;
    if (o.type === 'RichTextBlock' && Array.isArray(o.inlines)) {
      // One line per block: a label run and its value run read as "Label: value".
      out.push(o.inlines.map((r) => String((r as { text?: unknown }).text ?? '')).join(''));
      return;
    }
    if (o.type === 'TextBlock' && typeof o.text === 'string') out.push(o.text);
    if (typeof o.type === 'string' && o.type.startsWith('Action.') && typeof o.title === 'string')
      out.push(`[${o.title}]`);
    for (const v of Object.values(o)) walk(v);
  };
  walk(node);
  return out.join('\n');
}

/** Every Action.Submit's data in a card, in order. */
export function submitActions(node: unknown): { title: string; data: Record<string, unknown> }[] {
  const out: { title: string; data: Record<string, unknown> }[] = [];
  const walk = (n: unknown) => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (typeof n !== 'object' || n === null) return;
    const o = n as Record<string, unknown>;
    if (o.type === 'Action.Submit')
      out.push({ title: String(o.title), data: o.data as Record<string, unknown> });
    for (const v of Object.values(o)) walk(v);
  };
  walk(node);
  return out;
}

/** The card of a recorded activity (the first attachment). */
export function cardOf(recorded: RecordedActivity | undefined): CardJson {
  const card = recorded?.activity.attachments?.[0]?.content;
  if (!card) throw new Error(`no card in ${JSON.stringify(recorded?.activity).slice(0, 300)}`);
  return card;
}
