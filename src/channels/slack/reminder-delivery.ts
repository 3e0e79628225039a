import type { DeliveryResult, ReminderChannel, ReminderMessage } from '../../core/reminders/delivery.js';
import { slackAddress } from './address.js';
import { renderReply, type SlackBlock } from './render.js';

/**
 * Reminder delivery through the Slack Web API, with plain fetch: `chat.postMessage` to the privacy
 * channel; `conversations.open` then `chat.postMessage` for a direct message; `users.info` for a
 * person's time zone. It makes one attempt per call and reports what happened: the scheduler keeps
 * the message in its outbox and retries, honouring `Retry-After` (docs.slack.dev/apis/web-api/rate-limits).
 *
 * Scopes: chat:write, im:write (conversations.open), users:read (users.info); the bot must be a
 * member of SLACK_PRIVACY_CHANNEL.
 */

export interface SlackReminderOptions {
  /** The bot token (xoxb-…). */
  token: string;
  /** Web API base URL (SLACK_API_URL); default https://slack.com/api/. */
  apiUrl?: string;
  /** The privacy team's channel id (SLACK_PRIVACY_CHANNEL). */
  privacyChannel?: string;
  fetch?: typeof fetch;
  /** Per-call timeout (ms); well under the scheduler's claim lease. */
  timeoutMs?: number;
  /** How long a user's time zone is trusted (ms); default 12 hours. */
  zoneTtlMs?: number;
  now?: () => number;
}

/** Slack errors that say "try again later" rather than "this will never work". */
const TRANSIENT = new Set([
  'ratelimited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'team_added_to_org',
]);

/** When Slack sends 429 without a usable Retry-After, wait this long. */
const DEFAULT_RETRY_AFTER_MS = 30_000;
const MAX_ZONES = 5_000;

type CallResult = { ok: true; body: Record<string, unknown> } | { ok: false; failure: DeliveryResult };

export class SlackReminderChannel implements ReminderChannel {
  readonly name = 'slack';
  private readonly base: string;
  private readonly fetch: typeof fetch;
  private readonly now: () => number;
  /** User id -> DM channel id; Slack keeps a DM's id for good, so this never expires. */
  private readonly dms = new Map<string, string>();
  private readonly zones = new Map<string, { tz: string | undefined; expires: number }>();

  constructor(private readonly options: SlackReminderOptions) {
    const url = options.apiUrl || 'https://slack.com/api/';
    this.base = url.endsWith('/') ? url : `${url}/`;
    this.fetch = options.fetch ?? globalThis.fetch;
    this.now = options.now ?? Date.now;
  }

  async deliver(message: ReminderMessage): Promise<DeliveryResult> {
    let channel: string;
    if (message.to.kind === 'channel') {
      if (!this.options.privacyChannel)
        return { ok: false, retryable: false, code: 'privacy_channel_not_configured' };
      channel = this.options.privacyChannel;
    } else {
      const dm = await this.openDm(message.to.address);
      if (!dm.ok) return dm.failure;
      channel = dm.channel;
    }
    const rendered = renderReply(message.reply, { mentions: true });
    const blocks: SlackBlock[] = [...rendered.blocks];
    // Mentioning the owner in the channel makes Slack show their name and notify them.
    if (message.mention && /^[UW][A-Z0-9]+$/.test(message.mention))
      blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `Owner: <@${message.mention}>` }] });
    const result = await this.call(
      'chat.postMessage',
      {
        channel,
        text: rendered.text,
        blocks,
        unfurl_links: false,
        unfurl_media: false,
        // Message metadata ties a posted message to its outbox entry, for audits of "sent once".
        metadata: {
          event_type: 'privacy_ops_reminder',
          event_payload: { entry: message.id, reminder: message.reminderKey, role: message.role },
        },
      },
      'json',
    );
    if (!result.ok) return result.failure;
    return { ok: true, ...(typeof result.body.ts === 'string' ? { ref: result.body.ts } : {}) };
  }

  /**
   * A Slack user id (or a mention of one) is an address as it stands; a name is not one Slack can
   * message, so its owner is named in the privacy channel. No API call: exactly as before Teams.
   */
  async address(owner: string): Promise<string | null> {
    return slackAddress(owner);
  }

  /**
   * The user's IANA zone from `users.info`, cached; undefined when Slack knows none. Throws when
   * Slack cannot be asked right now and nothing is cached, so the scheduler holds that person's
   * reminders instead of guessing their working hours.
   */
  async timeZone(address: string): Promise<string | undefined> {
    const cached = this.zones.get(address);
    if (cached && cached.expires > this.now()) return cached.tz;
    const result = await this.call('users.info', { user: address }, 'form');
    if (!result.ok) {
      const failure = result.failure as { code: string; retryable?: boolean };
      // A stale zone beats none; an unknown user simply has no zone.
      if (cached) return cached.tz;
      if (failure.retryable) throw new Error(`users.info failed: ${failure.code}`);
      return undefined;
    }
    const user = result.body.user as { tz?: unknown } | undefined;
    const tz = typeof user?.tz === 'string' && isZone(user.tz) ? user.tz : undefined;
    if (this.zones.size >= MAX_ZONES) this.zones.delete(this.zones.keys().next().value!);
    this.zones.set(address, { tz, expires: this.now() + (this.options.zoneTtlMs ?? 12 * 3_600_000) });
    return tz;
  }

  private async openDm(
    user: string,
  ): Promise<{ ok: true; channel: string } | { ok: false; failure: DeliveryResult }> {
    const known = this.dms.get(user);
    if (known) return { ok: true, channel: known };
    const result = await this.call('conversations.open', { users: user }, 'form');
    if (!result.ok) return result;
    const id = (result.body.channel as { id?: unknown } | undefined)?.id;
    if (typeof id !== 'string')
      return { ok: false, failure: { ok: false, retryable: true, code: 'no_channel_id' } };
    this.dms.set(user, id);
    return { ok: true, channel: id };
  }

  /** One Web API call; every outcome is classified, nothing is thrown. */
  private async call(
    method: string,
    params: Record<string, unknown>,
    encoding: 'json' | 'form',
  ): Promise<CallResult> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.options.token}` };
    let body: string;
    if (encoding === 'json') {
      headers['content-type'] = 'application/json; charset=utf-8';
      body = JSON.stringify(params);
    } else {
      // Read methods such as users.info take form-encoded arguments, not JSON.
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(
        Object.entries(params).map(([k, v]): [string, string] => [k, String(v)]),
      ).toString();
    }
    let response: Response;
    try {
      response = await this.fetch(new URL(method, this.base), {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
    } catch (error) {
      const code = (error as Error).name === 'TimeoutError' ? 'timeout' : 'network_error';
      return { ok: false, failure: { ok: false, retryable: true, code } };
    }
    if (response.status === 429) {
      await response.body?.cancel();
      return {
        ok: false,
        failure: { ok: false, retryable: true, code: 'ratelimited', retryAfterMs: retryAfter(response) },
      };
    }
    if (response.status >= 500) {
      await response.body?.cancel();
      return { ok: false, failure: { ok: false, retryable: true, code: `http_${response.status}` } };
    }
    let json: Record<string, unknown>;
    try {
      json = (await response.json()) as Record<string, unknown>;
    } catch {
      return { ok: false, failure: { ok: false, retryable: response.ok, code: `http_${response.status}` } };
    }
    if (json.ok === true) return { ok: true, body: json };
    const code = typeof json.error === 'string' ? json.error : `http_${response.status}`;
    return {
      ok: false,
      failure: {
        ok: false,
        retryable: TRANSIENT.has(code),
        code,
        ...(code === 'ratelimited' ? { retryAfterMs: retryAfter(response) } : {}),
      },
    };
  }
}

/** Slack's Retry-After is in seconds. */
function retryAfter(response: Response): number {
  const seconds = Number(response.headers.get('retry-after'));
  return Number.isFinite(seconds) && seconds >= 0 ? Math.ceil(seconds * 1000) : DEFAULT_RETRY_AFTER_MS;
}

function isZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
