import { describe, expect, it } from 'vitest';
import type { Reply } from '../../../src/core/conversation/reply.js';
import { computeDeadlines, homeJurisdiction } from '../../../src/core/requests/deadlines.js';
import type { Register } from '../../../src/core/requests/register.js';
import { CHAT_NOW, leadChat } from '../../helpers/example-chat.js';

/**
 * Issue 16, point by point, through the conversation engine: staff say it their way. Each test
 * failed on the engine before the one parser (`understand.ts`) and the draft conversation.
 */

const setup = leadChat();
const now = CHAT_NOW;

async function stored(register: Register, id: string) {
  const detail = await register.show(id);
  return { ...detail.request, requester: detail.requester };
}

describe('1. intake in free form, the law from the place', () => {
  it.each([
    [
      "new DSAR from maria.lopez@example.es, arrived Monday, she's in Spain",
      'access',
      'gdpr',
      'ES',
      '2026-11-30',
    ],
    [
      'UK customer wants their data deleted, tom@example.co.uk, received yesterday',
      'erasure',
      'uk-gdpr',
      'GB',
      '2026-12-01',
    ],
    [
      'opt-out request from a California resident, kim@example.com, came in today',
      'opt-out-of-sale',
      'ccpa',
      'US',
      '2026-12-02',
    ],
    [
      'Virginia consumer asks for a copy of their data, va@example.com, received 2026-11-20',
      'access',
      'us-state',
      'US',
      '2026-11-20',
    ],
    [
      'Brazilian customer wants to be forgotten, br@example.com.br, got it last Friday',
      'erasure',
      'lgpd',
      'BR',
      '2026-11-27',
    ],
  ])('%s', async (line, type, regime, country, received) => {
    const { say, register } = await setup();
    const draft = await say(line);
    expect(draft.blocks.some((b) => b.kind === 'actions' && b.buttons[0]?.action === 'intake.confirm')).toBe(
      true,
    );
    expect((await say('yes')).text).toMatch(/Logged DSR-2026-0001/);
    expect(await stored(register, 'DSR-2026-0001')).toMatchObject({ type, regime, country, received });
  });

  it('asks for the law when neither it nor a place was given, and reads the answer', async () => {
    const { say, register } = await setup();
    const draft = await say('got a deletion request by email yesterday from Hans Müller <hans@example.de>');
    expect(draft.text).toMatch(/Which law applies, or where is the requester/);
    expect(draft.blocks.some((b) => b.kind === 'answer')).toBe(false);
    expect((await say('he is in Germany')).text).toMatch(/Country: Germany \(DE\)/);
    await say('ok log it');
    expect(await stored(register, 'DSR-2026-0001')).toMatchObject({
      type: 'erasure',
      regime: 'gdpr',
      country: 'DE',
      received: '2026-12-01',
      requester: { name: 'Hans Müller', email: 'hans@example.de' },
    });
  });
});

describe('2. names', () => {
  it('records the whole name written before an address without <>, and never makes one up', async () => {
    const { say, register } = await setup();
    await say('log access request from Tom Baker tom@example.com received today under CCPA');
    await say('yes');
    await say('new DSAR from ma@example.es, Spain');
    await say('yes');
    expect((await stored(register, 'DSR-2026-0001')).requester?.name).toBe('Tom Baker');
    expect((await stored(register, 'DSR-2026-0002')).requester?.name).toBe('');
  });

  it('reads a name written as its own part of the line, between commas or after a dash', async () => {
    const { say, register } = await setup();
    await say('deletion, Ana Silva, ana@example.com, colorado, today');
    await say('yes');
    await say('right to be forgotten - Lukas Gruber, lg@example.at, austria, received yesterday');
    await say('yes');
    expect((await stored(register, 'DSR-2026-0001')).requester?.name).toBe('Ana Silva');
    expect((await stored(register, 'DSR-2026-0002')).requester?.name).toBe('Lukas Gruber');
  });
});

describe('3. confirming is a conversation', () => {
  it.each(['yep', 'ok log it', 'sure, go ahead', 'looks good', '👍'])('"%s" logs the draft', async (yes) => {
    const { say } = await setup();
    await say('log erasure request from jane@example.com received yesterday under GDPR');
    expect((await say(yes)).text).toMatch(/Logged DSR-2026-0001/);
  });

  it.each(['nah scrap that', 'forget it', "don't log it"])('"%s" drops the draft', async (no) => {
    const { say, register } = await setup();
    await say('log erasure request from jane@example.com received yesterday under GDPR');
    expect((await say(no)).text).toMatch(/Cancelled/);
    expect(await register.list({ status: ['all'] }, now)).toHaveLength(0);
  });

  it('takes corrections of any field before the yes, and logs the corrected draft', async () => {
    const { say, register } = await setup();
    await say('log erasure request from jane@example.com received yesterday under GDPR');
    expect((await say('actually it came in on the 28th')).text).toMatch(/received 2026-11-28/);
    expect((await say('her name is Jane Doe')).text).toMatch(/from Jane Doe <jane@example\.com>/);
    expect((await say("she's in France actually")).text).toMatch(/Country: France \(FR\)/);
    expect((await say('make it an access request')).text).toMatch(/Log an access request/);
    await say('yes');
    expect(await stored(register, 'DSR-2026-0001')).toMatchObject({
      type: 'access',
      country: 'FR',
      received: '2026-11-28',
      requester: { name: 'Jane Doe', email: 'jane@example.com' },
    });
  });

  it('says a draft is waiting when the person types something else, and keeps it', async () => {
    const { say } = await setup();
    await say('log erasure request from jane@example.com received yesterday under GDPR');
    const answer = await say('how long do we keep technical logs?');
    expect(answer.blocks.some((b) => b.kind === 'answer')).toBe(true);
    expect(answer.text).toMatch(/still waiting to be logged/);
    expect((await say('yes')).text).toMatch(/Logged DSR-2026-0001/);
  });
});

describe('3. a waiting draft is never merged with another request or a command', () => {
  it('shows the waiting draft again when a new request arrives, so a correction is seen to apply to it', async () => {
    const { say } = await setup();
    await say('portability request from pierre@exemple.fr, received 2026-11-30, France');
    const reply = await say(
      'correction request - UK - Tom Baker, wants his address fixed, got it this morning',
    );
    expect(reply.text).toMatch(/still waiting to be logged/);
    expect(reply.text).toContain('pierre@exemple.fr');
    expect(reply.text).not.toContain('Tom Baker');
  });

  it.each([
    [
      'a new request with its own requester',
      'correction request - UK - Tom Baker, wants his address fixed, got it this morning',
    ],
    ['a new request said with an intake cue', 'dana kim (CA) wants her data deleted, came in oct 20'],
    ['a command naming a request by #n', 'delete #6'],
    ['a command naming a request by number', 'im working on 7 now'],
  ])('%s leaves the draft as it was and says it is waiting', async (_what, line) => {
    const { say, register } = await setup();
    await say('portability request from pierre@exemple.fr, received 2026-11-30, France');
    const reply = await say(line);
    // Said as a command, it is one (on a request that does not exist here); otherwise the draft waits.
    expect(reply.text).toMatch(/still waiting to be logged|There is no request DSR-2026-000[67]/);
    expect((await say('yes')).text).toMatch(/Logged DSR-2026-0001/);
    expect(await stored(register, 'DSR-2026-0001')).toMatchObject({
      type: 'portability',
      country: 'FR',
      received: '2026-11-30',
      requester: { email: 'pierre@exemple.fr' },
    });
  });
});

describe('4. the deadline shown is the deadline stored', () => {
  it.each([
    ['opt-out request from a California resident, kim@example.com, came in today'],
    ['new DSAR from ana@example.es, received Monday, Spain'],
    ['customer in Scotland sent a subject access request on 2026-11-27, fi@example.co.uk'],
  ])('%s', async (line) => {
    const { say, register } = await setup();
    const draft = await say(line);
    await say('yes');
    const request = await stored(register, 'DSR-2026-0001');
    for (const d of request.deadlines.deadlines) expect(draft.text).toContain(`${d.due}`);
    expect(draft.text).toContain(`Response due: ${request.deadlines.due}`);
    expect(draft.text).toMatch(new RegExp(`Country: .*\\(${request.country}`));
  });
});

describe('5. requests by number, #n and "it", with everyday verbs', () => {
  it('changes requests named every way', async () => {
    const { say, register } = await setup();
    for (const who of ['a', 'b', 'c'])
      await register.add(
        { type: 'access', regime: 'gdpr', received: '2026-11-20', requesterEmail: `${who}@example.com` },
        { actor: 'setup', now },
      );
    expect((await say('start work on 0003')).text).toMatch(/DSR-2026-0003: start done/);
    expect((await say('extend #1')).text).toMatch(/DSR-2026-0001: extend done/);
    expect((await say('withdraw 0002')).text).toMatch(/closed: withdrawn/);
    expect((await say('show 0003')).blocks.some((b) => b.kind === 'request')).toBe(true);
    expect((await say('mark it done')).text).toMatch(/DSR-2026-0003.*closed: completed/);
    expect((await say('reopen 3')).text).toMatch(/DSR-2026-0003: reopen done/);
    expect((await say("I'll take it")).text).toMatch(/owner lead/);
    // A bare number anywhere in a line with a verb names a request; a date's number does not.
    expect((await say('mark 1 as done')).text).toMatch(/DSR-2026-0001.*closed: completed/);
    expect((await say('whats the status of 3')).blocks.some((b) => b.kind === 'request')).toBe(true);
  });
});

describe('6. lists and deadlines in plain words', () => {
  it('lists by owner, law, overdue and due date', async () => {
    const { say, register } = await setup();
    await register.add(
      {
        type: 'access',
        regime: 'gdpr',
        received: '2026-10-01',
        requesterEmail: 'old@example.com',
        owner: 'lead',
      },
      { actor: 'setup', now },
    );
    await register.add(
      { type: 'erasure', regime: 'ccpa', received: '2026-10-20', requesterEmail: 'ca@example.com' },
      { actor: 'setup', now },
    );
    expect((await say('my requests')).text).toMatch(/owned by you:\n {2}DSR-2026-0001/);
    expect((await say('requests open gdpr')).text).not.toMatch(/DSR-2026-0002/);
    expect((await say('anything overdue?')).text).toMatch(/Overdue requests:\n {2}DSR-2026-0001/);
    const week = (await say("what's due this week")).text;
    expect(week).toMatch(/by 2026-12-06/);
    expect(week).toMatch(/DSR-2026-0002/);
  });

  it.each([
    ['ccpa deadline if received today', { regime: 'ccpa', received: '2026-12-02' }],
    ['deadline ccpa today', { regime: 'ccpa', received: '2026-12-02' }],
    ['deadline ccpa 2026-12-02 opt-out', { regime: 'ccpa', received: '2026-12-02', type: 'opt-out-of-sale' }],
    ['deadline gdpr 2026-01-31 France', { regime: 'gdpr', received: '2026-01-31', country: 'FR' }],
  ] as const)('%s', async (line, input) => {
    const { say } = await setup();
    const home = homeJurisdiction(input.regime, 'DE');
    const want = computeDeadlines({ ...home, ...input });
    const block = (await say(line)).blocks.find((b) => b.kind === 'deadline');
    expect(block?.kind === 'deadline' && [block.received, block.due]).toEqual([input.received, want.due]);
  });
});

describe('7. small talk, noise and not found', () => {
  it.each(['hello', 'thanks!', 'asdfgh'])('answers "%s" briefly, pointing to help', async (line) => {
    const { say } = await setup();
    const reply = await say(line);
    expect(reply.blocks.some((b) => b.kind === 'answer')).toBe(false);
    expect(reply.text).toMatch(/"help"/);
    expect(reply.text.length).toBeLessThan(200);
  });

  it("names the chat's own command when a request is not found", async () => {
    const { say } = await setup();
    const reply = await say('show 0042');
    expect(reply.text).toMatch(/There is no request DSR-2026-0042\. Type "requests all"/);
    expect(reply.text).not.toMatch(/privacy-ops requests list/);
  });

  it('still answers policy questions from the policy', async () => {
    const { say } = await setup();
    for (const q of ['how long do we keep logs?', 'how do users request deletion of their data?'])
      expect(
        (await say(q)).blocks.some((b) => b.kind === 'answer'),
        q,
      ).toBe(true);
  });
});

describe('8. a blind test, second round: names, dates, yes in other words', () => {
  it('asks for a name when none was given, and "no name" logs without one', async () => {
    const { say, register } = await setup();
    const draft = await say('dsar from ana@example.es, spain, received yesterday');
    expect(draft.text).toMatch(/No name given: what is the requester's name\?/);
    expect((await say('no name')).text).toMatch(/Logged DSR-2026-0001/);
    expect((await stored(register, 'DSR-2026-0001')).requester).toEqual({
      name: '',
      email: 'ana@example.es',
    });
  });

  it('says what is still missing when told to file a draft that is not complete', async () => {
    const { say, register } = await setup();
    await say('access request from jo@example.com');
    const r = await say('sounds good, file it');
    expect(r.text).toMatch(/^Not yet: Which law applies/);
    expect(await register.list({ status: ['all'] }, now)).toHaveLength(0);
  });

  it('asks which way round a numeric date is when nothing says, and the place then settles it', async () => {
    const { say } = await setup();
    const asked = await say('access request from kim@example.com received 1/12');
    expect(asked.text).toMatch(/"1\/12": did it arrive on 1 December 2026 or on 12 January 2026\?/);
    const settled = await say("she's in Spain");
    expect(settled.text).toMatch(/Received: 2026-12-01/);
  });

  it('reads a numeric date the US way for a US requester and the European way otherwise', async () => {
    const { say } = await setup();
    expect((await say('access request from kim@example.com, california, received 1/12')).text).toMatch(
      /received 2026-01-12/,
    );
    expect((await say('no')).text).toMatch(/Cancelled/);
    expect((await say('access request from kim@example.com, spain, received 1/12')).text).toMatch(
      /received 2026-12-01/,
    );
  });

  it('questions a received date long past before the yes', async () => {
    const { say } = await setup();
    const r = await say('access request from kim@example.com, california, received 1/12');
    expect(r.text).toMatch(/⚠ Received 324 days ago, so it is already overdue: is 2026-01-12 right\?/);
  });
});

describe('9. deadline and register questions are not answered from the policy', () => {
  it('gives the law\'s deadline for a "how long" question, counted from today', async () => {
    const { say } = await setup();
    const r = await say('when do we have to respond to an lgpd access request');
    const block = r.blocks.find((b) => b.kind === 'deadline');
    expect(block?.kind === 'deadline' && block.due).toBe(
      computeDeadlines({ regime: 'lgpd', received: '2026-12-02', ...homeJurisdiction('lgpd', 'DE') }).due,
    );
    expect(r.text).toMatch(/counted from today/);
  });

  it('says whether a request received on a given day is late', async () => {
    const { say } = await setup();
    expect((await say('colorado opt out received 9/28 - are we late?')).text).toMatch(
      /days ago: the response is overdue/,
    );
  });

  it('counts the requests when asked how many', async () => {
    const { say } = await setup();
    expect((await say('how many open requests do we have')).text).toMatch(/^0 requests\./);
  });

  it('keeps yes/no questions about the rules for the policy', async () => {
    const { say } = await setup();
    expect(
      (await say('can we extend the deadline under GDPR?')).blocks.some((b) => b.kind === 'answer'),
    ).toBe(true);
  });
});

describe('10. changing logged requests', () => {
  async function withOne() {
    const s = await setup();
    await s.register.add(
      {
        type: 'access',
        regime: 'gdpr',
        received: '2026-11-20',
        requesterEmail: 'hans@example.com',
        requesterName: 'Hans',
      },
      { actor: 'setup', now },
    );
    return s;
  }

  it('takes the outcome asked for after a bare "close 1"', async () => {
    const { say, register } = await withOne();
    expect((await say('close 1')).text).toMatch(/as completed, rejected or withdrawn\?/);
    expect((await say('rejected, identity not verified')).text).toMatch(/DSR-2026-0001: close done/);
    expect((await register.get('DSR-2026-0001')).outcome).toBe('rejected');
  });

  it('says a request to close is not there, with how to list them, instead of asking how', async () => {
    const { say } = await withOne();
    expect((await say('close 0002')).text).toMatch(/There is no request DSR-2026-0002\. Type "requests all"/);
  });

  it('corrects the email of a logged request through the register, with an audit entry', async () => {
    const { say, register } = await withOne();
    const r = await say('actually the email on 1 is wrong, should be hans@example.de');
    expect(r.text).toMatch(/DSR-2026-0001: the requester's email changed/);
    const detail = await register.show('DSR-2026-0001');
    expect(detail.requester).toEqual({ name: 'Hans', email: 'hans@example.de' });
    expect(detail.trail.at(-1)?.action).toBe('requester-changed');
    expect(await register.list({ status: ['all'] }, now)).toHaveLength(1);
  });
});

describe('11. noise and off-topic lines', () => {
  it.each(['asdfgh qwerty zzz', 'whats the weather like', 'who won the match'])(
    '"%s" gets a short pointer to help with two examples',
    async (line) => {
      const { say } = await setup();
      const r = await say(line);
      expect(r.blocks.some((b) => b.kind === 'answer')).toBe(false);
      expect(r.text).toMatch(
        /did not understand.*"help".*"how long do we keep logs\?" or "what's due this week"/,
      );
    },
  );

  it('still hands a privacy question the parser cannot act on to the policy answerer', async () => {
    const { say } = await setup();
    expect((await say('how do i contact the dpo')).blocks.some((b) => b.kind === 'answer')).toBe(true);
  });
});

describe('12. a request by post or phone', () => {
  it('keeps the postal address as the contact and logs the request on yes (issue 16, round 5)', async () => {
    const { say, register } = await setup();
    const r = await say('log a dsar by letter from Ann Lee, 12 High Street, Leeds, UK');
    expect(r.text).toMatch(/Requester: Ann Lee, postal address 12 High Street, Leeds/);
    expect(r.text).toMatch(/Say "yes" to log it/);
    const logged = await say('yes');
    const id = /Logged (DSR-\d{4}-\d{4})/.exec(logged.text)?.[1];
    expect(id, logged.text).toBeDefined();
    const { request, requester } = await register.show(id!);
    expect(requester).toEqual({ name: 'Ann Lee', address: '12 High Street, Leeds, UK' });
    expect(request).toMatchObject({ channel: 'post', regime: 'uk-gdpr' });
  });

  it('asks for the contact the request came with when the line gives none, and says what will do', async () => {
    const { say } = await setup();
    const letter = await say('got a letter from Ann Lee asking for a copy of her data, uk');
    expect(letter.text).toMatch(/What is the requester's postal address, to reply to\?/);
    expect(letter.text).toMatch(/an email address or phone number will do too/);
    const phoned = await say('no');
    expect(phoned.text).toMatch(/Cancelled/);
    const call = await say('Ann Lee phoned in a deletion request, uk');
    expect(call.text).toMatch(/What is the requester's phone number\?/);
    const given = await say('her number is 0113 496 0000');
    expect(given.text).toMatch(/Requester: Ann Lee, phone 0113 496 0000/);
    expect(given.text).toMatch(/Say "yes" to log it/);
  });
});

describe('13. appeals of a refusal, from chat (issue 16, round 5)', () => {
  /** A Virginia request refused, to appeal; its requester came by phone. */
  async function refused(say: (t: string) => Promise<Reply>, register: Register): Promise<string> {
    await say('deletion request by phone from Vera Lane, (804) 555-0100, virginia, received 2026-10-05');
    const id = /Logged (DSR-\d{4}-\d{4})/.exec((await say('yes')).text)![1]!;
    await register.closeRequest(id, 'rejected', { actor: 'lead', now: new Date('2026-11-01T10:00:00Z') });
    return id;
  }

  it('shows the appeal deadline before the yes, then logs an appeal linked to the original, with its requester', async () => {
    const { say, register } = await setup();
    const original = await refused(say, register);
    const draft = await say(`the customer appealed our refusal of ${original.slice(-4)} yesterday`);
    expect(draft.text).toMatch(
      new RegExp(`^Log an appeal of ${original}, received 2026-12-01, under US state privacy law\\?`),
    );
    expect(draft.text).toMatch(/• Appeal of: DSR-2026-0001/);
    expect(draft.text).toMatch(/• Requester: the requester of DSR-2026-0001/);
    // Virginia: 60 days from receipt of the appeal (Va. Code § 59.1-577(C)).
    expect(draft.text).toMatch(/Response due: 2027-01-30 — Appeal: .*60 days/);
    const logged = await say('yes');
    const id = /Logged (DSR-\d{4}-\d{4})/.exec(logged.text)?.[1];
    expect(logged.text).not.toMatch(/No requester name was recorded/);
    const appeal = await register.show(id!);
    expect(appeal.request).toMatchObject({
      type: 'appeal',
      appealOf: original,
      regime: 'us-state',
      region: 'VA',
    });
    expect(appeal.request.deadlines.due).toBe('2027-01-30');
    expect(appeal.requester).toEqual({ name: 'Vera Lane', phone: '(804) 555-0100' });
  });

  it('says plainly when the law of the request has no appeal, and logs nothing', async () => {
    const { say, register } = await setup();
    await say('log access request from Jo Weber jo@example.de received 2026-11-20 under GDPR in DE');
    await say('yes');
    const r = await say('appeal on 0001 received today');
    expect(r.text).toMatch(/DSR-2026-0001 is under the EU GDPR, which has no appeal to the controller/);
    expect(r.text).toMatch(/supervisory authority/);
    expect(await register.list({ status: ['all'] }, new Date('2026-12-02T10:00:00Z'))).toHaveLength(1);
    // Nothing was drafted: a "yes" now logs nothing more.
    await say('yes');
    expect(await register.list({ status: ['all'] }, new Date('2026-12-02T10:00:00Z'))).toHaveLength(1);
  });

  it('says the original is optional when an appeal names none, and links the one named next', async () => {
    const { say, register } = await setup();
    const original = await refused(say, register);
    const asked = await say('new appeal from Vera Lane, (804) 555-0100, received today');
    expect(asked.text).toMatch(/Appeal of: a request not in the register\. The original is optional/);
    const answered = await say(`it appeals #${Number(original.slice(-4))}`);
    expect(answered.text).toMatch(new RegExp(`Log an appeal of ${original}`));
  });
});
