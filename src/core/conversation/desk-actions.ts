import { type EngineContext, errorReply, reply, text } from './context.js';
import { nextQuestion } from './draft.js';
import type { IntakeDeskResult, IntakeSourceKind } from './intake-desk.js';
import { showDraft } from './intake-flow.js';
import type { Reply, Turn } from './reply.js';

/**
 * The buttons on a draft in the privacy channel (from the privacy mailbox or the intake webhook):
 * Log it, Edit, Not a request. A draft handled already says by whom, and changes nothing.
 */

/** How the channel names a draft of each source, in the replies to its buttons. */
const DESK_WORDS: Record<IntakeSourceKind, { label: string; it: string; lower: string }> = {
  mail: {
    label: 'Mail to the privacy mailbox',
    it: 'That mail',
    lower: 'A mail to the privacy mailbox',
  },
  webhook: {
    label: 'Request from the intake webhook',
    it: 'That request',
    lower: 'A request from the intake webhook',
  },
};

/**
 * Log it (logs the draft as it stands, under its source's key), Edit (the draft becomes the
 * presser's own chat draft, to correct and confirm privately), Not a request (nothing is logged).
 */
export async function deskAction(
  ctx: EngineContext,
  action: string,
  draftId: string,
  turn: Turn,
): Promise<Reply> {
  const desk = ctx.options.desk;
  if (!desk)
    return errorReply('No privacy mailbox or intake webhook is on here, so that button does nothing.');
  const by = { actor: turn.actor.name, now: turn.now };
  if (action === 'mail.edit') {
    const opened = await desk.open(draftId);
    if (opened.status !== 'open') return deskResult(ctx, opened, turn);
    // The draft's id is its source's key, so "yes" logs it under the same key as Log it would.
    return showDraft(ctx, opened.fields, turn, opened.key);
  }
  const result = action === 'mail.log' ? await desk.log(draftId, by) : await desk.dismiss(draftId, by);
  return deskResult(ctx, result, turn);
}

function deskResult(ctx: EngineContext, result: IntakeDeskResult, turn: Turn): Reply {
  const { label, it, lower } = DESK_WORDS[result.source];
  switch (result.status) {
    case 'logged':
      ctx.shown(turn, result.request.id);
      return {
        ...ctx.logged(result.request, turn),
        settled: `${label}: logged as ${result.request.id} by ${turn.actor.name}.`,
      };
    case 'already-logged':
      return reply(
        [
          text(
            `${it} was logged already, as ${result.requestId} (by ${result.by}); it was not logged again.`,
          ),
        ],
        { settled: `${label}: logged as ${result.requestId} by ${result.by}.` },
      );
    case 'dismissed':
      return reply([text(`${it} is marked not a request (by ${result.by}); nothing was logged.`)], {
        notice: { text: `${lower} was marked not a request by ${result.by}.` },
        settled: `${label}: not a request (marked by ${result.by}); nothing was logged.`,
      });
    case 'incomplete':
      return reply([
        text(
          `Not complete yet: ${nextQuestion(result.fields) ?? 'a field is missing.'} Press Edit to fill it in, then log it.`,
        ),
      ]);
    case 'gone':
      return errorReply(
        result.source === 'mail'
          ? 'That mail draft is no longer waiting (it expired, or was never there). Find the mail in the privacy mailbox and log it by hand.'
          : 'That draft is no longer waiting (it expired, or was never there). Find the request where it was sent from and log it by hand.',
      );
  }
}
