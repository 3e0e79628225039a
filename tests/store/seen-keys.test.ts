import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openBackend } from '../../src/store/backends.js';
import { BackendSeenKeys } from '../../src/store/seen-keys.js';
import { TARGETS } from '../helpers/register-stores.js';

/** How many submissions race each replacement, and how many times the race is run. */
const RACERS = 40;
const ROUNDS = 10;
const PENDING_MS = 30_000;
const LOGGED_MS = 24 * 60 * 60_000;

/**
 * The dedupe keys every replica shares (a submitted form's view id, an event id), on each backend.
 * A form is claimed as "being submitted", then its key is replaced by the request it logged; a
 * submission of the same form that arrives meanwhile, on any replica, must never win the key
 * (it did: the replacement was a delete followed by a claim, and a claim landing between the two
 * logged the form twice, tests/channels/slack/replicas.test.ts in a busy CI run).
 */
describe.each(TARGETS)('shared dedupe keys: $name', (target) => {
  let place: ReturnType<typeof target.create>;
  const opened: BackendSeenKeys[] = [];
  const open = async () => {
    const keys = new BackendSeenKeys(await openBackend(place.url, { namespace: place.namespace }));
    opened.push(keys);
    return keys;
  };

  beforeEach((context) => {
    if (target.skip) context.skip(target.skip);
    place = target.create();
  });

  afterEach(async () => {
    if (target.skip) return;
    for (const keys of opened.splice(0)) await keys.close();
    await place.cleanup();
  });

  it('replaces a claimed key in one step: no submission racing the replacement wins it', async () => {
    const [one, two] = [await open(), await open()];
    let won = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const key = `view:race${round}`;
      expect(await one.claim(key, PENDING_MS, { pending: true })).toBe(true);
      // The replacement, and repeated submissions on both replicas until it is done and after.
      let replaced = false;
      const replacing = one.put(key, { requestId: `DSR-${round}` }, LOGGED_MS).then(() => {
        replaced = true;
      });
      const submit = async (keys: BackendSeenKeys) => {
        const wins: boolean[] = [];
        for (let i = 0; i < RACERS && !replaced; i++)
          wins.push(await keys.claim(key, PENDING_MS, { pending: true }));
        wins.push(await keys.claim(key, PENDING_MS, { pending: true }));
        return wins;
      };
      const [, ...streams] = await Promise.all([
        replacing,
        submit(one),
        submit(two),
        submit(one),
        submit(two),
      ]);
      const results = streams.flat();
      won += results.filter(Boolean).length;
      expect(await two.get(key)).toEqual({ requestId: `DSR-${round}` });
    }
    expect(won).toBe(0);
  });

  it('keeps the replaced value for its new time, and a released key can be claimed again', async () => {
    const keys = await open();
    expect(await keys.claim('view:v1', PENDING_MS, { pending: true })).toBe(true);
    await keys.put('view:v1', { requestId: 'DSR-1' }, LOGGED_MS);
    expect(await keys.claim('view:v1', PENDING_MS)).toBe(false);
    expect(await keys.get('view:v1')).toEqual({ requestId: 'DSR-1' });
    await keys.release('view:v1');
    expect(await keys.claim('view:v1', PENDING_MS)).toBe(true);
  });
});
