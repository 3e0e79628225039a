import { describe, expect, it } from 'vitest';
import {
  activitySchema,
  actorOf,
  audienceOf,
  decodeEntities,
  messageText,
  type TeamsActivity,
} from '../../../src/channels/teams/activity.js';
import { MAX_CARD_CHARS, replyCard, requestFormCard } from '../../../src/channels/teams/cards.js';
import { FORM_RE } from '../../../src/channels/teams/channel.js';
import type { Reply, RequestView } from '../../../src/core/conversation/reply.js';
import {
  cardText,
  GENERAL_CHANNEL,
  LEAD,
  PRIVACY_CHANNEL,
  STAFF,
  submitActions,
  TeamsActivities,
} from '../../fakes/bot-connector.js';

/** The pure parts of the Teams channel: activity -> turn, reply -> Adaptive Card. */

const teams = new TeamsActivities('https://smba.trafficmanager.net/emea/');
const parse = (a: Record<string, unknown>): TeamsActivity => activitySchema.parse(a);

describe('activity -> turn', () => {
  it('removes the bot mention and keeps other mentions as @Name', () => {
    const activity = parse({
      ...teams.message('x', { kind: 'channel', channel: GENERAL_CHANNEL }),
      text: '<at>privacy-ops</at> assign DSR-2026-0001 <at>Alice Smith</at>&nbsp;please &amp; thanks',
      entities: [
        {
          type: 'mention',
          text: '<at>privacy-ops</at>',
          mentioned: { id: '28:00000000-0000-0000-0000-0000000000b0', name: 'privacy-ops' },
        },
        { type: 'mention', text: '<at>Alice Smith</at>', mentioned: { id: '29:alice', name: 'Alice Smith' } },
      ],
    });
    expect(messageText(activity)).toBe('assign DSR-2026-0001 @Alice Smith please & thanks');
  });

  it('removes the bot mention wherever it is, also under its entity name', () => {
    const activity = parse({
      ...teams.message('x', { kind: 'groupChat' }),
      text: 'requests due soon <at>Privacy Ops (bot)</at>',
      entities: [
        {
          type: 'mention',
          text: '<at>privacy-ops</at>',
          mentioned: { id: '28:00000000-0000-0000-0000-0000000000b0', name: 'Privacy Ops (bot)' },
        },
      ],
    });
    expect(messageText(activity)).toBe('requests due soon');
  });

  it('decodes numeric and named entities but leaves unknown ones alone', () => {
    expect(decodeEntities('&#39;a&#x27; &lt;b&gt; &bogus; &#0;')).toBe("'a' <b> &bogus; &#0;");
  });

  it('maps where a message was posted to the audience of the reply', () => {
    expect(audienceOf(parse(teams.message('x')), PRIVACY_CHANNEL)).toBe('private');
    expect(
      audienceOf(parse(teams.message('x', { kind: 'channel', channel: PRIVACY_CHANNEL })), PRIVACY_CHANNEL),
    ).toBe('privacy-channel');
    expect(
      audienceOf(parse(teams.message('x', { kind: 'channel', channel: GENERAL_CHANNEL })), PRIVACY_CHANNEL),
    ).toBe('shared');
    expect(audienceOf(parse(teams.message('x', { kind: 'groupChat' })), PRIVACY_CHANNEL)).toBe('shared');
    // Without a configured privacy channel, no channel may see requester data.
    expect(
      audienceOf(parse(teams.message('x', { kind: 'channel', channel: PRIVACY_CHANNEL })), undefined),
    ).toBe('shared');
  });

  it('takes privacy-team membership from the Entra object id only, never the name', () => {
    const team = new Set([LEAD.aadObjectId]);
    expect(actorOf(parse(teams.message('x', { kind: 'personal' }, LEAD)), team)).toMatchObject({
      id: `teams:${LEAD.aadObjectId}`,
      name: 'Lena Lead',
      isPrivacyTeam: true,
      timeZone: 'Europe/Berlin',
    });
    const impostor = { ...STAFF, name: LEAD.name };
    expect(actorOf(parse(teams.message('x', { kind: 'personal' }, impostor)), team).isPrivacyTeam).toBe(
      false,
    );
    const odd = parse({
      ...teams.message('x'),
      from: { id: '29:x', name: 'a\nb\u0007c' },
      localTimezone: 'Mars/Base',
    });
    expect(actorOf(odd, team)).toEqual({ id: 'teams:29:x', name: 'a b c', isPrivacyTeam: false });
  });

  it('recognises the ways people ask for the form, and nothing else', () => {
    for (const text of [
      'request',
      'log a request',
      'Log a new request',
      'new DSR request',
      'log a data subject request.',
    ])
      expect(FORM_RE.test(text), text).toBe(true);
    for (const text of [
      'requests',
      'log erasure request from a@b.c',
      'request DSR-2026-0001',
      'what is a request?',
    ])
      expect(FORM_RE.test(text), text).toBe(false);
  });
});

function view(n: number, extra: Partial<RequestView> = {}): RequestView {
  return {
    id: `DSR-2026-${String(n).padStart(4, '0')}`,
    type: 'erasure',
    regime: 'gdpr',
    regimeLabel: 'EU GDPR',
    status: 'received',
    owner: 'alice',
    received: '2026-01-05',
    due: '2026-02-05',
    dueRule: 'One month from receipt on Monday 5 January 2026 (that day is not counted).',
    dueSource: 'GDPR art. 12(3)',
    daysLeft: n - 10,
    deadlines: [],
    policyId: null,
    outcome: null,
    extensions: 0,
    ...extra,
  };
}

describe('reply -> Adaptive Card', () => {
  it('quotes a source once: under Sources only when the answer does not already quote it', () => {
    const quoted = 'Technical logs | 30 days | Purged automatically';
    const other = 'Backups are encrypted at rest.';
    const card = replyCard({
      blocks: [
        {
          kind: 'answer',
          answer: `Brightdesk: Technical logs: 30 days. (Brightdesk policy, 3. How long we keep data: “${quoted}”)`,
          found: true,
          citations: [
            { policy: 'brightdesk', section: '3. How long we keep data', quote: quoted, clauseId: 's3.c1' },
            { policy: 'brightdesk', section: '7. Security', quote: other, clauseId: 's7.c1' },
          ],
          questionId: 'q1',
        },
      ],
      text: 'answer',
      personal: true,
    });
    const text = cardText(card);
    expect(text.split(quoted).length - 1).toBe(1);
    expect(text).toContain('brightdesk, 3. How long we keep data');
    expect(text).toContain(other);
  });

  it('fits a long list under the size limit, saying how many were left out', () => {
    const requests = Array.from({ length: 50 }, (_, i) => view(i + 1, { owner: 'x'.repeat(100) }));
    const reply: Reply = {
      blocks: [{ kind: 'request-list', title: 'All requests', requests, empty: 'Nothing here.' }],
      text: 'All requests',
      personal: false,
    };
    const card = replyCard(reply);
    expect(JSON.stringify(card).length).toBeLessThanOrEqual(MAX_CARD_CHARS);
    expect(cardText(card)).toMatch(/\d+ more not shown/);
    expect(submitActions(card)[0]?.data).toEqual({ action: 'request.show', value: 'DSR-2026-0001' });
    // Overdue rows stand out.
    expect(JSON.stringify(card)).toContain('"color":"attention"');
  });

  it('shows since when a request is on hold, in the card and in a list row', () => {
    const held = view(1, { onHold: { since: '2026-11-28', days: 4, clockStopped: true } });
    const card = replyCard({ blocks: [{ kind: 'request', request: held }], text: 'x', personal: false });
    expect(cardText(card)).toMatch(
      /On hold since 2026-11-28 \(4 days\): the clock is stopped until it resumes/,
    );
    const list = replyCard({
      blocks: [{ kind: 'request-list', title: 'T', requests: [held], empty: '' }],
      text: 'x',
      personal: false,
    });
    expect(cardText(list)).toMatch(/on hold since 2026-11-28/);
  });

  it('shortens a huge trail and answer, and falls back to plain text when nothing else fits', () => {
    const trail = Array.from({ length: 400 }, (_, i) => ({
      at: '2026-01-05T10:00:00Z',
      actor: 'alice',
      action: 'noted',
      text: `note ${i} ${'y'.repeat(200)}`,
    }));
    const card = replyCard(
      { blocks: [{ kind: 'request', request: view(1), trail }], text: 'x', personal: false },
      'Europe/Berlin',
    );
    expect(JSON.stringify(card).length).toBeLessThanOrEqual(MAX_CARD_CHARS);
    expect(cardText(card)).toMatch(/earlier entries not shown/);
    expect(cardText(card)).toMatch(/2026-01-05 11:00 alice: noted/); // the reader's zone
    const blocks = Array.from({ length: 200 }, () => ({ kind: 'text' as const, text: 'z'.repeat(1000) }));
    const fallback = replyCard({ blocks, text: 'plain '.repeat(5000), personal: false });
    expect(JSON.stringify(fallback).length).toBeLessThanOrEqual(MAX_CARD_CHARS);
    expect(cardText(fallback)).toMatch(/\(shortened\)$/);
  });

  it('puts user text and quotes in TextRuns, where markdown is not read', () => {
    const card = replyCard({
      blocks: [
        {
          kind: 'answer',
          answer: '**We** keep [logs](https://evil.example) for 30 days.',
          found: true,
          questionId: 'q1',
          citations: [
            {
              policy: 'brightdesk',
              section: '4 Retention',
              quote: '_logs_ are kept <b>30 days</b>',
              clauseId: 'c1',
            },
          ],
        },
      ],
      text: 'x',
      personal: false,
    });
    const textBlocks = JSON.stringify(card).match(/"type":"TextBlock","text":"[^"]*"/g) ?? [];
    expect(textBlocks.join()).not.toMatch(/evil|<b>|_logs_/);
    expect(cardText(card)).toContain('“_logs_ are kept <b>30 days</b>”');
  });

  it('renders buttons as Action.Submit with the engine action and value', () => {
    const card = replyCard({
      blocks: [
        {
          kind: 'actions',
          buttons: [
            { action: 'request.close', label: 'Mark done', value: 'DSR-2026-0001', style: 'primary' },
            { action: 'intake.cancel', label: 'Cancel', value: 'cancel' },
          ],
        },
      ],
      text: '',
      personal: false,
    });
    expect(JSON.stringify(card)).toContain('"style":"positive"');
    expect(submitActions(card).map((a) => a.data)).toEqual([
      { action: 'request.close', value: 'DSR-2026-0001' },
      { action: 'intake.cancel', value: 'cancel' },
    ]);
  });

  it('builds the form with today as the default and the latest received date', () => {
    const card = requestFormCard({
      formId: 'f-12345678',
      today: '2026-11-25',
      policies: [{ id: 'brightdesk', name: 'Brightdesk' }],
      shared: false,
    });
    const received = card.body.find((e) => e.id === 'received');
    expect(received).toMatchObject({
      type: 'Input.Date',
      value: '2026-11-25',
      max: '2026-11-25',
      isRequired: true,
    });
    expect(JSON.stringify(card)).toContain('"value":"brightdesk"');
    expect(submitActions(card)).toEqual([
      { title: 'Log request', data: { action: 'request.submit', formId: 'f-12345678' } },
    ]);
  });
});
