import type { z } from 'zod';

/**
 * The one seam between privacy-ops and a language model. Callers ask for structured output
 * validated by a zod schema and get either the parsed value or a typed failure; nothing here
 * throws, so every caller can fall back to the offline path in one line. The OpenAI-compatible
 * implementation is in ./openai-client.ts; tests inject their own.
 */
export interface LlmClient {
  complete<T>(request: LlmRequest<T>): Promise<LlmResult<T>>;
}

export interface LlmRequest<T> {
  /** Names the task in logs and the schema sent to the endpoint (letters, digits, `_`, `-`). */
  task: string;
  /** The fixed instructions. Never contains policy text, questions or names: those go in `data`. */
  system: string;
  /** Everything the model reads as data, sent as one JSON document in the user message. */
  data: unknown;
  /** The output shape: sent as a JSON schema (structured output) and used to parse the reply. */
  schema: z.ZodType<T>;
  /**
   * Sent as the output's JSON schema instead of `schema`, when the reply is parsed more leniently
   * than the model is told to write it (fact extraction validates item by item).
   */
  responseFormat?: z.ZodType;
  /** Overall time budget for this call, retries included; the client's default when absent. */
  timeoutMs?: number;
}

/** Token counts of one call, as the endpoint reported them. Logged as numbers, never with text. */
export interface LlmUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

/**
 * Why a call produced nothing usable. `timeout`, `rate-limited`, `unavailable` (5xx, network) and
 * `rejected` (other 4xx: key, model name, unsupported schema) are the endpoint's; `refused`,
 * `truncated`, `malformed` (not JSON) and `invalid` (JSON that fails the schema) are the model's.
 */
export type LlmFailureKind =
  | 'timeout'
  | 'rate-limited'
  | 'unavailable'
  | 'rejected'
  | 'refused'
  | 'truncated'
  | 'malformed'
  | 'invalid';

export interface LlmFailure {
  kind: LlmFailureKind;
  /** A short description for logs: status codes and error classes, never prompt or output text. */
  detail: string;
  status?: number;
}

export type LlmResult<T> =
  | { ok: true; value: T; usage: LlmUsage | null }
  | { ok: false; failure: LlmFailure; usage: LlmUsage | null };
