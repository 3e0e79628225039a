import { afterEach, describe, expect, it } from 'vitest';
import { SlackReminderChannel } from '../../../src/channels/slack/reminder-delivery.js';
import { Scheduler, type SchedulerLogger } from '../../../src/core/reminders/scheduler.js';
import { ReminderStore } from '../../../src/core/reminders/store.js';
import { Register } from '../../../src/core/requests/register.js';
import { openRegisterStore } from '../../../src/store/register-store.js';
import { FakeSlack } from '../../helpers/reminder-fake-slack.js';
import { LEAD, REGISTER_OPTIONS, SETTINGS } from '../../helpers/reminder-sim.js';

/**
 * Delivery through the Slack Web API, against a loopback fake that records every call: DMs via
 * conversations.open, channel posts, time zones from users.info (cached), buttons, and retries
 * from the outbox when Slack answers 429 (Retry-After honoured) or 5xx for a while.
 */

/** How long the slow Slack of the issue 15 tests takes per call, on the injected clock. */
const SLOW_CALL_MS = 40_000;
/** Longer than one message takes (a DM is two calls), far shorter than a pass of six messages. */
const LEASE_MS = 100_000;
/** A GDPR request received 2 March 2026 in Germany: due Thursday 2 April (the 1-day stage on 1 April). */
const DUE_2_APRIL = {
  type: 'access',
  regime: 'gdpr',
  country: 'DE',
  received: '2026-03-02',
  requesterName: 'Jane Doe',
  requesterEmail: 'jane@example.org',
} as const;

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function setup(users: Record<string, string | undefined>) {
  const slack = await FakeSlack.start({ users });
  const backend = await openRegisterStore('memory://');
  closers.push(
    () => slack.close(),
    () => backend.close(),
  );
  const register = await Register.open(backend, REGISTER_OPTIONS);
  const store = new ReminderStore(backend.backend);
  const clock = { now: new Date('2026-03-25T10:00:00Z') };
  slack.stamp = () => clock.now.getTime();
  const errors: object[] = [];
  const logger: SchedulerLogger = { info() {}, warn() {}, error: (fields) => void errors.push(fields) };
  const channel = new SlackReminderChannel({
    token: 'xoxb-test',
    apiUrl: slack.url,
    privacyChannel: 'C0PRIVACY',
  });
  const scheduler = new Scheduler({
    ...SETTINGS,
    register,
    store,
    channel,
    logger,
    now: () => clock.now,
    backoffMs: { base: 5_000, max: 60_000 },
  });
  const c = { actor: 'test', now: new Date('2026-03-20T10:00:00Z') };
  return { slack, register, store, scheduler, clock, errors, c, backend };
}

describe('Slack reminder delivery', () => {
  it('sends DMs through conversations.open, posts to the channel, and looks zones up once', async () => {
    const { slack, register, scheduler, clock, c } = await setup({
      U0BERLIN1: 'Europe/Berlin',
      [LEAD]: 'Europe/London',
    });
    // Due Thursday 2 April: on Wednesday 1 April it is the d1 stage (owner DM + channel summary).
    const owned = await register.add(
      {
        type: 'access',
        regime: 'gdpr',
        country: 'DE',
        received: '2026-03-02',
        requesterName: 'Jane Doe',
        requesterEmail: 'jane@example.org',
        owner: '<@U0BERLIN1>',
      },
      c,
    );
    clock.now = new Date('2026-04-01T07:30:00Z'); // 09:30 in Berlin (summer time), 08:30 in London
    const report = await scheduler.sweep();
    // The owner's DM goes now; the channel summary waits for the team's working hours (London).
    expect(report).toMatchObject({ enqueued: 1, sent: 1, waiting: 1, retried: 0, failed: 0 });
    expect(slack.of('users.info')).toHaveLength(1);
    expect(slack.of('conversations.open').map((x) => x.args.users)).toEqual(['U0BERLIN1']);
    clock.now = new Date('2026-04-01T08:00:00Z'); // 09:00 in London: the summary, and the digest
    expect(await scheduler.sweep()).toMatchObject({ enqueued: 1, sent: 2, waiting: 0 });
    const [dm, summary, digest] = slack.posts;
    expect(dm?.channel).toBe('DU0BERLIN1');
    expect(summary?.channel).toBe('C0PRIVACY');
    expect(dm?.text).toMatch(
      /Reminder: the response deadline of DSR-2026-0001 \(access, EU GDPR\) is in 1 day/,
    );
    expect(dm?.metadata).toEqual({
      event_type: 'privacy_ops_reminder',
      event_payload: { entry: '1', reminder: `${owned.id}|response|2026-04-02|d1`, role: 'owner' },
    });
    const actions = JSON.stringify(dm?.blocks);
    for (const id of [
      'core:request.close',
      'core:request.extend',
      'core:request.assign-me',
      'core:request.snooze',
    ])
      expect(actions).toContain(id);
    // The channel copy mentions the owner so Slack shows their name; nobody's personal data.
    expect(JSON.stringify(summary?.blocks)).toContain('<@U0BERLIN1>');
    expect(digest?.text).toMatch(/^Due this week \(2026-04-01 to 2026-04-07\): 1 deadline/);
    expect(JSON.stringify(slack.posts)).not.toMatch(/Jane|jane@/);
    // Later sweeps: nothing new, no second users.info (cached), nothing sent twice.
    clock.now = new Date('2026-04-01T10:00:00Z');
    expect(await scheduler.sweep()).toMatchObject({ enqueued: 0, sent: 0 });
    expect(slack.of('users.info')).toHaveLength(1);
    expect(slack.posts).toHaveLength(3);
  });

  it('posts the audit trail head in the daily digest, so a cut-off end can be proved later (issue 11.8)', async () => {
    const { slack, register, scheduler, clock, c } = await setup({});
    const { id } = await register.add(
      {
        type: 'access',
        regime: 'gdpr',
        country: 'DE',
        received: '2026-03-02',
        requesterName: 'Jane Doe',
        requesterEmail: 'jane@example.org',
      },
      c,
    );
    await register.assign(id, 'alice', c);
    clock.now = new Date('2026-04-01T08:00:00Z'); // 09:00 in London: the digest
    await scheduler.sweep();
    const digest = slack.posts.find((p) => /^Due this week/.test(String(p.text)));
    const head = register.position;
    expect(head.seq).toBe(2);
    expect(digest?.text).toContain(`Audit trail head: event 2, ${head.hash}`);
    expect(digest?.text).toContain(`privacy-ops requests verify --head ${head.hash}`);
    // The recorded head proves what the register holds now.
    expect(await register.verify({ head: head.hash })).toMatchObject({ ok: true, recordedHead: { at: 2 } });
  });

  it('retries 429 (after Retry-After) and 5xx from the outbox until everything is delivered once', async () => {
    const owners = ['U0BERLIN1', 'U0PARIS01', 'alice', null, 'U0GONE123'];
    const { slack, register, store, scheduler, clock, errors, c } = await setup({
      U0BERLIN1: 'Europe/Berlin',
      U0PARIS01: 'Europe/Paris',
      [LEAD]: 'Europe/London',
    });
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) {
      const owner = owners[i % owners.length];
      const r = await register.add(
        {
          type: 'access',
          regime: i % 3 === 0 ? 'ccpa' : 'gdpr',
          ...(i % 3 === 0 ? {} : { country: 'DE' }),
          received: `2026-03-${String(1 + (i % 9)).padStart(2, '0')}`,
          requesterName: 'Jane Doe',
          requesterEmail: 'jane@example.org',
          ...(owner ? { owner } : {}),
        },
        c,
      );
      ids.push(r.id);
    }
    // Slack is busy, then down: rate limited three times (Retry-After 30 s), then five 500s.
    slack.fail(3, 429, { retryAfter: 30, method: 'chat.postMessage' });
    slack.fail(5, 500, { method: 'chat.postMessage' });
    clock.now = new Date('2026-03-26T10:00:00Z');
    const first = await scheduler.sweep();
    expect(first.enqueued).toBeGreaterThan(10);
    expect(first).toMatchObject({ sent: 0, retried: 1 });
    // Closed while its messages wait in the outbox: they are dropped when their turn comes.
    await register.closeRequest(ids[1]!, 'completed', { actor: 'test', now: clock.now });
    // Passes every 10 simulated seconds, as the retry timer would run them.
    for (let i = 0; i < 200; i++) {
      clock.now = new Date(clock.now.getTime() + 10_000);
      await scheduler.deliver();
      if ((await store.pending()).length === 0) break;
    }
    expect(await store.pending()).toEqual([]);

    const posts = slack.of('chat.postMessage');
    // Retry-After: after each 429, nothing was posted until 30 seconds later.
    posts.forEach((call, i) => {
      if (call.status !== 429) return;
      const next = posts[i + 1];
      expect(next && (next.stamp as number) - (call.stamp as number)).toBeGreaterThanOrEqual(30_000);
    });
    expect(posts.filter((p) => p.status === 429)).toHaveLength(3);
    expect(posts.filter((p) => p.status === 500)).toHaveLength(5);

    const entries = await store.entries();
    const outcomes = await store.outcomes(entries.map((e) => e.seq));
    const sentEntries = entries.filter((_, i) => outcomes[i]?.outcome === 'sent').map((e) => String(e.seq));
    const postedEntries = slack.posts.map((p) => p.metadata?.event_payload.entry);
    // Every entry posted exactly once, and only entries recorded as sent.
    expect(postedEntries.sort()).toEqual([...sentEntries].sort());
    expect(new Set(postedEntries).size).toBe(postedEntries.length);
    // The closed request's messages were dropped, not sent.
    const closedEntries = entries.filter((e) => e.requestId === ids[1]);
    expect(closedEntries.length).toBeGreaterThan(0);
    for (const e of closedEntries)
      expect(outcomes[entries.indexOf(e)]).toMatchObject({ outcome: 'dropped', reason: 'request completed' });
    // The owner Slack does not know is a permanent failure, logged with a code, not retried.
    const gone = entries.filter((_, i) => outcomes[i]?.outcome === 'failed');
    expect(gone.length).toBeGreaterThan(0);
    expect(gone.every((e) => e.role === 'owner')).toBe(true);
    expect(errors[0]).toMatchObject({ code: 'UPSTREAM', platformError: 'user_not_found' });
    expect(outcomes.every((o) => o !== undefined)).toBe(true);
  });

  it('counts Retry-After and the backoff from the failed attempt, not from the start of the pass (issue 15.2)', async () => {
    const { slack, register, store, scheduler, clock, c } = await setup({
      U0BERLIN1: 'Europe/Berlin',
      [LEAD]: 'Europe/London',
    });
    await register.add({ ...DUE_2_APRIL, owner: 'U0BERLIN1' }, c);
    // Slack takes 40 s (of the injected clock) to answer each call.
    slack.during = () => {
      clock.now = new Date(clock.now.getTime() + SLOW_CALL_MS);
    };
    slack.fail(1, 429, { retryAfter: 30, method: 'chat.postMessage' });
    slack.fail(1, 500, { method: 'chat.postMessage' });
    const start = new Date('2026-04-01T10:00:00Z');
    clock.now = start;
    // users.info, conversations.open, then the DM's post: rate limited 120 s into the pass.
    expect(await scheduler.sweep()).toMatchObject({ sent: 0, retried: 1 });
    const [dm] = await store.pending();
    const failedAt = start.getTime() + 3 * SLOW_CALL_MS;
    expect(dm?.last?.failed).toEqual({
      at: new Date(failedAt).toISOString(),
      nextAt: new Date(failedAt + 30_000).toISOString(),
      code: 'ratelimited',
    });
    // The lease was counted from the claim (after users.info), not from the pass's start.
    expect(Date.parse(dm!.last!.at)).toBe(start.getTime() + SLOW_CALL_MS);
    // Nothing goes to Slack until 30 s after it answered 429, then the 500 meets the backoff.
    clock.now = new Date(failedAt + 29_000);
    expect(await scheduler.deliver()).toMatchObject({ sent: 0, retried: 0 });
    expect(slack.of('chat.postMessage')).toHaveLength(1);
    clock.now = new Date(failedAt + 30_000);
    expect(await scheduler.deliver()).toMatchObject({ sent: 0, retried: 1 });
    const [again] = await store.pending();
    const secondFailure = failedAt + 30_000 + SLOW_CALL_MS;
    // Attempt 2's backoff: 5 s doubled once, from the 500.
    expect(again?.last?.failed).toMatchObject({
      at: new Date(secondFailure).toISOString(),
      nextAt: new Date(secondFailure + 10_000).toISOString(),
      code: 'http_500',
    });
    clock.now = new Date(secondFailure + 9_000);
    expect(await scheduler.deliver()).toMatchObject({ sent: 0 });
    clock.now = new Date(secondFailure + 10_000);
    // The DM, and the channel copy and digest that waited behind the rate limit with it.
    expect(await scheduler.deliver()).toMatchObject({ sent: 3 });
    expect(slack.posts).toHaveLength(3);
  });

  it('never hands a live claim over when one pass outlasts the lease (issue 15.1)', async () => {
    const { slack, register, store, clock, c, backend } = await setup({
      U0BERLIN1: 'Europe/Berlin',
      U0PARIS01: 'Europe/Paris',
      [LEAD]: 'Europe/London',
    });
    for (const owner of ['U0BERLIN1', 'U0PARIS01', 'alice']) await register.add({ ...DUE_2_APRIL, owner }, c);
    const replica = (name: string) =>
      new Scheduler({
        ...SETTINGS,
        register,
        store: new ReminderStore(backend.backend),
        channel: new SlackReminderChannel({
          token: 'xoxb-test',
          apiUrl: slack.url,
          privacyChannel: 'C0PRIVACY',
        }),
        now: () => clock.now,
        replica: name,
        leaseMs: LEASE_MS,
      });
    const [a, b] = [replica('a'), replica('b')];
    clock.now = new Date('2026-04-01T10:00:00Z');
    // Every call takes 40 s, so a's pass (six messages, two with conversations.open) lasts far
    // longer than the 100-second lease, though each message takes less; b runs a pass while Slack
    // is answering one of a's posts. (The lease's renewal during a single slow message runs on
    // real time: tests/core/reminders/scheduler.slow-platform.test.ts.)
    let bRunning = false;
    let bPasses = 0;
    slack.during = async (call) => {
      clock.now = new Date(clock.now.getTime() + SLOW_CALL_MS);
      // Only a's posts start a pass of b (b's own posts answer while b's pass is running).
      if (call.method !== 'chat.postMessage' || bRunning) return;
      bRunning = true;
      bPasses++;
      await b.deliver();
      bRunning = false;
    };
    await a.sweep();
    slack.during = () => {};
    expect(bPasses).toBeGreaterThan(0);
    const entries = await store.entries();
    expect(entries.length).toBe(6);
    const posted = slack.posts.map((p) => p.metadata?.event_payload.entry);
    expect(new Set(posted).size).toBe(posted.length);
    // Each attempt's lease ran from its own claim.
    for (const e of entries)
      for (const t of await store.attempts(e.seq))
        expect(Date.parse(t.leaseUntil) - Date.parse(t.at)).toBeGreaterThanOrEqual(LEASE_MS);
    // b took nothing a still held: what b sent, it claimed first.
    const outcomes = await store.outcomes(entries.map((e) => e.seq));
    for (const [i, e] of entries.entries()) {
      const tries = await store.attempts(e.seq);
      expect(tries).toHaveLength(1);
      expect(tries[0]!.by).toBe(outcomes[i]!.by);
    }
    expect(outcomes.every((o) => o?.outcome === 'sent')).toBe(true);
  });

  it("posts the channel's 1-day summary in the team's hours, and the DM in the owner's (issue 15.4)", async () => {
    const { slack, register, scheduler, clock, c } = await setup({
      U0LOSANG1: 'America/Los_Angeles',
      [LEAD]: 'Europe/London',
    });
    await register.add({ ...DUE_2_APRIL, owner: 'U0LOSANG1' }, c);
    // Wednesday 1 April, 09:00 in London, 01:00 in Los Angeles: the summary (and the digest) now.
    clock.now = new Date('2026-04-01T08:00:00Z');
    expect(await scheduler.sweep()).toMatchObject({ enqueued: 2, sent: 2, waiting: 1 });
    expect(slack.posts.map((p) => p.channel)).toEqual(['C0PRIVACY', 'C0PRIVACY']);
    expect(slack.posts[0]?.text).toMatch(
      /is in 1 day, on Thursday 2 April 2026, by the team's calendar \(Europe\/London\)/,
    );
    // 09:00 in Los Angeles: the owner's DM.
    clock.now = new Date('2026-04-01T15:59:00Z');
    expect(await scheduler.sweep()).toMatchObject({ sent: 0, waiting: 1 });
    clock.now = new Date('2026-04-01T16:00:00Z');
    expect(await scheduler.sweep()).toMatchObject({ sent: 1, waiting: 0 });
    expect(slack.posts.at(-1)?.channel).toBe('DU0LOSANG1');
  });

  it('sends a new owner the DM of the stage the channel was told about before they took it (issue 15.3)', async () => {
    const { slack, register, store, scheduler, clock, c } = await setup({
      U0BERLIN1: 'Europe/Berlin',
      U0PARIS01: 'Europe/Paris',
      [LEAD]: 'Europe/London',
    });
    const nobody = await register.add(DUE_2_APRIL, c);
    const named = await register.add({ ...DUE_2_APRIL, owner: 'alice' }, c);
    // Wednesday 1 April, 10:00 in London: the 1-day stage of both goes to the channel only (one has
    // no owner, the other an owner Slack cannot message), with the unassigned flag and the digest.
    clock.now = new Date('2026-04-01T09:00:00Z');
    expect(await scheduler.sweep()).toMatchObject({ enqueued: 4, sent: 4 });
    expect(slack.posts.every((p) => p.channel === 'C0PRIVACY')).toBe(true);
    // Both are taken by people Slack can message; the next sweep sends each their DM for that stage.
    const later = { actor: 'test', now: new Date('2026-04-01T10:00:00Z') };
    await register.assign(nobody.id, 'U0BERLIN1', later);
    await register.assign(named.id, '<@U0PARIS01>', later);
    clock.now = new Date('2026-04-01T10:05:00Z');
    expect(await scheduler.sweep()).toMatchObject({ enqueued: 2, sent: 2 });
    const dms = slack.posts.slice(4);
    expect(dms.map((p) => p.channel).sort()).toEqual(['DU0BERLIN1', 'DU0PARIS01']);
    expect(dms.map((p) => p.metadata?.event_payload.reminder).sort()).toEqual([
      `${nobody.id}|response|2026-04-02|d1|owner`,
      `${named.id}|response|2026-04-02|d1|owner`,
    ]);
    expect(dms[0]?.text).toMatch(/is in 1 day, on Thursday 2 April 2026/);
    // Once: later sweeps, and another handover within the stage, send nothing more.
    await register.assign(nobody.id, 'U0PARIS01', { actor: 'test', now: new Date('2026-04-01T11:00:00Z') });
    for (const hour of [11, 12, 15]) {
      clock.now = new Date(`2026-04-01T${hour}:10:00Z`);
      expect(await scheduler.sweep()).toMatchObject({ enqueued: 0, sent: 0 });
    }
    expect(slack.posts).toHaveLength(6);
    // A restarted replica (nothing cached) agrees: the copies are recorded in the store.
    const fresh = new Scheduler({
      ...SETTINGS,
      register,
      store,
      channel: new SlackReminderChannel({
        token: 'xoxb-test',
        apiUrl: slack.url,
        privacyChannel: 'C0PRIVACY',
      }),
      now: () => clock.now,
    });
    expect(await fresh.sweep()).toMatchObject({ enqueued: 0, sent: 0 });
  });

  it("holds an owner's reminders while Slack cannot tell their time zone", async () => {
    const { slack, register, scheduler, clock, c } = await setup({
      W0TOKYO12: 'Asia/Tokyo',
      [LEAD]: 'Europe/London',
    });
    await register.add(
      {
        type: 'access',
        regime: 'gdpr',
        country: 'DE',
        received: '2026-03-02',
        requesterName: 'Jane Doe',
        requesterEmail: 'jane@example.org',
        owner: 'W0TOKYO12',
      },
      c,
    );
    slack.fail(1, 503, { method: 'users.info' });
    // Friday 27 March, 10:00 in Tokyo (01:00 UTC): the d7 stage was due, but the zone is unknown.
    clock.now = new Date('2026-03-27T01:00:00Z');
    expect(await scheduler.sweep()).toMatchObject({ due: 0, sent: 0 });
    clock.now = new Date('2026-03-27T02:00:00Z');
    expect(await scheduler.sweep()).toMatchObject({ enqueued: 1, sent: 1 });
    expect(slack.posts[0]?.channel).toBe('DW0TOKYO12');
  });

  it('two schedulers on one store deliver each entry once', async () => {
    const { slack, register, store, clock, c, backend } = await setup({
      U0BERLIN1: 'Europe/Berlin',
      [LEAD]: 'Europe/London',
    });
    for (let i = 0; i < 40; i++)
      await register.add(
        {
          type: 'erasure',
          regime: 'gdpr',
          country: 'DE',
          received: `2026-02-${String(10 + (i % 18)).padStart(2, '0')}`,
          requesterName: 'Jane Doe',
          requesterEmail: 'jane@example.org',
          ...(i % 2 ? { owner: 'U0BERLIN1' } : {}),
        },
        c,
      );
    const channel = () =>
      new SlackReminderChannel({ token: 'xoxb-test', apiUrl: slack.url, privacyChannel: 'C0PRIVACY' });
    // Each replica has its own store object (its own cursor and caches) over the same backend.
    const replicas = [0, 1].map(
      (i) =>
        new Scheduler({
          ...SETTINGS,
          register,
          store: new ReminderStore(backend.backend),
          channel: channel(),
          now: () => clock.now,
          replica: `r${i}`,
        }),
    );
    for (let h = 0; h < 24 * 5; h++) {
      clock.now = new Date(Date.parse('2026-03-09T00:00:00Z') + h * 3_600_000);
      await Promise.all(replicas.map((r) => r.sweep()));
    }
    const entries = await store.entries();
    const posted = slack.posts.map((p) => p.metadata?.event_payload.entry);
    expect(posted.length).toBeGreaterThan(40);
    expect(new Set(posted).size).toBe(posted.length);
    expect(posted.length).toBe(entries.length);
  });
});
