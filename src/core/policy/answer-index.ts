import { MAX_POLICIES_PER_ANSWER, NONE } from './answer-constants.js';
import type { AnswerKind } from './evidence.js';
import { THRESHOLDS } from './evidence.js';
import type { Intent } from './intents.js';
import type { Lexicon } from './language.js';
import type { Clause, Policy, Section } from './model.js';
import { RankingIndex, splitTerms } from './ranking.js';

/** Terms are already canonical stems: the index only ranks them (BM25), text over context. */
export function newIndex(docs: Indexed[]): RankingIndex {
  return RankingIndex.of(
    docs.map((d) => ({ id: d.id, fields: d.fields })),
    [2, 1],
  );
}

export interface Indexed {
  id: number;
  policy: string;
  clause: Clause;
  section: Section | undefined;
  /** Canonical terms of the clause text, in order (BM25 counts repeats). */
  textList: string[];
  textTerms: Set<string>;
  /** Canonical terms of the clause's context: section titles, list lead, table header. */
  contextTerms: Set<string>;
  /** What the index ranks: the text's terms (repeats kept), then the context's. */
  fields: [readonly string[], readonly string[]];
  /** Canonical terms of each of the clause's sentences, read when first needed. */
  sentenceTerms?: Set<string>[];
}

/** Terms, what each counts (idf times how much it says), and their sum. */
export interface Weighed {
  terms: string[];
  weights: number[];
  all: number;
}

export interface Candidate {
  doc: Indexed;
  score: number;
  /** Share of what the question is about (its salient terms) that the passage has. */
  coverage: number;
  /** Share of every content word of the question (frame words too) that the passage has. */
  overall: number;
}

/**
 * The clauses of the corpus as retrieval reads them: the BM25 indexes (the whole corpus's and each
 * policy's), document frequencies and idf, coverage, and what each policy says.
 */
export class ClauseIndex {
  /** Over every clause: picks which policies to answer from when a question spans many. */
  private index!: RankingIndex;
  /** Policy ids by ordinal, each id's ordinal, and each clause's (by `Indexed.id`). */
  private readonly policyAt: string[] = [];
  private readonly policyOrdinal = new Map<string, number>();
  private policyOfDoc!: Int32Array;
  private readonly policyIndexes = new Map<string, RankingIndex>();
  readonly docsByPolicy = new Map<string, Indexed[]>();
  readonly docs: Indexed[] = [];
  readonly byClause = new Map<string, Indexed>();
  readonly policies = new Map<string, Policy>();
  readonly df = new Map<string, number>();
  /** Each term's idf, worked out on first use (the corpus does not change). */
  private readonly idfCache = new Map<string, number>();
  /** Per policy and answer kind, the clauses that hold it. */
  private readonly holdingCache = new Map<string, Indexed[]>();
  /** Each policy's terms, read once. */
  private readonly vocabularies = new Map<string, Set<string>>();
  /** GENERIC_WORDS read the way questions are read (set once every policy and intent is learnt). */
  generic: ReadonlySet<string> = NONE;

  constructor(private readonly lexicon: Lexicon) {}

  /** Indexes a policy's clauses, teaching the lexicon its words first. */
  add(policy: Policy): void {
    this.policies.set(policy.id, policy);
    this.lexicon.learnText(policy.name);
    const sections = new Map(policy.sections.map((s) => [s.id, s]));
    for (const clause of policy.clauses) {
      this.lexicon.learnText(clause.text);
      const section = sections.get(clause.sectionId);
      const context = [
        section?.title ?? '',
        ...(section?.parents ?? []),
        clause.lead ?? '',
        (clause.header ?? []).join(' '),
      ].join(' ');
      const textList = this.lexicon.terms(clause.text);
      const contextTerms = new Set(this.lexicon.terms(context));
      const doc: Indexed = {
        id: this.docs.length,
        policy: policy.id,
        clause,
        section,
        textList,
        textTerms: new Set(textList),
        contextTerms,
        fields: [splitTerms(textList), splitTerms([...contextTerms])],
      };
      this.docs.push(doc);
      const own = this.docsByPolicy.get(policy.id) ?? [];
      if (own.length === 0) this.docsByPolicy.set(policy.id, own);
      own.push(doc);
      this.byClause.set(`${policy.id}#${clause.id}`, doc);
      for (const t of new Set([...doc.textTerms, ...doc.contextTerms]))
        this.df.set(t, (this.df.get(t) ?? 0) + 1);
    }
  }

  /** Builds the corpus index once every policy is added. */
  seal(generic: ReadonlySet<string>): void {
    this.generic = generic;
    this.index = newIndex(this.docs);
    this.policyOfDoc = new Int32Array(this.docs.length);
    for (const d of this.docs) {
      let ordinal = this.policyOrdinal.get(d.policy);
      if (ordinal === undefined) {
        ordinal = this.policyAt.push(d.policy) - 1;
        this.policyOrdinal.set(d.policy, ordinal);
      }
      this.policyOfDoc[d.id] = ordinal;
    }
  }

  /**
   * Which policies of a scope to answer from. Up to a few dozen, all of them; past that, one search
   * over the whole corpus picks those whose passages match best, so a question across 1,000
   * policies costs one search and a few dozen small ones, not a thousand.
   */
  policiesToAnswer(ids: string[], queryTerms: string[], intent: Intent): string[] {
    if (ids.length <= MAX_POLICIES_PER_ANSWER) return ids;
    const wanted = new Uint8Array(this.policyAt.length);
    for (const id of ids) {
      // A policy without clauses has no ordinal: no passage of it is ranked.
      const ordinal = this.policyOrdinal.get(id);
      if (ordinal !== undefined) wanted[ordinal] = 1;
    }
    const ranked = this.index
      .topGroups(splitTerms(queryTerms), this.policyOfDoc, wanted, MAX_POLICIES_PER_ANSWER)
      .map((p) => this.policyAt[p]!);
    const seen = new Set(ranked);
    // Facts-first intents can answer from a policy whose passages share no word with the question.
    if (intent.factsFirst)
      for (const id of ids) if (ranked.length < MAX_POLICIES_PER_ANSWER && !seen.has(id)) ranked.push(id);
    return ranked;
  }

  /**
   * One BM25 index per policy, its statistics the policy's own: the range of the corpus index
   * holding its clauses (two documents with one id, "a.md" and "a.txt", get an index of their own).
   */
  indexFor(policyId: string): RankingIndex {
    let index = this.policyIndexes.get(policyId);
    if (!index) {
      const docs = this.docsByPolicy.get(policyId) ?? [];
      const from = docs[0]?.id ?? 0;
      const contiguous = docs.every((d, i) => d.id === from + i);
      index = contiguous ? this.index.range(from, from + docs.length) : newIndex(docs);
      this.policyIndexes.set(policyId, index);
    }
    return index;
  }

  /** How much a question term counts towards coverage (see Lexicon.termWeights). */
  weight(term: string, weights?: Map<string, number>): number {
    return weights?.get(term) ?? 1;
  }

  idf(term: string): number {
    let idf = this.idfCache.get(term);
    if (idf === undefined) {
      const n = this.docs.length;
      idf = Math.log(1 + (n + 1) / ((this.df.get(term) ?? 0) + 0.5));
      this.idfCache.set(term, idf);
    }
    return idf;
  }

  /**
   * How much of what the question asks about a passage has: its terms weighed by how rare they are
   * in the corpus and by how much they say about the subject (`weights`, from 0.25 for the most
   * common English words to 1).
   */
  coverage(doc: Indexed, { terms, weights, all }: Weighed): number {
    if (terms.length === 0) return 1;
    let have = 0;
    terms.forEach((t, i) => {
      const w = weights[i]!;
      if (doc.textTerms.has(t)) have += w;
      else if (doc.contextTerms.has(t)) have += THRESHOLDS.inHeadings * w;
    });
    return all > 0 ? have / all : 0;
  }

  /** Terms with what each counts towards `coverage`, worked out once for every passage. */
  weigh(terms: string[], weights?: Map<string, number>): Weighed {
    const w = terms.map((t) => this.idf(t) * this.weight(t, weights));
    let all = 0;
    for (const x of w) all += x;
    return { terms, weights: w, all };
  }

  retrieve(
    policy: Policy,
    queryTerms: string[],
    salient: string[],
    topics: Set<string>,
    weights?: Map<string, number>,
  ): Candidate[] {
    if (queryTerms.length === 0) return [];
    const content = [...new Set(queryTerms.filter((t) => !this.generic.has(t)))];
    const results = this.indexFor(policy.id).search(splitTerms(queryTerms));
    const about = this.weigh(salient, weights);
    const every = this.weigh(content);
    const topicTerms = [...topics];
    return results
      .slice(0, 40)
      .map((r) => {
        const doc = this.docs[r.id]!;
        const coverage = this.coverage(doc, about);
        // Ranking weighs every content word of the question; `coverage` (of what the question is
        // about) decides only whether the passage answers it.
        const overall = this.coverage(doc, every);
        // A passage under a heading on the question's topic, or saying a word of it, is likelier
        // to answer (in a policy without headings, the passage's own words are all there is).
        const topical = topicTerms.some((t) => doc.contextTerms.has(t) || doc.textTerms.has(t)) ? 1.3 : 1;
        return { doc, coverage, overall, score: r.score * (1 + 3 * overall) * topical };
      })
      .sort((a, b) => b.score - a.score);
  }

  /** The clauses of a policy that hold a kind of answer, found once per policy and kind. */
  clausesHolding(policy: Policy, kind: AnswerKind): Indexed[] {
    const key = `${policy.id}#${kind.id}`;
    let found = this.holdingCache.get(key);
    if (!found) {
      found = (this.docsByPolicy.get(policy.id) ?? []).filter((d) => kind.holds.test(d.clause.text));
      this.holdingCache.set(key, found);
    }
    return found;
  }

  /** Every term a policy uses, in its text or headings. */
  vocabularyOf(policy: Policy): Set<string> {
    let v = this.vocabularies.get(policy.id);
    if (!v) {
      v = new Set<string>();
      for (const d of this.docsByPolicy.get(policy.id) ?? []) {
        for (const t of d.textTerms) v.add(t);
        for (const t of d.contextTerms) v.add(t);
      }
      this.vocabularies.set(policy.id, v);
    }
    return v;
  }
}
