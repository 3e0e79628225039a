import { newSalt, personalRef } from '../audit.js';
import type { Contact } from '../input.js';
import { type PersonalData, personalRecordSchema, type Requester, type RequestState } from '../model.js';
import { MAX_BATCH, type RegisterLog } from './log.js';

/**
 * The personal-data vault: requester names and contacts and all free text, kept apart from the
 * hash chain in records keyed by a salted digest, so purging them leaves the chain valid.
 */

/** A personal-data record as the store keeps it, under its salted digest. */
export type PersonalEntry = { ref: string; record: unknown };

/** A stored requester record as a {@link Requester}: the contacts given, no empty ones. */
export function requesterOf(data: PersonalData | undefined): Requester | null {
  if (data?.kind !== 'requester') return null;
  return {
    name: data.name,
    ...(data.email ? { email: data.email } : {}),
    ...(data.phone ? { phone: data.phone } : {}),
    ...(data.address ? { address: data.address } : {}),
  };
}

/** The contact of a requester as kept. */
export function contactOf(r: Requester): Contact {
  return {
    ...(r.email ? { email: r.email } : {}),
    ...(r.phone ? { phone: r.phone } : {}),
    ...(r.address ? { address: r.address } : {}),
  };
}

/** The personal-data record of a requester: `email` stays a string ('' for none), as it always was. */
export function requesterData(name: string, contact: Contact): PersonalData {
  return {
    kind: 'requester',
    name,
    email: contact.email ?? '',
    ...(contact.phone ? { phone: contact.phone } : {}),
    ...(contact.address ? { address: contact.address } : {}),
  };
}

/** Seals personal data into records keyed by salted digest; written with the events that use them. */
export function personalEntries(items: PersonalData[], now: Date): PersonalEntry[] {
  return items.map((data) => {
    const salt = newSalt();
    return { ref: personalRef(salt, data), record: { v: 1, salt, createdAt: now.toISOString(), data } };
  });
}

/** Personal records by ref, parsed and checked against their digest; unusable ones are left out. */
export async function readPersonal(log: RegisterLog, refs: string[]): Promise<Map<string, PersonalData>> {
  const found = new Map<string, PersonalData>();
  const raws = refs.length > 0 ? await log.store.getPersonal(refs) : [];
  raws.forEach((raw, i) => {
    const parsed = personalRecordSchema.safeParse(raw);
    const ref = refs[i]!;
    if (parsed.success && personalRef(parsed.data.salt, parsed.data.data) === ref)
      found.set(ref, parsed.data.data);
  });
  return found;
}

/** Requester name and contact of each request (null once purged), for an export that asks for them. */
export async function requesters(
  log: RegisterLog,
  requests: RequestState[],
): Promise<Map<string, Requester | null>> {
  const result = new Map<string, Requester | null>();
  for (let i = 0; i < requests.length; i += MAX_BATCH) {
    const chunk = requests.slice(i, i + MAX_BATCH);
    const personal = await readPersonal(
      log,
      chunk.map((r) => r.requesterRef),
    );
    for (const r of chunk) {
      const data = personal.get(r.requesterRef);
      result.set(r.id, requesterOf(data));
    }
  }
  return result;
}
