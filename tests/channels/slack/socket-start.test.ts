import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterAll, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { startApp } from '../../../src/main.js';

/**
 * Socket Mode with Slack out of reach (issue 17): the line logged while start-up waits says that
 * it waits (up to the bound) for Slack, never that it "will retry on the first event", since
 * start-up then stops in one sentence.
 */

const examples = fileURLToPath(new URL('../../../examples/policies/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'privacy-ops-slack-wait-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('says it is waiting for Slack, and promises no retry, before stopping start-up', async () => {
  const lines: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
  const start = startApp(
    loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SOCKET_MODE: 'true',
      SLACK_APP_TOKEN: 'xapp-test',
      SLACK_API_URL: 'http://127.0.0.1:1/api/',
      PORT: '0',
      REMINDERS_ENABLED: 'false',
      POLICY_CORPUS: examples,
      PRIVACY_OPS_STORE: `sqlite://${join(dir, 'register.sqlite')}`,
    }),
    logger,
    { slackConnectTimeoutMs: 1_500 },
  );
  await expect(start).rejects.toMatchObject({ code: 'CONFIG' });
  const messages = lines.map((l) => JSON.parse(l) as { msg: string }).map((l) => l.msg);
  expect(messages.filter((m) => /could not reach Slack/.test(m))).toEqual([
    'could not reach Slack at start-up; waiting up to 2 s for Slack in Socket Mode',
  ]);
  expect(messages.join('\n')).not.toMatch(/will retry/);
});
