import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { AppError } from '../errors.js';
import { extractFacts } from './facts.js';
import type { Corpus, Policy } from './model.js';
import { fromBbcode } from './parse/bbcode.js';
import type { Block } from './parse/blocks.js';
import { htmlTitle, parseHtml } from './parse/html.js';
import { parseMarkdown } from './parse/markdown.js';
import { parsePlain } from './parse/plain.js';
import { parseRst } from './parse/rst.js';
import { stripTemplateTags } from './parse/templates.js';
import { buildStructure } from './structure.js';

const FORMATS: Record<string, Policy['format']> = {
  '.txt': 'text',
  '.text': 'text',
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.html': 'html',
  '.htm': 'html',
  '.rst': 'rst',
  '.rest': 'rst',
};

/** Each format's reader, from the document's text (template tags already removed) to blocks. */
const READERS: Record<Policy['format'], (text: string) => Block[]> = {
  html: parseHtml,
  rst: parseRst,
  markdown: parseMarkdown,
  text: (text) => parsePlain(fromBbcode(text), false),
};

/** Largest document read (a long app policy is ~200 KB; 5 MB leaves room and bounds memory). */
const MAX_BYTES = 5 * 1024 * 1024;

/** Parses one document's text into a policy. Pure: no file system. */
export function ingestDocument(id: string, file: string, format: Policy['format'], source: string): Policy {
  const text = stripTemplateTags(source);
  const blocks: Block[] = READERS[format](text);
  const { sections, clauses, title } = buildStructure(blocks);
  if (clauses.length === 0) throw new AppError('DOCUMENT_UNREADABLE', 'it contains no readable text');
  // A page without a <title> (a template, a fragment) is named by its first heading.
  const name = displayName(id, text, (format === 'html' ? htmlTitle(text) : null) ?? title);
  const policy: Policy = { id, name, file, format, sections, clauses, facts: [] };
  policy.facts = extractFacts(policy);
  return policy;
}

/**
 * The company or product the policy is about, as the text writes it: the spelling of the file
 * stem that occurs most in the text ("opsiq" -> "OpsIQ"), else the title's name, else the stem.
 */
export function displayName(id: string, source: string, title: string | null): string {
  // A generic file name ("privacy-policy.html") names no company: the title does.
  if (
    /^(privacy|policy|privacy[-_ ]?policy|privacy[-_ ]?notice|notice|index|document|terms|legal)$/i.test(id)
  ) {
    const fromTitle = titleName(title);
    if (fromTitle) return fromTitle;
  }
  const key = id.toLowerCase().replace(/[^a-z0-9]/g, '');
  const counts = new Map<string, number>();
  const tokens = source.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu) ?? [];
  const squeezed = tokens.map((t) => t.toLowerCase().replace(/[^a-z0-9]/g, ''));
  for (const want of [key, id.toLowerCase().split(/[^a-z0-9]+/)[0] ?? key]) {
    if (want.length < 2) continue;
    // Every run of up to four words that, squeezed, spells the stem ("Open Factory", "OpenFactory").
    for (let i = 0; i < tokens.length; i++) {
      let acc = '';
      for (let j = i; j < Math.min(tokens.length, i + 4) && acc.length < want.length; j++) {
        acc += squeezed[j]!;
        if (acc === want) {
          const name = tokens.slice(i, j + 1).join(' ');
          counts.set(name, (counts.get(name) ?? 0) + 1);
        }
        // More words cannot spell the stem once these are not its start.
        if (!want.startsWith(acc)) break;
      }
    }
    if (counts.size > 0) break;
  }
  // Prefer a spelling with capitals (a brand) over the all-lower-case one found in e-mail addresses.
  const best = [...counts.entries()].sort((a, b) => score(b) - score(a))[0];
  if (best && /[A-Z]/.test(best[0])) return best[0];
  // Only in lower case (an e-mail address, a URL): the title or a name the stem abbreviates
  // says better what the policy is about.
  return titleName(title) ?? abbreviated(key, tokens) ?? best?.[0] ?? id;

  function score([name, n]: [string, number]): number {
    return n + (/[A-Z]/.test(name) ? 1000 : 0);
  }
}

/**
 * A stem that abbreviates a name the text writes at least twice ("zfnd" -> "Zcash Foundation",
 * "npeu" -> "National Perinatal Epidemiology Unit", "rtd" -> "Read the Docs"): a run of words from
 * a capitalised one to a capitalised one, each word starting with the stem's next letter, its
 * other letters taken in order from the words' other letters. Null when none is written twice.
 */
function abbreviated(key: string, tokens: string[]): string | null {
  if (key.length < 2 || key.length > 8 || /\d/.test(key)) return null;
  const counts = new Map<string, number>();
  const capital = (t: string) => /^\p{Lu}/u.test(t);
  for (let i = 0; i < tokens.length; i++) {
    if (!capital(tokens[i]!)) continue;
    let at = 0;
    for (let j = i; j < Math.min(tokens.length, i + 6) && at < key.length; j++) {
      const word = tokens[j]!.toLowerCase();
      if (word[0] !== key[at]) break;
      at++;
      for (const ch of word.slice(1)) if (at < key.length && ch === key[at] && j + 1 - i >= 1) at++;
      if (at === key.length && j > i && capital(tokens[j]!)) {
        const name = tokens.slice(i, j + 1).join(' ');
        counts.set(name, (counts.get(name) ?? 0) + 1);
      }
    }
  }
  const best = [...counts.entries()].sort((a, b) => b[1] - a[1])[0];
  return best && best[1] >= 2 ? best[0] : null;
}

/** "Kestrel Maps – Privacy Policy" -> "Kestrel Maps"; null when the title names nothing else. */
function titleName(title: string | null): string | null {
  const name = title?.replace(/\s*[-–—|:·]?\s*(our\s+)?(privacy|cookie|data protection).*$/i, '').trim();
  return name && name.length > 1 && name.length <= 40 ? name : null;
}

/**
 * Loads every policy document in a directory. One bad document (binary, unreadable, empty,
 * unparsable) is reported in `skipped` and the rest still load; a missing or empty directory is
 * an error that says what to do.
 */
export async function loadCorpus(dir: string): Promise<Corpus> {
  let entries: string[];
  try {
    const info = await stat(dir);
    if (!info.isDirectory())
      throw new AppError(
        'CORPUS_MISSING',
        `The corpus path ${dir} is not a directory. Point --corpus (or POLICY_CORPUS) at a directory of .txt, .md, .rst or .html policy documents.`,
      );
    entries = await readdir(dir);
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError(
      'CORPUS_MISSING',
      `The corpus directory ${dir} does not exist or cannot be read. Point --corpus (or POLICY_CORPUS) at a directory of .txt, .md, .rst or .html policy documents.`,
    );
  }
  const policies: Policy[] = [];
  const skipped: Corpus['skipped'] = [];
  for (const entry of entries.sort()) {
    const ext = extname(entry).toLowerCase();
    const format = FORMATS[ext];
    if (!format || entry.startsWith('.')) continue;
    const file = join(dir, entry);
    const id = basename(entry, extname(entry));
    try {
      policies.push(ingestDocument(id, file, format, await readDocument(file)));
    } catch (error) {
      const reason =
        error instanceof AppError ? error.message : error instanceof Error ? error.message : String(error);
      skipped.push({ file, reason });
    }
  }
  if (policies.length === 0) {
    const why =
      skipped.length > 0 ? ` (${skipped.map((s) => `${basename(s.file)}: ${s.reason}`).join('; ')})` : '';
    throw new AppError(
      'CORPUS_EMPTY',
      `No readable policy documents in ${dir}${why}. Add .txt, .md, .rst or .html files; the file name (without extension) becomes the policy id.`,
    );
  }
  return { schemaVersion: 1, policies, skipped };
}

async function readDocument(file: string): Promise<string> {
  let buffer: Buffer;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new AppError('DOCUMENT_UNREADABLE', 'not a regular file');
    if (info.size > MAX_BYTES)
      throw new AppError('DOCUMENT_UNREADABLE', `larger than ${MAX_BYTES / 1024 / 1024} MB`);
    buffer = await readFile(file);
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('DOCUMENT_UNREADABLE', 'cannot be read (check its permissions)');
  }
  if (buffer.includes(0))
    throw new AppError('DOCUMENT_UNREADABLE', 'is binary, not text (export it as .txt, .md, .rst or .html)');
  const text = new TextDecoder('utf-8', { fatal: false }).decode(buffer).replace(/^\uFEFF/, '');
  // More than a few replacement characters means the file is not UTF-8 text.
  const bad = (text.match(/\uFFFD/g) ?? []).length;
  if (bad > 0 && bad > text.length / 100) throw new AppError('DOCUMENT_UNREADABLE', 'is not UTF-8 text');
  if (!text.trim()) throw new AppError('DOCUMENT_UNREADABLE', 'is empty');
  return text;
}
