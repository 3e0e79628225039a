import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { AppError } from '../src/core/errors.js';
import { createLlmClient, llmOptionsFrom } from '../src/main.js';

/** When the LLM counts as configured: a model plus a key (hosted) or a base URL (local server). */

describe('LLM configuration', () => {
  it('is off by default, with the documented defaults', () => {
    const config = loadConfig({});
    expect(llmOptionsFrom(config)).toBeNull();
    expect(createLlmClient(config)).toBeNull();
    expect(config).toMatchObject({
      OPENAI_TIMEOUT_MS: 2500,
      OPENAI_INGEST_TIMEOUT_MS: 60_000,
      OPENAI_MAX_RETRIES: 1,
    });
    expect(config.TRUST_LLM_FACTS).toBeUndefined();
  });

  it('ignores a key exported for other tools when no model is named', () => {
    expect(llmOptionsFrom(loadConfig({ OPENAI_API_KEY: 'sk-test' }))).toBeNull();
    expect(llmOptionsFrom(loadConfig({ OPENAI_BASE_URL: 'http://localhost:11434/v1' }))).toBeNull();
  });

  it('is on with a model and a key (hosted) or a base URL (local server, no key)', () => {
    expect(llmOptionsFrom(loadConfig({ OPENAI_MODEL: 'gpt-4o-mini', OPENAI_API_KEY: 'sk-test' }))).toEqual({
      model: 'gpt-4o-mini',
      apiKey: 'sk-test',
      timeoutMs: 2500,
      maxRetries: 1,
    });
    const local = llmOptionsFrom(
      loadConfig({
        OPENAI_MODEL: 'llama3.1',
        OPENAI_BASE_URL: 'http://localhost:11434/v1',
        OPENAI_TIMEOUT_MS: '4000',
        OPENAI_MAX_RETRIES: '0',
      }),
    );
    expect(local).toEqual({
      model: 'llama3.1',
      baseURL: 'http://localhost:11434/v1',
      timeoutMs: 4000,
      maxRetries: 0,
    });
    expect(
      createLlmClient(loadConfig({ OPENAI_MODEL: 'm', OPENAI_BASE_URL: 'http://127.0.0.1:1/v1' })),
    ).not.toBeNull();
  });

  it('names every bad LLM key in one error', () => {
    let error: unknown;
    try {
      loadConfig({ OPENAI_MODEL: 'gpt-4o-mini', OPENAI_TIMEOUT_MS: 'soon', OPENAI_MAX_RETRIES: '50' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    const message = (error as AppError).message;
    expect(message).toMatch(/^\s*OPENAI_MODEL: set OPENAI_API_KEY \(hosted\) or OPENAI_BASE_URL/m);
    expect(message).toMatch(/^\s*OPENAI_TIMEOUT_MS: /m);
    expect(message).toMatch(/^\s*OPENAI_MAX_RETRIES: /m);
    expect(() => loadConfig({ OPENAI_BASE_URL: 'localhost:11434' })).toThrow(
      /OPENAI_BASE_URL: must be an http/,
    );
  });

  it('reads TRUST_LLM_FACTS as a boolean', () => {
    expect(loadConfig({ TRUST_LLM_FACTS: 'true' }).TRUST_LLM_FACTS).toBe(true);
    expect(loadConfig({ TRUST_LLM_FACTS: 'no' }).TRUST_LLM_FACTS).toBe(false);
  });
});
