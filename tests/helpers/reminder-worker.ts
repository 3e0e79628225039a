/**
 * One scheduler replica in its own process, for tests/core/reminders/scheduler.replicas.test.ts
 * (run with `node --import tsx`):
 *
 *   reminder-worker.ts STORE_URL NAMESPACE SLACK_API_URL REPLICA [DIE_AT_TICK]
 *
 * It prints READY, then for each `TICK <n> <ISO instant>` line on stdin runs one sweep at that
 * instant of the injected clock and prints `DONE <n>`. With DIE_AT_TICK it kills itself (SIGKILL,
 * no clean-up) on its first delivery at or after that tick: after claiming the entry, before
 * Slack sees it, which is the crash the takeover rule is for. `EXIT` ends it.
 */
import { createInterface } from 'node:readline';
import { SlackReminderChannel } from '../../src/channels/slack/reminder-delivery.js';
import type { ReminderMessage } from '../../src/core/reminders/delivery.js';
import { Scheduler } from '../../src/core/reminders/scheduler.js';
import { ReminderStore } from '../../src/core/reminders/store.js';
import { Register } from '../../src/core/requests/register.js';
import { openRegisterStore } from '../../src/store/register-store.js';
import { REGISTER_OPTIONS, SETTINGS } from './reminder-sim.js';

const [url, namespace, slackUrl, replica, dieAtText] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string?,
];
const dieAt = dieAtText ? Number(dieAtText) : Number.POSITIVE_INFINITY;
const store = await openRegisterStore(url, { namespace: namespace || undefined });
const register = await Register.open(store, REGISTER_OPTIONS);
const channel = new SlackReminderChannel({
  token: 'xoxb-test',
  apiUrl: slackUrl,
  privacyChannel: 'C0PRIVACY',
});
let tick = -1;
let now = new Date(0);
const deliver = channel.deliver.bind(channel);
channel.deliver = (message: ReminderMessage) => {
  if (tick >= dieAt) process.kill(process.pid, 'SIGKILL');
  return deliver(message);
};
const scheduler = new Scheduler({
  ...SETTINGS,
  register,
  store: new ReminderStore(store.backend),
  channel,
  now: () => now,
  replica,
});

process.stdout.write('READY\n');
for await (const line of createInterface({ input: process.stdin })) {
  const [command, n, iso] = line.trim().split(' ');
  if (command === 'EXIT') break;
  if (command !== 'TICK') continue;
  tick = Number(n);
  now = new Date(iso!);
  await scheduler.sweep(now);
  process.stdout.write(`DONE ${n}\n`);
}
await store.close();
