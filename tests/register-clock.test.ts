import { describe, expect, it } from 'vitest';
import { ctx, memoryRegister, newRequest } from './helpers/register-stores.js';

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
