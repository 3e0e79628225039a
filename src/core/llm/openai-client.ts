import { setTimeout as sleep } from 'node:timers/promises';
import OpenAI from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import type { Logger } from '../../logger.js';
import type { LlmClient, LlmFailure, LlmFailureKind, LlmRequest, LlmResult, LlmUsage } from './client.js';

/**
 * {@link LlmClient} over any OpenAI-compatible chat completions endpoint (OpenAI, Azure OpenAI's
 * v1 API, Ollama, vLLM, LM Studio...), using structured output (`response_format: json_schema`).
 *
 * Retries are ours, not the SDK's: the SDK sleeps for whatever `retry-after` says, which can be far
 * past a chat channel's few seconds. Here every call has one overall budget; a retry happens only
 * when its wait fits in what is left, and a 429 pauses calls until its `retry-after` has passed, so
 * a rate-limited endpoint costs users no waiting at all.
 */
export interface OpenAiClientOptions {
  model: string;
  /** Unset for local servers that take no key: the SDK insists on one, so a placeholder is sent. */
  apiKey?: string;
  /** The endpoint, up to and including `/v1`; OpenAI's when unset. */
  baseURL?: string;
  /** Default overall budget of one call, retries included. */
  timeoutMs: number;
  /** Retries after the first attempt (429, 5xx, connection errors), when they fit the budget. */
  maxRetries: number;
  logger?: Logger;
  /** The clock for rate-limit pauses, injectable for tests. */
  now?: () => number;
}

const OPENAI_URL = 'https://api.openai.com/v1';
/** A retry needs at least this long to be worth sending. */
const MIN_ATTEMPT_MS = 300;

type Attempt<T> =
  | { ok: true; value: T; usage: LlmUsage | null }
  | { ok: false; failure: LlmFailure; usage: LlmUsage | null; retryable: boolean; retryAfterMs?: number };

export class OpenAiLlmClient implements LlmClient {
  private readonly sdk: OpenAI;
  private readonly now: () => number;
  /** After a 429, no call is sent before this instant (epoch ms). */
  private pausedUntil = 0;

  constructor(private readonly options: OpenAiClientOptions) {
    this.now = options.now ?? Date.now;
    // Every setting is explicit: left unset, the SDK would read OPENAI_* from process.env itself.
    this.sdk = new OpenAI({
      apiKey: options.apiKey ?? 'no-key',
      baseURL: options.baseURL ?? OPENAI_URL,
      organization: null,
      project: null,
      webhookSecret: null,
      timeout: options.timeoutMs,
      maxRetries: 0,
      // The SDK's own logging can print request bodies (policy text, questions): keep it off.
      logLevel: 'off',
    });
  }

  async complete<T>(request: LlmRequest<T>): Promise<LlmResult<T>> {
    const started = performance.now();
    const deadline = started + (request.timeoutMs ?? this.options.timeoutMs);
    let attempts = 0;
    let result: LlmResult<T>;
    if (this.now() < this.pausedUntil) {
      result = {
        ok: false,
        failure: { kind: 'rate-limited', detail: 'paused after a 429 until retry-after passes' },
        usage: null,
      };
    } else {
      for (;;) {
        attempts++;
        const attempt = await this.attempt(request, deadline - performance.now());
        if (attempt.ok || !attempt.retryable) {
          result = attempt.ok ? attempt : { ok: false, failure: attempt.failure, usage: attempt.usage };
          break;
        }
        if (attempt.failure.kind === 'rate-limited' && attempt.retryAfterMs !== undefined)
          this.pausedUntil = Math.max(this.pausedUntil, this.now() + attempt.retryAfterMs);
        // Exponential backoff from 250 ms when the endpoint does not say how long to wait.
        const wait = attempt.retryAfterMs ?? 250 * 2 ** (attempts - 1);
        if (attempts > this.options.maxRetries || performance.now() + wait + MIN_ATTEMPT_MS > deadline) {
          result = { ok: false, failure: attempt.failure, usage: attempt.usage };
          break;
        }
        await sleep(wait);
      }
    }
    this.log(request.task, result, attempts, performance.now() - started);
    return result;
  }

  private async attempt<T>(request: LlmRequest<T>, budgetMs: number): Promise<Attempt<T>> {
    if (budgetMs <= 0)
      return {
        ok: false,
        failure: { kind: 'timeout', detail: 'no time left' },
        usage: null,
        retryable: false,
      };
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    // The SDK's timeout covers waiting for headers; this one also covers a body that trickles in.
    const expired = new Promise<'expired'>((resolve) => {
      timer = setTimeout(() => {
        controller.abort();
        resolve('expired');
      }, budgetMs);
    });
    try {
      const call = this.sdk.chat.completions.create(
        {
          model: this.options.model,
          messages: [
            { role: 'system', content: request.system },
            { role: 'user', content: JSON.stringify(request.data) },
          ],
          // No temperature or token limit: reasoning models reject the first and older local servers
          // the newer max_completion_tokens; the schema and the time budget bound the output instead.
          response_format: zodResponseFormat(
            request.responseFormat ?? request.schema,
            request.task.replace(/[^A-Za-z0-9_-]/g, '_'),
          ),
        },
        { signal: controller.signal, timeout: Math.ceil(budgetMs), maxRetries: 0 },
      );
      // The losing side of the race still settles later; it must not become an unhandled rejection.
      call.catch(() => {});
      const response = await Promise.race([call, expired]);
      if (response === 'expired')
        return { ok: false, failure: timeoutFailure(budgetMs), usage: null, retryable: false };
      const usage = usageOf(response.usage);
      const choice = response.choices[0];
      const fail = (kind: LlmFailureKind, detail: string): Attempt<T> => ({
        ok: false,
        failure: { kind, detail },
        usage,
        retryable: false,
      });
      if (!choice) return fail('malformed', 'no choices in the response');
      if (choice.finish_reason === 'length') return fail('truncated', 'finish_reason length');
      if (choice.finish_reason === 'content_filter') return fail('refused', 'finish_reason content_filter');
      if (choice.message.refusal) return fail('refused', 'the model refused');
      const content = choice.message.content;
      if (!content) return fail('malformed', 'empty content');
      let json: unknown;
      try {
        // Some local servers wrap the JSON in a markdown fence despite the schema.
        json = JSON.parse(content.replace(/^\s*```(?:json)?\s*|\s*```\s*$/g, ''));
      } catch {
        return fail('malformed', `content is not JSON (${content.length} chars)`);
      }
      const parsed = request.schema.safeParse(json);
      if (!parsed.success) {
        const paths = parsed.error.issues.slice(0, 3).map((i) => i.path.join('.') || '(root)');
        return fail('invalid', `${parsed.error.issues.length} schema issues at ${paths.join(', ')}`);
      }
      return { ok: true, value: parsed.data, usage };
    } catch (error) {
      if (controller.signal.aborted || error instanceof OpenAI.APIConnectionTimeoutError)
        return { ok: false, failure: timeoutFailure(budgetMs), usage: null, retryable: false };
      return classify(error);
    } finally {
      clearTimeout(timer);
    }
  }

  /** One line per call: task, outcome, attempts, time and token counts; never prompt or output text. */
  private log(task: string, result: LlmResult<unknown>, attempts: number, ms: number): void {
    const logger = this.options.logger;
    if (!logger) return;
    const llm = {
      task,
      model: this.options.model,
      outcome: result.ok ? 'ok' : result.failure.kind,
      ...(result.ok ? {} : { detail: result.failure.detail, status: result.failure.status }),
      attempts,
      ms: Math.round(ms),
      promptTokens: result.usage?.promptTokens ?? 0,
      completionTokens: result.usage?.completionTokens ?? 0,
      totalTokens: result.usage?.totalTokens ?? 0,
    };
    if (result.ok) logger.info({ llm }, 'llm call');
    else logger.warn({ llm }, 'llm call failed; using the offline path');
  }
}

function timeoutFailure(budgetMs: number): LlmFailure {
  return { kind: 'timeout', detail: `no answer within ${Math.round(budgetMs)} ms` };
}

function usageOf(usage: OpenAI.CompletionUsage | undefined): LlmUsage | null {
  if (!usage) return null;
  return {
    promptTokens: Number(usage.prompt_tokens) || 0,
    completionTokens: Number(usage.completion_tokens) || 0,
    totalTokens: Number(usage.total_tokens) || 0,
  };
}

function classify(error: unknown): Attempt<never> {
  if (error instanceof OpenAI.APIError && typeof error.status === 'number') {
    const status = error.status;
    const failure = (kind: LlmFailureKind): LlmFailure => ({ kind, detail: `HTTP ${status}`, status });
    if (status === 429)
      return {
        ok: false,
        failure: failure('rate-limited'),
        usage: null,
        retryable: true,
        ...retryAfter(error.headers),
      };
    if (status >= 500 || status === 408 || status === 409)
      return {
        ok: false,
        failure: failure('unavailable'),
        usage: null,
        retryable: true,
        ...retryAfter(error.headers),
      };
    return { ok: false, failure: failure('rejected'), usage: null, retryable: false };
  }
  if (error instanceof OpenAI.APIConnectionError)
    return {
      ok: false,
      failure: { kind: 'unavailable', detail: 'connection failed' },
      usage: null,
      retryable: true,
    };
  // Anything else (a schema the SDK cannot express, a bug) is not worth retrying.
  const name = error instanceof Error ? error.constructor.name : typeof error;
  return { ok: false, failure: { kind: 'rejected', detail: name }, usage: null, retryable: false };
}

/** `retry-after-ms` (OpenAI, Azure), else `retry-after` in seconds or as an HTTP date (RFC 9110 §10.2.3). */
function retryAfter(headers: Headers | undefined): { retryAfterMs?: number } {
  const ms = Number.parseFloat(headers?.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return { retryAfterMs: ms };
  const raw = headers?.get('retry-after');
  if (!raw) return {};
  const seconds = Number.parseFloat(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return { retryAfterMs: seconds * 1000 };
  const date = Date.parse(raw);
  return Number.isNaN(date) ? {} : { retryAfterMs: Math.max(0, date - Date.now()) };
}
