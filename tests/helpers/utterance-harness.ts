import type { ConversationEngine } from '../../src/core/conversation/engine.js';
import type { Actor, Reply } from '../../src/core/conversation/reply.js';
import {
  computeDeadlines,
  homeJurisdiction,
  REGIME_LABELS,
  type Regime,
} from '../../src/core/requests/deadlines.js';
import type { RequestState } from '../../src/core/requests/model.js';
import type { NewRequest, Register } from '../../src/core/requests/register.js';
import { type ExpectedAction, NOW, type Utterance } from '../fixtures/utterances.js';

/**
 * Plays the utterance table through a real conversation engine and judges each line by what it
 * did, not by how it was read: what the register holds afterwards, which blocks the reply has, what
 * a confirmed draft stored. The same judge scores any version of the engine.
 */

export const harnessActor: Actor = { id: 'test:lead', name: 'lead', isPrivacyTeam: true, timeZone: 'UTC' };
const now = new Date(NOW);

/**
 * The requests every line starts from (ids DSR-2026-0001 to 0007, in this order). The last two are
 * US state requests closed as rejected, which an appeal may name.
 */
export const SEEDS: { request: NewRequest; name: string; rejected?: true }[] = [
  {
    request: { type: 'access', regime: 'gdpr', received: '2026-11-20', country: 'DE', owner: 'lead' },
    name: 'Kevin Wu',
  },
  { request: { type: 'erasure', regime: 'ccpa', received: '2026-10-20', owner: 'bob' }, name: 'Dana White' },
  {
    request: { type: 'erasure', regime: 'gdpr', received: '2026-11-05', country: 'DE', owner: 'lead' },
    name: 'Bob Smith',
  },
  { request: { type: 'access', regime: 'gdpr', received: '2026-10-01', country: 'DE' }, name: 'Jane Doe' },
  { request: { type: 'access', regime: 'uk-gdpr', received: '2026-11-03', country: 'GB' }, name: 'Sam Lee' },
  {
    request: { type: 'erasure', regime: 'us-state', received: '2026-10-05', country: 'US', region: 'VA' },
    name: 'Sam Lee',
    rejected: true,
  },
  {
    request: { type: 'access', regime: 'us-state', received: '2026-10-20', country: 'US', region: 'CO' },
    name: 'Kevin Wu',
    rejected: true,
  },
];

/** Logs the seeds into an empty register, as the setup actor, at NOW. */
export async function seed(register: Register): Promise<void> {
  const at = new Date(NOW);
  for (const s of SEEDS) {
    const state = await register.add(
      { ...s.request, requesterEmail: 'seed@example.com', requesterName: s.name },
      { actor: 'setup', now: at },
    );
    if (s.rejected) await register.closeRequest(state.id, 'rejected', { actor: 'setup', now: at });
  }
}

export interface Fixture {
  engine: ConversationEngine;
  register: Register;
}

const GDPR_DRAFT = 'log access request from Jane Roe <jane@example.com> received 2026-11-25 under GDPR in DE';
const CCPA_DRAFT = 'log access request from Jane Roe <jane@example.com> received 2026-11-25 under CCPA';
/** A second intake sent while a draft waits (`context.queued`). */
const QUEUED_INTAKE = 'deletion request from Max Roe max@example.de, germany, received yesterday';

async function say(f: Fixture, text: string): Promise<Reply> {
  return f.engine.handle({ text, actor: harnessActor, audience: 'private', now });
}

function hasConfirm(r: Reply): boolean {
  return r.blocks.some((b) => b.kind === 'actions' && b.buttons.some((x) => x.action === 'intake.confirm'));
}

function isAnswer(r: Reply): boolean {
  return r.blocks.some((b) => b.kind === 'answer');
}

async function all(f: Fixture): Promise<RequestState[]> {
  return f.register.list({ status: ['all'] }, now);
}

async function newest(f: Fixture): Promise<RequestState | undefined> {
  const list = await all(f);
  return list.sort((a, b) => (a.id < b.id ? 1 : -1))[0];
}

/** Fields of the request logged last, as the expectation names them. */
async function storedFields(f: Fixture, before: number): Promise<Record<string, unknown> | undefined> {
  const list = await all(f);
  if (list.length !== before + 1) return undefined;
  const state = (await newest(f))!;
  const detail = await f.register.show(state.id);
  return {
    type: state.type,
    regime: state.regime,
    received: state.received,
    country: state.country,
    region: state.region,
    channel: state.channel,
    email: detail.requester?.email ?? null,
    phone: detail.requester?.phone ?? null,
    address: detail.requester?.address ?? null,
    name: detail.requester?.name === '' ? null : detail.requester?.name,
    appealOf: state.appealOf,
  };
}

function matches(actual: Record<string, unknown> | undefined, expected: Record<string, unknown>): string[] {
  if (!actual) return ['nothing was logged'];
  const wrong: string[] = [];
  for (const [key, value] of Object.entries(expected)) {
    if (key === 'kind' || key === 'missing') continue;
    if (actual[key] !== value) wrong.push(`${key}: got ${String(actual[key])}, want ${String(value)}`);
  }
  return wrong;
}

function expectedIds(states: RequestState[], e: Extract<ExpectedAction, { kind: 'list' }>): string[] {
  const today = NOW.slice(0, 10);
  const open = (s: RequestState) =>
    ['received', 'identity-verified', 'in-progress', 'paused'].includes(s.status);
  return states
    .filter((s) => {
      if (e.regime && s.regime !== e.regime) return false;
      switch (e.filter) {
        case 'all':
          return true;
        case 'open':
          return open(s);
        case 'mine':
          return open(s) && s.owner === harnessActor.name;
        case 'overdue':
          return open(s) && s.status !== 'paused' && s.deadlines.due < today;
        case 'due':
          return open(s) && s.status !== 'paused' && s.deadlines.due <= e.dueBy!;
        case 'unassigned':
          return open(s) && !s.owner;
      }
      return false;
    })
    .map((s) => s.id)
    .sort();
}

/** The contacts a line may leave out ("by post", "phoned"): how the question names it, the answer. */
const CONTACT_ANSWERS: [string, RegExp, string][] = [
  ['phone', /What is the requester's phone number\?/, 'phone is +353 1 234 5678'],
  ['address', /What is the requester's postal address/, 'address is 3 Park Lane, Leeds LS1 1AA'],
];

/** Runs one line from a fresh register; returns what went wrong, or an empty list. */
export async function judge(fresh: () => Promise<Fixture>, u: Utterance): Promise<string[]> {
  const f = await fresh();
  const e = u.expect;
  for (const name of u.context?.requesters ?? [])
    await f.register.add(
      {
        type: 'access',
        regime: 'gdpr',
        received: '2026-11-25',
        country: 'DE',
        requesterEmail: 'more@example.com',
        requesterName: name,
      },
      { actor: 'setup', now },
    );
  // Preconditions a lifecycle step needs, so that only understanding is judged.
  if (e.kind === 'request' && e.verb === 'reopen')
    await f.register.closeRequest(e.id, 'completed', { actor: 'setup', now });
  if (e.kind === 'request' && e.verb === 'resume') await f.register.pause(e.id, { actor: 'setup', now });
  if (u.context?.shown) await say(f, `show ${u.context.shown}`);
  if (u.context?.before) await say(f, u.context.before);
  if (u.context?.closing) await say(f, `close ${u.context.closing}`);
  if (u.context?.waiting) {
    await say(f, `put ${u.context.waiting} on hold, waiting for the requester`);
    if (!(await f.register.get(u.context.waiting)).waitingSince) return ['could not set up the wait'];
  }
  if (u.context?.draft) {
    const base = e.kind === 'correct' && e.regime === 'ccpa' ? GDPR_DRAFT : CCPA_DRAFT;
    if (!hasConfirm(await say(f, base))) return ['could not set up the draft'];
    if (u.context.queued) await say(f, QUEUED_INTAKE);
  }
  const before = await all(f);
  const r = await say(f, u.text);
  const after = await all(f);
  switch (e.kind) {
    case 'question':
      return isAnswer(r) ? [] : [`not answered from the policy: ${r.text.slice(0, 120)}`];
    case 'smalltalk':
      return !isAnswer(r) && /help/i.test(r.text) && r.text.length < 300 && after.length === before.length
        ? []
        : [`not a short pointer to help: ${r.text.slice(0, 120)}`];
    case 'help':
      return /Here is what I can do/.test(r.text) ? [] : [`no help: ${r.text.slice(0, 120)}`];
    case 'form':
      return r.blocks.some((b) => (b.kind as string) === 'form') || /request form|open the form/i.test(r.text)
        ? []
        : [`no form: ${r.text.slice(0, 120)}`];
    case 'which': {
      const changed = JSON.stringify(before) !== JSON.stringify(after);
      const missing = e.of.filter((id) => !r.text.includes(id));
      return !isAnswer(r) && !changed && r.text.includes('?') && missing.length === 0
        ? []
        : [`not asked which (missing ${missing.join(',')}): ${r.text.slice(0, 160)}`];
    }
    case 'reminders': {
      const changed = JSON.stringify(before) !== JSON.stringify(after);
      return !isAnswer(r) && !changed && /reminder/i.test(r.text) && /reminders run --once/.test(r.text)
        ? []
        : [`reminders not explained: ${r.text.slice(0, 160)}`];
    }
    case 'queue': {
      // Nothing is logged or lost: "yes" logs the waiting draft, then shows the queued one.
      if (after.length !== before.length) return ['logged'];
      if (!/queued/i.test(r.text)) return [`not said to be queued: ${r.text.slice(0, 160)}`];
      const first = await say(f, 'yes');
      if ((await all(f)).length !== before.length + 1)
        return [`waiting draft not logged: ${first.text.slice(0, 120)}`];
      if (!hasConfirm(first)) return [`queued draft not offered: ${first.text.slice(0, 160)}`];
      const count = (await all(f)).length;
      await say(f, 'yes');
      return matches(await storedFields(f, count), e);
    }
    case 'replace': {
      // The waiting draft is dropped; the queued one is offered and logged on "yes", alone.
      if (after.length !== before.length) return ['logged'];
      if (!hasConfirm(r)) return [`queued draft not offered: ${r.text.slice(0, 160)}`];
      await say(f, 'yes');
      const wrong = matches(await storedFields(f, before.length), e);
      await say(f, 'yes');
      if ((await all(f)).length !== before.length + 1) wrong.push('the dropped draft was logged too');
      return wrong;
    }
    case 'not-found': {
      const changed = JSON.stringify(before) !== JSON.stringify(after);
      return !isAnswer(r) && !changed && /no request/i.test(r.text) && /requests all/.test(r.text)
        ? []
        : [`not said to be missing: ${r.text.slice(0, 120)}`];
    }
    case 'edit': {
      const detail = await f.register.show(e.id);
      const wrong: string[] = [];
      if (e.email && detail.requester?.email !== e.email) wrong.push(`email ${detail.requester?.email}`);
      if (e.name && detail.requester?.name !== e.name) wrong.push(`name ${detail.requester?.name}`);
      if (e.phone && detail.requester?.phone !== e.phone) wrong.push(`phone ${detail.requester?.phone}`);
      if (e.address && detail.requester?.address !== e.address)
        wrong.push(`address ${detail.requester?.address}`);
      if (!detail.trail.some((x) => x.action === 'requester-changed')) wrong.push('no audit entry');
      return wrong.length ? [...wrong, r.text.slice(0, 120)] : [];
    }
    case 'clarify': {
      const changed = JSON.stringify(before) !== JSON.stringify(after);
      return !isAnswer(r) && !changed && r.text.includes('?')
        ? []
        : [`no short question: ${r.text.slice(0, 120)}`];
    }
    case 'list': {
      const list = r.blocks.find((b) => b.kind === 'request-list');
      if (list?.kind !== 'request-list') return [`no list: ${r.text.slice(0, 120)}`];
      const got = list.requests.map((x) => x.id).sort();
      const want = expectedIds(before, e);
      return JSON.stringify(got) === JSON.stringify(want)
        ? []
        : [`listed ${got.join(',')}, want ${want.join(',')}`];
    }
    case 'deadline': {
      const block = r.blocks.find((b) => b.kind === 'deadline');
      if (block?.kind !== 'deadline') return [`no deadline: ${r.text.slice(0, 120)}`];
      const regime = e.regime as Regime;
      const home = homeJurisdiction(regime, 'DE');
      const set = computeDeadlines({
        regime,
        received: e.received,
        country: e.country ?? home.country,
        region: e.region ?? (e.country ? undefined : home.region),
        ...(e.type ? { type: e.type as never } : {}),
        ...(e.extended ? { extended: true } : {}),
      });
      const wrong: string[] = [];
      if (block.regimeLabel !== REGIME_LABELS[regime]) wrong.push(`law ${block.regimeLabel}`);
      if (block.received !== e.received) wrong.push(`received ${block.received}`);
      if (block.due !== set.due) wrong.push(`due ${block.due}, want ${set.due}`);
      return wrong;
    }
    case 'waiting': {
      const was = before.find((s) => s.id === e.id);
      const is = after.find((s) => s.id === e.id);
      if (!was || !is) return ['no such seed'];
      const wrong: string[] = [];
      if (Boolean(is.waitingSince) !== e.waiting) wrong.push(`waiting ${String(is.waitingSince)}`);
      if (is.status !== was.status) wrong.push(`status ${is.status}`);
      if (is.deadlines.due !== was.deadlines.due) wrong.push(`due moved to ${is.deadlines.due}`);
      const trail = (await f.register.show(e.id)).trail;
      if (trail[trail.length - 1]?.action !== (e.waiting ? 'waiting-started' : 'waiting-ended'))
        wrong.push('no audit entry');
      // The person is told the legal deadline does not move.
      if (e.waiting && !(r.text.includes(was.deadlines.due) && /keeps running/i.test(r.text)))
        wrong.push('deadline not said to keep running');
      return wrong.length ? [...wrong, r.text.slice(0, 120)] : [];
    }
    case 'request': {
      const was = before.find((s) => s.id === e.id);
      const is = after.find((s) => s.id === e.id);
      if (!was || !is) return ['no such seed'];
      const others = JSON.stringify(before.filter((s) => s.id !== e.id));
      if (others !== JSON.stringify(after.filter((s) => s.id !== e.id))) return ['another request changed'];
      switch (e.verb) {
        case 'show':
          return r.blocks.some((b) => b.kind === 'request' && b.request.id === e.id && b.trail)
            ? []
            : [`not shown: ${r.text.slice(0, 120)}`];
        case 'start':
          return is.status === 'in-progress' ? [] : [`status ${is.status}: ${r.text.slice(0, 120)}`];
        case 'verify':
          return is.status === 'identity-verified' ? [] : [`status ${is.status}: ${r.text.slice(0, 120)}`];
        case 'pause':
          return is.status === 'paused' ? [] : [`status ${is.status}: ${r.text.slice(0, 120)}`];
        case 'resume':
          return is.status !== 'paused' ? [] : [`status ${is.status}: ${r.text.slice(0, 120)}`];
        case 'reopen':
          return is.outcome === null ? [] : [`outcome ${is.outcome}: ${r.text.slice(0, 120)}`];
        case 'close': {
          if (is.outcome !== e.outcome) return [`outcome ${is.outcome}: ${r.text.slice(0, 120)}`];
          if (!e.note) return [];
          // The reason given is recorded with the close, not lost.
          const trail = (await f.register.show(e.id)).trail;
          const text = trail[trail.length - 1]?.text ?? '';
          return text.toLowerCase().includes(e.note.toLowerCase()) ? [] : [`reason recorded: "${text}"`];
        }
        case 'extend': {
          if (is.extensions !== was.extensions + 1) return [`not extended: ${r.text.slice(0, 120)}`];
          if (!e.note) return [];
          // The reason is kept in the audit trail and said back, with the status shown as extended.
          const trail = (await f.register.show(e.id)).trail;
          const text = trail[trail.length - 1]?.text ?? '';
          const wrong: string[] = [];
          if (!text.toLowerCase().includes(e.note.toLowerCase())) wrong.push(`reason recorded: "${text}"`);
          if (!r.text.toLowerCase().includes(e.note.toLowerCase())) wrong.push('reason not shown');
          if (!/extended/.test(r.text)) wrong.push('not shown as extended');
          return wrong.length ? [...wrong, r.text.slice(0, 160)] : [];
        }
        case 'note': {
          // A note changes nothing but the trail: its text is recorded as typed and said back.
          const trail = (await f.register.show(e.id)).trail;
          const last = trail[trail.length - 1];
          const wrong: string[] = [];
          if (is.status !== was.status) wrong.push(`status ${is.status}`);
          if (last?.action !== 'noted') wrong.push(`last audit entry ${last?.action}`);
          if (!(last?.text ?? '').toLowerCase().includes((e.note ?? '').toLowerCase()))
            wrong.push(`note recorded: "${last?.text}"`);
          return wrong.length ? [...wrong, r.text.slice(0, 160)] : [];
        }
        case 'assign': {
          const owner = e.owner === 'me' ? harnessActor.name : e.owner;
          return is.owner === owner ? [] : [`owner ${is.owner}: ${r.text.slice(0, 120)}`];
        }
      }
      return ['unknown verb'];
    }
    case 'intake': {
      let offered = r;
      if (e.missing?.length) {
        if (hasConfirm(r) || !r.text.includes('?'))
          return [`did not ask for ${e.missing}: ${r.text.slice(0, 120)}`];
        // Each thing asked for is given in turn, as a person answering the questions would.
        if (e.missing.includes('type')) offered = await say(f, 'it is an access request');
        if (e.missing.includes('law')) offered = await say(f, 'under GDPR');
        if (e.missing.includes('email')) offered = await say(f, 'email is supplied@example.com');
        // Came by phone or post with no contact: the question names the one to give.
        for (const [what, asked, answer] of CONTACT_ANSWERS) {
          if (!e.missing.includes(what)) continue;
          if (!asked.test(r.text)) return [`did not ask for the ${what}: ${r.text.slice(0, 160)}`];
          offered = await say(f, answer);
        }
      }
      if (!hasConfirm(offered)) return [`no draft to confirm: ${offered.text.slice(0, 120)}`];
      const count = (await all(f)).length;
      await say(f, 'yes');
      const stored = await storedFields(f, count);
      const wrong = matches(stored, e);
      for (const [what, , answer] of CONTACT_ANSWERS)
        if (e.missing?.includes(what) && stored?.[what] !== answer.replace(/^\w+ is /, ''))
          wrong.push(`${what}: got ${String(stored?.[what])}`);
      return wrong;
    }
    case 'appeal': {
      const changed = () => all(f).then((now) => JSON.stringify(now) !== JSON.stringify(before));
      if (e.refused) {
        return !isAnswer(r) && !hasConfirm(r) && !(await changed()) && /no appeal/i.test(r.text)
          ? []
          : [`appeal not refused in plain words: ${r.text.slice(0, 160)}`];
      }
      if (!hasConfirm(r)) return [`no appeal draft to confirm: ${r.text.slice(0, 160)}`];
      // The appeal's own deadline is shown before the yes: the one the register will store.
      const original = before.find((s) => s.id === e.of)!;
      const received = e.received ?? NOW.slice(0, 10);
      const due = computeDeadlines({
        regime: original.regime,
        received,
        country: original.country,
        ...(original.region ? { region: original.region } : {}),
        type: 'appeal',
      }).due;
      if (!r.text.includes(due)) return [`appeal deadline ${due} not shown: ${r.text.slice(0, 200)}`];
      const count = (await all(f)).length;
      await say(f, 'yes');
      return matches(await storedFields(f, count), {
        type: 'appeal',
        appealOf: e.of,
        received,
        regime: original.regime,
        region: original.region,
      });
    }
    case 'redate': {
      const was = before.find((s) => s.id === e.id);
      const is = after.find((s) => s.id === e.id);
      if (!was || !is) return ['no such seed'];
      if (
        JSON.stringify(before.filter((s) => s.id !== e.id)) !==
        JSON.stringify(after.filter((s) => s.id !== e.id))
      )
        return ['another request changed'];
      const due = computeDeadlines({
        regime: was.regime,
        received: e.received,
        country: was.country,
        ...(was.region ? { region: was.region } : {}),
        type: was.type,
      }).due;
      const wrong: string[] = [];
      if (is.received !== e.received) wrong.push(`received ${is.received}`);
      if (is.deadlines.due !== due) wrong.push(`due ${is.deadlines.due}, want ${due}`);
      const trail = (await f.register.show(e.id)).trail;
      if (trail[trail.length - 1]?.action !== 'received-changed') wrong.push('no audit entry');
      // The reply names the request and what changed, so a wrong one is seen at once.
      if (!r.text.includes(e.id) || !r.text.includes(e.received)) wrong.push('change not said back');
      return wrong.length ? [...wrong, r.text.slice(0, 160)] : [];
    }
    case 'appeal-unlinked': {
      if (!hasConfirm(r)) return [`no appeal draft to confirm: ${r.text.slice(0, 200)}`];
      const due = computeDeadlines({
        regime: e.regime as Regime,
        received: e.received,
        country: 'US',
        region: e.region,
        type: 'appeal',
      }).due;
      if (!r.text.includes(due)) return [`appeal deadline ${due} not shown: ${r.text.slice(0, 200)}`];
      const count = (await all(f)).length;
      await say(f, 'yes');
      return matches(await storedFields(f, count), {
        type: 'appeal',
        appealOf: null,
        received: e.received,
        regime: e.regime,
        region: e.region,
        ...(e.name ? { name: e.name } : {}),
      });
    }
    case 'confirm':
      return after.length === before.length + 1 ? [] : [`not logged: ${r.text.slice(0, 120)}`];
    case 'cancel': {
      if (after.length !== before.length) return ['logged'];
      await say(f, 'yes');
      return (await all(f)).length === before.length ? [] : [`not cancelled: ${r.text.slice(0, 120)}`];
    }
    case 'correct': {
      if (after.length !== before.length) return ['logged before the correction was confirmed'];
      await say(f, 'yes');
      return matches(await storedFields(f, before.length), e);
    }
  }
}
