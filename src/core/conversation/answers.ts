import { computeDeadlines, daysLeft, homeJurisdiction, REGIME_LABELS } from '../requests/deadlines.js';
import { type EngineContext, reply, text } from './context.js';
import type { Block, Reply, Turn } from './reply.js';
import { resolve } from './resolve.js';
import { onTopic, type Understanding } from './understand.js';

/** Answers that change nothing: policy questions, deadlines, small talk, and questions asked back. */

/** Short replies to small talk and noise: each points to `help`. */
export const SMALLTALK: Record<Extract<Understanding, { kind: 'smalltalk' }>['what'], string> = {
  greeting:
    'Hello! Ask me about the privacy policy (e.g. "how long do we keep logs?"), log a request in one line, or type "help" to see everything I can do.',
  thanks: 'You\'re welcome! Anything else, just ask; "help" shows everything I can do.',
  ack: 'OK. Type "help" any time to see what I can do.',
  'no-draft': 'There is nothing waiting to be logged (or it expired). Type "help" to see what I can do.',
  noise:
    'Sorry, I did not understand that. Type "help" to see what I can do, or try "how long do we keep logs?" or "what\'s due this week".',
};

/** "request" in the console chat, which has no form. */
export const NO_FORM =
  'This chat has no request form: type the request in one line instead, e.g. "new DSAR from jane@example.com, received yesterday, she\'s in Spain". In Slack and Teams, "request" opens the request form.';

/** A question for the policy, answered with quotes (with the LLM's help where there is one). */
export async function ask(ctx: EngineContext, question: string, turn: Turn): Promise<Reply> {
  const { assistant, answerer } = ctx.options;
  const answer = assistant ? await assistant.askAssisted(question) : answerer.ask(question);
  // Unanswered and not about privacy work at all ("what's the weather like"): say so briefly.
  if (!answer.found && !onTopic(question)) return reply([text(SMALLTALK.noise)]);
  const questionId = `${turn.now.getTime().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  return reply([
    { kind: 'answer', answer: answer.answer, found: answer.found, citations: answer.citations, questionId },
  ]);
}

/**
 * A question asked back ("close 0003 as what?"). One about a request checks that the request is
 * there (else the answer would only lead to "not found"), and remembers it for the next line.
 */
export async function clarify(
  ctx: EngineContext,
  meant: Extract<Understanding, { kind: 'clarify' }>,
  turn: Turn,
): Promise<Reply> {
  if (meant.deadline) ctx.askedDeadline.set(turn.actor.id, meant.deadline);
  if (!meant.ref) return reply([text(meant.question)]);
  ctx.requireTeam(turn.actor);
  const id = await resolve(ctx, meant.ref, turn);
  await ctx.requireRegister().get(id);
  ctx.askedOutcome.set(turn.actor.id, id);
  return reply([text(meant.question)]);
}

/** A law's deadline for a request received on a day, with its rule; "and under lgpd?" asks it again. */
export function deadline(
  ctx: EngineContext,
  meant: Extract<Understanding, { kind: 'deadline' }>,
  turn: Turn,
): Reply {
  ctx.askedDeadline.set(turn.actor.id, meant);
  const { regime, received } = meant;
  const today = ctx.today(turn);
  const home = homeJurisdiction(regime, ctx.options.defaultCountry);
  const set = computeDeadlines({
    regime,
    received,
    country: meant.country || home.country,
    region: meant.region || (meant.country ? undefined : home.region),
    ...(meant.type ? { type: meant.type } : {}),
    extended: meant.extended,
  });
  const blocks: Block[] = [
    {
      kind: 'deadline',
      regimeLabel: REGIME_LABELS[regime],
      received,
      due: set.due,
      rule: set.rule,
      source: set.source,
      deadlines: set.deadlines,
    },
  ];
  if (!meant.receivedSaid)
    blocks.unshift(text(`No received date given, so counted from today, ${received}.`));
  // A day still to come is a what-if ("when would it be due if it comes in on the 20th?"): it is
  // computed and labelled so. Logging a request still refuses a received day in the future.
  else if (received > today)
    blocks.unshift(
      text(
        `What-if: ${received} is still to come, so this is the deadline if the request arrives that day. Nothing is logged.`,
      ),
    );
  // "are we late?": the answer in words, beside the dates.
  else blocks.push(text(lateness(daysLeft(set.due, today))));
  return reply(blocks);
}

function lateness(left: number): string {
  if (left < 0) return `That was ${-left} day${left === -1 ? '' : 's'} ago: the response is overdue.`;
  if (left === 0) return 'That is today.';
  return `${left} day${left === 1 ? '' : 's'} left.`;
}
