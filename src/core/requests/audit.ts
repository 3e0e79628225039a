import { createHash, randomBytes } from 'node:crypto';
import type { AuditEvent, PendingEvent, PersonalData } from './model.js';

/**
 * The tamper-evident part of the audit trail: canonical JSON, event hashes chained to their
 * predecessor, and the salted digests that reference personal data kept outside the chain.
 */

/** JSON with object keys sorted at every level, so a hash does not depend on key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value))
    return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * Hashes a stored event as it was read (not as re-parsed), so fields this version does not know
 * still count: dropping them on read must not make a valid chain look broken.
 */
export function hashEvent(raw: Record<string, unknown>): string {
  const { hash: _ignored, ...body } = raw;
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

/** Places pending events after `prevHash` at consecutive positions from `firstSeq`. */
export function sealEvents(pending: PendingEvent[], firstSeq: number, prevHash: string): AuditEvent[] {
  const sealed: AuditEvent[] = [];
  let previous = prevHash;
  pending.forEach((event, index) => {
    const body = { v: 1 as const, seq: firstSeq + index, ...event, prevHash: previous };
    const hash = hashEvent(body);
    sealed.push({ ...body, hash });
    previous = hash;
  });
  return sealed;
}

/**
 * The reference to a personal-data record: a digest salted with random bytes that are deleted
 * with the record, so after a purge the digest left in the chain cannot be matched to an email.
 */
export function personalRef(salt: string, data: PersonalData): string {
  return createHash('sha256').update(salt).update('\n').update(canonicalJson(data)).digest('hex');
}

export function newSalt(): string {
  return randomBytes(16).toString('hex');
}
