import { Parser } from 'htmlparser2';
import { fold } from '../text.js';
import type { Block } from './blocks.js';
import { definition, numberedHeading, readsAsProse } from './blocks.js';

/** Elements whose content is never policy text: page chrome, scripts and widgets. */
const SKIP = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'svg',
  'nav',
  'head',
  'iframe',
  'button',
  'select',
  'option',
  'form',
  'canvas',
  'object',
]);
/** Elements that end the running text block. */
const BLOCK = new Set([
  'p',
  'div',
  'section',
  'article',
  'main',
  'header',
  'footer',
  'aside',
  'blockquote',
  'pre',
  'ul',
  'ol',
  'dl',
  'dt',
  'dd',
  'li',
  'table',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'td',
  'th',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'br',
  'hr',
  'address',
  'figure',
  'figcaption',
  'details',
  'summary',
  'caption',
]);

/** The symbol a page puts after a heading as a link to it. */
const PERMALINK = /\s*[#¶§🔗]$/u;

/**
 * Reads an HTML page into blocks with htmlparser2, which recovers from malformed markup the way
 * browsers mostly do (unclosed paragraphs and list items, stray end tags). Navigation, scripts and
 * styles are dropped; headings, paragraphs, list items and table rows (with their header) are kept.
 */
export function parseHtml(source: string): Block[] {
  const blocks: Block[] = [];
  let text = '';
  let skipDepth = 0;
  let headingLevel = 0;
  let listDepth = 0;
  let inItem = false;
  let table: TableState | null = null;
  let row: CellState[] | null = null;
  let cell: CellState | null = null;
  /** Tables open inside the current cell: their text joins the cell. */
  let nested = 0;
  /** A definition list's term (<dt>), waiting for its definition (<dd>). */
  let term: string | null = null;
  let definitionOf: string | null = null;
  let hidden = 0;
  const stack: { name: string; hidden: boolean }[] = [];

  const flush = () => {
    // A heading's permalink ("Retention #", "Retention ¶") is page chrome, not part of its title.
    const t = headingLevel > 0 ? fold(text).replace(PERMALINK, '') : fold(text);
    text = '';
    if (!t) return;
    if (headingLevel > 0 && !readsAsProse(t)) {
      const numbered = numberedHeading(t);
      blocks.push({
        kind: 'heading',
        text: numbered && !numbered.rest ? numbered.title : t,
        level: headingLevel,
        ...(numbered && !numbered.rest ? { number: numbered.number } : {}),
      });
    } else if (definitionOf !== null) {
      // <dt>Term</dt><dd>definition</dd> reads "Term: definition", an item of the list.
      blocks.push({ kind: 'list-item', text: definition(definitionOf, t), level: listDepth });
      term = null;
      definitionOf = null;
    } else if (inItem) {
      blocks.push({ kind: 'list-item', text: t, level: Math.max(0, listDepth - 1) });
    } else {
      blocks.push({ kind: 'paragraph', text: t });
    }
  };

  const endRow = () => {
    if (!row) return;
    table ??= newTable();
    const cells = spreadRow(row, table);
    const isHeader = table.inHead || (row.some((c) => c.th) && row.every((c) => c.th || !fold(c.text)));
    const kept = cells.filter((c, i) => c || i < cells.length - 1);
    if (kept.some(Boolean)) {
      if (isHeader && !table.header) table.header = kept;
      else
        blocks.push({
          kind: 'table-row',
          text: kept.filter(Boolean).join(' | '),
          cells: kept,
          ...(table.header ? { header: table.header } : {}),
        });
    }
    row = null;
  };

  const parser = new Parser(
    {
      onopentag(name, attrs) {
        const isHidden =
          attrs.hidden !== undefined ||
          attrs['aria-hidden'] === 'true' ||
          /display\s*:\s*none/i.test(attrs.style ?? '') ||
          attrs.role === 'navigation';
        stack.push({ name, hidden: isHidden });
        if (isHidden) hidden++;
        if (SKIP.has(name)) {
          skipDepth++;
          return;
        }
        if (skipDepth > 0 || hidden > 0) return;
        if (cell !== null) {
          // Inside a cell, lists, paragraphs and nested tables are parts of the cell's text.
          if (name === 'table') nested++;
          else if (name === 'li' || name === 'tr') separate(cell, '; ');
          else if (BLOCK.has(name)) separate(cell, ' ');
          return;
        }
        if (name === 'br') {
          flush();
          return;
        }
        if (row !== null && (name === 'td' || name === 'th')) {
          cell = { text: '', th: name === 'th', rowspan: span(attrs.rowspan), colspan: span(attrs.colspan) };
          return;
        }
        if (BLOCK.has(name)) flush();
        if (/^h[1-6]$/.test(name)) headingLevel = Number(name[1]);
        else if (name === 'ul' || name === 'ol') listDepth++;
        else if (name === 'li') inItem = true;
        else if (name === 'table') table = newTable();
        else if (name === 'thead' && table) table.inHead = true;
        else if (name === 'tr') {
          endRow();
          row = [];
        } else if (name === 'dt') {
          // A term without a definition is still text.
          if (term !== null) blocks.push({ kind: 'paragraph', text: term });
          term = null;
        } else if (name === 'dd') definitionOf = term;
      },
      ontext(data) {
        if (skipDepth > 0 || hidden > 0) return;
        if (cell !== null) cell.text += data;
        else text += data;
      },
      onclosetag(name) {
        const open = stack.pop();
        if (open?.hidden) hidden--;
        if (SKIP.has(name)) {
          skipDepth = Math.max(0, skipDepth - 1);
          return;
        }
        if (skipDepth > 0 || hidden > 0) return;
        if (cell !== null) {
          if (nested > 0) {
            if (name === 'table') nested--;
            else if (name === 'td' || name === 'th') separate(cell, ' ');
          } else if (name === 'td' || name === 'th') {
            row?.push({ ...cell, text: fold(cell.text).replace(/;$/, '') });
            cell = null;
          }
          return;
        }
        if (name === 'tr') {
          endRow();
          return;
        }
        if (name === 'thead' && table) table.inHead = false;
        if (name === 'table') {
          endRow();
          table = null;
        }
        if (name === 'dt') {
          term = fold(text);
          text = '';
          if (!term) term = null;
          return;
        }
        if (BLOCK.has(name)) flush();
        if (name === 'dd') definitionOf = null;
        if (/^h[1-6]$/.test(name)) headingLevel = 0;
        else if (name === 'ul' || name === 'ol') listDepth = Math.max(0, listDepth - 1);
        else if (name === 'li') inItem = listDepth > 0 && stack.some((s) => s.name === 'li');
      },
    },
    { decodeEntities: true, lowerCaseTags: true, recognizeSelfClosing: true },
  );
  parser.write(source);
  parser.end();
  flush();
  return blocks;
}

interface TableState {
  header: string[] | null;
  /** Cells that span down (rowspan), by column: their text and how many more rows they fill. */
  spans: ({ text: string; left: number } | undefined)[];
  inHead: boolean;
}

interface CellState {
  text: string;
  th: boolean;
  rowspan: number;
  colspan: number;
}

function newTable(): TableState {
  return { header: null, spans: [], inHead: false };
}

function span(value: string | undefined): number {
  const n = Number.parseInt(value ?? '1', 10);
  return Number.isFinite(n) && n > 1 ? Math.min(n, MAX_SPAN) : 1;
}

/** Largest rowspan/colspan honoured; a page that says rowspan="999" means "the rest". */
const MAX_SPAN = 50;

/** Adds a separator to a cell's text unless it is empty or already ends with one. */
function separate(cell: CellState, separator: string): void {
  const text = cell.text.trimEnd();
  if (text && !(separator.trim() && text.endsWith(separator.trim()))) cell.text = text + separator;
}

/**
 * A row's cells in table columns: a cell that spans down from a row above (rowspan) fills its
 * column again, so every row reads whole; a header cell spanning columns names each of them.
 */
function spreadRow(row: CellState[], table: TableState): string[] {
  const out: string[] = [];
  const carry = () => {
    for (let s = table.spans[out.length]; s && s.left > 0; s = table.spans[out.length]) {
      out.push(s.text);
      s.left--;
    }
  };
  const header = row.every((c) => c.th || !fold(c.text));
  for (const c of row) {
    carry();
    const at = out.length;
    for (let n = 0; n < c.colspan; n++) {
      const text = n === 0 || header ? c.text : '';
      out.push(text);
      if (c.rowspan > 1) table.spans[at + n] = { text, left: c.rowspan - 1 };
    }
  }
  carry();
  return out;
}

/** The page title, when the document has one (used for the policy's display name). */
export function htmlTitle(source: string): string | null {
  const m = /<title[^>]*>([^<]{1,200})<\/title>/i.exec(source);
  return m ? fold(m[1]!.replace(/&amp;/g, '&')) : null;
}
