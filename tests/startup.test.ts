import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { startApp } from '../src/main.js';
import { FakeBotConnector, TENANT_ID } from './fakes/bot-connector.js';
import { type FakeSlackApi, startFakeSlackApi } from './fakes/slack-api.js';

/**
 * Starting the server (dist/index.js, as `npm start` runs it) when it cannot start: one sentence
 * on stderr that says what to fix, and the exit code the CLI uses for that kind of failure (docs/operations.md,
 * "Exit codes"): 74 for the store, 78 for configuration. Never a stack trace.
 */

const root = fileURLToPath(new URL('..', import.meta.url));
const examples = join(root, 'examples', 'policies');
let dir: string;
let busy: Server;
let busyPort: number;
let slack: FakeSlackApi;

beforeAll(async () => {
  slack = await startFakeSlackApi();
  dir = mkdtempSync(join(tmpdir(), 'privacy-ops-startup-'));
  busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '0.0.0.0', resolve));
  busyPort = (busy.address() as { port: number }).port;
});

beforeEach(() => slack.reset());

afterAll(async () => {
  await slack.close();
  await new Promise<void>((resolve) => busy.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

function start(
  env: Record<string, string>,
): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'dist', 'index.js')], {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? '',
        SLACK_BOT_TOKEN: 'xoxb-test',
        SLACK_SIGNING_SECRET: 'test-signing-secret',
        // Nothing listens here: start-up only warns that Slack is unreachable.
        SLACK_API_URL: 'http://127.0.0.1:1/api/',
        REMINDERS_ENABLED: 'false',
        POLICY_CORPUS: examples,
        LOG_LEVEL: 'error',
        PORT: '0',
        PRIVACY_OPS_STORE: `sqlite://${join(dir, 'ok.sqlite')}`,
        ...env,
      },
    });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (c) => {
      stderr += c;
    });
    child.stdout.on('data', (c) => {
      stdout += c;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, stdout });
    });
  });
}

describe('start-up failures', () => {
  it('says the store cannot be opened, in one sentence, and exits 74', async () => {
    // A directory where the SQLite file should be.
    const { code, stderr } = await start({ PRIVACY_OPS_STORE: `sqlite://${dir}` });
    expect(stderr).toMatch(/^privacy-ops: .*register store.*PRIVACY_OPS_STORE/m);
    expect(stderr).not.toMatch(/\n\s+at .*:\d+:\d+/);
    expect(code).toBe(74);
  });

  it('says the port is in use, in one sentence, and exits 78', async () => {
    const { code, stderr } = await start({ PORT: String(busyPort) });
    expect(stderr).toMatch(new RegExp(`^privacy-ops: Port ${busyPort} is in use.*PORT`, 'm'));
    expect(stderr).not.toMatch(/\n\s+at .*:\d+:\d+/);
    expect(code).toBe(78);
  });

  it('says HOST is not an address of this machine, in one sentence, and exits 78', async () => {
    // 203.0.113.1 is TEST-NET-3 (RFC 5737), documentation only: no machine should have it.
    const { code, stderr } = await start({ HOST: '203.0.113.1' });
    expect(stderr).toMatch(/^privacy-ops: HOST 203\.0\.113\.1 is not an address of this machine.*HOST/m);
    expect(stderr).not.toMatch(/\n\s+at .*:\d+:\d+/);
    expect(code).toBe(78);
  });
});

describe('where the server listens (HOST, issue 15 point 5)', () => {
  const config = (env: Record<string, string>) =>
    loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: 'test-signing-secret',
      SLACK_API_URL: slack.url,
      REMINDERS_ENABLED: 'false',
      POLICY_CORPUS: examples,
      PORT: '0',
      PRIVACY_OPS_STORE: `sqlite://${join(dir, 'host.sqlite')}`,
      ...env,
    });
  /** Whether a TCP connection to host:port is accepted. */
  const reachable = (host: string, port: number) =>
    new Promise<boolean>((resolve) => {
      const socket = connect({ host, port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
  // An address of this machine other than loopback, to show what HOST=127.0.0.1 keeps out.
  const external = Object.values(networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;

  it('listens on every IPv4 interface by default, as before the setting', async () => {
    const app = await startApp(config({}), pino({ level: 'silent' }));
    try {
      expect(app.host).toBe('0.0.0.0');
      expect(await reachable('127.0.0.1', app.port)).toBe(true);
      if (external) expect(await reachable(external, app.port)).toBe(true);
    } finally {
      await app.stop();
    }
  });

  it('listens only where HOST says', async () => {
    const app = await startApp(config({ HOST: '127.0.0.1' }), pino({ level: 'silent' }));
    try {
      expect(app.host).toBe('127.0.0.1');
      expect(await reachable('127.0.0.1', app.port)).toBe(true);
      if (external) expect(await reachable(external, app.port)).toBe(false);
      else console.warn('no non-loopback IPv4 address here: only the bound address is checked');
    } finally {
      await app.stop();
    }
  });
});

/** What stderr says to a person: its lines other than JSON log lines. */
function said(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('{'));
}

const STACK = /\n\s+at .*:\d+:\d+/;

describe('a rejected Slack credential', () => {
  it.each(['invalid_auth', 'token_expired', 'not_allowed_token_type'])(
    'names SLACK_BOT_TOKEN when auth.test answers %s, and exits 78',
    async (error) => {
      slack.failures.set('auth.test', error);
      const { code, stderr } = await start({ SLACK_API_URL: slack.url, LOG_LEVEL: 'info' });
      expect(said(stderr)).toEqual([
        expect.stringMatching(
          new RegExp(`^privacy-ops: Slack rejected SLACK_BOT_TOKEN \\(${error}\\); .*xoxb`),
        ),
      ]);
      expect(stderr).not.toMatch(STACK);
      expect(stderr).not.toContain('xoxb-test');
      expect(code).toBe(78);
    },
  );

  it('names SLACK_APP_TOKEN when Socket Mode is refused, and exits 78', async () => {
    slack.failures.set('apps.connections.open', 'invalid_auth');
    const { code, stderr } = await start({
      SLACK_API_URL: slack.url,
      SLACK_SIGNING_SECRET: '',
      SLACK_SOCKET_MODE: 'true',
      SLACK_APP_TOKEN: 'xapp-test',
    });
    expect(said(stderr)).toEqual([
      expect.stringMatching(
        /^privacy-ops: Slack refused the Socket Mode connection \(invalid_auth\); check SLACK_APP_TOKEN/,
      ),
    ]);
    expect(stderr).not.toMatch(STACK);
    expect(code).toBe(78);
  });
});

describe('Teams credentials that cannot be right', () => {
  // A wrong client secret is only known to Entra, on the first message the bot sends.
  const noSlack = { SLACK_BOT_TOKEN: '', SLACK_SIGNING_SECRET: '' };
  const APP = '00000000-0000-4000-8000-0000000000a1';
  const TENANT = '00000000-0000-4000-8000-0000000000b2';
  it.each([
    [
      'an app id that is no GUID',
      { MICROSOFT_APP_ID: 'privacy-bot', MICROSOFT_APP_PASSWORD: 's', MICROSOFT_APP_TENANT_ID: TENANT },
      'MICROSOFT_APP_ID',
    ],
    [
      'an app id without its secret',
      { MICROSOFT_APP_ID: APP, MICROSOFT_APP_TENANT_ID: TENANT },
      'MICROSOFT_APP_PASSWORD',
    ],
    [
      'an app id without its tenant',
      { MICROSOFT_APP_ID: APP, MICROSOFT_APP_PASSWORD: 's' },
      'MICROSOFT_APP_TENANT_ID',
    ],
    ['dev mode in production', { TEAMS_DEV_MODE: 'true', NODE_ENV: 'production' }, 'TEAMS_DEV_MODE'],
  ])('%s: names the key to fix and exits 78', async (_, env, key) => {
    const { code, stderr } = await start({ ...noSlack, ...env });
    const lines = said(stderr);
    expect(lines[0]).toMatch(/^privacy-ops: The configuration is invalid; fix these keys/);
    expect(lines.slice(1)).toEqual([expect.stringMatching(new RegExp(`^  ${key}: `))]);
    expect(stderr).not.toMatch(STACK);
    expect(code).toBe(78);
  });
});

describe('privacy mailbox settings that cannot work', () => {
  const login = { MAILBOX_HOST: 'imap.example.org', MAILBOX_USER: 'privacy@example.org' };
  it.each([
    ['no password or token', { ...login, SLACK_PRIVACY_CHANNEL: 'CPRIVACY' }, 'MAILBOX_PASSWORD'],
    ['no privacy channel for its drafts', { ...login, MAILBOX_PASSWORD: 'p' }, 'MAILBOX_HOST'],
    [
      'a login without a server',
      { MAILBOX_USER: 'privacy@example.org', MAILBOX_PASSWORD: 'p' },
      'MAILBOX_HOST',
    ],
  ])('%s: names the key to fix and exits 78', async (_, env, key) => {
    const { code, stderr } = await start(env);
    const lines = said(stderr);
    expect(lines[0]).toMatch(/^privacy-ops: The configuration is invalid; fix these keys/);
    expect(lines.slice(1)).toEqual([expect.stringMatching(new RegExp(`^  ${key}: `))]);
    expect(stderr).not.toContain('privacy@example.org');
    expect(stderr).not.toMatch(STACK);
    expect(code).toBe(78);
  });
});

describe('a register store that cannot be opened', () => {
  const asRoot = process.getuid?.() === 0;
  it.each([
    [
      'a SQLite file under a regular file',
      () => {
        writeFileSync(join(dir, 'plain-file'), '');
        return `sqlite://${join(dir, 'plain-file', 'r.sqlite')}`;
      },
    ],
    ['PostgreSQL where nothing listens', () => 'postgres://privacy@127.0.0.1:1/register'],
    ['a PostgreSQL URL that is no URL', () => 'postgres://privacy:hunter2@127.0.0.1:port/register'],
    ['Redis where nothing listens', () => 'redis://127.0.0.1:1'],
  ])('%s: says so in one sentence naming PRIVACY_OPS_STORE, and exits 74', async (_, store) => {
    const { code, stderr } = await start({ PRIVACY_OPS_STORE: store() });
    expect(said(stderr)).toEqual([
      expect.stringMatching(/^privacy-ops: Cannot open the register store .*PRIVACY_OPS_STORE/),
    ]);
    expect(stderr).not.toMatch(STACK);
    expect(stderr).not.toContain('hunter2');
    expect(code).toBe(74);
  });

  it('a file in the way of its folder: says so in words, not as errno text (issue 17)', async () => {
    writeFileSync(join(dir, 'in-the-way'), '');
    const { code, stderr } = await start({
      PRIVACY_OPS_STORE: `sqlite://${join(dir, 'in-the-way', 'sub', 'r.sqlite')}`,
    });
    expect(said(stderr)).toEqual([
      expect.stringMatching(
        /in-the-way is a file, not a folder; set PRIVACY_OPS_STORE to a file in a folder/,
      ),
    ]);
    expect(stderr).not.toMatch(/EEXIST|ENOTDIR|mkdir/);
    expect(code).toBe(74);
  });

  it('a folder that cannot be made under /proc: fails at once instead of retrying mkdir (issue 17)', async () => {
    const began = Date.now();
    const { code, stderr } = await start({ PRIVACY_OPS_STORE: 'sqlite:///proc/nope/x.sqlite' });
    expect(said(stderr)).toEqual([
      expect.stringMatching(/^privacy-ops: Cannot open the register store .*\/proc\/nope.*PRIVACY_OPS_STORE/),
    ]);
    expect(code).toBe(74);
    expect(Date.now() - began).toBeLessThan(10_000);
  });

  // Root may write anywhere, so the permission check only means something for other users.
  it.skipIf(asRoot)('a SQLite file in a missing directory under a read-only one: exits 74', async () => {
    const locked = join(dir, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o555);
    try {
      const { code, stderr } = await start({
        PRIVACY_OPS_STORE: `sqlite://${join(locked, 'missing', 'r.sqlite')}`,
      });
      expect(said(stderr)).toEqual([
        expect.stringMatching(/^privacy-ops: Cannot open the register store .*PRIVACY_OPS_STORE/),
      ]);
      expect(code).toBe(74);
    } finally {
      chmodSync(locked, 0o755);
    }
  });
});

describe('Teams credentials Microsoft Entra refuses (issue 17 point 2)', () => {
  // Start-up asks Entra (here the loopback fake's token endpoint) for a Bot Framework token.
  let connector: FakeBotConnector;
  beforeAll(async () => {
    connector = await new FakeBotConnector().start();
  });
  afterAll(() => connector.stop());
  beforeEach(() => {
    connector.tokenFailure = undefined;
    connector.tokenRequests.length = 0;
  });
  const APP = '00000000-0000-4000-8000-0000000000a1';
  const teams = () => ({
    SLACK_BOT_TOKEN: '',
    SLACK_SIGNING_SECRET: '',
    MICROSOFT_APP_ID: APP,
    MICROSOFT_APP_PASSWORD: 'wrong-secret-value',
    MICROSOFT_APP_TENANT_ID: TENANT_ID,
    MICROSOFT_LOGIN_URL: connector.url,
  });
  // Status, error and code as Entra answers them (learn.microsoft.com/entra/identity-platform/reference-error-codes).
  it.each([
    [
      'a wrong client secret',
      401,
      'invalid_client',
      7000215,
      /^privacy-ops: Microsoft Entra rejected MICROSOFT_APP_PASSWORD \(AADSTS7000215, invalid_client\); set it to the Value/,
    ],
    [
      'an expired client secret',
      401,
      'invalid_client',
      7000222,
      /^privacy-ops: Microsoft Entra rejected MICROSOFT_APP_PASSWORD \(AADSTS7000222, invalid_client\)/,
    ],
    [
      'an app id the tenant does not know',
      400,
      'unauthorized_client',
      700016,
      /^privacy-ops: Microsoft Entra does not know MICROSOFT_APP_ID in the tenant MICROSOFT_APP_TENANT_ID \(AADSTS700016/,
    ],
    [
      'a tenant Entra does not know',
      400,
      'invalid_request',
      90002,
      /^privacy-ops: Microsoft Entra does not know the tenant MICROSOFT_APP_TENANT_ID \(AADSTS90002/,
    ],
  ])('%s: says which key to fix, in one sentence, and exits 78', async (_, status, error, code, sentence) => {
    connector.tokenFailure = {
      status,
      body: { error, error_description: `AADSTS${code}: refused. Trace ID: 1`, error_codes: [code] },
    };
    const result = await start(teams());
    expect(said(result.stderr)).toEqual([expect.stringMatching(sentence)]);
    expect(result.stderr).not.toMatch(STACK);
    expect(result.stderr).not.toContain('wrong-secret-value');
    expect(result.code).toBe(78);
    expect(connector.tokenRequests).toEqual([`/${TENANT_ID}/oauth2/v2.0/token`]);
  });

  /** The server in-process with Teams credentials, its log lines kept. */
  async function startTeams(env: Record<string, string>) {
    const lines: string[] = [];
    const logger = createLogger('warn', { write: (line: string) => void lines.push(line) });
    const app = await startApp(
      loadConfig({
        ...teams(),
        POLICY_CORPUS: examples,
        PORT: '0',
        HOST: '127.0.0.1',
        REMINDERS_ENABLED: 'false',
        PRIVACY_OPS_STORE: `sqlite://${join(dir, 'teams.sqlite')}`,
        ...env,
      }),
      logger,
    );
    await app.stop();
    return lines.map((line) => JSON.parse(line) as { level: number; msg: string });
  }

  it('starts when Entra issues a token for them', async () => {
    const logged = await startTeams({});
    expect(connector.tokenRequests).toHaveLength(1);
    expect(logged.filter((l) => /Entra/.test(l.msg))).toEqual([]);
  });

  it('starts with a warning when Entra cannot be reached: no verdict, as when Slack is unreachable', async () => {
    const logged = await startTeams({ MICROSOFT_LOGIN_URL: 'http://127.0.0.1:1/' });
    expect(logged).toContainEqual(
      expect.objectContaining({
        level: 40,
        msg: expect.stringMatching(
          /^could not reach Microsoft Entra at start-up to check the Teams credentials/,
        ),
      }),
    );
  });
});

describe('settings checked against what is loaded (issue 17)', () => {
  it('a DEFAULT_POLICY that names no loaded policy: one sentence naming the key and the ids, exit 78', async () => {
    const { code, stderr } = await start({ DEFAULT_POLICY: 'nosuch' });
    expect(said(stderr)).toEqual([
      'privacy-ops: DEFAULT_POLICY "nosuch" names no policy in POLICY_CORPUS; set it to one of the policy ids (brightdesk, northwind) or unset it.',
    ]);
    expect(code).toBe(78);
  });

  it.each([
    ['DEFAULT_COUNTRY', { DEFAULT_COUNTRY: 'XX' }],
    ['SLACK_BOT_TOKEN', { SLACK_BOT_TOKEN: 'not-a-bot-token' }],
    ['SLACK_APP_TOKEN', { SLACK_SOCKET_MODE: 'true', SLACK_APP_TOKEN: 'xoxb-wrong-kind' }],
  ])('a %s the program cannot use is refused at start-up, exit 78', async (key, env) => {
    const { code, stderr } = await start(env);
    expect(said(stderr).join('\n')).toMatch(new RegExp(`^ {2}${key}: `, 'm'));
    expect(stderr).not.toContain('not-a-bot-token');
    expect(code).toBe(78);
  });
});

describe('other start-up failures', () => {
  it('a corpus directory that does not exist: names POLICY_CORPUS in one sentence, and exits 66', async () => {
    const { code, stderr } = await start({ POLICY_CORPUS: join(dir, 'no-such-corpus') });
    expect(said(stderr)).toEqual([
      expect.stringMatching(/^privacy-ops: The corpus directory .* POLICY_CORPUS/),
    ]);
    expect(stderr).not.toMatch(STACK);
    expect(code).toBe(66);
  });

  it('the console chat (no platform configured) with a store it cannot open: one sentence, exit 74', async () => {
    writeFileSync(join(dir, 'console-file'), '');
    const { code, stderr } = await start({
      SLACK_BOT_TOKEN: '',
      SLACK_SIGNING_SECRET: '',
      PRIVACY_OPS_STORE: `sqlite://${join(dir, 'console-file', 'r.sqlite')}`,
    });
    expect(said(stderr)).toEqual([
      expect.stringMatching(/^privacy-ops: Cannot open the register store .*PRIVACY_OPS_STORE/),
    ]);
    expect(stderr).not.toMatch(STACK);
    expect(code).toBe(74);
  });
});
