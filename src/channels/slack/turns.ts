import type { BlockAction, ButtonAction, SlackCommandMiddlewareArgs, webApi } from '@slack/bolt';
import { castVote } from '../../core/conversation/feedback.js';
import { overLongLine, typoHint } from '../../core/conversation/input.js';
import type { Actor, Reply } from '../../core/conversation/reply.js';
import { FORM_RE, lineKind } from '../../core/conversation/understand.js';
import { SLACK_COMMAND } from './channel.js';
import type { Respond, SlackContext } from './context.js';
import { ephemeral, failure, notice, threadDelivery, unreported } from './delivery.js';
import { guestHomeView, teamHomeView } from './home.js';
import { openIntakeForm } from './intake.js';
import { fromSlackText } from './mrkdwn.js';
import {
  button,
  CORE_ACTION_PREFIX,
  FEEDBACK_ACTIONS,
  helpMessage,
  OPEN_FORM_ACTION,
  renderReply,
  replyModal,
  type SlackMessage,
  section,
  textMessage,
} from './render.js';

/**
 * The turns: a command, a mention or DM, a button, a vote, the Home tab. Each reads what Slack
 * sent, asks the engine, and hands the rendered reply to delivery; what is said is the core's.
 */

/**
 * What Slack answers itself once the asker is known: the help list (with the slash command) and
 * the core's typo hint; undefined when the engine should read the line.
 */
function answeredHere(ctx: SlackContext, text: string, actor: Actor): SlackMessage | undefined {
  const meant = lineKind(text, ctx.now());
  if (meant === 'help') return helpMessage(SLACK_COMMAND, actor.isPrivacyTeam);
  const hint = typoHint(text, ctx.now(), { command: SLACK_COMMAND, kind: meant });
  return hint ? textMessage(hint) : undefined;
}

/** Events carry no trigger_id, so the form cannot open from a message: a button that can. */
const OPEN_FORM_MESSAGE: SlackMessage = {
  text: 'Open the form to log a rights request.',
  blocks: [
    section('The form keeps the requester’s details private to the privacy team.'),
    {
      type: 'actions',
      elements: [button(OPEN_FORM_ACTION, 'Log a rights request', 'open', 'primary')],
    },
  ],
};

/** `/privacy …`: answered ephemerally through the command's response_url, after an empty ack. */
export async function onCommand(
  ctx: SlackContext,
  { command, ack, respond }: SlackCommandMiddlewareArgs,
): Promise<void> {
  // Slack needs the ack within 3 s; the answer follows through response_url.
  await ack();
  await ctx.turns.next();
  // A response_url takes up to five messages within 30 minutes
  // (docs.slack.dev/interactivity/handling-user-interaction#message_responses); we use one or two.
  const reply = (message: SlackMessage) =>
    respond({ response_type: 'ephemeral', text: message.text, blocks: message.blocks });
  try {
    const text = fromSlackText(command.text ?? '').trim();
    const overLong = overLongLine(text);
    if (overLong) {
      await reply(textMessage(overLong));
      return;
    }
    // The trigger_id expires 3 s after the command; open the form before anything slow.
    if (FORM_RE.test(text)) {
      await openIntakeForm(ctx, command.trigger_id, command.user_id);
      return;
    }
    const actor = await ctx.actorFor(command.user_id);
    const here = answeredHere(ctx, text, actor);
    if (here) {
      await reply(here);
      return;
    }
    // Computing the answer is the CPU-heavy part: let requests still arriving be acked first.
    await ctx.turns.next();
    const answer = await ctx.options.engine.handle({ text, actor, audience: 'private', now: ctx.now() });
    await reply(renderReply(answer, { mentions: true }));
    await notice(ctx, answer);
  } catch (error) {
    const message = failure(ctx, error, 'answering your command');
    // When the response_url itself failed (expired after 30 minutes, or Slack is down), a DM is
    // the only way left to tell the person.
    await reply(message)
      .catch(() => ctx.notifier.dm(command.user_id, message))
      .catch(unreported(ctx));
  }
}

/** Only the asker sees errors, buttons of the intake, and (never expected) personal data in public. */
function onlyAsker(reply: Reply, audience: ReturnType<SlackContext['audienceOf']>): boolean {
  return (
    reply.blocks.some((b) => b.kind === 'error') ||
    reply.blocks.some((b) => b.kind === 'actions' && b.buttons.some((x) => x.action.startsWith('intake.'))) ||
    // The core never gives a shared audience personal data; if it ever did, it stays private.
    (reply.personal && audience === 'shared')
  );
}

/** The text of a mention without the bot's own mention; other mentions stay (as user ids). */
function mentionText(text: string, botUserId: string | undefined): string {
  const own = botUserId
    ? new RegExp(`<@${botUserId}(?:\\|[^>]*)?>`, 'g')
    : /^\s*<@[UW][A-Z0-9]+(?:\|[^>]*)?>/;
  return fromSlackText(text.replace(own, ' ')).trim();
}

/** A mention in a channel (answered in its thread) or a direct message (answered in the DM). */
export async function onMessage(
  ctx: SlackContext,
  m: { user: string; channel: string; text: string; threadTs?: string; botUserId?: string },
): Promise<void> {
  await ctx.turns.next();
  const audience = ctx.audienceOf(m.channel);
  const { post, whisper } = threadDelivery(ctx, m, audience);
  try {
    const text = mentionText(m.text, m.botUserId);
    const overLong = overLongLine(text);
    if (overLong) {
      await whisper(textMessage(overLong));
      return;
    }
    if (FORM_RE.test(text)) {
      await whisper(OPEN_FORM_MESSAGE);
      return;
    }
    const actor = await ctx.actorFor(m.user);
    const here = answeredHere(ctx, text, actor);
    if (here) {
      await whisper(here);
      return;
    }
    const reply = await ctx.options.engine.handle({ text, actor, audience, now: ctx.now() });
    const rendered = renderReply(reply, { mentions: false });
    await (onlyAsker(reply, audience) ? whisper(rendered) : post(rendered));
    await notice(ctx, reply);
  } catch (error) {
    await whisper(failure(ctx, error, 'answering your message')).catch(unreported(ctx));
  }
}

/** What a modal opened from the Home tab shows until the button's reply fills it in. */
const WORKING_MODAL = replyModal('Request', {
  blocks: [{ kind: 'text', text: 'Working on it…' }],
  text: '',
  personal: false,
});

/** `stored` is called once the engine has acted (the change is stored, or it failed). */
export async function onCoreAction(
  ctx: SlackContext,
  body: BlockAction,
  action: ButtonAction,
  respond: Respond,
  stored?: () => void,
): Promise<void> {
  await ctx.turns.next();
  const name = action.action_id.slice(CORE_ACTION_PREFIX.length);
  const inView = body.container?.type === 'view' || (!body.response_url && body.view);
  // The reply replaces an ephemeral message or a DM of ours (so buttons cannot be pressed twice);
  // in a channel it is a new ephemeral message for the person who pressed.
  const replace = Boolean(body.container?.is_ephemeral) || Boolean(body.channel?.id?.startsWith('D'));
  try {
    // From the Home tab the reply opens in a modal. The trigger_id is valid for 3 s only
    // (docs.slack.dev/surfaces/modals#opening), so the modal opens at once and is filled in after.
    const modalId =
      inView && body.view?.type === 'home'
        ? (await ctx.client.views.open({ trigger_id: body.trigger_id, view: WORKING_MODAL })).view?.id
        : body.view?.type === 'modal'
          ? body.view.id
          : undefined;
    const actor = await ctx.actorFor(body.user.id);
    // Every button reply is read by the presser alone: ephemeral, DM, modal or Home.
    const reply = await ctx.options.engine.act(name, action.value ?? '', {
      actor,
      audience: 'private',
      now: ctx.now(),
    });
    stored?.();
    if (inView && modalId) {
      const modal = replyModal(name === 'request.show' ? 'Request' : 'Done', reply);
      await ctx.client.views.update({ view_id: modalId, view: modal });
      if (name !== 'request.show') await publishHome(ctx, body.user.id);
    } else {
      // A draft everyone in the channel sees (a mail's): it now says what became of it, without
      // its buttons. Through the same response_url, which may be used up to five times.
      if (reply.settled && !replace)
        await respond({ replace_original: true, text: reply.settled, blocks: [section(reply.settled)] });
      await respond(ephemeral(renderReply(reply, { mentions: true }), replace));
    }
    await notice(ctx, reply);
  } catch (error) {
    const message = failure(ctx, error, 'handling that button');
    await (inView ? ctx.notifier.dm(body.user.id, message) : respond(ephemeral(message))).catch(
      unreported(ctx),
    );
  }
}

export async function onFeedback(
  ctx: SlackContext,
  body: BlockAction,
  action: ButtonAction,
  respond: Respond,
): Promise<void> {
  await ctx.turns.next();
  // A new ephemeral message, so the answer the vote is about stays on screen.
  const say = (text: string) => respond({ response_type: 'ephemeral', replace_original: false, text });
  try {
    const value = JSON.parse(action.value ?? '{}') as { q?: unknown; c?: unknown };
    await say(
      await castVote(ctx.options.feedback, {
        questionId: String(value.q ?? ''),
        user: body.user.id,
        vote: action.action_id === FEEDBACK_ACTIONS.helpful ? 'helpful' : 'not-helpful',
        clauses: Array.isArray(value.c) ? value.c.map(String) : [],
        at: ctx.now().toISOString(),
      }),
    );
  } catch (error) {
    const message =
      error instanceof SyntaxError
        ? textMessage('That vote could not be read.')
        : failure(ctx, error, 'saving your vote');
    await respond({
      response_type: 'ephemeral',
      replace_original: false,
      text: message.text,
      blocks: message.blocks,
    }).catch(unreported(ctx));
  }
}

/** Publishes the viewer's Home tab. */
export async function publishHome(ctx: SlackContext, userId: string): Promise<void> {
  await ctx.turns.next();
  try {
    const actor = await ctx.actorFor(userId);
    let view: webApi.ViewsPublishArguments['view'];
    if (actor.isPrivacyTeam) {
      const now = ctx.now();
      // The same three lists a person would ask for; the core applies the team-only rule again.
      const lists = await Promise.all(
        ['requests mine', 'requests due soon', 'requests overdue'].map((text) =>
          ctx.options.engine.handle({ text, actor, audience: 'private', now }),
        ),
      );
      const zone = actor.timeZone ?? ctx.options.defaultTimeZone;
      const updated = `${new Intl.DateTimeFormat('en-GB', { timeZone: zone, dateStyle: 'medium', timeStyle: 'short' }).format(now)} (${zone})`;
      view = teamHomeView(lists, updated);
    } else {
      view = guestHomeView(SLACK_COMMAND);
    }
    await ctx.client.views.publish({ user_id: userId, view });
  } catch (error) {
    const message = failure(ctx, error, 'showing your Home tab');
    await ctx.client.views
      .publish({ user_id: userId, view: { type: 'home', blocks: message.blocks } })
      .catch(unreported(ctx));
  }
}
