import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { createLogger } from '../../../src/logger.js';
import { type App, startApp } from '../../../src/main.js';
import { postActivity, TeamsActivities } from '../../fakes/bot-connector.js';

/**
 * TEAMS_DEV_MODE with a serviceUrl nothing listens on (the Emulator or Playground closed, issue 17):
 * the reply cannot be sent, and the log says so in one warn line with the error's class and code
 * and what to check, no stack trace and no personal data.
 */

const examples = fileURLToPath(new URL('../../../examples/policies/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'privacy-ops-teams-unreachable-'));
const lines: string[] = [];
let app: App;

beforeAll(async () => {
  const config = loadConfig({
    TEAMS_DEV_MODE: 'true',
    PORT: '0',
    REMINDERS_ENABLED: 'false',
    POLICY_CORPUS: examples,
    PRIVACY_OPS_STORE: `sqlite://${join(dir, 'register.sqlite')}`,
    LOG_LEVEL: 'info',
  });
  app = await startApp(config, createLogger('info', { write: (line: string) => void lines.push(line) }));
});

afterAll(async () => {
  await app?.stop();
  rmSync(dir, { recursive: true, force: true });
});

it('logs one line saying what to check, without a stack, when the serviceUrl cannot be reached', async () => {
  const teams = new TeamsActivities('http://127.0.0.1:1/');
  const before = lines.length;
  const res = await postActivity(
    app.port,
    teams.message('new DSAR from Maria Lopez <maria.lopez@example.es>'),
  );
  expect(res.status).toBe(200);
  await expect
    .poll(() => lines.slice(before).some((l) => /serviceUrl/.test(l)), { timeout: 10_000 })
    .toBe(true);
  await new Promise((r) => setTimeout(r, 300));
  const logged = lines.slice(before).map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(logged.filter((l) => l.msg === 'Teams turn failed')).toEqual([]);
  const line = logged.find((l) => /serviceUrl/.test(String(l.msg)))!;
  expect(line).toMatchObject({
    level: 40,
    code: 'ECONNREFUSED',
    serviceUrl: 'http://127.0.0.1:1',
    msg: expect.stringMatching(
      /Emulator or Agents Playground is still open, or that the serviceUrl is right/,
    ),
  });
  expect(typeof line.errorClass).toBe('string');
  const text = lines.slice(before).join('\n');
  expect(text).not.toMatch(/"stack"| {4}at /);
  expect(text).not.toMatch(/Maria|maria\.lopez/);
  expect(logged.filter((l) => (l.level as number) >= 50)).toEqual([]);
});
