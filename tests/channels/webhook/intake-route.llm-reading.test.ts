import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  intakeSignature,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
} from '../../../src/channels/webhook/intake-route.js';
import { loadConfig } from '../../../src/config.js';
import { type App, startApp } from '../../../src/main.js';
import { completion, dataOf, FakeOpenAiApi } from '../../fakes/openai-api.js';
import { type FakeSlackApi, type RecordedCall, startFakeSlackApi } from '../../fakes/slack-api.js';

/**
 * LLM_READ_MAIL for web forms, end to end: the real server (startApp) with the signed intake
 * webhook, the loopback fake Slack API as the privacy channel and the loopback fake OpenAI API as
 * the model. The composition root hands the model to the webhook's drafts only when the setting is
 * on, as it does the mailbox's.
 */

const SECRET = 'intake-secret-for-tests-0123456789abcdef';
const PRIVACY = 'CPRIVACY';
const EMAIL = 'kari.nordmann@example.no';
const examples = fileURLToPath(new URL('../../../examples/policies/', import.meta.url));

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
    INTAKE_SECRET: SECRET,
    PORT: '0',
    REMINDERS_ENABLED: 'false',
    POLICY_CORPUS: examples,
    PRIVACY_OPS_STORE: `sqlite://${join(dir, `register-${++seq}.sqlite`)}`,
    DEFAULT_TIMEZONE: 'UTC',
    LOG_LEVEL: 'info',
    OPENAI_MODEL: 'fake-model',
    OPENAI_BASE_URL: openai.url,
    ...extra,
  });
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) });
  app = await startApp(config, logger);
  return app;
}

/** Signs and posts a web form's delivery, as a sender would. */
async function submit(marker: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const raw = JSON.stringify({
    idempotencyKey: `form-${marker}-${Date.now().toString(36)}`,
    requester: { email: EMAIL },
    type: 'Privacy request',
    message: `I want every trace of me gone from your systems (${marker}).`,
    source: 'web form',
  });
  const at = Math.floor(Date.now() / 1000);
  const res = await fetch(`http://127.0.0.1:${app!.port}/api/intake`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [TIMESTAMP_HEADER]: String(at),
      [SIGNATURE_HEADER]: intakeSignature(SECRET, at, raw),
    },
    body: raw,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

function draftMentioning(marker: string): RecordedCall | undefined {
  return slack
    .callsTo('chat.postMessage')
    .find((c) => c.args.channel === PRIVACY && JSON.stringify(c.args).includes(marker));
}

describe('web-form messages read by the LLM (fake OpenAI)', () => {
  beforeAll(async () => {
    slack = await startFakeSlackApi();
    openai = await FakeOpenAiApi.start();
    dir = mkdtempSync(join(tmpdir(), 'privacy-ops-intake-llm-e2e-'));
  });

  afterEach(async () => {
    await app?.stop();
    app = undefined;
  });

  afterAll(async () => {
    await slack?.close();
    await openai?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(() => {
    slack.reset();
    openai.reset();
    logLines.length = 0;
  });

  const answer = completion({
    isRightsRequest: true,
    type: 'erasure',
    country: 'NO',
    state: null,
    requesterName: null,
  });

  it('with LLM_READ_MAIL=true, the draft carries the type and place the model read, marked; no address is sent', async () => {
    openai.always(answer);
    await startServer({ LLM_READ_MAIL: 'true' });
    const sent = await submit('form-llm-on');
    expect(sent.status).toBe(202);
    const draft = await slack.waitFor(() => draftMentioning('form-llm-on'), 10_000);
    const text = JSON.stringify(draft.args);
    expect(text).toContain('Type: erasure (read by the LLM)');
    expect(text).toContain('Law: EU GDPR (read by the LLM)');
    expect(openai.requests).toHaveLength(1);
    expect(openai.requests[0]!.raw).not.toContain(EMAIL);
    expect(dataOf(openai.requests[0]!).text).toContain('every trace of me gone');
    // The log names the task, never the requester's words or address.
    const log = logLines.join('\n');
    expect(log).toContain('mail_read');
    expect(log).not.toContain('every trace');
    expect(log).not.toContain(EMAIL);
  });

  it('with an LLM configured but LLM_READ_MAIL unset, the form is drafted offline and the model gets nothing', async () => {
    openai.always(answer);
    await startServer({});
    expect((await submit('form-llm-off')).status).toBe(202);
    const draft = await slack.waitFor(() => draftMentioning('form-llm-off'), 10_000);
    const text = JSON.stringify(draft.args);
    expect(text).toContain('Type: not given yet');
    expect(text).not.toContain('read by the LLM');
    expect(openai.requests).toHaveLength(0);
  });
});
