import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { type App, startApp } from '../../../src/main.js';
import { type FakeSlackApi, startFakeSlackApi } from '../../fakes/slack-api.js';
import { DOVECOT_MISSING, type Dovecot, startDovecot } from '../../helpers/dovecot.js';

/**
 * OAuth2 logins to a real IMAP server: Dovecot checks each XOAUTH2 token with a loopback token
 * introspection endpoint, which accepts only the tokens the loopback token endpoint (standing in
 * for Microsoft Entra) issued by the client-credentials grant.
 */

if (DOVECOT_MISSING) console.warn(DOVECOT_MISSING);

const CLIENT_ID = 'mailbox-app';
const CLIENT_SECRET = 'mailbox-app-secret';
const SCOPE = 'https://outlook.office365.com/.default';

let imap: Dovecot;
let fake: FakeSlackApi;
let auth: Server;
let authUrl: string;
let dir: string;
const issued = new Set<string>();
const grants: Record<string, string>[] = [];

function readForm(req: IncomingMessage): Promise<Record<string, string>> {
  return new Promise((resolve) => {
    let raw = '';
    req.on('data', (c) => {
      raw += c;
    });
    req.on('end', () => resolve(Object.fromEntries(new URLSearchParams(raw))));
  });
}

describe.skipIf(Boolean(DOVECOT_MISSING))('the privacy mailbox with OAuth2 (XOAUTH2)', () => {
  beforeAll(async () => {
    auth = createServer(async (req, res) => {
      const form = await readForm(req);
      res.setHeader('content-type', 'application/json');
      if (req.url === '/token') {
        grants.push(form);
        if (form.client_id !== CLIENT_ID || form.client_secret !== CLIENT_SECRET) {
          res
            .writeHead(401)
            .end(JSON.stringify({ error: 'invalid_client', error_description: 'AADSTS7000215' }));
          return;
        }
        const token = `token-${grants.length}`;
        issued.add(token);
        res.end(JSON.stringify({ token_type: 'Bearer', access_token: token, expires_in: 3599 }));
        return;
      }
      // RFC 7662 introspection, as Dovecot's oauth2 passdb asks it.
      const active = issued.has(form.token ?? '');
      res.end(JSON.stringify(active ? { active: true, username: imap.user } : { active: false }));
    });
    await new Promise<void>((resolve) => auth.listen(0, '127.0.0.1', resolve));
    authUrl = `http://127.0.0.1:${(auth.address() as { port: number }).port}`;
    imap = await startDovecot({ introspectionUrl: `${authUrl}/introspect` });
    fake = await startFakeSlackApi();
    dir = mkdtempSync(join(tmpdir(), 'privacy-ops-mailoauth-'));
  }, 30_000);

  afterAll(async () => {
    await fake?.close();
    await imap?.stop();
    await new Promise<void>((resolve) => (auth ? auth.close(() => resolve()) : resolve()));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function config(extra: Record<string, string>) {
    return loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: 'test-signing-secret-0123456789',
      SLACK_API_URL: fake.url,
      SLACK_PRIVACY_CHANNEL: 'CPRIVACY',
      PORT: '0',
      REMINDERS_ENABLED: 'false',
      POLICY_CORPUS: fileURLToPath(new URL('../../../examples/policies/', import.meta.url)),
      PRIVACY_OPS_STORE: `sqlite://${join(dir, 'register.sqlite')}`,
      MAILBOX_HOST: imap.host,
      MAILBOX_PORT: String(imap.port),
      MAILBOX_TLS: 'false',
      MAILBOX_USER: imap.user,
      MAILBOX_POLL_SECONDS: '1',
      ...extra,
    });
  }

  it('gets a token by client credentials, logs in with it, and drafts the mail', async () => {
    let app: App | undefined;
    try {
      app = await startApp(
        config({
          MAILBOX_OAUTH_TOKEN_URL: `${authUrl}/token`,
          MAILBOX_OAUTH_CLIENT_ID: CLIENT_ID,
          MAILBOX_OAUTH_CLIENT_SECRET: CLIENT_SECRET,
        }),
        pino({ level: 'silent' }),
      );
      expect(grants.at(-1)).toEqual({
        grant_type: 'client_credentials',
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        scope: SCOPE,
      });
      await imap.deliver(
        'From: a@example.fr\nMessage-ID: <oauth-1@example.fr>\n\nDelete my data, I live in France.\n',
      );
      await fake.waitFor(
        () =>
          fake.callsTo('chat.postMessage').some((c) => JSON.stringify(c.args).includes('oauth-1@example.fr')),
        15_000,
      );
    } finally {
      await app?.stop();
    }
  }, 60_000);

  it('a token given as it is (MAILBOX_ACCESS_TOKEN) logs in too; one the server does not accept stops start-up', async () => {
    const app = await startApp(config({ MAILBOX_ACCESS_TOKEN: [...issued][0]! }), pino({ level: 'silent' }));
    await app.stop();
    await expect(
      startApp(config({ MAILBOX_ACCESS_TOKEN: 'expired-token' }), pino({ level: 'silent' })),
    ).rejects.toMatchObject({
      code: 'CONFIG',
      message: expect.stringMatching(/refused the login of MAILBOX_USER: check MAILBOX_ACCESS_TOKEN/),
    });
  }, 60_000);

  it('client credentials the token endpoint refuses stop start-up, naming the keys and not the secret', async () => {
    const error = await startApp(
      config({
        MAILBOX_OAUTH_TOKEN_URL: `${authUrl}/token`,
        MAILBOX_OAUTH_CLIENT_ID: CLIENT_ID,
        MAILBOX_OAUTH_CLIENT_SECRET: 'wrong-secret',
      }),
      pino({ level: 'silent' }),
    ).then(
      async (app) => {
        await app.stop();
        throw new Error('started with refused credentials');
      },
      (e: unknown) => e as Error & { code: string },
    );
    expect(error).toMatchObject({ code: 'CONFIG' });
    expect(error.message).toMatch(
      /refused the mailbox's client credentials \(invalid_client\): check MAILBOX_OAUTH_CLIENT_ID, MAILBOX_OAUTH_CLIENT_SECRET/,
    );
    expect(error.message).not.toContain('wrong-secret');
    expect(error.message).not.toContain('AADSTS');
  }, 30_000);
});
