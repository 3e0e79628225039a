import type { DeliveryResult, ReminderChannel, ReminderMessage } from '../../core/reminders/delivery.js';
import type { TeamsNotifier } from './notifier.js';

/**
 * Reminder delivery into Microsoft Teams through the channel's {@link TeamsNotifier}: a proactive
 * message (`continueConversationAsync` on a stored conversation reference) carrying the reply as the
 * same Adaptive Card the Teams channel renders, into the owner's personal chat with the bot or the
 * privacy channel. One attempt per call, every outcome classified; the scheduler's outbox retries.
 *
 * A bot cannot open a personal chat from an id alone: a person is reachable once they have written
 * to the bot (or installed it), which stores the reference. Without one nothing is sent and the
 * failure is permanent (`no_conversation_reference`, {@link UNKNOWN_TEAMS_USER}), so the outbox
 * records it instead of retrying it for ever. The scheduler asks {@link TeamsReminderChannel.address}
 * first, so such an owner is named in the privacy channel rather than sent a message that cannot arrive.
 *
 * botbuilder's HTTP pipeline (@azure/core-rest-pipeline) already retries inside one call: up to three
 * times after a 429's or 503's Retry-After, and with exponential backoff after other 5xx and network
 * errors. What reaches this class has exhausted those retries; its Retry-After is still honoured.
 */

export interface TeamsReminderOptions {
  notifier: Pick<TeamsNotifier, 'sendToUser' | 'sendToOwner' | 'sendToPrivacyChannel' | 'personalChatOf'>;
  /** TEAMS_PRIVACY_CHANNEL_ID; channel posts fail permanently without it. */
  privacyChannelId?: string;
}

/** An owner named by display name that Teams cannot reach: unknown, or no personal chat yet. */
export const UNKNOWN_TEAMS_USER = 'unknown_teams_user';

const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PREFIX = 'teams:';

/**
 * True for an address that is Teams' by its form: `teams:<id>` (how the Teams channel names an
 * actor) or a bare Entra object id. Display names are Teams' only if the Teams store knows them.
 */
export function isTeamsAddress(address: string): boolean {
  const a = address.trim();
  return a.toLowerCase().startsWith(PREFIX) || GUID_RE.test(a);
}

// Connector errors that heal by waiting: throttling, "another operation in progress", server errors
// (the status-code table in learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/conversation-messages).
// Other 4xx do not: 403 ConversationBlockedByUser or BotNotInConversationRoster (blocked, uninstalled),
// 404 ConversationNotFound, 401 bad credentials.
const RETRYABLE_STATUS = new Set([408, 412, 429]);
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'UND_ERR_SOCKET',
]);

export class TeamsReminderChannel implements ReminderChannel {
  readonly name = 'teams';

  constructor(private readonly options: TeamsReminderOptions) {}

  async deliver(message: ReminderMessage): Promise<DeliveryResult> {
    const { notifier } = this.options;
    try {
      if (message.to.kind === 'channel') {
        if (!this.options.privacyChannelId) return permanent('privacy_channel_not_configured');
        // False: the bot was never installed in the privacy channel's team (no reference).
        return (await notifier.sendToPrivacyChannel(message.reply))
          ? { ok: true }
          : permanent('no_conversation_reference');
      }
      const address = message.to.address.trim();
      if (isTeamsAddress(address)) {
        const id = address.toLowerCase().startsWith(PREFIX) ? address.slice(PREFIX.length) : address;
        // `teams:29:…` is a Bot Framework id without an Entra id: no personal chat is stored for it.
        if (!GUID_RE.test(id)) return permanent('no_conversation_reference');
        return (await notifier.sendToUser(id, message.reply))
          ? { ok: true }
          : permanent('no_conversation_reference');
      }
      // A display name, as "assign to me" records a Teams owner; the store maps it to an Entra id.
      return (await notifier.sendToOwner(address, message.reply))
        ? { ok: true }
        : permanent(UNKNOWN_TEAMS_USER);
    } catch (error) {
      return classify(error);
    }
  }

  /**
   * `teams:<entra id>` for an owner the bot has a personal chat with, whether the register names
   * them by Entra id, `teams:<id>` or the display name they last wrote to the bot under; else null.
   * Store failures are thrown: the scheduler then holds that owner's reminders for a later sweep.
   */
  async address(owner: string): Promise<string | null> {
    const text = owner.trim();
    const id = text.toLowerCase().startsWith(PREFIX) ? text.slice(PREFIX.length) : text;
    // `teams:29:…` (a Bot Framework id without an Entra id) has no stored personal chat.
    if (id !== text && !GUID_RE.test(id)) return null;
    const aad = await this.options.notifier.personalChatOf(id);
    return aad ? `${PREFIX}${aad}` : null;
  }

  /**
   * Teams reports a sender's zone on every message (`localTimezone`), but the Teams store does not
   * keep it, so there is none to give: the scheduler then uses DEFAULT_TIMEZONE. Never throws, since
   * a throw makes the scheduler hold that owner's working-hours reminders until a lookup succeeds.
   */
  async timeZone(_address: string): Promise<string | undefined> {
    return undefined;
  }
}

function permanent(code: string): DeliveryResult {
  return { ok: false, retryable: false, code };
}

/** What the connector error looks like: @azure/core-rest-pipeline's RestError, or a plain error. */
interface HttpFailure {
  statusCode?: unknown;
  code?: unknown;
  name?: unknown;
  response?: { status?: unknown; headers?: { get(name: string): string | undefined | null } };
}

/** The first error in the cause chain that says something about HTTP (the notifier wraps it). */
function httpFailure(error: unknown): HttpFailure | undefined {
  let e: unknown = error;
  for (let depth = 0; depth < 5 && typeof e === 'object' && e !== null; depth++) {
    const f = e as HttpFailure & { cause?: unknown };
    if (typeof f.statusCode === 'number' || typeof f.response?.status === 'number') return f;
    if (typeof f.code === 'string' && NETWORK_CODES.has(f.code)) return f;
    if (f.name === 'TimeoutError' || f.name === 'AbortError') return f;
    e = f.cause;
  }
  return undefined;
}

/** Maps a failed send to a delivery result; anything unrecognised is presumed transient. */
export function classify(error: unknown): DeliveryResult {
  const f = httpFailure(error);
  if (!f) return { ok: false, retryable: true, code: 'teams_error' };
  const status = typeof f.statusCode === 'number' ? f.statusCode : f.response?.status;
  if (typeof status !== 'number') {
    const timeout = f.name === 'TimeoutError' || f.name === 'AbortError' || f.code === 'ETIMEDOUT';
    return { ok: false, retryable: true, code: timeout ? 'timeout' : 'network_error' };
  }
  if (status === 429) {
    const after = retryAfter(f);
    return {
      ok: false,
      retryable: true,
      code: 'ratelimited',
      ...(after === undefined ? {} : { retryAfterMs: after }),
    };
  }
  if (status >= 500 || RETRYABLE_STATUS.has(status)) {
    const after = retryAfter(f);
    return {
      ok: false,
      retryable: true,
      code: `http_${status}`,
      ...(after === undefined ? {} : { retryAfterMs: after }),
    };
  }
  // The connector's own error code names the cause (ConversationBlockedByUser, BotNotInConversationRoster…).
  const detail = typeof f.code === 'string' && /^[A-Za-z]{3,64}$/.test(f.code) ? `:${f.code}` : '';
  return permanent(`http_${status}${detail}`);
}

/** Retry-After in milliseconds: `retry-after-ms`, or `Retry-After` in seconds or as an HTTP date. */
function retryAfter(f: HttpFailure): number | undefined {
  const headers = f.response?.headers;
  if (!headers || typeof headers.get !== 'function') return undefined;
  const ms = Number(headers.get('retry-after-ms') ?? Number.NaN);
  if (Number.isFinite(ms) && ms >= 0) return Math.ceil(ms);
  const raw = headers.get('retry-after')?.trim();
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
  const at = Date.parse(raw);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
}
