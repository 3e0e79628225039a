import { generateKeyPairSync, verify } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  GOOGLE_MAIL_SCOPE,
  readServiceAccountFile,
  ServiceAccount,
  type ServiceAccountKey,
} from '../../../src/channels/mailbox/oauth.js';
import { loadConfig } from '../../../src/config.js';
import { type App, startApp } from '../../../src/main.js';
import { type FakeSlackApi, startFakeSlackApi } from '../../fakes/slack-api.js';
import { DOVECOT_MISSING, type Dovecot, startDovecot } from '../../helpers/dovecot.js';

/**
 * A Google Workspace service account's tokens (the JWT bearer grant, RFC 7523): a loopback token
 * endpoint standing in for Google's checks each RS256-signed assertion against the account's
 * public key with node:crypto and issues tokens only for a valid one. Tokens are renewed before
 * they expire and when the IMAP server refuses one; against a real Dovecot, which asks a loopback
 * introspection endpoint (RFC 7662) whether a token is one the token endpoint issued and did not
 * revoke.
 */

if (DOVECOT_MISSING) console.warn(DOVECOT_MISSING);

const CLIENT_EMAIL = 'privacy-ops@example-project.iam.gserviceaccount.com';
const MAILBOX = 'privacy@example.org';
const { privateKey, publicKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});

let auth: Server;
let tokenUrl: string;
let dir: string;
/** Tokens issued and not revoked: what the introspection endpoint accepts. */
const issued = new Set<string>();
/** The claims of each valid assertion the token endpoint was given. */
const grants: Record<string, unknown>[] = [];
/** Assertions refused (a bad signature, a wrong grant type or claim). */
const refused: string[] = [];
/** Every token the IMAP server asked about, in order, and whether it was accepted. */
const introspected: { token: string; active: boolean }[] = [];
/** The lifetimes (seconds) of the next tokens issued, in order; then an hour. */
const lifetimes: number[] = [];
/** When set, the endpoint refuses every grant with this error (an account without delegation). */
let refuseWith: string | undefined;

function readForm(req: IncomingMessage): Promise<Record<string, string>> {
  return new Promise((resolve) => {
    let raw = '';
    req.on('data', (c) => {
      raw += c;
    });
    req.on('end', () => resolve(Object.fromEntries(new URLSearchParams(raw))));
  });
}

/** The assertion's claims when it is a valid RS256 JWT signed by the account's key; else why not. */
function checkAssertion(assertion: string | undefined): Record<string, unknown> | string {
  const parts = (assertion ?? '').split('.');
  if (parts.length !== 3) return 'not a JWT';
  const [header, claims, signature] = parts as [string, string, string];
  const head = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as Record<string, unknown>;
  if (head.alg !== 'RS256' || head.typ !== 'JWT') return 'not RS256';
  const signed = verify(
    'RSA-SHA256',
    Buffer.from(`${header}.${claims}`),
    publicKey,
    Buffer.from(signature, 'base64url'),
  );
  if (!signed) return 'bad signature';
  const body = JSON.parse(Buffer.from(claims, 'base64url').toString('utf8')) as Record<
    string,
    number | string
  >;
  if (body.iss !== CLIENT_EMAIL || body.aud !== tokenUrl) return 'wrong issuer or audience';
  const iat = Number(body.iat);
  const exp = Number(body.exp);
  if (!(exp > iat) || exp - iat > 3600) return 'lifetime over an hour';
  return body;
}

function keyFile(name: string, key: Partial<Record<string, string>> = {}): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    JSON.stringify({
      type: 'service_account',
      project_id: 'example-project',
      private_key_id: 'key-1',
      private_key: privateKey,
      client_email: CLIENT_EMAIL,
      client_id: '1234567890',
      token_uri: tokenUrl,
      ...key,
    }),
  );
  return path;
}

beforeAll(async () => {
  auth = createServer(async (req, res) => {
    const form = await readForm(req);
    res.setHeader('content-type', 'application/json');
    if (req.url === '/token') {
      const claims =
        form.grant_type === 'urn:ietf:params:oauth:grant-type:jwt-bearer'
          ? checkAssertion(form.assertion)
          : 'wrong grant type';
      if (typeof claims === 'string' || refuseWith) {
        refused.push(typeof claims === 'string' ? claims : (refuseWith ?? ''));
        res.writeHead(400).end(
          JSON.stringify({
            error: refuseWith ?? 'invalid_grant',
            error_description: `Client is unauthorized for ${CLIENT_EMAIL}`,
          }),
        );
        return;
      }
      grants.push(claims);
      const token = `ya29.token-${grants.length}`;
      issued.add(token);
      res.end(
        JSON.stringify({ access_token: token, expires_in: lifetimes.shift() ?? 3599, token_type: 'Bearer' }),
      );
      return;
    }
    // RFC 7662 introspection, as Dovecot's oauth2 passdb asks it.
    const token = form.token ?? '';
    const active = issued.has(token);
    introspected.push({ token, active });
    res.end(JSON.stringify(active ? { active: true, username: MAILBOX } : { active: false }));
  });
  await new Promise<void>((resolve) => auth.listen(0, '127.0.0.1', resolve));
  tokenUrl = `http://127.0.0.1:${(auth.address() as { port: number }).port}/token`;
  dir = mkdtempSync(join(tmpdir(), 'privacy-ops-mail-sa-'));
});

afterAll(async () => {
  await new Promise<void>((resolve) => (auth ? auth.close(() => resolve()) : resolve()));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  issued.clear();
  grants.length = 0;
  refused.length = 0;
  introspected.length = 0;
  lifetimes.length = 0;
  refuseWith = undefined;
});

describe('a Google service account getting tokens for the mailbox', () => {
  let key: ServiceAccountKey;
  beforeAll(() => {
    key = readServiceAccountFile(keyFile('key.json'));
  });

  it('signs an assertion for the mailbox that the token endpoint verifies, and keeps the token until 5 minutes before it expires', async () => {
    let now = Date.parse('2026-12-01T10:00:00Z');
    const account = new ServiceAccount({ key, subject: MAILBOX, scope: GOOGLE_MAIL_SCOPE }, () => now);
    lifetimes.push(3600, 3600);
    expect(await account.token()).toBe('ya29.token-1');
    expect(refused).toEqual([]);
    expect(grants).toEqual([
      {
        iss: CLIENT_EMAIL,
        sub: MAILBOX,
        scope: GOOGLE_MAIL_SCOPE,
        aud: tokenUrl,
        iat: now / 1000,
        exp: now / 1000 + 3600,
      },
    ]);
    // Fifty-five minutes less a second later, the token still has more than five minutes to run.
    now += 55 * 60_000 - 1_000;
    expect(await account.token()).toBe('ya29.token-1');
    expect(grants).toHaveLength(1);
    // From five minutes before it expires, a new one, with a fresh assertion.
    now += 1_000;
    expect(await account.token()).toBe('ya29.token-2');
    expect(grants).toHaveLength(2);
    expect(grants[1]).toMatchObject({ iat: now / 1000 });
  });

  it('fetches a new token once the server refused the cached one (invalidate)', async () => {
    const account = new ServiceAccount({ key, subject: MAILBOX, scope: GOOGLE_MAIL_SCOPE });
    expect(await account.token()).toBe('ya29.token-1');
    expect(await account.token()).toBe('ya29.token-1');
    account.invalidate();
    expect(await account.token()).toBe('ya29.token-2');
    expect(grants).toHaveLength(2);
  });

  it('an assertion signed with another key is refused by the endpoint, and so is the account', async () => {
    const other = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const forged = new ServiceAccount({
      key: { ...key, privateKey: other.privateKey },
      subject: MAILBOX,
      scope: GOOGLE_MAIL_SCOPE,
    });
    const error = await forged.token().then(
      () => undefined,
      (e: unknown) => e as Error & { code: string },
    );
    expect(refused).toEqual(['bad signature']);
    expect(error).toMatchObject({ code: 'CONFIG' });
    expect(error?.message).toMatch(
      /refused the mailbox's service account \(invalid_grant\): check that the service account in MAILBOX_OAUTH_SERVICE_ACCOUNT_FILE has domain-wide delegation/,
    );
    // The endpoint's description (which names the account) is not repeated.
    expect(error?.message).not.toContain(CLIENT_EMAIL);
  });

  it('a key file that cannot be used stops start-up naming the setting, never quoting the file', () => {
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, `{"private_key": "${privateKey.slice(0, 60)}`);
    expect(() => readServiceAccountFile(broken)).toThrow(
      /MAILBOX_OAUTH_SERVICE_ACCOUNT_FILE: the key file is not JSON/,
    );
    expect(() => readServiceAccountFile(keyFile('user.json', { type: 'authorized_user' }))).toThrow(
      /MAILBOX_OAUTH_SERVICE_ACCOUNT_FILE: not a service account's JSON key file/,
    );
    expect(() => readServiceAccountFile(join(dir, 'missing.json'))).toThrow(
      /MAILBOX_OAUTH_SERVICE_ACCOUNT_FILE: the key file cannot be read \(ENOENT\)/,
    );
    try {
      readServiceAccountFile(broken);
    } catch (error) {
      expect(String((error as Error).message)).not.toContain('PRIVATE KEY');
    }
  });
});

describe.skipIf(Boolean(DOVECOT_MISSING))(
  'the privacy mailbox with a service account (real Dovecot, XOAUTH2)',
  () => {
    let imap: Dovecot;
    let slack: FakeSlackApi;

    beforeAll(async () => {
      imap = await startDovecot({ introspectionUrl: tokenUrl.replace(/\/token$/, '/introspect') });
      slack = await startFakeSlackApi();
    }, 30_000);

    afterAll(async () => {
      await slack?.close();
      await imap?.stop();
    });

    function config(extra: Record<string, string>) {
      return loadConfig({
        SLACK_BOT_TOKEN: 'xoxb-test',
        SLACK_SIGNING_SECRET: 'test-signing-secret-0123456789',
        SLACK_API_URL: slack.url,
        SLACK_PRIVACY_CHANNEL: 'CPRIVACY',
        PORT: '0',
        REMINDERS_ENABLED: 'false',
        POLICY_CORPUS: fileURLToPath(new URL('../../../examples/policies/', import.meta.url)),
        PRIVACY_OPS_STORE: `sqlite://${join(dir, `register-${Date.now()}.sqlite`)}`,
        MAILBOX_HOST: imap.host,
        MAILBOX_PORT: String(imap.port),
        MAILBOX_TLS: 'false',
        MAILBOX_USER: imap.user,
        MAILBOX_POLL_SECONDS: '1',
        ...extra,
      });
    }

    const drafted = (id: string) =>
      slack.waitFor(
        () => slack.callsTo('chat.postMessage').some((c) => JSON.stringify(c.args).includes(id)),
        15_000,
      );

    it('logs in with its token, renews it before it expires and when the server refuses it, and drafts every mail', async () => {
      const logLines: string[] = [];
      // The first token expires within five minutes (renewed at the next connection), the second lasts.
      lifetimes.push(301, 3600);
      const app: App = await startApp(
        config({ MAILBOX_OAUTH_SERVICE_ACCOUNT_FILE: keyFile('key.json') }),
        pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) }),
      );
      try {
        expect(grants).toHaveLength(1);
        expect(grants[0]).toMatchObject({ sub: imap.user, scope: GOOGLE_MAIL_SCOPE });
        expect(Math.abs(Number(grants[0]!.iat) - Date.now() / 1000)).toBeLessThan(60);
        await imap.deliver(
          'From: a@example.fr\nMessage-ID: <sa-1@example.fr>\n\nDelete my data, I live in France.\n',
        );
        await drafted('sa-1@example.fr');
        expect(introspected.every((i) => i.token === 'ya29.token-1' && i.active)).toBe(true);

        // Past its renewal time the connection drops: the reconnect logs in with a new token, unrefused.
        await new Promise((r) => setTimeout(r, 1_100));
        await imap.kick();
        await imap.deliver(
          'From: b@example.fr\nMessage-ID: <sa-2@example.fr>\n\nErase me, I live in Spain.\n',
        );
        await drafted('sa-2@example.fr');
        expect(grants).toHaveLength(2);
        expect(introspected.filter((i) => !i.active)).toEqual([]);
        expect(introspected.at(-1)).toEqual({ token: 'ya29.token-2', active: true });

        // The token is revoked and the connection drops: the server refuses the cached token, and
        // the watcher gets a new one at once rather than failing each check until it expires.
        issued.delete('ya29.token-2');
        await imap.kick();
        await imap.deliver(
          'From: c@example.fr\nMessage-ID: <sa-3@example.fr>\n\nForget me, I live in Italy.\n',
        );
        await drafted('sa-3@example.fr');
        expect(grants).toHaveLength(3);
        expect(introspected.filter((i) => !i.active).map((i) => i.token)).toEqual(['ya29.token-2']);
        expect(introspected.at(-1)).toEqual({ token: 'ya29.token-3', active: true });
        expect(logLines.some((l) => l.includes('retrying with a new token'))).toBe(true);
        // Neither tokens nor the key nor the mail reach the log.
        const log = logLines.join('\n');
        expect(log).not.toMatch(/ya29\.|PRIVATE KEY|example\.fr/);
      } finally {
        await app.stop();
      }
    }, 60_000);

    it('an account the endpoint refuses stops start-up, naming the setting', async () => {
      refuseWith = 'unauthorized_client';
      await expect(
        startApp(
          config({ MAILBOX_OAUTH_SERVICE_ACCOUNT_FILE: keyFile('key.json') }),
          pino({ level: 'silent' }),
        ),
      ).rejects.toMatchObject({
        code: 'CONFIG',
        message: expect.stringMatching(
          /service account \(unauthorized_client\).*MAILBOX_OAUTH_SERVICE_ACCOUNT_FILE/,
        ),
      });
    }, 30_000);
  },
);
