import type { PolicyTargets } from '../requests/register.js';
import type { Corpus } from './model.js';

/**
 * The policy's own response promise ("we respond within 30 days") as an internal target for the
 * register: the shortest response-time commitment the policy states in days.
 */
export function policyTargetsFrom(
  corpus: Corpus,
): PolicyTargets & { has(policyId: string): boolean; ids(): string[] } {
  const days = new Map<string, number>();
  for (const policy of corpus.policies) {
    const promised = policy.facts
      .filter((f) => f.kind === 'response-time')
      .map((f) => f.days)
      .filter((d): d is number => typeof d === 'number' && d > 0);
    if (promised.length > 0) days.set(policy.id, Math.min(...promised));
  }
  const ids = corpus.policies.map((p) => p.id);
  return {
    responseDays: (policyId) => days.get(policyId),
    has: (policyId) => ids.includes(policyId),
    ids: () => ids,
  };
}
