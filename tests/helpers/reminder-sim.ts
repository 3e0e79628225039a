import { slackAddress } from '../../src/channels/slack/address.js';
import type { ReminderChannel, ReminderMessage } from '../../src/core/reminders/delivery.js';
import type { SchedulerOptions } from '../../src/core/reminders/scheduler.js';
import type { ReminderStore } from '../../src/core/reminders/store.js';
import type { RequestState } from '../../src/core/requests/model.js';
import type { NewRequest, Register, RegisterOptions } from '../../src/core/requests/register.js';

/**
 * A simulated stretch of a privacy team's life for the reminder tests: requests of mixed regimes
 * arriving over time, owners in several time zones (and none), and the changes people make
 * (close, extend, pause, resume, assign, snooze) at hourly ticks of an injected clock.
 *
 * {@link Oracle} works out, tick by tick and independently of src/core/reminders, which message
 * must go to whom: it restates the rules in its own terms (stage windows as date ranges, local
 * times read through `toLocaleString`) instead of calling the code under test.
 */

export const SIM_START = Date.parse('2026-03-02T00:00:00Z'); // a Monday; DST starts inside the period
export const HOUR = 3_600_000;
export const TEAM_ZONE = 'Europe/London';
export const LEAD = 'U0LEAD001';
export const ZONES: Record<string, string> = {
  U0BERLIN1: 'Europe/Berlin',
  U0NEWYORK: 'America/New_York',
  W0TOKYO12: 'Asia/Tokyo',
  U0SYDNEY1: 'Australia/Sydney',
};
/** Owners as people type them: Slack ids, a mention, one without a known zone, a name, nobody. */
const OWNERS: Array<string | null> = [
  'U0BERLIN1',
  '<@U0NEWYORK>',
  'W0TOKYO12',
  'U0SYDNEY1',
  'U0NOZONE1',
  'alice',
  null,
  null,
];

export const REGISTER_OPTIONS: RegisterOptions = {
  defaultCountry: 'DE',
  timeZone: TEAM_ZONE,
  retentionMonths: 24,
  policyTargets: { responseDays: () => 20 },
};

/** The scheduler settings every simulation uses (the defaults of the configuration). */
export const SETTINGS: Omit<SchedulerOptions, 'register' | 'store' | 'channel' | 'now'> = {
  offsets: [7, 3, 1, 0],
  hours: { start: 9 * 60, end: 17 * 60, days: [1, 2, 3, 4, 5] },
  timeZone: TEAM_ZONE,
  lead: LEAD,
  channelWithinDays: 1,
  digestCron: '0 9 * * 1-5',
  maxPerPass: 100_000,
  // Owners written as Slack ids are addresses, as the composition root wires it (src/main.ts).
  addressForm: slackAddress,
};

export type SimEvent =
  | { tick: number; kind: 'add'; index: number; input: NewRequest }
  | { tick: number; kind: 'close' | 'extend' | 'pause' | 'resume' | 'snooze'; index: number }
  | { tick: number; kind: 'assign'; index: number; owner: string };

/** An event before it is given its tick (Omit distributed over the union). */
type Untimed = SimEvent extends infer E ? (E extends SimEvent ? Omit<E, 'tick'> : never) : never;

export interface Scenario {
  ticks: number;
  count: number;
  /** Sorted by tick, then by the order they were made. */
  events: SimEvent[];
}

/** mulberry32: small, seeded, ample for picking. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const REGIMES: Array<{ regime: string; country?: string; region?: string; types: string[] }> = [
  { regime: 'gdpr', country: 'DE', types: ['access', 'erasure', 'rectification'] },
  { regime: 'gdpr', country: 'FR', types: ['access', 'portability'] },
  { regime: 'gdpr', country: 'NL', types: ['erasure', 'objection'] },
  { regime: 'uk-gdpr', country: 'GB', types: ['access', 'erasure'] },
  { regime: 'ccpa', types: ['access', 'erasure', 'opt-out-of-sale'] },
  { regime: 'us-state', region: 'VA', types: ['access', 'erasure'] },
  { regime: 'lgpd', types: ['access'] },
  { regime: 'pipeda', types: ['access', 'rectification'] },
  { regime: 'quebec', types: ['access'] },
  { regime: 'swiss', types: ['access', 'erasure'] },
];

export function tickTime(tick: number): Date {
  return new Date(SIM_START + tick * HOUR);
}

/** `count` requests over `days` days (some received before the start), with the changes people make. */
export function scenario(seed: number, count: number, days: number): Scenario {
  const r = rng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const ticks = days * 24;
  const events: SimEvent[] = [];
  const later = (tick: number, e: Untimed) => {
    if (tick < ticks) events.push({ tick, ...e } as SimEvent);
  };
  for (let index = 0; index < count; index++) {
    const day = int(-40, days - 10);
    const received = new Date(SIM_START + day * 24 * HOUR).toISOString().slice(0, 10);
    // Logged later that day (UTC), so the day has begun in the team's zone too.
    const addTick = day < 0 ? 0 : day * 24 + int(8, 20);
    const shape = pick(REGIMES);
    const owner = pick(OWNERS);
    const input: NewRequest = {
      type: pick(shape.types),
      regime: shape.regime,
      received,
      ...(shape.country ? { country: shape.country } : {}),
      ...(shape.region ? { region: shape.region } : {}),
      requesterName: `Requester Person${index}`,
      requesterEmail: `requester${index}@example.org`,
      ...(owner ? { owner } : {}),
      ...(r() < 0.3 ? { policyId: 'acme' } : {}),
    };
    events.push({ tick: addTick, kind: 'add', index, input });
    if (r() < 0.7) later(addTick + int(24, 60 * 24), { kind: 'close', index });
    if (r() < 0.2) later(addTick + int(5 * 24, 25 * 24), { kind: 'extend', index });
    if (shape.regime === 'uk-gdpr' && r() < 0.5) {
      const pause = addTick + int(48, 240);
      later(pause, { kind: 'pause', index });
      later(pause + int(48, 200), { kind: 'resume', index });
    }
    if (owner === null && r() < 0.6)
      later(addTick + int(12, 240), { kind: 'assign', index, owner: pick(OWNERS.filter(Boolean)) as string });
    if (owner !== null && r() < 0.1)
      later(addTick + int(24, 600), { kind: 'assign', index, owner: pick(OWNERS.filter(Boolean)) as string });
    if (r() < 0.1) later(addTick + int(24, 900), { kind: 'snooze', index });
  }
  events.sort((a, b) => a.tick - b.tick);
  return { ticks, count, events };
}

/** Applies one tick's events through the register (and the reminder store, for snoozes). */
export class Driver {
  readonly ids = new Map<number, string>();
  /** Request id -> ISO instant its reminders are snoozed until, as the oracle knows it. */
  readonly snoozes = new Map<string, string>();
  private next = 0;

  constructor(
    private readonly sc: Scenario,
    private readonly register: Register,
    private readonly store: ReminderStore,
    private readonly snoozeHours = 24,
  ) {}

  async apply(tick: number): Promise<void> {
    const c = { actor: 'sim', now: tickTime(tick) };
    const adds: Array<{ index: number; input: NewRequest }> = [];
    while (this.next < this.sc.events.length && this.sc.events[this.next]!.tick === tick) {
      const e = this.sc.events[this.next++]!;
      if (e.kind === 'add') {
        adds.push(e);
        continue;
      }
      const id = this.ids.get(e.index);
      if (!id) continue;
      try {
        if (e.kind === 'close') await this.register.closeRequest(id, 'completed', c);
        else if (e.kind === 'extend') await this.register.extend(id, c);
        else if (e.kind === 'pause') await this.register.pause(id, c);
        else if (e.kind === 'resume') await this.register.resume(id, c);
        else if (e.kind === 'assign') await this.register.assign(id, e.owner, c);
        else if (e.kind === 'snooze') {
          const until = new Date(c.now.getTime() + this.snoozeHours * HOUR);
          await this.store.snooze(id, until);
          this.snoozes.set(id, until.toISOString());
        }
      } catch (error) {
        // A change the law or the lifecycle refuses (closed already, too late to extend) is
        // refused here as it would be for a person; the oracle reads the resulting state.
        if ((error as { code?: string }).code !== 'CONFLICT') throw error;
      }
    }
    if (adds.length > 0) {
      const added = await this.register.addMany(
        adds.map((a) => a.input),
        c,
      );
      for (const [i, a] of adds.entries()) this.ids.set(a.index, added[i]!.id);
    }
  }
}

/** One message the oracle expects: where it goes and at which tick (or that it is dropped). */
export interface Expectation {
  key: string;
  role: 'owner' | 'channel' | 'lead';
  tick: number;
  outcome: 'sent' | 'dropped';
  /** `dm:U…` or `channel`. */
  to?: string;
  requestId: string | null;
  stage: string;
}

interface Held {
  key: string;
  role: 'owner' | 'channel' | 'lead';
  kind: string;
  requestId: string | null;
  deadline: string | null;
  due: string | null;
  stage: string;
  zone: string;
  holds: boolean;
  /** Held to the due day's window (the reader's hours within the team's due day) instead. */
  dueDay: boolean;
  alsoChannel: boolean;
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const shiftDate = (date: string, days: number) => isoDay(Date.parse(`${date}T00:00:00Z`) + days * 24 * HOUR);

/** Local wall time through toLocaleString('sv-SE'), which prints `YYYY-MM-DD HH:MM:SS`. */
const walls = new Map<string, { date: string; hour: number; minute: number; weekend: boolean }>();

export function wall(
  at: Date,
  zone: string,
): { date: string; hour: number; minute: number; weekend: boolean } {
  const id = `${at.getTime()}|${zone}`;
  let w = walls.get(id);
  if (!w) {
    if (walls.size > 10_000) walls.clear();
    w = readWall(at, zone);
    walls.set(id, w);
  }
  return w;
}

function readWall(at: Date, zone: string): { date: string; hour: number; minute: number; weekend: boolean } {
  const text = at.toLocaleString('sv-SE', { timeZone: zone, hour12: false });
  const [date, time] = text.split(' ') as [string, string];
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  const dow = new Date(`${date}T12:00:00Z`).getUTCDay();
  return { date, hour: hour === 24 ? 0 : hour, minute, weekend: dow === 0 || dow === 6 };
}

export function working(at: Date, zone: string): boolean {
  const w = wall(at, zone);
  return !w.weekend && w.hour >= 9 && w.hour < 17;
}

/**
 * The due day's window, restated: some whole hour from the start of the team's day (its local
 * midnight) up to `at` fell in the reader's 09:00-17:00, whatever the weekday. (Every zone in the
 * simulation is a whole number of hours from UTC, so hourly steps are exact.)
 */
export function dueDayWindow(at: Date, zone: string): boolean {
  const team = wall(at, TEAM_ZONE);
  for (let back = 0; back <= team.hour; back++) {
    const w = wall(new Date(at.getTime() - back * HOUR), zone);
    if (w.hour >= 9 && w.hour < 17) return true;
  }
  return false;
}

const WEEKEND_DAYS = new Set([0, 6]);
const isWeekend = (date: string) => WEEKEND_DAYS.has(new Date(`${date}T12:00:00Z`).getUTCDay());

function address(owner: string | null): string | null {
  if (owner === null) return null;
  const m = /^<@([A-Z0-9]+)(\|.*)?>$/.exec(owner);
  const id = m ? m[1]! : owner;
  return /^[UW][A-Z0-9]{6,}$/.test(id) && /\d/.test(id) ? id : null;
}

/** Works out what must be sent, tick by tick, from the register's state at each tick. */
export class Oracle {
  readonly expected = new Map<string, Expectation>();
  /** Keys recorded, with the roles they were recorded for. */
  private readonly recorded = new Map<string, Array<'owner' | 'channel' | 'lead'>>();
  private held: Held[] = [];
  private readonly digests = new Set<string>();

  constructor(private readonly snoozes: ReadonlyMap<string, string>) {}

  private snoozed(id: string, at: Date): boolean {
    const until = this.snoozes.get(id);
    return until !== undefined && Date.parse(until) > at.getTime();
  }

  observe(tick: number, at: Date, requests: RequestState[]): void {
    const running = requests.filter((r) =>
      ['received', 'identity-verified', 'in-progress'].includes(r.status),
    );
    const byId = new Map(requests.map((r) => [r.id, r]));
    const team = wall(at, TEAM_ZONE);
    const fresh: Held[] = [];
    const add = (
      r: RequestState,
      kind: string,
      deadline: string | null,
      due: string | null,
      stage: string,
      roles: Array<'owner' | 'channel' | 'lead'>,
      ownerZone: string,
    ) => {
      const key = `${r.id}|${deadline ?? '-'}|${due ?? '-'}|${stage}`;
      const earlier = this.recorded.get(key);
      if (earlier) {
        // Recorded when nobody could be messaged as owner: whoever can be now gets the stage's DM,
        // once (issue 15.3). The channel was told already.
        const late = `${key}|owner`;
        if (earlier.includes('owner') || !roles.includes('owner') || this.recorded.has(late)) return;
        this.recorded.set(late, ['owner']);
        fresh.push({
          key: late,
          role: 'owner',
          kind,
          requestId: r.id,
          deadline,
          due,
          stage,
          zone: ownerZone,
          holds: kind === 'before' || kind === 'unassigned',
          dueDay: kind === 'due-today',
          alsoChannel: true,
        });
        return;
      }
      this.recorded.set(key, roles);
      for (const role of roles) {
        fresh.push({
          key,
          role,
          kind,
          requestId: r.id,
          deadline,
          due,
          stage,
          zone: role === 'owner' ? ownerZone : TEAM_ZONE,
          holds: kind === 'before' || kind === 'unassigned',
          dueDay: kind === 'due-today',
          alsoChannel: roles.includes('channel'),
        });
      }
    };
    for (const r of running) {
      const addr = address(r.owner);
      const zone = (addr && ZONES[addr]) || TEAM_ZONE;
      // Every day is counted on the team's calendar; the owner's zone only says when they work.
      const ownerOpen = working(at, zone);
      const teamOpen = working(at, TEAM_ZONE);
      for (const d of r.deadlines.deadlines) {
        // Stage k covers the team's dates from D-k up to the day before the next stage's D-k';
        // a stage whose own day is a weekend is folded into the next (never sent).
        const windows: Array<[number, number]> = [
          [7, 3],
          [3, 1],
          [1, 0],
        ];
        for (const [k, next] of windows) {
          if (this.snoozed(r.id, at)) continue;
          if (isWeekend(shiftDate(d.due, -k))) continue;
          if (team.date >= shiftDate(d.due, -k) && team.date < shiftDate(d.due, -next)) {
            const left = Math.round((Date.parse(d.due) - Date.parse(team.date)) / (24 * HOUR));
            const roles: Array<'owner' | 'channel'> = addr
              ? left <= 1
                ? ['owner', 'channel']
                : ['owner']
              : ['channel'];
            // Recorded once any of its readers is working; each copy then waits for its own.
            if ((roles.includes('owner') && ownerOpen) || (roles.includes('channel') && teamOpen))
              add(r, 'before', d.kind, d.due, `d${k}`, roles, zone);
          }
        }
        if (team.date === d.due) {
          const roles: Array<'owner' | 'channel'> = addr ? ['owner', 'channel'] : ['channel'];
          if ((addr && dueDayWindow(at, zone)) || dueDayWindow(at, TEAM_ZONE))
            add(r, 'due-today', d.kind, d.due, 'd0', roles, zone);
        }
        if (d.kind === 'response') {
          const day = team.hour >= 9 ? team.date : shiftDate(team.date, -1);
          if (day > d.due)
            add(
              r,
              'overdue',
              d.kind,
              d.due,
              `overdue:${day}`,
              addr ? ['owner', 'channel', 'lead'] : ['channel', 'lead'],
              TEAM_ZONE,
            );
        }
      }
      if (r.owner === null && working(at, TEAM_ZONE))
        add(r, 'unassigned', null, null, `unassigned:${team.date}`, ['channel'], TEAM_ZONE);
    }
    // The digest: weekdays from 09:00 in the team's zone, once a day, when it has anything to say.
    if (!team.weekend && team.hour >= 9 && !this.digests.has(team.date)) {
      const horizon = shiftDate(team.date, 7);
      const worth = running.some(
        (r) =>
          r.owner === null ||
          r.deadlines.deadlines.some(
            (d) => (d.due >= team.date && d.due < horizon) || (d.kind === 'response' && d.due < team.date),
          ),
      );
      if (worth) {
        this.digests.add(team.date);
        fresh.push({
          key: `digest|${team.date}`,
          role: 'channel',
          kind: 'digest',
          requestId: null,
          deadline: null,
          due: null,
          stage: `digest:${team.date}`,
          zone: TEAM_ZONE,
          holds: false,
          dueDay: false,
          alsoChannel: true,
        });
      }
    }
    const waiting: Held[] = [];
    for (const h of [...this.held, ...fresh]) {
      const verdict = this.judge(h, at, byId);
      if (verdict === 'wait') waiting.push(h);
      else
        this.expected.set(`${h.key}>${h.role}`, {
          key: h.key,
          role: h.role,
          tick,
          requestId: h.requestId,
          stage: h.stage,
          ...verdict,
        });
    }
    this.held = waiting;
  }

  /** Is the message still wanted now, where does it go, and may it go now? */
  private judge(
    h: Held,
    at: Date,
    byId: Map<string, RequestState>,
  ): 'wait' | { outcome: 'sent'; to: string } | { outcome: 'dropped' } {
    if (h.kind === 'digest') return { outcome: 'sent', to: 'channel' };
    const r = byId.get(h.requestId!);
    if (!r || !['received', 'identity-verified', 'in-progress'].includes(r.status))
      return { outcome: 'dropped' };
    if (h.kind === 'unassigned') {
      if (r.owner !== null) return { outcome: 'dropped' };
    } else if (!r.deadlines.deadlines.some((d) => d.kind === h.deadline && d.due === h.due)) {
      return { outcome: 'dropped' };
    }
    if (h.kind === 'before' && this.snoozed(r.id, at)) return { outcome: 'dropped' };
    // A copy held past its moment is dropped: an advance reminder once the due day has come, the
    // due day's once it is over (the escalation speaks then).
    const today = wall(at, TEAM_ZONE).date;
    if (h.kind === 'before' && h.due! <= today) return { outcome: 'dropped' };
    if (h.kind === 'due-today' && h.due! < today) return { outcome: 'dropped' };
    if (h.holds && !working(at, h.zone)) return 'wait';
    if (h.dueDay && !dueDayWindow(at, h.zone)) return 'wait';
    if (h.role === 'lead') return { outcome: 'sent', to: `dm:${LEAD}` };
    if (h.role === 'channel') return { outcome: 'sent', to: 'channel' };
    const addr = address(r.owner);
    if (addr) return { outcome: 'sent', to: `dm:${addr}` };
    return h.alsoChannel ? { outcome: 'dropped' } : { outcome: 'sent', to: 'channel' };
  }

  /** Expectations still waiting at the end (for working hours after the last tick). */
  get waiting(): number {
    return this.held.length;
  }
}

/** A message as a test saw it delivered. */
export interface Delivered {
  tick: number;
  key: string;
  role: string;
  to: string;
  text: string;
}

/** An in-process channel that records deliveries; zones as Slack's users.info would give them. */
export class RecordingChannel implements ReminderChannel {
  readonly name = 'recording';
  readonly delivered: Delivered[] = [];
  tick = 0;

  async deliver(m: ReminderMessage) {
    this.delivered.push({
      tick: this.tick,
      key: m.reminderKey,
      role: m.role,
      to: m.to.kind === 'user' ? `dm:${m.to.address}` : 'channel',
      text: m.reply.text,
    });
    return { ok: true as const, ref: String(this.delivered.length) };
  }

  async timeZone(address: string) {
    return ZONES[address];
  }
}

/** Compares deliveries with the oracle: each expected message once, at its tick, nothing else. */
export function compare(
  oracle: Oracle,
  delivered: Array<Omit<Delivered, 'text'>>,
  options: { ticks: boolean },
): { missing: string[]; duplicates: string[]; unexpected: string[]; wrong: string[]; sent: number } {
  const counts = new Map<string, Array<Omit<Delivered, 'text'>>>();
  for (const d of delivered) {
    const id = `${d.key}>${d.role}`;
    counts.set(id, [...(counts.get(id) ?? []), d]);
  }
  const missing: string[] = [];
  const wrong: string[] = [];
  let sent = 0;
  for (const [id, e] of oracle.expected) {
    const got = counts.get(id) ?? [];
    if (e.outcome === 'dropped') {
      if (got.length > 0) wrong.push(`${id}: expected dropped, sent at tick ${got[0]!.tick}`);
      continue;
    }
    sent++;
    if (got.length === 0) missing.push(`${id} (tick ${e.tick})`);
    else if (got[0]!.to !== e.to) wrong.push(`${id}: to ${got[0]!.to}, expected ${e.to}`);
    else if (options.ticks && got[0]!.tick !== e.tick)
      wrong.push(`${id}: at tick ${got[0]!.tick}, expected ${e.tick}`);
  }
  const duplicates = [...counts].filter(([, ds]) => ds.length > 1).map(([id, ds]) => `${id} x${ds.length}`);
  const unexpected = [...counts.keys()].filter((id) => !oracle.expected.has(id));
  return { missing, duplicates, unexpected, wrong, sent };
}
