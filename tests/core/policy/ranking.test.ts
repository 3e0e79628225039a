import MiniSearch from 'minisearch';
import { describe, expect, it } from 'vitest';
import { type RankedDocument, RankingIndex, splitTerms } from '../../../src/core/policy/ranking.js';

/**
 * The answerer's BM25 ranking replaced MiniSearch without changing an answer: the same documents,
 * the same scores to the bit, ties in the same order. These tests hold it to MiniSearch, configured
 * as the answerer configured it, over generated clauses.
 */

/** A seeded generator (mulberry32), so every run draws the same clauses and queries. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VOCABULARY =
  'data keep retain day year email cooki share vendor delet account log backup right 30 1.3'.split(' ');

/** Clauses drawn from a small vocabulary, so terms repeat and many scores tie. */
function documents(seed: number, count: number): RankedDocument[] {
  const r = rng(seed);
  const pick = () => VOCABULARY[Math.floor(r() * VOCABULARY.length)]!;
  return Array.from({ length: count }, (_, id) => ({
    id: id * 3 + 1,
    fields: [
      Array.from({ length: Math.floor(r() * 12) }, pick),
      // Some clauses have no context at all (no heading, no list lead).
      r() < 0.2 ? [] : [...new Set(Array.from({ length: 1 + Math.floor(r() * 4) }, pick))],
    ],
  }));
}

function miniSearch(docs: RankedDocument[]): MiniSearch<{ id: number; text: string; context: string }> {
  const index = new MiniSearch<{ id: number; text: string; context: string }>({
    fields: ['text', 'context'],
    idField: 'id',
    tokenize: (s) => s.split(' ').filter(Boolean),
    processTerm: (t) => t,
    searchOptions: { boost: { text: 2, context: 1 } },
  });
  index.addAll(
    docs.map((d) => ({ id: d.id, text: d.fields[0]!.join(' '), context: d.fields[1]!.join(' ') })),
  );
  return index;
}

/** Queries of one to six terms, some repeated, some unknown to the index. */
function queries(seed: number, count: number): string[][] {
  const r = rng(seed);
  return Array.from({ length: count }, () => {
    const q: string[] = [];
    for (let n = 1 + Math.floor(r() * 6); q.length < n; )
      q.push(
        r() < 0.15 && q.length > 0
          ? q[0]!
          : r() < 0.1
            ? 'unknown'
            : VOCABULARY[Math.floor(r() * VOCABULARY.length)]!,
      );
    return q;
  });
}

const asMiniSearch = (index: MiniSearch<{ id: number; text: string; context: string }>, q: string[]) =>
  index.search(q.join(' '), { combineWith: 'OR' }).map((h) => ({ id: h.id as number, score: h.score }));

describe('BM25 ranking as MiniSearch ranked', () => {
  const docs = documents(1, 300);
  const ours = RankingIndex.of(docs, [2, 1]);
  const theirs = miniSearch(docs);

  it('finds the same documents with the same scores, in the same order', () => {
    for (const q of queries(2, 300)) expect(ours.search(q)).toEqual(asMiniSearch(theirs, q));
  });

  it('ranks a range of documents as an index of only them', () => {
    for (const [from, to] of [
      [0, 40],
      [40, 41],
      [120, 300],
    ] as const) {
      const part = ours.range(from, to);
      const alone = miniSearch(docs.slice(from, to));
      for (const q of queries(from + to, 60)) expect(part.search(q)).toEqual(asMiniSearch(alone, q));
    }
  });

  it('orders groups of documents by where each first appears in the ranking', () => {
    const groupOf = Int32Array.from(docs, (_, i) => Math.floor(i / 7));
    const groups = Math.ceil(docs.length / 7);
    const r = rng(3);
    for (const q of queries(4, 200)) {
      const wanted = Uint8Array.from({ length: groups }, () => (r() < 0.7 ? 1 : 0));
      const limit = 1 + Math.floor(r() * 12);
      const expected: number[] = [];
      for (const hit of asMiniSearch(theirs, q)) {
        const group = groupOf[(hit.id - 1) / 3]!;
        if (wanted[group] && !expected.includes(group) && expected.length < limit) expected.push(group);
      }
      expect(ours.topGroups(q, groupOf, wanted, limit)).toEqual(expected);
    }
  });

  it('splits terms as a space-separated field is split', () => {
    expect(splitTerms(['a', 'b'])).toEqual(['a', 'b']);
    expect(splitTerms(['a b', '', 'c'])).toEqual(['a', 'b', 'c']);
  });
});
