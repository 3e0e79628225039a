import { describe, expect, it } from 'vitest';
import { CHAT_NOW, leadChat } from '../../helpers/example-chat.js';

/**
 * Issue 16, the tenth blind test (34/50), kind by kind, end to end through the conversation
 * engine, in our own words: each test failed before the rule it names.
 */

const setup = leadChat();
const now = CHAT_NOW;

/** Two open requests: Piotr in Poland (access, EU GDPR) and Jo in Colorado (opt-out, US state law). */
async function twoRequests(say: (text: string) => Promise<{ text: string }>) {
  await say('sar from piotr nowak piotr@example.pl, poland, received yesterday');
  await say('yes');
  await say('do not sell request from a colorado resident, jo ray, jo.ray@example.com, today');
  await say('yes');
}

describe('"it" and "she" are the request in focus, and every change says which one it was', () => {
  it('closes the request just put on hold, never an older one, and names it in the reply', async () => {
    const { say, register } = await setup();
    await twoRequests(say);
    await say('hand 1 to dana');
    expect((await say("we're on it")).text).toMatch(/DSR-2026-0001: start done: the access request/);
    const bumped = await say('bump the deadline on the polish one');
    expect(bumped.text).toMatch(/DSR-2026-0001: extend done/);
    const parked = await say('parking 2 till her ID comes through');
    expect(parked.text).toMatch(
      /DSR-2026-0002 \(opt-out-of-sale, US state privacy law, US-CO\): recorded as on hold/,
    );
    const closed = await say('she never sent ID, close it as refused');
    expect(closed.text).toMatch(/DSR-2026-0002: close done: the opt-out-of-sale request under the US state/);
    expect(closed.text).not.toMatch(/jo ray/i);
    expect((await register.get('DSR-2026-0002')).outcome).toBe('rejected');
    const first = await register.get('DSR-2026-0001');
    expect([first.status, first.outcome, first.extensions]).toEqual(['in-progress', null, 1]);
    // The reason said before the command is kept with the close.
    const trail = (await register.show('DSR-2026-0002')).trail;
    expect(trail.at(-1)?.text).toMatch(/never sent ID/);
  });

  it('takes "the last one" as the one logged last', async () => {
    const { say, register } = await setup();
    await twoRequests(say);
    await say('assign the last one to me');
    expect((await register.get('DSR-2026-0002')).owner).toBe('lead');
    expect((await register.get('DSR-2026-0001')).owner).toBeNull();
  });
});

describe('the received date of a logged request put right', () => {
  it('moves the date and the deadline through an audited change, and says both', async () => {
    const { say, register } = await setup();
    await twoRequests(say);
    await say('show 1');
    const r = await say('change the received date on that one to nov 28');
    expect(r.text).toMatch(
      /DSR-2026-0001 \(access, EU GDPR, PL\): received date changed from 2026-12-01 to 2026-11-28; now due 2026-12-28 \(was 2027-01-04\)/,
    );
    const state = await register.get('DSR-2026-0001');
    expect([state.received, state.deadlines.due]).toEqual(['2026-11-28', '2026-12-28']);
    const trail = (await register.show('DSR-2026-0001')).trail;
    expect(trail.at(-1)).toMatchObject({ action: 'received-changed', actor: 'lead' });
  });
});

describe('lists of requests with no owner and of those due before a day', () => {
  it('lists only the unowned ones, and only those due before the day named', async () => {
    const { say } = await setup();
    await twoRequests(say);
    await say('give 1 to dana');
    const unowned = await say('which ones have no owner');
    expect(unowned.text).toMatch(/Open requests with no owner/);
    expect(unowned.text).toMatch(/DSR-2026-0002/);
    expect(unowned.text).not.toMatch(/DSR-2026-0001/);
    const before = await say('anything due before the 20th?');
    expect(before.text).toMatch(/by 2026-12-19/);
    expect(before.text).not.toMatch(/DSR-2026-000[12]/);
  });
});

describe('deadline questions in everyday words', () => {
  it('asks for the law when none is named, keeps the day, and answers a follow-up under another law', async () => {
    const { say, register } = await setup();
    const asked = await say("if a sar lands on xmas eve when's it due");
    expect(asked.text).toMatch(/Under which law\?.*2026-12-24/);
    const uk = await say('under uk gdpr');
    expect(uk.blocks.find((b) => b.kind === 'deadline')).toMatchObject({ received: '2026-12-24' });
    expect(uk.text).toMatch(/UK GDPR/);
    const lgpd = await say('and under lgpd?');
    expect(lgpd.blocks.find((b) => b.kind === 'deadline')).toMatchObject({
      regimeLabel: 'LGPD (Brazil)',
      received: '2026-12-24',
    });
    const due = await say('uk gdpr erasure, received 3 days ago, due when?');
    expect(due.blocks.find((b) => b.kind === 'deadline')).toMatchObject({ received: '2026-11-29' });
    expect(due.blocks.some((b) => b.kind === 'actions')).toBe(false);
    expect(await register.list({ status: ['all'] }, now)).toHaveLength(0);
  });
});

describe('intake fields', () => {
  it('reads a name in a signature and a name with an initial', async () => {
    const { say } = await setup();
    const signed = await say(
      'Fwd: Please erase my data. I live in California. - Tom Becker, tom.b@example.com',
    );
    expect(signed.text).toMatch(/Requester: Tom Becker <tom\.b@example\.com>/);
    await say('no');
    const initial = await say(
      'correction request from j. huang, phone 415-555-0192, ontario canada, last friday',
    );
    expect(initial.text).toMatch(/Requester: J\. Huang/);
  });

  it('logs an appeal from Virginia whose original is not in the register, under that state', async () => {
    const { say, register } = await setup();
    const draft = await say(
      'virginia consumer wants to appeal our refusal, dave k dave.k@example.com, on the 1st',
    );
    expect(draft.text).toMatch(/Appeal of: a request not in the register/);
    expect(draft.text).toMatch(/US-VA/);
    // Va. Code § 59.1-577(C): 60 days from receipt of the appeal (1 December 2026).
    expect(draft.text).toMatch(/Response due: 2027-01-30/);
    const kept = await say('their ref is CASE-88');
    expect(kept.text).toMatch(/reference given: CASE-88/);
    await say('👍');
    const [logged] = await register.list({ status: ['all'] }, now);
    expect(logged).toMatchObject({ type: 'appeal', appealOf: null, region: 'VA', received: '2026-12-01' });
    const trail = (await register.show(logged!.id)).trail;
    expect(trail[0]?.text).toMatch(/not in the register; reference given: CASE-88/);
  });
});

describe('a greeting that asks what the bot does', () => {
  it('gets the short help', async () => {
    const { say } = await setup();
    expect((await say('hey what can you do')).text).toMatch(/Here is what I can do/);
  });
});

describe('a line not understood drops the request in focus', () => {
  it('asks which request "it" is after a line it did not understand, and changes none', async () => {
    const { say, register } = await setup();
    await twoRequests(say);
    await say('show 1');
    expect((await say('frobnicate the second one pls')).text).toMatch(/did not understand/);
    const r = await say('close it as refused');
    expect(r.text).toMatch(/Which request do you mean\?/);
    expect((await register.list({ status: ['closed'] }, now)).length).toBe(0);
  });
});
