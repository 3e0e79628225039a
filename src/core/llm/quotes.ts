/**
 * Checks on what is sent to a model: no personal data a person typed by accident, no policy text
 * that addresses an AI. Whether a quote is the policy's own words is the policy's question
 * (src/core/policy/quotes.ts).
 */

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
