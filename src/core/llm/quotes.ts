/**
 * Checks on what a model writes before anything of it is served: quotes must be the policy's own
 * words, and what is sent to a model must carry no personal data a person typed by accident.
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

const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;
/** Phone-like runs: seven or more digits with separators ("+49 30 1234567"), not "90 days" or "2026". */
const PHONE = /\+?\d[\d\s().-]{5,}\d/g;
const REQUEST_ID = /\bDSR-\d{4}-\d{4,}\b/gi;

/**
 * A question as it may be sent to a model: e-mail addresses, phone numbers and request ids are
 * replaced by placeholders. A policy question never needs them, and people paste them by accident.
 */
export function redactForModel(question: string): string {
  return question
    .replace(EMAIL, '[email]')
    .replace(REQUEST_ID, '[request]')
    .replace(PHONE, (m) => ((m.match(/\d/g)?.length ?? 0) >= 7 ? '[number]' : m));
}

/**
 * Text that addresses an AI rather than a reader: "ignore previous instructions", "system prompt",
 * a clause opening with "System:" or "Assistant:". Such clauses are still policy text (offline
 * answers quote them like any other), but they are not sent to a model: defence in depth on top
 * of the data-only prompt and the verbatim-quote check, not a filter anything relies on.
 */
export function looksLikeInstructions(text: string): boolean {
  return (
    /\b(?:ignore|disregard|forget)\s+(?:all\s+|any\s+|the\s+|your\s+)?(?:previous|prior|above|earlier|preceding|former)?\s*(?:instructions|rules|prompts?|directions|policy)\b/i.test(
      text,
    ) ||
    /\b(?:system|developer)\s+(?:prompt|message|mode)\b/i.test(text) ||
    /\byou are now (?:in )?(?:developer|dan|jailbreak|unrestricted|an? (?:ai|assistant|language model))\b/i.test(
      text,
    ) ||
    /^\s*(?:system|assistant|developer)\s*:/i.test(text)
  );
}
