import type { RequestState } from '../requests/model.js';
import type { ChangeContext } from '../requests/register.js';
import type { DraftFields } from './fields.js';

/**
 * The drafts made from the privacy mailbox (src/core/mailbox), as the engine's buttons reach
 * them: Log it, Edit, Not a request. Declared here so the conversation does not depend on the
 * mailbox; the mailbox's service implements it.
 */

export type MailDeskResult =
  | { status: 'logged'; request: RequestState }
  /** Logged before (another press, another replica): nothing was logged again. */
  | { status: 'already-logged'; requestId: string; by: string }
  | { status: 'dismissed'; by: string }
  /** Not complete: what is still missing must be given with Edit. */
  | { status: 'incomplete'; fields: DraftFields }
  /** No such draft (expired, or never there). */
  | { status: 'gone' };

export interface MailDesk {
  /** Logs the draft under its mail's key (the register logs a key once). */
  log(draftId: string, ctx: ChangeContext): Promise<MailDeskResult>;
  /** Marks the mail as not a request: nothing is logged, and its personal data is dropped. */
  dismiss(draftId: string, ctx: ChangeContext): Promise<MailDeskResult>;
  /** The draft to correct in a chat: its fields (note included) and the key it is logged under. */
  open(draftId: string): Promise<{ status: 'open'; key: string; fields: DraftFields } | MailDeskResult>;
  /** Records that the draft was logged from a chat (after Edit), so its buttons say so. */
  loggedFromChat(key: string, requestId: string, ctx: ChangeContext): Promise<void>;
}
