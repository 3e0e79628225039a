import type { types } from '@slack/bolt';
import type { Reply } from '../../core/conversation/reply.js';
import { escapeMrkdwn, LIMITS } from './mrkdwn.js';
import {
  button,
  context,
  fitBlocks,
  OPEN_FORM_ACTION,
  renderReply,
  type SlackBlock,
  section,
} from './render.js';

/**
 * The App Home tab. Privacy-team members see the lists the core produced for them (their open
 * requests, everything due within 7 days, overdue ones) with buttons; everyone else sees how to ask
 * and how to log a request. The Home tab is private to its viewer, so mentions render as names.
 */
export const HOME_REFRESH_ACTION = 'home.refresh';

/** Blocks per list: three lists plus the header must stay within a view's 100 blocks. */
const LIST_BUDGET = 30;

/** views.publish replaces the whole tab each time, so the view is rebuilt from the core's lists. */
export function teamHomeView(lists: Reply[], updated: string): types.HomeView {
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'Privacy requests' } },
    {
      type: 'actions',
      elements: [
        button(OPEN_FORM_ACTION, 'Log a rights request', 'open', 'primary'),
        button(HOME_REFRESH_ACTION, 'Refresh', 'refresh'),
      ],
    },
    context([`Updated ${escapeMrkdwn(updated)}. Dates are calendar days with the rule that produced them.`]),
  ];
  for (const list of lists) {
    blocks.push({ type: 'divider' });
    blocks.push(...renderReply(list, { mentions: true, maxBlocks: LIST_BUDGET }).blocks);
  }
  return { type: 'home', blocks: fitBlocks(blocks, LIMITS.viewBlocks) };
}

export function guestHomeView(command: string): types.HomeView {
  return {
    type: 'home',
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: 'privacy-ops' } },
      section(
        'I answer questions about our privacy policies, always quoting the policy, section and exact words, and I log data-subject rights requests for the privacy team.',
      ),
      section(
        [
          '*Ask a question*',
          `• \`${command} how long do we keep technical logs?\` (only you see the answer)`,
          '• Mention me in a channel and I answer in the thread, or send me a direct message.',
          '',
          '*Log a rights request* (someone asked to see, correct, delete or export their data)',
          `• The button below, or \`${command} request\`, opens the form.`,
          '• On a message: *More actions → Log as rights request*.',
        ].join('\n'),
      ),
      { type: 'actions', elements: [button(OPEN_FORM_ACTION, 'Log a rights request', 'open', 'primary')] },
      context([
        'The register itself (lists, deadlines, changes) is for the privacy team. Ask them if you need to follow up on a request.',
      ]),
    ],
  };
}
