import { AppError } from '../errors.js';
import { GENERIC_WORDS } from './answer-constants.js';
import { EvidenceAnswers, type QuestionTerms } from './answer-evidence.js';
import { FactAnswers } from './answer-facts.js';
import { ClauseIndex } from './answer-index.js';
import { type NameMatcher, properNameTerms, spellingOf } from './answer-names.js';
import { Shorthand } from './answer-shorthand.js';
import { Units } from './answer-units.js';
import { type AnswerKind, askedKinds, loadAnswerKinds, readQuestion, THRESHOLDS } from './evidence.js';
import type { Intent, IntentRegistry } from './intents.js';
import { englishWords, INTENTS_DIR, type Lexicon } from './language.js';
import type { Corpus, FactOf, Policy } from './model.js';
import { ownerNames } from './owner.js';
import { fold, words } from './text.js';

export { properNameTerms } from './answer-names.js';

/** One quoted source: the policy id, the section as printed, and the exact words. */
export interface Citation {
  policy: string;
  section: string;
  quote: string;
  clauseId: string;
}

export interface Answer {
  answer: string;
  /** False when the policy does not answer the question; the answer then says so. */
  found: boolean;
  citations: Citation[];
  /** The policies the question was answered against. */
  policies: string[];
  intent: string;
  /** 0..1: how much of what the question asks about the best passage covers. */
  confidence: number;
}

/** A retrieved clause with its citation and how well it matched. */
export interface Passage extends Citation {
  policyName: string;
  score: number;
  coverage: number;
}

export interface AskOptions {
  /** Answer from this policy only (an id from the corpus). */
  policy?: string | null;
}

/** Longest question accepted; longer text is almost always a paste error. */
export const MAX_QUESTION_CHARS = 2000;

/**
 * Answers questions from a structured corpus: classifies the question against the intents, picks the
 * policies in scope, retrieves clauses with BM25 (see ranking.ts) over canonical terms, and answers from
 * a typed fact when one fits, else from the best passage, quoting the exact words. When what the
 * question is about is not in the policy, it says so instead of guessing.
 */
export class PolicyAnswerer {
  /** The clauses, indexed for retrieval. */
  private readonly clauses: ClauseIndex;
  /** Sentences as evidence, quotes and citations. */
  private readonly units: Units;
  /** Answers from typed facts. */
  private readonly facts: FactAnswers;
  /** Shorthand spelled out from a policy's words. */
  private readonly shorthand: Shorthand;
  /** Answers from the sentences of the best passages. */
  private readonly evidence: EvidenceAnswers;
  private readonly intentTerms: {
    intent: Intent;
    examples: Set<string>[];
    frame: Set<string>;
    /** The intent's topics as terms: which sections are likely to answer. */
    topics: string[];
    /** Its cue phrases, lower case. */
    cues: string[];
  }[];
  /**
   * Per intent, what makes a passage on its topic: the words of its topics and cues (not "how",
   * "data") and, when it has one, the pattern an answer must match.
   */
  private readonly onTopic = new Map<string, { core: Set<string>; says: RegExp | null }>();
  /**
   * Each policy's name as words (to spot it in a question: the ways a question may spell it, each
   * between spaces) and as query terms (to drop it).
   */
  private readonly nameMatchers: NameMatcher[] = [];
  /** The name matcher of each policy id. */
  private readonly nameOf = new Map<string, NameMatcher>();
  /** GENERIC_WORDS read the way questions are read (stemmed, synonyms folded). */
  private readonly generic: Set<string>;
  /** Every term of the intents' examples, topics and framing words. */
  private readonly intentVocabulary: Set<string>;

  constructor(
    corpus: Corpus,
    private readonly lexicon: Lexicon,
    intents: IntentRegistry,
    private readonly defaultPolicy?: string,
    private readonly answerKinds: AnswerKind[] = loadAnswerKinds(`${INTENTS_DIR}answer-kinds.yaml`),
  ) {
    this.clauses = new ClauseIndex(lexicon);
    this.units = new Units(lexicon, this.clauses, answerKinds);
    this.facts = new FactAnswers(lexicon, this.clauses, this.units);
    this.shorthand = new Shorthand(lexicon, this.clauses);
    for (const policy of corpus.policies) {
      this.clauses.add(policy);
      const nameTerms = policy.name.toLowerCase().match(/[a-z0-9]+/g) ?? [];
      const terms = nameTerms.length > 0 ? nameTerms : [policy.id.toLowerCase()];
      const english = englishWords();
      const owners = ownerNames(policy, (w) => english.has(w));
      const matcher = {
        id: policy.id,
        spellings: [
          ` ${terms.join(' ')} `,
          ` ${policy.id.toLowerCase()} `,
          ` ${terms.join('')} `,
          // "Let's Encrypt" written "lets encrypt".
          ` ${spellingOf(policy.name.replace(/['’]/g, ''))} `,
        ],
        queryTerms: new Set(lexicon.terms(`${policy.name} ${policy.id.replace(/[-_]/g, ' ')}`)),
        aliases: owners.map((o) => ({ spelling: ` ${spellingOf(o)} `, terms: new Set(lexicon.terms(o)) })),
        properTerms: properNameTerms(policy, lexicon, owners),
      };
      this.nameMatchers.push(matcher);
      if (!this.nameOf.has(policy.id)) this.nameOf.set(policy.id, matcher);
    }
    for (const intent of intents.all()) for (const e of intent.examples) lexicon.learnText(e);
    this.generic = new Set(lexicon.terms(GENERIC_WORDS));
    this.intentTerms = intents
      .all()
      .filter((i) => i.id.startsWith('policy.'))
      .map((intent) => ({
        intent,
        examples: intent.examples.map((e) => new Set(lexicon.terms(e))),
        frame: new Set(intent.frame.flatMap((w) => lexicon.terms(w))),
        topics: intent.topics.flatMap((t) => lexicon.terms(t)),
        cues: intent.cues.map((c) => c.toLowerCase()),
      }));
    this.intentVocabulary = new Set(
      this.intentTerms.flatMap((i) => [...i.examples.flatMap((e) => [...e]), ...i.topics, ...i.frame]),
    );
    for (const { intent } of this.intentTerms) {
      const marks = [...intent.topics, ...intent.cues].flatMap((w) => lexicon.terms(w));
      this.onTopic.set(intent.id, {
        core: new Set(marks.filter((t) => !this.generic.has(t))),
        says: intent.answers ? new RegExp(intent.answers, 'i') : null,
      });
    }
    this.clauses.seal(this.generic);
    this.evidence = new EvidenceAnswers(
      lexicon,
      this.clauses,
      this.units,
      answerKinds,
      this.onTopic,
      this.intentVocabulary,
      (policy) => this.ownNameTerms(policy),
    );
    lexicon.prepare();
  }

  policyIds(): string[] {
    return [...this.clauses.policies.keys()];
  }

  getPolicy(id: string): Policy | undefined {
    return this.clauses.policies.get(id);
  }

  /**
   * Reads a question: cleaned text, the policies in scope, its canonical terms (without the names
   * of the policies it names), its intent, and the terms that say what it is about.
   */
  read(rawQuestion: string, policy: string | null) {
    const question = cleanQuestion(rawQuestion);
    const scope = this.scope(question, policy);
    const lower = ` ${spellingOf(question)} `;
    const nameTerms = new Set(
      scope.named.flatMap((id) => {
        const n = this.nameOf.get(id);
        if (!n) return [];
        const aliases = n.aliases.filter((a) => lower.includes(a.spelling)).flatMap((a) => [...a.terms]);
        // A token written as the name ("login.gov" for Login gov) is the name too.
        const spellings = new Set([...n.spellings, ...n.aliases.map((a) => a.spelling)].map((x) => x.trim()));
        const written = words(question)
          .filter((w) => /[.@-]/.test(w) && spellings.has(spellingOf(w)))
          .map((w) => this.lexicon.termOf(w));
        return [...n.queryTerms, ...aliases, ...written];
      }),
    );
    const queryTerms = this.lexicon.terms(question, true).filter((t) => !nameTerms.has(t));
    // What the question asks, with the scene set before it, decides its intent; a remark after
    // it ("a vendor's DPA form is asking") or a reported lead-in does not.
    const reading = readQuestion(question);
    const asked = [reading.scene, ...reading.parts].join(' ').trim();
    const intent =
      asked === question || asked === ''
        ? this.classify(question, queryTerms)
        : this.classify(
            asked,
            this.lexicon.terms(asked, true).filter((t) => !nameTerms.has(t)),
          );
    const salient = [...new Set(queryTerms.filter((t) => !this.generic.has(t) && !intent.frame.has(t)))];
    const weights = this.lexicon.termWeights(question);
    // Only what is asked, without its scene, may hold an answer to the intent's topic alone: "got
    // an access request - what ID do we need before releasing anything?" asks about ID, which
    // no sentence on sharing holds.
    const partsOnly = reading.parts.join(' ').trim();
    const gated =
      partsOnly === asked ||
      partsOnly === '' ||
      this.classify(
        partsOnly,
        this.lexicon.terms(partsOnly, true).filter((t) => !nameTerms.has(t)),
      ).intent.id === intent.intent.id;
    return { question, scope, queryTerms, intent, salient, weights, gated };
  }

  /**
   * The best passages for a question, per policy in scope, without composing an answer: what an
   * LLM may write from (it sees these clauses and nothing else).
   */
  passages(rawQuestion: string, options: AskOptions & { limit?: number } = {}): Passage[] {
    const { scope, queryTerms, intent, salient, weights } = this.read(rawQuestion, options.policy ?? null);
    const out: Passage[] = [];
    for (const id of this.clauses.policiesToAnswer(scope.ids, queryTerms, intent.intent)) {
      const policy = this.clauses.policies.get(id)!;
      for (const c of this.clauses
        .retrieve(policy, queryTerms, salient, intent.topics, weights)
        .slice(0, options.limit ?? 6)) {
        out.push({
          ...this.units.cite(policy, c.doc, c.doc.clause.text),
          policyName: policy.name,
          score: c.score,
          coverage: c.coverage,
        });
      }
    }
    return out.sort((a, b) => b.score - a.score).slice(0, (options.limit ?? 6) * 2);
  }

  ask(rawQuestion: string, options: AskOptions = {}): Answer {
    const { question, scope, queryTerms, intent, salient, weights, gated } = this.read(
      rawQuestion,
      options.policy ?? null,
    );
    const perPolicy = this.clauses
      .policiesToAnswer(scope.ids, queryTerms, intent.intent)
      .map((id) =>
        this.units.withContext(
          this.answerOne(
            this.clauses.policies.get(id)!,
            question,
            { queryTerms, salient, weights, frame: intent.frame, gated },
            intent.intent,
            intent.topics,
          ),
          queryTerms,
        ),
      );
    if (perPolicy.length === 1) return { ...perPolicy[0]!, policies: scope.ids };
    const found = perPolicy.filter((a) => a.found);
    if (found.length === 0) {
      return {
        answer: `None of the policies (${scope.ids.map((id) => this.clauses.policies.get(id)!.name).join(', ')}) answers this. Ask the privacy team if you need a definite answer.`,
        found: false,
        citations: [],
        policies: scope.ids,
        intent: intent.intent.id,
        confidence: Math.max(0, ...perPolicy.map((a) => a.confidence)),
      };
    }
    // Across policies: "which of our policies…" lists every policy that answers; otherwise those
    // that answer nearly as well as the best one are kept, grouped per policy.
    const best = Math.max(...found.map((a) => a.confidence));
    const which = /^\s*(which|what) (of our )?polic/i.test(question);
    const kept = which ? found : found.filter((a) => a.confidence >= best - THRESHOLDS.otherPolicies);
    const names = kept.map((a) => this.clauses.policies.get(a.policies[0]!)!.name);
    const lead = which ? `${joinNames(names)}.\n` : '';
    return {
      answer:
        lead + kept.map((a) => `${this.clauses.policies.get(a.policies[0]!)!.name}: ${a.answer}`).join('\n'),
      found: true,
      citations: kept.flatMap((a) => a.citations),
      policies: scope.ids,
      intent: intent.intent.id,
      confidence: best,
    };
  }

  /** Explicit policy, else one named in the question, else the default, else all. */
  scope(question: string, explicit: string | null): { ids: string[]; named: string[] } {
    const lower = ` ${spellingOf(question)} `;
    const named: string[] = [];
    for (const n of this.nameMatchers)
      if (n.spellings.some((s) => lower.includes(s)) || n.aliases.some((a) => lower.includes(a.spelling)))
        named.push(n.id);
    if (explicit) {
      if (!this.clauses.policies.has(explicit)) {
        throw new AppError(
          'NOT_FOUND',
          `There is no policy "${explicit.slice(0, 60)}". Known policies: ${this.policyIds().join(', ')}.`,
        );
      }
      return { ids: [explicit], named };
    }
    if (named.length > 0) return { ids: named, named };
    if (this.defaultPolicy && this.clauses.policies.has(this.defaultPolicy))
      return { ids: [this.defaultPolicy], named };
    return { ids: this.policyIds(), named };
  }

  classify(question: string, terms: string[]): { intent: Intent; frame: Set<string>; topics: Set<string> } {
    const q = new Set(terms);
    const lower = question.toLowerCase();
    let best = this.intentTerms[this.intentTerms.length - 1]!;
    let bestScore = 0;
    for (const entry of this.intentTerms) {
      // A cue phrase ("how long") marks the intent more surely than shared words do.
      const cued = entry.cues.some((c) => lower.includes(c)) ? THRESHOLDS.intentCue : 0;
      for (const ex of entry.examples) {
        let shared = 0;
        for (const t of q) if (ex.has(t)) shared++;
        const score = shared / Math.sqrt(Math.max(1, q.size) * Math.max(1, ex.size)) + cued;
        if (score > bestScore) {
          bestScore = score;
          best = entry;
        }
      }
    }
    const general = this.intentTerms.find((e) => e.intent.id === 'policy.general') ?? best;
    // A weaker match still says which sections are likely to answer: it steers ranking only.
    const topics = new Set(bestScore >= THRESHOLDS.intentTopics ? best.topics : []);
    return bestScore >= THRESHOLDS.intent
      ? { intent: best.intent, frame: best.frame, topics }
      : { intent: general.intent, frame: general.frame, topics };
  }

  answerOne(
    policy: Policy,
    question: string,
    terms: QuestionTerms,
    intent: Intent,
    topics: Set<string>,
  ): Answer {
    // Shorthand the policy spells out ("DNT" for its "Do Not Track", "PG" for Privacy Guides)
    // reads as the words it stands for.
    const spelled = this.shorthand.spellOut(policy, question);
    if (spelled !== question) {
      const own = this.ownNameTerms(policy);
      const queryTerms = this.lexicon.terms(spelled, true).filter((t) => !own.has(t));
      const salient = [...new Set(queryTerms.filter((t) => !this.generic.has(t) && !terms.frame.has(t)))];
      return this.answerOne(
        policy,
        spelled,
        {
          queryTerms,
          salient,
          weights: this.lexicon.termWeights(spelled),
          frame: terms.frame,
          gated: terms.gated,
        },
        intent,
        topics,
      );
    }
    // The policy's own name, or a part of it ("opifex" for OpifexHQ), says nothing about what is
    // asked of it; an English word in it ("weather" in "Weather Radar") still may.
    const own = this.nameOf.get(policy.id)?.properTerms ?? new Set<string>();
    if (terms.queryTerms.some((t) => own.has(t))) {
      const mine = (t: string) => !own.has(t);
      terms = { ...terms, queryTerms: terms.queryTerms.filter(mine), salient: terms.salient.filter(mine) };
    }
    const { queryTerms, salient, weights } = terms;
    const candidates = this.clauses.retrieve(policy, queryTerms, salient, topics, weights);
    const top = candidates[0];
    const base = { policies: [policy.id], intent: intent.id };
    const facts = policy.facts.filter((f) => intent.facts.includes(f.kind));
    // An answer from facts, with the best passages cited as support.
    const fromFacts = (a: Omit<Answer, 'policies' | 'intent'>): Answer => ({
      ...this.facts.supported(policy, a, candidates, salient, queryTerms),
      ...base,
    });

    // A question about two things is answered part by part from the passages (below).
    const reading = readQuestion(question);
    const { parts } = reading;
    // ("...and what is it?" asks nothing more: a part without a word of its own is no second question.)
    const single =
      parts.filter((p) => this.lexicon.terms(p, true).some((t) => !this.generic.has(t))).length <= 1;
    if (intent.id === 'policy.retention' && salient.length > 0 && single) {
      // A retention row is matched on what is asked, not on the scene or an aside around it.
      const askedTerms = new Set(parts.flatMap((p) => this.lexicon.terms(p, true)));
      const core = salient.filter((t) => askedTerms.has(t));
      const retention = this.facts.retentionAnswer(
        policy,
        facts as FactOf<'retention'>[],
        core.length > 0 ? core : salient,
        weights,
      );
      // A retention row that names only part of what was asked ("IP address" for "server logs with
      // IP addresses") gives way to a sentence that says more of it.
      if (retention && (retention.confidence ?? 1) < 1) {
        const evidence = this.evidence.fromEvidence(
          policy,
          question,
          reading,
          candidates,
          terms,
          topics,
          intent,
        );
        if (evidence.found && (evidence.confidence ?? 0) > (retention.confidence ?? 0))
          return { ...evidence, ...base };
      }
      if (retention) return fromFacts(retention);
    }
    if (intent.id === 'policy.rights' && salient.length === 0 && facts.length > 0) {
      return fromFacts(this.facts.rightsAnswer(policy, facts as FactOf<'right'>[]));
    }
    // A question naming a processor ("what do we use GoCardless for?") is answered from its facts
    // whatever else it reads as.
    const processors = facts.filter((f): f is FactOf<'processor'> => f.kind === 'processor');
    // "Which payment processors…": the processors whose name, purpose or region says so.
    const candidatesNamed =
      intent.id === 'policy.general'
        ? policy.facts.filter((f): f is FactOf<'processor'> => f.kind === 'processor')
        : processors;
    const named =
      salient.length === 0
        ? []
        : candidatesNamed.filter((f) => {
            const words = this.facts.processorTerms(f);
            return salient.every((t) => words.has(t));
          });
    if (named.length > 0) return fromFacts(this.facts.processorsAnswer(policy, named));
    if (salient.length === 0 && processors.length > 0)
      return fromFacts(this.facts.processorsAnswer(policy, processors));
    const topIsFact =
      top !== undefined &&
      top.coverage >= THRESHOLDS.factCoverage &&
      facts.some((f) => f.source.clauseId === top.doc.clause.id);
    // `when-general` intents answer from facts when the question names nothing more, or names only
    // what a fact says ("a phone number for privacy requests": the phone contact).
    // An intent that always answers from facts does so only when the question says a word of
    // its own ("how are users told about changes?"), not when it was picked on shared everyday
    // words alone ("if there were a breach, would users get told?").
    const saysIntent = terms.queryTerms.some((t) => terms.frame.has(t) && !this.generic.has(t));
    const factsFit =
      (intent.factsFirst === true && saysIntent) ||
      (intent.factsFirst === 'when-general' &&
        (salient.length === 0 ||
          facts.some((f) => {
            const terms = this.facts.factTerms(f);
            return salient.every((t) => terms.has(t));
          })));
    if (factsFit && facts.length > 0 && !topIsFact && single) {
      // A question asking for an e-mail address, a phone number... is answered from a fact only
      // when the fact's own words hold one ("contact the ICO" gives no address for "what's the
      // email?").
      const strict = askedKinds(
        `${question} ${this.lexicon.normalise(question, true).join(' ')}`,
        this.answerKinds,
      ).filter((k) => k.strict && !k.factAnswers);
      const holding =
        strict.length === 0 ? facts : facts.filter((f) => strict.some((k) => k.holds.test(f.source.quote)));
      if (holding.length > 0)
        return fromFacts(this.facts.factAnswer(policy, question, holding, candidates, salient));
    }
    return {
      ...this.evidence.fromEvidence(policy, question, reading, candidates, terms, topics, intent),
      ...base,
    };
  }

  /** A policy's own name as query terms (a question's words never include it). */
  ownNameTerms(policy: Policy): ReadonlySet<string> {
    return this.nameOf.get(policy.id)?.queryTerms ?? new Set();
  }
}

/** Strips control characters, folds white space and refuses empty or oversized questions. */
export function cleanQuestion(raw: string): string {
  const q = fold(
    raw.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, ' '),
  );
  if (!q)
    throw new AppError(
      'INVALID_INPUT',
      'The question is empty. Ask something like "How long do we keep technical logs?"',
    );
  if (q.length > MAX_QUESTION_CHARS) {
    throw new AppError(
      'INVALID_INPUT',
      `The question is ${q.length} characters long; keep it under ${MAX_QUESTION_CHARS} (one question at a time).`,
    );
  }
  if (!/[\p{L}\p{N}]/u.test(q))
    throw new AppError(
      'INVALID_INPUT',
      'The question has no words in it. Ask something like "Who hosts our web app?"',
    );
  return q;
}

function joinNames(names: string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
