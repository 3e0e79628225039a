/**
 * Who an owner is messaged at, and in which time zone: the delivery channel's answers, asked at each
 * sweep, with the owners and addresses it could not answer for right now.
 */
import { toAppError } from '../errors.js';
import type { RequestState } from '../requests/model.js';
import type { ReminderChannel } from './delivery.js';
import type { SchedulerLogger } from './scheduler-options.js';
import type { AddressForm } from './select.js';

/**
 * The address an owner is messaged at, or null when they cannot be: the channel's answer (it
 * knows each platform's people), else the forms the core knows. Not cached between sweeps, so
 * someone who starts a chat with the bot is messaged from their next reminder on.
 */
export async function ownerAddress(
  owner: string | null,
  channel: ReminderChannel | undefined,
  addressForm: AddressForm,
): Promise<string | null> {
  if (owner === null) return null;
  return channel?.address ? channel.address(owner) : addressForm(owner);
}

export interface Recipients {
  /** Each owner's address; null: named in the privacy channel. */
  addresses: Map<string, string | null>;
  /** The owners the channel could not tell about right now. */
  unresolved: Set<string>;
  /** The time zones of those who can be messaged. */
  zones: Map<string, string>;
  /** The addresses whose zone could not be looked up right now. */
  unknown: Set<string>;
}

/**
 * Each owner's address (null: named in the privacy channel) and the owners the channel could not
 * tell about right now; then the time zones of those who can be messaged, from the channel (which
 * caches them), and the addresses whose zone could not be looked up right now.
 */
export async function recipients(
  requests: RequestState[],
  addressOf: (owner: string) => Promise<string | null>,
  channel: ReminderChannel | undefined,
  logger: SchedulerLogger | undefined,
): Promise<Recipients> {
  const { addresses, unresolved } = await ownerAddresses(requests, addressOf, logger);
  const { zones, unknown } = await addressZones(addresses, channel);
  return { addresses, unresolved, zones, unknown };
}

async function ownerAddresses(
  requests: RequestState[],
  addressOf: (owner: string) => Promise<string | null>,
  logger: SchedulerLogger | undefined,
): Promise<Pick<Recipients, 'addresses' | 'unresolved'>> {
  const addresses = new Map<string, string | null>();
  const unresolved = new Set<string>();
  const owners = new Set<string>();
  for (const r of requests) if (r.owner !== null) owners.add(r.owner);
  let failure: unknown;
  await Promise.all(
    [...owners].map(async (owner) => {
      try {
        addresses.set(owner, await addressOf(owner));
      } catch (error) {
        unresolved.add(owner);
        failure ??= error;
      }
    }),
  );
  if (unresolved.size > 0) {
    const e = toAppError(failure);
    logger?.warn(
      { code: e.code, owners: unresolved.size, err: e.cause ?? e },
      'could not tell whether some owners can be messaged; their reminders wait for the next sweep',
    );
  }
  return { addresses, unresolved };
}

async function addressZones(
  addresses: Map<string, string | null>,
  channel: ReminderChannel | undefined,
): Promise<Pick<Recipients, 'zones' | 'unknown'>> {
  const zones = new Map<string, string>();
  const unknown = new Set<string>();
  const lookup = channel?.timeZone?.bind(channel);
  if (!lookup) return { zones, unknown };
  const reachable = new Set<string>();
  for (const a of addresses.values()) if (a) reachable.add(a);
  await Promise.all(
    [...reachable].map(async (a) => {
      try {
        const tz = await lookup(a);
        if (tz) zones.set(a, tz);
      } catch {
        unknown.add(a);
      }
    }),
  );
  return { zones, unknown };
}
