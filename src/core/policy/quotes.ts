/**
 * Whether a quote is a policy's own words: a model's citations (src/core/llm) and the facts
 * `ingest --llm` proposes are served only when their quote is verbatim in the clause they cite.
 */

/** Shortest quote accepted as a citation: "the" or "data" is verbatim anywhere and proves nothing. */
export const MIN_QUOTE_CHARS = 12;

/** One character folded for comparison: lower case, straight quotes and dashes, spaces as one space. */
function foldChar(c: string): string {
  if (/[\s\u00a0\u2000-\u200b\u202f\u205f\u3000]/.test(c)) return ' ';
  if (/[\u2018\u2019\u201a\u201b\u02bc\u0060\u00b4]/.test(c)) return "'";
  if (/[\u201c\u201d\u201e\u201f\u00ab\u00bb]/.test(c)) return '"';
  if (/[\u2010-\u2015\u2212]/.test(c)) return '-';
  return c.toLowerCase();
}

/** The folded text and, for each of its characters, the index of the source character it came from. */
function folded(text: string): { text: string; at: number[] } {
  let out = '';
  const at: number[] = [];
  let i = 0;
  for (const ch of text) {
    const f = foldChar(ch);
    // Runs of white space count as one space, so line breaks and double spaces do not matter.
    if (!(f === ' ' && (out.length === 0 || out.endsWith(' ')))) {
      for (const unit of f) {
        out += unit;
        at.push(i);
      }
    }
    i += ch.length;
  }
  return { text: out, at };
}

/**
 * Where a quote occurs in a clause, compared after folding white space, quote marks, dashes and
 * case: the clause's own words at that place, or null when the quote is not verbatim there. When
 * the quote is not found as given, it is tried without the quote marks and ellipses around it
 * (models add them); an ellipsis inside is an elision, which is not verbatim.
 */
export function locateQuote(clauseText: string, quote: string): string | null {
  const trimmed = quote.trim();
  const bare = trimmed
    .replace(/^["'“”‘’«»\s]+|["'“”‘’«»\s]+$/g, '')
    .replace(/^(\.\.\.|…)\s*|\s*(\.\.\.|…)$/g, '');
  for (const candidate of trimmed === bare ? [trimmed] : [trimmed, bare]) {
    const found = locate(clauseText, candidate);
    if (found) return found;
  }
  return null;
}

function locate(clauseText: string, quote: string): string | null {
  const wanted = folded(quote).text.trim();
  if (wanted.length < MIN_QUOTE_CHARS) return null;
  const source = folded(clauseText);
  let index = source.text.indexOf(wanted);
  // A quote that drops the clause's final full stop, or adds one, is still the same words.
  let length = wanted.length;
  if (index < 0 && wanted.endsWith('.')) {
    length = wanted.length - 1;
    index = source.text.indexOf(wanted.slice(0, -1));
  }
  if (index < 0) return null;
  const start = source.at[index]!;
  const last = source.at[index + length - 1]!;
  const end = last + (clauseText.codePointAt(last)! > 0xffff ? 2 : 1);
  return clauseText.slice(start, end).trim();
}
