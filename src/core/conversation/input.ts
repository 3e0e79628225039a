import { MAX_QUESTION_CHARS } from '../policy/answer.js';
import { commandHint } from './commands.js';
import { lineKind } from './understand.js';

/**
 * What every channel checks of a typed line before the engine reads it, so Slack, Teams and the
 * console chat refuse, and hint, alike: one cap on its length with one message, and one typo hint
 * for what looks like a mistyped command.
 */

/**
 * The longest line read: the cap the core already puts on a question (MAX_QUESTION_CHARS in
 * src/core/policy/answer.ts). Longer is a paste error, and its regexes and date parsing need not
 * see a novel; a request with a long story goes in the form, whose note takes more.
 */
export const MAX_INPUT_CHARS = MAX_QUESTION_CHARS;

/** The reply to a line over {@link MAX_INPUT_CHARS}; undefined when the line may be read. */
export function overLongLine(text: string): string | undefined {
  if (text.length <= MAX_INPUT_CHARS) return undefined;
  return `That message is ${text.length} characters long; keep it under ${MAX_INPUT_CHARS} (one question at a time).`;
}

/**
 * The typo hint for a line the core would otherwise read as a policy question ("shwo DSR-…",
 * "reqests"); undefined when the line should go to the engine as it is. `command`: the prefix a
 * channel's commands are typed with (Slack's `/privacy`), none where the bare command is typed.
 * `kind`: the line's kind, when the channel has read it already.
 */
export function typoHint(
  text: string,
  now: Date,
  options: { command?: string; kind?: ReturnType<typeof lineKind> } = {},
): string | undefined {
  const kind = options.kind ?? lineKind(text, now);
  return kind === 'question' ? commandHint(text, options.command) : undefined;
}
