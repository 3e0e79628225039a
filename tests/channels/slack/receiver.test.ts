import { createHmac } from 'node:crypto';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpServer } from '../../../src/channels/http.js';
import { SlackChannel } from '../../../src/channels/slack/index.js';
import { parseSlackBody } from '../../../src/channels/slack/receiver.js';
import { ConversationEngine } from '../../../src/core/conversation/engine.js';
import type { PolicyAnswerer } from '../../../src/core/policy/answer.js';
import {
  type FakeSlackApi,
  postToSlackEndpoint,
  slackSignature,
  startFakeSlackApi,
} from '../../fakes/slack-api.js';

/**
 * Request signing against Slack's own worked example (docs.slack.dev/authentication/
 * verifying-requests-from-slack), through the real receiver mounted on a test HttpServer, with the
 * receiver's clock injected so the 2018 timestamp is "now".
 */

const DOC_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const DOC_TS = 1531420618;
const DOC_BODY =
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const DOC_SIGNATURE = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function mounted(
  fake: FakeSlackApi,
  nowSeconds: number,
): Promise<{ url: string; channel: SlackChannel }> {
  const logger = pino({ level: 'silent' });
  const engine = new ConversationEngine({
    answerer: {} as PolicyAnswerer,
    defaultCountry: 'DE',
    defaultTimeZone: 'UTC',
  });
  const channel = new SlackChannel({
    engine,
    logger,
    botToken: 'xoxb-test',
    signingSecret: DOC_SECRET,
    apiUrl: fake.url,
    defaultTimeZone: 'UTC',
    now: () => new Date(nowSeconds * 1000),
  });
  const http = new HttpServer(logger);
  channel.mount(http);
  await channel.start();
  const port = await http.start(0, '127.0.0.1');
  cleanups.push(async () => {
    await http.stop();
    await channel.stop();
  });
  return { url: `http://127.0.0.1:${port}/slack/events`, channel };
}

const docHeaders = { 'x-slack-request-timestamp': String(DOC_TS), 'x-slack-signature': DOC_SIGNATURE };

describe("Slack's documented signing example", () => {
  it('is what v0 HMAC-SHA256 over "v0:<timestamp>:<body>" gives', () => {
    const own = `v0=${createHmac('sha256', DOC_SECRET).update(`v0:${DOC_TS}:${DOC_BODY}`).digest('hex')}`;
    expect(own).toBe(DOC_SIGNATURE);
    expect(slackSignature(DOC_SECRET, DOC_TS, DOC_BODY)).toBe(DOC_SIGNATURE);
  });

  it('verifies through the real receiver when its clock is within five minutes', async () => {
    const fake = await startFakeSlackApi();
    cleanups.push(() => fake.close());
    const { url } = await mounted(fake, DOC_TS + 299);
    const res = await postToSlackEndpoint(url, DOC_BODY, { headers: docHeaders });
    expect(res.status).toBe(200);
    // /webhook-collect is not ours: a pointer to /privacy, not a timeout.
    expect(JSON.parse(res.body)).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringMatching(/\/privacy/),
    });
    // Bolt needs auth.test before it dispatches (the known trap); it was asked once, at start.
    expect(fake.callsTo('auth.test')).toHaveLength(1);
    // The same signed request again is a replay.
    expect((await postToSlackEndpoint(url, DOC_BODY, { headers: docHeaders })).status).toBe(401);
  });

  it('is refused once the timestamp is more than five minutes old, or ahead', async () => {
    const fake = await startFakeSlackApi();
    cleanups.push(() => fake.close());
    for (const skew of [301, -301]) {
      const { url } = await mounted(fake, DOC_TS + skew);
      expect((await postToSlackEndpoint(url, DOC_BODY, { headers: docHeaders })).status).toBe(401);
    }
  });

  it('is refused when one byte of the body changes', async () => {
    const fake = await startFakeSlackApi();
    cleanups.push(() => fake.close());
    const { url } = await mounted(fake, DOC_TS);
    const res = await postToSlackEndpoint(url, DOC_BODY.replace('roadrunner', 'roadrunnex'), {
      headers: docHeaders,
    });
    expect(res.status).toBe(401);
  });
});

describe('reading Slack bodies', () => {
  it('reads form posts, interactivity payloads and JSON, and refuses anything else', () => {
    expect(parseSlackBody('command=%2Fprivacy&text=hi', 'application/x-www-form-urlencoded')).toMatchObject({
      command: '/privacy',
      text: 'hi',
    });
    expect(
      parseSlackBody(
        'payload=%7B%22type%22%3A%22block_actions%22%7D',
        'application/x-www-form-urlencoded; charset=utf-8',
      ),
    ).toEqual({
      type: 'block_actions',
    });
    expect(parseSlackBody('{"type":"event_callback"}', 'application/json')).toEqual({
      type: 'event_callback',
    });
    expect(() => parseSlackBody('<xml/>', 'text/xml')).toThrow(/content type/);
    expect(() => parseSlackBody('"just a string"', 'application/json')).toThrow(/not an object/);
  });
});
