/**
 * Text in and out of Slack. Everything a person typed (a question, a requester's name, a note) and
 * everything quoted from a policy is escaped before it is rendered as mrkdwn, so `<!channel>`,
 * `<@U123>` or `<https://x|y>` inside it can never ping anyone or become a link.
 */

/** Slack's Block Kit and message limits (docs.slack.dev/reference/block-kit). */
export const LIMITS = {
  /** Blocks in one message (surfaces: messages 50, modals and Home tabs 100). */
  messageBlocks: 50,
  viewBlocks: 100,
  /** A section's text and a mrkdwn text object. */
  sectionText: 3000,
  /** One section field. */
  fieldText: 2000,
  /** A context block's elements. */
  contextElements: 10,
  /** A button's label and an option's label (plain_text). */
  buttonText: 75,
  buttonValue: 2000,
  headerText: 150,
  modalTitle: 24,
  /** The top-level `text` fallback: notifications, screen readers (40,000 allowed; kept short). */
  fallbackText: 3000,
} as const;

/**
 * Escapes the three characters Slack's mrkdwn treats as control characters; Slack asks apps to
 * escape exactly these (docs.slack.dev/messaging/formatting-message-text#escaping).
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cuts text to `max` characters with a visible note, never in the middle of an escape sequence. */
export function clip(text: string, max: number, note = '… (shortened)'): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max - note.length));
  // An escaped `&amp;` cut in half would render as a stray "&am".
  cut = cut.replace(/&[a-z]{0,4}$/i, '');
  return `${cut}${note}`;
}

/** Splits long text into parts of at most `max` characters, preferring paragraph and line breaks. */
export function splitText(text: string, max: number, maxParts: number): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max && parts.length < maxParts - 1) {
    const window = rest.slice(0, max);
    const at = Math.max(window.lastIndexOf('\n\n'), window.lastIndexOf('\n'), window.lastIndexOf('. ') + 1);
    const cut = at > max / 2 ? at : max;
    let head = rest.slice(0, cut);
    // Do not leave half an escape sequence at the end of a part.
    const partial = /&[a-z]{0,4}$/i.exec(head);
    if (partial) head = head.slice(0, partial.index);
    parts.push(head.trimEnd());
    rest = rest.slice(head.length).trimStart();
  }
  parts.push(clip(rest, max, '… (shortened: too long for one Slack message)'));
  return parts.filter((p) => p.length > 0);
}

/**
 * Reads text as Slack sends it (slash commands with `should_escape`, message events) back into
 * what the person typed: `<@U123|alice>` becomes `U123` (owners are Slack user ids),
 * `<mailto:a@b.c|a@b.c>` becomes `a@b.c`, links become their URL, and `&amp; &lt; &gt;` are
 * decoded (Slack encodes them in incoming text; docs.slack.dev/messaging/formatting-message-text).
 */
export function fromSlackText(text: string): string {
  return text
    .replace(/<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g, '$1')
    .replace(/<#([CG][A-Z0-9]+)(?:\|([^>]*))?>/g, (_m, id: string, name?: string) => `#${name || id}`)
    .replace(/<!subteam\^([A-Z0-9]+)(?:\|([^>]*))?>/g, (_m, id: string, name?: string) => name || `@${id}`)
    .replace(/<!([a-z]+)(?:\|[^>]*)?>/g, '@$1')
    .replace(/<mailto:([^|>]+)(?:\|[^>]*)?>/g, '$1')
    .replace(/<((?:https?|ftp):[^|>]+)(?:\|[^>]*)?>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** True for a Slack user id (U… or, in Enterprise Grid, W…). */
export function isSlackUserId(value: string): boolean {
  return /^[UW][A-Z0-9]{2,}$/.test(value);
}

/**
 * Shows a person the core recorded (an owner, an audit-trail actor). Owners logged from Slack are
 * user ids: on surfaces where a mention cannot notify anyone (ephemeral messages, modals, the
 * Home tab) they render as `<@U123>`, which Slack shows as the person's name; elsewhere as the
 * plain id, so a thread reply never pings the owner.
 */
export function who(name: string | null, mentions: boolean): string {
  if (!name) return 'unassigned';
  if (mentions && isSlackUserId(name)) return `<@${name}>`;
  return escapeMrkdwn(name);
}
