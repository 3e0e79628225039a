import { describe, expect, it } from 'vitest';
import { CHAT_NOW, leadChat } from '../../helpers/example-chat.js';

/**
 * Issue 16, the second blind test, kind by kind, through the conversation engine: each test
 * failed before the rule it names.
 */

const setup = leadChat();
const now = CHAT_NOW;

describe('places by city', () => {
  it('logs a Toronto requester under PIPEDA, in Ontario', async () => {
    const { say, register } = await setup();
    await say('dsar from raj@example.ca, she lives in toronto');
    await say('no name');
    const [r] = await register.list({ status: ['all'] }, now);
    expect(r).toMatchObject({ regime: 'pipeda', country: 'CA', region: 'ON' });
  });

  it('says plainly that New York has no comprehensive privacy law, and asks which law the team wants', async () => {
    const { say } = await setup();
    const r = await say(
      'someone emailed asking what data we have on them - laura chen lchen@x.com, new york',
    );
    expect(r.text).toMatch(/New York has no comprehensive consumer privacy law/);
    expect(r.text).toMatch(/Which law does your team want/);
    expect(r.text).toMatch(/Type: access/);
  });
});

describe('names and addresses typed in capitals', () => {
  it('stores a title-cased name and a lower-case address', async () => {
    const { say, register } = await setup();
    await say('ACCESS REQUEST FROM SEAN MCCARTHY SEAN.MCCARTHY@EXAMPLE.IE, IRELAND');
    await say('yes');
    const [r] = await register.list({ status: ['all'] }, now);
    expect((await register.show(r!.id)).requester).toEqual({
      name: 'Sean McCarthy',
      email: 'sean.mccarthy@example.ie',
    });
  });
});

describe('how a request came in', () => {
  it('records the channel the line names, and chat otherwise', async () => {
    const { say, register } = await setup();
    await say('access request from Eva Berg via the web form, eva@example.at, austria');
    await say('yes');
    await say('access request from Olaf Berg olaf@example.at, austria');
    await say('yes');
    const list = await register.list({ status: ['all'] }, now);
    expect(list.map((r) => r.channel).sort()).toEqual(['chat', 'web form']);
  });
});

describe('a deadline for a day still to come', () => {
  it('is worked out as a what-if and labelled so, while intake still refuses a future day', async () => {
    const { say, register } = await setup();
    const r = await say('opt out deadline ccpa, got it 2026-12-18');
    expect(r.blocks.find((b) => b.kind === 'deadline')).toMatchObject({ received: '2026-12-18' });
    expect(r.text).toMatch(/What-if: 2026-12-18 is still to come/);
    const intake = await say('log access request from al@example.de under gdpr received 2026-12-18');
    await say('no name');
    expect(intake.text + (await say('yes')).text).toMatch(/future/);
    expect(await register.list({ status: ['all'] }, now)).toEqual([]);
  });
});

describe('on hold under a law without a stop-the-clock rule', () => {
  it('records the wait in the audit trail, keeps the deadline and says why; resume clears it', async () => {
    const { say, register } = await setup();
    await say('log access request from Jo Weber jo@example.de received 2026-11-20 under GDPR in DE');
    await say('yes');
    const [before] = await register.list({ status: ['all'] }, now);
    const held = await say('put #1 on hold, waiting on ID');
    expect(held.text).toMatch(/keeps running: the EU GDPR has no stop-the-clock rule/);
    expect(held.text).toContain(before!.deadlines.due);
    let state = await register.get(before!.id);
    expect(state).toMatchObject({ status: before!.status, waitingSince: '2026-12-02' });
    expect(state.deadlines.due).toBe(before!.deadlines.due);
    const back = await say('ID came in for #1');
    expect(back.text).toMatch(/no longer waiting on the requester/);
    state = await register.get(before!.id);
    expect(state.waitingSince).toBeNull();
    const trail = (await register.show(before!.id)).trail.map((e) => e.action);
    expect(trail.slice(-2)).toEqual(['waiting-started', 'waiting-ended']);
    // Nothing to resume now: said in plain words, not as a system message.
    const again = await say('resume #1');
    expect(again.text).toMatch(
      /is not on hold \(it is received and not started\), so there is nothing to resume/,
    );
    expect(again.text).not.toMatch(/only from/);
  });
});

describe('the request card of a request on hold', () => {
  it('shows since when the team waits on the requester, and that the deadline runs on', async () => {
    const { say } = await setup();
    await say('log access request from Jo Weber jo@example.de received 2026-11-20 under GDPR in DE');
    await say('yes');
    await say('put #1 on hold, waiting on ID');
    const later = new Date('2026-12-05T10:00:00Z');
    const shown = await say('show 0001', later);
    const card = shown.blocks.find((b) => b.kind === 'request');
    expect(card?.kind === 'request' && card.request.onHold).toEqual({
      since: '2026-12-02',
      days: 3,
      clockStopped: false,
    });
    expect(shown.text).toMatch(
      /Waiting on the requester since 2026-12-02 \(3 days\): the deadline keeps running/,
    );
    expect((await say('requests open', later)).text).toMatch(
      /DSR-2026-0001 access \(EU GDPR\) received \(waiting on the requester since 2026-12-02\)/,
    );
    await say('resume #1', later);
    expect((await say('show 0001', later)).text).not.toMatch(/Waiting on the requester/);
  });

  it('shows since when the clock stands still where the law stops it (UK GDPR)', async () => {
    const { say } = await setup();
    await say('log access request from Jo Weber jo@example.co.uk received 2026-11-20 under UK GDPR');
    await say('yes');
    await say('pause #1, waiting for clarification');
    const shown = await say('show 0001', new Date('2026-12-03T10:00:00Z'));
    expect(shown.text).toMatch(/On hold since 2026-12-02 \(1 day\): the clock is stopped until it resumes/);
  });
});

describe('a request logged without a name', () => {
  it('says no name was recorded and how to add one', async () => {
    const { say, register } = await setup();
    await say('access request from jo@example.de under gdpr');
    const r = await say('yes');
    expect(r.text).toMatch(
      /No requester name was recorded; to add it, say "the name on DSR-2026-0001 should be Jane Doe"/,
    );
    await say('the name on DSR-2026-0001 should be Jo Weber');
    expect((await register.show('DSR-2026-0001')).requester?.name).toBe('Jo Weber');
  });
});
