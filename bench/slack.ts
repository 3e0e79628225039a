import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { HttpServer } from '../src/channels/http.js';
import { SLACK_EVENTS_PATH, SlackChannel } from '../src/channels/slack/index.js';
import { ConversationEngine } from '../src/core/conversation/engine.js';
import { openPolicies } from '../src/core/policy/service.js';
import { Register } from '../src/core/requests/register.js';
import { openRegisterStore } from '../src/store/register-store.js';
import { commandBody, postToSlackEndpoint, startFakeSlackApi } from '../tests/fakes/slack-api.js';
import { figure, percentile } from './report.js';

/**
 * Slack ack latency: bursts of 50 concurrent, correctly signed `/privacy <question>` requests on
 * loopback against the real receiver mounted on the shared HTTP server. The ack is the HTTP
 * response Slack waits for (3 s limit; docs.slack.dev/interactivity/implementing-slash-commands);
 * the answer follows through response_url, timed separately.
 *
 * The app runs in a child process of its own, as it would in production: in one process the load
 * generator and the fake Slack API would compete with it for the event loop and inflate the figures.
 */

const CONCURRENCY = 50;
const BURSTS = 8;
const SECRET = 'bench-signing-secret';
const SERVE_FLAG = '--slack-bench-server';
const QUESTIONS = [
  'how long do we keep technical logs at Brightdesk?',
  'who are our sub-processors?',
  'do we sell personal data?',
  'where is customer data hosted?',
  'how can a user delete their account?',
];

/** The app side: the Slack channel on the shared HTTP server, talking to the parent's fake API. */
async function serve(apiUrl: string): Promise<void> {
  const logger = pino({ level: 'silent' });
  const { answerer } = await openPolicies(fileURLToPath(new URL('../examples/policies/', import.meta.url)));
  const store = await openRegisterStore('memory://');
  const register = await Register.open(store, { defaultCountry: 'DE', timeZone: 'UTC', retentionMonths: 24 });
  const engine = new ConversationEngine({ answerer, register, defaultCountry: 'DE', defaultTimeZone: 'UTC' });
  const channel = new SlackChannel({
    engine,
    logger,
    botToken: 'xoxb-bench',
    signingSecret: SECRET,
    apiUrl,
    teamUsers: ['ULEAD'],
    defaultTimeZone: 'UTC',
  });
  const http = new HttpServer(logger);
  // Server-side time from the request reaching the route to the ack being written: the app's own
  // share of the ack latency, without the load generator's or the machine's scheduling delays.
  const serverMs: number[] = [];
  const handler = channel.httpHandler!;
  http.mount(SLACK_EVENTS_PATH, (req, res) => {
    const started = performance.now();
    res.once('finish', () => serverMs.push(performance.now() - started));
    return handler(req, res);
  });
  process.on('message', (message) => {
    if (message === 'stats') process.send?.({ serverMs: serverMs.splice(0) });
  });
  await channel.start();
  const port = await http.start(0, '127.0.0.1');
  process.stdout.write(`PORT ${port}\n`);
  process.once('SIGTERM', () => {
    void (async () => {
      await http.stop();
      await channel.stop();
      await register.close();
      await store.close();
      process.exit(0);
    })();
  });
}

if (process.argv.includes(SERVE_FLAG)) await serve(process.argv[process.argv.indexOf(SERVE_FLAG) + 1]!);

export async function benchSlackAck(): Promise<string[]> {
  const fake = await startFakeSlackApi();
  const child = spawn(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), SERVE_FLAG, fake.url],
    {
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    },
  );
  try {
    const lines = createInterface({ input: child.stdout! });
    const [line] = (await Promise.race([
      once(lines, 'line'),
      once(child, 'exit').then(() => {
        throw new Error('the Slack bench server exited before it listened');
      }),
    ])) as [string];
    const url = `http://127.0.0.1:${/PORT (\d+)/.exec(line)![1]}/slack/events`;
    let n = 0;

    const burst = async () => {
      const sent = Array.from({ length: CONCURRENCY }, () => {
        n += 1;
        const id = `bench-${n}`;
        const body = commandBody({
          text: QUESTIONS[n % QUESTIONS.length]!,
          user: `U${String(n % 25).padStart(4, '0')}`,
          responseUrl: fake.responseUrl(id),
          triggerId: `trigger-${n}`,
        });
        return { id, started: performance.now(), body };
      });
      const acks = await Promise.all(sent.map((s) => postToSlackEndpoint(url, s.body, { secret: SECRET })));
      const ids = new Set(sent.map((s) => s.id));
      await fake
        .waitFor(() => fake.responses.filter((r) => ids.has(r.id)).length === sent.length, 10_000)
        .catch(() => undefined);
      const answered = new Map(fake.responses.map((r) => [r.id, r.at]));
      return {
        ackMs: acks.map((a) => a.ms),
        failed: acks.filter((a) => a.status !== 200).length,
        answeredIds: sent.filter((s) => answered.has(s.id)).length,
        answerMs: sent.filter((s) => answered.has(s.id)).map((s) => answered.get(s.id)! - s.started),
      };
    };

    const serverStats = async (): Promise<number[]> => {
      child.send('stats');
      const [reply] = (await once(child, 'message')) as [{ serverMs: number[] }];
      return reply.serverMs;
    };
    await burst(); // warm-up: JIT, the bot identity and the users' time zones
    await serverStats();
    fake.reset();
    const ack: number[] = [];
    const answer: number[] = [];
    let failed = 0;
    let answered = 0;
    for (let i = 0; i < BURSTS; i++) {
      const r = await burst();
      ack.push(...r.ackMs);
      answer.push(...r.answerMs);
      failed += r.failed;
      answered += r.answeredIds;
      fake.reset();
    }
    const server = await serverStats();
    const note = `${BURSTS} bursts of ${CONCURRENCY} concurrent signed commands`;
    return [
      figure('slash-command ack latency p50', percentile(ack, 50), 'ms', undefined, note),
      figure(
        'slash-command ack latency p99',
        percentile(ack, 99),
        'ms',
        { op: '<', limit: 100 },
        "Slack's limit 3,000 ms",
      ),
      figure('slash-command ack latency max', Math.max(...ack), 'ms'),
      figure(
        '  of which in the app (route to ack written) p99',
        percentile(server, 99),
        'ms',
        undefined,
        'the rest is connection set-up and scheduling',
      ),
      figure(
        'answer posted to response_url p50',
        percentile(answer, 50),
        'ms',
        undefined,
        'from sending the command',
      ),
      figure('answer posted to response_url p99', percentile(answer, 99), 'ms'),
      figure('requests not acknowledged with 200', failed, '', { op: '<', limit: 1 }),
      figure('commands answered through response_url', answered, '', {
        op: '>=',
        limit: BURSTS * CONCURRENCY,
      }),
    ];
  } finally {
    child.kill('SIGTERM');
    if (child.exitCode === null) await once(child, 'exit');
    await fake.close();
  }
}
