import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll } from 'vitest';
import { ConversationEngine } from '../../src/core/conversation/engine.js';
import type { Actor, Reply } from '../../src/core/conversation/reply.js';
import type { PolicyAnswerer } from '../../src/core/policy/answer.js';
import { openPolicies } from '../../src/core/policy/service.js';
import { Register } from '../../src/core/requests/register.js';
import { openRegisterStore } from '../../src/store/register-store.js';

const examples = fileURLToPath(new URL('../../examples/policies/', import.meta.url));

/**
 * The conversation engine as the console chat builds it: the example policies, an in-memory
 * register in Germany and the given time zone. Call once at the top of a test file: it registers
 * the hooks that load the policies once and close every register a test opened.
 */
export function exampleChat(
  timeZone: string,
): () => Promise<{ engine: ConversationEngine; register: Register }> {
  let answerer: PolicyAnswerer;
  beforeAll(async () => {
    answerer = (await openPolicies(examples)).answerer;
  });
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });
  return async () => {
    const store = await openRegisterStore('memory://');
    const register = await Register.open(store, { defaultCountry: 'DE', timeZone, retentionMonths: 24 });
    closers.push(async () => {
      await register.close();
      await store.close();
    });
    const engine = new ConversationEngine({
      answerer,
      register,
      defaultCountry: 'DE',
      defaultTimeZone: timeZone,
    });
    return { engine, register };
  };
}

/** Wednesday 2 December 2026, the day the chat tests of issue 16 were written for. */
export const CHAT_NOW = new Date('2026-12-02T10:00:00Z');
export const CHAT_LEAD: Actor = { id: 'test:lead', name: 'lead', isPrivacyTeam: true, timeZone: 'UTC' };

/**
 * A privacy lead's private chat in UTC on `CHAT_NOW` (or at `now`): what they say, and the register
 * behind it.
 */
export function leadChat(): () => Promise<{
  say: (text: string, now?: Date) => Promise<Reply>;
  register: Register;
}> {
  const newChat = exampleChat('UTC');
  return async () => {
    const { engine, register } = await newChat();
    return {
      say: (text, now = CHAT_NOW) => engine.handle({ text, actor: CHAT_LEAD, audience: 'private', now }),
      register,
    };
  };
}
