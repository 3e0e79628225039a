import { describe, expect, it } from 'vitest';
import { ctx, memoryRegister, newRequest, OPTIONS, Register } from '../../helpers/register-stores.js';

/**
 * The clocks the register keeps besides the plain legal deadline: UK GDPR's clock that starts
 * when identity evidence arrives, and the policy's own promise as an internal target.
 */
describe('UK GDPR clock start (art. 12A)', () => {
  it('moves the deadline to one month after the identity evidence arrived', async () => {
    const { register, store } = await memoryRegister();
    // Received Mon 2 Mar 2026: due Thu 2 Apr. Evidence on Mon 9 Mar: due Thu 9 Apr 2026.
    const added = await register.add(newRequest({ regime: 'uk-gdpr', country: 'GB' }), ctx());
    expect(added.deadlines.due).toBe('2026-04-02');
    const verified = await register.verifyIdentity(
      added.id,
      ctx(new Date('2026-03-10T10:00:00Z')),
      undefined,
      '2026-03-09',
    );
    expect(verified.clockStart).toBe('2026-03-09');
    expect(verified.deadlines.due).toBe('2026-04-09');
    expect(verified.status).toBe('identity-verified');
    await register.close();
    await store.close();
  });

  it('keeps counting from receipt for the EU GDPR', async () => {
    const { register, store } = await memoryRegister();
    const added = await register.add(newRequest({ regime: 'gdpr', country: 'DE' }), ctx());
    const verified = await register.verifyIdentity(added.id, ctx(), undefined, '2026-03-09');
    expect(verified.clockStart).toBeNull();
    expect(verified.deadlines.due).toBe(added.deadlines.due);
    await register.close();
    await store.close();
  });

  it('refuses identity evidence dated before the request', async () => {
    const { register, store } = await memoryRegister();
    const added = await register.add(newRequest({ regime: 'uk-gdpr', country: 'GB' }), ctx());
    await expect(register.verifyIdentity(added.id, ctx(), undefined, '2026-02-01')).rejects.toThrow(
      /before the request/,
    );
    expect((await register.get(added.id)).status).toBe('received');
    await register.close();
    await store.close();
  });
});

describe('policy targets', () => {
  const policyTargets = {
    responseDays: (id: string) => (id === 'acme' ? 20 : undefined),
    has: (id: string) => ['acme', 'other'].includes(id),
    ids: () => ['acme', 'other'],
  };

  it("adds the policy's promise as a non-binding internal target", async () => {
    const { register, store } = await memoryRegister({ policyTargets });
    const added = await register.add(newRequest({ policyId: 'acme' }), ctx());
    const target = added.deadlines.deadlines.find((d) => d.kind === 'policy-target');
    // 20 days from Mon 2 Mar 2026 is Sun 22 Mar; the legal month ends Thu 2 Apr.
    expect(target?.binding).toBe(false);
    expect(target?.due).toBeDefined();
    expect(target!.due < added.deadlines.due).toBe(true);
    expect(added.deadlines.due).toBe('2026-04-02');
    await register.close();
    await store.close();
  });

  it('refuses a policy id the corpus does not know, writing nothing', async () => {
    const { register, store } = await memoryRegister({ policyTargets });
    await expect(register.add(newRequest({ policyId: 'nope' }), ctx())).rejects.toThrow(
      /known policies: acme, other/,
    );
    expect(await register.list({ status: ['all'] }, new Date('2026-03-10T10:00:00Z'))).toEqual([]);
    await register.close();
    await store.close();
  });
});

/**
 * Issue 14 point 3: UK GDPR art. 12A excludes "the period beginning with the day on which the
 * controller requests the information and ending with the day on which it is received", so both
 * days count. Received Mon 2 Mar 2026: due Thu 2 Apr without a pause (England).
 */
describe('UK GDPR pause for clarification (art. 12A): both end days excluded', () => {
  it.each([
    // asked, arrived, days excluded, due, why (date -d)
    [
      '2026-03-10',
      '2026-03-10',
      1,
      '2026-04-07',
      'Fri 3 Apr Good Friday, Sat, Sun, Easter Monday -> Tue 7 Apr',
    ],
    ['2026-03-10', '2026-03-11', 2, '2026-04-07', 'Sat 4 Apr, Sun, Easter Monday -> Tue 7 Apr'],
    ['2026-03-10', '2026-03-20', 11, '2026-04-13', 'Thu 2 Apr + 11 = Mon 13 Apr'],
  ])(
    'asked %s, arrived %s: %i day(s) excluded, due %s (UK GDPR art. 12A)',
    async (asked, arrived, days, due) => {
      const { register, store } = await memoryRegister();
      const added = await register.add(newRequest({ regime: 'uk-gdpr', country: 'GB' }), ctx());
      await register.pause(added.id, ctx(new Date(`${asked}T09:00:00Z`)), 'clarification');
      const resumed = await register.resume(added.id, ctx(new Date(`${arrived}T16:00:00Z`)));
      expect(resumed).toMatchObject({
        pausedDays: days,
        deadlines: { due, source: expect.stringContaining('12A') },
      });
      expect(resumed.deadlines.rule).toMatch(/both included/);
      await register.close();
      await store.close();
    },
  );
});

/** Issue 14 point 4: the facts that change the count are kept on the request and survive a reopen. */
describe('terms of a request that change the count', () => {
  it.each([
    // input, due, statute (received Mon 2 Mar 2026)
    [{ regime: 'lgpd', country: 'BR', smallAgent: true }, '2026-04-01', 'Resolução CD/ANPD 2/2022 art. 14'],
    [{ regime: 'lgpd', country: 'BR', simplified: true }, '2026-03-02', 'art. 19, I'],
    [{ regime: 'lgpd', country: 'BR' }, '2026-03-17', 'art. 19, II'],
  ])('%j: due %s under %s', async (input, due, statute) => {
    const { register, store } = await memoryRegister();
    const added = await register.add(newRequest(input), ctx());
    expect(added.deadlines).toMatchObject({ due, source: expect.stringContaining(statute) });
    const again = await Register.open(store, OPTIONS);
    expect((await again.get(added.id)).deadlines.due).toBe(due);
    await again.close();
    await register.close();
    await store.close();
  });

  it.each([
    // regime, options, due, statute (received Mon 2 Mar 2026)
    ['swiss', { days: 16 }, '2026-04-17', 'DPO (SR 235.11) art. 18'],
    ['swiss', {}, '2026-04-01', 'DPO (SR 235.11) art. 18'],
    [
      'pipeda',
      { days: 45, ground: 'alternative-format' as const },
      '2026-05-16',
      'PIPEDA s. 8(3) and 8(4)(b)',
    ],
    ['pipeda', {}, '2026-05-01', 'PIPEDA s. 8(3) and 8(4)(a)'],
  ])('%s extended with %j: due %s under %s', async (regime, options, due, statute) => {
    const { register, store } = await memoryRegister();
    const country = regime === 'swiss' ? 'CH' : 'CA';
    const added = await register.add(newRequest({ regime, country }), ctx());
    const extended = await register.extend(added.id, ctx(), 'needs time', options);
    expect(extended.deadlines).toMatchObject({ due, source: expect.stringContaining(statute) });
    expect(extended.extensions).toBe(1);
    // The trail replays to the same state, terms included.
    expect(await register.verify()).toMatchObject({ ok: true, problems: [] });
    await register.close();
    await store.close();
  });

  it('refuses extension days where the law fixes the length (GDPR art. 12(3))', async () => {
    const { register, store } = await memoryRegister();
    const added = await register.add(newRequest(), ctx());
    await expect(register.extend(added.id, ctx(), 'complex', { days: 20 })).rejects.toThrow(
      /fixes the length of an extension/,
    );
    expect((await register.get(added.id)).extensions).toBe(0);
    await register.close();
    await store.close();
  });
});
