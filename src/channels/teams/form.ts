import { z } from 'zod';
import type { Reply, Turn } from '../../core/conversation/reply.js';
import { todayIn } from '../../core/requests/input.js';
import { checkNewRequest, type Problem } from '../../core/requests/new-request.js';
import type { NewRequest } from '../../core/requests/register.js';
import type { TeamsContext } from './context.js';
import { errorReply, textReply } from './render.js';

/**
 * The request form's submission (the card is `requestFormCard` in cards.ts): checked with the
 * core's one schema of a new request, claimed once (a double click logs one request), and handed
 * to the engine.
 */

/** The form's own key (one claim per form); its fields are the core's new request. */
const formSchema = z.looseObject({ formId: z.string().regex(/^[A-Za-z0-9-]{8,64}$/) });

/** How the form names a field that was left empty. */
const FORM_LABELS: Partial<Record<Problem['field'], string>> = {
  type: 'the request type',
  regime: 'the law',
  received: 'the received date',
  requesterName: "the requester's name",
  contact: "the requester's email, phone number or postal address",
};

export async function submitForm(ctx: TeamsContext, value: object, base: Omit<Turn, 'text'>): Promise<Reply> {
  const form = formSchema.safeParse(value);
  if (!form.success)
    return errorReply(
      'Some of the form\'s fields could not be read (formId). Say "log a request" for a new form.',
    );
  const { formId } = form.data;
  // The core's one schema of a new request, as the Slack modal, the one-line intake and the CLI use.
  const today = todayIn(base.now, base.actor.timeZone ?? ctx.options.defaultTimeZone);
  const checked = checkNewRequest(value, { today, form: true });
  if (!checked.ok) {
    const missing = checked.problems.filter((p) => p.missing).map((p) => FORM_LABELS[p.field] ?? p.field);
    if (missing.length > 0)
      return errorReply(`Please fill in ${missing.join(', ')}, then press "Log request" again.`);
    return errorReply(checked.problems[0]!.message);
  }
  const store = ctx.options.store;
  // A double click sends two submissions within milliseconds: the atomic claim lets one through.
  if (!(await store.claimForm(formId, base.now))) {
    const id = await store.formResult(formId);
    return textReply(
      id
        ? `This form was already submitted: it logged ${id}.`
        : 'This form is being submitted already. If no confirmation follows within a minute, press "Log request" again.',
    );
  }
  return logOnce(ctx, formId, checked.request, base);
}

/** Logs the form's request; the claim is completed with the id, or released for another try. */
async function logOnce(
  ctx: TeamsContext,
  formId: string,
  input: NewRequest,
  base: Omit<Turn, 'text'>,
): Promise<Reply> {
  const store = ctx.options.store;
  let reply: Reply;
  try {
    reply = await ctx.options.engine.submitRequest(input, base);
  } catch (error) {
    await store.releaseForm(formId);
    throw error;
  }
  const logged = reply.blocks.find((b) => b.kind === 'request');
  if (logged?.kind === 'request') await store.completeForm(formId, logged.request.id, base.now);
  else await store.releaseForm(formId); // Invalid input: correct it and submit again.
  return reply;
}
