import { actorOf, channelIdOf, type TeamsActivity, tenantOf } from './activity.js';
import type { TurnHandle } from './bot-framework.js';
import type { TeamsContext } from './context.js';
import type { ConversationRef } from './store.js';

/**
 * The conversation references proactive messages need (reminders, notices, late replies): a
 * user's personal chat, and every channel the bot hears from (as the channel itself, so a notice
 * starts a new post there); forgotten when the app is removed.
 */

/** Keeps the references of the conversation an activity came from; a store failure is only logged. */
export async function remember(ctx: TeamsContext, activity: TeamsActivity, turn: TurnHandle): Promise<void> {
  try {
    await saveReferences(ctx, activity, turn);
  } catch (error) {
    // Answering matters more than remembering: a store failure only costs later notices.
    ctx.log.error({ err: error }, 'could not save the Teams conversation reference');
  }
}

/** The references an activity gives: the user's personal chat, its channel, and the service. */
function referencesOf(activity: TeamsActivity, turn: TurnHandle): [string, ConversationRef][] {
  const { activityId: _inbound, ...reference } = turn.reference() as ConversationRef & {
    activityId?: string;
  };
  const aad = activity.from.aadObjectId?.toLowerCase();
  const writes: [string, ConversationRef][] = [];
  if (activity.conversation.conversationType === 'personal' && aad) writes.push([`user:${aad}`, reference]);
  const channelId = channelIdOf(activity);
  if (channelId) {
    writes.push([
      `channel:${channelId}`,
      { ...reference, conversation: { ...reference.conversation, id: channelId } },
    ]);
  }
  const tenantId = tenantOf(activity);
  writes.push([
    'service',
    {
      channelId: reference.channelId,
      serviceUrl: reference.serviceUrl,
      conversation: { id: '', ...(tenantId ? { tenantId } : {}) },
      ...(reference.bot ? { bot: reference.bot } : {}),
    },
  ]);
  return writes;
}

async function saveReferences(ctx: TeamsContext, activity: TeamsActivity, turn: TurnHandle): Promise<void> {
  const now = ctx.now();
  for (const [key, value] of referencesOf(activity, turn)) {
    // Written when changed only: every message would otherwise cost a store write or three.
    const json = JSON.stringify(value);
    if (ctx.saved.get(key) === json) continue;
    await ctx.options.store.saveReference(key, value, now);
    ctx.saved.set(key, json);
  }
  const aad = activity.from.aadObjectId?.toLowerCase();
  if (aad && activity.type === 'message' && activity.from.name) {
    await ctx.options.store.rememberUser(actorOf(activity, ctx.privacyTeam).name, aad, now);
  }
}

/** The app was removed from a chat or team: its references are dropped. */
export async function forget(ctx: TeamsContext, activity: TeamsActivity): Promise<void> {
  const aad = activity.from.aadObjectId?.toLowerCase();
  const keys: string[] = [];
  if (activity.conversation.conversationType === 'personal' && aad) keys.push(`user:${aad}`);
  const channelId = channelIdOf(activity);
  if (channelId) keys.push(`channel:${channelId}`);
  for (const key of keys) {
    ctx.saved.delete(key);
    await ctx.options.store.deleteReference(key);
  }
}
