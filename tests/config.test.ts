import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { configSchema, loadConfig } from '../src/config.js';
import { AppError } from '../src/core/errors.js';

/** loadConfig(env): defaults, one error naming every bad key, Slack secrets only when Slack is on. */

function configError(env: Record<string, string | undefined>): AppError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('CONFIG');
    return error as AppError;
  }
  throw new Error('loadConfig accepted a bad environment');
}

const EXAMPLE = fileURLToPath(new URL('../.env.example', import.meta.url));

/** .env.example as Node's own reader (the one `.env` is loaded with) sees it; no key twice. */
function envExample(): Map<string, string> {
  const text = readFileSync(EXAMPLE, 'utf8');
  const names = text.split(/\r?\n/).flatMap((line) => /^\s*([A-Z][A-Z0-9_]*)=/.exec(line)?.[1] ?? []);
  expect(
    names.filter((n, i) => names.indexOf(n) !== i),
    'listed twice',
  ).toEqual([]);
  const entries = new Map(Object.entries(parseEnv(text)).map(([k, v]) => [k, v ?? '']));
  expect([...entries.keys()].sort()).toEqual([...names].sort());
  return entries;
}

describe('loadConfig', () => {
  it('gives every key its default in an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      POLICY_CORPUS: 'examples/policies',
      PRIVACY_OPS_STORE: 'sqlite://data/privacy-ops.sqlite',
      DEFAULT_COUNTRY: 'DE',
      DEFAULT_TIMEZONE: 'UTC',
      REGISTER_RETENTION_MONTHS: 24,
      PORT: 3000,
      HOST: '0.0.0.0',
      SLACK_PRIVACY_TEAM_USERS: [],
    });
    expect(config.DEFAULT_POLICY).toBeUndefined();
    expect(config.SLACK_BOT_TOKEN).toBeUndefined();
  });

  it('does not read process.env when given an environment', () => {
    const saved = process.env.LOG_LEVEL;
    process.env.LOG_LEVEL = 'not-a-level';
    try {
      expect(loadConfig({}).LOG_LEVEL).toBe('info');
    } finally {
      if (saved === undefined) delete process.env.LOG_LEVEL;
      else process.env.LOG_LEVEL = saved;
    }
  });

  it('treats empty values as unset and normalises the values it reads', () => {
    const config = loadConfig({
      DEFAULT_POLICY: '  ',
      PORT: '',
      DEFAULT_COUNTRY: 'fr',
      SLACK_PRIVACY_TEAM_USERS: ' U1, U2,, ',
      REGISTER_RETENTION_MONTHS: '36',
    });
    expect(config.DEFAULT_POLICY).toBeUndefined();
    expect(config.PORT).toBe(3000);
    expect(config.DEFAULT_COUNTRY).toBe('FR');
    expect(config.SLACK_PRIVACY_TEAM_USERS).toEqual(['U1', 'U2']);
    expect(config.REGISTER_RETENTION_MONTHS).toBe(36);
  });

  it('throws one error that names every bad key', () => {
    const bad = {
      NODE_ENV: 'staging',
      LOG_LEVEL: 'loud',
      PRIVACY_OPS_STORE: 'mysql://db',
      DEFAULT_COUNTRY: 'Germany',
      DEFAULT_TIMEZONE: 'Mars/Olympus_Mons',
      REGISTER_RETENTION_MONTHS: '6',
      PORT: '70000',
    };
    const error = configError({ ...bad, POLICY_CORPUS: 'policies' });
    for (const key of Object.keys(bad)) expect(error.message).toMatch(new RegExp(`^\\s*${key}: `, 'm'));
    expect(error.message).not.toMatch(/POLICY_CORPUS/);
  });

  it('names the Slack keys that are missing together with the other bad keys', () => {
    const error = configError({ PORT: 'eighty', SLACK_BOT_TOKEN: 'xoxb-test' });
    expect(error.message).toMatch(/PORT/);
    expect(error.message).toMatch(/SLACK_SIGNING_SECRET/);
  });
});

describe('HOST (issue 15, point 5)', () => {
  it.each([['127.0.0.1'], ['::'], ['::1'], ['localhost'], ['privacy-ops.internal'], [' 10.0.0.5 ']])(
    'takes %j as the address to listen on',
    (host) => {
      expect(loadConfig({ HOST: host }).HOST).toBe(host.trim());
    },
  );

  it.each([['http://127.0.0.1'], ['127.0.0.1:3000'], ['my host'], ['-bad']])('refuses %j', (host) => {
    expect(configError({ HOST: host }).message).toMatch(/^\s*HOST: must be an IP address/m);
  });
});

describe('Slack configuration', () => {
  it('needs no Slack keys when Slack is off', () => {
    expect(() => loadConfig({ SLACK_PRIVACY_CHANNEL: 'C123', SLACK_PRIVACY_TEAM_USERS: 'U1' })).not.toThrow();
  });

  it('needs the signing secret with a bot token over HTTP', () => {
    const error = configError({ SLACK_BOT_TOKEN: 'xoxb-test' });
    expect(error.message).toMatch(/SLACK_SIGNING_SECRET/);
    expect(error.message).not.toMatch(/SLACK_APP_TOKEN/);
    expect(() => loadConfig({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'shh' })).not.toThrow();
  });

  it('needs the app token, not the signing secret, in Socket Mode', () => {
    const error = configError({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SOCKET_MODE: 'true' });
    expect(error.message).toMatch(/SLACK_APP_TOKEN/);
    expect(error.message).not.toMatch(/SLACK_SIGNING_SECRET/);
    const config = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SOCKET_MODE: 'yes',
      SLACK_APP_TOKEN: 'xapp-test',
    });
    expect(config.SLACK_SOCKET_MODE).toBe(true);
  });

  it('needs the bot token when only a signing secret is set', () => {
    expect(configError({ SLACK_SIGNING_SECRET: 'shh' }).message).toMatch(/SLACK_BOT_TOKEN/);
  });
});

describe('the privacy mailbox settings', () => {
  const slack = {
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: 'shh',
    SLACK_PRIVACY_CHANNEL: 'CPRIVACY',
  };
  it('are off by default, with IMAPS on 993 and the INBOX', () => {
    expect(loadConfig({})).toMatchObject({
      MAILBOX_PORT: 993,
      MAILBOX_TLS: true,
      MAILBOX_FOLDER: 'INBOX',
      MAILBOX_POLL_SECONDS: 60,
    });
    expect(loadConfig({}).MAILBOX_HOST).toBeUndefined();
  });

  it('take a password or an access token, and the rest as given', () => {
    const config = loadConfig({
      ...slack,
      MAILBOX_HOST: 'imap.gmail.com',
      MAILBOX_USER: 'privacy@example.org',
      MAILBOX_ACCESS_TOKEN: 'ya29.token',
      MAILBOX_PORT: '143',
      MAILBOX_TLS: 'false',
      MAILBOX_AUTO_LOG: 'true',
      MAILBOX_POLL_SECONDS: '30',
    });
    expect(config).toMatchObject({
      MAILBOX_PORT: 143,
      MAILBOX_TLS: false,
      MAILBOX_AUTO_LOG: true,
      MAILBOX_POLL_SECONDS: 30,
    });
  });

  it.each([
    [
      'no login',
      { ...slack, MAILBOX_HOST: 'imap.gmail.com', MAILBOX_PASSWORD: 'p' },
      /MAILBOX_USER: required with MAILBOX_HOST/,
    ],
    [
      'no secret',
      { ...slack, MAILBOX_HOST: 'imap.gmail.com', MAILBOX_USER: 'u' },
      /MAILBOX_PASSWORD: required with MAILBOX_HOST, or MAILBOX_ACCESS_TOKEN, or MAILBOX_OAUTH_TOKEN_URL[\s\S]*or MAILBOX_OAUTH_SERVICE_ACCOUNT_FILE \(Google Workspace\)/,
    ],
    [
      'both secrets',
      {
        ...slack,
        MAILBOX_HOST: 'imap.gmail.com',
        MAILBOX_USER: 'u',
        MAILBOX_PASSWORD: 'p',
        MAILBOX_ACCESS_TOKEN: 't',
      },
      /MAILBOX_ACCESS_TOKEN: set one of MAILBOX_PASSWORD, MAILBOX_ACCESS_TOKEN, the MAILBOX_OAUTH_ client credentials or MAILBOX_OAUTH_SERVICE_ACCOUNT_FILE, not several/,
    ],
    [
      'no privacy channel',
      {
        SLACK_BOT_TOKEN: 'xoxb-test',
        SLACK_SIGNING_SECRET: 'shh',
        MAILBOX_HOST: 'imap.gmail.com',
        MAILBOX_USER: 'u',
        MAILBOX_PASSWORD: 'p',
      },
      /MAILBOX_HOST: drafts from the mailbox go to the privacy channel/,
    ],
    [
      'a login without a server',
      { MAILBOX_USER: 'u', MAILBOX_PASSWORD: 'p' },
      /MAILBOX_HOST: required when MAILBOX_USER or MAILBOX_PASSWORD is set/,
    ],
    [
      'a URL for a host',
      { ...slack, MAILBOX_HOST: 'imaps://imap.gmail.com', MAILBOX_USER: 'u', MAILBOX_PASSWORD: 'p' },
      /MAILBOX_HOST: must be the IMAP server host name/,
    ],
    [
      'half of the client credentials',
      { ...slack, MAILBOX_HOST: 'outlook.office365.com', MAILBOX_USER: 'u', MAILBOX_OAUTH_CLIENT_ID: 'id' },
      /MAILBOX_OAUTH_TOKEN_URL: required with the other MAILBOX_OAUTH_ keys[\s\S]*MAILBOX_OAUTH_CLIENT_SECRET: required/,
    ],
    [
      'client credentials and a password',
      {
        ...slack,
        MAILBOX_HOST: 'outlook.office365.com',
        MAILBOX_USER: 'u',
        MAILBOX_PASSWORD: 'p',
        MAILBOX_OAUTH_TOKEN_URL: 'https://login.example/token',
        MAILBOX_OAUTH_CLIENT_ID: 'id',
        MAILBOX_OAUTH_CLIENT_SECRET: 's',
      },
      /not several/,
    ],
    [
      'a service account and a password',
      {
        ...slack,
        MAILBOX_HOST: 'imap.gmail.com',
        MAILBOX_USER: 'u',
        MAILBOX_PASSWORD: 'p',
        MAILBOX_OAUTH_SERVICE_ACCOUNT_FILE: '/etc/privacy-ops/key.json',
      },
      /not several/,
    ],
    [
      'a service account without a server',
      { MAILBOX_OAUTH_SERVICE_ACCOUNT_FILE: '/etc/privacy-ops/key.json' },
      /MAILBOX_HOST: required when MAILBOX_OAUTH_SERVICE_ACCOUNT_FILE is set/,
    ],
    ['a poll of zero seconds', { MAILBOX_POLL_SECONDS: '0' }, /MAILBOX_POLL_SECONDS/],
  ])('refuse %s, naming the key', (_, env, message) => {
    expect(configError(env).message).toMatch(message);
  });
});

describe('.env.example', () => {
  it('lists exactly the keys of the configuration schema', () => {
    expect([...envExample().keys()].sort()).toEqual(Object.keys(configSchema.shape).sort());
  });

  it('reads the same in a POSIX shell (`set -a; . ./.env`) as with Node', () => {
    const run = spawnSync(
      'sh',
      [
        '-c',
        'set -a; . "$0" && exec "$1" -e "process.stdout.write(JSON.stringify(process.env))"',
        EXAMPLE,
        process.execPath,
      ],
      { env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8' },
    );
    expect(run.stderr).toBe('');
    const fromShell = JSON.parse(run.stdout) as Record<string, string>;
    for (const [key, value] of envExample()) expect(fromShell[key], key).toBe(value);
  });

  it('shows the defaults that loadConfig applies', () => {
    const fromExample = loadConfig(Object.fromEntries(envExample()));
    expect(fromExample).toEqual(loadConfig({}));
  });
});

describe('bad values in words (issue 17, newcomer point 2)', () => {
  it.each([
    ['PORT', 'abc', /^ {2}PORT: is not a number; use a port number from 0 to 65535$/m],
    ['PORT', '80000', /^ {2}PORT: is above 65535; use a port number from 0 to 65535$/m],
    ['PORT', '"3000', /^ {2}PORT: has an opening quote \("\) with no closing one/m],
    ['REGISTER_RETENTION_MONTHS', '3', /^ {2}REGISTER_RETENTION_MONTHS: is below 24; use .* at least 24$/m],
    ['REGISTER_RETENTION_MONTHS', 'ten', /^ {2}REGISTER_RETENTION_MONTHS: is not a number; /m],
    ['LOG_LEVEL', 'loud', /^ {2}LOG_LEVEL: is not a log level; use one of fatal, .* or silent$/m],
    [
      'MAILBOX_POLL_SECONDS',
      '0.5',
      /^ {2}MAILBOX_POLL_SECONDS: is not a whole number; use whole seconds from 1 to 3600$/m,
    ],
  ])('%s=%s says the key, what is wrong and what is expected', (key, value, wording) => {
    const { message } = configError({ [key]: value });
    expect(message).toMatch(wording);
    expect(message).not.toMatch(/Invalid input|Too small|Too big|Invalid option|received NaN/);
  });

  it('never quotes the value of a secret', () => {
    const { message } = configError({ SLACK_BOT_TOKEN: 'secret-abc123', SLACK_SIGNING_SECRET: 'x' });
    expect(message).toMatch(/SLACK_BOT_TOKEN: does not start with xoxb-/);
    expect(message).not.toContain('secret-abc123');
  });
});

describe('settings refused at start-up instead of when first used (issue 17, newcomer point 1)', () => {
  it('refuses a DEFAULT_COUNTRY that has no holiday calendar, naming the key', () => {
    expect(configError({ DEFAULT_COUNTRY: 'XX' }).message).toMatch(
      /^ {2}DEFAULT_COUNTRY: is not a known country code .* such as DE/m,
    );
    expect(loadConfig({ DEFAULT_COUNTRY: 'fr' }).DEFAULT_COUNTRY).toBe('FR');
  });

  it.each([
    ['SLACK_BOT_TOKEN', { SLACK_BOT_TOKEN: 'abc', SLACK_SIGNING_SECRET: 'x' }, /xoxb-/],
    [
      'SLACK_APP_TOKEN',
      { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SOCKET_MODE: 'true', SLACK_APP_TOKEN: 'xoxb-1' },
      /xapp-/,
    ],
  ])('refuses a %s without its prefix', (key, env, prefix) => {
    const { message } = configError(env);
    expect(message).toMatch(new RegExp(`^ {2}${key}: does not start with ${prefix.source}`, 'm'));
  });
});
