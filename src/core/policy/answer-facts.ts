import type { Answer, Citation } from './answer.js';
import type { Candidate, ClauseIndex } from './answer-index.js';
import { render, type Units } from './answer-units.js';
import { asksForList, isYesNo, negates, THRESHOLDS } from './evidence.js';
import type { Lexicon } from './language.js';
import type { Fact, FactOf, Policy } from './model.js';

/** Answers from a policy's typed facts: retention rows, rights, processors, and facts of any kind. */
export class FactAnswers {
  /** Each fact's words, read once (facts are matched against every question). */
  private readonly factTermCache = new WeakMap<Fact, Set<string>>();
  /** A retention fact's category and quote as words, read once. */
  private readonly retentionTermCache = new WeakMap<
    FactOf<'retention'>,
    { categoryTerms: Set<string>; quoteTerms: Set<string> }
  >();
  /** A processor's name, purpose and region as words, read once. */
  private readonly processorTermCache = new WeakMap<FactOf<'processor'>, Set<string>>();

  constructor(
    private readonly lexicon: Lexicon,
    private readonly clauses: ClauseIndex,
    private readonly units: Units,
  ) {}

  /** A fact's words: its quote and its typed values ("phone", "privacy requests", a category). */
  factTerms(f: Fact): Set<string> {
    let terms = this.factTermCache.get(f);
    if (!terms) {
      const values = Object.entries(f)
        .filter(([k, v]) => k !== 'source' && k !== 'kind' && k !== 'origin' && typeof v === 'string')
        .map(([, v]) => v as string);
      terms = new Set(this.lexicon.terms(`${f.source.quote} ${values.join(' ')}`));
      this.factTermCache.set(f, terms);
    }
    return terms;
  }

  /** A processor's name, purpose and region as words (not its sentence, which may name others). */
  processorTerms(f: FactOf<'processor'>): Set<string> {
    let terms = this.processorTermCache.get(f);
    if (!terms) {
      terms = new Set(this.lexicon.terms(`${f.name} ${f.purpose ?? ''} ${f.region ?? ''}`));
      this.processorTermCache.set(f, terms);
    }
    return terms;
  }

  /**
   * An answer from facts cites the passages retrieval ranked best too, up to three sources in all,
   * for a reader to check it against what surrounds it.
   */
  supported<T extends { citations: Citation[] }>(
    policy: Policy,
    answer: T,
    candidates: Candidate[],
    salient: string[],
    queryTerms: string[],
  ): T {
    const cited = new Set(answer.citations.map((c) => c.clauseId));
    const more = candidates
      .filter((c) => c.overall > 0 && !cited.has(c.doc.clause.id))
      .slice(0, Math.max(0, THRESHOLDS.sources - answer.citations.length))
      .map((c) => this.units.cite(policy, c.doc, this.units.bestSentences(c.doc, salient, queryTerms)));
    return more.length > 0 ? { ...answer, citations: [...answer.citations, ...more] } : answer;
  }

  /** A retention fact's category and quote as terms, read once. */
  retentionTerms(f: FactOf<'retention'>): { categoryTerms: Set<string>; quoteTerms: Set<string> } {
    let terms = this.retentionTermCache.get(f);
    if (!terms) {
      terms = {
        categoryTerms: new Set(this.lexicon.terms(f.category)),
        quoteTerms: new Set(this.lexicon.terms(f.source.quote)),
      };
      this.retentionTermCache.set(f, terms);
    }
    return terms;
  }

  retentionAnswer(
    policy: Policy,
    facts: FactOf<'retention'>[],
    salient: string[],
    weights: Map<string, number>,
  ): Omit<Answer, 'policies' | 'intent'> | null {
    const scored = facts
      .map((f) => {
        const doc = this.clauses.byClause.get(`${policy.id}#${f.source.clauseId}`)!;
        const { categoryTerms, quoteTerms } = this.retentionTerms(f);
        let have = 0;
        let all = 0;
        for (const t of salient) {
          const w = this.clauses.idf(t) * this.clauses.weight(t, weights);
          all += w;
          if (categoryTerms.has(t)) have += w;
          else if (quoteTerms.has(t)) have += THRESHOLDS.retentionInQuote * w;
          else if (doc.contextTerms.has(t)) have += THRESHOLDS.retentionInHeadings * w;
        }
        return { f, doc, score: all ? have / all : 0 };
      })
      .sort((a, b) => b.score - a.score || (b.f.period ? 1 : 0) - (a.f.period ? 1 : 0));
    const best = scored[0];
    if (!best || best.score < THRESHOLDS.retentionRow) return null;
    const { f, doc } = best;
    const citation = this.units.cite(policy, doc, f.source.quote);
    if (!f.period) {
      return {
        answer: `The ${policy.name} policy mentions this data (“${f.source.quote}”) but gives no retention period for it. Ask the privacy team for the actual schedule.`,
        found: false,
        citations: [citation],
        confidence: best.score,
      };
    }
    const parts = [`${f.category}: ${f.period}`];
    if (f.start && !f.period.toLowerCase().includes(f.start.toLowerCase()))
      parts.push(`counted from ${f.start}`);
    if (f.afterwards)
      parts.push(
        f.afterwards.includes(':')
          ? f.afterwards.replace(/:\s*(\S)/, (_, c: string) => `: ${c.toLowerCase()}`)
          : `then ${f.afterwards}`,
      );
    return {
      answer: `${parts.join('; ')}. (${policy.name} policy, ${citation.section}: “${f.source.quote}”)`,
      found: true,
      citations: [citation],
      confidence: best.score,
    };
  }

  /**
   * Answers from the facts of the intent's kinds: those whose clause retrieval ranked highest, or
   * whose words carry the question's subject, else the first ones the policy states.
   */
  factAnswer(
    policy: Policy,
    question: string,
    facts: Fact[],
    candidates: Candidate[],
    salient: string[],
  ): Omit<Answer, 'policies' | 'intent'> {
    const rank = new Map(candidates.map((c, i) => [c.doc.clause.id, i]));
    const scored = facts.map((f, order) => {
      const terms = this.factTerms(f);
      const match = salient.filter((t) => terms.has(t)).length;
      return { f, match, rank: rank.get(f.source.clauseId) ?? 1000 + order };
    });
    scored.sort((a, b) => b.match - a.match || a.rank - b.rank);
    const top = scored[0]!;
    // A question asking for several things ("list the rights") gets all of them.
    const many = asksForList(question) ? THRESHOLDS.maxListItems : 3;
    const chosen = scored.filter((s) => s.match === top.match).slice(0, top.match > 0 ? 1 : many);
    const seen = new Set<string>();
    const quotes = chosen.filter((s) => !seen.has(s.f.source.quote) && seen.add(s.f.source.quote));
    const citations = quotes.map((s) =>
      this.units.cite(
        policy,
        this.clauses.byClause.get(`${policy.id}#${s.f.source.clauseId}`)!,
        s.f.source.quote,
      ),
    );
    const body = quotes
      .map(
        (s) =>
          `“${render(this.clauses.byClause.get(`${policy.id}#${s.f.source.clauseId}`)!.clause, s.f.source.quote)}”`,
      )
      .join(' ');
    return {
      answer: `${this.factVerdict(question, body, salient)}${body} (${policy.name} policy, ${citations[0]!.section})`,
      found: true,
      citations,
      confidence: salient.length ? top.match / salient.length : 1,
    };
  }

  /** A fact's quote gives "Yes" or "No" only when it says a word of the question (see `negates`). */
  factVerdict(question: string, quote: string, salient: string[]): string {
    if (!isYesNo(question)) return '';
    const wanted = new Set(salient);
    const no = negates(quote, (w) => wanted.has(this.lexicon.termOf(w)));
    return no === null ? '' : no ? 'No. ' : 'Yes. ';
  }

  /** "Which processors do we use?": every one the policy names, with what it does and where. */
  processorsAnswer(policy: Policy, facts: FactOf<'processor'>[]): Omit<Answer, 'policies' | 'intent'> {
    // A processor table is the policy's own list: when it has one, passing mentions in sentences
    // (which may be places or people) are left out.
    const rows = facts.filter(
      (f) => this.clauses.byClause.get(`${policy.id}#${f.source.clauseId}`)?.clause.kind === 'table-row',
    );
    const listed = rows.length > 0 ? rows : facts;
    const byName = new Map<string, FactOf<'processor'>>();
    for (const f of listed) {
      const known = byName.get(f.name.toLowerCase());
      // A table row (with purpose and region) says more than a passing mention in a sentence.
      if (!known || (!known.purpose && f.purpose)) byName.set(f.name.toLowerCase(), f);
    }
    // "GoCardless" mentioned in a sentence is the "GoCardless Ltd." of the table.
    for (const [key, f] of byName)
      if (!f.purpose && [...byName.keys()].some((k) => k !== key && k.startsWith(`${key} `)))
        byName.delete(key);
    const items = [...byName.values()].map((f) => {
      const detail = [f.purpose, f.region].filter(Boolean).join(', ');
      return detail ? `${f.name} (${detail})` : f.name;
    });
    const clauses = [...new Set([...byName.values()].map((f) => f.source.clauseId))].slice(0, 8);
    const citations = clauses.map((id) => {
      const doc = this.clauses.byClause.get(`${policy.id}#${id}`)!;
      return this.units.cite(policy, doc, facts.find((f) => f.source.clauseId === id)!.source.quote);
    });
    return {
      answer: `The ${policy.name} policy names these processors and service providers: ${items.join('; ')}.`,
      found: true,
      citations,
      confidence: 1,
    };
  }

  rightsAnswer(policy: Policy, facts: FactOf<'right'>[]): Omit<Answer, 'policies' | 'intent'> {
    const labels: Record<FactOf<'right'>['right'], string> = {
      access: 'access',
      rectification: 'correction (rectification)',
      erasure: 'deletion (erasure)',
      restriction: 'restriction of processing',
      portability: 'portability (export)',
      objection: 'objection',
      'withdraw-consent': 'withdrawal of consent',
      'opt-out-of-sale': 'opting out of sale or sharing',
      complaint: 'complaint to a supervisory authority',
      'automated-decisions': 'not being subject to automated decisions',
    };
    const rights = [...new Set(facts.map((f) => f.right))];
    const clauses = [...new Set(facts.map((f) => f.source.clauseId))].slice(0, 8);
    const citations = clauses.map((id) => {
      const doc = this.clauses.byClause.get(`${policy.id}#${id}`)!;
      return this.units.cite(policy, doc, facts.find((f) => f.source.clauseId === id)!.source.quote);
    });
    return {
      answer: `The ${policy.name} policy lists these rights: ${rights.map((r) => labels[r]).join(', ')}.`,
      found: true,
      citations,
      confidence: 1,
    };
  }
}
