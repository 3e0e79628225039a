/**
 * A separate process for the concurrency and crash tests (run with `node --import tsx`):
 *
 *   changes URL NAMESPACE LABEL COUNT SHARED_ID OWN_ID ADDS
 *     COUNT assignments, alternating between SHARED_ID and OWN_ID (owner `LABEL-i`), four at a
 *     time, interleaved with ADDS new requests, once the parent answers READY with a line on
 *     stdin; prints `DONE <lost races>` at the end.
 *   add URL NAMESPACE COUNT
 *     COUNT requests one after the other, printing `ACK <id>` as soon as each is acknowledged.
 */
import { Register } from '../../src/core/requests/register.js';
import { openRegisterStore } from '../../src/store/register-store.js';

const [mode, url, namespace, ...rest] = process.argv.slice(2);
const options = { defaultCountry: 'DE', timeZone: 'UTC', retentionMonths: 24 };
const request = {
  type: 'access',
  regime: 'gdpr',
  received: '2026-03-02',
  requesterName: 'Worker Person',
  requesterEmail: 'worker@example.org',
};
const ctx = (actor: string) => ({ actor, now: new Date('2026-03-10T10:00:00Z') });

const store = await openRegisterStore(url!, { namespace: namespace || undefined });
const register = await Register.open(store, { ...options, snapshotEvery: 50 });

if (mode === 'changes') {
  // Start together: say READY, then wait for the parent's GO, so the two workers really overlap.
  process.stdout.write('READY\n');
  await new Promise((resolve) => process.stdin.once('data', resolve));
  process.stdin.pause();
  const [label, countText, shared, own, addsText] = rest as [string, string, string, string, string];
  const count = Number(countText);
  const adds = Number(addsText);
  const every = Math.max(1, Math.floor(count / Math.max(1, adds)));
  let added = 0;
  for (let i = 0; i < count; i += 4) {
    const batch: Array<Promise<unknown>> = [];
    for (let j = i; j < Math.min(count, i + 4); j++) {
      batch.push(register.assign(j % 2 === 0 ? shared : own, `${label}-${j}`, ctx(label)));
      if (j % every === 0 && added < adds) {
        added++;
        batch.push(register.add(request, ctx(label)));
      }
    }
    await Promise.all(batch);
  }
  while (added < adds) {
    added++;
    await register.add(request, ctx(label));
  }
  process.stdout.write(`DONE ${register.conflicts}\n`);
} else if (mode === 'add') {
  const count = Number(rest[0]);
  for (let i = 0; i < count; i++) {
    const added = await register.add(request, ctx('crash-test'));
    process.stdout.write(`ACK ${added.id}\n`);
  }
  process.stdout.write('DONE\n');
} else {
  process.stderr.write(`unknown mode ${mode}\n`);
  process.exitCode = 64;
}
await register.close();
await store.close();
