import {
  type ActionButton,
  type Block,
  holdText,
  type Reply,
  type RequestView,
  requesterText,
  sourcesOf,
} from '../../core/conversation/reply.js';
import { FORM_REQUEST_TYPES, REGIME_LABELS, REGIMES } from '../../core/requests/deadlines.js';

/**
 * The core's reply as an Adaptive Card 1.5, the newest version Teams renders
 * (learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/cards-reference).
 * Everything a person typed and everything quoted from a policy goes into TextRun elements, which
 * are never read as markdown, so a name such as `[click](https://evil)` or `<b>x</b>` shows as
 * typed and cannot become a link. Buttons are Action.Submit whose data the channel routes back.
 */

export const CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
export const CARD_VERSION = '1.5';

export type CardElement = Record<string, unknown>;

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: string;
  body: CardElement[];
  /** Teams-only: full-width cards fit request lists (learn.microsoft.com/.../cards-format#full-width-adaptive-card). */
  msteams?: { width: 'Full' };
}

/** What every Action.Submit carries back; the channel routes on `action`. */
export interface SubmitData {
  action: string;
  value?: string;
  questionId?: string;
  vote?: 'helpful' | 'not-helpful';
  formId?: string;
}

/**
 * Bot messages above about 40 KB of UTF-16 are refused with 413 MessageSizeTooBig (older limit in
 * learn.microsoft.com/microsoftteams/platform/bots/how-to/format-your-bot-messages; newer tenants
 * allow 100 KB): a card stays under 18,000 characters, about 36 KB, and is shortened otherwise.
 */
export const MAX_CARD_CHARS = 18_000;

interface Limits {
  text: number;
  quote: number;
  citations: number;
  listItems: number;
  trail: number;
}

const FULL: Limits = { text: 4000, quote: 1000, citations: 5, listItems: 20, trail: 15 };
const COMPACT: Limits = { text: 1500, quote: 300, citations: 3, listItems: 8, trail: 5 };

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 12)).trimEnd()}… (shortened)`;
}

function card(body: CardElement[], fullWidth = false): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: CARD_VERSION,
    body,
    ...(fullWidth ? { msteams: { width: 'Full' as const } } : {}),
  };
}

interface Run {
  text: string;
  weight?: 'bolder';
  italic?: boolean;
  color?: 'attention' | 'good' | 'warning' | 'accent';
  isSubtle?: boolean;
}

/** One line of literal text; newlines become separate blocks since TextRun renders them unevenly. */
function rich(runs: Run[], spacing?: 'none' | 'small' | 'medium'): CardElement {
  return {
    type: 'RichTextBlock',
    inlines: runs.map((r) => ({ type: 'TextRun', ...r })),
    ...(spacing ? { spacing } : {}),
  };
}

function paragraphs(text: string, extra: Omit<Run, 'text'> = {}): CardElement[] {
  return text
    .split(/\r?\n/)
    .map((line, i) => rich([{ text: line || ' ', ...extra }], i === 0 ? undefined : 'none'));
}

/** A heading made only of system values (ids, enum labels), never of what someone typed. */
function heading(text: string, size: 'medium' | 'default' = 'medium'): CardElement {
  return { type: 'TextBlock', text, weight: 'bolder', size, wrap: true };
}

function fact(label: string, value: string): CardElement {
  return rich([{ text: `${label}: `, weight: 'bolder' }, { text: value }], 'none');
}

// Data is always an object: Teams merges the card's input values into an object's properties, and
// sends a string as is (adaptivecards.io/explorer/Action.Submit.html).
function submit(title: string, data: SubmitData, style?: 'positive' | 'destructive'): CardElement {
  return { type: 'Action.Submit', title, data, ...(style ? { style } : {}) };
}

/** The core's buttons; `primary` and `danger` map to Adaptive Cards 1.2's positive and destructive styles. */
function buttonsOf(buttons: ActionButton[]): CardElement {
  return {
    type: 'ActionSet',
    actions: buttons.map((b) =>
      submit(
        b.label,
        { action: b.action, value: b.value },
        b.style === 'primary' ? 'positive' : b.style === 'danger' ? 'destructive' : undefined,
      ),
    ),
  };
}

function whenText(r: RequestView): string {
  if (r.outcome) return `closed: ${r.outcome}`;
  if (r.daysLeft < 0) return `${-r.daysLeft} days overdue`;
  return r.daysLeft === 0 ? 'due today' : `${r.daysLeft} days left`;
}

function requestSummary(r: RequestView): string {
  const hold = r.onHold ? ` · on hold since ${r.onHold.since}` : '';
  return `${r.id} · ${r.type} (${r.regimeLabel}) · ${r.status}${hold} · due ${r.due} (${whenText(r)}) · owner ${r.owner ?? 'unassigned'}`;
}

/** An audit-trail instant as "YYYY-MM-DD HH:MM" in the reader's zone (ISO input). */
// The core gives ISO instants in UTC; people read the trail in their own zone.
function instant(iso: string, timeZone: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(date);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

function requestBlock(
  b: Extract<Block, { kind: 'request' }>,
  limits: Limits,
  timeZone: string,
): CardElement[] {
  const r = b.request;
  const out: CardElement[] = [heading(`${r.id} · ${r.type} (${r.regimeLabel})`)];
  out.push(fact('Status', r.outcome ? `${r.status} (${r.outcome})` : r.status));
  const hold = holdText(r);
  if (hold) out.push(fact('On hold', hold));
  out.push(fact('Owner', r.owner ?? 'unassigned'));
  out.push(fact('Received', r.received));
  out.push(fact('Response due', `${r.due} (${whenText(r)}) — ${r.dueRule} [${r.dueSource}]`));
  // The core sets `requester` only for a private or privacy-channel audience; rendered as given.
  if (r.requester) out.push(fact('Requester', requesterText(r.requester)));
  else if (r.requester === null) out.push(fact('Requester', '(personal data purged)'));
  if (r.policyId) out.push(fact('Policy', r.policyId));
  if (r.extensions > 0) out.push(fact('Extensions', String(r.extensions)));
  for (const d of r.deadlines.filter((d) => d.kind !== 'response')) {
    out.push(fact(d.kind, `${d.due}${d.binding ? '' : ' (internal target)'} — ${d.rule} [${d.source}]`));
  }
  const trail = b.trail ?? [];
  if (trail.length > 0) {
    out.push({ ...heading('Audit trail', 'default'), spacing: 'medium' });
    // The latest entries matter most; the whole trail stays in the register and `requests show`.
    const shown = trail.slice(-limits.trail);
    if (shown.length < trail.length)
      out.push(
        rich([{ text: `(${trail.length - shown.length} earlier entries not shown)`, isSubtle: true }]),
      );
    for (const e of shown) {
      out.push(
        rich(
          [
            { text: `${instant(e.at, timeZone)} `, isSubtle: true },
            { text: `${clip(e.actor, 100)}: ${e.action}${e.text ? ` — ${clip(e.text, 300)}` : ''}` },
          ],
          'none',
        ),
      );
    }
  }
  return out;
}

function blockElements(block: Block, limits: Limits, timeZone: string): CardElement[] {
  switch (block.kind) {
    case 'text':
      return paragraphs(clip(block.text, limits.text));
    case 'error':
      return paragraphs(
        clip(block.reference ? `${block.text} (reference ${block.reference})` : block.text, limits.text),
        { color: 'attention' },
      );
    case 'answer':
      return answerElements(block, limits);
    case 'request':
      return requestBlock(block, limits, timeZone);
    case 'request-list':
      return requestListElements(block, limits);
    case 'deadline': {
      const out: CardElement[] = [heading(`${block.regimeLabel}, received ${block.received}`)];
      out.push(fact('Response due', `${block.due} — ${block.rule} [${block.source}]`));
      for (const d of block.deadlines.filter((d) => d.kind !== 'response'))
        out.push(fact(d.kind, `${d.due} — ${d.rule} [${d.source}]`));
      return out;
    }
    case 'actions':
      return block.buttons.length > 0 ? [buttonsOf(block.buttons)] : [];
  }
}

/** An answer: its words, its sources with their quotes, and the vote buttons. */
function answerElements(block: Extract<Block, { kind: 'answer' }>, limits: Limits): CardElement[] {
  const out = paragraphs(clip(block.answer, limits.text));
  const citations = sourcesOf(block.answer, block.citations).slice(0, limits.citations);
  if (citations.length > 0) out.push({ ...heading('Sources', 'default'), spacing: 'medium' });
  for (const c of citations) {
    out.push({
      type: 'Container',
      spacing: 'small',
      items: [
        rich([{ text: `${c.policy}, ${c.section}`, weight: 'bolder' }]),
        ...(c.quote === null
          ? []
          : [rich([{ text: `“${clip(c.quote, limits.quote)}”`, italic: true }], 'none')]),
      ],
    });
  }
  if (block.citations.length > citations.length)
    out.push(rich([{ text: `(${block.citations.length - citations.length} more sources)`, isSubtle: true }]));
  // Votes carry the core's question id; the channel keeps one per person and question.
  out.push({
    type: 'ActionSet',
    actions: [
      submit('Helpful', { action: 'answer.vote', questionId: block.questionId, vote: 'helpful' }),
      submit('Not helpful', { action: 'answer.vote', questionId: block.questionId, vote: 'not-helpful' }),
    ],
  });
  return out;
}

/** A list of requests, each row a button that opens it; the core caps lists at 50, a card shows fewer. */
function requestListElements(block: Extract<Block, { kind: 'request-list' }>, limits: Limits): CardElement[] {
  const out: CardElement[] = [heading(block.title)];
  if (block.requests.length === 0) return [...out, ...paragraphs(block.empty)];
  const shown = block.requests.slice(0, limits.listItems);
  for (const r of shown) {
    // The whole row is the button: selectAction on a Container (Adaptive Cards 1.0+).
    out.push({
      type: 'Container',
      spacing: 'small',
      separator: true,
      selectAction: submit(`Open ${r.id}`, { action: 'request.show', value: r.id }),
      items: [
        rich([
          {
            text: requestSummary(r),
            ...(r.daysLeft < 0 && !r.outcome ? { color: 'attention' as const } : {}),
          },
        ]),
      ],
    });
  }
  const hidden = block.requests.length - shown.length;
  const select =
    hidden > 0 ? `${hidden} more not shown. Select a request to open it.` : 'Select a request to open it.';
  out.push(rich([{ text: select, isSubtle: true }], 'small'));
  return out;
}

// Full width for requests and lists, whose lines are long; short replies keep Teams' default width.
function render(reply: Reply, limits: Limits, timeZone: string): AdaptiveCard {
  const body = reply.blocks.flatMap((b) => blockElements(b, limits, timeZone));
  const wide = reply.blocks.some((b) => b.kind === 'request-list' || b.kind === 'request');
  return card(body.length > 0 ? body : paragraphs(' '), wide);
}

/**
 * The reply as one card, shortened step by step until it fits {@link MAX_CARD_CHARS}: fewer list
 * rows and trail entries first, and as a last resort the plain text, clipped.
 */
export function replyCard(reply: Reply, timeZone = 'UTC'): AdaptiveCard {
  for (const limits of [FULL, COMPACT]) {
    const rendered = render(reply, limits, timeZone);
    if (JSON.stringify(rendered).length <= MAX_CARD_CHARS) return rendered;
  }
  return textCard(clip(reply.text, 6000));
}

/** A card with one paragraph per line of literal text. */
export function textCard(text: string, tone?: 'attention'): AdaptiveCard {
  return card(paragraphs(clip(text, 6000), tone ? { color: tone } : {}));
}

export interface RequestFormOptions {
  /** A fresh id per form, so that a second press of "Log request" cannot log it twice. */
  formId: string;
  /** Today in the reader's time zone: the default and the latest received date. */
  today: string;
  policies: { id: string; name: string }[];
  /** Shown when the form is posted where others can see the conversation. */
  shared: boolean;
}

const INTAKE_CHANNELS = ['email', 'web form', 'phone', 'post', 'in person', 'chat'];

function choice(title: string, value: string) {
  return { title, value };
}

/** The form behind "log a request": the fields of the register's NewRequest. */
export function requestFormCard(options: RequestFormOptions): AdaptiveCard {
  const body: CardElement[] = [
    heading('Log a rights request'),
    {
      type: 'TextBlock',
      wrap: true,
      isSubtle: true,
      size: 'small',
      text: options.shared
        ? 'What you type stays on your screen until you submit; the reply here will not show the requester.'
        : 'The deadline is computed from the law, the country and the received date.',
    },
    {
      type: 'Input.ChoiceSet',
      id: 'type',
      label: 'Request type',
      isRequired: true,
      errorMessage: 'Choose the type of request.',
      choices: FORM_REQUEST_TYPES.map((t) => choice(t.replace(/-/g, ' '), t)),
    },
    ...requesterInputs(),
    ...caseInputs(options.today),
  ];
  if (options.policies.length > 0) {
    body.push({
      type: 'Input.ChoiceSet',
      id: 'policyId',
      label: 'Policy, optional',
      choices: options.policies.slice(0, 100).map((p) => choice(`${p.name} (${p.id})`, p.id)),
    });
  }
  body.push(
    { type: 'Input.Text', id: 'note', label: 'Notes, optional', isMultiline: true, maxLength: 2000 },
    {
      type: 'ActionSet',
      actions: [submit('Log request', { action: 'request.submit', formId: options.formId }, 'positive')],
    },
  );
  return card(body);
}

/** The requester: name, then any one of email, phone and postal address. */
function requesterInputs(): CardElement[] {
  return [
    {
      type: 'Input.Text',
      id: 'requesterName',
      label: 'Requester name',
      isRequired: true,
      maxLength: 200,
      errorMessage: 'Enter the requester’s name.',
    },
    // Any one contact will do (a request by post or phone may come without an email); the bot
    // checks that one was given, as the card cannot require one of several inputs.
    {
      type: 'Input.Text',
      id: 'requesterEmail',
      label: 'Requester email (or a phone number or postal address below)',
      style: 'email',
      maxLength: 254,
      // A client-side hint only (Adaptive Cards 1.3 input validation); the register checks again.
      regex: '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$',
      errorMessage: 'Enter an email address such as jane@example.com.',
    },
    {
      type: 'Input.Text',
      id: 'requesterPhone',
      label: 'Requester phone, optional',
      style: 'tel',
      maxLength: 40,
    },
    {
      type: 'Input.Text',
      id: 'requesterAddress',
      label: 'Requester postal address, optional (for a request by post)',
      isMultiline: true,
      maxLength: 300,
    },
  ];
}

/** The law, the country, the day it arrived (not after `today`), how it arrived, and who owns it. */
function caseInputs(today: string): CardElement[] {
  return [
    {
      type: 'Input.ChoiceSet',
      id: 'regime',
      label: 'Law',
      isRequired: true,
      errorMessage: 'Choose the law the request is made under.',
      choices: REGIMES.map((r) => choice(REGIME_LABELS[r], r)),
    },
    {
      type: 'Input.Text',
      id: 'country',
      label: 'Country, optional (ISO code such as DE, or DE-BY with a region)',
      maxLength: 6,
      regex: '^[A-Za-z]{2}(-[A-Za-z0-9]{1,3})?$',
      errorMessage: 'Use a two-letter country code such as DE.',
    },
    {
      // Input.Date sends YYYY-MM-DD whatever the reader's locale shows, as the register expects.
      type: 'Input.Date',
      id: 'received',
      label: 'Received on',
      isRequired: true,
      value: today,
      max: today,
      errorMessage: 'Give the day the request arrived (not in the future).',
    },
    {
      type: 'Input.ChoiceSet',
      id: 'channel',
      label: 'Arrived by',
      value: 'email',
      choices: INTAKE_CHANNELS.map((c) => choice(c, c)),
    },
    { type: 'Input.Text', id: 'owner', label: 'Owner, optional', maxLength: 100 },
  ];
}
