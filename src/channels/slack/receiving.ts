import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { WRITING_ACTIONS } from '../../core/conversation/engine.js';
import { SLACK_COMMAND, SLACK_COMMANDS, SLACK_EVENTS, SLACK_SHORTCUTS } from './channel.js';
import { type Respond, type SlackContext, WRITE_BUDGET_MS, within } from './context.js';
import { slackErrorCode } from './directory.js';
import { HOME_REFRESH_ACTION } from './home.js';
import { onIntakeSubmit, openIntakeForm, type ViewAck } from './intake.js';
import { INTAKE_CALLBACK_ID } from './intake-modal.js';
import { CORE_ACTION_PREFIX, OPEN_FORM_ACTION } from './render.js';
import { onCommand, onCoreAction, onFeedback, onMessage, publishHome } from './turns.js';

/**
 * Receiving: what the Bolt app listens to (the manifest declares the same), each delivery
 * deduplicated first, then handed to its turn (turns.ts, intake.ts) and tracked so stop() can wait
 * for it. Acks are sent here, within Slack's 3 s.
 */

/** Which commands, shortcuts and events were registered (the manifest test compares them). */
export interface Registered {
  commands: string[];
  shortcuts: string[];
  events: string[];
}

/** Registers every listener on `app`, recording what it registered in `registered`. */
export function registerListeners(app: App, ctx: SlackContext, registered: Registered): void {
  dropDuplicates(app, ctx);
  registerCommands(app, ctx, registered);
  registerShortcuts(app, ctx, registered);
  registerEvents(app, ctx, registered);
  registerActions(app, ctx);
  app.view(INTAKE_CALLBACK_ID, ({ ack, body, view }) =>
    onIntakeSubmit(ctx, { ack: ack as ViewAck, user: body.user.id, view }),
  );
  // Listeners report their own failures to the person; this only catches what escapes Bolt.
  app.error(async (error) => {
    ctx.log.error(
      { code: (error as { code?: string }).code, slackError: slackErrorCode(error) },
      'bolt error',
    );
  });
}

/** Dedupe before any listener: a retried or duplicated delivery is acknowledged and dropped. */
function dropDuplicates(app: App, ctx: SlackContext): void {
  app.use(async (args) => {
    const body = args.body as Record<string, unknown>;
    const event = body.event as { channel?: string; ts?: string; type?: string } | undefined;
    const key =
      typeof body.event_id === 'string'
        ? `event:${body.event_id}`
        : typeof body.trigger_id === 'string'
          ? `trigger:${body.trigger_id}`
          : undefined;
    const retryNum = args.context.retryNum as number | undefined;
    let fresh = await ctx.fresh(key, retryNum);
    // Slack has delivered one message under several event ids (slackapi/node-slack-sdk#2141).
    if (fresh && event?.ts && event.channel && (event.type === 'app_mention' || event.type === 'message'))
      fresh = await ctx.fresh(`message:${event.channel}:${event.ts}`, retryNum);
    if (!fresh) {
      const ack = (args as { ack?: (r?: unknown) => Promise<void> }).ack;
      if (ack) await ack();
      return;
    }
    await args.next();
  });
}

/** The slash command, and a pointer for any other command routed here. */
function registerCommands(app: App, ctx: SlackContext, registered: Registered): void {
  for (const command of SLACK_COMMANDS) {
    app.command(command, (args) => ctx.track(onCommand(ctx, args)));
    registered.commands.push(command);
  }
  // Any other command routed here (a renamed or stale one) gets a pointer instead of a timeout.
  app.command(/.*/, async ({ command, ack }) => {
    if ((SLACK_COMMANDS as readonly string[]).includes(command.command)) return;
    await ack({
      response_type: 'ephemeral',
      text: `This app answers ${SLACK_COMMAND}; try \`${SLACK_COMMAND} help\`.`,
    });
  });
}

/** The shortcuts: each opens the intake form. */
function registerShortcuts(app: App, ctx: SlackContext, registered: Registered): void {
  // Shortcut payloads carry a trigger_id (valid 3 s) but no response_url for global shortcuts, so
  // both kinds only open the form (docs.slack.dev/interactivity/implementing-shortcuts).
  for (const shortcut of SLACK_SHORTCUTS) {
    app.shortcut(
      {
        callback_id: shortcut.callback_id,
        type: shortcut.type === 'message' ? 'message_action' : 'shortcut',
      },
      async ({ ack, body }) => {
        await ack();
        const b = body as {
          trigger_id: string;
          user: { id: string };
          message?: { text?: string; ts?: string };
        };
        await ctx.track(openIntakeForm(ctx, b.trigger_id, b.user.id, b.message));
      },
    );
    registered.shortcuts.push(shortcut.callback_id);
  }
}

/** Mentions, DMs and visits to the Home tab. */
function registerEvents(app: App, ctx: SlackContext, registered: Registered): void {
  for (const name of SLACK_EVENTS) {
    if (name === 'app_mention') {
      // app_mention arrives for mentions in channels the bot is in, never for DMs; its text starts
      // with the bot's own `<@U…>` (docs.slack.dev/reference/events/app_mention).
      app.event('app_mention', async ({ event, context }) => {
        if (!event.user) return;
        await ctx.track(
          onMessage(ctx, {
            user: event.user,
            channel: event.channel,
            // A mention with only a file or an attachment comes without text.
            text: typeof event.text === 'string' ? event.text : '',
            threadTs: event.thread_ts ?? event.ts,
            botUserId: context.botUserId,
          }),
        );
      });
    } else if (name === 'message.im') {
      app.event('message', async ({ event, context }) => {
        const m = event as { channel_type?: string; subtype?: string; bot_id?: string; user?: string };
        // Edits, joins and bot posts (ours included) carry a subtype or a bot_id.
        if (m.channel_type !== 'im' || m.subtype || m.bot_id || !m.user) return;
        const e = event as { channel: string; text?: string; thread_ts?: string };
        await ctx.track(
          onMessage(ctx, {
            user: m.user,
            channel: e.channel,
            text: e.text ?? '',
            ...(e.thread_ts ? { threadTs: e.thread_ts } : {}),
            botUserId: context.botUserId,
          }),
        );
      });
    } else if (name === 'app_home_opened') {
      // Fires on every visit to the Home or Messages tab; only the Home tab is ours to publish
      // (docs.slack.dev/reference/events/app_home_opened).
      app.event('app_home_opened', async ({ event }) => {
        if (event.tab !== 'home') return;
        await ctx.track(publishHome(ctx, event.user));
      });
    }
    registered.events.push(name);
  }
}

/** Buttons: the core's, votes, opening the form, refreshing Home. */
function registerActions(app: App, ctx: SlackContext): void {
  app.action(new RegExp(`^${CORE_ACTION_PREFIX}`), async ({ ack, body, action, respond }) => {
    const button = action as ButtonAction;
    const name = button.action_id.slice(CORE_ACTION_PREFIX.length);
    if (!WRITING_ACTIONS.has(name)) {
      await ack();
      await ctx.track(onCoreAction(ctx, body as BlockAction, button, respond as unknown as Respond));
      return;
    }
    // A button that changes the register is acknowledged once the change is stored (or has
    // failed and the reply says so), so a crash after the ack cannot lose it.
    let stored: () => void = () => {};
    const written = new Promise<void>((resolve) => {
      stored = resolve;
    });
    const work = ctx.track(
      onCoreAction(ctx, body as BlockAction, button, respond as unknown as Respond, stored),
    );
    await within(Promise.race([written, work]), WRITE_BUDGET_MS);
    await ack();
    await work;
  });
  app.action(/^feedback\./, async ({ ack, body, action, respond }) => {
    await ack();
    await ctx.track(
      onFeedback(ctx, body as BlockAction, action as ButtonAction, respond as unknown as Respond),
    );
  });
  // Mentions, DMs and the Home tab have no trigger of their own; this button brings one.
  app.action(OPEN_FORM_ACTION, async ({ ack, body }) => {
    await ack();
    const b = body as BlockAction;
    await ctx.track(openIntakeForm(ctx, b.trigger_id, b.user.id));
  });
  app.action(HOME_REFRESH_ACTION, async ({ ack, body }) => {
    await ack();
    await ctx.track(publishHome(ctx, (body as BlockAction).user.id));
  });
}
