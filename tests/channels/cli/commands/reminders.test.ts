import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../src/config.js';
import { ReminderStore } from '../../../../src/core/reminders/store.js';
import { createLogger } from '../../../../src/logger.js';
import { run, startApp } from '../../../../src/main.js';
import { openRegisterStore } from '../../../../src/store/register-store.js';
import {
  FakeBotConnector,
  PRIVACY_CHANNEL,
  postActivity,
  STAFF,
  TeamsActivities,
} from '../../../fakes/bot-connector.js';
import { FakeSlack } from '../../../helpers/reminder-fake-slack.js';

/**
 * `privacy-ops reminders due|run` end to end: in-process through `run` with a pinned clock, and
 * once through the built bin/privacy-ops. `due` and a run without Slack record nothing.
 */

let dir: string;
let env: Record<string, string>;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'privacy-ops-reminders-'));
  env = {
    PRIVACY_OPS_STORE: `sqlite://${join(dir, 'register.sqlite')}`,
    PRIVACY_OPS_ACTOR: 'alice',
    DEFAULT_COUNTRY: 'DE',
    DEFAULT_TIMEZONE: 'Europe/Berlin',
  };
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function cli(
  argv: string[],
  now = new Date('2026-11-25T10:00:00Z'),
  extra: Record<string, string> = {},
) {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, {
    env: { ...env, ...extra },
    now: () => now,
    out: (t) => {
      stdout += t;
    },
    err: (t) => {
      stderr += t;
    },
  });
  return { code, stdout, stderr };
}

/** Two requests: one owned by a Slack user, one by a name; both due Wednesday 2 December 2026. */
async function seed() {
  for (const owner of ['U0BERLIN1', 'alice']) {
    const added = await cli([
      'requests',
      'add',
      '--type',
      'erasure',
      '--regime',
      'gdpr',
      '--received',
      '2026-11-02',
      '--requester-name',
      'Jane Doe',
      '--requester-email',
      'jane@example.org',
      '--owner',
      owner,
    ]);
    expect(added.code).toBe(0);
  }
}

async function outboxSize(): Promise<number> {
  const store = await openRegisterStore(env.PRIVACY_OPS_STORE!);
  try {
    return (await new ReminderStore(store.backend).entries()).length;
  } finally {
    await store.close();
  }
}

describe('privacy-ops reminders', () => {
  it('due --at lists request, deadline, stage and recipient, and records nothing', async () => {
    await seed();
    // Tuesday 1 December 2026, 10:00 in Berlin: the d1 stage of both requests.
    const { code, stdout, stderr } = await cli([
      'reminders',
      'due',
      '--at',
      '2026-12-01T09:00:00Z',
      '--json',
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const parsed = JSON.parse(stdout) as { at: string; reminders: Array<Record<string, string>> };
    expect(parsed.at).toBe('2026-12-01T09:00:00.000Z');
    const rows = parsed.reminders.map((r) => `${r.requestId} ${r.deadline} ${r.stage} ${r.recipient}`);
    expect(rows).toEqual([
      'DSR-2026-0001 response d1 dm:U0BERLIN1',
      'DSR-2026-0001 response d1 channel',
      'DSR-2026-0002 response d1 channel (mentions alice)',
      'null null digest:2026-12-01 channel',
    ]);
    expect(stdout).not.toMatch(/Jane|jane@/);
    const text = await cli(['reminders', 'due', '--at', '2026-12-01T09:00:00Z']);
    expect(text.stdout).toMatch(
      /^4 message\(s\) due at 2026-12-01T09:00:00.000Z:\nrequest\s+deadline\s+due\s+stage\s+recipient\n/,
    );
    expect(await outboxSize()).toBe(0);
  });

  it('run --once without Slack prints what it would send and records nothing', async () => {
    await seed();
    const { code, stdout } = await cli(['reminders', 'run', '--once'], new Date('2026-12-01T09:00:00Z'));
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /Slack is not configured \(SLACK_BOT_TOKEN\), so nothing was sent and nothing was recorded/,
    );
    expect(stdout).toMatch(/DSR-2026-0001\s+response\s+2026-12-02\s+d1\s+dm:U0BERLIN1/);
    expect(await outboxSize()).toBe(0);
  });

  it('run --once with Slack delivers, records, and does not send twice', async () => {
    await seed();
    const slack = await FakeSlack.start({ users: { U0BERLIN1: 'Europe/Berlin' } });
    try {
      const slackEnv = {
        SLACK_BOT_TOKEN: 'xoxb-test',
        SLACK_SIGNING_SECRET: 'secret',
        SLACK_API_URL: slack.url,
        SLACK_PRIVACY_CHANNEL: 'C0PRIVACY',
      };
      const at = new Date('2026-12-01T09:00:00Z');
      const first = await cli(['reminders', 'run', '--once', '--json'], at, slackEnv);
      expect(first.code).toBe(0);
      expect(JSON.parse(first.stdout)).toMatchObject({ dryRun: false, enqueued: 3, sent: 4, failed: 0 });
      const again = await cli(['reminders', 'run', '--once'], new Date('2026-12-01T09:30:00Z'), slackEnv);
      expect(again.stdout).toMatch(/0 reminder\(s\) recorded; 0 message\(s\) sent/);
      expect(slack.posts).toHaveLength(4);
      // What was sent is no longer due.
      const due = await cli(['reminders', 'due', '--at', '2026-12-01T09:30:00Z', '--json']);
      expect(JSON.parse(due.stdout).reminders).toEqual([]);
    } finally {
      await slack.close();
    }
  });

  it('refuses bad usage with exit 64 and a bad instant with 65', async () => {
    expect((await cli(['reminders', 'due'])).code).toBe(64);
    expect((await cli(['reminders', 'run'])).stderr).toMatch(/add --once/);
    expect((await cli(['reminders', 'due', '--at', '2026-12-01'])).code).toBe(65);
    expect((await cli(['reminders', 'frobnicate'])).code).toBe(64);
  });

  it('works through the built bin/privacy-ops', () => {
    const bin = join(import.meta.dirname, '..', '..', '..', '..', 'bin', 'privacy-ops');
    const result = spawnSync(
      process.execPath,
      [bin, 'reminders', 'due', '--at', '2026-12-01T09:00:00Z', '--json'],
      {
        env: { ...process.env, ...env },
        encoding: 'utf8',
      },
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ at: '2026-12-01T09:00:00.000Z', reminders: [] });
  });
});

/**
 * `run --once` is a mode of the composition root, so it delivers through the server's Slack and
 * Teams delivery (issue 13): a Teams owner is messaged in their personal chat with the bot, through
 * the loopback Bot Connector, as the server's loop would message them.
 */
describe('privacy-ops reminders run --once with Teams configured', () => {
  const examples = join(import.meta.dirname, '..', '..', '..', '..', 'examples', 'policies');
  const personalChat = `a:personal-${STAFF.aadObjectId.slice(0, 8)}`;

  /** Teams in dev mode over the register's store; the privacy channel is the fake's. */
  const teamsEnv = (connector: FakeBotConnector) => ({
    TEAMS_DEV_MODE: 'true',
    TEAMS_PRIVACY_CHANNEL_ID: PRIVACY_CHANNEL,
    POLICY_CORPUS: examples,
    LOG_LEVEL: 'silent',
    // Not read by dev mode; keeps a stray credential check on the loopback fake.
    MICROSOFT_LOGIN_URL: connector.url,
  });

  /**
   * Sam writes to the bot once through the real server, which stores the conversation reference a
   * proactive message needs; then the server stops, as it may before an operator runs the CLI.
   */
  async function samWritesToTheBot(connector: FakeBotConnector) {
    const config = loadConfig({
      ...env,
      ...teamsEnv(connector),
      PORT: '0',
      HOST: '127.0.0.1',
      REMINDERS_ENABLED: 'false',
    });
    const app = await startApp(config, createLogger('silent'));
    try {
      const hello = new TeamsActivities(connector.url).message('hello', { kind: 'personal' }, STAFF);
      expect((await postActivity(app.port, hello)).status).toBe(200);
      await connector.waitFor(1);
    } finally {
      await app.stop();
    }
    connector.clear();
  }

  /** A request owned by `owner`, due Wednesday 2 December 2026 (d1 on Tuesday 1 December). */
  async function requestOwnedBy(owner: string) {
    const added = await cli([
      'requests',
      'add',
      '--type',
      'access',
      '--regime',
      'gdpr',
      '--received',
      '2026-11-02',
      '--requester-name',
      'Jane Doe',
      '--requester-email',
      'jane@example.org',
      '--owner',
      owner,
      '--json',
    ]);
    expect(added.code, added.stderr).toBe(0);
    return (JSON.parse(added.stdout) as { id: string }).id;
  }

  it('reaches a Teams owner in their personal chat, and the Teams privacy channel', async () => {
    const connector = await new FakeBotConnector().start();
    try {
      await samWritesToTheBot(connector);
      // "Assign to me" in Teams records the display name Teams knows the person by.
      const id = await requestOwnedBy(STAFF.name);
      const at = new Date('2026-12-01T09:00:00Z');
      const first = await cli(['reminders', 'run', '--once', '--json'], at, teamsEnv(connector));
      expect(first.stderr).toBe('');
      expect(first.code).toBe(0);
      // The owner's d1 reminder, its channel copy and the digest.
      expect(JSON.parse(first.stdout)).toMatchObject({ dryRun: false, enqueued: 2, sent: 3, failed: 0 });
      const dms = connector.activities.filter((a) => a.conversationId === personalChat);
      expect(dms).toHaveLength(1);
      expect(JSON.stringify(dms[0]!.activity.attachments)).toContain(`${id} (access, EU GDPR) is in 1 day`);
      expect(connector.activities.filter((a) => a.conversationId === PRIVACY_CHANNEL)).toHaveLength(2);
      // Recorded: a second run sends nothing again.
      const again = await cli(
        ['reminders', 'run', '--once'],
        new Date('2026-12-01T09:30:00Z'),
        teamsEnv(connector),
      );
      expect(again.stdout).toMatch(/0 reminder\(s\) recorded; 0 message\(s\) sent/);
      expect(connector.activities).toHaveLength(3);
    } finally {
      await connector.stop();
    }
  });

  it('with Slack too, messages each owner on their own platform', async () => {
    const connector = await new FakeBotConnector().start();
    const slack = await FakeSlack.start({ users: { U0BERLIN1: 'Europe/Berlin' } });
    try {
      await samWritesToTheBot(connector);
      await requestOwnedBy('U0BERLIN1');
      await requestOwnedBy(STAFF.name);
      const both = {
        ...teamsEnv(connector),
        SLACK_BOT_TOKEN: 'xoxb-test',
        SLACK_SIGNING_SECRET: 'secret',
        SLACK_API_URL: slack.url,
        SLACK_PRIVACY_CHANNEL: 'C0PRIVACY',
      };
      const result = await cli(
        ['reminders', 'run', '--once', '--json'],
        new Date('2026-12-01T09:00:00Z'),
        both,
      );
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ dryRun: false, failed: 0 });
      expect(slack.posts.filter((p) => p.channel === 'DU0BERLIN1')).toHaveLength(1);
      expect(connector.activities.filter((a) => a.conversationId === personalChat)).toHaveLength(1);
      // Neither owner's reminder went to the other platform.
      expect(slack.posts.some((p) => p.channel === `D${STAFF.name}`)).toBe(false);
    } finally {
      await slack.close();
      await connector.stop();
    }
  });
});
