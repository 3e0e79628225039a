import type { types } from '@slack/bolt';
import { COMMANDS } from '../../core/conversation/engine.js';
import {
  type ActionButton,
  type Block,
  contactParts,
  holdText,
  NO_NAME,
  type Reply,
  type RequestView,
  sourcesOf,
} from '../../core/conversation/reply.js';
import { clip, escapeMrkdwn, LIMITS, splitText, who } from './mrkdwn.js';

/**
 * Renders the core's neutral {@link Reply} as Block Kit. What is said is decided by the core; this
 * module only decides how it looks, escapes every string it did not write itself, and keeps within
 * Slack's limits (50 blocks a message, 100 a view, 3,000 characters a section).
 */

export type SlackBlock = types.KnownBlock;

export interface SlackMessage {
  /** The notification and screen-reader fallback (escaped, short). */
  text: string;
  blocks: SlackBlock[];
}

export interface RenderOptions {
  /** True where a `<@U…>` mention cannot notify anyone: ephemeral messages, modals, the Home tab. */
  mentions: boolean;
  /** Block budget of the surface (messages 50, modals and Home 100). */
  maxBlocks?: number;
}

/** Core buttons carry this prefix in their action_id, so one listener routes them back to the engine. */
export const CORE_ACTION_PREFIX = 'core:';
export const FEEDBACK_ACTIONS = { helpful: 'feedback.helpful', notHelpful: 'feedback.not-helpful' } as const;
/** Opens the intake form (from a mention, a DM or the Home tab, where there was no trigger yet). */
export const OPEN_FORM_ACTION = 'intake.open-form';

const MAX_CITATIONS = 5;
const MAX_TRAIL = 15;

export function mrkdwn(text: string): types.MrkdwnElement {
  // verbatim: Slack must not auto-link URLs, #channels or @names in text that is not ours.
  return { type: 'mrkdwn', text: clip(text, LIMITS.sectionText, '… (shortened for Slack)'), verbatim: true };
}

export function plain(text: string, max: number = LIMITS.buttonText): types.PlainTextElement {
  return { type: 'plain_text', text: clip(text, max, '…'), emoji: false };
}

export function section(text: string): types.SectionBlock {
  return { type: 'section', text: mrkdwn(text) };
}

export function context(texts: string[]): types.ContextBlock {
  return {
    type: 'context',
    elements: texts.slice(0, LIMITS.contextElements).map((t) => mrkdwn(clip(t, LIMITS.fieldText))),
  };
}

export function button(
  actionId: string,
  label: string,
  value: string,
  style?: 'primary' | 'danger',
): types.Button {
  return {
    type: 'button',
    action_id: actionId,
    text: plain(label),
    value: value.slice(0, LIMITS.buttonValue),
    ...(style ? { style } : {}),
  };
}

function coreButtons(buttons: ActionButton[]): types.ActionsBlock {
  return {
    type: 'actions',
    // An actions block holds at most 25 elements.
    elements: buttons
      .slice(0, 25)
      .map((b) => button(`${CORE_ACTION_PREFIX}${b.action}`, b.label, b.value, b.style)),
  };
}

function daysText(r: RequestView): string {
  if (r.outcome) return `closed: ${escapeMrkdwn(r.outcome)}`;
  if (r.daysLeft < 0) return `*${-r.daysLeft} days overdue*`;
  if (r.daysLeft === 0) return '*due today*';
  return `${r.daysLeft} days left`;
}

/** One request as a line of a list. */
export function requestLine(r: RequestView, o: RenderOptions): string {
  return (
    `*${escapeMrkdwn(r.id)}* · ${escapeMrkdwn(r.type)} · ${escapeMrkdwn(r.regimeLabel)} · ${escapeMrkdwn(r.status)}${r.onHold ? ` · on hold since ${escapeMrkdwn(r.onHold.since)}` : ''}\n` +
    `Due *${escapeMrkdwn(r.due)}* (${daysText(r)}) · owner ${who(r.owner, o.mentions)}`
  );
}

/**
 * One request as list row: the line, with a button that shows it in full. The button is the
 * section's accessory, so a row costs one block of the message's 50.
 */
export function requestRow(r: RequestView, o: RenderOptions): SlackBlock {
  return {
    type: 'section',
    text: mrkdwn(requestLine(r, o)),
    accessory: button(`${CORE_ACTION_PREFIX}request.show`, 'Show', r.id),
  };
}

function requestDetail(
  r: RequestView,
  trail: { at: string; actor: string; action: string; text: string | null }[] | undefined,
  o: RenderOptions,
): SlackBlock[] {
  const out: SlackBlock[] = [];
  const facts = [
    `*${escapeMrkdwn(r.id)}* · ${escapeMrkdwn(r.type)} request · ${escapeMrkdwn(r.regimeLabel)}`,
    `Status: ${escapeMrkdwn(r.status)}${r.outcome ? ` (${escapeMrkdwn(r.outcome)})` : ''} · owner ${who(r.owner, o.mentions)} · received ${escapeMrkdwn(r.received)}${r.policyId ? ` · policy ${escapeMrkdwn(r.policyId)}` : ''}${r.extensions > 0 ? ` · extended ×${r.extensions}` : ''}`,
  ];
  // Requester data is present only when the core decided this audience may see it.
  if (r.requester) {
    const { name, email } = r.requester;
    const others = contactParts({ ...r.requester, email: undefined }).map(escapeMrkdwn);
    const first = name
      ? [email ? `${escapeMrkdwn(name)} <${escapeMrkdwn(email)}>` : escapeMrkdwn(name)]
      : email
        ? [escapeMrkdwn(email)]
        : [];
    facts.push(`Requester: ${[...first, ...others].join(', ')}${name ? '' : ` ${NO_NAME}`}`);
  } else if (r.requester === null) facts.push('Requester: (personal data purged)');
  const hold = holdText(r);
  if (hold) facts.push(escapeMrkdwn(hold));
  out.push(section(facts.join('\n')));
  out.push(
    section(
      `Response due *${escapeMrkdwn(r.due)}* (${daysText(r)})\n${escapeMrkdwn(r.dueRule)} [${escapeMrkdwn(r.dueSource)}]`,
    ),
  );
  const others = r.deadlines
    .filter((d) => d.kind !== 'response')
    .map(
      (d) =>
        `${escapeMrkdwn(d.kind)}: *${escapeMrkdwn(d.due)}*${d.binding ? '' : ' (internal target)'} — ${escapeMrkdwn(d.rule)} [${escapeMrkdwn(d.source)}]`,
    );
  if (others.length > 0) out.push(section(others.join('\n')));
  if (trail && trail.length > 0) {
    const shown = trail.slice(-MAX_TRAIL);
    const lines = shown.map(
      (e) =>
        `${escapeMrkdwn(e.at.slice(0, 16).replace('T', ' '))} ${who(e.actor, o.mentions)}: ${escapeMrkdwn(e.action)}${e.text ? ` — ${escapeMrkdwn(e.text)}` : ''}`,
    );
    const earlier = trail.length - shown.length;
    out.push(
      section(
        `*Audit trail*${earlier > 0 ? ` (last ${shown.length} of ${trail.length})` : ''}\n${lines.join('\n')}`,
      ),
    );
  }
  return out;
}

function citationBlocks(
  citations: { policy: string; section: string; quote: string | null }[],
): SlackBlock[] {
  const out: SlackBlock[] = citations.slice(0, MAX_CITATIONS).map((c) => {
    const where = `*${escapeMrkdwn(c.policy)}*, ${escapeMrkdwn(c.section)}`;
    if (c.quote === null) return section(where);
    const quote = clip(escapeMrkdwn(c.quote.replace(/\s+/g, ' ').trim()), 1500, '…');
    return section(`${where}\n>${quote}`);
  });
  if (citations.length > MAX_CITATIONS)
    out.push(context([`${citations.length - MAX_CITATIONS} more sources not shown.`]));
  return out;
}

/**
 * The value a feedback button carries: the question id and the clauses it was answered from.
 * Button values are capped at 2,000 characters, so clause ids are dropped until it fits.
 */
export function feedbackValue(questionId: string, clauseIds: string[]): string {
  let clauses = clauseIds.slice(0, 5);
  let value = JSON.stringify({ q: questionId, c: clauses });
  while (value.length > LIMITS.buttonValue && clauses.length > 0) {
    clauses = clauses.slice(0, -1);
    value = JSON.stringify({ q: questionId, c: clauses });
  }
  return value;
}

function blockFor(block: Block, o: RenderOptions, rows: number): SlackBlock[] {
  switch (block.kind) {
    case 'text':
      return splitText(escapeMrkdwn(block.text), LIMITS.sectionText, 3).map(section);
    case 'error': {
      const out: SlackBlock[] = [section(`:warning: ${escapeMrkdwn(block.text)}`)];
      if (block.reference)
        out.push(context([`Reference *${escapeMrkdwn(block.reference)}*: quote it to your admin.`]));
      return out;
    }
    case 'answer':
      return answerBlocks(block);
    case 'request':
      return requestDetail(block.request, block.trail, o);
    case 'request-list':
      return requestListBlocks(block, o, rows);
    case 'deadline':
      return deadlineBlocks(block);
    case 'actions':
      return block.buttons.length > 0 ? [coreButtons(block.buttons)] : [];
  }
}

/** An answer: its words, its sources, and the Helpful / Not helpful buttons. */
function answerBlocks(block: Extract<Block, { kind: 'answer' }>): SlackBlock[] {
  const value = feedbackValue(
    block.questionId,
    block.citations.map((c) => c.clauseId),
  );
  return [
    ...splitText(escapeMrkdwn(block.answer), LIMITS.sectionText, 3).map(section),
    ...citationBlocks(sourcesOf(block.answer, block.citations)),
    {
      type: 'actions',
      elements: [
        button(FEEDBACK_ACTIONS.helpful, 'Helpful', value),
        button(FEEDBACK_ACTIONS.notHelpful, 'Not helpful', value),
      ],
    },
  ];
}

/** A list of requests, one row each, up to `rows`, saying how many more were left out. */
function requestListBlocks(
  block: Extract<Block, { kind: 'request-list' }>,
  o: RenderOptions,
  rows: number,
): SlackBlock[] {
  // Header blocks take plain_text only: a title can never format, link or ping.
  const out: SlackBlock[] = [{ type: 'header', text: plain(block.title, LIMITS.headerText) }];
  if (block.requests.length === 0) out.push(section(escapeMrkdwn(block.empty)));
  const shown = block.requests.slice(0, rows);
  out.push(...shown.map((r) => requestRow(r, o)));
  if (block.requests.length > shown.length)
    out.push(
      context([
        `${block.requests.length - shown.length} more not shown here; narrow the list, e.g. \`/privacy requests overdue\`.`,
      ]),
    );
  return out;
}

/** A deadline with its rule and source, then the other deadlines of the same request. */
function deadlineBlocks(block: Extract<Block, { kind: 'deadline' }>): SlackBlock[] {
  const out: SlackBlock[] = [
    section(
      `*${escapeMrkdwn(block.regimeLabel)}*, received ${escapeMrkdwn(block.received)}: response due *${escapeMrkdwn(block.due)}*\n${escapeMrkdwn(block.rule)} [${escapeMrkdwn(block.source)}]`,
    ),
  ];
  const others = block.deadlines
    .filter((d) => d.kind !== 'response')
    .map(
      (d) =>
        `${escapeMrkdwn(d.kind)}: *${escapeMrkdwn(d.due)}* — ${escapeMrkdwn(d.rule)} [${escapeMrkdwn(d.source)}]`,
    );
  if (others.length > 0) out.push(section(others.join('\n')));
  return out;
}

/** Keeps a block list within a surface's budget, saying what was left out. */
export function fitBlocks(blocks: SlackBlock[], max: number): SlackBlock[] {
  if (blocks.length <= max) return blocks;
  const kept = blocks.slice(0, max - 1);
  // Keep the last actions block (the buttons people came for) when there is one.
  const lastActions = [...blocks].reverse().find((b) => b.type === 'actions');
  if (lastActions && !kept.includes(lastActions)) kept[kept.length - 1] = lastActions;
  kept.push(context([`${blocks.length - kept.length} more parts not shown (Slack shows at most ${max}).`]));
  return kept;
}

/** The fallback `text` of a message: escaped and short (it is what notifications show). */
export function fallbackText(text: string): string {
  return clip(escapeMrkdwn(text), LIMITS.fallbackText, '…');
}

/** A core reply as a Slack message or view body. */
export function renderReply(reply: Reply, o: RenderOptions): SlackMessage {
  const max = o.maxBlocks ?? LIMITS.messageBlocks;
  // Leave room for a list's header, its "more" note and the reply's other blocks.
  const rows = Math.max(5, max - 10);
  const blocks = reply.blocks.flatMap((b) => blockFor(b, o, rows));
  return { text: fallbackText(reply.text || 'privacy-ops'), blocks: fitBlocks(blocks, max) };
}

/** Plain text as a message (acknowledgements, refusals, hints). */
export function textMessage(text: string): SlackMessage {
  return { text: fallbackText(text), blocks: [section(escapeMrkdwn(text))] };
}

/**
 * The notice for the privacy channel: never personal data (the core writes it that way). Its
 * buttons answer the presser ephemerally, so *Show* may then include the requester.
 */
export function noticeMessage(notice: { text: string; requestId?: string }): SlackMessage {
  const blocks: SlackBlock[] = [section(`:inbox_tray: ${escapeMrkdwn(notice.text)}`)];
  if (notice.requestId)
    blocks.push({
      type: 'actions',
      elements: [
        button(`${CORE_ACTION_PREFIX}request.show`, 'Show', notice.requestId),
        button(`${CORE_ACTION_PREFIX}request.assign-me`, 'Assign to me', notice.requestId),
      ],
    });
  return { text: fallbackText(notice.text), blocks };
}

/** `/privacy help`: the core's command list, with the Slack ways in. */
export function helpMessage(command: string, isPrivacyTeam: boolean): SlackMessage {
  const lines = COMMANDS.filter((c) => !c.team || isPrivacyTeam).map(
    (c) => `• \`${command} ${escapeMrkdwn(c.usage)}\` — ${escapeMrkdwn(c.what)}`,
  );
  const blocks: SlackBlock[] = [
    section(`*What I can do* (answers to \`${command}\` are visible only to you)\n${lines.join('\n')}`),
    section(
      [
        '*Other ways in*',
        '• Mention me in a channel (`@privacy-ops how long do we keep backups?`) and I answer in the thread; nothing personal is ever posted there.',
        '• Send me a direct message.',
        '• On any message: *More actions → Log as rights request* opens the form, pre-filled.',
        '• My *Home* tab shows the requests that need attention.',
      ].join('\n'),
    ),
  ];
  if (!isPrivacyTeam)
    blocks.push(context(['Listing, viewing and changing requests is for the privacy team.']));
  blocks.push({ type: 'actions', elements: [button(OPEN_FORM_ACTION, 'Log a rights request', 'open')] });
  return { text: `privacy-ops help: ${COMMANDS.length} commands`, blocks };
}

/** A core reply shown in a modal (from the Home tab, where there is no message to answer in). */
export function replyModal(title: string, reply: Reply): types.ModalView {
  const { blocks } = renderReply(reply, { mentions: true, maxBlocks: LIMITS.viewBlocks });
  return {
    type: 'modal',
    title: plain(title, LIMITS.modalTitle),
    close: plain('Close', LIMITS.modalTitle),
    blocks,
  };
}
