import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The development question set and its grading, exactly as ../shared/eval/grade-qa.mjs grades a
 * CLI answer; shared by the sections that score answers (Policy QA, LLM comparison).
 */

/**
 * The development material beside the repository (../shared: the reference corpus, the
 * development questions, the grading scripts and the word-overlap baseline). A fresh clone has
 * none of it; the bench then runs what the repository holds and says what it skipped.
 * BENCH_SHARED_DIR points elsewhere (a path that does not exist hides it, to try that case).
 */
export const SHARED_DIR = resolve(
  process.env.BENCH_SHARED_DIR ?? fileURLToPath(new URL('../../shared/', import.meta.url)),
);
export const CORPUS_DIR = join(SHARED_DIR, 'corpus');
export const DEV_QA = join(SHARED_DIR, 'eval', 'dev-qa.jsonl');

/** True when the reference corpus and the development questions are both there. */
export const HAS_SHARED = existsSync(CORPUS_DIR) && existsSync(DEV_QA);

export interface DevQuestion {
  id: string;
  q: string;
  policy: string | null;
  must?: string[];
  mustNot?: string[];
  cite?: string[];
  found?: boolean;
}

/** The part of an answer the grader reads (the `ask --jsonl` contract). */
export interface Graded {
  answer: string;
  found: boolean;
  citations: { policy: string }[];
}

/** A system under test: answers a question, optionally scoped to a policy. */
export type Ask = (q: string, policy: string | null) => Graded;

/** Why a question fails; empty when it passes. */
export function grade(q: DevQuestion, a: Graded): string[] {
  const why: string[] = [];
  const text = String(a.answer ?? '');
  const cited = new Set(a.citations.map((c) => c.policy));
  if (q.found !== undefined && a.found !== q.found) why.push(`found=${a.found}, expected ${q.found}`);
  if (q.found !== false) {
    for (const re of q.must ?? []) if (!new RegExp(re, 'i').test(text)) why.push(`missing /${re}/`);
    for (const re of q.mustNot ?? [])
      if (new RegExp(re, 'i').test(text)) why.push(`should not match /${re}/`);
    for (const p of q.cite ?? []) if (!cited.has(p)) why.push(`no citation from ${p}`);
  }
  return why;
}

/** As the CLI's batch mode: an error becomes a not-found answer carrying the message. */
export function safely(ask: Ask): Ask {
  return (q, policy) => {
    try {
      return ask(q, policy);
    } catch (error) {
      return { answer: error instanceof Error ? error.message : String(error), found: false, citations: [] };
    }
  };
}

export function readQuestions(file: string): DevQuestion[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as DevQuestion);
}
