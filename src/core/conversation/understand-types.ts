import type { Regime, RequestType } from '../requests/deadlines.js';
import type { Outcome } from '../requests/model.js';
import type { Verb } from './command-words.js';
import type { DraftFields, RequestRef } from './fields.js';

/** What a line of chat is read as (`Understanding`), and the conversation it is read in (`LineContext`). */

export type ListStatus = 'open' | 'overdue' | 'all' | 'closed';

export type Understanding =
  | { kind: 'intake'; fields: DraftFields }
  /**
   * A correction of the waiting draft. `was`: the old name the line quotes ("… not Lee"), which
   * picks the draft it is about among the waiting and the queued ones.
   */
  | { kind: 'correct'; fields: DraftFields; was?: { name: string } }
  /** The requester's name or contact (email, phone number, postal address) of a logged request put right. */
  | {
      kind: 'edit';
      ref: RequestRef;
      fields: { name?: string; email?: string; phone?: string; address?: string };
    }
  /**
   * A yes to the waiting draft. `named`: the requester's name said with it ("ok yes save klaus"):
   * the yes counts only when the waiting draft is theirs (the engine checks).
   */
  | { kind: 'confirm'; named?: string }
  | { kind: 'cancel' }
  | {
      kind: 'request';
      verb: Verb;
      ref: RequestRef;
      outcome?: Outcome;
      /** "me" for the person speaking. */
      owner?: string;
      note?: string;
    }
  | {
      kind: 'list';
      status: ListStatus;
      mine: boolean;
      dueBy?: string;
      regime?: Regime;
      /** "how many …": the number is said before the list. */
      count?: boolean;
      /** "which ones have no owner": only the open requests nobody owns. */
      unassigned?: boolean;
      /**
       * Asked for by law alone ("anything under ccpa?"): a list for the privacy team; for anyone
       * else the line is a question for the policy.
       */
      byLaw?: boolean;
    }
  /** "change the received date on 3 to nov 28": the received date of a logged request put right. */
  | { kind: 'redate'; ref: RequestRef; received: string }
  | DeadlineAsked
  | { kind: 'question'; text: string }
  /** "send the reminders": how reminders go out, and what they are about now. */
  | { kind: 'reminders' }
  /** With a new intake queued behind the waiting draft: drop the waiting one, take the new one. */
  | { kind: 'replace' }
  | { kind: 'smalltalk'; what: 'greeting' | 'thanks' | 'ack' | 'no-draft' | 'noise' }
  | { kind: 'help' }
  | { kind: 'form' }
  | {
      kind: 'clarify';
      question: string;
      /** The request the question is about ("close 0003": as what?), to check it exists. */
      ref?: RequestRef;
      /** A deadline question that named no law: its day and type, for the answer that names one. */
      deadline?: Omit<DeadlineAsked, 'regime'>;
    };

/** A deadline question: a law's deadline for a request received on a day. */
export interface DeadlineAsked {
  kind: 'deadline';
  regime: Regime;
  received: string;
  receivedSaid: boolean;
  type?: RequestType;
  country?: string;
  region?: string;
  extended: boolean;
}

export interface LineContext {
  now: Date;
  timeZone: string;
  /** A one-line intake is waiting for yes, no or a correction. */
  draft?: boolean;
  /** Another intake, sent while the draft waited, is queued behind it. */
  queued?: boolean;
  /** The chat has just asked how to close this request (its id): an outcome alone answers it. */
  awaiting?: { outcome: string };
  /**
   * The deadline question asked just before (or one asked without a law): "and under lgpd?" asks
   * it again under another law, for the same day and type.
   */
  lastDeadline?: Omit<DeadlineAsked, 'regime'> & { regime?: Regime };
}

/** A request a line names, and where in the line it does ([at, end)). */
export interface RefFound {
  ref: RequestRef;
  at: number;
  end: number;
}
