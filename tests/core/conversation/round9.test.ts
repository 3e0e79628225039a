import { describe, expect, it } from 'vitest';
import { CHAT_LEAD, CHAT_NOW, exampleChat, leadChat } from '../../helpers/example-chat.js';

/**
 * Issue 16, the ninth blind test (36/50), kind by kind, end to end through the conversation
 * engine, in our own words: each test failed before the rule it names.
 */

const setup = leadChat();
const now = CHAT_NOW;

/** Three open requests: Marta in Spain (erasure), Theo in the UK (access), Ruth in Texas (access). */
async function threeRequests(say: (text: string) => Promise<{ text: string }>) {
  await say(
    'marta gil asked us to erase her data, she lives in spain, marta.gil@example.es, came in yesterday',
  );
  await say('yes');
  await say('sar for theo grant theo@example.co.uk in the uk, received 2 days ago');
  await say('yes');
  await say('access request from ruth vance ruth.v@example.com, texas, arrived today');
  await say('yes');
}

describe('a request named by its requester first name or a possessive', () => {
  it('acts on the one open request whose requester has that first name', async () => {
    const { say, register } = await setup();
    await threeRequests(say);
    const shown = await say("pull up marta's request");
    expect(shown.blocks.some((b) => b.kind === 'request' && b.request.id === 'DSR-2026-0001')).toBe(true);
    await say('theo withdrew his request');
    expect((await register.get('DSR-2026-0002')).outcome).toBe('withdrawn');
  });

  it('says no open request fits a name nobody has, without saying the name back', async () => {
    const { say, register } = await setup();
    await threeRequests(say);
    const before = await register.list({ status: ['all'] }, now);
    const r = await say("show me alex's request");
    expect(r.text).toMatch(/No request is open for a requester of that name/);
    expect(r.text).not.toMatch(/alex/i);
    expect(await register.list({ status: ['all'] }, now)).toEqual(before);
  });
});

describe('a request named by what it is', () => {
  it('acts on the one that fits, asks which when several do (listing them), and says when none does', async () => {
    const { say, register } = await setup();
    await threeRequests(say);
    await say('give the spanish one to priya');
    expect((await register.get('DSR-2026-0001')).owner).toBe('priya');
    const texas = await say("what's the status of the texas request");
    expect(texas.blocks.some((b) => b.kind === 'request' && b.request.id === 'DSR-2026-0003')).toBe(true);
    await say('log an erasure request from eva berg eva@example.at, austria, received today');
    await say('yes');
    const which = await say('close out the gdpr one');
    expect(which.text).toMatch(/fit "the gdpr one".*DSR-2026-0001.*DSR-2026-0004.*Which one\?/s);
    expect(which.text).not.toMatch(/UK GDPR/);
    const none = await say('show me the brazilian one');
    expect(none.text).toMatch(/No request that is open fits "the brazilian one".*requests all/);
    expect((await register.list({ status: ['closed'] }, now)).length).toBe(0);
  });
});

describe('the open requests in everyday words', () => {
  it.each(["what's still open right now?", "what's open and who has what", "who's got what"])(
    '"%s" lists the open requests with their owners',
    async (line) => {
      const { say } = await setup();
      await threeRequests(say);
      await say('hand 3 to priya');
      const r = await say(line);
      const list = r.blocks.find((b) => b.kind === 'request-list');
      expect(list?.kind === 'request-list' && list.requests.map((x) => x.id).sort()).toEqual([
        'DSR-2026-0001',
        'DSR-2026-0002',
        'DSR-2026-0003',
      ]);
      expect(r.text).toMatch(/DSR-2026-0003 .*owner priya/);
    },
  );
});

describe('yes and no to a draft in phrases', () => {
  it('logs on "good to go then" and drops on "hold off, leave it"', async () => {
    const { say, register } = await setup();
    await say('restriction request for ines vidal ines.vidal@example.es, barcelona, received on the 30th');
    expect((await say('good to go then')).text).toMatch(/Logged DSR-2026-0001/);
    await say('subject access request from pia lund pia@example.co.uk in the uk');
    expect((await say('hold off, leave it')).text).toMatch(/Cancelled/);
    expect((await register.list({ status: ['all'] }, now)).length).toBe(1);
  });
});

describe('a note', () => {
  it('is added to the audit trail as typed, "verified" and all, and changes nothing else', async () => {
    const { say, register } = await setup();
    await threeRequests(say);
    const r = await say("note on 2: checked his passport, it's verified");
    expect(r.text).toMatch(
      /DSR-2026-0002: note added to the audit trail: "checked his passport, it's verified"/,
    );
    const detail = await register.show('DSR-2026-0002');
    expect(detail.request.status).toBe('received');
    expect(detail.trail.at(-1)).toMatchObject({
      action: 'noted',
      text: "checked his passport, it's verified",
    });
    expect((await register.verify()).ok).toBe(true);
  });

  it('is not said back where people who may not see requester data read it', async () => {
    const newChat = exampleChat('UTC');
    const { engine, register } = await newChat();
    const say = (text: string) => engine.handle({ text, actor: CHAT_LEAD, audience: 'private', now });
    await threeRequests(say);
    const shared = await engine.handle({
      text: 'note on 1: she rang back this morning',
      actor: CHAT_LEAD,
      audience: 'shared',
      now,
    });
    expect(shared.text).toMatch(/note added/);
    expect(shared.text).not.toMatch(/rang/);
    expect((await register.show('DSR-2026-0001')).trail.at(-1)?.text).toBe('she rang back this morning');
  });
});

describe('deadline questions in everyday words', () => {
  it('answers "when\'s a … due if we got it …" and "whats the deadline under …" from the deadline rules', async () => {
    const { say } = await setup();
    const ccpa = await say("when's a ccpa request due if we got it nov 18");
    // 45 calendar days (11 CCR 7021(b)); a period ending on a Saturday does not move.
    expect(ccpa.blocks.find((b) => b.kind === 'deadline')).toMatchObject({
      received: '2026-11-18',
      due: '2027-01-02',
    });
    const lgpd = await say('whats the deadline under the lgpd');
    expect(lgpd.text).toMatch(/No received date given, so counted from today, 2026-12-02/);
    expect(lgpd.blocks.find((b) => b.kind === 'deadline')).toMatchObject({ due: '2026-12-17' });
  });
});

describe('an extension with its reason', () => {
  it('shows the request as extended, says the reason back and keeps it in the audit trail', async () => {
    const { say, register } = await setup();
    await threeRequests(say);
    const r = await say("need more time on 2 - it's a complex case");
    expect(r.text).toMatch(/DSR-2026-0002: extend done, now due 2027-03-01/);
    expect(r.text).toMatch(/Reason: "it's a complex case"/);
    expect(r.text).toMatch(/DSR-2026-0002 access \(UK GDPR\) received, extended/);
    expect((await register.show('DSR-2026-0002')).trail.at(-1)).toMatchObject({
      action: 'extended',
      text: "it's a complex case",
    });
  });
});

describe('reminders asked for in chat', () => {
  it('says how reminders are sent and what they are about now, and changes nothing', async () => {
    const { say, register } = await setup();
    await say('erasure for jonas weber jonas@example.at in austria, received oct 12');
    await say('yes');
    const before = await register.list({ status: ['all'] }, now);
    const r = await say('send out the reminders now');
    expect(r.text).toMatch(/Reminders are not sent from the chat/);
    expect(r.text).toMatch(/privacy-ops reminders run --once/);
    expect(r.text).toMatch(/DSR-2026-0001 erasure .* overdue/);
    expect(await register.list({ status: ['all'] }, now)).toEqual(before);
  });
});

describe('a new intake while a draft waits', () => {
  it('is queued behind it and shown once the waiting one is logged', async () => {
    const { say, register } = await setup();
    await say('restriction request for ines vidal ines.vidal@example.es, barcelona, received on the 30th');
    const queued = await say('someone in ireland wants their address corrected - cian walsh cian@example.ie');
    expect(queued.text).toMatch(/Queued: the new request is kept and comes next/);
    expect(queued.text).toMatch(/ines\.vidal@example\.es/);
    const first = await say('yep');
    expect(first.text).toMatch(
      /Logged DSR-2026-0001.*Next, the request you sent while that one waited:.*cian@example\.ie/s,
    );
    expect((await say('yes')).text).toMatch(/Logged DSR-2026-0002/);
    const people = await register.requesters(await register.list({ status: ['all'] }, now));
    expect([...people.values()].map((p) => p?.name)).toEqual(['Ines Vidal', 'Cian Walsh']);
  });

  it('takes the place of the waiting one on "replace it with the new one", or comes next after a "no"', async () => {
    const { say, register } = await setup();
    await say('restriction request for ines vidal ines.vidal@example.es, barcelona, received on the 30th');
    await say('someone in ireland wants their address corrected - cian walsh cian@example.ie');
    const replaced = await say('replace it with the new one');
    expect(replaced.text).toMatch(/Dropped the request that was waiting.*cian@example\.ie/s);
    await say('yes');
    await say('subject access request from pia lund pia@example.co.uk in the uk');
    await say('max roe max@example.de wants his data erased, germany');
    const next = await say('no');
    expect(next.text).toMatch(/Cancelled; nothing was logged\..*max@example\.de/s);
    await say('yes');
    const people = await register.requesters(await register.list({ status: ['all'] }, now));
    expect([...people.values()].map((p) => p?.name)).toEqual(['Cian Walsh', 'Max Roe']);
  });
});
