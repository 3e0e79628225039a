import type { Citation } from '../policy/answer.js';
import type { Requester } from '../requests/model.js';

/**
 * What the core says back, independent of any platform. Channels render these blocks as Block
 * Kit, Adaptive Cards or terminal text; no channel decides what is said, only how it looks.
 */

/** One clock of a request: the response deadline, an extension notice, a policy target... */
export interface DeadlineView {
  kind: string;
  due: string;
  rule: string;
  source: string;
  binding: boolean;
}

/** Who is speaking, as the channel established it. */
export interface Actor {
  /** Platform-qualified id ("slack:U123", "teams:<aad id>", "cli:alice"). */
  id: string;
  /** A display name for the audit trail. */
  name: string;
  /** Members of the privacy team may list, view and change requests. */
  isPrivacyTeam: boolean;
  /** The reader's IANA time zone, when the platform knows it. */
  timeZone?: string;
}

/**
 * Where the reply will be read. `private`: only the actor (a DM, an ephemeral message, the
 * console). `privacy-channel`: the configured private channel of the privacy team. `shared`:
 * anywhere else, such as a thread in a public channel; never shows personal data.
 */
export type Audience = 'private' | 'privacy-channel' | 'shared';

/**
 * The one rule for requester data: the requester's name and contact (email, phone number, postal
 * address), and every free text tied to a request (notes, reasons, the audit trail's text), are
 * shown only to a private audience or in the privacy channel. Every channel gets its replies
 * through the engine, which applies this.
 */
export function maySeeRequesterData(audience: Audience): boolean {
  return audience === 'private' || audience === 'privacy-channel';
}

export interface Turn {
  text: string;
  actor: Actor;
  audience: Audience;
  now: Date;
}

/** A request as shown to people; the requester only when the audience may see personal data. */
export interface RequestView {
  id: string;
  type: string;
  regime: string;
  regimeLabel: string;
  status: string;
  owner: string | null;
  received: string;
  due: string;
  dueRule: string;
  dueSource: string;
  /** Days until the response deadline; negative when overdue. */
  daysLeft: number;
  deadlines: DeadlineView[];
  policyId: string | null;
  outcome: string | null;
  extensions: number;
  /**
   * A request on hold: since when, for how many days, and whether its clock stands still (UK GDPR
   * art. 12A) or keeps running while the team waits on the requester (EU GDPR and others).
   */
  onHold?: { since: string; days: number; clockStopped: boolean };
  requester?: Requester | null;
}

/** What the card says of a request on hold, in every channel; undefined when it is not on hold. */
export function holdText(r: RequestView): string | undefined {
  if (!r.onHold) return undefined;
  const { since, days, clockStopped } = r.onHold;
  const long = `${days} day${days === 1 ? '' : 's'}`;
  return clockStopped
    ? `On hold since ${since} (${long}): the clock is stopped until it resumes.`
    : `Waiting on the requester since ${since} (${long}): the deadline keeps running.`;
}

/**
 * The requester in one line: "Jane Doe <jane@…>", with a phone number or postal address when that
 * is how they can be reached ("John Smith, postal address 1 Main Road, Dublin"), and a note in
 * place of a name nobody gave.
 */
export function requesterText(r: Requester): string {
  const others = contactParts({ ...r, email: undefined });
  if (r.name) return [r.email ? `${r.name} <${r.email}>` : r.name, ...others].join(', ');
  return `${[...(r.email ? [r.email] : []), ...others].join(', ')} ${NO_NAME}`;
}

/** Each contact as it is shown: the address as typed, "phone …", "postal address …". */
export function contactParts(r: { email?: string | undefined; phone?: string; address?: string }): string[] {
  return [
    ...(r.email ? [r.email] : []),
    ...(r.phone ? [`phone ${r.phone}`] : []),
    ...(r.address ? [`postal address ${r.address}`] : []),
  ];
}

/** Shown in place of a requester's name that nobody gave. */
export const NO_NAME = '(no name given)';

/** A button a person may press; `value` round-trips through the platform unchanged. */
export interface ActionButton {
  /** Stable action id the channel routes back to {@link ConversationEngine.act}. */
  action: string;
  label: string;
  value: string;
  style?: 'primary' | 'danger';
}

export type Block =
  | { kind: 'text'; text: string }
  | { kind: 'answer'; answer: string; found: boolean; citations: Citation[]; questionId: string }
  | {
      kind: 'request';
      request: RequestView;
      trail?: { at: string; actor: string; action: string; text: string | null }[];
    }
  | { kind: 'request-list'; title: string; requests: RequestView[]; empty: string }
  | {
      kind: 'deadline';
      regimeLabel: string;
      received: string;
      due: string;
      rule: string;
      source: string;
      deadlines: DeadlineView[];
    }
  | { kind: 'actions'; buttons: ActionButton[] }
  | { kind: 'error'; text: string; reference?: string };

export interface Reply {
  blocks: Block[];
  /** The whole reply as plain text: notifications, fallbacks, the console. */
  text: string;
  /** True when a block carries requester personal data. */
  personal: boolean;
  /** A notice for the privacy channel (never personal data), e.g. "new request logged". */
  notice?: { text: string; requestId?: string };
  /**
   * What the message whose button was pressed now says, for everyone who sees it (a mail's draft
   * in the privacy channel once it is logged or marked not a request): a channel that can edit
   * that message replaces it, buttons and all, so nobody acts on it again. Never personal data.
   */
  settled?: string;
}

/**
 * The sources listed under an answer: each cited policy and section, with its quote only when the
 * answer does not already quote it, so a quote appears once. One rule for every channel.
 */
export function sourcesOf(
  answer: string,
  citations: Citation[],
): { policy: string; section: string; quote: string | null }[] {
  const said = squash(answer);
  return citations.map((c) => ({
    policy: c.policy,
    section: c.section,
    quote: said.includes(squash(c.quote)) ? null : c.quote,
  }));
}

const squash = (text: string) => text.replace(/\s+/g, ' ').trim().toLowerCase();
