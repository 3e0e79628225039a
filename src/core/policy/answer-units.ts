import type { Answer, Citation } from './answer.js';
import { BACK_REFERENCE, CONTINUATION, FAR_REFERENCE, NONE } from './answer-constants.js';
import type { Candidate, ClauseIndex, Indexed } from './answer-index.js';
import { type AnswerKind, THRESHOLDS } from './evidence.js';
import type { Lexicon } from './language.js';
import type { Clause, Policy } from './model.js';
import { sectionLabel } from './structure.js';

/** One sentence of a retrieved clause (a table row is one), as evidence for an answer. */
export interface Unit {
  key: string;
  /** The sentence's place in its clause. */
  index: number;
  /** The exact words quoted. */
  quoteText: string;
  /** Which kinds of answer the sentence holds, as tested so far (shared by the unit's copies). */
  held: Map<string, boolean>;
  /** What the sentence says of each kind of answer (`kindMatches`). */
  matches: Map<string, string[]>;
  /** The unit opens with a run-in title ("Inactive accounts.") joined to what it introduces. */
  runIn: boolean;
  /** How the quote reads in an answer (a table row as "Header: cell"). */
  rendered: string;
  terms: Set<string>;
  /** The sentence that introduces the list the clause is an item of. */
  lead: string | undefined;
  leadTerms: Set<string>;
  /**
   * For a sentence that refers back to what came before ("The retention time for this data is
   * 90 days."), the words of the sentences before it in its section; empty otherwise.
   */
  antecedentTerms: ReadonlySet<string>;
  candidate: Candidate;
}

/**
 * Sentences as evidence and as quotes: the units of a clause, what completes a quote (the next
 * sentence, a list and its lead-in), what a sentence says of a kind of answer, and citations.
 */
export class Units {
  private readonly kindTermCache = new WeakMap<AnswerKind, Set<string>>();
  /** Each kind's pattern, global, to list what a sentence says of it. */
  private readonly globalHolds = new WeakMap<AnswerKind, RegExp>();
  /** Each clause's sentences as evidence units, read once. */
  private readonly unitCache = new Map<string, Unit[]>();

  constructor(
    private readonly lexicon: Lexicon,
    private readonly clauses: ClauseIndex,
    private readonly answerKinds: AnswerKind[],
  ) {}

  /**
   * A policy written one sentence to a line has lost its paragraphs, so a cited sentence may be
   * half of what the policy says there. The sentence just before or after a cited one is cited
   * too, in document order, when it is a sentence of running text in the same section that speaks
   * to the question as well (shares one of its content words).
   */
  withContext(answer: Answer, queryTerms: string[]): Answer {
    const content = new Set(queryTerms.filter((t) => !this.clauses.generic.has(t)));
    if (content.size === 0 || answer.citations.length === 0) return answer;
    const cited = new Set(answer.citations.map((c) => `${c.policy}#${c.clauseId}`));
    const single = (d: Indexed | undefined): d is Indexed =>
      d !== undefined && d.clause.kind === 'paragraph' && d.clause.sentences.length === 1;
    const out: Citation[] = [];
    for (const c of answer.citations) {
      const doc = this.clauses.byClause.get(`${c.policy}#${c.clauseId}`);
      const ids = doc?.section?.clauseIds ?? [];
      const at = doc ? ids.indexOf(doc.clause.id) : -1;
      const neighbour = (offset: number): Indexed | undefined => {
        const id = ids[at + offset];
        const n = id === undefined ? undefined : this.clauses.byClause.get(`${c.policy}#${id}`);
        if (!single(n) || cited.has(`${c.policy}#${n.clause.id}`)) return undefined;
        return [...content].some((t) => n.textTerms.has(t)) ? n : undefined;
      };
      const before = single(doc) && at >= 0 ? neighbour(-1) : undefined;
      const after = single(doc) && at >= 0 ? neighbour(1) : undefined;
      const policy = this.clauses.policies.get(c.policy)!;
      for (const n of [before, after]) if (n) cited.add(`${c.policy}#${n.clause.id}`);
      if (before) out.push(this.cite(policy, before, before.clause.text));
      out.push(c);
      if (after) out.push(this.cite(policy, after, after.clause.text));
    }
    return out.length === answer.citations.length ? answer : { ...answer, citations: out };
  }

  /** Whether a unit's sentence holds a kind of answer, tested once per sentence and kind. */
  unitHolds(u: Unit, kind: AnswerKind): boolean {
    let held = u.held.get(kind.id);
    if (held === undefined) {
      held = kind.holds.test(u.quoteText);
      u.held.set(kind.id, held);
    }
    return held;
  }

  /** Whether a sentence is nothing but a value of a kind (an address, a number) and its punctuation. */
  isBareValue(u: Unit, kind: AnswerKind): boolean {
    const said = this.kindMatches(u, kind).join('').length;
    return said > 0 && said >= u.quoteText.replace(/[\s.,;:()"“”]/g, '').length * 0.8;
  }

  /** What a sentence says of a kind of answer: each match of the kind's pattern, read once. */
  kindMatches(u: Unit, kind: AnswerKind): string[] {
    const key = `matches:${kind.id}`;
    let found = u.matches.get(key);
    if (found === undefined) {
      let all = this.globalHolds.get(kind);
      if (!all) {
        all = new RegExp(kind.holds.source, `${kind.holds.flags.replace('g', '')}g`);
        this.globalHolds.set(kind, all);
      }
      found = [...u.quoteText.matchAll(all)].map((m) => m[0]);
      u.matches.set(key, found);
    }
    return found;
  }

  /** The words naming an answer kind, as terms, read once. */
  kindTerms(kind: AnswerKind): Set<string> {
    let terms = this.kindTermCache.get(kind);
    if (!terms) {
      terms = new Set(this.lexicon.terms(kind.names.join(' ')));
      this.kindTermCache.set(kind, terms);
    }
    return terms;
  }

  /** A clause's sentences as units of evidence (a table row or a one-sentence clause is one). */
  unitsOf(policy: Policy, candidate: Candidate): Unit[] {
    const key = `${policy.id}#${candidate.doc.clause.id}`;
    let cached = this.unitCache.get(key);
    if (!cached) {
      const { clause } = candidate.doc;
      const texts =
        clause.kind === 'table-row' || clause.sentences.length <= 1 ? [clause.text] : runIn(clause.sentences);
      const leadTerms = new Set(clause.lead ? this.lexicon.terms(clause.lead) : []);
      const before = (i: number) =>
        BACK_REFERENCE.test(texts[i]!)
          ? this.wordsBefore(policy, candidate.doc, texts.slice(0, i), FAR_REFERENCE.test(texts[i]!))
          : NONE;
      cached = texts.map((text, i) => ({
        held: new Map<string, boolean>(),
        matches: new Map<string, string[]>(),
        runIn: i === 0 && text !== clause.sentences[0] && !/:$/.test(clause.sentences[0] ?? ''),
        key: `${key}/${i}`,
        index: i,
        quoteText: text,
        rendered: render(clause, text),
        terms: texts.length === 1 ? candidate.doc.textTerms : new Set(this.lexicon.terms(text)),
        lead: clause.lead,
        leadTerms,
        antecedentTerms: before(i),
        candidate: { doc: candidate.doc, score: 0, coverage: 0, overall: 0 },
      }));
      this.unitCache.set(key, cached);
    }
    return cached.map((u) => ({ ...u, candidate }));
  }

  /**
   * The words of what a sentence refers back to: the sentences before it in its clause, else the
   * clause before it; a list is read whole with its lead-in, and a lead-in that itself refers back
   * ("The data mentioned are processed for:") is read with what it refers to.
   */
  wordsBefore(policy: Policy, doc: Indexed, earlier: string[], far = false): ReadonlySet<string> {
    const out = new Set(earlier.flatMap((t) => this.lexicon.terms(t)));
    // The sentences before it in its clause, unless the first of them refers back itself ("The
    // listed usage data is stored anonymously. The legal basis for this data is...").
    if (earlier.length > 0 && !BACK_REFERENCE.test(earlier[0]!)) return out;
    const ids = doc.section?.clauseIds ?? [];
    const at = (i: number) => this.clauses.byClause.get(`${policy.id}#${ids[i]}`);
    let i = ids.indexOf(doc.clause.id) - 1;
    for (let read = 0; i >= 0 && read < THRESHOLDS.antecedentClauses; read++) {
      let d = at(i);
      if (!d) break;
      for (const t of d.textTerms) out.add(t);
      // A list item: the whole list, then the sentence that leads into it.
      while (d.clause.kind === 'list-item' && i > 0) {
        const prev = at(i - 1);
        if (!prev) break;
        i--;
        d = prev;
        for (const t of d.textTerms) out.add(t);
        if (prev.clause.kind !== 'list-item') break;
      }
      // "The above rights" may be a few clauses up: read on as far as a reference reaches.
      if (!far && !BACK_REFERENCE.test(d.clause.text)) break;
      i--;
    }
    return out;
  }

  /** The unit after this one: the next sentence of its clause, or the next clause of its section. */
  nextUnit(policy: Policy, u: Unit): Unit | undefined {
    const { doc } = u.candidate;
    if (u.index + 1 < doc.clause.sentences.length && doc.clause.kind !== 'table-row')
      return this.unitsOf(policy, u.candidate)[u.index + 1];
    const ids = doc.section?.clauseIds ?? [];
    const at = ids.indexOf(doc.clause.id);
    let next = at >= 0 ? this.clauses.byClause.get(`${policy.id}#${ids[at + 1]}`) : undefined;
    // At the end of its section, a sentence goes on into a section right after it that is titled
    // only by the kind of answer it holds, as contact blocks are ("...contact the Data Protection
    // Officer." then "Email" over the address, "Post" over the letters' address).
    if (!next && at >= 0 && at === ids.length - 1 && doc.section) {
      const sections = policy.sections;
      const following = sections[sections.findIndex((s) => s.id === doc.section!.id) + 1];
      if (following && following.clauseIds.length > 0 && this.titledByKind(following.title))
        next = this.clauses.byClause.get(`${policy.id}#${following.clauseIds[0]}`);
    }
    return next ? this.unitsOf(policy, { doc: next, score: 0, coverage: 0, overall: 0 })[0] : undefined;
  }

  /** A title made only of words that name a kind of answer ("Email", "Telephone", "Post"). */
  titledByKind(title: string): boolean {
    const words = title.toLowerCase().match(/[a-z-]+/g) ?? [];
    return (
      words.length > 0 &&
      words.length <= 3 &&
      words.every((w) => this.answerKinds.some((k) => k.names.includes(w)))
    );
  }

  /**
   * What may complete a sentence: the unit after it, or, after a sentence ending in a colon
   * ("...or by mail at:"), the lines it introduces (an address written one line a clause).
   */
  following(policy: Policy, u: Unit): Unit[] {
    const out: Unit[] = [];
    let at: Unit | undefined = u;
    const limit = /:\s*$/.test(u.quoteText) ? THRESHOLDS.maxListItems : 1;
    while (out.length < limit) {
      at = this.nextUnit(policy, at);
      if (at === undefined) break;
      out.push(at);
    }
    return out;
  }

  /** The other items of the list a list item belongs to (the same lead-in, one after another). */
  siblings(policy: Policy, u: Unit): Unit[] {
    const { clause, section } = u.candidate.doc;
    if (clause.kind !== 'list-item' && clause.kind !== 'table-row') return [];
    const ids = section?.clauseIds ?? [];
    const at = ids.indexOf(clause.id);
    const same = (id: string | undefined) => {
      const d = id === undefined ? undefined : this.clauses.byClause.get(`${policy.id}#${id}`);
      return d && d.clause.kind === clause.kind && d.clause.lead === clause.lead ? d : undefined;
    };
    let first = at;
    while (first > 0 && same(ids[first - 1])) first--;
    const out: Unit[] = [];
    for (let i = first; i < ids.length; i++) {
      const d = same(ids[i]);
      if (!d) break;
      out.push(this.unitsOf(policy, { doc: d, score: 0, coverage: 0, overall: 0 })[0]!);
    }
    return out;
  }

  /**
   * Quotes in document order, each completed: a sentence that introduces a list ("We share it
   * with:") brings the list's items; a list item brings its lead-in, once.
   */
  complete(policy: Policy, chosen: Unit[]): Unit[] {
    const out: Unit[] = [];
    const seen = new Set<string>();
    const leads = new Set<string>();
    // A quote appears once, whether it comes as a chosen sentence or as a list's lead-in.
    const push = (u: Unit) => {
      if (seen.has(u.key) || seen.has(`text:${u.quoteText}`)) return;
      seen.add(u.key);
      seen.add(`text:${u.quoteText}`);
      out.push(u);
    };
    for (const u of chosen) {
      const { clause, section } = u.candidate.doc;
      if (clause.kind === 'list-item' && clause.lead && !leads.has(clause.lead)) {
        leads.add(clause.lead);
        push({
          ...u,
          key: `${u.key}/lead`,
          quoteText: clause.lead,
          rendered: clause.lead,
          held: new Map(),
          matches: new Map(),
        });
      }
      // A run-in title ("Inactive accounts. If you have not signed in...") heads a short
      // paragraph that is one answer: the paragraph is quoted whole.
      if (u.runIn && clause.sentences.length <= THRESHOLDS.maxQuotes) {
        push({
          ...u,
          key: `${u.candidate.doc.clause.id}/whole`,
          quoteText: clause.text,
          rendered: clause.text,
          held: new Map(),
          matches: new Map(),
        });
        for (const other of this.unitsOf(policy, u.candidate)) seen.add(other.key);
        continue;
      }
      push(u);
      // The next sentence of the paragraph that refers back to this one ("In complex cases, we may
      // extend...", "This Log Data may include...") is part of what it says.
      const next = this.unitsOf(policy, u.candidate)[u.index + 1];
      if (next && clause.kind !== 'table-row' && CONTINUATION.test(next.quoteText)) push(next);
      if (/:\s*$/.test(u.quoteText)) {
        const ids = section?.clauseIds ?? [];
        const at = ids.indexOf(clause.id);
        let taken = 0;
        for (const id of ids.slice(at + 1)) {
          const d = this.clauses.byClause.get(`${policy.id}#${id}`);
          if (!d || taken >= THRESHOLDS.maxListItems) break;
          // "...or by mail at:" then the address: a colon introduces the one paragraph after it.
          if (d.clause.kind === 'paragraph') {
            if (taken === 0) push(this.unitsOf(policy, { doc: d, score: 0, coverage: 0, overall: 0 })[0]!);
            break;
          }
          if (d.clause.lead) leads.add(d.clause.lead);
          for (const item of this.unitsOf(policy, { doc: d, score: 0, coverage: 0, overall: 0 }).slice(0, 1))
            push(item);
          taken++;
        }
      }
    }
    return out;
  }

  /** The sentence(s) of a clause that carry the question's terms; table rows and short items whole. */
  bestSentences(doc: Indexed, salient: string[], queryTerms: string[]): string {
    const { clause } = doc;
    if (clause.sentences.length <= 1 || clause.kind === 'table-row') return clause.text;
    const want = salient.length > 0 ? salient : queryTerms;
    const sentenceTerms = this.sentenceTerms(doc);
    const scored = clause.sentences.map((s, i) => {
      const terms = sentenceTerms[i]!;
      return { s, i, score: want.reduce((acc, t) => acc + (terms.has(t) ? this.clauses.idf(t) : 0), 0) };
    });
    const best = [...scored].sort((a, b) => b.score - a.score)[0]!;
    if (best.score === 0) return clause.sentences[0]!;
    // A sentence that only points onwards ("We collect:") reads better with the next one, and a
    // run-in title ("Inactive accounts. If you have not…") with what it introduces.
    const next = clause.sentences[best.i + 1];
    if (next && best.s.split(/\s+/).length <= 4 && /\.$/.test(best.s))
      return clause.sentences.length <= 4 ? clause.text : `${best.s} ${next}`;
    if (/:$/.test(best.s) && next) return `${best.s} ${next}`;
    // A question about two things may be answered by two sentences in a row ("We do not sell
    // your data. We do not show ads."): a neighbour that says what the best one leaves out joins it.
    const bestTerms = sentenceTerms[best.i]!;
    const missing = want.filter((t) => !bestTerms.has(t));
    const prev = clause.sentences[best.i - 1];
    if (next && missing.some((t) => sentenceTerms[best.i + 1]!.has(t))) return `${best.s} ${next}`;
    if (prev && missing.some((t) => sentenceTerms[best.i - 1]!.has(t))) return `${prev} ${best.s}`;
    return best.s;
  }

  /** The terms of each sentence of a clause, read once. */
  sentenceTerms(doc: Indexed): Set<string>[] {
    doc.sentenceTerms ??= doc.clause.sentences.map((s) => new Set(this.lexicon.terms(s)));
    return doc.sentenceTerms;
  }

  label(doc: Indexed): string {
    const section = doc.section;
    const index = section ? section.clauseIds.indexOf(doc.clause.id) : 0;
    return sectionLabel(section, index);
  }

  cite(policy: Policy, doc: Indexed, quote: string): Citation {
    return { policy: policy.id, section: this.label(doc), quote, clauseId: doc.clause.id };
  }
}

/** A table row reads as "Header: cell; Header: cell"; other clauses as written. */
export function render(clause: Clause, quote: string): string {
  if (clause.kind === 'table-row' && clause.cells && quote === clause.text) {
    if (clause.header && clause.header.length === clause.cells.length) {
      return clause.cells.map((c, i) => `${clause.header![i]}: ${c}`).join('; ');
    }
    return clause.cells.join(' | ');
  }
  return quote;
}

/**
 * Sentences as quotable units: a run-in title ("Inactive accounts.") or a sentence that only
 * points onwards ("We collect:") is one unit with the sentence it introduces.
 */
function runIn(sentences: string[]): string[] {
  const out: string[] = [];
  let carry = '';
  for (const s of sentences) {
    const text = carry ? `${carry} ${s}` : s;
    if (s.split(/\s+/).length <= 4 || /:$/.test(s)) carry = text;
    else {
      out.push(text);
      carry = '';
    }
  }
  if (carry) out.push(carry);
  return out;
}
