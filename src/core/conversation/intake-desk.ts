import type { RequestState } from '../requests/model.js';
import type { ChangeContext } from '../requests/register.js';
import type { DraftFields } from './fields.js';

/**
 * The drafts posted to the privacy channel for a person to confirm, whatever brought them in (a
 * mail to the privacy mailbox, a delivery to the intake webhook), as the engine's buttons reach
 * them: Log it, Edit, Not a request. Declared here so the conversation does not depend on where
 * requests arrive; src/core/intake/desk.ts implements it.
 */

/** Where a draft came from; it names the draft in what the channel is told. */
export type IntakeSourceKind = 'mail' | 'webhook';

export type IntakeDeskResult = { source: IntakeSourceKind } & (
  | { status: 'logged'; request: RequestState }
  /** Logged before (another press, another replica): nothing was logged again. */
  | { status: 'already-logged'; requestId: string; by: string }
  | { status: 'dismissed'; by: string }
  /** Not complete: what is still missing must be given with Edit. */
  | { status: 'incomplete'; fields: DraftFields }
  /** No such draft (expired, or never there). */
  | { status: 'gone' }
);

export interface IntakeDesk {
  /** Logs the draft under its source's key (the register logs a key once). */
  log(draftId: string, ctx: ChangeContext): Promise<IntakeDeskResult>;
  /** Marks the draft as not a request: nothing is logged, and its personal data is dropped. */
  dismiss(draftId: string, ctx: ChangeContext): Promise<IntakeDeskResult>;
  /** The draft to correct in a chat: its fields (note included) and the key it is logged under. */
  open(draftId: string): Promise<{ status: 'open'; key: string; fields: DraftFields } | IntakeDeskResult>;
  /** Records that the draft was logged from a chat (after Edit), so its buttons say so. */
  loggedFromChat(key: string, requestId: string, ctx: ChangeContext): Promise<void>;
  /** True when a chat draft's key is one of this desk's (so a "yes" to it settles the draft). */
  owns(key: string): boolean;
}
