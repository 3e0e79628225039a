/**
 * Slack's address forms. Owners are free text in the register; a Slack user id, or a mention of
 * one, is an address as it stands. The composition root hands {@link slackAddress} to the reminder
 * core (which knows no platform's forms) and to the Slack reminder channel.
 */

// A Slack user id (U… or W… in Enterprise Grid) has at least one digit, which keeps upper-case
// names such as "ULRICH" out; `<@U123>` and `<@U123|name>` are how Slack writes a mention.
const SLACK_ID = /^[UW](?=[A-Z0-9]*\d)[A-Z0-9]{6,}$/;
const SLACK_MENTION = /^<@([UW](?=[A-Z0-9]*\d)[A-Z0-9]{6,})(?:\|[^>]*)?>$/;

/**
 * The Slack user id an owner is by its form alone (`U012AB3CD`, `<@U012AB3CD|bob>`), or null for
 * anything else: a name, which a platform that knows people by name may still resolve (`address`
 * in src/core/reminders/delivery.ts); otherwise the owner is mentioned in the privacy channel.
 */
export function slackAddress(owner: string | null): string | null {
  if (!owner) return null;
  const text = owner.trim();
  if (SLACK_ID.test(text)) return text;
  return SLACK_MENTION.exec(text)?.[1] ?? null;
}

/** True for an address that is Slack's by its form: a user id or a mention of one. */
export function isSlackAddress(address: string): boolean {
  return slackAddress(address) !== null;
}
