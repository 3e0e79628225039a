import { AppError } from '../errors.js';
import type { Answer, PolicyAnswerer } from '../policy/answer.js';
import { daysBetween } from '../requests/calendar.js';
import { daysLeft, REGIME_LABELS } from '../requests/deadlines.js';
import { todayIn } from '../requests/input.js';
import { isOpen, type Requester, type RequestState } from '../requests/model.js';
import type { Register } from '../requests/register.js';
import { DRAFT_TTL_MS, type Draft } from './draft.js';
import { type DraftStore, MemoryDraftStore } from './draft-store.js';
import type { IntakeDesk } from './intake-desk.js';
import { plainText, stripStop } from './plain-text.js';
import {
  type Actor,
  type Block,
  maySeeRequesterData,
  type Reply,
  type RequestView,
  type Turn,
} from './reply.js';
import type { LineContext } from './understand.js';

/**
 * What every part of the conversation shares: the options the engine was built with, what it
 * remembers of each actor between lines (their draft, the request shown last, the question asked
 * last), who may do what, and how a request is shown. The engine (`engine.ts`) routes a line or a
 * button to a command (`commands.ts`); the commands live by concern: drafts (`intake-flow.ts`,
 * `draft-queue.ts`, `desk-actions.ts`), requests (`request-commands.ts`, `resolve.ts`), lists and
 * reminders (`lists.ts`), answers (`answers.ts`).
 */

/**
 * The one place where a message becomes a reply. Channels hand it a {@link Turn} (text, who, where
 * the reply will be read, when) and render the {@link Reply}; buttons come back through
 * `ConversationEngine.act`. It decides what may be shown to whom: anyone may ask and log a
 * request; only the privacy team may list, view or change them; requester personal data is only
 * ever put in replies whose audience is private or the privacy channel.
 */
export interface EngineOptions {
  answerer: PolicyAnswerer;
  /**
   * Answers policy questions with LLM assistance when one is configured (core/llm); it gets only the
   * question, never register data. Absent: `answerer` answers offline.
   */
  assistant?: { askAssisted(question: string): Promise<Answer> };
  /** Absent when the deployment runs without a register (questions only). */
  register?: Register;
  /**
   * Where drafts wait for their "yes": the register's store in production, so every replica and a
   * restarted process see them. Absent: this process's memory.
   */
  drafts?: DraftStore;
  /**
   * The drafts posted to the privacy channel from the privacy mailbox and the intake webhook, when
   * either is on (their buttons come here).
   */
  desk?: IntakeDesk;
  /** Snoozes a request's reminders until the returned instant (the reminders' Snooze button). */
  snoozeReminders?: (requestId: string, now: Date) => Promise<Date>;
  defaultCountry: string;
  defaultTimeZone: string;
  /** Records errors with a reference; never personal data. */
  onError?: (error: AppError, reference: string) => void;
}

/** A turn without its text: what a button press or a form brings. */
export type Pressed = Omit<Turn, 'text'>;

export function text(t: string): Block {
  return { kind: 'text', text: t };
}

export function errorReply(message: string, reference?: string): Reply {
  return {
    blocks: [{ kind: 'error', text: message, ...(reference ? { reference } : {}) }],
    text: reference ? `${message} (reference ${reference})` : message,
    personal: false,
  };
}

export function reply(blocks: Block[], extra: Partial<Reply> = {}): Reply {
  const personal = blocks.some(
    (b) => b.kind === 'request' && (Boolean(b.request.requester) || Boolean(b.trail?.some((e) => e.text))),
  );
  return { blocks, text: plainText(blocks), personal, ...extra };
}

/** A reply with a line added after its blocks. */
export function withNote(answer: Reply, note: string): Reply {
  return { ...answer, blocks: [...answer.blocks, text(note)], text: `${answer.text}\n${note}` };
}

/** A reply with a line put before its blocks. */
export function withLead(answer: Reply, lead: string): Reply {
  return { ...answer, blocks: [text(lead), ...answer.blocks], text: `${lead}\n${answer.text}` };
}

export class EngineContext {
  /** One-line intakes waiting for an answer, per actor. */
  readonly drafts: DraftStore;
  /** The request each actor saw last, which "it" names ("extend it"). */
  readonly lastShown = new Map<string, string>();
  /** The request whose outcome the chat asked each actor for last ("close 0003": as what?). */
  readonly askedOutcome = new Map<string, string>();
  /** The deadline question each actor asked last, which "and under lgpd?" asks again. */
  readonly askedDeadline = new Map<string, NonNullable<LineContext['lastDeadline']>>();

  constructor(readonly options: EngineOptions) {
    this.drafts = options.drafts ?? new MemoryDraftStore();
  }

  timeZone(turn: Pressed): string {
    return turn.actor.timeZone ?? this.options.defaultTimeZone;
  }

  /** "Today" where the actor is. */
  today(turn: Pressed): string {
    return todayIn(turn.now, this.timeZone(turn));
  }

  requireRegister(): Register {
    if (!this.options.register) throw new AppError('CONFIG', 'The request register is not configured here.');
    return this.options.register;
  }

  requireTeam(actor: Actor): void {
    if (!actor.isPrivacyTeam) {
      throw new AppError(
        'FORBIDDEN',
        'Sorry, only the privacy team can view or change requests. You can still log one: type "request".',
      );
    }
  }

  /** Remembers the request an actor saw last, which "it" names next. */
  shown(turn: Pressed, id: string): void {
    this.lastShown.set(turn.actor.id, id);
  }

  /**
   * The actor's draft as stored: one waiting for an answer, or one logged a moment ago (`loggedAs`),
   * unless it has expired.
   */
  async storedDraft(turn: Pressed): Promise<Draft | undefined> {
    const draft = await this.drafts.get(turn.actor.id);
    if (draft && turn.now.getTime() - draft.at > DRAFT_TTL_MS) {
      await this.drafts.delete(turn.actor.id);
      return undefined;
    }
    return draft;
  }

  /** The reply to a request just logged, with the notice for the privacy channel. */
  logged(state: RequestState, turn: Pressed, nameless = false): Reply {
    const view = this.view(state, turn, undefined);
    // Logged without a name (a "yes" to a draft that asked for one): say so, and how to add it.
    const noName = nameless
      ? ` No requester name was recorded; to add it, say "the name on ${state.id} should be Jane Doe".`
      : '';
    const blocks: Block[] = [
      text(`Logged ${state.id}. The response is due ${view.due} (${stripStop(view.dueRule)}).${noName}`),
      { kind: 'request', request: view },
    ];
    return reply(blocks, {
      notice: {
        text: `New ${state.type} request ${state.id} (${REGIME_LABELS[state.regime]}), received ${state.received}, due ${view.due}; owner ${state.owner ?? 'unassigned'}.`,
        requestId: state.id,
      },
    });
  }

  /** A request for display; `requester` is included only for a private or privacy-channel audience. */
  view(state: RequestState, turn: Pressed, requester: Requester | null | undefined): RequestView {
    const today = this.today(turn);
    const response = state.deadlines.deadlines.find((d) => d.kind === 'response');
    const mayShow = maySeeRequesterData(turn.audience);
    const onHold = holdOf(state);
    return {
      id: state.id,
      type: state.type,
      regime: state.regime,
      regimeLabel: REGIME_LABELS[state.regime],
      // An open request that was extended says so beside where it stands ("received, extended").
      status: state.extensions > 0 && isOpen(state.status) ? `${state.status}, extended` : state.status,
      owner: state.owner,
      received: state.received,
      due: state.deadlines.due,
      dueRule: response?.rule ?? state.deadlines.rule,
      dueSource: response?.source ?? state.deadlines.source,
      daysLeft: daysLeft(state.deadlines.due, today),
      deadlines: state.deadlines.deadlines,
      policyId: state.policyId,
      outcome: state.outcome,
      extensions: state.extensions,
      ...(onHold ? { onHold: { ...onHold, days: Math.max(0, daysBetween(onHold.since, today)) } } : {}),
      ...(mayShow && requester !== undefined ? { requester } : {}),
    };
  }
}

/** Waiting on the requester (the deadline runs on), or paused where the law stops the clock. */
function holdOf(state: RequestState): { since: string; clockStopped: boolean } | undefined {
  if (state.waitingSince) return { since: state.waitingSince, clockStopped: false };
  if (state.status === 'paused' && state.pausedOn) return { since: state.pausedOn, clockStopped: true };
  return undefined;
}

/** Where a request is: its country, with the region when it has one ("US-TX"). */
export function placeOf(s: RequestState): string {
  return s.region ? `${s.country}-${s.region}` : s.country;
}

/**
 * A request as its id and what it is, never who made it ("DSR-2026-0002 (opt-out-of-sale, US state
 * privacy law, US-TX)"): every change says it, so a change made to the wrong request is seen.
 */
export function described(s: RequestState): string {
  const where = placeOf(s);
  return `${s.id} (${s.type}, ${REGIME_LABELS[s.regime]}${where ? `, ${where}` : ''})`;
}

/** A request's kind in words, never who made it: "the access request under the EU GDPR (DE)". */
export function about(s: RequestState): string {
  const where = placeOf(s);
  return `the ${s.type} request under the ${REGIME_LABELS[s.regime]}${where ? ` (${where})` : ''}`;
}
