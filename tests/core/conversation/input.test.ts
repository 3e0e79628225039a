import { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CommandContext } from '../../../src/channels/cli/command.js';
import { chatCommand } from '../../../src/channels/cli/commands/chat.js';
import { HttpServer } from '../../../src/channels/http.js';
import { BotFrameworkTransport } from '../../../src/channels/teams/bot-framework.js';
import { TeamsChannel, type TeamsEngine } from '../../../src/channels/teams/channel.js';
import { TeamsStore } from '../../../src/channels/teams/store.js';
import { MAX_INPUT_CHARS, overLongLine, typoHint } from '../../../src/core/conversation/input.js';
import type { Reply, Turn } from '../../../src/core/conversation/reply.js';
import { MAX_QUESTION_CHARS } from '../../../src/core/policy/answer.js';
import { createLogger } from '../../../src/logger.js';
import {
  cardOf,
  cardText,
  FakeBotConnector,
  postActivity,
  TeamsActivities,
} from '../../fakes/bot-connector.js';

/**
 * What every channel checks of a line before the engine reads it (issue 13, "one house"): one cap
 * on its length with one message, and one typo hint for a mistyped command, the same in Slack,
 * Teams and the console chat.
 */

const ENGINE_SAYS = 'the engine answered';
const answer = (text: string): Reply => ({ blocks: [{ kind: 'text', text }], text, personal: false });

/** An engine that records what reached it. */
function recordingEngine() {
  const seen: string[] = [];
  const engine: TeamsEngine = {
    handle: async (turn: Turn) => {
      seen.push(turn.text);
      return answer(ENGINE_SAYS);
    },
    act: async () => answer(ENGINE_SAYS),
    submitRequest: async () => answer(ENGINE_SAYS),
  };
  return { engine, seen };
}

/** Runs the console chat over `lines` with a recording engine; returns what it printed. */
async function consoleChat(lines: string[]): Promise<{ out: string; seen: string[] }> {
  const { engine, seen } = recordingEngine();
  let out = '';
  const ctx = {
    argv: [],
    settings: { corpusDir: '/nowhere', actor: 'tester', timeZone: 'UTC' },
    services: {
      openConsole: async () => ({
        corpus: { policies: [] },
        register: { refresh: async () => {} },
        engine,
        close: async () => {},
      }),
    },
    stdin: Readable.from(lines.map((l) => `${l}\n`)),
    out: (text: string) => {
      out += text;
    },
    err: () => {},
    now: () => new Date('2026-03-10T10:00:00Z'),
  } as unknown as CommandContext;
  expect(await chatCommand.run(ctx)).toBe(0);
  return { out, seen };
}

describe('the one cap on a line', () => {
  it('is the cap the core already puts on a question', () => {
    expect(MAX_INPUT_CHARS).toBe(MAX_QUESTION_CHARS);
    expect(MAX_INPUT_CHARS).toBe(2000);
  });

  it('lets a line of the cap through and refuses a longer one with one message', () => {
    expect(overLongLine('x'.repeat(MAX_INPUT_CHARS))).toBeUndefined();
    expect(overLongLine('x'.repeat(MAX_INPUT_CHARS + 1))).toBe(
      'That message is 2001 characters long; keep it under 2000 (one question at a time).',
    );
  });

  it('is applied by the console chat before the engine reads the line', async () => {
    const long = `why ${'x'.repeat(2500)}?`;
    const { out, seen } = await consoleChat([long, 'how long do we keep logs?']);
    expect(out).toContain(overLongLine(long)!);
    expect(seen).toEqual(['how long do we keep logs?']);
  });
});

describe('the one typo hint', () => {
  const now = new Date('2026-03-10T10:00:00Z');

  it('names the bare command where commands are typed bare, the prefixed one in Slack', () => {
    expect(typoHint('reqests', now)).toMatch(/did you mean "requests"/);
    expect(typoHint('reqests', now)).toMatch(/or type "help"/);
    expect(typoHint('reqests', now, { command: '/privacy' })).toMatch(/did you mean `\/privacy requests`/);
  });

  it('is offered only for what the core would read as a question', () => {
    expect(typoHint('shwo DSR-2026-0001', now)).toMatch(/did you mean "show"/);
    expect(typoHint('how long do we keep logs?', now)).toBeUndefined();
    expect(typoHint('requests overdue', now)).toBeUndefined();
    expect(typoHint('help', now)).toBeUndefined();
    // The core reads it as something else than a question: no hint.
    expect(typoHint('reqests', now, { kind: 'help' })).toBeUndefined();
  });

  it('is offered by the console chat instead of asking the engine', async () => {
    const { out, seen } = await consoleChat(['shwo DSR-2026-0001', 'reqests']);
    expect(out).toContain(typoHint('shwo DSR-2026-0001', now)!);
    expect(out).toContain(typoHint('reqests', now)!);
    expect(seen).toEqual([]);
  });
});

describe('Teams: the one cap and the one hint', () => {
  let connector: FakeBotConnector;
  let http: HttpServer;
  let store: TeamsStore;
  let channel: TeamsChannel;
  let port: number;
  let teams: TeamsActivities;
  const recorded = recordingEngine();

  beforeAll(async () => {
    connector = await new FakeBotConnector().start();
    teams = new TeamsActivities(connector.url);
    store = await TeamsStore.open('memory://');
    http = new HttpServer(createLogger('silent'));
    channel = new TeamsChannel({
      engine: recorded.engine,
      store,
      transport: new BotFrameworkTransport({}),
      logger: createLogger('silent'),
      privacyTeam: [],
      loopbackOnly: true,
      policies: [],
      defaultTimeZone: 'UTC',
    });
    channel.mount(http);
    port = await http.start(0, '127.0.0.1');
  });

  afterAll(async () => {
    await http?.stop();
    await channel?.stop();
    await store?.close();
    await connector?.stop();
  });

  beforeEach(() => {
    connector.clear();
    recorded.seen.length = 0;
  });

  async function say(text: string): Promise<string> {
    connector.clear();
    await postActivity(port, teams.message(text));
    const [reply] = await connector.waitFor(1);
    return cardText(cardOf(reply));
  }

  it('refuses a line over the cap with the same message as Slack and the console', async () => {
    const long = `what ${'about '.repeat(400)}`.trim();
    expect(long.length).toBeGreaterThan(MAX_INPUT_CHARS);
    expect(await say(long)).toContain(overLongLine(long)!);
    expect(recorded.seen).toEqual([]);
  });

  it('offers the typo hint Slack offers, naming the bare command', async () => {
    expect(await say('reqests')).toContain(typoHint('reqests', new Date())!);
    expect(await say('shwo DSR-2026-0001')).toMatch(/did you mean "show"/);
    expect(recorded.seen).toEqual([]);
    expect(await say('how long do we keep logs?')).toContain(ENGINE_SAYS);
  });
});
