import { fold } from '../text.js';
import { type Block, definition, looksLikeHeading, numberedHeading, readsAsProse } from './blocks.js';
import { findFlattenedTables } from './tables.js';

const BULLET = /^(\s*)(?:[-*+•●▪◦‣–—]|\(?[a-z0-9]{1,2}[.)](?=\s))\s+/i;
/**
 * A markdown heading; also without the space CommonMark asks for ("##Purpose", as some real
 * policies write it) where a capital letter follows and the line is short.
 */
const MD_HEADING = /^(#{1,6})(?:\s+|(?=[A-Z][^#]{0,80}$))(.*?)\s*#*\s*$/;
const MD_TABLE_ROW = /^\s*\|.*\|\s*$/;
const MD_TABLE_SEPARATOR = /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/;
/** Longest term of a definition list entry ("Retention period", "Data controller"). */
const DEFINITION_TERM_WORDS = 6;
/** Which line length counts as the wrap width (set on hard-wrapped policies wrapped at 72 to 80). */
const WRAP_PERCENTILE = 0.95;
/** Narrower "widths" are documents of short lines (lists of names), not wrapped prose. */
const MIN_WRAP_WIDTH = 40;
/** Editors and mail clients wrap at 72 to 100 columns; longer "widths" are unwrapped paragraphs. */
const MAX_WRAP_WIDTH = 120;
/** Lines at least this share of the width count as full lines when telling wrapped text apart. */
const LONG_LINE = 0.7;
/** Share of full lines ending mid-sentence above which a document is hard-wrapped (wrapped text: 0.6-0.9). */
const MID_SENTENCE_SHARE = 0.4;
/** A line filled the width when the next word would have taken it past this share of the width. */
const WRAP_FILL = 0.95;
/** Longest line read as a line of an address written a line at a time. */
const ADDRESS_LINE = 60;
/** Longest bold-only line read as a heading, and the longer limit for one without a closing stop. */
const BOLD_HEADING_WORDS = 10;
const BOLD_QUESTION_HEADING_WORDS = 15;
/** An inline HTML tag: `<a href="#x">`, `</a>`, `<br />`; not an autolink (`<https://…>`, `<a@b.org>`). */
const INLINE_TAG = /<\/?[a-z][a-z0-9]*(?:\s+[a-z-]+(?:=(?:"[^"]*"|'[^']*'|[^\s"'<>]+))?)*\s*\/?>/gi;
export const BOLD_LINE = /^\s*(?:\*\*|__)([^*_]+)(?:\*\*|__)\s*:?\s*$/;

/**
 * Strips inline markdown (emphasis, code, links) and inline HTML tags (an anchor `<a id="x"></a>`
 * after a heading, a `<br />`, `<sup>`) but keeps the words.
 */
function stripInline(text: string): string {
  return text
    .replace(INLINE_TAG, ' ')
    .replace(/\s{2,}/g, ' ')
    .trim()
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\(([^)]*)\)/g, (_, label: string, url: string) =>
      /^mailto:/i.test(url) || label.includes('@') || label === url ? label : `${label} (${url})`,
    )
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(^|[\s(])[*_]([^*_\s][^*_]*?)[*_](?=[\s).,;:!?]|$)/g, '$1$2')
    .replace(/`([^`]+)`/g, '$1');
}

function tableCells(row: string): string[] {
  return row
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((c) => fold(stripInline(c)));
}

/**
 * Reads plain text and markdown into blocks. Plain-text policies come in many shapes: one
 * paragraph per line, blank-line paragraphs, hard-wrapped paragraphs, numbered sections, dash and
 * bullet lists, markdown tables and tables flattened without separators. One reader handles all of
 * them, since real policies mix them.
 */
export function parsePlain(source: string, markdown: boolean): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const flat = findFlattenedTables(lines);
  const width = wrapWidth(lines);
  const blocks: Block[] = [];
  // The previous line went into the last block, a paragraph or list item, which may go on.
  let open = false;
  let tableHeader: string[] | null = null;
  let inFence = false;
  // Paragraphs that start right under a lead-in ending in a colon ("Address:").
  const introducedBlocks = new Set<Block>();

  const push = (block: Block) => {
    const text = fold(block.text);
    if (text) blocks.push({ ...block, text });
  };

  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const line = raw.trimEnd();
    const t = line.trim();
    const wasOpen = open;
    open = false;
    if (/^```|^~~~/.test(t)) {
      inFence = !inFence;
      continue;
    }
    if (!t) {
      tableHeader = null;
      continue;
    }
    if (/^(-{3,}|\*{3,}|_{3,}|={3,})$/.test(t)) continue;

    const row = flat.get(i);
    if (row) {
      if (!row.isHeader)
        push({ kind: 'table-row', text: t, cells: row.cells, ...(row.header ? { header: row.header } : {}) });
      continue;
    }
    // A pipe table; GFM lets a table leave out its outer pipes once a separator line is under the header.
    const below = lines[i + 1] ?? '';
    const bare =
      t.includes('|') && (tableHeader !== null || (MD_TABLE_SEPARATOR.test(below) && below.includes('|')));
    if (MD_TABLE_ROW.test(line) || bare) {
      if (MD_TABLE_SEPARATOR.test(line)) continue;
      const cells = tableCells(line);
      if (!tableHeader && MD_TABLE_SEPARATOR.test(below)) {
        tableHeader = cells;
        continue;
      }
      const prev = blocks[blocks.length - 1];
      if (prev?.kind === 'table-row' && prev.cells && !cells[0] && cells.some(Boolean)) {
        // A row with an empty first cell goes on with the row above: text that starts in lower
        // case continues its cells; otherwise it is another row of the same first-cell group.
        if (cells.filter(Boolean).every((c) => /^\p{Ll}/u.test(c))) {
          prev.cells = prev.cells.map((c, k) => fold(`${c} ${cells[k] ?? ''}`));
          prev.text = prev.cells.filter(Boolean).join(' | ');
          continue;
        }
        cells[0] = prev.cells[0] ?? '';
      }
      push({
        kind: 'table-row',
        text: cells.filter(Boolean).join(' | '),
        cells,
        ...(tableHeader ? { header: tableHeader } : {}),
      });
      continue;
    }
    tableHeader = null;

    const md = MD_HEADING.exec(t);
    if (md && !inFence) {
      const title = stripInline(md[2]!);
      if (readsAsProse(title)) {
        push({ kind: 'paragraph', text: title });
        continue;
      }
      const numbered = numberedHeading(title);
      push({
        kind: 'heading',
        text: numbered && !numbered.rest ? numbered.title : title,
        level: md[1]!.length,
        ...(numbered && !numbered.rest ? { number: numbered.number } : {}),
      });
      continue;
    }
    const bold = BOLD_LINE.exec(t);
    if (bold && boldTitle(bold[1]!)) {
      // "**We will not:**" over a list introduces the list: a lead-in, not a section.
      const leadIn = /:$/.test(t.replace(/[*_]+$/, '')) && BULLET.test(nextContentLine(lines, i) ?? '');
      if (leadIn) {
        push({ kind: 'paragraph', text: stripInline(t) });
        open = true;
      } else push({ kind: 'heading', text: bold[1]!, level: 3 });
      continue;
    }
    // A setext heading: a line underlined with === or ---.
    if (markdown && /^(=+|-+)$/.test((lines[i + 1] ?? '').trim()) && looksLikeHeading(t)) {
      push({ kind: 'heading', text: stripInline(t), level: (lines[i + 1] ?? '').includes('=') ? 1 : 2 });
      i++;
      continue;
    }

    // A line that goes on with the paragraph or list item above it (a hard-wrapped line, or an
    // indented continuation of a bullet) joins it, before it can be mistaken for a heading.
    const prev = blocks[blocks.length - 1];
    const prevLine = (lines[i - 1] ?? '').trim();
    if (wasOpen && prev && !startsBlock(line) && goesOn(prev, prevLine, line, markdown, width)) {
      prev.text = fold(`${prev.text} ${markdown || prev.kind === 'list-item' ? stripInline(t) : t}`);
      open = true;
      continue;
    }

    const numbered = numberedHeading(t);
    if (numbered) {
      // "1. Foo" is a list item in a run of list items, a heading otherwise.
      const prev = blocks[blocks.length - 1];
      // "1. Foo" is a list item in a run of list items, or after a lead-in ("We will not:").
      const inList =
        !numbered.number.includes('.') &&
        ((prev?.kind === 'list-item' && /^\s*\d/.test(lines[i - 1] ?? '')) ||
          (prev?.kind === 'paragraph' && /:$/.test(prev.text)));
      if (!inList) {
        push({
          kind: 'heading',
          text: numbered.title,
          level: numbered.number.split('.').length,
          number: numbered.number,
        });
        if (numbered.rest) push({ kind: 'paragraph', text: numbered.rest });
        continue;
      }
    }

    const bullet = BULLET.exec(line);
    if (bullet) {
      const depth = Math.floor((bullet[1] ?? '').replace(/\t/g, '    ').length / 2);
      const body = stripInline(line.slice(bullet[0].length));
      // Some exports run several bullets into one line: "... 30 days. - You can complain ...".
      for (const part of body.split(/(?<=[.!?])\s+[-•]\s+(?=\p{Lu})/u)) {
        push({ kind: 'list-item', text: part, level: depth });
      }
      open = true;
      continue;
    }

    // A definition: a term line, then its definition indented under it by four spaces or a tab
    // ("Term\n    definition"; two spaces is too often stray indentation) or marked with a colon
    // ("Term\n: definition"), read as "Term: definition".
    const following = lines[i + 1] ?? '';
    const body: string[] = [];
    let j = i + 1;
    if (
      /^[\p{Lu}\d"“*_`]/u.test(t) &&
      !/^\s/.test(line) &&
      !/[.!?;,]$/.test(t) &&
      t.split(/\s+/).length <= DEFINITION_TERM_WORDS &&
      (/^(?: {4,}|\t)\S/.test(following) || /^:\s+\S/.test(following)) &&
      !BULLET.test(following.replace(/^:/, ''))
    ) {
      // The definition: the colon-marked line, or the indented lines at the first one's indent.
      const indent = /^\s*/.exec(following)![0];
      while (
        j < lines.length &&
        ((j === i + 1 && /^:\s/.test(lines[j]!)) || isIndentedAt(lines[j]!, indent))
      ) {
        body.push(lines[j]!.trim().replace(/^:\s+/, ''));
        j++;
      }
    }
    // "These include:" over several indented lines is a lead-in over a list, not a term.
    const oneLine = !/^\s{2,}\S/.test(lines[i + 2] ?? '');
    if (body.length > 0 && (!/:$/.test(t) || (body.length === 1 && oneLine))) {
      const term = stripInline(t);
      push({ kind: 'list-item', text: definition(term, stripInline(body.join(' '))), level: 0 });
      open = true;
      i = j - 1;
      continue;
    }

    // A heading without markup: short, no closing punctuation, followed by content. A line after
    // a paragraph that ends in a colon ("...by post to:") is what it introduces, not a heading.
    const next = nextContentLine(lines, i);
    const last = blocks[blocks.length - 1];
    const introduced = /:$/.test(last?.text ?? '') && last?.kind === 'paragraph';
    // Nor is a line right under an unfinished line of text: the next line of an address written
    // a line at a time ("University of Exeter, Streatham Campus" / "Northcote House, Exeter" /
    // "EX4 4QJ").
    const underUnfinished =
      last?.kind === 'paragraph' && prevLine !== '' && !/[.!?:;]["”’)]?$/.test(prevLine);
    // Short lines under each other, none finished, after a lead-in ("Address:"), are one block:
    // an address written a line at a time.
    if (
      underUnfinished &&
      last !== undefined &&
      introducedBlocks.has(last) &&
      last.text.length <= 3 * ADDRESS_LINE &&
      t.length <= ADDRESS_LINE &&
      !/[.!?:]$/.test(t) &&
      // An address's lines have its commas and numbers; a list of short items under "We collect:"
      // has neither and stays a line each.
      /[\d,]/.test(t)
    ) {
      last.text = `${last.text}, ${markdown ? stripInline(t) : t}`;
      open = true;
      continue;
    }
    if (looksLikeHeading(t) && next !== null && !isContinuation(t, next) && !introduced && !underUnfinished) {
      push({ kind: 'heading', text: stripInline(t), level: 0 });
      continue;
    }

    push({ kind: 'paragraph', text: markdown ? stripInline(t) : t });
    if (introduced) introducedBlocks.add(blocks[blocks.length - 1]!);
    open = true;
  }
  return blocks;
}

/**
 * A line that is nothing but bold text is a heading when short; a question heading ("What do we
 * do with your information once we have it?") runs longer than a statement one.
 */
export function boldTitle(text: string): boolean {
  const n = text.split(/\s+/).length;
  return n <= BOLD_HEADING_WORDS || (!/[.,;]$/.test(text) && n <= BOLD_QUESTION_HEADING_WORDS);
}

/**
 * The line length a hard-wrapped document was wrapped at: the 95th percentile of its line lengths
 * (a few long lines, such as addresses, do not move it). A document with one paragraph per line
 * gets a large width, so no line of it looks wrapped.
 */
function wrapWidth(lines: string[]): number {
  const lengths = lines
    .map((l) => l.trim().length)
    .filter((n) => n > 0)
    .sort((a, b) => a - b);
  const width = lengths[Math.floor((lengths.length - 1) * WRAP_PERCENTILE)] ?? 0;
  // A policy written one sentence to a line ends its long lines with a stop; a hard-wrapped one
  // ends most of them mid-sentence. Only the latter has a wrap width.
  const long = lines
    .map((l) => l.trim())
    .filter((l, i) => l.length >= width * LONG_LINE && lines[i + 1]?.trim());
  const midSentence = long.filter((l) => !/[.!?:;)"”]$/.test(l)).length;
  return long.length > 0 && midSentence / long.length >= MID_SENTENCE_SHARE ? width : 0;
}

/** A line that starts a block of its own: a bullet, a numbered line, a table row or a markdown heading. */
function startsBlock(line: string): boolean {
  return (
    BULLET.test(line) ||
    MD_TABLE_ROW.test(line) ||
    MD_HEADING.test(line.trimStart()) ||
    // An indented line is numbered only with a stop or bracket ("  2. Foo"): "  12 Mill Road"
    // under a list item goes on with the item (an address written over two lines).
    /^\d{1,2}(\.\d{1,2})*[.)]?\s/.test(line) ||
    /^\s+\d{1,2}(\.\d{1,2})*[.)]\s/.test(line)
  );
}

/**
 * Does `line` go on with the block `prev` (whose last line is `prevLine`)? An indented line under
 * a list item does; in markdown every line of a paragraph does (and a lazy list continuation);
 * in plain text, a line does when the one above stops mid-sentence, or filled the wrap width so
 * that this line's first word would not have fitted on it (unless this line is a heading).
 */
function goesOn(prev: Block, prevLine: string, line: string, markdown: boolean, width: number): boolean {
  const t = line.trim();
  if (prev.kind === 'list-item' && /^\s{2,}\S/.test(line)) return true;
  if (markdown) return true;
  if (isContinuation(prevLine, t)) return true;
  const firstWord = t.split(/\s/, 1)[0]!.length;
  const filled =
    width >= MIN_WRAP_WIDTH && width <= MAX_WRAP_WIDTH && prevLine.length + 1 + firstWord > width * WRAP_FILL;
  if (!filled) return false;
  return !/[.!?:;)"”]$/.test(prevLine) || !looksLikeHeading(t);
}

function isIndentedAt(line: string, indent: string): boolean {
  return indent.length > 0 && line.startsWith(indent) && /\S/.test(line[indent.length] ?? '');
}

function nextContentLine(lines: string[], i: number): string | null {
  for (let j = i + 1; j < lines.length; j++) {
    const t = lines[j]!.trim();
    if (t) return t;
  }
  return null;
}

/** The previous line stops mid-sentence and the next goes on in lower case (a hard wrap). */
function isContinuation(prev: string, next: string): boolean {
  return !/[.!?:;)"”]$/.test(prev) && /^[\p{Ll}@(]/u.test(next) && !BULLET.test(next);
}
