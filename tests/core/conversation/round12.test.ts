import { describe, expect, it } from 'vitest';
import { CHAT_NOW, exampleChat, leadChat } from '../../helpers/example-chat.js';

/**
 * Issue 16, the twelfth blind test (41/50), kind by kind, end to end through the conversation
 * engine, in our own words: each test failed before the rule it names.
 */

const setup = leadChat();
const now = CHAT_NOW;

type Say = (text: string) => Promise<{ text: string }>;

/** Logs one request per line, each confirmed with "yes". */
async function logged(say: Say, ...lines: string[]) {
  for (const line of lines) {
    await say(line);
    expect((await say('yes')).text).toMatch(/^Logged DSR-/);
  }
}

describe('a requester whose name is also a word of a command is named, never commanded', () => {
  it('closes Lisa Park\'s request on "lisa park\'s is done, fulfilled" instead of putting it on hold', async () => {
    const { say, register } = await setup();
    await logged(
      say,
      'ccpa deletion from lisa park lisa@park.example in california, 5 days ago',
      'erasure request from omar diaz omar@example.es, spain, today',
    );
    const r = await say("lisa park's is done, fulfilled");
    expect(r.text).toMatch(/DSR-2026-0001: close done/);
    const lisa = await register.get('DSR-2026-0001');
    expect(lisa.outcome).toBe('completed');
    expect(lisa.waitingSince).toBeFalsy();
    const trail = (await register.show('DSR-2026-0001')).trail;
    expect(trail.some((e) => e.action === 'waiting-started')).toBe(false);
    expect(trail.some((e) => /'s is/.test(e.text ?? ''))).toBe(false);
    expect((await register.get('DSR-2026-0002')).status).toBe('received');
  });

  it('reads "park" after a first name as the surname, without a possessive too', async () => {
    const { say, register } = await setup();
    await logged(say, 'sar from lisa park lisa@park.example, ireland, yesterday');
    await say('lisa park is finished, we sent her everything');
    expect((await register.get('DSR-2026-0001')).outcome).toBe('completed');
  });

  it('acts on Mark\'s request for "mark\'s request is done", not on the one shown last', async () => {
    const { say, register } = await setup();
    await logged(
      say,
      'sar from mark hill mark.hill@example.ie, ireland, yesterday',
      'erasure request from nora blake nora@example.ie, ireland, today',
    );
    await say('show 2');
    const r = await say("mark's request is done");
    expect(r.text).toMatch(/DSR-2026-0001: close done/);
    expect((await register.get('DSR-2026-0002')).status).toBe('received');
  });

  it("asks how to close Grant Stone's request, and closes his, not the one in focus", async () => {
    const { say, register } = await setup();
    await logged(
      say,
      'erasure request from grant stone grant@example.de, germany, yesterday',
      'sar from nora blake nora@example.ie, ireland, today',
    );
    await say('show 2');
    const asked = await say("grant stone's erasure request: close it");
    expect(asked.text).toMatch(/^Close that request as completed, rejected or withdrawn\?/);
    await say('completed');
    expect((await register.get('DSR-2026-0001')).outcome).toBe('completed');
    expect((await register.get('DSR-2026-0002')).status).toBe('received');
  });

  it('still reads the same words as commands where they are ("park it", "close 2 as withdrawn")', async () => {
    const { say, register } = await setup();
    await logged(
      say,
      'sar from jo close jo@example.ie, ireland, yesterday',
      'erasure request from nora blake nora@example.ie, ireland, today',
    );
    await say('show 1');
    await say('park it till the ID comes');
    expect((await register.get('DSR-2026-0001')).waitingSince).toBeTruthy();
    await say("jo close's is finished");
    expect((await register.get('DSR-2026-0001')).outcome).toBe('completed');
    await say('close 2 as withdrawn');
    expect((await register.get('DSR-2026-0002')).outcome).toBe('withdrawn');
    expect(await register.list({ status: ['open'] }, now)).toHaveLength(0);
  });
});

describe('request types in the words a requester uses', () => {
  it('logs a move of the data to another provider as portability, and a plain export as access', async () => {
    const { say, register } = await setup();
    const moved = await say(
      'klara berg klara@example.de in germany wants a copy of her data exported so she can switch to another provider',
    );
    expect(moved.text).toMatch(/^Log a portability request from Klara Berg/);
    await say('yes');
    await say('sven dahl sven@example.se, sweden, wants his data exported');
    await say('yes');
    expect((await register.get('DSR-2026-0001')).type).toBe('portability');
    expect((await register.get('DSR-2026-0002')).type).toBe('access');
  });

  it.each([
    ['says stop emailing him', 'objection'],
    ['wants to unsubscribe from everything', 'objection'],
    ['asked us to take him off the mailing list', 'objection'],
    ['wants to opt out of our newsletters', 'objection'],
    ['wants to opt out of the sale of his data', 'opt-out-of-sale'],
    ['wants everything about him removed', 'erasure'],
  ])('reads "%s" as %s', async (said, type) => {
    const { say, register } = await setup();
    await say(`ivo horak ivo@example.cz, czech republic, ${said}, received today`);
    await say('yes');
    expect((await register.get('DSR-2026-0001')).type).toBe(type);
  });

  it('says on the draft why stop-emailing is an objection, and takes a consent withdrawal instead', async () => {
    const { say, register } = await setup();
    const draft = await say('bo lind bo@example.se, sweden, no more marketing emails please, got it today');
    expect(draft.text).toMatch(
      /Type: objection \(objection to direct marketing: GDPR and UK GDPR art\. 21\(2\)-\(3\)/,
    );
    expect(draft.text).toMatch(/CAN-SPAM/);
    const changed = await say("actually it's a consent withdrawal");
    expect(changed.text).toMatch(/Type: withdraw-consent\n/);
    await say('yes');
    expect((await register.get('DSR-2026-0001')).type).toBe('withdraw-consent');
  });
});

describe('a yes with more words than yes', () => {
  const stuck = 'erasure request from ray holt ray@example.com, received today';
  const queued = 'ccpa deletion from lisa park lisa@park.example in california, 5 days ago';

  it.each(['ok yes save nora', "yep, log nora's", 'sure, go ahead with nora blake', 'yes do it for blake'])(
    'logs the waiting draft on "%s", the name being its requester\'s',
    async (line) => {
      const { say, register } = await setup();
      await say('sar from nora blake nora@example.ie, ireland, yesterday');
      expect((await say(line)).text).toMatch(/^Logged DSR-2026-0001/);
      expect((await register.show('DSR-2026-0001')).requester?.name).toBe('Nora Blake');
    },
  );

  it('logs nothing on a yes naming someone else, and says whose draft waits', async () => {
    const { say, register } = await setup();
    await say('sar from nora blake nora@example.ie, ireland, yesterday');
    const r = await say('ok yes save klaus');
    expect(r.text).toMatch(/^Nothing was logged: the request waiting is the access request from Nora Blake/);
    expect(await register.list({ status: ['all'] }, now)).toHaveLength(0);
    // A change said with a yes still corrects the draft.
    const corrected = await say('yes but it came in on the 28th');
    expect(corrected.text).toMatch(/Received: 2026-11-28/);
    expect(await register.list({ status: ['all'] }, now)).toHaveLength(0);
  });

  it('says which draft a yes went to when another is queued, and logs the queued one only when named (round 13)', async () => {
    const { say, register } = await setup();
    await say(stuck);
    await say(queued);
    const yes = await say('yes pls');
    expect(yes.text).toMatch(
      /Nothing was logged: the law is missing\.\nThat yes was for the request waiting first \(erasure request from Ray Holt, received 2026-12-02, law not given yet\), not one queued behind it\./,
    );
    expect(await register.list({ status: ['all'] }, now)).toHaveLength(0);
    // Round 13: a yes naming the complete queued draft logs that one; the waiting one still waits.
    const named = await say('yes save lisa');
    expect(named.text).toMatch(/^Logged DSR-2026-0001/);
    expect(named.text).toMatch(/The request waiting first \(erasure request from Ray Holt, .*\) still waits/);
    expect((await register.show('DSR-2026-0001')).requester?.name).toBe('Lisa Park');
    await say('under gdpr');
    const logged = await say('yes');
    expect(logged.text).toMatch(/^Logged DSR-2026-0002/);
    expect((await register.show('DSR-2026-0002')).requester?.name).toBe('Ray Holt');
    expect(await register.list({ status: ['all'] }, now)).toHaveLength(2);
  });

  it('says which draft a no dropped when another is queued', async () => {
    const { say } = await setup();
    await say(stuck);
    await say(queued);
    const no = await say('no');
    expect(no.text).toMatch(/That no dropped the request waiting first \(erasure request from Ray Holt/);
    expect(no.text).toMatch(/Requester: Lisa Park/);
  });
});

describe('a list asked for by law alone', () => {
  const newChat = exampleChat('UTC');

  it.each([
    ['anything under ccpa?', ['DSR-2026-0002']],
    ['any gdpr ones', ['DSR-2026-0001']],
    ['requests under lgpd', []],
    ['what have we got under uk gdpr', []],
  ])('"%s" lists the open requests under that law', async (line, ids) => {
    const { say } = await setup();
    await logged(
      say,
      'sar from nora blake nora@example.ie, ireland, yesterday',
      'ccpa deletion from lisa park lisa@park.example in california, 5 days ago',
    );
    const r = (await say(line)) as { text: string; blocks: { kind: string; requests?: { id: string }[] }[] };
    const list = r.blocks.find((b) => b.kind === 'request-list');
    expect(list?.requests?.map((x) => x.id)).toEqual(ids);
  });

  it('answers a question about the law from the policy, and the same line from outside the team', async () => {
    const { say } = await setup();
    const asked = (await say('do we sell data under the ccpa?')) as { blocks: { kind: string }[] };
    expect(asked.blocks.some((b) => b.kind === 'answer')).toBe(true);
    const { engine } = await newChat();
    const staff = { id: 'test:agent', name: 'agent', isPrivacyTeam: false, timeZone: 'UTC' };
    const r = await engine.handle({ text: 'anything under ccpa?', actor: staff, audience: 'private', now });
    expect(r.blocks.some((b) => b.kind === 'answer')).toBe(true);
  });
});
