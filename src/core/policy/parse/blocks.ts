/** The flat reading of a document that every format's parser produces, before sections are built. */
export interface Block {
  kind: 'heading' | 'paragraph' | 'list-item' | 'table-row';
  text: string;
  /** Heading depth (1 = top) or list nesting depth. */
  level?: number;
  /** A heading's printed number ("2.1"). */
  number?: string;
  cells?: string[];
  header?: string[];
}

/** A definition list entry read as one clause: "Term: definition" (no colon after "Term?" or "Term:"). */
export function definition(term: string, text: string): string {
  return `${term}${/[:.?!]$/.test(term) ? '' : ':'} ${text}`;
}

/**
 * Headings that policies write without markup: short, no closing punctuation, not a "Label: value"
 * line, no address or e-mail. Shared by the text and markdown readers.
 */
export function looksLikeHeading(line: string): boolean {
  const t = line.trim();
  if (t.length < 2 || t.length > 80) return false;
  if (/[.,;:!?]$/.test(t) && !/^[A-Z0-9][A-Z0-9 &,'’\-/]+[.:]$/.test(t) && !titleCase(t)) return false;
  if (/@|:\/\/|www\.|\||\b(19|20)\d\d\b/.test(t)) return false;
  if (/\S:\s/.test(t)) return false;
  if (!/^[\p{Lu}\d"“(]/u.test(t)) return false;
  const n = t.split(/\s+/).length;
  if (n > 9) return false;
  // A sentence fragment has several lower-case function words; a heading has few.
  const lowerFunction = (t.match(/\b(the|a|an|is|are|we|you|our|your|to|of|in|and|for|with)\b/g) ?? [])
    .length;
  return lowerFunction <= Math.max(2, Math.floor(n / 2));
}

/**
 * Text set as a heading that is a sentence of the policy: documents converted from a word
 * processor mark whole paragraphs as headings ("#### We do not carry out background checks
 * relating to criminal convictions (DBS checks)..."). A title is short and rarely ends with a full
 * stop; text of more than `PROSE_WORDS` words ending with one, or of more than twice that, is a
 * paragraph, whatever its markup says.
 */
export function readsAsProse(title: string): boolean {
  const n = title.trim().split(/\s+/).length;
  return (n > PROSE_WORDS && /[.!?]["'”’)]?$/.test(title.trim())) || n > 2 * PROSE_WORDS;
}

/** Words past which a heading ending with a full stop is a sentence (see `readsAsProse`). */
const PROSE_WORDS = 10;

/** A numbered heading such as "5. Retention", "2.1 Account Information.", "SECTION 3 - SHARING". */
export function numberedHeading(line: string): { number: string; title: string; rest: string } | null {
  const m = /^(?:(?:section|article|part)\s+)?(\d{1,2}(?:\.\d{1,2}){0,3})\.?\)?\s+(.+)$/i.exec(line.trim());
  if (!m) return null;
  const [, number, body] = m as unknown as [string, string, string];
  if (looksLikeHeading(body) && !/[.:]$/.test(body)) return { number, title: body, rest: '' };
  // "2.1 Account Information. When you register, we collect:" — an inline title, then text.
  const inline = /^([\p{Lu}][^.!?:]{1,60}?)[.:]\s+(\S.*)$/u.exec(body);
  if (inline && looksLikeHeading(inline[1]!) && inline[1]!.split(/\s+/).length <= 7) {
    return { number, title: inline[1]!, rest: inline[2]! };
  }
  if (/^[\p{Lu}][^.!?]{1,60}[.:]$/u.test(body) && body.split(/\s+/).length <= 7) {
    return { number, title: body.slice(0, -1), rest: '' };
  }
  return null;
}

/** "Registration and Account Information." — every longer word capitalised, a few words, a stop. */
function titleCase(t: string): boolean {
  const body = t.replace(/[.:]$/, '');
  if (/[.,;!?]/.test(body)) return false;
  const words = body.split(/\s+/);
  return (
    words.length >= 2 && words.length <= 6 && words.every((w) => w.length <= 3 || /^[\p{Lu}\d&(]/u.test(w))
  );
}
