import { describe, expect, it } from 'vitest';
import { slackAddress } from '../../../src/channels/slack/address.js';
import { ConversationEngine } from '../../../src/core/conversation/engine.js';
import type { PolicyAnswerer } from '../../../src/core/policy/answer.js';
import { buildDigest } from '../../../src/core/reminders/digest.js';
import { digestReply, reminderReply } from '../../../src/core/reminders/messages.js';
import { type Reminder, remindersDue, type SelectionOptions } from '../../../src/core/reminders/select.js';
import { DEFAULT_WORK_HOURS, dueDayOpen, localTime } from '../../../src/core/reminders/time.js';
import type { RequestState } from '../../../src/core/requests/model.js';
import { ctx, memoryRegister, newRequest } from '../../helpers/register-stores.js';

/**
 * The pure selection: which (request, deadline, stage) is due at an instant, for whom, in whose
 * working hours. Instants are passed in; nothing reads the clock.
 */

const ZONES: Record<string, string> = { U0BERLIN1: 'Europe/Berlin', U0LOSANG1: 'America/Los_Angeles' };
const OPTIONS: SelectionOptions = {
  offsets: [7, 3, 1, 0],
  hours: DEFAULT_WORK_HOURS,
  timeZone: 'Europe/London',
  timeZoneOf: (a) => ZONES[a],
  lead: 'U0LEAD001',
  channelWithinDays: 1,
  addressOf: slackAddress,
};
const at = (iso: string) => new Date(iso);
const stages = (rs: Reminder[]) => rs.map((r) => `${r.deadline}:${r.stage}`).sort();

/** A GDPR access request received 2 March 2026 in Germany: the response is due Thursday 2 April 2026. */
async function gdpr(owner: string | undefined) {
  const { register } = await memoryRegister();
  const r = await register.add(
    newRequest({ received: '2026-03-02', ...(owner ? { owner } : {}) }),
    ctx(at('2026-03-03T10:00:00Z')),
  );
  expect(r.deadlines.due).toBe('2026-04-02');
  return { register, request: r };
}

describe('remindersDue', () => {
  it('reminds the owner 7, 3 and 1 days before and on the due day, in their working hours', async () => {
    const { request } = await gdpr('U0BERLIN1');
    const due = (iso: string) => remindersDue([request], at(iso), OPTIONS);
    // 26 March, before the switch to summer time: 09:00 in Berlin is 08:00 UTC.
    expect(due('2026-03-26T07:30:00Z')).toEqual([]);
    const d7 = due('2026-03-26T08:00:00Z');
    expect(stages(d7)).toEqual(['response:d7']);
    expect(d7[0]).toMatchObject({
      key: `${request.id}|response|2026-04-02|d7`,
      roles: ['owner'],
      ownerAddress: 'U0BERLIN1',
      timeZone: 'Europe/Berlin',
      daysLeft: 7,
    });
    // The working day ends at 17:00 local; Saturday is not a working day.
    expect(due('2026-03-26T16:00:00Z')).toEqual([]);
    expect(due('2026-03-28T10:00:00Z')).toEqual([]);
    // Monday 30 March, summer time (UTC+2): 09:00 local is 07:00 UTC.
    expect(stages(due('2026-03-30T07:00:00Z'))).toEqual(['response:d3']);
    const d1 = due('2026-04-01T07:00:00Z');
    expect(stages(d1)).toEqual(['response:d1']);
    expect(d1[0]?.roles).toEqual(['owner', 'channel']);
    // The due day is not held to working hours once it has started.
    expect(stages(due('2026-04-02T07:00:00Z'))).toEqual(['response:d0']);
    expect(stages(due('2026-04-02T20:30:00Z'))).toEqual(['response:d0']);
  });

  it('escalates an overdue request once a day to the channel, the lead and the owner', async () => {
    const { request } = await gdpr('U0BERLIN1');
    const overdue = remindersDue([request], at('2026-04-03T10:00:00Z'), OPTIONS);
    expect(overdue).toHaveLength(1);
    expect(overdue[0]).toMatchObject({
      kind: 'overdue',
      stage: 'overdue:2026-04-03',
      roles: ['owner', 'channel', 'lead'],
      timeZone: 'Europe/London',
    });
    // Before 09:00 in London (08:00 BST = 07:00 UTC) it is still the previous day's escalation.
    expect(remindersDue([request], at('2026-04-04T07:00:00Z'), OPTIONS)[0]?.stage).toBe('overdue:2026-04-03');
    // Weekends too: an overdue request does not wait for Monday.
    expect(remindersDue([request], at('2026-04-04T08:00:00Z'), OPTIONS)[0]?.stage).toBe('overdue:2026-04-04');
  });

  it('sends every stage on a working day when none falls on a weekend', async () => {
    // Received 10 March: due Friday 10 April 2026, so d7, d3 and d1 are Friday, Tuesday, Thursday.
    const { register } = await memoryRegister();
    const r = await register.add(
      newRequest({ received: '2026-03-10', owner: 'U0BERLIN1' }),
      ctx(at('2026-03-10T10:00:00Z')),
    );
    expect(r.deadlines.due).toBe('2026-04-10');
    const seen = new Map<string, number>();
    for (let t = Date.parse('2026-03-25T00:00:00Z'); t < Date.parse('2026-04-11T00:00:00Z'); t += 3_600_000) {
      for (const x of remindersDue([r], new Date(t), { ...OPTIONS, lead: undefined }))
        if (!seen.has(x.stage)) seen.set(x.stage, localTime(new Date(t), x.timeZone).weekday);
    }
    expect(Object.fromEntries(seen)).toEqual({ d7: 5, d3: 2, d1: 4, d0: 5 });
  });

  it('skips a stage whose day is a weekend: the next working morning gets the later stage', async () => {
    // Virginia, 45 calendar days: received 28 February, due Tuesday 14 April. d3 is the
    // Saturday before, so Monday's reminder is d1 and d3 is never sent.
    const { register } = await memoryRegister();
    const r = await register.add(
      newRequest({ regime: 'us-state', region: 'VA', received: '2026-02-28', owner: 'U0LOSANG1' }),
      ctx(at('2026-02-28T20:00:00Z')),
    );
    expect(r.deadlines.due).toBe('2026-04-14');
    const seen = new Set<string>();
    for (let t = Date.parse('2026-04-01T00:00:00Z'); t < Date.parse('2026-04-15T00:00:00Z'); t += 3_600_000)
      for (const x of remindersDue([r], new Date(t), OPTIONS)) seen.add(x.stage);
    expect([...seen].sort()).toEqual(['d0', 'd1', 'd7']);
  });

  it('waits for working hours in the owner zone (Los Angeles)', async () => {
    const { request } = await gdpr('<@U0LOSANG1>');
    // 26 March 2026, PDT (UTC-7): 08:00 local is 15:00 UTC, 09:00 local is 16:00 UTC.
    expect(remindersDue([request], at('2026-03-26T15:00:00Z'), OPTIONS)).toEqual([]);
    expect(remindersDue([request], at('2026-03-26T16:00:00Z'), OPTIONS)[0]).toMatchObject({
      stage: 'd7',
      ownerAddress: 'U0LOSANG1',
      timeZone: 'America/Los_Angeles',
    });
  });

  it('messages a named owner when the caller resolved the name to an address', async () => {
    const named = (await gdpr('Sam Staff')).request;
    const addressOf = (owner: string) => (owner === 'Sam Staff' ? 'teams:2222' : null);
    const [d7] = remindersDue([named], at('2026-03-26T10:00:00Z'), { ...OPTIONS, addressOf });
    expect(d7).toMatchObject({
      stage: 'd7',
      roles: ['owner'],
      owner: 'Sam Staff',
      ownerAddress: 'teams:2222',
    });
    // An answer of null overrides the forms the core knows: a Slack id nobody can reach is named.
    const slack = (await gdpr('U0BERLIN1')).request;
    const [unreachable] = remindersDue([slack], at('2026-03-26T10:00:00Z'), { ...OPTIONS, addressOf });
    expect(unreachable).toMatchObject({ stage: 'd7', roles: ['channel'], ownerAddress: null });
  });

  it('sends reminders about named owners to the channel, and flags requests nobody owns', async () => {
    const named = (await gdpr('alice')).request;
    expect(remindersDue([named], at('2026-03-26T10:00:00Z'), OPTIONS)[0]).toMatchObject({
      stage: 'd7',
      roles: ['channel'],
      ownerAddress: null,
      timeZone: 'Europe/London',
    });
    const nobody = (await gdpr(undefined)).request;
    const flagged = remindersDue([nobody], at('2026-03-12T10:00:00Z'), OPTIONS);
    expect(flagged).toEqual([
      expect.objectContaining({ kind: 'unassigned', stage: 'unassigned:2026-03-12', roles: ['channel'] }),
    ]);
    // Outside working hours in the team's zone, and at weekends, the flag waits.
    expect(remindersDue([nobody], at('2026-03-12T18:00:00Z'), OPTIONS)).toEqual([]);
    expect(remindersDue([nobody], at('2026-03-14T10:00:00Z'), OPTIONS)).toEqual([]);
  });

  it('follows the current state: paused, closed, extended and snoozed requests', async () => {
    const { register, request } = await gdpr('U0BERLIN1');
    const when = at('2026-03-26T09:00:00Z');
    const c = ctx(when);
    // Snoozed: nothing before the due day, but the due day itself still comes.
    const snoozes = new Map([[request.id, '2026-03-27T09:00:00.000Z']]);
    expect(remindersDue([request], when, { ...OPTIONS, snoozes })).toEqual([]);
    expect(
      remindersDue([request], at('2026-04-02T09:00:00Z'), {
        ...OPTIONS,
        snoozes: new Map([[request.id, '2026-04-05T00:00:00Z']]),
      }),
    ).toHaveLength(1);
    // Extended: the response moves to 2 June, so the 2 April key is no longer due; the extension
    // notice clock (due 2 April) appears.
    const extended = await register.extend(request.id, c, 'complex');
    expect(stages(remindersDue([extended], when, OPTIONS))).toEqual(['extension-notice:d7']);
    const closed = await register.closeRequest(request.id, 'completed', c);
    expect(remindersDue([closed], when, OPTIONS)).toEqual([]);
    const uk = await register.add(
      newRequest({ regime: 'uk-gdpr', received: '2026-03-02', owner: 'U0BERLIN1' }),
      c,
    );
    const paused = await register.pause(uk.id, c, 'waiting for clarification');
    expect(remindersDue([paused], when, OPTIONS)).toEqual([]);
  });

  it('reminds of every clock: CCPA receipt confirmation and the policy target', async () => {
    const { register } = await memoryRegister({ policyTargets: { responseDays: () => 20 } });
    const r = await register.add(
      newRequest({ regime: 'ccpa', received: '2026-03-02', owner: 'U0LOSANG1', policyId: 'acme' }),
      ctx(at('2026-03-02T20:00:00Z')),
    );
    const kinds = new Set<string>();
    for (let t = Date.parse('2026-03-02T00:00:00Z'); t < Date.parse('2026-04-20T00:00:00Z'); t += 3_600_000)
      for (const x of remindersDue([r], new Date(t), OPTIONS)) kinds.add(`${x.deadline}:${x.stage}`);
    // Receipt confirmation due Monday 16 March, the policy target Sunday 22 March: the day
    // before each is a weekend day, so their d1 stage is skipped; the policy target's 7-day stage
    // falls on Sunday 15 March and is folded into the 3-day one (issue 15, point 4).
    expect([...kinds].sort()).toEqual([
      'policy-target:d0',
      'policy-target:d3',
      'receipt-confirmation:d0',
      'receipt-confirmation:d3',
      'receipt-confirmation:d7',
      'response:d0',
      'response:d1',
      'response:d3',
      'response:d7',
      'response:overdue:2026-04-17',
      'response:overdue:2026-04-18',
      'response:overdue:2026-04-19',
    ]);
  });
});

describe('one calendar, and each reader in their own hours (issue 15, point 4)', () => {
  /** Every stage seen hour by hour over a span, with the instant it was first due. */
  function firstDue(r: RequestState, from: string, to: string, options: SelectionOptions = OPTIONS) {
    const seen = new Map<string, Reminder & { at: string }>();
    for (let t = Date.parse(from); t < Date.parse(to); t += 30 * 60_000)
      for (const x of remindersDue([r], new Date(t), options))
        if (!seen.has(`${x.deadline}:${x.stage}`))
          seen.set(`${x.deadline}:${x.stage}`, { ...x, at: new Date(t).toISOString() });
    return seen;
  }

  it("folds a Sunday deadline's 7-day stage into the 3-day one, as docs/reminders.md says", async () => {
    // CCPA, 45 calendar days from Thursday 19 February: due Sunday 5 April, not moved off the weekend.
    const { register } = await memoryRegister();
    const r = await register.add(
      newRequest({ regime: 'ccpa', received: '2026-02-19', owner: 'U0BERLIN1' }),
      ctx(at('2026-02-19T12:00:00Z')),
    );
    expect(r.deadlines.due).toBe('2026-04-05');
    const seen = firstDue(r, '2026-03-25T00:00:00Z', '2026-04-06T00:00:00Z', { ...OPTIONS, lead: undefined });
    const response = [...seen.values()].filter((x) => x.deadline === 'response');
    // Sunday 29 March (7 days) and Saturday 4 April (1 day) are not working days: Thursday's 3-day
    // reminder is the first, the due day itself the last. (It was sent on Monday, 6 days before.)
    expect(response.map((x) => [x.stage, localTime(new Date(x.at), 'Europe/Berlin').weekday])).toEqual([
      ['d3', 4],
      ['d0', 7],
    ]);
  });

  it("decides due and overdue on the team's calendar only, and says so", async () => {
    // The team in Tokyo, the owner in New York; due Thursday 2 April.
    const tokyo = { ...OPTIONS, timeZone: 'Asia/Tokyo', timeZoneOf: () => 'America/New_York' };
    const { request } = await gdpr('U0NEWYORK');
    // 3 April 00:30 UTC: 20:30 on 2 April in New York (their due day, in the evening), 09:30 on
    // 3 April in Tokyo (the team's due day is over). It was both "due today" and "overdue".
    const now = at('2026-04-03T00:30:00Z');
    const due = remindersDue([request], now, tokyo);
    expect(due.map((x) => x.kind)).toEqual(['overdue']);
    expect(due[0]).toMatchObject({ stage: 'overdue:2026-04-03', daysLeft: -1 });
    const text = reminderReply(
      { kind: 'overdue', deadline: 'response', due: '2026-04-02' },
      request,
      '2026-04-03',
      'owner',
      'Asia/Tokyo',
    ).text;
    expect(text).toMatch(/passed on Thursday 2 April 2026, 1 day ago by the team's calendar \(Asia\/Tokyo\)/);
    // The day before in Tokyo (New York's 1 April, 20:30): due today for the team, one reminder.
    expect(remindersDue([request], at('2026-04-02T00:30:00Z'), tokyo).map((x) => x.kind)).toEqual([
      'due-today',
    ]);
  });

  it("sends the due day's copies in each reader's hours of the team's due day, weekends included", async () => {
    const zones: Record<string, string> = {
      U0LOSANG1: 'America/Los_Angeles',
      U0TOKYO01: 'Asia/Tokyo',
      U0LONDON1: 'Europe/London',
    };
    // The team in Berlin; due Thursday 2 April, whose Berlin day is 1 April 22:00 to 2 April 22:00 UTC.
    const berlin = { ...OPTIONS, timeZone: 'Europe/Berlin', timeZoneOf: (a: string) => zones[a] };
    const first = async (owner: string) => {
      const { request } = await gdpr(owner);
      return firstDue(request, '2026-04-01T00:00:00Z', '2026-04-03T00:00:00Z', berlin).get('response:d0');
    };
    // Los Angeles: the team's due day begins at 15:00 their time, in their working hours: at once,
    // not at their next 09:00 (17:00 in Berlin). Before, it waited for their own 2 April.
    expect(await first('U0LOSANG1')).toMatchObject({
      at: '2026-04-01T22:00:00.000Z',
      roles: ['owner', 'channel'],
    });
    // Tokyo: the team's day begins at 05:00 there; the DM waits for 09:00 Tokyo.
    expect(await first('U0TOKYO01')).toMatchObject({ at: '2026-04-02T00:00:00.000Z' });
    // London, an hour behind: the reminder is due at 09:00 in Berlin for the channel, but the
    // owner's copy is theirs neither at 23:00 their time, when the team's day begins, nor at 08:00,
    // only from their own 09:00 (the scheduler holds it until then).
    expect(await first('U0LONDON1')).toMatchObject({
      at: '2026-04-02T07:00:00.000Z',
      roles: ['owner', 'channel'],
    });
    const open = (iso: string) =>
      dueDayOpen(
        localTime(at(iso), 'Europe/London'),
        localTime(at(iso), 'Europe/Berlin'),
        DEFAULT_WORK_HOURS,
      );
    expect(
      ['2026-04-01T22:30:00Z', '2026-04-02T07:30:00Z', '2026-04-02T08:00:00Z', '2026-04-02T20:00:00Z'].map(
        open,
      ),
    ).toEqual([false, false, true, true]);
    // A due day on a Saturday comes on the Saturday, in working hours.
    const { register } = await memoryRegister();
    const saturday = await register.add(
      newRequest({ regime: 'ccpa', received: '2026-02-18', owner: 'U0LONDON1' }),
      ctx(at('2026-02-18T12:00:00Z')),
    );
    expect(saturday.deadlines.due).toBe('2026-04-04');
    const d0 = firstDue(saturday, '2026-04-03T00:00:00Z', '2026-04-05T00:00:00Z', berlin).get('response:d0');
    expect(d0?.at).toBe('2026-04-04T07:00:00.000Z');
  });

  it("records the channel's 1-day summary in the team's hours, whatever the owner's", async () => {
    // A Los Angeles owner, the team in London; due Thursday 2 April. At 09:00 in London on
    // Wednesday it is 01:00 in Los Angeles: the 1-day stage is due for the channel now.
    const { request } = await gdpr('U0LOSANG1');
    const [d1] = remindersDue([request], at('2026-04-01T08:00:00Z'), OPTIONS);
    expect(d1).toMatchObject({
      stage: 'd1',
      roles: ['owner', 'channel'],
      timeZone: 'America/Los_Angeles',
      workHours: true,
    });
    // And with the team out of hours and the owner too, nothing.
    expect(remindersDue([request], at('2026-04-01T06:00:00Z'), OPTIONS)).toEqual([]);
  });
});

describe('slackAddress', () => {
  it.each([
    ['U012AB3CD', 'U012AB3CD'],
    ['<@U012AB3CD>', 'U012AB3CD'],
    ['<@W012AB3CD|bob>', 'W012AB3CD'],
    [' U012AB3CD ', 'U012AB3CD'],
    ['ULRICH', null],
    ['WALTER99X'.toLowerCase(), null],
    ['U12', null],
    ['alice', null],
    ['<@alice>', null],
  ])('%s -> %s', (owner, address) => {
    expect(slackAddress(owner)).toBe(address);
  });
});

describe('reminder messages', () => {
  it('carry the request facts, the rule and the buttons, never the requester', async () => {
    const { request } = await gdpr('U0BERLIN1');
    const reply = reminderReply(
      { kind: 'before', deadline: 'response', due: '2026-04-02' },
      request,
      '2026-03-30',
      'owner',
      'Europe/London',
    );
    expect(reply.text).toMatch(
      /DSR-2026-0001 \(access, EU GDPR\) is in 3 days, on Thursday 2 April 2026, by the team's calendar \(Europe\/London\)/,
    );
    expect(reply.text).toMatch(/GDPR art\. 12\(3\)/);
    expect(reply.text).not.toMatch(/Jane|jane@/);
    expect(reply.personal).toBe(false);
    const actions = reply.blocks.find((b) => b.kind === 'actions');
    expect(actions?.kind === 'actions' && actions.buttons.map((b) => b.action)).toEqual([
      'request.close',
      'request.extend',
      'request.assign-me',
      'request.snooze',
    ]);
  });

  it('digest lists what is due this week, what is overdue and what has no owner', async () => {
    const { register } = await memoryRegister();
    const c = ctx(at('2026-03-30T10:00:00Z'));
    await register.add(newRequest({ received: '2026-03-02', owner: 'alice' }), c); // due 2 April
    await register.add(newRequest({ received: '2026-02-02' }), c); // due 2 March: overdue, no owner
    await register.add(newRequest({ received: '2026-03-25', owner: 'bob' }), c); // due 27 April
    const all = (await register.list({ status: ['all'] }, c.now)) as RequestState[];
    const digest = buildDigest(all, '2026-03-30');
    expect(digest.totals).toEqual({ items: 1, overdue: 1, unassigned: 1 });
    expect(digest.until).toBe('2026-04-05');
    const text = digestReply(digest).text;
    expect(text).toMatch(/DSR-2026-0001: response deadline 2026-04-02 \(in 3 days\), owner alice/);
    expect(text).toMatch(/DSR-2026-0002: response deadline 2026-03-02 \(28 days overdue\)/);
    expect(text).not.toMatch(/Jane|jane@/);
  });
});

describe('the snooze button', () => {
  it('snoozes through the engine, for the privacy team only', async () => {
    const { register, request } = await gdpr('U0BERLIN1');
    const calls: Array<[string, string]> = [];
    const engine = new ConversationEngine({
      answerer: {} as PolicyAnswerer,
      register,
      defaultCountry: 'DE',
      defaultTimeZone: 'Europe/Berlin',
      snoozeReminders: async (id, now) => {
        calls.push([id, now.toISOString()]);
        return new Date(now.getTime() + 86_400_000);
      },
    });
    const now = at('2026-03-26T09:00:00Z');
    const team = { id: 'slack:U0BERLIN1', name: 'U0BERLIN1', isPrivacyTeam: true, timeZone: 'Europe/Berlin' };
    const reply = await engine.act('request.snooze', request.id, { actor: team, audience: 'private', now });
    expect(reply.text).toMatch(
      /DSR-2026-0001: reminders snoozed until 27 Mar 2026, 10:00 \(Europe\/Berlin\)/,
    );
    expect(calls).toEqual([[request.id, now.toISOString()]]);
    const outsider = { ...team, isPrivacyTeam: false };
    const refused = await engine.act('request.snooze', request.id, {
      actor: outsider,
      audience: 'private',
      now,
    });
    expect(refused.blocks[0]?.kind).toBe('error');
    expect(calls).toHaveLength(1);
  });
});
