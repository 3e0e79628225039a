import { z } from 'zod';
import type { DeliveryResult, Destination, ReminderChannel, ReminderMessage } from './delivery.js';
import type { ReminderBackend } from './store.js';

/**
 * Several chat platforms behind one {@link ReminderChannel}, so Slack and Teams can run at once.
 *
 * - A person's message goes to one platform: the one whose address form it has (a Slack id, a
 *   `teams:` id); a name no platform claims goes to the first platform that knows it by name, else
 *   to the first platform configured. The scheduler asks {@link CompositeReminderChannel.address}
 *   first, which turns a name a platform knows into that platform's address, and a name nobody
 *   knows into null (the owner is then named in the privacy channels instead).
 * - A privacy-channel message goes to the privacy channel of every platform that has one.
 *
 * Exactly once per destination. The scheduler's outbox holds one entry per recipient role, not per
 * platform, and retries an entry as a whole, so a channel post that reached Slack but not Teams
 * would be posted to Slack again on the retry. To prevent that without changing the outbox, each
 * platform's outcome is recorded under the entry (`reminders:part:<entry>:<platform>`, with the
 * backend's put-if-absent) whenever an attempt does not settle the whole entry, and a later attempt
 * (by this replica or another) skips the platforms already recorded. The crash window is the
 * scheduler's own: a process that dies between a platform accepting a message and the record being
 * written sends that part again, once, on takeover.
 */

export interface ReminderRoute {
  channel: ReminderChannel;
  /** True for an address that is this platform's by its form (a Slack id; `teams:…`). */
  owns(address: string): boolean;
  /**
   * True when the platform may know people by display name, and answers {@link RouteOptions.unknown}
   * codes, having sent nothing, for names it does not know: such names then go on to the fallback.
   */
  knowsNames?: boolean;
  /** False when the platform has no privacy channel configured: channel messages skip it. */
  hasPrivacyChannel: boolean;
}

export interface CompositeLogger {
  warn(fields: object, message: string): void;
}

export interface RouteOptions {
  /** In the order configured: the first is the fallback for addresses nobody claims. */
  routes: ReminderRoute[];
  /** Where per-platform outcomes of a partly delivered message are kept (the register's backend). */
  backend: ReminderBackend;
  /** Failure codes meaning "no such person here, nothing sent" from {@link ReminderRoute.knowsNames} routes. */
  unknown?: readonly string[];
  logger?: CompositeLogger;
  /** When part outcomes are stamped; the scheduler's clock in tests. */
  now?: () => Date;
}

const partSchema = z.object({
  v: z.literal(1),
  outcome: z.enum(['sent', 'failed']),
  ref: z.string().optional(),
  code: z.string().optional(),
  at: z.string(),
});
type Part = z.infer<typeof partSchema>;

/** A failure that asked for a wait, naming the platform that asked (unless it named itself). */
function attributed(result: DeliveryResult, platform: string): DeliveryResult {
  if (result.ok || result.retryAfterMs === undefined || result.platform) return result;
  return { ...result, platform };
}

export class CompositeReminderChannel implements ReminderChannel {
  readonly name: string;
  private readonly base: string;
  private readonly unknown: ReadonlySet<string>;
  private readonly now: () => Date;

  constructor(private readonly options: RouteOptions) {
    if (options.routes.length === 0) throw new Error('a composite reminder channel needs a route');
    const names = options.routes.map((r) => r.channel.name);
    if (new Set(names).size !== names.length)
      throw new Error(`duplicate reminder routes: ${names.join(', ')}`);
    this.name = names.join('+');
    this.base = `${options.backend.prefix}reminders:part:`;
    this.unknown = new Set(options.unknown ?? []);
    this.now = options.now ?? (() => new Date());
  }

  async deliver(message: ReminderMessage): Promise<DeliveryResult> {
    if (message.to.kind === 'user') return this.deliverToUser(message, message.to.address);
    const targets = this.options.routes.filter((r) => r.hasPrivacyChannel).map((r) => r.channel);
    if (targets.length === 0) return { ok: false, retryable: false, code: 'privacy_channel_not_configured' };
    if (targets.length === 1) return attributed(await targets[0]!.deliver(message), targets[0]!.name);
    return this.fanOut(message, targets);
  }

  /**
   * An owner's address on the platform whose form it has, else on the first platform that knows the
   * name (Teams answers `teams:<id>` for a display name it has a personal chat for); null when none
   * can message them.
   */
  async address(owner: string): Promise<string | null> {
    const text = owner.trim();
    const owned = this.owner(text);
    if (owned) return owned.channel.address ? owned.channel.address(text) : text;
    for (const route of this.options.routes) {
      if (!route.knowsNames || !route.channel.address) continue;
      const address = await route.channel.address(text);
      if (address) return address;
    }
    return null;
  }

  /** The platforms a message to `to` goes to: as {@link deliver} routes it, without sending. */
  platforms(to: Destination): string[] {
    if (to.kind === 'channel')
      return this.options.routes.filter((r) => r.hasPrivacyChannel).map((r) => r.channel.name);
    const owner = this.owner(to.address);
    if (owner) return [owner.channel.name];
    const named = this.options.routes.filter((r) => r.knowsNames);
    return [...new Set([...named, this.options.routes[0]!].map((r) => r.channel.name))];
  }

  /** The zone from the platform the address belongs to (the fallback platform for names). */
  async timeZone(address: string): Promise<string | undefined> {
    const route = this.owner(address) ?? this.options.routes[0]!;
    return route.channel.timeZone?.(address);
  }

  private owner(address: string): ReminderRoute | undefined {
    return this.options.routes.find((r) => r.owns(address));
  }

  private async deliverToUser(message: ReminderMessage, address: string): Promise<DeliveryResult> {
    const owner = this.owner(address);
    if (owner) return attributed(await owner.channel.deliver(message), owner.channel.name);
    // A name: platforms that know people by name first (a miss sends nothing), then the fallback.
    const named = this.options.routes.filter((r) => r.knowsNames);
    const misses: string[] = [];
    for (const route of named) {
      const result = attributed(await route.channel.deliver(message), route.channel.name);
      if (result.ok || result.retryable || !this.unknown.has(result.code)) return result;
      misses.push(`${route.channel.name}:${result.code}`);
    }
    const fallback = this.options.routes[0]!;
    if (named.includes(fallback)) return { ok: false, retryable: false, code: misses.join(',') };
    const result = attributed(await fallback.channel.deliver(message), fallback.channel.name);
    if (result.ok || result.retryable || misses.length === 0) return result;
    return { ...result, code: [...misses, `${fallback.channel.name}:${result.code}`].join(',') };
  }

  private partKey(entry: string, platform: string): string {
    return `${this.base}${entry}:${platform}`;
  }

  /** Outcomes recorded by earlier attempts at this entry, by platform. */
  private async recordedParts(entry: string, platforms: string[]): Promise<Map<string, Part>> {
    const raw = await this.options.backend.keyv.getMany(platforms.map((p) => this.partKey(entry, p)));
    const parts = new Map<string, Part>();
    raw.forEach((value, i) => {
      const parsed = partSchema.safeParse(value);
      if (parsed.success) parts.set(platforms[i]!, parsed.data);
    });
    return parts;
  }

  /** One message to several platforms, each platform's part delivered once across attempts. */
  private async fanOut(message: ReminderMessage, targets: ReminderChannel[]): Promise<DeliveryResult> {
    const names = targets.map((t) => t.name);
    const parts = await this.recordedParts(message.id, names);
    const fresh = targets.filter((t) => !parts.has(t.name));
    const results = await Promise.all(
      fresh.map(async (t): Promise<[string, DeliveryResult]> => {
        try {
          return [t.name, await t.deliver(message)];
        } catch (error) {
          return [t.name, { ok: false, retryable: true, code: (error as Error).name || 'error' }];
        }
      }),
    );
    const at = this.now().toISOString();
    const retry: string[] = [];
    let wait: { ms: number; platform: string } | undefined;
    const settled: string[] = [];
    for (const [name, r] of results) {
      if (r.ok) parts.set(name, { v: 1, outcome: 'sent', at, ...(r.ref ? { ref: r.ref } : {}) });
      else if (!r.retryable) parts.set(name, { v: 1, outcome: 'failed', at, code: r.code });
      else {
        retry.push(`${name}:${r.code}`);
        // The longest wait asked for holds the message; the platform that asked is paused.
        if (r.retryAfterMs !== undefined && r.retryAfterMs >= (wait?.ms ?? 0))
          wait = { ms: r.retryAfterMs, platform: r.platform ?? name };
        continue;
      }
      settled.push(name);
    }
    if (retry.length > 0) {
      // Settled parts are recorded before the retry, so it goes only where it has not arrived yet.
      // One insert per part: put-if-absent is all or nothing, and a part another replica recorded
      // (after a lease takeover) must not keep this one from being recorded.
      for (const name of settled)
        await this.options.backend.insertAll([
          { key: this.partKey(message.id, name), value: parts.get(name) },
        ]);
      return {
        ok: false,
        retryable: true,
        code: retry.join(','),
        ...(wait ? { retryAfterMs: wait.ms, platform: wait.platform } : {}),
      };
    }
    const sent: string[] = [];
    const failed: string[] = [];
    for (const name of names) {
      const part = parts.get(name);
      if (part?.outcome === 'sent') sent.push(`${name}:${part.ref ?? 'sent'}`);
      else if (part) failed.push(`${name}:${part.code ?? 'failed'}`);
    }
    if (sent.length === 0) return { ok: false, retryable: false, code: failed.join(',') };
    // Delivered somewhere: the entry counts as sent, and where it could not go is logged with its code.
    if (failed.length > 0)
      this.options.logger?.warn(
        { code: 'UPSTREAM', entry: message.id, platformErrors: failed },
        'a reminder reached the privacy channel of only some platforms',
      );
    return { ok: true, ref: sent.join(',') };
  }
}
