import type { webApi } from '@slack/bolt';
import type { Logger } from '../../logger.js';

/**
 * Who a Slack user is, as far as the core needs to know: whether they are on the privacy team
 * (SLACK_PRIVACY_TEAM_USERS, or members of SLACK_PRIVACY_TEAM_GROUP), and their time zone. Both
 * are cached briefly so a burst of commands costs one Web API call, not one each.
 */
export interface DirectoryOptions {
  client: webApi.WebClient;
  teamUsers: string[];
  teamGroup?: string;
  logger: Logger;
  now?: () => number;
  /** How long the group's member list is trusted (default one minute). */
  groupTtlMs?: number;
  /** How long a user's time zone is trusted (default ten minutes). */
  userTtlMs?: number;
}

interface Cached<T> {
  value: T;
  expires: number;
}

const MAX_USERS_CACHED = 5_000;

/** Slack's error code of a failed Web API call, for the log (never the payload). */
export function slackErrorCode(error: unknown): string {
  const e = error as { data?: { error?: string }; code?: string; message?: string };
  return e?.data?.error ?? e?.code ?? (e?.message ?? 'unknown').slice(0, 80);
}

export class SlackDirectory {
  private group: Cached<Set<string>> | undefined;
  private groupLoading: Promise<Set<string>> | undefined;
  private readonly zones = new Map<string, Cached<string | undefined>>();
  private readonly zoneLoading = new Map<string, Promise<string | undefined>>();
  private readonly now: () => number;
  private readonly team: Set<string>;

  constructor(private readonly options: DirectoryOptions) {
    this.now = options.now ?? Date.now;
    this.team = new Set(options.teamUsers);
  }

  /** True for listed users and members of the privacy team's user group. */
  async isPrivacyTeam(userId: string): Promise<boolean> {
    if (this.team.has(userId)) return true;
    if (!this.options.teamGroup) return false;
    return (await this.groupMembers()).has(userId);
  }

  private async groupMembers(): Promise<Set<string>> {
    const cached = this.group;
    if (cached && cached.expires > this.now()) return cached.value;
    this.groupLoading ??= this.loadGroup().finally(() => {
      this.groupLoading = undefined;
    });
    return this.groupLoading;
  }

  private async loadGroup(): Promise<Set<string>> {
    try {
      // One call returns every member id (no pagination); disabled groups return an error.
      const result = await this.options.client.usergroups.users.list({
        usergroup: this.options.teamGroup!,
      });
      const members = new Set(result.users ?? []);
      this.group = { value: members, expires: this.now() + (this.options.groupTtlMs ?? 60_000) };
      return members;
    } catch (error) {
      // Keep serving the last known list: refusing the whole team because Slack hiccuped is worse
      // than trusting a list that is a minute old. With no list at all, only the listed users count.
      this.options.logger.warn(
        { code: 'UPSTREAM', slackError: slackErrorCode(error) },
        'could not read the privacy team user group',
      );
      return this.group?.value ?? new Set();
    }
  }

  /** The time zone already known for a user, without asking Slack (for paths that must not wait). */
  cachedTimeZone(userId: string): string | undefined {
    return this.zones.get(userId)?.value;
  }

  /** The user's IANA time zone from their Slack profile, or undefined when unknown. */
  async timeZone(userId: string): Promise<string | undefined> {
    const cached = this.zones.get(userId);
    if (cached && cached.expires > this.now()) return cached.value;
    let loading = this.zoneLoading.get(userId);
    if (!loading) {
      loading = this.loadZone(userId).finally(() => this.zoneLoading.delete(userId));
      this.zoneLoading.set(userId, loading);
    }
    return loading;
  }

  private async loadZone(userId: string): Promise<string | undefined> {
    let tz: string | undefined;
    try {
      // `tz` is the IANA zone from the user's profile (docs.slack.dev/reference/methods/users.info).
      const result = await this.options.client.users.info({ user: userId });
      tz = result.user?.tz || undefined;
      if (tz) new Intl.DateTimeFormat('en', { timeZone: tz });
    } catch (error) {
      // An unknown zone or a failed lookup falls back to DEFAULT_TIMEZONE; not worth failing a turn.
      this.options.logger.debug({ slackError: slackErrorCode(error) }, 'no time zone for a Slack user');
      tz = undefined;
    }
    if (this.zones.size >= MAX_USERS_CACHED) this.zones.delete(this.zones.keys().next().value!);
    this.zones.set(userId, { value: tz, expires: this.now() + (this.options.userTtlMs ?? 600_000) });
    return tz;
  }
}
