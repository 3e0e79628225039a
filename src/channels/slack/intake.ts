import type { ViewResponseAction } from '@slack/bolt';
import type { ConversationEngine } from '../../core/conversation/engine.js';
import type { Reply } from '../../core/conversation/reply.js';
import { toAppError } from '../../core/errors.js';
import { todayIn } from '../../core/requests/input.js';
import { type SlackContext, WRITE_BUDGET_MS, within } from './context.js';
import { failure, notice, unreported } from './delivery.js';
import { slackErrorCode } from './directory.js';
import { intakeModal, readIntake } from './intake-modal.js';
import { clip, fromSlackText } from './mrkdwn.js';
import { renderReply, replyModal, textMessage } from './render.js';

/**
 * The intake form in Slack: opening it (pre-filled from a message), logging a submission once on
 * any replica, and the DM that confirms it. The form itself is intake-modal.ts.
 */

const EMAIL_RE = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/;
/** How long a logged form's view id is remembered: a second submit of it logs nothing. */
const VIEW_TTL_MS = 24 * 60 * 60_000;
/** How long a form counts as "being submitted": after a crash mid-write it can be submitted again. */
const VIEW_PENDING_MS = 30_000;

/** What replaces the form when storing it takes longer than Slack waits: no confirmation yet. */
function savingModal() {
  return replyModal('Request', {
    blocks: [
      {
        kind: 'text',
        text: 'Still saving the request. You will get a direct message with its id once it is stored, or with what went wrong.',
      },
    ],
    text: '',
    personal: false,
  });
}

/** An ack of a view submission: empty (the form closes), field errors, or a view in its place. */
export type ViewAck = (response?: ViewResponseAction) => Promise<void>;

const BEING_SUBMITTED =
  'This form is being submitted already. Wait a moment; if no confirmation arrives, submit it again.';

/**
 * Claims a submitted form by its view id: a view keeps its id across submits, so once one was
 * logged another submit logs nothing, on any replica. While one is being written, a second is told
 * to wait; a claim left by a crash mid-write runs out after VIEW_PENDING_MS, so the person can
 * submit again. False when the ack was sent here.
 */
async function claimView(ctx: SlackContext, key: string, ack: ViewAck): Promise<boolean> {
  let claimed: boolean;
  try {
    claimed = await ctx.seen.claim(key, VIEW_PENDING_MS, { pending: true });
  } catch (error) {
    await ack({
      response_action: 'errors',
      errors: { type: failure(ctx, error, 'logging the request').text },
    });
    return false;
  }
  if (claimed) return true;
  const held = (await ctx.seen.get(key).catch(() => undefined)) as { requestId?: string } | undefined;
  if (held?.requestId) await ack();
  else await ack({ response_action: 'errors', errors: { type: BEING_SUBMITTED } });
  return false;
}

/** A submitted intake form: validated and written before the ack, confirmed by DM after it. */
export async function onIntakeSubmit(
  ctx: SlackContext,
  { ack, user, view }: { ack: ViewAck; user: string; view: { id: string; state: { values: unknown } } },
): Promise<void> {
  // Validation must finish inside the ack (3 s), so it uses the zone already cached when the
  // form was opened rather than asking Slack again.
  const zone = ctx.directory.cachedTimeZone(user) ?? ctx.options.defaultTimeZone;
  const result = readIntake(view.state.values as Parameters<typeof readIntake>[0], todayIn(ctx.now(), zone));
  // Field errors go back in the ack, keyed by block_id, so the person fixes them in the open form
  // (docs.slack.dev/surfaces/modals#displaying_errors).
  if (!result.ok) {
    await ack({ response_action: 'errors', errors: result.errors });
    return;
  }
  const key = `slack:view:${view.id}`;
  if (!(await claimView(ctx, key, ack))) return;
  // The request is written before the ack: once Slack closes the form, it is stored.
  const logging = ctx.track(logIntake(ctx, user, result.request));
  const done = await within(logging, WRITE_BUDGET_MS);
  if (!done) {
    // Slower than Slack waits: say so instead of confirming; the DM follows either way.
    await ack({ response_action: 'update', view: savingModal() });
    void logging.then((outcome) => afterIntake(ctx, key, user, outcome));
    return;
  }
  if (done.value.error) {
    // Nothing was logged: the form stays open with what to do, and can be submitted again.
    await ctx.seen.release(key).catch(() => undefined);
    await ack({ response_action: 'errors', errors: { type: done.value.error } });
    return;
  }
  await ack();
  await ctx.track(afterIntake(ctx, key, user, done.value));
}

/** Opens the intake modal; from a message shortcut, pre-filled with the message. */
export async function openIntakeForm(
  ctx: SlackContext,
  triggerId: string,
  userId: string,
  message?: { text?: string; ts?: string },
): Promise<void> {
  try {
    const zone = (await ctx.directory.timeZone(userId)) ?? ctx.options.defaultTimeZone;
    const today = todayIn(ctx.now(), zone);
    let prefill: Parameters<typeof intakeModal>[0]['prefill'];
    if (message) {
      const text = fromSlackText(message.text ?? '');
      const email = EMAIL_RE.exec(text)?.[0];
      // The request arrived when the message was posted (the clock starts on receipt).
      const posted = message.ts ? todayIn(new Date(Number(message.ts) * 1000), zone) : undefined;
      prefill = {
        ...(email ? { email } : {}),
        ...(text.trim() ? { note: clip(text.trim(), 2000, '… (shortened)') } : {}),
        ...(posted && posted <= today ? { received: posted } : {}),
        channel: 'chat',
      };
    }
    await ctx.client.views.open({
      trigger_id: triggerId,
      view: intakeModal({ today, policies: ctx.options.policies ?? [], ...(prefill ? { prefill } : {}) }),
    });
  } catch (error) {
    await ctx.notifier.dm(userId, failure(ctx, error, 'opening the request form')).catch(unreported(ctx));
  }
}

/**
 * Logs a submitted form. Runs before the ack, so it asks Slack nothing: the register records the
 * Slack user id, and the reply's dates use the zone cached when the form was opened.
 */
async function logIntake(
  ctx: SlackContext,
  userId: string,
  request: Parameters<ConversationEngine['submitRequest']>[0],
): Promise<{ reply?: Reply; requestId?: string; error?: string }> {
  try {
    const zone = ctx.directory.cachedTimeZone(userId);
    const reply = await ctx.options.engine.submitRequest(request, {
      actor: {
        id: `slack:${userId}`,
        name: userId,
        isPrivacyTeam: false,
        ...(zone ? { timeZone: zone } : {}),
      },
      audience: 'private',
      now: ctx.now(),
    });
    const logged = reply.blocks.find((b) => b.kind === 'request');
    if (logged?.kind === 'request') return { reply, requestId: logged.request.id };
    const error = reply.blocks.find((b) => b.kind === 'error');
    return {
      error:
        error?.kind === 'error' ? clip(reply.text, 1900, '…') : 'The request could not be logged; try again.',
    };
  } catch (error) {
    return { error: failure(ctx, error, 'logging the request').text };
  }
}

/** After a form was logged (or failed after a late ack): the DM with the id, the channel notice. */
async function afterIntake(
  ctx: SlackContext,
  key: string,
  userId: string,
  outcome: { reply?: Reply; requestId?: string; error?: string },
): Promise<void> {
  try {
    if (outcome.requestId && outcome.reply) {
      await ctx.seen
        .put(key, { requestId: outcome.requestId }, VIEW_TTL_MS)
        .catch((error: unknown) =>
          ctx.log.warn({ code: toAppError(error).code }, 'could not record a logged form'),
        );
      // The confirmation goes to the submitter's DM: private, so it may name the requester.
      await ctx.notifier.dm(userId, renderReply(outcome.reply, { mentions: false }));
      await notice(ctx, outcome.reply);
    } else {
      await ctx.seen.release(key).catch(() => undefined);
      await ctx.notifier.dm(
        userId,
        textMessage(
          `${outcome.error ?? 'The request could not be logged.'} Nothing was logged; open the form again to retry.`,
        ),
      );
    }
  } catch (error) {
    ctx.log.error({ slackError: slackErrorCode(error) }, 'could not confirm a logged form');
  }
}
