import { Parser } from 'htmlparser2';
import { fold } from '../text.js';
import type { Block } from './blocks.js';
import { numberedHeading } from './blocks.js';

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
  let row: string[] | null = null;
  let cell: string | null = null;
  let tableHeader: string[] | null = null;
  let rowIsHeader = false;
  let hidden = 0;
  const stack: { name: string; hidden: boolean }[] = [];

  const flush = () => {
    // A heading's permalink ("Retention #", "Retention ¶") is page chrome, not part of its title.
    const t = headingLevel > 0 ? fold(text).replace(PERMALINK, '') : fold(text);
    text = '';
    if (!t) return;
    if (headingLevel > 0) {
      const numbered = numberedHeading(t);
      blocks.push({
        kind: 'heading',
        text: numbered && !numbered.rest ? numbered.title : t,
        level: headingLevel,
        ...(numbered && !numbered.rest ? { number: numbered.number } : {}),
      });
    } else if (inItem) {
      blocks.push({ kind: 'list-item', text: t, level: Math.max(0, listDepth - 1) });
    } else {
      blocks.push({ kind: 'paragraph', text: t });
    }
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
        if (name === 'br' && cell === null) {
          flush();
          return;
        }
        if (row !== null && (name === 'td' || name === 'th')) {
          cell = '';
          if (name === 'td') rowIsHeader = false;
          return;
        }
        if (BLOCK.has(name) && cell === null) flush();
        if (/^h[1-6]$/.test(name)) headingLevel = Number(name[1]);
        else if (name === 'ul' || name === 'ol') listDepth++;
        else if (name === 'li') inItem = true;
        else if (name === 'tr') {
          row = [];
          rowIsHeader = true;
        }
      },
      ontext(data) {
        if (skipDepth > 0 || hidden > 0) return;
        if (cell !== null) cell += data;
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
        if ((name === 'td' || name === 'th') && row !== null && cell !== null) {
          row.push(fold(cell));
          cell = null;
          return;
        }
        if (name === 'tr' && row !== null) {
          const cells = row.filter((c, i) => c || i < row!.length - 1);
          if (cells.some(Boolean)) {
            if (rowIsHeader && !tableHeader) tableHeader = cells;
            else
              blocks.push({
                kind: 'table-row',
                text: cells.filter(Boolean).join(' | '),
                cells,
                ...(tableHeader ? { header: tableHeader } : {}),
              });
          }
          row = null;
          return;
        }
        if (name === 'table') tableHeader = null;
        if (BLOCK.has(name)) flush();
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

/** The page title, when the document has one (used for the policy's display name). */
export function htmlTitle(source: string): string | null {
  const m = /<title[^>]*>([^<]{1,200})<\/title>/i.exec(source);
  return m ? fold(m[1]!.replace(/&amp;/g, '&')) : null;
}
