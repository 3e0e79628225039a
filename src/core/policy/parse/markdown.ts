import { fromBbcode } from './bbcode.js';
import type { Block } from './blocks.js';
import { parseHtml } from './html.js';
import { parsePlain } from './plain.js';

/**
 * Markdown as CommonMark reads it: raw HTML blocks (a `<table>` of retention periods, a `<ul>`, a
 * `<div>` of sections) are HTML, read by the HTML reader with their structure (header rows,
 * spanned cells, list items); the text between them is markdown. A block opens with a line that
 * starts with a block-level tag or a comment and runs to its closing tag, or to a blank line when
 * the tag is not closed on its own lines.
 */
export function parseMarkdown(source: string): Block[] {
  const { title, body } = frontMatter(source);
  const blocks = splitHtmlBlocks(body).flatMap((segment) =>
    segment.html ? parseHtml(segment.text) : parsePlain(fromBbcode(segment.text), true),
  );
  return title ? [{ kind: 'heading', text: title, level: 1 }, ...blocks] : blocks;
}

/**
 * A static-site page's front matter (`---` lines around `title: ...`, `permalink: ...`) is data
 * about the page, not its text: its title is the document's title, the rest is left out.
 */
export function frontMatter(source: string): { title: string | null; body: string } {
  const m = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(source);
  if (!m || !/^[A-Za-z_][\w-]*:/m.test(m[1]!)) return { title: null, body: source };
  const title =
    /^title:[ \t]*(.+)$/m
      .exec(m[1]!)?.[1]
      ?.trim()
      .replace(/^(["'])(.*)\1$/, '$2') ?? null;
  // The text's line numbers stay as they were: front matter becomes blank lines.
  return {
    title: title || null,
    body: `${'\n'.repeat(m[0].split('\n').length - 1)}${source.slice(m[0].length)}`,
  };
}

const BLOCK_TAG =
  /^\s{0,3}<(table|thead|tbody|tr|ul|ol|dl|div|section|article|aside|details|blockquote|p|h[1-6]|figure|center)(?=[\s>/])/i;

const LINK_DEFINITION = /^\s{0,3}\[[^\]]+\]:\s*<?\S+>?(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*$/;

/** The document cut into markdown runs and raw HTML blocks, in order. */
export function splitHtmlBlocks(source: string): { html: boolean; text: string }[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const out: { html: boolean; text: string }[] = [];
  let markdown: string[] = [];
  let inFence = false;
  const flush = () => {
    if (markdown.some((l) => l.trim())) out.push({ html: false, text: markdown.join('\n') });
    markdown = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\s{0,3}(```|~~~)/.test(line)) inFence = !inFence;
    const open = inFence ? null : BLOCK_TAG.exec(line);
    if (!open) {
      // A link reference definition ("[changes]: https://…") gives a link's address: not text.
      markdown.push(!inFence && LINK_DEFINITION.test(line) ? '' : line);
      continue;
    }
    const tag = open[1]!.toLowerCase();
    const opens = new RegExp(`<${tag}(?=[\\s>/])`, 'gi');
    const closes = new RegExp(`</${tag}\\s*>`, 'gi');
    // The last line that closes this tag: past it, a tag left open can only end at a blank line.
    let lastClose = -1;
    for (let j = lines.length - 1; j >= i && lastClose < 0; j--) if (lines[j]!.match(closes)) lastClose = j;
    let depth = 0;
    let end = i;
    for (; end < lines.length; end++) {
      depth += (lines[end]!.match(opens) ?? []).length - (lines[end]!.match(closes) ?? []).length;
      if (depth <= 0) break;
      // A tag left open (`<p>` with no `</p>`) ends at a blank line, as CommonMark has it.
      if (!lines[end + 1]?.trim() && lastClose <= end) break;
    }
    end = Math.min(end, lines.length - 1);
    flush();
    out.push({ html: true, text: lines.slice(i, end + 1).join('\n') });
    i = end;
  }
  flush();
  return out;
}
