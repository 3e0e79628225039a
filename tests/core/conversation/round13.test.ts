import { describe, expect, it } from 'vitest';
import { leadChat } from '../../helpers/example-chat.js';

/**
 * Issue 16, the thirteenth blind test (45/50), kind by kind, end to end through the conversation
 * engine, in our own words: each test failed before the rule it names.
 */

const setup = leadChat();

describe('a Canadian province named in words or by its code is Canada, and that province', () => {
  it.each([
    ['ontario customer paul grey paul@example.ca says stop emailing him, today', 'ON'],
    ['sar from ida holm ida@example.com in british columbia, yesterday', 'BC'],
    ['alberta resident kate moss kate@example.com wants her data deleted', 'AB'],
    ['access request from ali khan ali@example.com, nova scotia', 'NS'],
    ['erasure request from ken vo ken@example.com in BC', 'BC'],
    ['access request from ann li ann@example.com in ON, today', 'ON'],
  ])('logs "%s" under PIPEDA in province %s without asking for the law', async (line, region) => {
    const { say, register } = await setup();
    const draft = await say(line);
    expect(draft.text).toMatch(/^Log an? .* request from/);
    expect(draft.text).not.toMatch(/Law: not given yet/);
    expect((await say('yes')).text).toMatch(/^Logged DSR-/);
    const r = await register.get('DSR-2026-0001');
    expect(r.regime).toBe('pipeda');
    expect(r.country).toBe('CA');
    expect(r.region).toBe(region);
  });

  it('keeps Quebec under its own law, and a province said afterwards corrects the law', async () => {
    const { say, register } = await setup();
    await say('access request from luc roy luc@example.ca in quebec');
    await say('yes');
    expect((await register.get('DSR-2026-0001')).regime).toBe('quebec');
    await say('erasure request from eve ray eve@example.com, texas, today');
    const changed = await say("no wait she's in manitoba");
    expect(changed.text).toMatch(/PIPEDA/);
    await say('yes');
    expect((await register.get('DSR-2026-0002')).regime).toBe('pipeda');
  });
});

describe('portability said as the format the data should come in', () => {
  it.each([
    'she wants her data in a portable format',
    'he asked for a machine readable copy of his data',
    'wants everything in a structured, commonly used format',
    'wants her data in a format she can take elsewhere',
  ])('logs "%s" as portability', async (said) => {
    const { say, register } = await setup();
    const draft = await say(`summer rain summer@rain.co.uk, uk, ${said}, received on the 1st`);
    expect(draft.text).toMatch(/^Log a portability request from Summer Rain/);
    await say('yes');
    expect((await register.get('DSR-2026-0001')).type).toBe('portability');
  });

  it('keeps a copy in a named file type as access', async () => {
    const { say, register } = await setup();
    await say('rob hale rob@example.ie, ireland, wants a copy of his data as a pdf');
    await say('yes');
    expect((await register.get('DSR-2026-0001')).type).toBe('access');
  });
});

describe('a draft dropped in casual words', () => {
  it.each(['nah scratch that', 'nvm', 'ignore that one', 'just trash it', "let's not"])(
    'drops the waiting draft on "%s" and logs nothing',
    async (said) => {
      const { say, register } = await setup();
      await say('june park june@example.com in california wants to opt out of sale, today');
      const r = await say(said);
      expect(r.text).not.toMatch(/did not understand/);
      expect((await say('yes')).text).not.toMatch(/^Logged/);
      expect(await register.list({}, new Date('2026-12-02T10:00:00Z'))).toHaveLength(0);
    },
  );

  it('still reads "forget me" as erasure and "never mind, it\'s a deletion" as a correction', async () => {
    const { say, register } = await setup();
    await say('sar from tom hill tom@example.ie, ireland');
    const changed = await say("never mind, it's a deletion");
    expect(changed.text).toMatch(/Type: erasure/);
    await say('yes');
    await say('ana lee ana@example.ie says forget me, ireland');
    await say('yes');
    expect((await register.get('DSR-2026-0001')).type).toBe('erasure');
    expect((await register.get('DSR-2026-0002')).type).toBe('erasure');
  });
});

describe("the requester's name corrected on a draft in other words", () => {
  it.each([
    ['change the name to William Smith', 'William Smith'],
    ['fix his name to will smyth', 'Will Smyth'],
    ['name is actually Bill Smith', 'Bill Smith'],
    ["it's Wil Smith not Will Smith", 'Wil Smith'],
  ])('logs the corrected name on "%s"', async (said, name) => {
    const { say, register } = await setup();
    await say('new subject access request: Will Smith will@example.de, germany, today');
    const changed = await say(said);
    expect(changed.text).toMatch(new RegExp(`Requester: ${name}`));
    await say('yes');
    expect((await register.show('DSR-2026-0001')).requester?.name).toBe(name);
  });

  it('keeps "it\'s Access not Deletion" a type correction, never a name', async () => {
    const { say, register } = await setup();
    await say('new deletion request: Will Smith will@example.de, germany, today');
    await say("it's Access not Deletion");
    await say('yes');
    expect((await register.show('DSR-2026-0001')).requester?.name).toBe('Will Smith');
    expect((await register.get('DSR-2026-0001')).type).toBe('access');
  });
});

describe('a yes naming a complete draft queued behind the waiting one', () => {
  it('logs the draft named, says the first one still waits, and never logs another', async () => {
    const { say, register } = await setup();
    await say('paul green paul@example.com says stop emailing him, today');
    await say('access request from claire roy claire@example.ca in quebec, 5 days ago');
    const r = await say("ok log claire's");
    expect(r.text).toMatch(/^Logged DSR-2026-0001/);
    expect(r.text).toMatch(/The request waiting first \(objection request from Paul Green, .*\) still waits/);
    expect((await register.show('DSR-2026-0001')).requester?.name).toBe('Claire Roy');
    expect((await register.get('DSR-2026-0001')).regime).toBe('quebec');
    expect(await register.list({ status: ['all'] }, new Date('2026-12-02T10:00:00Z'))).toHaveLength(1);
    // The waiting draft is still there for its own yes.
    await say('he is in ireland');
    expect((await say('yes')).text).toMatch(/^Logged DSR-2026-0002/);
    expect((await register.show('DSR-2026-0002')).requester?.name).toBe('Paul Green');
  });

  it('still logs nothing for a yes naming someone no draft is from', async () => {
    const { say, register } = await setup();
    await say('paul green paul@example.com says stop emailing him, today');
    await say('access request from claire roy claire@example.ca in quebec, 5 days ago');
    const r = await say('ok log klaus');
    expect(r.text).toMatch(/^Nothing was logged/);
    expect(await register.list({ status: ['all'] }, new Date('2026-12-02T10:00:00Z'))).toHaveLength(0);
  });
});
