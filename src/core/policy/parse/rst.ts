import { fold } from '../text.js';
import { type Block, definition, numberedHeading } from './blocks.js';
import { BOLD_LINE, boldTitle } from './plain.js';

/**
 * Reads reStructuredText (docutils' markup, as Sphinx sites write policies) into blocks. The
 * format is indentation-structured, so the reader works on runs of lines with their indent:
 * section titles with underline (and overline) adornments, nested by the order the adornment
 * styles first appear; paragraphs (hard-wrapped lines joined); bullet and enumerated lists;
 * definition and field lists, read as "Term: definition"; simple, grid and list tables, each row
 * with the header; directives and comments dropped, except admonitions ("note", "important"),
 * whose text is the policy's. Inline markup is stripped to its words, links keep their address.
 * Reference: https://docutils.sourceforge.io/docs/ref/rst/restructuredtext.html
 */
export function parseRst(source: string): Block[] {
  const lines = source
    .replace(/\r\n?/g, '\n')
    .replace(/\t/g, '        ')
    .split('\n')
    .map((l) => l.trimEnd());
  const context: Context = { targets: new Map(), substitutions: new Map(), styles: [] };
  for (const line of lines) {
    const target = /^\s*\.\. _`?([^`:]+)`?:\s*(\S+)\s*$/.exec(line);
    if (target) context.targets.set(refName(target[1]!), target[2]!);
    const sub = /^\s*\.\. \|([^|]+)\| replace::\s*(.+)$/.exec(line);
    if (sub) context.substitutions.set(sub[1]!, sub[2]!);
  }
  const blocks: Block[] = [];
  readBody(lines, 0, context, blocks);
  return blocks;
}

interface Context {
  /** Named hyperlink targets (`.. _Name: https://...`), by normalised name. */
  targets: Map<string, string>;
  substitutions: Map<string, string>;
  /** Adornment styles in the order first seen ("=", "o=" for over- and underlined): index + 1 is the level. */
  styles: string[];
}

/** Directives whose argument is already text (the rest take a title, a version or a condition). */
const ADMONITIONS = new Set([
  'note',
  'important',
  'warning',
  'tip',
  'hint',
  'attention',
  'caution',
  'danger',
  'error',
  'seealso',
]);

/** Directives whose body is policy text (docutils' admonitions and topic-like containers). */
const TEXT_DIRECTIVES = new Set([
  ...ADMONITIONS,
  'admonition',
  'topic',
  'sidebar',
  'container',
  'only',
  'versionadded',
  'versionchanged',
  'deprecated',
]);

/** A line of one repeated punctuation character: a section adornment or a transition. */
const ADORNMENT = /^([!-/:-@[-`{-~])\1{2,}$/;
const BULLET = /^([-*+•‣⁃])(\s+|$)/;
const ENUMERATOR =
  /^(?:\d+|[a-zA-Z]|#|[ivxlcdm]+|[IVXLCDM]+)[.)](\s+|$)|^\((?:\d+|[a-zA-Z]|#|[ivxlcdm]+)\)(\s+|$)/;
const GRID_BORDER = /^\+(?:[-=]+\+)+$/;
const SIMPLE_BORDER = /^=+(?: +=+)+$/;
const FIELD = /^:([^:]+):(?:\s+(.*))?$/;

const indentOf = (line: string) => line.length - line.trimStart().length;

/**
 * The lines after `from` that belong to a construct whose body is indented more than `indent`
 * (blank lines inside it included), as [end index, the body dedented].
 */
function indentedBody(lines: string[], from: number, indent: number): [number, string[]] {
  let end = from;
  let last = from;
  while (end < lines.length && (lines[end] === '' || indentOf(lines[end]!) > indent)) {
    if (lines[end] !== '') last = end + 1;
    end++;
  }
  const body = lines.slice(from, last);
  const cut = Math.min(...body.filter(Boolean).map(indentOf));
  return [last, body.map((l) => l.slice(Number.isFinite(cut) ? cut : 0))];
}

/** Reads the body lines (dedented to column 0) into blocks; list items get `listLevel` and deeper. */
function readBody(lines: string[], listLevel: number, ctx: Context, out: Block[]): void {
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line === '') {
      i++;
      continue;
    }
    const indent = indentOf(line);
    const t = line.trim();
    const next = lines[i + 1] ?? '';

    // An indented block with no construct before it: a block quote, read as its contents.
    if (indent > 0) {
      const [end, body] = indentedBody(lines, i, indent - 1);
      readBody(body, listLevel, ctx, out);
      i = Math.max(end, i + 1);
      continue;
    }

    // Section title: overline + title + underline, or title + underline.
    if (ADORNMENT.test(t) && lines[i + 1]?.trim() && ADORNMENT.test(lines[i + 2]?.trim() ?? '')) {
      heading(`o${t[0]}`, lines[i + 1]!.trim(), ctx, out);
      i += 3;
      continue;
    }
    if (ADORNMENT.test(t)) {
      // A transition (a line on its own between paragraphs).
      i++;
      continue;
    }
    if (
      next &&
      ADORNMENT.test(next.trim()) &&
      indentOf(next) === 0 &&
      next.trim().length >= Math.min(t.length, 4)
    ) {
      heading(next.trim()[0]!, t, ctx, out);
      i += 2;
      continue;
    }

    // Explicit markup: directives, comments, targets, footnotes, substitution definitions.
    if (/^\.\.(\s|$)/.test(t)) {
      const [end, body] = indentedBody(lines, i + 1, 0);
      const directive = /^\.\.\s+([\w:-]+)::\s*(.*)$/.exec(t);
      const footnote = /^\.\.\s+\[[^\]]+\]\s+(.*)$/.exec(t);
      if (directive) {
        const name = directive[1]!.toLowerCase();
        if (name === 'list-table' || name === 'csv-table') readTableDirective(name, body, ctx, out);
        else if (TEXT_DIRECTIVES.has(name)) {
          // An admonition's first line may already be text (".. note:: We never sell data.").
          const text = ADMONITIONS.has(name) ? directive[2]! : '';
          readBody([...(text ? [text] : []), ...withoutOptions(body)], listLevel, ctx, out);
        }
      } else if (footnote) {
        readBody([footnote[1]!, ...body], listLevel, ctx, out);
      }
      i = Math.max(end, i + 1);
      continue;
    }

    if (GRID_BORDER.test(t)) {
      let end = i;
      while (end < lines.length && /^[+|]/.test(lines[end]!.trim())) end++;
      readGridTable(lines.slice(i, end), ctx, out);
      i = end;
      continue;
    }
    if (SIMPLE_BORDER.test(t)) {
      i = readSimpleTable(lines, i, ctx, out);
      continue;
    }

    // Lists: the item's text starts after the marker; its body is indented to the text.
    const marker = BULLET.exec(t) ?? ENUMERATOR.exec(t);
    if (marker && (marker[0].trim() !== t || next.trim())) {
      const column = marker[0].length;
      const [end, body] = indentedBody(lines, i + 1, column - 1);
      const itemLines = [t.slice(column), ...body];
      readItem(itemLines, listLevel, ctx, out);
      i = Math.max(end, i + 1);
      continue;
    }

    // Field list ":Effective date: 1 May 2025", read as "Effective date: 1 May 2025".
    const field = FIELD.exec(t);
    if (field) {
      const [end, body] = indentedBody(lines, i + 1, 0);
      const text = inline([field[2] ?? '', ...body].join(' '), ctx);
      if (text) out.push({ kind: 'paragraph', text: `${inline(field[1]!, ctx)}: ${text}` });
      i = Math.max(end, i + 1);
      continue;
    }

    // Definition list: a term line directly followed by its indented definition.
    if (next && indentOf(next) > 0 && next.trim()) {
      const [end, body] = indentedBody(lines, i + 1, 0);
      const term = inline(t.replace(/\s+:\s+.*$/, ''), ctx);
      readItem(body, listLevel, ctx, out, term);
      i = end;
      continue;
    }

    // A paragraph: every line up to a blank line or an indented line.
    let end = i + 1;
    while (end < lines.length && lines[end] !== '' && indentOf(lines[end]!) === 0) {
      // A line followed by an adornment starts a new section.
      if (ADORNMENT.test((lines[end + 1] ?? '').trim()) && !ADORNMENT.test(lines[end]!.trim())) break;
      end++;
    }
    // A line all in strong emphasis ("**Usage Data**") over a paragraph titles what follows, as
    // policies converted from word processors write sub-headings; over a list it leads into it.
    const bold = end === i + 1 ? BOLD_LINE.exec(t) : null;
    if (bold && boldTitle(bold[1]!.trim()) && !/:\s*(?:\*\*)?\s*$/.test(t)) {
      out.push({ kind: 'heading', text: inline(bold[1]!.trim(), ctx), level: ctx.styles.length + 1 });
      i = end;
      continue;
    }
    const text = paragraph(lines.slice(i, end), ctx);
    if (text) out.push({ kind: 'paragraph', text });
    i = end;
    // "Paragraph::" introduces a literal block: code, not policy text.
    if (/::$/.test(lines[end - 1]!.trim()) && (lines[end] === '' || indentOf(lines[end] ?? '') > 0)) {
      i = indentedBody(lines, end, 0)[0];
    }
  }
}

/** A list or definition item: its first paragraph is the item (after the term, if any); the rest nests. */
function readItem(body: string[], level: number, ctx: Context, out: Block[], term?: string): void {
  let first = 0;
  while (first < body.length && body[first] !== '' && !startsConstruct(body[first]!, first > 0)) first++;
  const text = paragraph(body.slice(0, first), ctx);
  const joined = term ? (text ? definition(term, text) : term) : text;
  if (joined) out.push({ kind: 'list-item', text: joined, level });
  const inner: Block[] = [];
  readBody(body.slice(first), level + 1, ctx, inner);
  for (const block of inner) {
    // A second paragraph of the item continues it; nested lists stay items of their own.
    const item = out[out.length - 1];
    if (block.kind === 'paragraph' && item?.kind === 'list-item' && item.level === level) {
      item.text = `${item.text} ${block.text}`;
    } else out.push(block);
  }
}

/** Inside an item, a line that starts a nested construct ends the item's first paragraph. */
function startsConstruct(line: string, notFirst: boolean): boolean {
  const t = line.trim();
  return notFirst && (indentOf(line) > 0 || BULLET.test(t) || GRID_BORDER.test(t) || /^\.\.\s/.test(t));
}

/** Directive options (":header-rows: 1") come first in the body; they are settings, not text. */
function withoutOptions(body: string[]): string[] {
  let i = 0;
  while (i < body.length && FIELD.test(body[i]!.trim())) i++;
  return body.slice(i);
}

function heading(style: string, raw: string, ctx: Context, out: Block[]): void {
  if (!ctx.styles.includes(style)) ctx.styles.push(style);
  const title = inline(raw, ctx);
  if (!title) return;
  const numbered = numberedHeading(title);
  out.push({
    kind: 'heading',
    text: numbered && !numbered.rest ? numbered.title : title,
    level: ctx.styles.indexOf(style) + 1,
    ...(numbered && !numbered.rest ? { number: numbered.number } : {}),
  });
}

function paragraph(lines: string[], ctx: Context): string {
  // A line block ("| line") keeps its lines; here they are joined like any wrapped paragraph.
  return inline(lines.map((l) => l.trim().replace(/^\|\s/, '')).join(' '), ctx);
}

/** Normalised reference name, as docutils compares them: case and white space folded. */
function refName(name: string): string {
  return fold(name).toLowerCase();
}

/**
 * "label (https://...)" as markdown links read, "label (someone@example.org)" for a mail link;
 * a label that already is the address reads as itself, and a link to another page of the same
 * site (no scheme) keeps only its label.
 */
function link(label: string, url: string): string {
  const target = url.replace(/^mailto:/i, '');
  if (!label || label.includes(target)) return label || target;
  return /^mailto:|^[a-z]+:\/\//i.test(url) ? `${label} (${target})` : label;
}

/** Strips inline markup to its words. */
export function inline(text: string, ctx: Pick<Context, 'targets' | 'substitutions'>): string {
  return fold(
    text
      .replace(/``(.+?)``/g, '$1')
      .replace(/:[\w:+-]+:`([^`]+)`/g, (_, body: string) => body.replace(/\s*<[^>]+>$/, '') || body)
      .replace(/`([^`<]*?)\s*<([^>]+)>`__?/g, (_, label: string, url: string) =>
        /_$/.test(url) ? label : link(label, url),
      )
      .replace(/`([^`]+)`__?/g, (_, name: string) => {
        const url = ctx.targets.get(refName(name));
        return url && !/_$/.test(url) ? link(name, url) : name;
      })
      .replace(/`([^`]+)`/g, '$1')
      .replace(/\|([^|\s][^|]*)\|_{0,2}/g, (_, name: string) => ctx.substitutions.get(name) ?? name)
      .replace(/\s*\[(?:#[\w-]*|\*|\d+)\]_/g, '')
      .replace(/\b([\w.-]*\w)__?(?=[\s.,;:!?)]|$)/g, (whole, name: string) => {
        const url = ctx.targets.get(refName(name));
        return url ? link(name, url) : /_/.test(name) ? whole : name;
      })
      .replace(/\*\*(.+?)\*\*/g, '$1')
      .replace(/(^|[\s(“"'])\*([^*\s][^*]*?)\*(?=[\s).,;:!?”"']|$)/g, '$1$2')
      .replace(/\\(.)/g, '$1'),
  );
}

function pushRow(cells: string[], header: string[] | null, out: Block[]): void {
  if (!cells.some(Boolean)) return;
  out.push({
    kind: 'table-row',
    text: cells.filter(Boolean).join(' | '),
    cells,
    ...(header ? { header } : {}),
  });
}

/** Cell text: a cell's lines joined, bullet lines inside a cell separated by semicolons. */
function cellText(lines: string[], ctx: Context): string {
  const items: string[] = [];
  for (const raw of lines) {
    const t = raw.trim();
    if (!t) continue;
    const bullet = BULLET.exec(t);
    if (bullet || items.length === 0) items.push(t.slice(bullet ? bullet[0].length : 0));
    else items[items.length - 1] = `${items[items.length - 1]} ${t}`;
  }
  return items.map((s) => inline(s, ctx)).join('; ');
}

/**
 * A grid table: "+---+---+" borders, "|" between cells, "+===+" under the header rows. Column
 * edges come from the top border; a row runs until the next border, so multi-line cells join.
 */
function readGridTable(lines: string[], ctx: Context, out: Block[]): void {
  const border = lines[0]!.trim();
  const offset = lines[0]!.indexOf('+');
  const edges = [...border].flatMap((ch, i) => (ch === '+' ? [i] : []));
  let header: string[] | null = null;
  let rowLines: string[] = [];
  const rows: { cells: string[]; header: boolean }[] = [];
  for (const raw of lines.slice(1)) {
    const line = raw.slice(offset);
    if (/^\+[-=+]+\+$/.test(line.trim())) {
      const cells = edges.slice(0, -1).map((from, k) =>
        cellText(
          rowLines.map((l) => l.slice(from + 1, edges[k + 1]).replace(/^\|/, '')),
          ctx,
        ),
      );
      if (rowLines.length) rows.push({ cells, header: line.includes('=') });
      rowLines = [];
    } else rowLines.push(line);
  }
  const headerEnd = rows.findIndex((r) => r.header);
  if (headerEnd >= 0) {
    // Several header rows read as one: each column's words joined.
    header = rows[0]!.cells.map((_, k) =>
      rows
        .slice(0, headerEnd + 1)
        .map((r) => r.cells[k] ?? '')
        .filter(Boolean)
        .join(' '),
    );
  }
  for (const row of rows.slice(headerEnd + 1)) pushRow(row.cells, header, out);
}

/**
 * A simple table: "=====  =====" borders; the rows between the first two borders are the header
 * when a third border follows. A line whose first column is blank continues the row above.
 */
function readSimpleTable(lines: string[], start: number, ctx: Context, out: Block[]): number {
  const border = lines[start]!;
  const columns: [number, number][] = [];
  for (const m of border.matchAll(/=+/g)) columns.push([m.index ?? 0, (m.index ?? 0) + m[0].length]);
  const borders: number[] = [start];
  let end = start + 1;
  for (; end < lines.length; end++) {
    const t = lines[end]!.trim();
    if (SIMPLE_BORDER.test(t) || /^=+$/.test(t)) {
      borders.push(end);
      // The table ends at a border followed by a blank line or the end, once there are rows.
      if (borders.length >= 2 && !(lines[end + 1] ?? '').trim()) break;
    }
  }
  const last = borders[borders.length - 1]!;
  const hasHeader = borders.length >= 3;
  const split = (line: string) =>
    columns.map(([from, to], k) => line.slice(from, k === columns.length - 1 ? undefined : to).trim());
  const collect = (from: number, to: number) => {
    const rows: string[][][] = [];
    for (let k = from; k < to; k++) {
      const line = lines[k]!;
      if (!line.trim() || /^[-= ]+$/.test(line.trim())) continue;
      const cells = split(line);
      if (!cells[0] && rows.length > 0)
        cells.forEach((c, n) => {
          rows[rows.length - 1]![n]!.push(c);
        });
      else rows.push(cells.map((c) => [c]));
    }
    return rows.map((r) => r.map((c) => cellText(c, ctx)));
  };
  const header = hasHeader ? (collect(borders[0]! + 1, borders[1]!)[0] ?? null) : null;
  for (const row of collect(borders[hasHeader ? 1 : 0]! + 1, last)) pushRow(row, header, out);
  return last + 1;
}

/** `.. list-table::` (a two-level bullet list) and `.. csv-table::` with `:header-rows:` / `:header:`. */
function readTableDirective(name: string, body: string[], ctx: Context, out: Block[]): void {
  const options = new Map<string, string>();
  for (const line of body) {
    const m = FIELD.exec(line.trim());
    if (m) options.set(m[1]!, m[2] ?? '');
  }
  const rows: string[][] = [];
  const content = withoutOptions(body);
  if (name === 'csv-table') {
    for (const line of content) if (line.trim()) rows.push(csv(line.trim()).map((c) => inline(c, ctx)));
  } else {
    for (const line of content) {
      const row = /^\*\s+-\s+(.*)$/.exec(line.trim());
      const cell = /^-\s+(.*)$/.exec(line.trim());
      if (row) rows.push([row[1]!]);
      else if (cell && rows.length) rows[rows.length - 1]!.push(cell[1]!);
      else if (line.trim() && rows.length) {
        const r = rows[rows.length - 1]!;
        r[r.length - 1] = `${r[r.length - 1]} ${line.trim()}`;
      }
    }
    rows.forEach((r, k) => {
      rows[k] = r.map((c) => inline(c, ctx));
    });
  }
  let header: string[] | null = options.has('header')
    ? csv(options.get('header')!).map((c) => inline(c, ctx))
    : null;
  const headerRows = Number(options.get('header-rows') ?? 0);
  if (!header && headerRows > 0) header = rows[0] ?? null;
  for (const row of rows.slice(header && !options.has('header') ? headerRows : 0)) pushRow(row, header, out);
}

function csv(line: string): string[] {
  return [...line.matchAll(/\s*(?:"((?:[^"]|"")*)"|([^,]*))\s*(?:,|$)/g)]
    .map((m) => (m[1] ?? m[2] ?? '').replace(/""/g, '"').trim())
    .filter((_, k, all) => k < all.length - 1 || all[k] !== '');
}
