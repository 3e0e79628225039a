import { afterEach, expect, it } from 'vitest';
import { SlackReminderChannel } from '../../../src/channels/slack/reminder-delivery.js';
import { Scheduler, type SchedulerLogger } from '../../../src/core/reminders/scheduler.js';
import { ReminderStore } from '../../../src/core/reminders/store.js';
import { Register } from '../../../src/core/requests/register.js';
import { openRegisterStore } from '../../../src/store/register-store.js';
import { FakeSlack } from '../../helpers/reminder-fake-slack.js';
import { LEAD, REGISTER_OPTIONS, SETTINGS } from '../../helpers/reminder-sim.js';

/**
 * No privacy channel configured (a trial server, issue 17): reminders for the privacy channel are
 * held in the outbox, neither attempted nor failed on each sweep, and go out exactly once on the
 * first sweep after a channel is set; the owner's own reminder goes out as before.
 */

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

it('holds channel reminders until a privacy channel is set, then sends each once', async () => {
  const slack = await FakeSlack.start({ users: { U0BERLIN1: 'Europe/Berlin', [LEAD]: 'Europe/London' } });
  const backend = await openRegisterStore('memory://');
  closers.push(
    () => slack.close(),
    () => backend.close(),
  );
  const register = await Register.open(backend, REGISTER_OPTIONS);
  const store = new ReminderStore(backend.backend);
  const clock = { now: new Date('2026-03-20T10:00:00Z') };
  slack.stamp = () => clock.now.getTime();
  const logged: { level: string; fields: object; message: string }[] = [];
  const logger: SchedulerLogger = {
    info() {},
    warn: (fields, message) => void logged.push({ level: 'warn', fields, message }),
    error: (fields, message) => void logged.push({ level: 'error', fields, message }),
  };
  const scheduler = (privacyChannel?: string) =>
    new Scheduler({
      ...SETTINGS,
      register,
      store,
      channel: new SlackReminderChannel({
        token: 'xoxb-test',
        apiUrl: slack.url,
        ...(privacyChannel ? { privacyChannel } : {}),
      }),
      privacyChannel: privacyChannel !== undefined,
      logger,
      now: () => clock.now,
    });
  // Due Thursday 2 April: on Wednesday 1 April the owner's DM, the channel summary and the digest.
  await register.add(
    {
      type: 'access',
      regime: 'gdpr',
      country: 'DE',
      received: '2026-03-02',
      requesterName: 'Jane Doe',
      requesterEmail: 'jane@example.org',
      owner: '<@U0BERLIN1>',
    },
    { actor: 'test', now: clock.now },
  );
  const trial = scheduler();
  clock.now = new Date('2026-04-01T08:00:00Z'); // 10:00 in Berlin, 09:00 in London
  const first = await trial.sweep();
  expect(first).toMatchObject({ sent: 1, failed: 0, dropped: 0, retried: 0, waiting: 2 });
  expect(slack.posts.map((p) => p.channel)).toEqual(['DU0BERLIN1']);
  clock.now = new Date('2026-04-01T08:30:00Z');
  expect(await trial.sweep()).toMatchObject({ sent: 0, failed: 0, waiting: 2 });
  expect(logged.filter((l) => l.level === 'error')).toEqual([]);
  expect(slack.posts).toHaveLength(1);

  // The privacy channel is set (a restart with SLACK_PRIVACY_CHANNEL): the held two go out, once.
  const configured = scheduler('C0PRIVACY');
  clock.now = new Date('2026-04-01T09:00:00Z');
  expect(await configured.sweep()).toMatchObject({ sent: 2, failed: 0, waiting: 0 });
  expect(slack.posts.map((p) => p.channel)).toEqual(['DU0BERLIN1', 'C0PRIVACY', 'C0PRIVACY']);
  clock.now = new Date('2026-04-01T10:00:00Z');
  expect(await configured.sweep()).toMatchObject({ sent: 0, failed: 0 });
  expect(slack.posts).toHaveLength(3);
});
