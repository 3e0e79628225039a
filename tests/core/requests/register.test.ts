import { describe, expect, it } from 'vitest';
import { slackAddress } from '../../../src/channels/slack/address.js';
import { AppError } from '../../../src/core/errors.js';
import { remindersDue } from '../../../src/core/reminders/select.js';
import { DEFAULT_WORK_HOURS } from '../../../src/core/reminders/time.js';
import { canonicalJson, hashEvent } from '../../../src/core/requests/audit.js';
import { addMonths, parseReceivedDate, todayIn } from '../../../src/core/requests/input.js';
import { ctx, memoryRegister, NOW, newRequest, OPTIONS, Register } from '../../helpers/register-stores.js';

/** The register's rules over the in-memory store: lifecycle, deadlines, audit chain, purge. */

async function expectAppError(promise: Promise<unknown>, code: string, message: RegExp) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  expect((error as AppError).message).toMatch(message);
}

describe('adding requests', () => {
  it('allocates DSR-<year of receipt>-<4 digits> ids in sequence per year', async () => {
    const { register } = await memoryRegister();
    const a = await register.add(newRequest(), ctx());
    const b = await register.add(newRequest({ received: '2025-12-30' }), ctx());
    const c = await register.add(newRequest(), ctx());
    expect([a.id, b.id, c.id]).toEqual(['DSR-2026-0001', 'DSR-2025-0001', 'DSR-2026-0002']);
  });

  it('starts the clock on receipt, not when logged, and keeps the deadline with its rule', async () => {
    const { register } = await memoryRegister();
    const r = await register.add(
      newRequest({ received: '2026-03-02' }),
      ctx(new Date('2026-03-09T12:00:00Z')),
    );
    expect(r.received).toBe('2026-03-02');
    expect(r.loggedAt).toBe('2026-03-09T12:00:00.000Z');
    expect(r.deadlines.due).toBe('2026-04-02');
    expect(r.deadlines.rule).toMatch(/One month/);
    expect(r.deadlines.source).toMatch(/GDPR art\. 12\(3\)/);
    expect(r.status).toBe('received');
  });

  it('takes the regime home country when none is given, the default country for the EU GDPR', async () => {
    const { register } = await memoryRegister();
    expect((await register.add(newRequest({ regime: 'ccpa' }), ctx())).country).toBe('US');
    expect((await register.add(newRequest({ regime: 'gdpr' }), ctx())).country).toBe('DE');
    expect((await register.add(newRequest({ regime: 'gdpr', country: 'fr' }), ctx())).country).toBe('FR');
  });

  it('keeps personal data out of the audit events', async () => {
    const { register } = await memoryRegister();
    const r = await register.add(newRequest({ note: 'called from +49 30 1234' }), ctx());
    const detail = await register.show(r.id);
    expect(detail.requester).toEqual({ name: 'Jane Doe', email: 'jane@example.org' });
    expect(detail.trail[0]?.text).toBe('called from +49 30 1234');
    const stored = JSON.stringify(detail.trail.map(({ text: _t, ...event }) => event));
    // The events hold hex hashes, so a bare run of digits ("1234") may turn up in one by chance.
    expect(stored).not.toMatch(/Jane|jane@|30 1234|called from/);
  });

  it.each([
    [{ received: '2026-02-30' }, 'INVALID_INPUT', /not a real calendar date/],
    [{ received: '2026-03-11' }, 'INVALID_INPUT', /in the future/],
    [{ received: '03/02/2026' }, 'INVALID_INPUT', /use YYYY-MM-DD/],
    [{ regime: 'gdpx' }, 'INVALID_INPUT', /unknown regime/],
    [{ type: 'teleport' }, 'INVALID_INPUT', /unknown request type/],
    [{ country: 'XX' }, 'INVALID_INPUT', /not a known country/],
    [{ requesterEmail: 'jane-at-example' }, 'INVALID_INPUT', /not a valid address/],
    [{ requesterName: '  ' }, 'INVALID_INPUT', /must not be empty/],
  ])('refuses %o and writes nothing', async (override, code, message) => {
    const { store, register } = await memoryRegister();
    await expectAppError(register.add(newRequest(override), ctx()), code, message);
    expect(await store.readLog(1, 10)).toEqual([]);
    expect(await store.backend.maxKey('')).toBeUndefined();
  });
});

describe('lifecycle', () => {
  it('moves received -> identity-verified -> in-progress -> completed and refuses a second close', async () => {
    const { register } = await memoryRegister();
    const { id } = await register.add(newRequest(), ctx());
    expect((await register.verifyIdentity(id, ctx())).status).toBe('identity-verified');
    expect((await register.start(id, ctx())).status).toBe('in-progress');
    const closed = await register.closeRequest(id, 'completed', ctx());
    expect(closed).toMatchObject({ status: 'completed', outcome: 'completed', closedAt: NOW.toISOString() });
    await expectAppError(register.closeRequest(id, 'rejected', ctx()), 'CONFLICT', /already closed.*reopen/);
    expect((await register.reopen(id, ctx())).status).toBe('in-progress');
  });

  it('refuses illegal transitions with the allowed statuses', async () => {
    const { register } = await memoryRegister();
    const { id } = await register.add(newRequest(), ctx());
    await register.start(id, ctx());
    await expectAppError(
      register.verifyIdentity(id, ctx()),
      'CONFLICT',
      /is in progress, so it cannot have its identity verified; that is only possible while it is received and not started/,
    );
    // Said in plain words, not as a list of status codes.
    await expectAppError(
      register.resume(id, ctx()),
      'CONFLICT',
      /is not on hold \(it is in progress\), so there is nothing to resume/,
    );
    await expectAppError(register.reopen(id, ctx()), 'CONFLICT', /cannot be reopened/);
    await expectAppError(register.closeRequest(id, 'done', ctx()), 'INVALID_INPUT', /not an outcome/);
  });

  it('extends once where the law allows once, and refuses the second', async () => {
    const { register } = await memoryRegister();
    const { id } = await register.add(newRequest(), ctx());
    const extended = await register.extend(id, ctx(), 'many requests');
    expect(extended.extensions).toBe(1);
    expect(extended.deadlines.due).toBe('2026-06-02');
    await expectAppError(register.extend(id, ctx()), 'CONFLICT', /already extended.*only once/);
    const trail = (await register.show(id)).trail;
    expect(trail.map((e) => e.action)).toEqual(['created', 'extended']);
    expect(trail[1]?.text).toBe('many requests');
  });

  it('refuses an extension after the original period', async () => {
    const { register } = await memoryRegister();
    const { id } = await register.add(newRequest(), ctx());
    await expectAppError(
      register.extend(id, ctx(new Date('2026-04-20T00:00:00Z'))),
      'CONFLICT',
      /Too late to extend/,
    );
  });

  it('pauses only where the regime has a stop-the-clock rule, and moves the deadline on resume', async () => {
    const { register } = await memoryRegister();
    const eu = await register.add(newRequest(), ctx());
    await expectAppError(register.pause(eu.id, ctx()), 'CONFLICT', /no stop-the-clock rule/);
    const uk = await register.add(newRequest({ regime: 'uk-gdpr' }), ctx());
    const paused = await register.pause(uk.id, ctx(), 'awaiting clarification');
    expect(paused).toMatchObject({ status: 'paused', pausedOn: '2026-03-10', statusBeforePause: 'received' });
    const resumed = await register.resume(uk.id, ctx(new Date('2026-03-20T09:00:00Z')));
    // Issue 14 point 3 (was 10): art. 12A excludes 10 March to 20 March, both days included.
    expect(resumed).toMatchObject({ status: 'received', pausedDays: 11, pausedOn: null });
    expect(resumed.deadlines.due > uk.deadlines.due).toBe(true);
  });

  it('reports unknown and malformed ids distinctly', async () => {
    const { register } = await memoryRegister();
    await expectAppError(register.start('DSR-2026-0999', ctx()), 'NOT_FOUND', /no request DSR-2026-0999/);
    await expectAppError(register.start('nonsense', ctx()), 'INVALID_INPUT', /not a request id/);
  });

  it('uses the injected policy target', async () => {
    const { register } = await memoryRegister({
      policyTargets: { responseDays: (id) => (id === 'p1' ? 14 : undefined) },
    });
    const r = await register.add(newRequest({ policyId: 'p1' }), ctx());
    expect(r.deadlines.deadlines.some((d) => d.kind === 'policy-target')).toBe(true);
  });
});

describe('listing', () => {
  it('filters by status, owner and due-within, soonest first', async () => {
    const { register } = await memoryRegister();
    const a = await register.add(newRequest({ received: '2026-03-09', owner: 'alice' }), ctx());
    const b = await register.add(newRequest({ received: '2026-02-12', owner: 'bob' }), ctx());
    const c = await register.add(newRequest({ received: '2026-03-01' }), ctx());
    await register.closeRequest(c.id, 'withdrawn', ctx());
    expect((await register.list({}, NOW)).map((r) => r.id)).toEqual([b.id, a.id]);
    expect((await register.list({ status: ['closed'] }, NOW)).map((r) => r.id)).toEqual([c.id]);
    expect((await register.list({ status: ['all'] }, NOW)).length).toBe(3);
    expect((await register.list({ owner: 'ALICE' }, NOW)).map((r) => r.id)).toEqual([a.id]);
    expect((await register.list({ dueWithinDays: 7 }, NOW)).map((r) => r.id)).toEqual([b.id]);
    expect(
      (await register.list({ status: ['overdue'] }, new Date('2026-03-20T00:00:00Z'))).map((r) => r.id),
    ).toEqual([b.id]);
  });
});

describe('listing after many changes', () => {
  /** The open requests as `list` must give them: by due date, then id. */
  const expected = (all: Array<{ id: string; status: string; deadlines: { due: string } }>) =>
    all
      .filter((r) => ['received', 'identity-verified', 'in-progress', 'paused'].includes(r.status))
      .map((r) => `${r.deadlines.due}${r.id}`)
      .sort()
      .map((k) => k.slice(10));

  it('keeps the open requests in order through closes, reopens, extensions, pauses and restarts', async () => {
    const { store, register } = await memoryRegister();
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 48271) % 2147483647;
      return seed % n;
    };
    const regimes = ['gdpr', 'ccpa', 'uk-gdpr', 'lgpd'];
    const added = await register.addMany(
      Array.from({ length: 60 }, (_, i) =>
        newRequest({
          regime: regimes[i % 4]!,
          received: new Date(NOW.getTime() - ((i * 7) % 68) * 86_400_000).toISOString().slice(0, 10),
        }),
      ),
      ctx(),
    );
    let current = register;
    let applied = 0;
    for (let step = 0; step < 80; step++) {
      const id = added[next(added.length)]!.id;
      const change = [
        () => current.closeRequest(id, 'completed', ctx()),
        () => current.reopen(id, ctx()),
        () => current.extend(id, ctx()),
        () => current.pause(id, ctx()),
        () => current.resume(id, ctx(new Date('2026-03-20T10:00:00Z'))),
        () => current.assign(id, `owner-${next(3)}`, ctx()),
      ][next(6)]!;
      // A step the lifecycle refuses (closing a closed request) changes nothing, as intended.
      await change().then(
        () => applied++,
        () => undefined,
      );
      if (step % 20 === 19) {
        await current.snapshot();
        current = await Register.open(store, OPTIONS);
      }
      const all = await current.list({ status: ['all'] }, NOW);
      expect((await current.list({}, NOW)).map((x) => x.id)).toEqual(expected(all));
    }
    expect(applied).toBeGreaterThan(20);
    const all = await current.list({ status: ['all'] }, NOW);
    const horizon = '2026-03-17';
    expect((await current.list({ dueWithinDays: 7 }, NOW)).map((x) => x.id)).toEqual(
      expected(all.filter((x) => x.status !== 'paused' && x.deadlines.due <= horizon)),
    );
    expect((await current.list({ owner: 'owner-1' }, NOW)).map((x) => x.id)).toEqual(
      expected(all.filter((x) => x.owner === 'owner-1')),
    );
  });

  it('stores the open requests in list order in the snapshot, so a fresh process need not sort them', async () => {
    const { store, register } = await memoryRegister();
    const a = await register.add(newRequest({ received: '2026-03-09' }), ctx());
    const b = await register.add(newRequest({ received: '2026-02-12' }), ctx());
    const c = await register.add(newRequest({ received: '2026-03-01' }), ctx());
    await register.closeRequest(b.id, 'completed', ctx());
    const d = await register.add(newRequest({ received: '2026-02-20' }), ctx());
    await register.snapshot();
    const [part] = (await store.getSnapshotParts(1)) as Array<{ rows: Array<[string]> }>;
    expect(part!.rows.map((row) => row[0])).toEqual([d.id, c.id, a.id, b.id]);
  });
});

describe('audit trail', () => {
  it('records who, when, what, before and after, each event sealed to its predecessor', async () => {
    const { register } = await memoryRegister();
    const { id } = await register.add(newRequest(), ctx());
    await register.assign(id, 'alice', ctx(new Date('2026-03-11T08:00:00Z'), 'bob'));
    const [created, assigned] = (await register.show(id)).trail;
    expect(assigned).toMatchObject({
      actor: 'bob',
      at: '2026-03-11T08:00:00.000Z',
      action: 'assigned',
      before: { owner: null },
      after: { owner: 'alice' },
      prevHash: created!.hash,
    });
    const { text: _t, ...stored } = assigned!;
    expect(hashEvent(stored)).toBe(assigned!.hash);
    expect((await register.verify()).ok).toBe(true);
  });

  it('detects an edited event, a removed event and edited personal data', async () => {
    const { store, register } = await memoryRegister();
    const { id } = await register.add(newRequest(), ctx());
    await register.assign(id, 'alice', ctx());
    await register.start(id, ctx());
    const keyv = store.backend.keyv;
    const key = 'log:000000000002';
    const original = await keyv.get(key);
    await keyv.set(key, { ...(original as object), actor: 'mallory' });
    let report = await register.verify();
    expect(report.ok).toBe(false);
    expect(report.problems.join('\n')).toMatch(/event 2: its hash does not match/);

    await keyv.delete(key);
    report = await (await Register.open(store, OPTIONS)).verify();
    expect(report.problems.join('\n')).toMatch(/hole after event 1/);
    await keyv.set(key, original);

    const ref = (await register.get(id)).requesterRef;
    const record = (await store.getPersonal([ref]))[0] as { data: object };
    await keyv.set(`pd:${ref}`, { ...record, data: { ...record.data, email: 'other@example.org' } });
    report = await register.verify();
    expect(report.problems.join('\n')).toMatch(/does not match its digest/);
  });

  it('refuses to write on top of a damaged chain', async () => {
    const { store, register } = await memoryRegister();
    const { id } = await register.add(newRequest(), ctx());
    await register.assign(id, 'alice', ctx());
    const original = (await store.readLogAt([2]))[0] as object;
    await store.backend.keyv.set('log:000000000002', { ...original, prevHash: '1'.repeat(64) });
    const fresh = await Register.open(store, OPTIONS);
    await expect(fresh.start(id, ctx())).rejects.toThrow(/audit trail is damaged/);
  });

  it('canonical JSON ignores key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,{"e":3,"f":2}]},"b":1}',
    );
  });
});

describe('snapshot', () => {
  it('starts from the snapshot and reads only the events after it', async () => {
    const { store, register } = await memoryRegister({ snapshotEvery: 2 });
    const { id } = await register.add(newRequest(), ctx());
    await register.assign(id, 'alice', ctx());
    await register.close();
    expect(await store.getSnapshotHeader()).toMatchObject({ v: 2, upTo: 2, parts: 1, count: 1 });
    await register.start(id, ctx());
    const again = await Register.open(store, OPTIONS);
    expect((await again.get(id)).status).toBe('in-progress');
    expect((await again.verify()).ok).toBe(true);
  });

  it('ignores a snapshot that does not match the log', async () => {
    const { store, register } = await memoryRegister();
    const { id } = await register.add(newRequest(), ctx());
    await register.snapshot();
    const header = (await store.getSnapshotHeader()) as Record<string, unknown>;
    const [part] = (await store.getSnapshotParts(1)) as Array<{ rows: unknown[] }>;
    await store.putSnapshot({ ...header, headHash: 'f'.repeat(64) }, [{ ...part, rows: [] }]);
    expect((await (await Register.open(store, OPTIONS)).get(id)).id).toBe(id);
    // Parts from another snapshot (another id) are not mixed in either.
    await store.putSnapshot(header, [{ ...part, id: 'other', rows: [] }]);
    expect((await (await Register.open(store, OPTIONS)).get(id)).id).toBe(id);
  });
});

describe('retention and purge', () => {
  it('scrubs personal data after the retention period and keeps the chain valid', async () => {
    const { store, register } = await memoryRegister();
    const old = await register.add(newRequest({ note: 'ring after 5pm' }), ctx());
    const recent = await register.add(newRequest(), ctx());
    await register.closeRequest(old.id, 'completed', ctx(new Date('2026-03-20T00:00:00Z')), 'sent the data');
    await register.closeRequest(recent.id, 'rejected', ctx(new Date('2026-06-01T00:00:00Z')));
    const later = ctx(new Date('2028-03-21T00:00:00Z'), 'dpo');

    const dry = await register.purge(later, { dryRun: true });
    expect(dry).toEqual({ dryRun: true, due: [old.id], recordsDeleted: 0 });
    expect((await register.show(old.id)).requester).not.toBeNull();

    const report = await register.purge(later);
    expect(report).toEqual({ dryRun: false, due: [old.id], recordsDeleted: 3 });
    const detail = await register.show(old.id);
    expect(detail.requester).toBeNull();
    expect(detail.trail.map((e) => e.text)).toEqual([null, null, null]);
    expect(detail.trail.at(-1)).toMatchObject({ action: 'purged', actor: 'dpo', after: { purged: true } });
    expect(detail.request).toMatchObject({
      type: 'access',
      regime: 'gdpr',
      outcome: 'completed',
      purged: true,
    });
    expect((await register.show(recent.id)).requester).not.toBeNull();
    expect(await register.verify()).toMatchObject({ ok: true, problems: [] });
    await expect(register.reopen(old.id, ctx())).rejects.toThrow(/purged/);
    expect((await register.purge(later)).due).toEqual([]);
    expect(JSON.stringify(await store.getPersonal([old.requesterRef]))).not.toMatch(/jane/i);
  });

  it('finishes an interrupted purge on the next run', async () => {
    const { store, register } = await memoryRegister();
    const r = await register.add(newRequest(), ctx());
    await register.closeRequest(r.id, 'completed', ctx());
    const later = ctx(new Date('2028-04-01T00:00:00Z'));
    await register.purge(later);
    // Simulate a crash after the purge event but before the deletion.
    await store.putPersonal([
      {
        ref: r.requesterRef,
        record: { v: 1, salt: 'x', createdAt: '', data: { kind: 'text', text: 'left' } },
      },
    ]);
    expect((await register.verify()).problems.join()).toMatch(/personal data is left/);
    expect((await register.purge(later)).recordsDeleted).toBe(1);
    expect((await register.verify()).ok).toBe(true);
  });

  it('keeps records for at least the configured months', () => {
    expect(addMonths('2026-01-31', 24)).toBe('2028-01-31');
    expect(addMonths('2026-03-31', 1)).toBe('2026-04-30');
  });
});

describe('input helpers', () => {
  it('computes today in the configured time zone', () => {
    expect(todayIn(new Date('2026-03-10T23:30:00Z'), 'Europe/Berlin')).toBe('2026-03-11');
    expect(todayIn(new Date('2026-03-10T23:30:00Z'), 'UTC')).toBe('2026-03-10');
  });

  it('accepts today and refuses the day after', () => {
    expect(parseReceivedDate('2026-03-10', '2026-03-10')).toBe('2026-03-10');
    expect(() => parseReceivedDate('2026-03-11', '2026-03-10')).toThrow(/future/);
    expect(() => parseReceivedDate('1999-12-31', '2026-03-10')).toThrow(/implausibly old/);
  });
});

/**
 * Issue 16: a request that came by post or phone may give no email; a phone number or a postal
 * address is the contact then, kept as personal data like the email (never in the events).
 */
describe('a contact other than an email', () => {
  const noEmail = (over: Partial<Parameters<typeof newRequest>[0]>) =>
    newRequest({ requesterEmail: undefined, channel: 'post', ...over });

  it('logs a request with only a postal address or a phone number, kept out of the events', async () => {
    const { register } = await memoryRegister();
    const post = await register.add(noEmail({ requesterAddress: '1 Main Road\nDublin  D01 F5P2\n' }), ctx());
    const phone = await register.add(
      noEmail({ requesterPhone: ' +353 1 234  5678 ', channel: 'phone' }),
      ctx(),
    );
    expect((await register.show(post.id)).requester).toEqual({
      name: 'Jane Doe',
      address: '1 Main Road, Dublin D01 F5P2',
    });
    expect((await register.show(phone.id)).requester).toEqual({ name: 'Jane Doe', phone: '+353 1 234 5678' });
    const events = JSON.stringify([
      ...(await register.show(post.id)).trail.map(({ text: _t, ...e }) => e),
      ...(await register.show(phone.id)).trail.map(({ text: _t, ...e }) => e),
    ]);
    expect(events).not.toMatch(/Main Road|Dublin|234 ?5678|Jane/);
    expect((await register.verify()).ok).toBe(true);
  });

  it('refuses a request with no contact at all, and a phone number or address that is none', async () => {
    const { register } = await memoryRegister();
    await expectAppError(
      register.add(noEmail({}), ctx()),
      'INVALID_INPUT',
      /email address, a phone number or a postal address/,
    );
    await expectAppError(register.add(noEmail({ requesterPhone: '12' }), ctx()), 'INVALID_INPUT', /phone/);
    await expectAppError(
      register.add(noEmail({ requesterAddress: ' , ' }), ctx()),
      'INVALID_INPUT',
      /address/,
    );
    expect(await register.list({ status: ['all'] }, NOW)).toEqual([]);
  });

  it('changes one contact of a logged request and keeps the others', async () => {
    const { register } = await memoryRegister();
    const r = await register.add(newRequest({ requesterPhone: '+49 30 1234567' }), ctx());
    await register.changeRequester(r.id, { address: 'Lindenweg 9, 80331 München' }, ctx());
    expect((await register.show(r.id)).requester).toEqual({
      name: 'Jane Doe',
      email: 'jane@example.org',
      phone: '+49 30 1234567',
      address: 'Lindenweg 9, 80331 München',
    });
  });

  it('gives an appeal without a contact the appealed request’s requester, in a record of its own', async () => {
    const { register } = await memoryRegister();
    const first = await register.add(
      noEmail({ regime: 'us-state', region: 'VA', received: '2026-01-10', requesterPhone: '(804) 555-0100' }),
      ctx(),
    );
    await register.closeRequest(first.id, 'rejected', ctx());
    const input = {
      type: 'appeal',
      regime: 'us-state',
      region: 'VA',
      received: '2026-03-02',
      appealOf: first.id,
    };
    // What the chat shows before the yes is computed without the contact: it is taken on add.
    expect(register.preview(input, NOW).deadlines.due).toBe('2026-05-01');
    const appeal = await register.add(input, ctx());
    expect((await register.show(appeal.id)).requester).toEqual({ name: 'Jane Doe', phone: '(804) 555-0100' });
    expect(appeal.requesterRef).not.toBe(first.requesterRef);
  });
});

describe('a request logged from a draft', () => {
  it('is logged once per intake key, also after a restart from the snapshot', async () => {
    const { register, store } = await memoryRegister();
    const first = await register.add(newRequest({ intakeKey: 'draft-1' }), ctx());
    const again = await register.add(newRequest({ intakeKey: 'draft-1', received: '2026-03-01' }), ctx());
    expect(again).toEqual(first);
    const [other, same] = await register.addMany(
      [newRequest({ intakeKey: 'draft-2' }), newRequest({ intakeKey: 'draft-1' })],
      ctx(),
    );
    expect([other!.id, same!.id]).toEqual(['DSR-2026-0002', first.id]);
    await register.snapshot();
    const reopened = await Register.open(store, OPTIONS);
    expect((await reopened.add(newRequest({ intakeKey: 'draft-2' }), ctx())).id).toBe('DSR-2026-0002');
    expect(await reopened.list({ status: ['all'] }, NOW)).toHaveLength(2);
    // The requests skipped left no personal data behind.
    expect((await reopened.verify()).orphans).toBe(0);
  });
});

describe('correcting the requester of a logged request', () => {
  it('records who changed it in the trail, never the values, and keeps the chain sound', async () => {
    const { register, store } = await memoryRegister();
    const r = await register.add(newRequest(), ctx());
    const before = (await store.listPersonalRefs()).length;
    await register.changeRequester(r.id, { email: 'jane.doe@example.org' }, ctx());
    const detail = await register.show(r.id);
    expect(detail.requester).toEqual({ name: 'Jane Doe', email: 'jane.doe@example.org' });
    expect(detail.trail.map((e) => e.action)).toEqual(['created', 'requester-changed']);
    expect(JSON.stringify(detail.trail.map(({ text: _t, ...e }) => e))).not.toMatch(/jane|Jane/);
    // The record with the wrong address is gone, not left as an orphan.
    expect((await store.listPersonalRefs()).length).toBe(before);
    expect((await register.verify()).ok).toBe(true);
    expect((await (await Register.open(store, OPTIONS)).show(r.id)).requester?.email).toBe(
      'jane.doe@example.org',
    );
  });

  it('refuses an address that is not one, and a request that is not there', async () => {
    const { register } = await memoryRegister();
    const r = await register.add(newRequest(), ctx());
    await expectAppError(register.changeRequester(r.id, { email: 'nope' }, ctx()), 'INVALID_INPUT', /email/i);
    await expectAppError(
      register.changeRequester('DSR-2026-0099', { name: 'X' }, ctx()),
      'NOT_FOUND',
      /no request/,
    );
  });
});

/**
 * Issue 14 point 2: an appeal of a refusal is a request of its own, linked to the one it appeals,
 * with its own clock (the state's appeal period from receipt of the appeal) and its own trail.
 */
describe('a received date put right', () => {
  it('recomputes the deadline, records the old and new day, and refuses a day to come', async () => {
    const { register } = await memoryRegister();
    const r = await register.add(
      newRequest({ regime: 'gdpr', country: 'DE', received: '2026-01-10' }),
      ctx(),
    );
    const moved = await register.changeReceived(r.id, '2026-01-20', ctx());
    expect(moved.received).toBe('2026-01-20');
    expect(moved.deadlines.due > r.deadlines.due).toBe(true);
    const { trail } = await register.show(r.id);
    expect(trail.at(-1)).toMatchObject({
      action: 'received-changed',
      before: { received: '2026-01-10' },
      after: { received: '2026-01-20' },
    });
    expect((await register.verify()).ok).toBe(true);
    await expect(register.changeReceived(r.id, '2099-01-01', ctx())).rejects.toThrow(AppError);
    await register.closeRequest(r.id, 'completed', ctx());
    await expectAppError(register.changeReceived(r.id, '2026-01-12', ctx()), 'CONFLICT', /received date/);
  });
});

describe('appeals', () => {
  const original = newRequest({ regime: 'us-state', region: 'VA', received: '2026-01-10' });
  const appeal = (over: Partial<Parameters<typeof newRequest>[0]> = {}) =>
    newRequest({ type: 'appeal', regime: 'us-state', region: 'VA', received: '2026-03-02', ...over });

  it.each([
    // state, extended, due, statute cited; appeal received Mon 2 Mar 2026 (+45 Thu 16 Apr, +60 Fri 1 May, +105 Mon 15 Jun)
    ['VA', false, '2026-05-01', 'Va. Code § 59.1-577(C)'],
    ['TX', false, '2026-05-01', 'Tex. Bus. & Com. Code § 541.053'],
    ['CO', false, '2026-04-16', 'Colo. Rev. Stat. § 6-1-1306(3)'],
    ['CO', true, '2026-06-15', 'Colo. Rev. Stat. § 6-1-1306(3)'],
  ])(
    '%s appeal (extended: %s) is due %s under %s, linked and audited',
    async (region, extended, due, statute) => {
      const { register } = await memoryRegister();
      const first = await register.add({ ...original, region }, ctx());
      await register.closeRequest(first.id, 'rejected', ctx());
      let r = await register.add(appeal({ region, appealOf: first.id.toLowerCase() }), ctx());
      if (extended) r = await register.extend(r.id, ctx(new Date('2026-03-20T10:00:00Z')), 'complex');
      expect(r).toMatchObject({ type: 'appeal', appealOf: first.id, region });
      expect(r.deadlines).toMatchObject({ due, source: statute });
      const { trail } = await register.show(r.id);
      expect(trail[0]).toMatchObject({ action: 'created', after: { appealOf: first.id, type: 'appeal' } });
      // The link survives a restart from the snapshot, and the chain still verifies.
      await register.snapshot();
      expect((await register.get(r.id)).appealOf).toBe(first.id);
      expect((await register.verify()).ok).toBe(true);
    },
  );

  it('reminds of an appeal like any other clock', async () => {
    const { register } = await memoryRegister();
    const first = await register.add(original, ctx());
    const r = await register.add(appeal({ appealOf: first.id, owner: 'U0LOSANG1' }), ctx());
    const due = remindersDue([r], new Date('2026-05-01T17:00:00Z'), {
      offsets: [7, 3, 1, 0],
      hours: DEFAULT_WORK_HOURS,
      timeZone: 'Europe/London',
      timeZoneOf: () => 'America/Los_Angeles',
      lead: 'U0LEAD001',
      channelWithinDays: 1,
      addressOf: slackAddress,
    });
    expect(due.map((x) => [x.requestId, x.deadline, x.due, x.stage])).toContainEqual([
      r.id,
      'response',
      '2026-05-01',
      'd0',
    ]);
  });

  it('logs an appeal whose original is not in the register on its own clock, with no link', async () => {
    const { register } = await memoryRegister();
    const r = await register.add(appeal({ note: 'Appeal of a refusal not in the register.' }), ctx());
    expect(r).toMatchObject({ type: 'appeal', appealOf: null, region: 'VA' });
    expect(r.deadlines).toMatchObject({ due: '2026-05-01', source: 'Va. Code § 59.1-577(C)' });
  });

  it.each([
    [{ appealOf: 'DSR-2026-0999' }, 'NOT_FOUND', /no request DSR-2026-0999 to appeal/],
    [{ appealOf: 'DSR-2026-0001', received: '2026-01-05' }, 'INVALID_INPUT', /before the request it appeals/],
    [{ appealOf: 'DSR-2026-0001', region: 'UT' }, 'INVALID_INPUT', /no appeal/],
    [
      { appealOf: 'DSR-2026-0001', regime: 'gdpr', country: 'DE', region: undefined },
      'INVALID_INPUT',
      /no appeal/,
    ],
    [{ appealOf: 'DSR-2026-0001', type: 'access' }, 'INVALID_INPUT', /Only an appeal links/],
  ])('refuses %o', async (over, code, message) => {
    const { register } = await memoryRegister();
    await register.add(original, ctx());
    await expectAppError(register.add(appeal(over), ctx()), code, message);
  });

  it('refuses an appeal of an appeal', async () => {
    const { register } = await memoryRegister();
    const first = await register.add(original, ctx());
    const second = await register.add(appeal({ appealOf: first.id }), ctx());
    await expectAppError(
      register.add(appeal({ appealOf: second.id }), ctx()),
      'INVALID_INPUT',
      /itself an appeal/,
    );
  });
});
