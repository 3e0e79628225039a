import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { type App, startApp } from '../../../src/main.js';
import { completion, dataOf, FakeOpenAiApi } from '../../fakes/openai-api.js';
import { type FakeSlackApi, type RecordedCall, startFakeSlackApi } from '../../fakes/slack-api.js';
import { DOVECOT_MISSING, type Dovecot, startDovecot } from '../../helpers/dovecot.js';

/**
 * LLM_READ_MAIL end to end: a real IMAP server (a throwaway Dovecot), the real server (startApp)
 * watching it, the loopback fake Slack API as the privacy channel and the loopback fake OpenAI API
 * as the model. The composition root hands the model to the mailbox only when the setting is on.
 */

if (DOVECOT_MISSING) console.warn(DOVECOT_MISSING);

const PRIVACY = 'CPRIVACY';
const examples = fileURLToPath(new URL('../../../examples/policies/', import.meta.url));
const SENDER = 'ola.nordmann@example.com';

let imap: Dovecot;
let slack: FakeSlackApi;
let openai: FakeOpenAiApi;
let app: App | undefined;
let dir: string;
let seq = 0;
const logLines: string[] = [];

async function startServer(extra: Record<string, string>): Promise<App> {
  const config = loadConfig({
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: 'test-signing-secret-0123456789',
    SLACK_API_URL: slack.url,
    SLACK_PRIVACY_CHANNEL: PRIVACY,
    SLACK_PRIVACY_TEAM_USERS: 'ULEAD',
    PORT: '0',
    REMINDERS_ENABLED: 'false',
    POLICY_CORPUS: examples,
    PRIVACY_OPS_STORE: `sqlite://${join(dir, `register-${++seq}.sqlite`)}`,
    DEFAULT_TIMEZONE: 'UTC',
    LOG_LEVEL: 'info',
    MAILBOX_HOST: imap.host,
    MAILBOX_PORT: String(imap.port),
    MAILBOX_TLS: 'false',
    MAILBOX_USER: imap.user,
    MAILBOX_PASSWORD: imap.password,
    MAILBOX_POLL_SECONDS: '1',
    OPENAI_MODEL: 'fake-model',
    OPENAI_BASE_URL: openai.url,
    ...extra,
  });
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) });
  app = await startApp(config, logger);
  return app;
}

async function deliver(marker: string, body: string): Promise<void> {
  const raw = [
    `From: ${SENDER}`,
    'To: privacy@example.org',
    `Subject: About my account (${marker})`,
    `Message-ID: <${marker}@example.com>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    body,
    '',
  ].join('\r\n');
  await imap.deliver(raw, new Date(Date.now() - 3_600_000));
}

function draftMentioning(marker: string): RecordedCall | undefined {
  return slack
    .callsTo('chat.postMessage')
    .find((c) => c.args.channel === PRIVACY && JSON.stringify(c.args).includes(marker));
}

describe.skipIf(Boolean(DOVECOT_MISSING))(
  'the privacy mailbox read by the LLM (Dovecot, fake OpenAI)',
  () => {
    beforeAll(async () => {
      imap = await startDovecot();
      slack = await startFakeSlackApi();
      openai = await FakeOpenAiApi.start();
      dir = mkdtempSync(join(tmpdir(), 'privacy-ops-mail-llm-e2e-'));
    }, 30_000);

    afterEach(async () => {
      await app?.stop();
      app = undefined;
    });

    afterAll(async () => {
      await slack?.close();
      await openai?.stop();
      await imap?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    beforeEach(() => {
      slack.reset();
      openai.reset();
    });

    const answer = completion({
      isRightsRequest: true,
      type: 'erasure',
      country: 'NO',
      state: null,
      requesterName: null,
    });

    it('with LLM_READ_MAIL=true, the draft carries the type and place the model read, marked; no address is sent', {
      timeout: 60_000,
    }, async () => {
      openai.always(answer);
      await startServer({ LLM_READ_MAIL: 'true' });
      await deliver('llm-on-1', 'I want every trace of me gone from your systems.\nOla');
      const draft = await slack.waitFor(() => draftMentioning('llm-on-1'), 45_000);
      const text = JSON.stringify(draft.args);
      expect(text).toContain('Type: erasure (read by the LLM)');
      expect(text).toContain('Law: EU GDPR (read by the LLM)');
      expect(openai.requests).toHaveLength(1);
      expect(openai.requests[0]!.raw).not.toContain(SENDER);
      expect(dataOf(openai.requests[0]!).text).toContain('every trace of me gone');
      // The log names the task, never the mail's words.
      const log = logLines.join('\n');
      expect(log).toContain('mail_read');
      expect(log).not.toContain('every trace');
    });

    it('with an LLM configured but LLM_READ_MAIL unset, the mail is drafted offline and the model gets nothing', {
      timeout: 60_000,
    }, async () => {
      openai.always(answer);
      await startServer({});
      await deliver('llm-off-1', 'I want every trace of me gone from your systems.\nOla');
      const draft = await slack.waitFor(() => draftMentioning('llm-off-1'), 45_000);
      const text = JSON.stringify(draft.args);
      expect(text).toContain('Type: not given yet');
      expect(text).not.toContain('read by the LLM');
      expect(openai.requests).toHaveLength(0);
    });
  },
);
