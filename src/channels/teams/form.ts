import { z } from 'zod';
import type { Reply, Turn } from '../../core/conversation/reply.js';
import type { NewRequest } from '../../core/requests/register.js';
import type { TeamsContext } from './context.js';
import { errorReply, textReply } from './render.js';

/**
 * The request form's submission (the card is `requestFormCard` in cards.ts): read, checked for
 * what is missing, claimed once (a double click logs one request), and handed to the engine.
 */

const field = (max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z.string().trim().max(max).optional(),
  );

const formSchema = z.object({
  formId: z.string().regex(/^[A-Za-z0-9-]{8,64}$/),
  type: field(40),
  regime: field(40),
  received: field(20),
  requesterName: field(1000),
  requesterEmail: field(1000),
  requesterPhone: field(100),
  requesterAddress: field(1000),
  country: field(10),
  channel: field(100),
  owner: field(1000),
  policyId: field(200),
  note: field(5000),
});

const FORM_LABELS: Record<string, string> = {
  type: 'the request type',
  regime: 'the law',
  received: 'the received date',
  requesterName: "the requester's name",
};

export async function submitForm(ctx: TeamsContext, value: object, base: Omit<Turn, 'text'>): Promise<Reply> {
  const parsed = formSchema.safeParse(value);
  if (!parsed.success) {
    const bad = [...new Set(parsed.error.issues.map((i) => String(i.path[0] ?? '')))].join(', ');
    return errorReply(
      `Some of the form's fields could not be read (${bad.slice(0, 100)}). Say "log a request" for a new form.`,
    );
  }
  const form = parsed.data;
  const missing: string[] = (['type', 'regime', 'received', 'requesterName'] as const)
    .filter((k) => !form[k])
    .map((k) => FORM_LABELS[k]!);
  // Any one contact: a request by post or phone may come without an email.
  if (!form.requesterEmail && !form.requesterPhone && !form.requesterAddress)
    missing.push("the requester's email, phone number or postal address");
  if (missing.length > 0) {
    return errorReply(`Please fill in ${missing.join(', ')}, then press "Log request" again.`);
  }
  const store = ctx.options.store;
  // A double click sends two submissions within milliseconds: the atomic claim lets one through.
  if (!(await store.claimForm(form.formId, base.now))) {
    const id = await store.formResult(form.formId);
    return textReply(
      id
        ? `This form was already submitted: it logged ${id}.`
        : 'This form is being submitted already. If no confirmation follows within a minute, press "Log request" again.',
    );
  }
  // "DE-BY" is country and region, as the CLI's --country accepts it.
  const [country, region] = (form.country ?? '').split('-');
  const input: NewRequest = {
    type: form.type!,
    regime: form.regime!,
    received: form.received!,
    requesterName: form.requesterName!,
    ...(form.requesterEmail ? { requesterEmail: form.requesterEmail } : {}),
    ...(form.requesterPhone ? { requesterPhone: form.requesterPhone } : {}),
    ...(form.requesterAddress ? { requesterAddress: form.requesterAddress } : {}),
    ...(country ? { country } : {}),
    ...(region ? { region } : {}),
    ...(form.channel ? { channel: form.channel } : {}),
    ...(form.owner ? { owner: form.owner } : {}),
    ...(form.policyId ? { policyId: form.policyId } : {}),
    ...(form.note ? { note: form.note } : {}),
  };
  return logOnce(ctx, form.formId, input, base);
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
