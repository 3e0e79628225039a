import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
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
import { deliveryKey } from '../../../src/core/intake/service.js';
import { type App, startApp } from '../../../src/main.js';
import {
  cardOf,
  cardText,
  FakeBotConnector,
  PRIVACY_CHANNEL,
  postActivity,
  submitActions,
  LEAD as TEAMS_LEAD,
  TeamsActivities,
  type Where,
} from '../../fakes/bot-connector.js';
import {
  commandBody,
  type FakeSlackApi,
  interactionBody,
  postToSlackEndpoint,
  type RecordedCall,
  startFakeSlackApi,
} from '../../fakes/slack-api.js';

/**
 * The intake webhook's deliveries kept for a person, end to end: a real signed delivery over HTTP,
 * the real server (startApp), the loopback fakes of Slack's Web API and Teams' Bot Connector as the
 * privacy channel, and the draft's buttons pressed as the platforms send them. The draft is the
 * mailbox's (the same desk): Log it logs once with the delivery's received date, a retried
 * delivery is neither posted nor logged again, Not a request logs nothing.
 */

const INTAKE_SECRET = 'intake-secret-for-tests-0123456789abcdef';
const SLACK_SECRET = 'test-signing-secret-0123456789';
const LEAD = 'ULEAD';
const PRIVACY = 'CPRIVACY';
const examples = fileURLToPath(new URL('../../../examples/policies/', import.meta.url));

let dir: string;
let app: App | undefined;
let seq = 0;
const logLines: string[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'privacy-ops-intake-drafts-'));
});
afterEach(async () => {
  await app?.stop();
  app = undefined;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const form = (overrides: Record<string, unknown> = {}) => ({
  idempotencyKey: `form-${Date.now().toString(36)}-${++seq}`,
  requester: { name: 'Ana Silva', email: 'ana.silva@example.pt' },
  type: 'please delete all my data',
  country: 'Portugal',
  received: '2025-03-03',
  message: 'I closed my account last year; erase everything you hold on me.',
  source: 'web form',
  ...overrides,
});

/** Signs and posts a delivery over a real connection, as a sender would. */
function deliver(body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const raw = JSON.stringify(body);
  const at = Math.floor(Date.now() / 1000);
  return new Promise((resolve, reject) => {
    const req = httpRequest(`http://127.0.0.1:${app!.port}/api/intake`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [TIMESTAMP_HEADER]: String(at),
        [SIGNATURE_HEADER]: intakeSignature(INTAKE_SECRET, at, raw),
      },
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
        }),
      );
    });
    req.on('error', reject);
    req.end(raw);
  });
}

function common(store: string): Record<string, string> {
  return {
    INTAKE_SECRET,
    PORT: '0',
    REMINDERS_ENABLED: 'false',
    POLICY_CORPUS: examples,
    PRIVACY_OPS_STORE: `sqlite://${join(dir, store)}`,
    DEFAULT_TIMEZONE: 'Europe/Berlin',
    LOG_LEVEL: 'info',
  };
}

function logger() {
  return pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) });
}

/** Nothing the requester gave reaches the log. */
function expectNoPersonalDataLogged(): void {
  const log = logLines.join('');
  for (const personal of ['Ana', 'ana.silva', 'closed my account']) expect(log).not.toContain(personal);
}

describe('a delivery kept for a person, in Slack', () => {
  let fake: FakeSlackApi;

  beforeAll(async () => {
    fake = await startFakeSlackApi();
  });
  afterAll(async () => {
    await fake?.close();
  });
  beforeEach(() => {
    fake.reset();
    logLines.length = 0;
  });

  async function start(store: string): Promise<App> {
    app = await startApp(
      loadConfig({
        ...common(store),
        SLACK_BOT_TOKEN: 'xoxb-test',
        SLACK_SIGNING_SECRET: SLACK_SECRET,
        SLACK_API_URL: fake.url,
        SLACK_PRIVACY_CHANNEL: PRIVACY,
        SLACK_PRIVACY_TEAM_USERS: LEAD,
      }),
      logger(),
    );
    return app;
  }

  function draftsMentioning(marker: string): RecordedCall[] {
    return fake
      .callsTo('chat.postMessage')
      .filter((c) => c.args.channel === PRIVACY && JSON.stringify(c.args).includes(marker));
  }

  function buttonsOf(call: RecordedCall): { action_id: string; value: string; text: { text: string } }[] {
    const blocks = call.args.blocks as {
      type: string;
      elements?: { action_id: string; value: string; text: { text: string } }[];
    }[];
    return blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements ?? []);
  }

  /** Presses a button on the draft in the channel; the private reply and what replaced the draft. */
  async function press(actionId: string, value: string): Promise<{ reply: string; draftNow?: string }> {
    const id = `btn${++seq}`;
    const body = interactionBody({
      type: 'block_actions',
      token: 'legacy',
      api_app_id: 'A1',
      team: { id: 'T1' },
      user: { id: LEAD, username: 'lead', team_id: 'T1' },
      container: { type: 'message', message_ts: '1.1', channel_id: PRIVACY, is_ephemeral: false },
      trigger_id: `trig${seq}`,
      channel: { id: PRIVACY, name: 'privacy' },
      response_url: fake.responseUrl(id),
      actions: [
        {
          type: 'button',
          action_id: actionId,
          block_id: 'b1',
          value,
          text: { type: 'plain_text', text: 'x' },
          action_ts: `${Date.now() / 1000}`,
        },
      ],
    });
    const res = await postToSlackEndpoint(`http://127.0.0.1:${app!.port}/slack/events`, body, {
      secret: SLACK_SECRET,
    });
    expect(res.status).toBe(200);
    const reply = await fake.waitFor(() =>
      fake.responses.find((r) => r.id === id && r.body.response_type === 'ephemeral'),
    );
    const replaced = fake.responses.find((r) => r.id === id && r.body.replace_original === true);
    return {
      reply: JSON.stringify(reply.body),
      ...(replaced ? { draftNow: JSON.stringify(replaced.body) } : {}),
    };
  }

  it('posts the delivery as a draft; Log it logs it once with its received date; a retry is neither posted nor logged again', async () => {
    await start('slack-log.sqlite');
    const body = form();
    const kept = await deliver(body);
    expect(kept.status).toBe(202);
    expect(kept.body).toMatchObject({ status: 'pending', received: '2025-03-03', missing: [] });
    const draftId = kept.body.intakeId as string;
    expect(draftId).toMatch(/^INT-[0-9a-f]{12}$/);

    const [draft] = await fake.waitFor(
      () => draftsMentioning(draftId).length > 0 && draftsMentioning(draftId),
    );
    const shown = JSON.stringify(draft!.args);
    expect(shown).toContain('Ana Silva');
    expect(shown).toContain('ana.silva@example.pt');
    expect(shown).toContain('Received: 2025-03-03');
    expect(shown).toMatch(/Type: erasure/);
    expect(shown).toContain(body.idempotencyKey);
    const buttons = buttonsOf(draft!);
    expect(buttons.map((b) => b.text.text)).toEqual(['Log it', 'Edit', 'Not a request']);
    const log = buttons[0]!;

    const first = await press(log.action_id, log.value);
    expect(first.reply).toMatch(/Logged DSR-\d{4}-\d{4}/);
    expect(first.draftNow).toMatch(/Request from the intake webhook: logged as DSR-\d{4}-\d{4} by/);
    expect(first.draftNow).not.toContain('Ana');
    const logged = await app!.register.list({ status: ['all'] }, new Date());
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      type: 'erasure',
      regime: 'gdpr',
      country: 'PT',
      received: '2025-03-03',
      channel: 'web form',
    });

    // A second press, and the same delivery retried by the sender: nothing posted or logged again.
    const second = await press(log.action_id, log.value);
    expect(second.reply).toMatch(/logged already/);
    const retried = await deliver(body);
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ status: 'pending', intakeId: draftId, duplicate: true });
    await new Promise((r) => setTimeout(r, 300));
    expect(draftsMentioning(draftId)).toHaveLength(1);
    expect(await app!.register.list({ status: ['all'] }, new Date())).toHaveLength(1);
    expectNoPersonalDataLogged();
  }, 30_000);

  it('Not a request logs nothing, and the draft says who marked it', async () => {
    await start('slack-dismiss.sqlite');
    const kept = await deliver(form());
    expect(kept.status).toBe(202);
    const draftId = kept.body.intakeId as string;
    const [draft] = await fake.waitFor(
      () => draftsMentioning(draftId).length > 0 && draftsMentioning(draftId),
    );
    const dismiss = buttonsOf(draft!)[2]!;
    const { reply, draftNow } = await press(dismiss.action_id, dismiss.value);
    expect(reply).toMatch(/marked not a request/);
    expect(draftNow).toMatch(
      /Request from the intake webhook: not a request \(marked by .+\); nothing was logged/,
    );
    const log = buttonsOf(draft!)[0]!;
    expect((await press(log.action_id, log.value)).reply).toMatch(/marked not a request/);
    expect(await app!.register.list({ status: ['all'] }, new Date())).toHaveLength(0);
  }, 30_000);

  /** A slash command by the lead; its private answer. */
  async function slash(text: string): Promise<string> {
    const id = `cmd${++seq}`;
    const res = await postToSlackEndpoint(
      `http://127.0.0.1:${app!.port}/slack/events`,
      commandBody({ text, user: LEAD, responseUrl: fake.responseUrl(id) }),
      { secret: SLACK_SECRET },
    );
    expect(res.status).toBe(200);
    return JSON.stringify((await fake.waitFor(() => fake.responses.find((r) => r.id === id), 10_000)).body);
  }

  it("Edit makes an incomplete delivery the presser's own chat draft, logged under the delivery's key", async () => {
    await start('slack-edit.sqlite');
    const body = form({ country: undefined, type: 'access' });
    const kept = await deliver(body);
    expect(kept.status).toBe(202);
    expect(kept.body.missing).toEqual(['the law (or a country or state it follows from)']);
    const draftId = kept.body.intakeId as string;
    const [draft] = await fake.waitFor(
      () => draftsMentioning(draftId).length > 0 && draftsMentioning(draftId),
    );
    expect(JSON.stringify(draft!.args)).toContain('Not complete yet');
    const [log, edit] = buttonsOf(draft!);
    expect((await press(log!.action_id, log!.value)).reply).toMatch(/Not complete yet: Which law applies/);
    expect((await press(edit!.action_id, edit!.value)).reply).toMatch(/A new request so far/);
    expect(await slash('under the GDPR')).toMatch(/Log an access request from Ana Silva/);
    const said = await slash('yes');
    const number = /DSR-\d{4}-\d{4}/.exec(said)?.[0];
    expect(number).toBeDefined();
    const request = await app!.register.get(number!);
    expect(request).toMatchObject({ type: 'access', regime: 'gdpr', received: '2025-03-03' });
    expect(request.intakeKey).toBe(deliveryKey(body.idempotencyKey));
    // The draft in the channel now says it was logged; nothing is logged twice.
    expect((await press(log!.action_id, log!.value)).reply).toContain(`logged already, as ${number}`);
    expect(await app!.register.list({ status: ['all'] }, new Date())).toHaveLength(1);
  }, 30_000);

  it('a draft the channel could not take is posted again later, and logs as it would have', async () => {
    await start('slack-repost.sqlite');
    fake.failures.set('chat.postMessage', 'channel_not_found');
    const kept = await deliver(form());
    // The sender is answered: the delivery is kept, whatever the channel did.
    expect(kept.status).toBe(202);
    const draftId = kept.body.intakeId as string;
    // The fake records the refused attempt too.
    const refused = draftsMentioning(draftId).length;
    expect(refused).toBeGreaterThan(0);
    fake.failures.clear();
    // The next delivery finds the channel up again: the first draft is posted too, once.
    const next = await deliver(form({ requester: { name: 'Rui Costa', email: 'rui@example.pt' } }));
    expect(next.status).toBe(202);
    const [draft] = await fake.waitFor(
      () => draftsMentioning(draftId).length > 0 && draftsMentioning(draftId),
    );
    await fake.waitFor(() => draftsMentioning(next.body.intakeId as string).length > 0);
    const log = buttonsOf(draft!)[0]!;
    expect((await press(log.action_id, log.value)).reply).toMatch(/Logged DSR-/);
    await new Promise((r) => setTimeout(r, 300));
    expect(draftsMentioning(draftId)).toHaveLength(refused + 1);
    const logged = await app!.register.list({ status: ['all'] }, new Date());
    expect(logged).toHaveLength(1);
    expect(logged[0]?.received).toBe('2025-03-03');
  }, 30_000);
});

describe('a delivery kept for a person, in Teams', () => {
  const privacy: Where = { kind: 'channel', channel: PRIVACY_CHANNEL };
  let connector: FakeBotConnector;
  let teams: TeamsActivities;

  beforeAll(async () => {
    connector = await new FakeBotConnector().start();
    teams = new TeamsActivities(connector.url);
  });
  afterAll(async () => {
    await connector?.stop();
  });

  it('posts the draft as a card in the privacy channel, and Log it on the card logs it once', async () => {
    logLines.length = 0;
    app = await startApp(
      loadConfig({
        ...common('teams.sqlite'),
        TEAMS_DEV_MODE: 'true',
        TEAMS_PRIVACY_CHANNEL_ID: PRIVACY_CHANNEL,
        TEAMS_PRIVACY_TEAM_AAD_IDS: TEAMS_LEAD.aadObjectId,
      }),
      logger(),
    );
    // The bot can write to the channel once it has heard from it.
    expect((await postActivity(app.port, teams.message('help', privacy, TEAMS_LEAD))).status).toBe(200);
    await connector.waitFor(1);
    connector.clear();
    const body = form();
    const kept = await deliver(body);
    expect(kept.status).toBe(202);
    const draftId = kept.body.intakeId as string;
    const draft = await (async () => {
      for (let i = 0; i < 200; i++) {
        const found = connector.activities.find(
          (a) => a.conversationId === PRIVACY_CHANNEL && cardText(cardOf(a)).includes(draftId),
        );
        if (found) return found;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('no draft card in the privacy channel');
    })();
    expect(cardText(cardOf(draft))).toContain('Ana Silva');
    const actions = submitActions(cardOf(draft));
    expect(actions.map((a) => a.title)).toEqual(['Log it', 'Edit', 'Not a request']);
    connector.clear();
    expect((await postActivity(app.port, teams.submit(actions[0]!.data, privacy, TEAMS_LEAD))).status).toBe(
      200,
    );
    await connector.waitFor(2);
    const updated = connector.activities.find((a) => a.method === 'PUT');
    expect(cardText(cardOf(updated))).toMatch(/Request from the intake webhook: logged as DSR-\d{4}-0001 by/);
    expect(submitActions(cardOf(updated))).toEqual([]);
    const retried = await deliver(body);
    expect(retried.status).toBe(200);
    const logged = await app.register.list({ status: ['all'] }, new Date());
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ type: 'erasure', regime: 'gdpr', received: '2025-03-03' });
    expectNoPersonalDataLogged();
  }, 30_000);
});
