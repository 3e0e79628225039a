import { describe, expect, it } from 'vitest';
import { type ConversationEngine, parseIntake } from '../../../src/core/conversation/engine.js';
import type { Actor, Audience, Reply } from '../../../src/core/conversation/reply.js';
import { exampleChat } from '../../helpers/example-chat.js';

const now = new Date('2026-11-25T10:00:00Z');
const lead: Actor = { id: 'test:lead', name: 'lead', isPrivacyTeam: true, timeZone: 'Europe/Berlin' };
const staff: Actor = { id: 'test:staff', name: 'staff', isPrivacyTeam: false };

const newChat = exampleChat('Europe/Berlin');

async function engine(): Promise<ConversationEngine> {
  return (await newChat()).engine;
}

function say(
  e: ConversationEngine,
  text: string,
  actor: Actor = lead,
  audience: Audience = 'private',
): Promise<Reply> {
  return e.handle({ text, actor, audience, now });
}

describe('conversation engine', () => {
  it('answers a policy question with quoted citations', async () => {
    const reply = await say(await engine(), 'how long do we hold on to technical logs at Brightdesk?');
    const answer = reply.blocks.find((b) => b.kind === 'answer');
    expect(answer?.kind === 'answer' && answer.found).toBe(true);
    expect(reply.text).toMatch(/30 days/);
    expect(answer?.kind === 'answer' && answer.citations[0]?.policy).toBe('brightdesk');
  });

  it('logs a one-line intake only after confirmation, and then lists it', async () => {
    const e = await engine();
    const ask = await say(
      e,
      'log erasure request from Jane Roe <jane@example.com> received yesterday under GDPR in FR',
    );
    expect(ask.text).toMatch(/Log an erasure request from Jane Roe <jane@example\.com>, received 2026-11-24/);
    expect((await say(e, 'requests')).text).toMatch(/Nothing here/);
    const done = await say(e, 'yes');
    expect(done.text).toMatch(/Logged DSR-2026-0001/);
    expect(done.notice?.text).toMatch(/DSR-2026-0001/);
    expect(done.notice?.text).not.toMatch(/jane|Roe/i);
    expect((await say(e, 'requests')).text).toMatch(/DSR-2026-0001 erasure/);
  });

  it('cancels a pending intake on "no" and writes nothing', async () => {
    const e = await engine();
    await say(e, 'log access request from a@example.com received today under ccpa');
    expect((await say(e, 'no')).text).toMatch(/Cancelled/);
    expect((await say(e, 'yes')).text).toMatch(/nothing waiting/);
    expect((await say(e, 'requests all')).text).toMatch(/Nothing here/);
  });

  it('asks for what a one-line intake is missing, one short question at a time', async () => {
    const e = await engine();
    expect((await say(e, 'log request from someone yesterday')).text).toMatch(/What kind of request is it/);
    expect((await say(e, 'yes')).text).toMatch(/Not yet: What kind of request/);
    expect((await say(e, 'a deletion')).text).toMatch(/Which law applies, or where is the requester/);
    expect((await say(e, 'she lives in Spain')).text).toMatch(/email address\?/);
    const draft = await say(e, 'email is ana@example.es');
    expect(draft.text).toMatch(
      /Log an erasure request from ana@example\.es \(no name given\), received 2026-11-24/,
    );
    expect(draft.text).toMatch(/Country: Spain \(ES\)/);
    expect((await say(e, 'yes')).text).toMatch(/Logged DSR-2026-0001/);
  });

  it('refuses listing and viewing to people outside the privacy team, but lets them log', async () => {
    const e = await engine();
    expect((await say(e, 'requests', staff)).text).toMatch(/only the privacy team/);
    expect((await say(e, 'show DSR-2026-0001', staff)).text).toMatch(/only the privacy team/);
    await say(e, 'log access request from b@example.com received today under gdpr', staff);
    expect((await say(e, 'yes', staff)).text).toMatch(/Logged DSR-2026-0001/);
  });

  it('never shows requester data to a shared audience', async () => {
    const e = await engine();
    const confirm = await say(
      e,
      'log access request from Ann Lee <ann@example.com> under gdpr',
      lead,
      'shared',
    );
    expect(confirm.text).not.toMatch(/ann@example\.com|Ann Lee/);
    await say(e, 'yes', lead, 'shared');
    const shown = await say(e, 'show DSR-2026-0001', lead, 'shared');
    expect(shown.text).not.toMatch(/ann@example\.com/);
    expect(shown.personal).toBe(false);
    const privately = await say(e, 'show DSR-2026-0001', lead, 'private');
    expect(privately.text).toMatch(/ann@example\.com/);
    expect(privately.personal).toBe(true);
  });

  it.each([
    ['shared', false],
    ['privacy-channel', true],
    ['private', true],
  ] as const)('shows the notes of a request in a %s conversation: %s', async (audience, visible) => {
    const e = await engine();
    await say(e, 'log erasure request from Ann Lee <ann@example.com> received today under gdpr');
    await say(e, 'yes');
    await say(e, 'start DSR-2026-0001 Asked by email to delete her account');
    await say(e, 'close DSR-2026-0001 completed Her sister called to confirm');
    const shown = await say(e, 'show DSR-2026-0001', lead, audience);
    const block = shown.blocks.find((b) => b.kind === 'request');
    expect(block?.kind === 'request' && block.trail?.map((t) => t.action)).toEqual(
      expect.arrayContaining(['created', 'started', 'closed']),
    );
    const notes = /Asked by email to delete her account|Her sister called to confirm/;
    if (visible) {
      expect(shown.text).toMatch(notes);
      expect(shown.personal).toBe(true);
    } else {
      expect(shown.text).not.toMatch(notes);
      expect(JSON.stringify(shown.blocks)).not.toMatch(notes);
      expect(shown.personal).toBe(false);
    }
  });

  it('changes requests by command and records each change in the trail', async () => {
    const e = await engine();
    await say(e, 'log portability request from c@example.com received 2026-11-20 under gdpr');
    await say(e, 'yes');
    expect((await say(e, 'assign DSR-2026-0001 @alice')).text).toMatch(/owner alice/);
    expect((await say(e, 'extend DSR-2026-0001 complex')).text).toMatch(/extend done/);
    expect((await say(e, 'extend DSR-2026-0001 again')).blocks[0]?.kind).toBe('error');
    expect((await say(e, 'close DSR-2026-0001')).text).toMatch(/completed/);
    expect((await say(e, 'close DSR-2026-0001 completed')).text).toMatch(/closed: completed/);
    expect((await say(e, 'close DSR-2026-0001 completed')).blocks[0]?.kind).toBe('error');
    const trail = (await say(e, 'show DSR-2026-0001')).blocks.find((b) => b.kind === 'request');
    expect(trail?.kind === 'request' && trail.trail?.map((t) => t.action)).toEqual(
      expect.arrayContaining(['created', 'assigned to alice', 'extended', 'closed']),
    );
  });

  it('asks whether the place an address ends in is right, and takes it on yes', async () => {
    const e = await engine();
    const draft = await say(e, 'access request from kasia@example.pl received yesterday');
    expect(draft.text).toMatch(/Poland, from the email address \(\.pl\) — is that right\?/);
    expect(draft.text).toMatch(/Law: not given yet/);
    // The yes takes the place and shows the complete draft; only the next yes logs it.
    const shown = await say(e, 'yes');
    expect(shown.text).toMatch(/under EU GDPR/);
    expect(shown.text).toMatch(/Country: Poland \(PL\)/);
    expect((await say(e, 'yes')).text).toMatch(/Logged DSR-2026-0001/);
  });

  it('says when a targeted-advertising opt-out is logged under the closest type', async () => {
    const e = await engine();
    const draft = await say(e, 'colorado resident wants to opt out of targeted ads, cole@example.com');
    expect(draft.text).toMatch(
      /Type: opt-out-of-sale \(opt-out of targeted advertising: the register has no type/,
    );
  });

  it('computes a deadline, and one for a future date as a labelled what-if', async () => {
    const e = await engine();
    expect((await say(e, 'deadline gdpr 2026-06-05 DE')).text).toMatch(/due 2026-07-06/);
    // Issue 16 (second blind test): a deadline question about a day still to come is a what-if.
    const future = await say(e, 'deadline gdpr 2027-01-01 DE');
    expect(future.text).toMatch(/^What-if: 2027-01-01 is still to come/);
    expect(future.blocks.some((b) => b.kind === 'deadline')).toBe(true);
    expect((await say(e, 'deadline nonsense 2026-01-01')).text).toMatch(/unknown regime/);
  });

  it('answers an unknown button without throwing', async () => {
    const reply = await (await engine()).act('no.such.action', 'x', {
      actor: lead,
      audience: 'private',
      now,
    });
    expect(reply.blocks[0]?.kind).toBe('error');
  });
});

describe('parseIntake', () => {
  it('reads type, law, requester, country and a relative date', () => {
    const { request, missing } = parseIntake(
      'please log a deletion request from Max Muster <max@example.de> received last friday under uk gdpr in GB',
      now,
      'Europe/London',
    );
    expect(missing).toEqual([]);
    expect(request).toMatchObject({
      type: 'erasure',
      regime: 'uk-gdpr',
      requesterEmail: 'max@example.de',
      requesterName: 'Max Muster',
      country: 'GB',
      received: '2026-11-20',
    });
  });

  it('takes a yearless date that would be in the future as last year', () => {
    expect(
      parseIntake('log access request from a@b.co received on 3 March under ccpa', now, 'UTC').request
        .received,
    ).toBe('2026-03-03');
  });
});

describe("the one-line intake and the requester's name", () => {
  it.each([
    [
      'an address alone',
      'log access request from john.smith@example.com received yesterday under GDPR in DE',
    ],
    ['an address in brackets', 'log access request from <john.smith@example.com> under GDPR'],
    ['a short address', 'log access request from jo@example.com under GDPR'],
  ])('never cuts a name out of %s', (_, message) => {
    const { request, missing } = parseIntake(message, now, 'UTC');
    expect(missing).toEqual([]);
    expect(request.requesterEmail).toMatch(/@example\.com$/);
    expect(request.requesterName).toBeUndefined();
  });

  it.each([
    ['Tom Baker tom@example.com', 'Tom Baker'],
    ['Tom Baker <tom@example.com>', 'Tom Baker'],
    ['Tom Baker (tom@example.com)', 'Tom Baker'],
    ['Zoë O’Brien-Smith zoe@example.ie', 'Zoë O’Brien-Smith'],
  ])('reads the whole name written before the address: %s', (who, name) => {
    expect(parseIntake(`log erasure request from ${who} under gdpr`, now, 'UTC').request.requesterName).toBe(
      name,
    );
  });

  it('proposes and stores no name when none was given, and says how to add one', async () => {
    const e = await engine();
    const proposal = await say(
      e,
      'log access request from john.smith@example.com received yesterday under GDPR in DE',
    );
    expect(proposal.text).toMatch(/from john\.smith@example\.com \(no name given\)/);
    expect(proposal.text).not.toMatch(/\bjo\b/);
    expect((await say(e, 'yes')).text).toMatch(/Logged DSR-2026-0001/);
    const shown = await say(e, 'show DSR-2026-0001');
    const block = shown.blocks.find((b) => b.kind === 'request');
    expect(block?.kind === 'request' && block.request.requester).toEqual({
      name: '',
      email: 'john.smith@example.com',
    });
    expect(shown.text).toMatch(/requester: john\.smith@example\.com \(no name given\)/);
  });
});
