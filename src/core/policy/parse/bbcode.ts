/**
 * Forum markup (BBCode), as policies posted on a forum or wiki come: `[B]Title[/B]`, `[url=...]`,
 * `[list][*]item[/list]`. It is rewritten into the plain-text shapes the text reader already
 * knows (a `**Title**` line is a heading, a `- item` line a list item), with links kept readable.
 */

/** The tags a forum writes. Others in square brackets ("[1]", "[Company]") are ordinary text. */
const TAG =
  /\[\/?(?:b|i|u|s|em|strong|url|email|list|\*|li|ul|ol|h[1-6]|size|color|colour|font|quote|center|left|right|img|code|spoiler|indent)(?:=[^\]\n]*)?\]/gi;

/** A document is forum markup when it closes at least two of these tags. */
function isBbcode(source: string): boolean {
  return (
    (source.match(/\[\/(?:b|i|u|url|list|h[1-6]|size|color|quote|center|email|li)\]/gi) ?? []).length >= 2
  );
}

/**
 * `[url=X]label[/url]` reads "label (X)", as markdown links do, and a mail link "label (address)";
 * a label that already is the address reads as itself.
 */
function link(url: string, label: string): string {
  const target = url.replace(/^["']|["']$/g, '').replace(/^mailto:/i, '');
  return !label || label.includes(target) ? label || target : `${label} (${target})`;
}

/** "[B]Who we are[/B]" or "[size=4][b]Who we are[/b][/size]": the title, else null. */
function boldTitle(line: string): string | null {
  const m = /^\s*((?:\[[^\]\n/]+\]\s*)+)(.*?)((?:\s*\[\/[^\]\n]+\])+)\s*$/.exec(line);
  if (!m || !/\[(?:b|strong)\]/i.test(m[1]!)) return null;
  // "[b]Name[/b] and [b]Email[/b]" is a sentence with two bold words, not a title.
  if (/\[\/?(?:b|strong)\]/i.test(m[2]!)) return null;
  const title = m[2]!.replace(TAG, '').trim();
  return title || null;
}

/** Rewrites forum markup into plain text lines; other documents come back unchanged. */
export function fromBbcode(source: string): string {
  if (!isBbcode(source)) return source;
  return (
    source
      .replace(/\[img\][\s\S]*?\[\/img\]/gi, '')
      .replace(/\[url=([^\]]+)\]([\s\S]*?)\[\/url\]/gi, (_, url: string, label: string) =>
        link(url, label.replace(TAG, '').trim()),
      )
      .replace(/\[url\]([\s\S]*?)\[\/url\]/gi, (_, url: string) => url.trim())
      .replace(/\[email=([^\]]+)\]([\s\S]*?)\[\/email\]/gi, (_, to: string, label: string) =>
        link(`mailto:${to}`, label.trim()),
      )
      .replace(/\[email\]([\s\S]*?)\[\/email\]/gi, (_, to: string) => to.trim())
      // Headings: [h2]Title[/h2], or a line that is nothing but one bold (maybe sized) title.
      .replace(
        /^[ \t]*\[h([1-6])\]([^\n]*?)\[\/h\1\][ \t]*$/gim,
        (_, level: string, title: string) => `${'#'.repeat(Number(level))} ${title.replace(TAG, '').trim()}`,
      )
      .split('\n')
      .map((line) => {
        const title = boldTitle(line);
        return title ? `**${title}**` : line;
      })
      .join('\n')
      // Lists: each item on a line of its own, the list set apart by blank lines.
      .replace(/\[\*\]|\[li\]/gi, '\n- ')
      .replace(/\[\/?(?:list|ul|ol)(?:=[^\]\n]*)?\]|\[\/li\]/gi, '\n')
      .replace(TAG, '')
  );
}
