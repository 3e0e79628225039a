/**
 * BM25 ranking of clauses over two fields, a clause's own terms and its context's (headings, list
 * lead, table header), with the text counting double.
 *
 * It ranks exactly as MiniSearch 7 did here (exact terms combined with OR, field boosts, its
 * BM25+ parameters, its score per field and per term added up in the same order, ties kept in the
 * order documents were added), so answers did not change when it replaced MiniSearch; what it
 * leaves out is what the answerer never used: prefix and fuzzy terms, stored fields, removal, and
 * a result object (terms, match) per matching clause. A search over 1,000 policies scores each
 * posting of the question's terms once into flat arrays, and a policy's own index is a range of
 * the corpus index with its own statistics, so it costs nothing to build.
 * tests/core/policy/ranking.test.ts checks it against MiniSearch.
 */

/** BM25+ parameters: term frequency saturation, length normalisation, and the floor per match. */
const K = 1.2;
const B = 0.7;
const D = 0.5;

/** A clause as ranked: its id and the terms of each field, in order, repeats kept. */
export interface RankedDocument {
  id: number;
  fields: readonly (readonly string[])[];
}

export interface Ranked {
  id: number;
  score: number;
}

/** Where a term occurs in one field: the documents (by position in the index) and how often. */
interface Postings {
  docs: number[];
  counts: number[];
}

/** What an index and the ranges of it share: the documents' terms, and scratch space. */
interface Store {
  ids: number[];
  boosts: readonly number[];
  /** Per field, each document's number of distinct terms. */
  lengths: number[][];
  /** Per term, its postings in each field, in document order. */
  postings: Map<string, (Postings | undefined)[]>;
  // Scratch space for one search, cleared after it (searches do not overlap).
  total: Float64Array;
  matched: Uint32Array;
  term: Float64Array;
  inTerm: Uint8Array;
  inResult: Uint8Array;
}

export class RankingIndex {
  /** Per field, the average of the range's lengths, worked out as its documents were added. */
  private readonly averages: number[];

  private constructor(
    private readonly store: Store,
    private readonly from: number,
    private readonly to: number,
  ) {
    this.averages = store.boosts.map((_, f) => {
      let average = 0;
      for (let i = from; i < to; i++) {
        // A running average, computed as MiniSearch computes it (the last bits decide ties).
        const count = i - from;
        average = ((average || 0) * count + store.lengths[f]![i]!) / (count + 1);
      }
      return average;
    });
  }

  /**
   * An index of the documents, in this order.
   * @param boosts how much each field counts, in the order of `RankedDocument.fields`.
   */
  static of(documents: readonly RankedDocument[], boosts: readonly number[]): RankingIndex {
    const n = documents.length;
    const store: Store = {
      ids: documents.map((d) => d.id),
      boosts,
      lengths: boosts.map(() => new Array<number>(n)),
      postings: new Map(),
      total: new Float64Array(n),
      matched: new Uint32Array(n),
      term: new Float64Array(n),
      inTerm: new Uint8Array(n),
      inResult: new Uint8Array(n),
    };
    documents.forEach((doc, i) => {
      boosts.forEach((_, f) => {
        const terms = doc.fields[f] ?? [];
        store.lengths[f]![i] = new Set(terms).size;
        for (const t of terms) {
          let fields = store.postings.get(t);
          if (!fields) {
            fields = boosts.map(() => undefined);
            store.postings.set(t, fields);
          }
          let p = fields[f];
          if (!p) {
            p = { docs: [], counts: [] };
            fields[f] = p;
          }
          const last = p.docs.length - 1;
          if (p.docs[last] === i) p.counts[last]!++;
          else {
            p.docs.push(i);
            p.counts.push(1);
          }
        }
      });
    });
    return new RankingIndex(store, 0, n);
  }

  /**
   * The documents added from position `from` up to `to`, ranked as an index of only them ranks
   * them (their own document count, average lengths and term frequencies).
   */
  range(from: number, to: number): RankingIndex {
    return new RankingIndex(this.store, from, to);
  }

  /**
   * The documents holding any of the terms, best first, each scored as the sum over the terms
   * (a repeated term counts again) of its boosted BM25+ score in each field, times the number of
   * distinct terms it holds. Equal scores keep the order in which documents were first matched.
   */
  search(terms: readonly string[]): Ranked[] {
    return this.matches(terms).sort((a, b) => b.score - a.score);
  }

  /** What `search` finds, unsorted: in the order documents were first matched. */
  matches(terms: readonly string[]): Ranked[] {
    const { ids, total } = this.store;
    const order = this.collect(terms);
    const results = order.map((doc) => ({ id: ids[doc]!, score: total[doc]! }));
    this.release(order);
    return results;
  }

  /**
   * Groups of documents (the policies of a corpus) in the order in which `search` first lists a
   * document of each, at most `limit` of them: a group ranks by its best document, and among
   * equals by the one matched first. `groupOf` gives the group of each document by its position;
   * groups whose `wanted` entry is 0 are left out.
   */
  topGroups(terms: readonly string[], groupOf: Int32Array, wanted: Uint8Array, limit: number): number[] {
    const { total } = this.store;
    const order = this.collect(terms);
    const bestScore = new Float64Array(wanted.length);
    const bestAt = new Int32Array(wanted.length).fill(-1);
    for (let at = 0; at < order.length; at++) {
      const doc = order[at]!;
      const group = groupOf[doc]!;
      if (!wanted[group]) continue;
      if (bestAt[group]! < 0 || total[doc]! > bestScore[group]!) {
        bestScore[group] = total[doc]!;
        bestAt[group] = at;
      }
    }
    this.release(order);
    // The best `limit` groups, kept in order as they are found (a handful among hundreds).
    const top: number[] = [];
    const before = (a: number, b: number) =>
      bestScore[a]! > bestScore[b]! || (bestScore[a] === bestScore[b] && bestAt[a]! < bestAt[b]!);
    for (let group = 0; group < wanted.length; group++) {
      if (bestAt[group]! < 0) continue;
      if (top.length >= limit && !before(group, top[top.length - 1]!)) continue;
      let i = top.length;
      while (i > 0 && before(group, top[i - 1]!)) i--;
      top.splice(i, 0, group);
      if (top.length > limit) top.pop();
    }
    return top;
  }

  /**
   * Scores every document of the range holding a term into `total` and returns them in the
   * order first matched; `release` clears what it set.
   */
  private collect(terms: readonly string[]): number[] {
    const { boosts, lengths, postings, total, matched, term, inTerm, inResult } = this.store;
    const n = this.to - this.from;
    const whole = this.from === 0 && this.to === this.store.ids.length;
    const order: number[] = [];
    for (let position = 0; position < terms.length; position++) {
      const t = terms[position]!;
      const fields = postings.get(t);
      if (!fields) continue;
      // A term's score for a document: its fields in order, then added to the total.
      const matchedNow: number[] = [];
      for (let f = 0; f < fields.length; f++) {
        const p = fields[f];
        if (!p) continue;
        const lo = whole ? 0 : firstAtOrAfter(p.docs, this.from);
        const hi = whole ? p.docs.length : firstAtOrAfter(p.docs, this.to);
        const matching = hi - lo;
        for (let j = lo; j < hi; j++) {
          const doc = p.docs[j]!;
          const score = boosts[f]! * bm25(p.counts[j]!, matching, n, lengths[f]![doc]!, this.averages[f]!);
          if (inTerm[doc]) term[doc] = term[doc]! + score;
          else {
            inTerm[doc] = 1;
            term[doc] = score;
            matchedNow.push(doc);
          }
        }
      }
      const first = terms.indexOf(t) === position;
      for (const doc of matchedNow) {
        if (inResult[doc]) total[doc] = total[doc]! + term[doc]!;
        else {
          inResult[doc] = 1;
          total[doc] = term[doc]!;
          order.push(doc);
        }
        if (first) matched[doc]!++;
        inTerm[doc] = 0;
      }
    }
    // Each document's score counts once per distinct term it holds.
    for (const doc of order) total[doc] = total[doc]! * matched[doc]!;
    return order;
  }

  private release(order: number[]): void {
    const { matched, inResult } = this.store;
    for (const doc of order) {
      inResult[doc] = 0;
      matched[doc] = 0;
    }
  }
}

/** BM25+ of one term in one field of one document, as MiniSearch 7 computes it. */
function bm25(
  termFreq: number,
  matchingCount: number,
  totalCount: number,
  fieldLength: number,
  avgFieldLength: number,
): number {
  const invDocFreq = Math.log(1 + (totalCount - matchingCount + 0.5) / (matchingCount + 0.5));
  return (
    invDocFreq * (D + (termFreq * (K + 1)) / (termFreq + K * (1 - B + (B * fieldLength) / avgFieldLength)))
  );
}

/** The first index of a sorted array whose value is at least `value`. */
function firstAtOrAfter(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Terms as a field or a query of space-separated terms splits them: a term holding a space is
 * several, an empty one none.
 */
export function splitTerms(terms: readonly string[]): readonly string[] {
  return terms.some((t) => t === '' || t.includes(' ')) ? terms.join(' ').split(' ').filter(Boolean) : terms;
}
