import type { types } from '@slack/bolt';
import { FORM_REQUEST_TYPES, REGIME_LABELS, REGIMES } from '../../core/requests/deadlines.js';
import { checkNewRequest, type Problem } from '../../core/requests/new-request.js';
import type { NewRequest } from '../../core/requests/register.js';
import { context, plain } from './render.js';

/**
 * The "log a rights request" modal: its view, and reading a submission back into the core's
 * {@link NewRequest}. Fields are checked with the core's one schema of a new request
 * (`core/requests/new-request.ts`), so the modal, the Teams card and the register never disagree
 * about what is valid; the register validates again when it writes.
 */
export const INTAKE_CALLBACK_ID = 'intake.submit';

/** How the request reached the company (the register's free-text `channel`). */
export const INTAKE_CHANNELS = ['email', 'web form', 'chat', 'phone', 'post', 'in person', 'other'] as const;

export interface IntakePrefill {
  email?: string;
  note?: string;
  received?: string;
  channel?: string;
}

export interface PolicyChoice {
  id: string;
  name: string;
}

const option = (value: string, label: string): types.PlainTextOption => ({
  text: plain(label, 75),
  value,
});

function input(
  blockId: string,
  label: string,
  element: types.InputBlock['element'],
  optional = false,
  hint?: string,
): types.InputBlock {
  return {
    type: 'input',
    block_id: blockId,
    label: plain(label, 2000),
    element,
    optional,
    ...(hint ? { hint: plain(hint, 2000) } : {}),
  };
}

/** The modal, pre-filled where a message shortcut found something; `today` in the viewer's zone. */
export function intakeModal(options: {
  today: string;
  policies: PolicyChoice[];
  prefill?: IntakePrefill;
}): types.ModalView {
  const { today, policies, prefill = {} } = options;
  const blocks: types.KnownBlock[] = [
    context([
      'The requester’s name and contact go into the register and are shown only to the privacy team, in private.',
    ]),
    input('type', 'Request type', {
      type: 'static_select',
      action_id: 'value',
      placeholder: plain('Choose a type'),
      options: FORM_REQUEST_TYPES.map((t) => option(t, t.replace(/-/g, ' '))),
    }),
    ...requesterInputs(prefill),
    ...whereAndWhenInputs(today, prefill),
    policyInput(policies),
    noteInput(prefill),
  ];
  return {
    type: 'modal',
    callback_id: INTAKE_CALLBACK_ID,
    // Modal title, submit and close labels are limited to 24 characters.
    title: plain('Log a rights request', 24),
    submit: plain('Log request', 24),
    close: plain('Cancel', 24),
    blocks,
  };
}

/** The requester: name, then any one of email, phone and postal address. */
function requesterInputs(prefill: IntakePrefill): types.InputBlock[] {
  return [
    input('name', 'Requester name', {
      type: 'plain_text_input',
      action_id: 'value',
      max_length: 200,
    }),
    // Slack checks the address shape in the client before the form can be submitted
    // (docs.slack.dev/reference/block-kit/block-elements/email-input-element); the register checks again.
    // Any one contact will do: a request by post or phone may come with no email.
    input(
      'email',
      'Requester email',
      {
        type: 'email_text_input',
        action_id: 'value',
        ...(prefill.email ? { initial_value: prefill.email.slice(0, 320) } : {}),
      },
      true,
      'Give an email, a phone number or a postal address (at least one).',
    ),
    input('phone', 'Requester phone', { type: 'plain_text_input', action_id: 'value', max_length: 40 }, true),
    input(
      'address',
      'Requester postal address',
      { type: 'plain_text_input', action_id: 'value', multiline: true, max_length: 300 },
      true,
      'For a request by post: the address to reply to.',
    ),
  ];
}

/** The law, the country, the day it arrived, how it arrived, and who owns it. */
function whereAndWhenInputs(today: string, prefill: IntakePrefill): types.InputBlock[] {
  const channel = prefill.channel ?? 'email';
  return [
    input('regime', 'Law', {
      type: 'static_select',
      action_id: 'value',
      placeholder: plain('Choose the law'),
      options: REGIMES.map((r) => option(r, REGIME_LABELS[r])),
    }),
    input(
      'country',
      'Country',
      { type: 'plain_text_input', action_id: 'value', max_length: 10, placeholder: plain('DE, or DE-BY') },
      true,
      'Whose public holidays count; leave empty for the law’s home country.',
    ),
    // The datepicker returns YYYY-MM-DD, the register's own format; it starts at the reader's today.
    input('received', 'Received on', {
      type: 'datepicker',
      action_id: 'value',
      initial_date: prefill.received ?? today,
    }),
    input('channel', 'Arrived by', {
      type: 'static_select',
      action_id: 'value',
      options: INTAKE_CHANNELS.map((c) => option(c, c)),
      initial_option: option(channel, channel),
    }),
    // A user picker yields a Slack user id: owners are recorded by id, as `assign @person` does.
    input('owner', 'Owner', { type: 'users_select', action_id: 'value' }, true),
  ];
}

/** The policy: a menu, or a text field past a static select's 100 options. */
function policyInput(policies: PolicyChoice[]): types.InputBlock {
  if (policies.length > 0 && policies.length <= 100)
    return input(
      'policy',
      'Policy',
      {
        type: 'static_select',
        action_id: 'value',
        options: policies.map((p) => option(p.id, p.name === p.id ? p.id : `${p.name} (${p.id})`)),
      },
      true,
      'The policy whose own response promise applies, if any.',
    );
  return input(
    'policy',
    'Policy id',
    { type: 'plain_text_input', action_id: 'value', max_length: 100 },
    true,
  );
}

/** Notes, up to the core's 2,000 characters. */
function noteInput(prefill: IntakePrefill): types.InputBlock {
  return input(
    'note',
    'Notes',
    {
      type: 'plain_text_input',
      action_id: 'value',
      multiline: true,
      max_length: 2000,
      ...(prefill.note ? { initial_value: prefill.note.slice(0, 2000) } : {}),
    },
    true,
  );
}

type StateValue = {
  value?: string | null;
  selected_option?: { value: string } | null;
  selected_date?: string | null;
  selected_user?: string | null;
};

/** A submission read back: the request, or an error per field for `response_action: errors`. */
export type IntakeResult = { ok: true; request: NewRequest } | { ok: false; errors: Record<string, string> };

/** The modal's block that shows a problem with each field of the core's new request. */
const BLOCKS: Record<Problem['field'], string> = {
  type: 'type',
  regime: 'regime',
  received: 'received',
  appealOf: 'type',
  country: 'country',
  region: 'country',
  requesterName: 'name',
  requesterEmail: 'email',
  requesterPhone: 'phone',
  requesterAddress: 'address',
  contact: 'email',
  channel: 'channel',
  owner: 'owner',
  policyId: 'policy',
  note: 'note',
  intakeKey: 'type',
};

/** A submission read with the core's one schema of a new request, as the Teams card and the CLI are. */
export function readIntake(
  state: Record<string, Record<string, StateValue>> | undefined,
  today: string,
): IntakeResult {
  // Slack sends state.values[block_id][action_id]; every input here uses the action_id `value`.
  const get = (block: string): string | undefined => {
    const v = state?.[block]?.value;
    return v?.selected_option?.value ?? v?.selected_date ?? v?.selected_user ?? v?.value ?? undefined;
  };
  const checked = checkNewRequest(
    {
      type: get('type'),
      regime: get('regime'),
      received: get('received'),
      requesterName: get('name'),
      requesterEmail: get('email'),
      requesterPhone: get('phone'),
      requesterAddress: get('address'),
      country: get('country'),
      channel: get('channel'),
      owner: get('owner'),
      policyId: get('policy'),
      note: get('note'),
    },
    { today, form: true },
  );
  if (checked.ok) return { ok: true, request: checked.request };
  const errors: Record<string, string> = {};
  for (const problem of checked.problems) {
    const block = BLOCKS[problem.field];
    // The type and the law are menus: a problem with either is a choice to make.
    errors[block] ??=
      block === 'type' ? 'Choose a request type.' : block === 'regime' ? 'Choose the law.' : problem.message;
  }
  return { ok: false, errors };
}
