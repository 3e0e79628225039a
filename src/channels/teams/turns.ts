import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { castVote, VOTES } from '../../core/conversation/feedback.js';
import { overLongLine, typoHint } from '../../core/conversation/input.js';
import type { Reply, Turn } from '../../core/conversation/reply.js';
import { FORM_RE } from '../../core/conversation/understand.js';
import { todayIn } from '../../core/requests/input.js';
import { audienceOf, messageText, type TeamsActivity } from './activity.js';
import type { TurnHandle } from './bot-framework.js';
import { CARD_CONTENT_TYPE, requestFormCard, textCard } from './cards.js';
import { type TeamsContext, timeZoneOf, turnOf, within } from './context.js';
import { deliver, deliverLate, notice, replyTo } from './delivery.js';
import { submitForm } from './form.js';
import { cardMessage, errorReply, replyMessage, STILL_WORKING, textReply } from './render.js';

/**
 * The turns: a message (a line for the engine, the request form, or a card's Action.Submit), an
 * Action.Execute invoke, and the welcome when the bot is added. Each becomes a core turn; the
 * engine decides what is said (delivery.ts delivers it).
 */

const submitSchema = z.looseObject({
  action: z.string().min(1).max(64),
  value: z.string().max(200).optional(),
});

const voteSchema = z.object({
  questionId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/),
  vote: z.enum(VOTES),
});

const executeSchema = z.object({
  action: z.object({
    verb: z.string().max(64).optional(),
    data: z.record(z.string(), z.unknown()).optional(),
  }),
});

export async function onMessage(ctx: TeamsContext, activity: TeamsActivity, turn: TurnHandle): Promise<void> {
  const base = turnOf(ctx, activity);
  const tz = timeZoneOf(ctx, base);
  // Action.Submit on a card in a conversation arrives as a message whose value is the card data.
  if (typeof activity.value === 'object' && activity.value !== null && !activity.text?.trim())
    return onCardSubmit(ctx, activity, activity.value, turn, base);
  const text = messageText(activity);
  // Checked before the core: its regexes and search need not see a 100 KB paste.
  const overLong = overLongLine(text);
  if (overLong) return deliver(ctx, turn, errorReply(overLong), base.audience, tz);
  if (FORM_RE.test(text)) {
    const form = requestFormCard({
      formId: randomUUID(),
      today: todayIn(base.now, tz),
      policies: ctx.options.policies,
      shared: base.audience === 'shared',
    });
    return turn.send(cardMessage(form, 'Log a rights request'));
  }
  const hint = typoHint(text, base.now);
  if (hint) return deliver(ctx, turn, textReply(hint), base.audience, tz);
  return replyTo(ctx, turn, base.audience, tz, () => ctx.options.engine.handle({ ...base, text }));
}

/** A card's Action.Submit; a mail's draft card settled by the press then says what became of it. */
function onCardSubmit(
  ctx: TeamsContext,
  activity: TeamsActivity,
  value: object,
  turn: TurnHandle,
  base: ReturnType<typeof turnOf>,
): Promise<void> {
  return replyTo(ctx, turn, base.audience, timeZoneOf(ctx, base), async () => {
    const reply = await onSubmit(ctx, value, base);
    const card = activity.replyToId;
    if (reply.settled && card)
      await turn
        .update(card, cardMessage(textCard(reply.settled)))
        .catch((error: unknown) => ctx.log.warn({ err: error }, 'could not update the settled card'));
    return reply;
  });
}

/** A card's data: a vote, the request form, or one of the engine's buttons. */
async function onSubmit(ctx: TeamsContext, value: object, base: Omit<Turn, 'text'>): Promise<Reply> {
  const data = submitSchema.safeParse(value);
  if (!data.success)
    return errorReply('I could not read that card action. Type "help" to see what I can do.');
  switch (data.data.action) {
    case 'answer.vote':
      return vote(ctx, value, base);
    case 'request.submit':
      return submitForm(ctx, value, base);
    default:
      // The engine knows its own buttons and answers unknown ones with a clear message.
      return ctx.options.engine.act(data.data.action, data.data.value ?? '', base);
  }
}

async function vote(ctx: TeamsContext, value: object, base: Omit<Turn, 'text'>): Promise<Reply> {
  const parsed = voteSchema.safeParse(value);
  if (!parsed.success) return errorReply('That vote button is broken; ask the question again to vote.');
  const { questionId, vote } = parsed.data;
  return textReply(
    await castVote(ctx.options.feedback, {
      questionId,
      user: base.actor.id,
      vote,
      clauses: [],
      at: base.now.toISOString(),
    }),
  );
}

/**
 * Action.Execute (Universal Actions) arrives as an `adaptiveCard/action` invoke whose answer is
 * the HTTP response: a card that replaces the one pressed
 * (learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/overview).
 */
export async function onExecute(ctx: TeamsContext, activity: TeamsActivity, turn: TurnHandle): Promise<void> {
  const base = turnOf(ctx, activity);
  const tz = timeZoneOf(ctx, base);
  // value.action.verb is the Action.Execute verb; its data is what Action.Submit would send.
  const action = executeSchema.safeParse(activity.value);
  const data = action.success ? { action: action.data.action.verb, ...action.data.action.data } : {};
  const pending = onSubmit(ctx, data, base);
  const quick = await within(ctx, pending);
  if (!quick) {
    await turn.respondToInvoke(200, {
      statusCode: 200,
      type: 'application/vnd.microsoft.activity.message',
      value: STILL_WORKING,
    });
    return deliverLate(ctx, turn, pending, base.audience, tz, false);
  }
  const message = replyMessage(quick.reply, base.audience, tz);
  await turn.respondToInvoke(200, {
    statusCode: 200,
    type: CARD_CONTENT_TYPE,
    value: message.attachments?.[0]?.content,
  });
  await notice(ctx, Promise.resolve(quick.reply), base.audience);
}

/** The bot was added to a chat or team: what it does, and how to ask it there. */
export async function welcome(ctx: TeamsContext, activity: TeamsActivity, turn: TurnHandle): Promise<void> {
  const audience = audienceOf(activity, ctx.options.privacyChannelId);
  const lines = [
    'Hello, I am privacy-ops. I answer questions from our privacy policies, quoting the policy, section and exact words, and I keep the register of data-subject rights requests with their legal deadlines.',
    audience === 'private'
      ? 'Ask me a question, e.g. "how long do we keep technical logs?", say "log a request", or "help" for everything I can do.'
      : 'Mention me with a question, e.g. "@privacy-ops how long do we keep technical logs?", or with "help".',
  ];
  if (audience === 'privacy-channel')
    lines.push('New requests and reminder summaries will be posted in this channel.');
  await turn.send(cardMessage(textCard(lines.join('\n')), 'Hello, I am privacy-ops.'));
}
