/**
 * The Slack channel's public surface: the channel itself, what it registers (for the manifest
 * test), the notifier the reminders loop uses, and the start-up helper the composition root calls.
 */

export { FeedbackStore } from '../../core/conversation/feedback.js';
export { openFeedbackStore } from '../../store/feedback-store.js';
export {
  commandHint,
  SLACK_COMMAND,
  SLACK_COMMANDS,
  SLACK_EVENTS,
  SLACK_EVENTS_PATH,
  SLACK_SCOPES,
  SLACK_SHORTCUTS,
  SlackChannel,
  type SlackChannelOptions,
} from './channel.js';
export { SlackNotifier } from './notifier.js';
export { startSlack } from './start.js';
