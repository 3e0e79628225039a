import { describe, expect, it } from 'vitest';
import { commandHint, TurnQueue } from '../../../src/channels/slack/channel.js';
import { RecentKeys } from '../../../src/channels/slack/dedupe.js';
import { guestHomeView, teamHomeView } from '../../../src/channels/slack/home.js';
import { intakeModal, readIntake } from '../../../src/channels/slack/intake-modal.js';
import { clip, escapeMrkdwn, fromSlackText, splitText } from '../../../src/channels/slack/mrkdwn.js';
import { helpMessage, renderReply, type SlackBlock } from '../../../src/channels/slack/render.js';
import type { Reply, RequestView } from '../../../src/core/conversation/reply.js';

/** Block Kit rendering, Slack text handling and the intake form, without a server. */

const reply = (blocks: Reply['blocks'], text = 'fallback'): Reply => ({ blocks, text, personal: false });

function request(i: number, extra: Partial<RequestView> = {}): RequestView {
  return {
    id: `DSR-2026-${String(i).padStart(4, '0')}`,
    type: 'erasure',
    regime: 'gdpr',
    regimeLabel: 'EU GDPR',
    status: 'received',
    owner: 'ULEAD',
    received: '2026-11-20',
    due: '2026-12-21',
    dueRule: 'One month from receipt',
    dueSource: 'GDPR art. 12(3)',
    daysLeft: 26,
    deadlines: [],
    policyId: null,
    outcome: null,
    extensions: 0,
    ...extra,
  };
}

/** Every mrkdwn or plain text string inside some blocks. */
function texts(blocks: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if ((o.type === 'mrkdwn' || o.type === 'plain_text') && typeof o.text === 'string') out.push(o.text);
      Object.values(o).forEach(walk);
    }
  };
  walk(blocks);
  return out;
}

function withinLimits(blocks: SlackBlock[], maxBlocks: number) {
  expect(blocks.length).toBeLessThanOrEqual(maxBlocks);
  for (const b of blocks) {
    if (b.type === 'section' && b.text) expect(b.text.text.length).toBeLessThanOrEqual(3000);
    if (b.type === 'context') expect(b.elements.length).toBeLessThanOrEqual(10);
    if (b.type === 'actions') {
      expect(b.elements.length).toBeLessThanOrEqual(25);
      for (const e of b.elements) if (e.type === 'button') expect(e.text.text.length).toBeLessThanOrEqual(75);
    }
    if (b.type === 'header') expect(b.text.text.length).toBeLessThanOrEqual(150);
  }
}

describe('mrkdwn', () => {
  it('escapes &, < and > and nothing else', () => {
    expect(escapeMrkdwn('<!channel> & <@U1|x> <https://x|y> *b*')).toBe(
      '&lt;!channel&gt; &amp; &lt;@U1|x&gt; &lt;https://x|y&gt; *b*',
    );
  });

  it('reads Slack-encoded text back into what was typed', () => {
    expect(fromSlackText('assign DSR-2026-0001 <@U123ABC|alice>')).toBe('assign DSR-2026-0001 U123ABC');
    expect(fromSlackText('from <mailto:jane@example.com|jane@example.com> in <#C1|general>')).toBe(
      'from jane@example.com in #general',
    );
    expect(
      fromSlackText('<!here> see <https://x.example/a?b=1&amp;c=2|x> a &lt; b &amp;&amp; c &gt; d'),
    ).toBe('@here see https://x.example/a?b=1&c=2 a < b && c > d');
  });

  it('clips and splits without leaving half an escape sequence', () => {
    const escaped = escapeMrkdwn('&'.repeat(1000));
    const clipped = clip(escaped, 100, '…');
    expect(clipped.length).toBeLessThanOrEqual(100);
    expect(clipped).toMatch(/^(&amp;)+…$/);
    const parts = splitText(escaped, 3000, 3);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(3000);
      expect(p).toMatch(/^(&amp;)+(… \(shortened.*\))?$/);
    }
  });
});

describe('rendering replies as Block Kit', () => {
  it('splits and shortens huge text within section and message limits, with a note', () => {
    const huge = `${'A long paragraph. '.repeat(1000)}\n\n${'x'.repeat(20_000)}`;
    const { blocks, text } = renderReply(reply([{ kind: 'text', text: huge }], huge), { mentions: false });
    withinLimits(blocks, 50);
    expect(texts(blocks).join('')).toMatch(/shortened/);
    expect(text.length).toBeLessThanOrEqual(3000);
  });

  it('keeps a 200-request list within 50 blocks and says how many were left out', () => {
    const requests = Array.from({ length: 200 }, (_, i) => request(i + 1));
    const { blocks } = renderReply(
      reply([
        { kind: 'request-list', title: 'Open requests', requests, empty: 'Nothing here.' },
        { kind: 'actions', buttons: [{ action: 'request.show', label: 'x'.repeat(200), value: 'v' }] },
      ]),
      { mentions: true },
    );
    withinLimits(blocks, 50);
    expect(texts(blocks).join('\n')).toMatch(/more not shown here/);
    expect(blocks.at(-2)?.type === 'actions' || blocks.at(-1)?.type === 'actions').toBe(true);
  });

  it('renders an answer with at most five quoted citations and helpful / not-helpful buttons', () => {
    const citations = Array.from({ length: 12 }, (_, i) => ({
      policy: 'brightdesk',
      section: `${i + 1}. Retention`,
      quote: `We keep <!channel> logs for ${i} days. ${'word '.repeat(1500)}`,
      clauseId: `c${i}`,
    }));
    const { blocks } = renderReply(
      reply([
        {
          kind: 'answer',
          answer: 'Technical logs are kept for 30 days.',
          found: true,
          citations,
          questionId: 'q1-abc',
        },
      ]),
      { mentions: false },
    );
    withinLimits(blocks, 50);
    const all = texts(blocks).join('\n');
    expect(all).toMatch(/7 more sources not shown/);
    expect(all).not.toContain('<!channel>');
    const actions = blocks.find((b) => b.type === 'actions');
    expect(JSON.stringify(actions)).toMatch(/feedback\.helpful.*feedback\.not-helpful/);
    expect(JSON.stringify(actions)).toContain('q1-abc');
  });

  it('quotes a source once: under the answer only when the answer does not already quote it', () => {
    const quoted = 'Technical logs are kept for 30 days.';
    const { blocks } = renderReply(
      reply([
        {
          kind: 'answer',
          answer: `“${quoted}” (Brightdesk policy, 3. Retention)`,
          found: true,
          citations: [
            { policy: 'brightdesk', section: '3. Retention', quote: quoted, clauseId: 's3.c1' },
            {
              policy: 'brightdesk',
              section: '7. Security',
              quote: 'Backups are encrypted.',
              clauseId: 's7.c1',
            },
          ],
          questionId: 'q1',
        },
      ]),
      { mentions: false },
    );
    const all = texts(blocks).join('\n');
    expect(all.split(quoted).length - 1).toBe(1);
    expect(all).toContain('*brightdesk*, 3. Retention');
    expect(all).toContain('>Backups are encrypted.');
  });

  it('shows owners as mentions only where a mention cannot notify anyone', () => {
    const list = reply([{ kind: 'request-list', title: 'T', requests: [request(1)], empty: '' }]);
    expect(JSON.stringify(renderReply(list, { mentions: true }).blocks)).toContain('<@ULEAD>');
    expect(JSON.stringify(renderReply(list, { mentions: false }).blocks)).not.toContain('<@ULEAD>');
    const named = reply([
      { kind: 'request-list', title: 'T', requests: [request(1, { owner: '<!here>' })], empty: '' },
    ]);
    expect(JSON.stringify(renderReply(named, { mentions: true }).blocks)).toContain('&lt;!here&gt;');
  });

  it('shows the requester only when the core included it, escaped', () => {
    const withRequester = request(1, { requester: { name: '<@U999> Jane', email: 'jane@example.com' } });
    const shown = JSON.stringify(
      renderReply(reply([{ kind: 'request', request: withRequester }]), { mentions: true }),
    );
    expect(shown).toContain('&lt;@U999&gt; Jane');
    const hidden = JSON.stringify(
      renderReply(reply([{ kind: 'request', request: request(1) }]), { mentions: true }),
    );
    expect(hidden).not.toMatch(/Requester/);
  });

  it('shows since when a request is on hold, and a postal address or phone as the requester’s contact', () => {
    const held = request(1, {
      onHold: { since: '2026-11-28', days: 4, clockStopped: false },
      requester: { name: 'John Smith', address: '1 Main Road, Dublin', phone: '+353 1 234 5678' },
    });
    const detail = texts(renderReply(reply([{ kind: 'request', request: held }]), { mentions: true }).blocks);
    expect(detail.join('\n')).toMatch(
      /Waiting on the requester since 2026-11-28 \(4 days\): the deadline keeps running/,
    );
    expect(detail.join('\n')).toMatch(
      /Requester: John Smith, phone \+353 1 234 5678, postal address 1 Main Road, Dublin/,
    );
    const row = texts(
      renderReply(reply([{ kind: 'request-list', title: 'T', requests: [held], empty: '' }]), {
        mentions: true,
      }).blocks,
    );
    expect(row.join('\n')).toMatch(/on hold since 2026-11-28/);
  });

  it('renders errors with their reference', () => {
    const { blocks } = renderReply(
      reply([{ kind: 'error', text: 'Something went wrong.', reference: 'AB12CD' }]),
      { mentions: false },
    );
    expect(texts(blocks).join(' ')).toMatch(/Reference \*AB12CD\*/);
  });

  it('keeps the Home tab within 100 blocks', () => {
    const requests = Array.from({ length: 120 }, (_, i) => request(i + 1));
    const lists = ['Mine', 'Due soon', 'Overdue'].map((title) =>
      reply([{ kind: 'request-list', title, requests, empty: 'Nothing here.' }]),
    );
    withinLimits(teamHomeView(lists, 'now').blocks as SlackBlock[], 100);
    expect(JSON.stringify(guestHomeView('/privacy'))).toMatch(/Log a rights request/);
  });

  it('lists the commands with the slash command in help', () => {
    const help = JSON.stringify(helpMessage('/privacy', true));
    expect(help).toMatch(/`\/privacy deadline &lt;law&gt; &lt;YYYY-MM-DD&gt; \[country\]`/);
    expect(help).toMatch(/intake\.open-form/);
  });
});

describe('command hints', () => {
  it('catches mistyped commands but lets questions through', () => {
    expect(commandHint('shwo DSR-2026-0001', '/privacy')).toMatch(/did you mean "show"/);
    expect(commandHint('frobnicate DSR-2026-0001', '/privacy')).toMatch(/With a request id I can/);
    expect(commandHint('reqests', '/privacy')).toMatch(/`\/privacy requests`/);
    expect(commandHint('how long do we keep logs?', '/privacy')).toBeUndefined();
    expect(commandHint('cookies', '/privacy')).toBeUndefined();
    expect(commandHint('requests overdue', '/privacy')).toBeUndefined();
  });
});

describe('the intake form', () => {
  const state = (values: Record<string, Record<string, unknown>>) =>
    Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { value: v }]));

  it('reads a submission into a new request, splitting DE-BY into country and region', () => {
    const result = readIntake(
      state({
        type: { selected_option: { value: 'access' } },
        name: { value: ' Jane Roe ' },
        email: { value: 'jane@example.com' },
        regime: { selected_option: { value: 'gdpr' } },
        country: { value: 'de-by' },
        received: { selected_date: '2026-11-20' },
        channel: { selected_option: { value: 'email' } },
        owner: { selected_user: 'ULEAD' },
        policy: { selected_option: null },
        note: { value: null },
      }) as never,
      '2026-11-25',
    );
    expect(result).toEqual({
      ok: true,
      request: {
        type: 'access',
        regime: 'gdpr',
        received: '2026-11-20',
        requesterName: 'Jane Roe',
        requesterEmail: 'jane@example.com',
        country: 'DE',
        region: 'BY',
        channel: 'email',
        owner: 'ULEAD',
      },
    });
  });

  it('names every bad field', () => {
    const result = readIntake(
      state({
        type: { selected_option: null },
        name: { value: '' },
        email: { value: 'nope' },
        regime: { selected_option: { value: 'martian-law' } },
        country: { value: 'XX' },
        received: { selected_date: '2026-12-01' },
      }) as never,
      '2026-11-25',
    );
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(Object.keys(result.errors).sort()).toEqual([
        'country',
        'email',
        'name',
        'received',
        'regime',
        'type',
      ]);
  });

  it('logs a request by post or phone with a postal address or phone number and no email', () => {
    const base = {
      type: { selected_option: { value: 'access' } },
      name: { value: 'John Smith' },
      regime: { selected_option: { value: 'gdpr' } },
      received: { selected_date: '2026-11-20' },
    };
    const byPost = readIntake(
      state({
        ...base,
        email: { value: null },
        address: { value: '1 Main Road\nDublin\nD01 F5P2' },
      }) as never,
      '2026-11-25',
    );
    expect(byPost).toMatchObject({
      ok: true,
      request: { requesterAddress: '1 Main Road, Dublin, D01 F5P2' },
    });
    expect(byPost.ok && byPost.request.requesterEmail).toBeUndefined();
    const byPhone = readIntake(
      state({ ...base, phone: { value: '+353 1 234 5678' } }) as never,
      '2026-11-25',
    );
    expect(byPhone).toMatchObject({ ok: true, request: { requesterPhone: '+353 1 234 5678' } });
    // The form shows where to give each of them; the email is no longer required on its own.
    const form = intakeModal({ today: '2026-11-25', policies: [] });
    const block = (id: string) => form.blocks.find((b) => b.block_id === id) as { optional?: boolean };
    expect([block('email').optional, block('phone').optional, block('address').optional]).toEqual([
      true,
      true,
      true,
    ]);
  });

  it('asks for a contact when none is given, and names a phone number that is none', () => {
    const base = {
      type: { selected_option: { value: 'access' } },
      name: { value: 'John Smith' },
      regime: { selected_option: { value: 'gdpr' } },
      received: { selected_date: '2026-11-20' },
    };
    const none = readIntake(state(base) as never, '2026-11-25');
    expect(!none.ok && none.errors).toEqual({
      email: expect.stringMatching(/email address, a phone number or a postal address/),
    });
    const bad = readIntake(state({ ...base, phone: { value: 'call me' } }) as never, '2026-11-25');
    expect(!bad.ok && Object.keys(bad.errors)).toEqual(['phone']);
  });

  it('offers the policies as a menu, or a text field past Slack’s 100 options', () => {
    const few = intakeModal({ today: '2026-11-25', policies: [{ id: 'brightdesk', name: 'Brightdesk' }] });
    expect(JSON.stringify(few)).toMatch(/"block_id":"policy".*static_select/);
    const many = Array.from({ length: 150 }, (_, i) => ({ id: `p${i}`, name: `Policy ${i}` }));
    const big = intakeModal({ today: '2026-11-25', policies: many });
    expect(JSON.stringify(big.blocks.find((b) => b.block_id === 'policy'))).toMatch(/plain_text_input/);
    expect(big.title.text.length).toBeLessThanOrEqual(24);
  });
});

describe('recent keys', () => {
  it('forgets keys after their time to live and stays bounded', () => {
    let now = 0;
    const keys = new RecentKeys(1_000, 3, () => now);
    expect(keys.add('a')).toBe(true);
    expect(keys.add('a')).toBe(false);
    now = 1_001;
    expect(keys.add('a')).toBe(true);
    for (const k of ['b', 'c', 'd', 'e']) keys.add(k);
    expect(keys.size).toBeLessThanOrEqual(3);
  });
});

describe('turns after the ack', () => {
  it('are handed out in arrival order, one per event-loop iteration, with other work in between', async () => {
    const turns = new TurnQueue();
    const order: string[] = [];
    const done = [1, 2, 3].map((i) => turns.next().then(() => order.push(`turn ${i}`)));
    // Queued behind turn 1's callback in the same check phase; turn 2 waits for the next iteration.
    setImmediate(() => order.push('other work'));
    await Promise.all(done);
    expect(order).toEqual(['turn 1', 'other work', 'turn 2', 'turn 3']);
  });
});
