import { z } from 'zod';
import type { Actor, Audience } from '../../core/conversation/reply.js';

/**
 * The Bot Framework activity as Teams sends it, read into the few fields the channel uses, and the
 * pure mapping from an activity to what the core needs: the text without the bot's @mention, the
 * actor, and the audience the reply will be read by. Protocol, not SDK: nothing here depends on
 * botbuilder, so the SDK underneath can be replaced without touching this file.
 */

const account = z.looseObject({
  id: z.string().min(1).max(512),
  name: z.string().max(1000).optional(),
  /** The Entra object id of a user; absent for bots and in the Bot Framework Emulator. */
  aadObjectId: z.string().max(64).optional(),
});

const mention = z.looseObject({
  type: z.literal('mention'),
  mentioned: z.looseObject({ id: z.string(), name: z.string().optional() }).optional(),
  text: z.string().optional(),
});

/** The subset of https://github.com/microsoft/botframework-sdk/blob/main/specs/botframework-activity/botframework-activity.md read here. */
export const activitySchema = z.looseObject({
  type: z.string().min(1).max(64),
  id: z.string().max(512).optional(),
  /** The invoke name, e.g. `adaptiveCard/action`. */
  name: z.string().max(256).optional(),
  text: z.string().optional(),
  /** Card submissions: the Action.Submit data merged with the card's inputs. */
  value: z.unknown().optional(),
  channelId: z.string().min(1).max(64),
  serviceUrl: z.string().url().max(2048),
  from: account,
  recipient: account,
  conversation: z.looseObject({
    id: z.string().min(1).max(1024),
    /** `personal`, `groupChat` or `channel` in Teams. */
    conversationType: z.string().max(64).optional(),
    isGroup: z.boolean().optional(),
    tenantId: z.string().max(64).optional(),
  }),
  channelData: z
    .looseObject({
      tenant: z.looseObject({ id: z.string().max(64) }).optional(),
      team: z.looseObject({ id: z.string().max(1024), name: z.string().optional() }).optional(),
      channel: z.looseObject({ id: z.string().max(1024), name: z.string().optional() }).optional(),
      eventType: z.string().optional(),
    })
    .optional(),
  entities: z.array(z.unknown()).optional(),
  membersAdded: z.array(account).optional(),
  membersRemoved: z.array(account).optional(),
  /** `add` / `remove` on installationUpdate. */
  action: z.string().max(64).optional(),
  /** The sender's IANA time zone, which Teams sets on messages. */
  localTimezone: z.string().max(100).optional(),
  replyToId: z.string().max(512).optional(),
});
export type TeamsActivity = z.infer<typeof activitySchema>;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** Decodes the HTML entities Teams leaves in message text (`&amp;`, `&nbsp;`, `&#39;`...). */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,6});/gi, (whole, code: string) => {
    if (code[0] === '#') {
      const n =
        code[1] === 'x' || code[1] === 'X' ? Number.parseInt(code.slice(2), 16) : Number(code.slice(1));
      return n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : whole;
    }
    return ENTITIES[code.toLowerCase()] ?? whole;
  });
}

/**
 * The message text as the person meant it. Teams puts every @mention in the text as
 * `<at>Name</at>` with a matching `mention` entity; the bot's own is removed (what
 * TurnContext.removeRecipientMention does), other people's become `@Name` so that
 * "assign DSR-... @Alice" reads as typed.
 */
export function messageText(activity: TeamsActivity): string {
  let text = activity.text ?? '';
  for (const raw of activity.entities ?? []) {
    const entity = mention.safeParse(raw);
    if (!entity.success || entity.data.mentioned?.id !== activity.recipient.id) continue;
    if (entity.data.text) text = text.split(entity.data.text).join(' ');
    // A renamed or localised bot can be mentioned under a name that differs from the entity's text.
    const name = entity.data.mentioned.name;
    if (name) text = text.split(`<at>${name}</at>`).join(' ');
  }
  text = text.replace(/<at>([^<]{0,200})<\/at>/gi, (_, name: string) => `@${name.trim()}`);
  return decodeEntities(text)
    .replace(/[ \t\u00a0]+/g, ' ')
    .trim();
}

function isTimeZone(tz: string | undefined): tz is string {
  if (!tz) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** A display name fit for the audit trail: one line, bounded; kept verbatim otherwise. */
export function displayName(name: string | undefined): string {
  const clean = (name ?? '').replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return clean ? clean.slice(0, 100) : 'Teams user';
}

/** Who is speaking: privacy-team membership comes from the configured Entra object ids only. */
export function actorOf(activity: TeamsActivity, privacyTeam: ReadonlySet<string>): Actor {
  const aad = activity.from.aadObjectId?.toLowerCase();
  return {
    id: `teams:${aad ?? activity.from.id}`,
    name: displayName(activity.from.name),
    isPrivacyTeam: Boolean(aad && privacyTeam.has(aad)),
    ...(isTimeZone(activity.localTimezone) ? { timeZone: activity.localTimezone } : {}),
  };
}

/**
 * The channel a channel conversation belongs to. A reply thread's conversation id is the channel id
 * plus `;messageid=...`, so the id in channelData is preferred and the suffix is cut otherwise.
 */
export function channelIdOf(activity: TeamsActivity): string | undefined {
  if (activity.conversation.conversationType !== 'channel') return undefined;
  return activity.channelData?.channel?.id ?? activity.conversation.id.split(';')[0];
}

/**
 * Who may read the reply: a personal chat is private; the configured privacy channel may see
 * requester data; every other channel and group chat is shared. The Emulator sends no
 * conversationType, and a conversation that is not a group there is a one-to-one chat.
 */
export function audienceOf(activity: TeamsActivity, privacyChannelId: string | undefined): Audience {
  const type = activity.conversation.conversationType;
  if (type === 'personal' || (type === undefined && activity.conversation.isGroup !== true)) return 'private';
  if (privacyChannelId && channelIdOf(activity) === privacyChannelId) return 'privacy-channel';
  return 'shared';
}

/** The tenant an activity comes from, when Teams says. */
export function tenantOf(activity: TeamsActivity): string | undefined {
  return activity.channelData?.tenant?.id ?? activity.conversation.tenantId;
}
