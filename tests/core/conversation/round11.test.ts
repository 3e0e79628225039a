import { describe, expect, it } from 'vitest';
import { CHAT_NOW, leadChat } from '../../helpers/example-chat.js';

/**
 * Issue 16, the eleventh blind test (34/50), kind by kind, end to end through the conversation
 * engine, in our own words: each test failed before the rule it names.
 */

const setup = leadChat();
const now = CHAT_NOW;

/** Two open requests: Nora Blake in Ireland (access) and Luis Moreno in Spain (erasure), both EU GDPR. */
async function twoRequests(say: (text: string) => Promise<{ text: string }>) {
  await say('sar from nora blake nora.b@example.ie, ireland, received yesterday');
  await say('yes');
  await say('erasure request from luis moreno luis.m@example.es, spain, today');
  await say('yes');
}

describe('a requester named beside "it" is the one acted on, never the request in focus', () => {
  it("extends the named requester's request although another one was shown last", async () => {
    const { say, register } = await setup();
    await twoRequests(say);
    await say('show 1');
    const r = await say("we need more time on luis's, extend it");
    expect(r.text).toMatch(/DSR-2026-0002: extend done/);
    expect((await register.get('DSR-2026-0002')).extensions).toBe(1);
    expect((await register.get('DSR-2026-0001')).extensions).toBe(0);
  });

  it('closes the named requester\'s request, with "it" said after the name', async () => {
    const { say, register } = await setup();
    await twoRequests(say);
    await say('show 2');
    const r = await say("nora's is finished, close it as completed");
    expect(r.text).toMatch(/DSR-2026-0001: close done/);
    expect((await register.get('DSR-2026-0001')).outcome).toBe('completed');
    expect((await register.get('DSR-2026-0002')).status).not.toBe('closed');
  });
});

describe('a name correction that quotes the old name goes to the draft with that name', () => {
  /** A draft that cannot be logged yet (no place, no law), and a second one queued behind it. */
  async function stuckAndQueued(say: (text: string) => Promise<{ text: string }>) {
    const stuck = await say('opt-out request from jack ortez jack.o@example.com, received 11/27');
    expect(stuck.text).toMatch(/Law: not given yet/);
    return say('deletion request from Virginia, Sam Lee sam@lee.example, received Dec 1');
  }

  it('corrects the queued draft whose name it quotes, leaving the waiting one as it was', async () => {
    const { say, register } = await setup();
    const queued = await stuckAndQueued(say);
    // The queued request is shown, and the reason the waiting one cannot be logged is said.
    expect(queued.text).toMatch(
      /Queued behind it:\n {2}1\. erasure request, received 2026-12-01, US state privacy law/,
    );
    expect(queued.text).toMatch(/cannot be logged yet \(Which law applies/);
    const fixed = await say("the name's spelled Sam Li not Lee");
    expect(fixed.text).toMatch(/Corrected the queued request \(erasure request from Sam Li/);
    expect(fixed.text).toMatch(/Requester: Jack Ortez/);
    expect(fixed.text).not.toMatch(/Spelled|Not\b/);
    await say('no');
    const logged = await say('yes');
    expect(logged.text).toMatch(/DSR-2026-0001/);
    expect((await register.show('DSR-2026-0001')).requester?.name).toBe('Sam Li');
    expect(await register.list({ status: ['all'] }, now)).toHaveLength(1);
  });

  it('corrects the waiting draft when the name quoted is its own', async () => {
    const { say } = await setup();
    await stuckAndQueued(say);
    const fixed = await say("it's spelled Jack Ortiz, not Ortez");
    expect(fixed.text).toMatch(/Requester: Jack Ortiz/);
    expect((await say('no')).text).toMatch(/Requester: Sam Lee/);
  });

  it('changes nothing and says so when no draft has the name quoted', async () => {
    const { say } = await setup();
    await stuckAndQueued(say);
    const r = await say("the name's spelled Ann Poe not Roe");
    expect(r.text).toMatch(/nothing was changed/);
    const again = await say('no');
    expect(again.text).toMatch(/Requester: Sam Lee/);
  });
});

describe('a draft that cannot be logged does not swallow the session', () => {
  it('says what is missing on "yes", and a refusal with a reason drops it and shows the queued one', async () => {
    const { say, register } = await setup();
    await say('opt-out request from jack ortez jack.o@example.com, received 11/27');
    await say('texas resident wants a copy of her data, priya nair priya.n@example.com, received yesterday');
    const yes = await say('confirmed');
    expect(yes.text).toMatch(/Not yet: Which law applies.*\nNothing was logged: the law is missing\./);
    expect(yes.text).toMatch(/One request is queued behind it/);
    const dropped = await say("nope, don't log it, dup");
    expect(dropped.text).toMatch(/Cancelled; nothing was logged/);
    expect(dropped.text).toMatch(/Requester: Priya Nair/);
    expect(dropped.text).not.toMatch(/None of the policies/);
    await say('yes');
    const logged = await register.get('DSR-2026-0001');
    expect([logged.type, logged.regime, logged.region]).toEqual(['access', 'us-state', 'TX']);
  });

  it.each([
    "it's a duplicate, drop it",
    "no, that's a duplicate, don't log",
    'no need to log it, we already have it',
  ])('drops the draft on "%s"', async (line) => {
    const { say, register } = await setup();
    await say('opt-out request from jack ortez jack.o@example.com, received 11/27');
    expect((await say(line)).text).toMatch(/Cancelled; nothing was logged/);
    expect((await say('yes')).text).toMatch(/nothing waiting/);
    expect(await register.list({ status: ['all'] }, now)).toHaveLength(0);
  });
});

describe('requests named by their requester or the day they came in, for dates, history and work', () => {
  it("shows when a named requester's request is due, and what was done on a request", async () => {
    const { say } = await setup();
    await twoRequests(say);
    await say('note on 2: called him back');
    const due = await say("when is nora's due");
    expect(due.text).toMatch(/DSR-2026-0001/);
    expect(due.text).not.toMatch(/DSR-2026-0002/);
    const history = await say('what did we do on DSR-2026-0002?');
    expect(history.text).toMatch(/DSR-2026-0002/);
    expect(history.text).toMatch(/called him back/);
  });

  it('puts right the received date of the request of the requester named, through the register', async () => {
    const { say, register } = await setup();
    await twoRequests(say);
    const r = await say('change received date for luis to 28 nov');
    expect(r.text).toMatch(/DSR-2026-0002 .*received date changed from 2026-12-02 to 2026-11-28/);
    expect((await register.get('DSR-2026-0002')).received).toBe('2026-11-28');
    expect((await register.get('DSR-2026-0001')).received).toBe('2026-12-01');
    const trail = (await register.show('DSR-2026-0002')).trail;
    expect(trail.at(-1)).toMatchObject({ action: 'received-changed', actor: 'lead' });
  });

  it('starts work on the one that came in yesterday', async () => {
    const { say, register } = await setup();
    await twoRequests(say);
    const r = await say('start on the one from yesterday');
    expect(r.text).toMatch(/DSR-2026-0001: start done/);
    expect((await register.get('DSR-2026-0001')).status).toBe('in-progress');
    expect((await register.get('DSR-2026-0002')).status).toBe('received');
  });
});

describe('intake fields from a ticket and a lone "CA"', () => {
  it('reads "CA" beside a sale opt-out as California, and asks about it on an access request', async () => {
    const { say } = await setup();
    const sale = await say('Ray Ortiz (415) 555-0177, CA, opt out of sale/sharing, rcvd nov 27');
    expect(sale.text).toMatch(/CCPA/);
    expect(sale.text).toMatch(/US-CA/);
    await say('no');
    const access = await say('access request, ben cho ben@example.com, CA');
    expect(access.text).toMatch(/By "CA" do you mean/);
  });

  it('reads a pasted ticket: "data export" is an access request, "Country: NL" the Netherlands', async () => {
    const { say, register } = await setup();
    const r = await say(
      'T-1042 | Subject: data export request | From: kim@jansen.nl (Kim Jansen) | Country: NL | Created: 12 Nov',
    );
    expect(r.text).toMatch(/Type: access/);
    expect(r.text).toMatch(/Netherlands \(NL\)/);
    await say('confirmed');
    const logged = await register.get('DSR-2026-0001');
    expect([logged.type, logged.regime, logged.country, logged.received]).toEqual([
      'access',
      'gdpr',
      'NL',
      '2026-11-12',
    ]);
  });
});

describe('a handover of the requests logged last', () => {
  it('gives the last two logged to the person named, each through the register, and no others', async () => {
    const { say, register } = await setup();
    await say('dsar from ida lund ida@example.se, sweden, received monday');
    await say('yes');
    await twoRequests(say);
    const r = await say('put anna on the last two');
    expect(r.text).toMatch(/DSR-2026-0002 \(access, IE\): now owned by anna\nDSR-2026-0003 \(erasure, ES\)/);
    const owners = await Promise.all(
      ['DSR-2026-0001', 'DSR-2026-0002', 'DSR-2026-0003'].map((id) => register.get(id)),
    );
    expect(owners.map((s) => s.owner)).toEqual([null, 'anna', 'anna']);
    const trail = (await register.show('DSR-2026-0003')).trail;
    expect(trail.at(-1)).toMatchObject({ action: 'assigned', actor: 'lead' });
    await say('assign the last 3 to me');
    expect((await register.get('DSR-2026-0001')).owner).toBe('lead');
  });
});
