import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConversationEngine } from '../../../src/core/conversation/engine.js';
import type { PolicyAnswerer } from '../../../src/core/policy/answer.js';
import { openPolicies } from '../../../src/core/policy/service.js';
import { Register } from '../../../src/core/requests/register.js';
import { openRegisterStore } from '../../../src/store/register-store.js';
import {
  ROUND_5,
  ROUND_6,
  ROUND_7,
  ROUND_9,
  ROUND_10,
  ROUND_11,
  ROUND_12,
  ROUND_13,
  UTTERANCES,
  type Utterance,
} from '../../fixtures/utterances.js';
import { type Fixture, judge, seed } from '../../helpers/utterance-harness.js';

/** Round 11 so far: the lines of priority 1 and 2 (a name with "it", refusals, name corrections); the rest not yet run. */
const ROUND_11_DONE = ROUND_11;

/** Round 13: every line (provinces, portable formats, casual drops, name corrections). */
const ROUND_13_DONE = ROUND_13;

/** Issue 16: at least 95% of the staff utterances do what the person meant, end to end. */
const PASS_RATE = 0.95;
const examples = fileURLToPath(new URL('../../../examples/policies/', import.meta.url));

let answerer: PolicyAnswerer;
const closers: (() => Promise<void>)[] = [];
beforeAll(async () => {
  answerer = (await openPolicies(examples)).answerer;
});
afterAll(async () => {
  for (const close of closers.splice(0)) await close();
});

async function fresh(): Promise<Fixture> {
  const store = await openRegisterStore('memory://');
  const register = await Register.open(store, { defaultCountry: 'DE', timeZone: 'UTC', retentionMonths: 24 });
  closers.push(async () => {
    await register.close();
    await store.close();
  });
  await seed(register);
  const engine = new ConversationEngine({ answerer, register, defaultCountry: 'DE', defaultTimeZone: 'UTC' });
  return { engine, register };
}

/** The lines that did not do what was meant, each with what went wrong. */
async function failuresOf(lines: Utterance[]): Promise<string[]> {
  const failures: string[] = [];
  for (const u of lines) {
    const wrong = await judge(fresh, u);
    if (wrong.length > 0)
      failures.push(`${u.context ? `[${Object.keys(u.context)}] ` : ''}${u.text} -> ${wrong.join('; ')}`);
  }
  return failures;
}

describe('the staff utterance table, through the conversation engine', () => {
  it(`does what was meant for at least ${PASS_RATE * 100}% of the lines`, async () => {
    const failures = await failuresOf(UTTERANCES);
    const passed = UTTERANCES.length - failures.length;
    console.log(`utterances through the engine: ${passed}/${UTTERANCES.length}\n${failures.join('\n')}`);
    expect(passed / UTTERANCES.length).toBeGreaterThanOrEqual(PASS_RATE);
  }, 300_000);

  // Contacts other than an email, appeals, lower-case names: every line of round 5, not 95%.
  it('does what was meant for every line of round 5 (post and phone, appeals, lower-case names)', async () => {
    expect(await failuresOf(ROUND_5)).toEqual([]);
  }, 120_000);

  it('does what was meant for every line of round 6 (requesters by name, my stuff, short state names, what-ifs)', async () => {
    expect(await failuresOf(ROUND_6)).toEqual([]);
  }, 120_000);

  it('does what was meant for every line of round 7 (a name beside "it", off hold, whole addresses, reasons)', async () => {
    expect(await failuresOf(ROUND_7)).toEqual([]);
  }, 120_000);

  it('does what was meant for every line of round 9 (first names, descriptions, notes, lists, yes/no phrases, queued intake)', async () => {
    expect(await failuresOf(ROUND_9)).toEqual([]);
  }, 120_000);

  it('does what was meant for every line of round 10 (casual lifecycle words, focus, received dates, lists, deadline follow-ups, signatures, unlinked appeals)', async () => {
    expect(await failuresOf(ROUND_10)).toEqual([]);
  }, 120_000);

  it('does what was meant for every line of round 11 (a name with "it", refusals with "dup", name corrections, due dates and history by name, "CA", pasted tickets)', async () => {
    expect(await failuresOf(ROUND_11_DONE)).toEqual([]);
  }, 120_000);

  // Written before the code: 32 of its 53 lines failed before it.
  it('does what was meant for every line of round 12 (types in everyday words, a yes with a name, a list by law, names that are verbs)', async () => {
    expect(await failuresOf(ROUND_12)).toEqual([]);
  }, 120_000);

  // Written before the code: 24 of its 37 lines failed before it.
  it('does what was meant for every line of round 13 (Canadian provinces, portable formats, casual drops, name corrections)', async () => {
    expect(await failuresOf(ROUND_13_DONE)).toEqual([]);
  }, 120_000);
});
