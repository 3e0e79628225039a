import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'vitest';
import { SlackReminderChannel } from '../../../src/channels/slack/reminder-delivery.js';
import { Scheduler, type SchedulerLogger } from '../../../src/core/reminders/scheduler.js';
import { ReminderStore } from '../../../src/core/reminders/store.js';
import { openRegisterStore, Register, TARGETS } from '../../helpers/register-stores.js';
import { FakeSlack } from '../../helpers/reminder-fake-slack.js';
import { REGISTER_OPTIONS, SETTINGS } from '../../helpers/reminder-sim.js';

/**
 * Issue 15, points 1 and 2: two replicas on one store (SQLite, Redis, Postgres) against a Slack
 * that takes longer to answer than the claim lease and rate-limits with Retry-After. The second
 * replica starts while the first is delivering. Each message must arrive once, no live claim may
 * be taken over, and the waits between attempts at a message must be at least what Slack asked
 * for (Retry-After) or the backoff, counted from the failed attempt.
 *
 * Real time passes here (leases are real time): the clock is a fixed working morning plus the real
 * time elapsed. The timing assertions are lower bounds only, which a slow machine cannot break.
 */

/**
 * The claim lease; every Slack answer takes longer than it. It is renewed every second, so only
 * an event loop stalled for two seconds (never seen on a busy 2-core machine) could lose a claim.
 */
const LEASE_MS = 3_000;
const SLOW_MS = 3_600;
const RETRY_AFTER_S = 1;
const BACKOFF = { base: 1_500, max: 6_000 };
/** Wednesday 1 April 2026, 11:00 in London and 12:00 in Berlin and Paris: everyone is working. */
const BASE = Date.parse('2026-04-01T10:00:00Z');
/** The pause between one replica's passes. */
const PASS_GAP_MS = 100;
/** How long the replicas may take to empty the outbox before the test gives up. */
const GIVE_UP_MS = 100_000;

describe('two replicas and a slow, rate-limiting Slack', () => {
  it.concurrent.for(TARGETS)(
    '$name: each message once, no claim handed over, Retry-After and backoff honoured',
    { timeout: 180_000 },
    async (target, context) => {
      const { expect } = context;
      if (target.skip) context.skip(target.skip);
      const cleanups: Array<() => Promise<void>> = [];
      context.onTestFinished(async () => {
        for (const c of cleanups.splice(0).reverse()) await c();
      });
      const place = target.create();
      cleanups.push(place.cleanup);
      const slack = await FakeSlack.start({
        users: { U0BERLIN1: 'Europe/Berlin', U0PARIS01: 'Europe/Paris' },
      });
      cleanups.push(() => slack.close());
      // Each replica has its own connection, register and outbox view, as separate processes do.
      const stores = [
        await openRegisterStore(place.url, { namespace: place.namespace }),
        await openRegisterStore(place.url, { namespace: place.namespace }),
      ];
      for (const s of stores) cleanups.push(() => s.close());
      const registers = [
        await Register.open(stores[0]!, REGISTER_OPTIONS),
        await Register.open(stores[1]!, REGISTER_OPTIONS),
      ];
      // Three requests due Thursday 2 April: the 1-day stage goes to each Slack owner and to the
      // channel; the named owner's goes to the channel only. With the digest: six messages.
      for (const owner of ['U0BERLIN1', 'U0PARIS01', 'alice'])
        await registers[0]!.add(
          {
            type: 'access',
            regime: 'gdpr',
            country: 'DE',
            received: '2026-03-02',
            requesterName: 'Jane Doe',
            requesterEmail: 'jane@example.org',
            owner,
          },
          { actor: 'test', now: new Date('2026-03-02T12:00:00Z') },
        );
      const started = Date.now();
      const now = () => new Date(BASE + (Date.now() - started));
      const errors: object[] = [];
      const logger: SchedulerLogger = { info() {}, warn() {}, error: (f) => void errors.push(f) };
      const replicas = [0, 1].map(
        (i) =>
          new Scheduler({
            ...SETTINGS,
            register: registers[i]!,
            store: new ReminderStore(stores[i]!.backend),
            channel: new SlackReminderChannel({
              token: 'xoxb-test',
              apiUrl: slack.url,
              privacyChannel: 'C0PRIVACY',
              timeoutMs: 4 * SLOW_MS,
            }),
            logger,
            now,
            replica: `r${i}`,
            leaseMs: LEASE_MS,
            backoffMs: BACKOFF,
          }),
      );
      slack.delayMs = SLOW_MS;
      // The first two posts are rate limited, the third meets a server error.
      slack.fail(2, 429, { retryAfter: RETRY_AFTER_S, method: 'chat.postMessage' });
      slack.fail(1, 500, { method: 'chat.postMessage' });

      // Each replica sweeps on its own, as its schedule and retry timer would, until nothing is
      // left; the second starts while the first is delivering.
      const outbox = new ReminderStore(stores[0]!.backend);
      const run = async (replica: Scheduler, view: ReminderStore) => {
        do {
          await replica.sweep(now());
          await sleep(PASS_GAP_MS);
        } while ((await view.pending()).length > 0 && Date.now() - started < GIVE_UP_MS);
      };
      const first = run(replicas[0]!, new ReminderStore(stores[0]!.backend));
      while (!slack.calls.some((c) => c.method === 'chat.postMessage')) await sleep(20);
      await Promise.all([first, run(replicas[1]!, new ReminderStore(stores[1]!.backend))]);
      expect(errors).toEqual([]);

      const entries = await outbox.entries();
      expect(entries).toHaveLength(6);
      const outcomes = await outbox.outcomes(entries.map((e) => e.seq));
      expect(outcomes.map((o) => o?.outcome)).toEqual(entries.map(() => 'sent'));
      // Each message arrived once.
      const posted = slack.posts.map((p) => p.metadata?.event_payload.entry);
      expect([...posted].sort()).toEqual(entries.map((e) => String(e.seq)).sort());
      // No attempt was abandoned (taken over while its replica was still at it): every attempt but
      // the last of each entry recorded its own failure.
      const attempts = await Promise.all(entries.map((e) => outbox.attempts(e.seq)));
      for (const tries of attempts) {
        expect(tries.slice(0, -1).every((t) => t.failed)).toBe(true);
        expect(tries.at(-1)?.failed).toBeUndefined();
      }
      // The lease was renewed while Slack took longer than it.
      const held = attempts.flat().map((t) => Date.parse(t.leaseUntil) - Date.parse(t.at));
      expect(Math.max(...held)).toBeGreaterThan(LEASE_MS);

      // The waits: after a 429, the same message was not posted again before Retry-After had
      // passed since Slack answered; after a 500, not before the backoff had.
      const posts = slack.of('chat.postMessage');
      expect(posts.filter((c) => c.status === 429)).toHaveLength(2);
      expect(posts.filter((c) => c.status === 500)).toHaveLength(1);
      const waits: string[] = [];
      for (const e of entries) {
        const tries = posts.filter(
          (c) =>
            (c.args.metadata as { event_payload?: { entry?: string } })?.event_payload?.entry ===
            String(e.seq),
        );
        for (let i = 1; i < tries.length; i++) {
          const before = tries[i - 1]!;
          const asked =
            before.status === 429 ? RETRY_AFTER_S * 1000 : before.status >= 500 ? BACKOFF.base : 0;
          const waited = tries[i]!.at - before.answeredAt!;
          waits.push(`${before.status} ${waited}ms`);
          expect(waited, `entry ${e.seq}: attempt ${i + 1} after a ${before.status}`).toBeGreaterThanOrEqual(
            asked,
          );
        }
      }
      console.info(
        `${target.name}: ${posts.length} posts for ${entries.length} messages in ${Date.now() - started} ms; waits after failures: ${waits.join(', ')}`,
      );
    },
  );
});
