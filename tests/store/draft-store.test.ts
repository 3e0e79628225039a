import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DraftStore } from '../../src/core/conversation/draft-store.js';
import { ConversationEngine } from '../../src/core/conversation/engine.js';
import type { Actor, Reply } from '../../src/core/conversation/reply.js';
import type { PolicyAnswerer } from '../../src/core/policy/answer.js';
import { openPolicies } from '../../src/core/policy/service.js';
import { BackendDraftStore } from '../../src/store/draft-store.js';
import {
  type KeyvRegisterStore,
  OPTIONS,
  openRegisterStore,
  Register,
  TARGETS,
} from '../helpers/register-stores.js';

/**
 * Issue 16: a draft waits for its "yes" in the register's store, not in one process. Two engines
 * (two replicas, each with its own connection and register) share one store: a "yes" reaching the
 * other replica, or arriving after a restart, logs the draft, and logs it once however often and
 * wherever it is confirmed. On every backend: SQLite always, Redis and Postgres when configured.
 */

const examples = fileURLToPath(new URL('../../examples/policies/', import.meta.url));
const NOW = new Date('2026-12-02T10:00:00Z');
const LEAD: Actor = { id: 'slack:ULEAD', name: 'lead', isPrivacyTeam: true, timeZone: 'UTC' };
const LINE = 'log erasure request from Jane Roe <jane@example.com> received yesterday under GDPR in FR';

let answerer: PolicyAnswerer;
beforeAll(async () => {
  answerer = (await openPolicies(examples)).answerer;
});

describe.each(TARGETS)('drafts shared by replicas: $name', (target) => {
  let place: ReturnType<typeof target.create>;
  const open: { store: KeyvRegisterStore; register: Register }[] = [];

  /** One replica: its own connection to the shared store, its own register and engine. */
  async function replica(wrap: (drafts: DraftStore) => DraftStore = (d) => d) {
    const store = await openRegisterStore(place.url, { namespace: place.namespace });
    const register = await Register.open(store, OPTIONS);
    open.push({ store, register });
    const engine = new ConversationEngine({
      answerer,
      register,
      drafts: wrap(new BackendDraftStore(store.backend)),
      defaultCountry: 'DE',
      defaultTimeZone: 'UTC',
    });
    const say = (text: string, now = NOW): Promise<Reply> =>
      engine.handle({ text, actor: LEAD, audience: 'private', now });
    const close = async () => {
      await register.close();
      await store.close();
      open.splice(
        open.findIndex((o) => o.store === store),
        1,
      );
    };
    return { say, engine, register, store, close };
  }

  /** Every request in the store, read by a register of its own. */
  async function logged() {
    const r = await replica();
    const list = await r.register.list({ status: ['all'] }, NOW);
    await r.close();
    return list;
  }

  beforeEach((context) => {
    if (target.skip) context.skip(target.skip);
    place = target.create();
  });

  afterEach(async () => {
    if (target.skip) return;
    for (const o of open.splice(0)) {
      await o.register.close();
      await o.store.close();
    }
    await place.cleanup();
  });

  it('logs a draft confirmed on another replica, once; the first replica is told it was logged', async () => {
    const a = await replica();
    const b = await replica();
    expect((await a.say(LINE)).text).toMatch(/Say "yes" to log it/);
    expect((await b.say('yes')).text).toMatch(/^Logged DSR-2026-0001\./);
    expect((await a.say('yep')).text).toMatch(/logged already, as DSR-2026-0001; it was not logged again/);
    const list = await logged();
    expect(list.map((r) => [r.id, r.type, r.regime, r.country, r.received])).toEqual([
      ['DSR-2026-0001', 'erasure', 'gdpr', 'FR', '2026-12-01'],
    ]);
  });

  it('logs a draft confirmed after a restart', async () => {
    const a = await replica();
    await a.say(LINE);
    await a.close();
    const restarted = await replica();
    expect((await restarted.say('yes')).text).toMatch(/^Logged DSR-2026-0001\./);
    expect(await logged()).toHaveLength(1);
  });

  it('logs it once when two replicas take the same "yes" at the same moment', async () => {
    const a = await replica();
    const b = await replica();
    await a.say(LINE);
    const replies = await Promise.all([a.say('yes'), b.say('yes')]);
    const ids = replies.map((r) => /DSR-\d{4}-\d{4}/.exec(r.text)?.[0]);
    expect(ids).toEqual(['DSR-2026-0001', 'DSR-2026-0001']);
    expect(await logged()).toHaveLength(1);
  });

  it('logs it once when the note that it was logged could not be written, and "yes" comes again', async () => {
    // The replica that logs it fails to mark the draft as logged (its store went away just then).
    const a = await replica((drafts) => ({
      get: (id) => drafts.get(id),
      delete: (id) => drafts.delete(id),
      put: async (id, draft) => {
        if (draft.loggedAs) throw new Error('connection lost');
        await drafts.put(id, draft);
      },
    }));
    const b = await replica();
    await a.say(LINE);
    expect((await a.say('yes')).text).toMatch(/^Logged DSR-2026-0001\./);
    // The draft still reads as waiting: the repeated "yes" finds the request by the draft's key.
    expect((await b.say('yes')).text).toMatch(/^Logged DSR-2026-0001\./);
    expect(await logged()).toHaveLength(1);
  });

  it('confirms the draft as corrected on another replica', async () => {
    const a = await replica();
    const b = await replica();
    await a.say(LINE);
    expect((await b.say('actually it came in on the 28th')).text).toMatch(/Received: 2026-11-28/);
    await a.say('yes');
    expect((await logged()).map((r) => r.received)).toEqual(['2026-11-28']);
  });

  it('lets a draft expire, drops it on "no", and keeps no requester details once it is logged', async () => {
    const a = await replica();
    const b = await replica();
    await a.say(LINE);
    const later = new Date(NOW.getTime() + 16 * 60_000);
    expect((await b.say('yes', later)).text).toMatch(/nothing waiting to be logged/);
    await a.say(LINE);
    await b.say('no');
    expect((await a.say('yes')).text).toMatch(/nothing waiting to be logged/);
    expect(await logged()).toEqual([]);
    // The stored draft holds the requester until it is logged; then only the id it became.
    const key = `${a.store.backend.prefix}drafts:${LEAD.id}`;
    await a.say(LINE);
    expect(JSON.stringify(await a.store.backend.keyv.get(key))).toContain('jane@example.com');
    await b.say('yes');
    const kept = JSON.stringify(await a.store.backend.keyv.get(key));
    expect(kept).toContain('DSR-2026-0001');
    expect(kept).not.toMatch(/jane|Roe/i);
  });
});
