import { AppError } from '../errors.js';
import {
  type AnswerKind,
  askedKinds,
  asksForList,
  CONTINUES,
  isYesNo,
  loadAnswerKinds,
  negates,
  readQuestion,
  THRESHOLDS,
} from './evidence.js';
import type { Intent, IntentRegistry } from './intents.js';
import { englishWords, INTENTS_DIR, type Lexicon } from './language.js';
import type { Clause, Corpus, Fact, FactOf, Policy, Section } from './model.js';
import { ownerNames } from './owner.js';
import { RankingIndex, splitTerms } from './ranking.js';
import { sectionLabel } from './structure.js';
import { fold, STOPWORDS, stem, words } from './text.js';

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

/** A part of a question that goes on asking what the part before it asked ("and for backups?"). */

/** A sentence opening that refers back to the sentence before it. */
const CONTINUATION =
  /^(?:(?:however|in general|generally|for (?:example|instance)|in (?:complex|such|these|those|this|that|some|certain|most) cases?|otherwise|in addition|additionally)\b[,\s]*|(?:this|these|those|such|it|they)\b)/i;

/** A part of a question whose subject is a pronoun ("and are they allowed to...", "is it shared?"). */
const REFERS_BACK =
  /^\s*(?:(?:and|but|also|so)\s+)?(?:(?:do|does|did|is|are|was|were|can|could|will|would|should|may|must|r|has|have)\s+)?(?:they|it|them|those|these|that|this)\b/i;

/**
 * Words in a sentence that stand for something said before it ("this data", "such records", "any of
 * these rights" after the list of rights).
 */
const BACK_REFERENCE =
  /\b(?:(?:this|these|those|such|that|said|the above|the aforementioned|the above[- ]mentioned|the listed|the stated)\s+(?:personal\s+|usage\s+|collected\s+|stored\s+)?(?:data|information|info|details|records|logs?|log files|files|items|categories|entries|rights|requests|purposes|measures|choices)|(?:data|information|details) (?:mentioned|described|listed)(?: above)?)\b/i;

/** A sentence opening with the condition it holds under ("If you are under 16, ..."). */
const CONDITIONAL =
  /^\s*(?:if|when|whenever|where|unless|once|in case|provided that|as long as)\b([^,;:]{3,}?),/i;

/** A reference to something said further up, not only in the sentence before ("the above rights"). */
const FAR_REFERENCE =
  /\b(?:the above|the aforementioned|the above[- ]mentioned|the listed|(?:mentioned|described|listed) above)\b/i;

const NONE: ReadonlySet<string> = new Set();

/** Longest question accepted; longer text is almost always a paste error. */
export const MAX_QUESTION_CHARS = 2000;

/**
 * Words that say nothing about what a question is about, whatever the intent; with them, the
 * words naming a part of the document ("any children clause?", "a section on cookies").
 */
const GENERIC_WORDS =
  'policy policies privacy company companies our we us service services product platform app application user users person personal information data do does tell say says mention mentions use about regarding list clause clauses section sections paragraph paragraphs provision provisions';

/** Past this many policies in scope, only the best-matching ones are answered from. */
const MAX_POLICIES_PER_ANSWER = 25;

/** Terms are already canonical stems: the index only ranks them (BM25), text over context. */
function newIndex(docs: Indexed[]): RankingIndex {
  return RankingIndex.of(
    docs.map((d) => ({ id: d.id, fields: d.fields })),
    [2, 1],
  );
}

interface Indexed {
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

/** One sentence of a retrieved clause (a table row is one), as evidence for an answer. */
interface Unit {
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

/** What a strict answer kind is called when a policy speaks of the subject but does not give it. */
const KIND_NAMES: Record<string, string> = {
  duration: 'period',
  count: 'period',
  email: 'e-mail address',
  phone: 'phone number',
  age: 'age',
  date: 'date',
  identifier: 'number',
};

/** Terms, what each counts (idf times how much it says), and their sum. */
interface Weighed {
  terms: string[];
  weights: number[];
  all: number;
}

interface Candidate {
  doc: Indexed;
  score: number;
  /** Share of what the question is about (its salient terms) that the passage has. */
  coverage: number;
  /** Share of every content word of the question (frame words too) that the passage has. */
  overall: number;
}

interface NameMatcher {
  id: string;
  spellings: string[];
  queryTerms: Set<string>;
  /** Other names of its owner ("Kandra Labs" for Zulip), each dropped where a question says it. */
  aliases: { spelling: string; terms: Set<string> }[];
  /** The terms of its name and id that are no English word ("opifexhq", "opifex"). */
  properTerms: Set<string>;
}

/** A name or question as the words a name is matched on: "Login.gov" -> "login gov". */
function spellingOf(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/**
 * The terms of a policy's name and id that are no English word: "QuaymarkHQ" is itself and its
 * parts "Quaymark" and "HQ", however a dictionary would cut them. An English word of the name
 * ("weather" in "Weather Radar") may still be what a question asks about.
 */
export function properNameTerms(
  policy: Policy,
  lexicon: Lexicon,
  owners: readonly string[] = [],
): Set<string> {
  const english = englishWords();
  // The owner's other names ("Kandra Labs", "RKI") count like the policy's own.
  const name = [policy.name, policy.name.replace(/(?<=[a-z])(?=[A-Z])/g, ' '), policy.id, ...owners].join(
    ' ',
  );
  const out = new Set(
    (name.toLowerCase().match(/[a-z0-9]+/g) ?? [])
      .filter((w) => !english.has(w) && !STOPWORDS.has(w))
      .map((w) => lexicon.termOf(w)),
  );
  // An English word of the name that the policy itself only ever writes as a name, capitalised
  // ("Studio" for Kolibri Studio), and never in lower case in any form ("encryption" keeps
  // "encrypt" of Let's Encrypt a subject).
  const englishOfName = new Set(
    (policy.name.match(/[A-Za-z0-9]+/g) ?? [])
      .map((w) => w.toLowerCase())
      .filter((w) => english.has(w) && !STOPWORDS.has(w))
      .map((w) => lexicon.termOf(w)),
  );
  if (englishOfName.size > 0) {
    const capitalised = new Map<string, number>();
    const lower = new Set<string>();
    // Addresses ("studio.example.org") are written in lower case whatever they name.
    for (const clause of policy.clauses)
      for (const w of clause.text.replace(/\S*\w[.@/]\w\S*/g, ' ').match(/[A-Za-z][a-z]+/g) ?? []) {
        const t = lexicon.termOf(w.toLowerCase());
        if (!englishOfName.has(t)) continue;
        if (w[0] === w[0]!.toLowerCase()) lower.add(t);
        else capitalised.set(t, (capitalised.get(t) ?? 0) + 1);
      }
    for (const [t, n] of capitalised) if (n >= 2 && !lower.has(t)) out.add(t);
  }
  // The name written as one word ("openhumans" for "Open Humans").
  const words = policy.name.toLowerCase().match(/[a-z0-9]+/g) ?? [];
  for (let from = 0; from < words.length; from++)
    for (let to = from + 2; to <= words.length; to++) {
      const joined = words.slice(from, to).join('');
      if (!english.has(joined)) out.add(stem(joined));
    }
  return out;
}

/**
 * Answers questions from a structured corpus: classifies the question against the intents, picks the
 * policies in scope, retrieves clauses with BM25 (see ranking.ts) over canonical terms, and answers from
 * a typed fact when one fits, else from the best passage, quoting the exact words. When what the
 * question is about is not in the policy, it says so instead of guessing.
 */
/** A yes/no question asking whether something exists ("is there...", "do we have...", "any..."). */
const ASKS_EXISTENCE =
  /^\s*(?:is|are|was|were) there\b|^\s*(?:do|does|did) (?:\w+ ){1,2}(?:have|provide|offer|list|give|name|publish|state|set)\b(?! to\b)|^\s*(?:any|anything)\b|^\s*(?:is|are) (?:\w+ ){0,3}(?:listed|given|named|stated|published|provided|set)\b/i;

export class PolicyAnswerer {
  /** Over every clause: picks which policies to answer from when a question spans many. */
  private readonly index: RankingIndex;
  /** Policy ids by ordinal, each id's ordinal, and each clause's (by `Indexed.id`). */
  private readonly policyAt: string[] = [];
  private readonly policyOrdinal = new Map<string, number>();
  private readonly policyOfDoc: Int32Array;
  private readonly policyIndexes = new Map<string, RankingIndex>();
  private readonly docsByPolicy = new Map<string, Indexed[]>();
  private readonly docs: Indexed[] = [];
  private readonly byClause = new Map<string, Indexed>();
  private readonly policies = new Map<string, Policy>();
  private readonly df = new Map<string, number>();
  /** Each term's idf, worked out on first use (the corpus does not change). */
  private readonly idfCache = new Map<string, number>();
  private readonly intentTerms: {
    intent: Intent;
    examples: Set<string>[];
    frame: Set<string>;
    /** The intent's topics as terms: which sections are likely to answer. */
    topics: string[];
    /** Its cue phrases, lower case. */
    cues: string[];
  }[];
  /** Each fact's words, read once (facts are matched against every question). */
  private readonly factTermCache = new WeakMap<Fact, Set<string>>();
  /** A retention fact's category and quote as words, read once. */
  private readonly retentionTermCache = new WeakMap<
    FactOf<'retention'>,
    { categoryTerms: Set<string>; quoteTerms: Set<string> }
  >();
  /** A processor's name, purpose and region as words, read once. */
  private readonly processorTermCache = new WeakMap<FactOf<'processor'>, Set<string>>();
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
  private readonly kindTermCache = new WeakMap<AnswerKind, Set<string>>();
  /** Each kind's pattern, global, to list what a sentence says of it. */
  private readonly globalHolds = new WeakMap<AnswerKind, RegExp>();
  /** Per policy and answer kind, the clauses that hold it. */
  private readonly holdingCache = new Map<string, Indexed[]>();
  /** Each policy's spelled-out shorthand, read once. */
  private readonly acronyms = new Map<string, Map<string, string>>();
  /** Each policy's terms, read once. */
  private readonly vocabularies = new Map<string, Set<string>>();
  /** Each clause's sentences as evidence units, read once. */
  private readonly unitCache = new Map<string, Unit[]>();

  constructor(
    corpus: Corpus,
    private readonly lexicon: Lexicon,
    intents: IntentRegistry,
    private readonly defaultPolicy?: string,
    private readonly answerKinds: AnswerKind[] = loadAnswerKinds(`${INTENTS_DIR}answer-kinds.yaml`),
  ) {
    for (const policy of corpus.policies) {
      this.policies.set(policy.id, policy);
      lexicon.learnText(policy.name);
      const sections = new Map(policy.sections.map((s) => [s.id, s]));
      for (const clause of policy.clauses) {
        lexicon.learnText(clause.text);
        const section = sections.get(clause.sectionId);
        const context = [
          section?.title ?? '',
          ...(section?.parents ?? []),
          clause.lead ?? '',
          (clause.header ?? []).join(' '),
        ].join(' ');
        const textList = lexicon.terms(clause.text);
        const contextTerms = new Set(lexicon.terms(context));
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
    lexicon.prepare();
  }

  policyIds(): string[] {
    return [...this.policies.keys()];
  }

  getPolicy(id: string): Policy | undefined {
    return this.policies.get(id);
  }

  /**
   * Reads a question: cleaned text, the policies in scope, its canonical terms (without the names
   * of the policies it names), its intent, and the terms that say what it is about.
   */
  private read(rawQuestion: string, policy: string | null) {
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
    return { question, scope, queryTerms, intent, salient, weights };
  }

  /**
   * The best passages for a question, per policy in scope, without composing an answer: what an
   * LLM may write from (it sees these clauses and nothing else).
   */
  passages(rawQuestion: string, options: AskOptions & { limit?: number } = {}): Passage[] {
    const { scope, queryTerms, intent, salient, weights } = this.read(rawQuestion, options.policy ?? null);
    const out: Passage[] = [];
    for (const id of this.policiesToAnswer(scope.ids, queryTerms, intent.intent)) {
      const policy = this.policies.get(id)!;
      for (const c of this.retrieve(policy, queryTerms, salient, intent.topics, weights).slice(
        0,
        options.limit ?? 6,
      )) {
        out.push({
          ...this.cite(policy, c.doc, c.doc.clause.text),
          policyName: policy.name,
          score: c.score,
          coverage: c.coverage,
        });
      }
    }
    return out.sort((a, b) => b.score - a.score).slice(0, (options.limit ?? 6) * 2);
  }

  ask(rawQuestion: string, options: AskOptions = {}): Answer {
    const { question, scope, queryTerms, intent, salient, weights } = this.read(
      rawQuestion,
      options.policy ?? null,
    );
    const perPolicy = this.policiesToAnswer(scope.ids, queryTerms, intent.intent).map((id) =>
      this.withContext(
        this.answerOne(
          this.policies.get(id)!,
          question,
          { queryTerms, salient, weights, frame: intent.frame },
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
        answer: `None of the policies (${scope.ids.map((id) => this.policies.get(id)!.name).join(', ')}) answers this. Ask the privacy team if you need a definite answer.`,
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
    const names = kept.map((a) => this.policies.get(a.policies[0]!)!.name);
    const lead = which ? `${joinNames(names)}.\n` : '';
    return {
      answer: lead + kept.map((a) => `${this.policies.get(a.policies[0]!)!.name}: ${a.answer}`).join('\n'),
      found: true,
      citations: kept.flatMap((a) => a.citations),
      policies: scope.ids,
      intent: intent.intent.id,
      confidence: best,
    };
  }

  /**
   * Which policies of a scope to answer from. Up to a few dozen, all of them; past that, one search
   * over the whole corpus picks those whose passages match best, so a question across 1,000
   * policies costs one search and a few dozen small ones, not a thousand.
   */
  private policiesToAnswer(ids: string[], queryTerms: string[], intent: Intent): string[] {
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
  private indexFor(policyId: string): RankingIndex {
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

  /** Explicit policy, else one named in the question, else the default, else all. */
  private scope(question: string, explicit: string | null): { ids: string[]; named: string[] } {
    const lower = ` ${spellingOf(question)} `;
    const named: string[] = [];
    for (const n of this.nameMatchers)
      if (n.spellings.some((s) => lower.includes(s)) || n.aliases.some((a) => lower.includes(a.spelling)))
        named.push(n.id);
    if (explicit) {
      if (!this.policies.has(explicit)) {
        throw new AppError(
          'NOT_FOUND',
          `There is no policy "${explicit.slice(0, 60)}". Known policies: ${this.policyIds().join(', ')}.`,
        );
      }
      return { ids: [explicit], named };
    }
    if (named.length > 0) return { ids: named, named };
    if (this.defaultPolicy && this.policies.has(this.defaultPolicy))
      return { ids: [this.defaultPolicy], named };
    return { ids: this.policyIds(), named };
  }

  private classify(
    question: string,
    terms: string[],
  ): { intent: Intent; frame: Set<string>; topics: Set<string> } {
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

  /** A fact's words: its quote and its typed values ("phone", "privacy requests", a category). */
  private factTerms(f: Fact): Set<string> {
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
  private processorTerms(f: FactOf<'processor'>): Set<string> {
    let terms = this.processorTermCache.get(f);
    if (!terms) {
      terms = new Set(this.lexicon.terms(`${f.name} ${f.purpose ?? ''} ${f.region ?? ''}`));
      this.processorTermCache.set(f, terms);
    }
    return terms;
  }

  /** How much a question term counts towards coverage (see Lexicon.termWeights). */
  private weight(term: string, weights?: Map<string, number>): number {
    return weights?.get(term) ?? 1;
  }

  /**
   * A term of privacy talk: used by a policy loaded, by the intents' examples and topics, or a
   * number. A question word that is none of these is phrasing.
   */
  private isDomainTerm(term: string): boolean {
    return (this.df.get(term) ?? 0) > 0 || this.intentVocabulary.has(term) || /\d/.test(term);
  }

  private idf(term: string): number {
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
  private coverage(doc: Indexed, { terms, weights, all }: Weighed): number {
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
  private weigh(terms: string[], weights?: Map<string, number>): Weighed {
    const w = terms.map((t) => this.idf(t) * this.weight(t, weights));
    let all = 0;
    for (const x of w) all += x;
    return { terms, weights: w, all };
  }

  private retrieve(
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

  /**
   * A policy written one sentence to a line has lost its paragraphs, so a cited sentence may be
   * half of what the policy says there. The sentence just before or after a cited one is cited
   * too, in document order, when it is a sentence of running text in the same section that speaks
   * to the question as well (shares one of its content words).
   */
  private withContext(answer: Answer, queryTerms: string[]): Answer {
    const content = new Set(queryTerms.filter((t) => !this.generic.has(t)));
    if (content.size === 0 || answer.citations.length === 0) return answer;
    const cited = new Set(answer.citations.map((c) => `${c.policy}#${c.clauseId}`));
    const single = (d: Indexed | undefined): d is Indexed =>
      d !== undefined && d.clause.kind === 'paragraph' && d.clause.sentences.length === 1;
    const out: Citation[] = [];
    for (const c of answer.citations) {
      const doc = this.byClause.get(`${c.policy}#${c.clauseId}`);
      const ids = doc?.section?.clauseIds ?? [];
      const at = doc ? ids.indexOf(doc.clause.id) : -1;
      const neighbour = (offset: number): Indexed | undefined => {
        const id = ids[at + offset];
        const n = id === undefined ? undefined : this.byClause.get(`${c.policy}#${id}`);
        if (!single(n) || cited.has(`${c.policy}#${n.clause.id}`)) return undefined;
        return [...content].some((t) => n.textTerms.has(t)) ? n : undefined;
      };
      const before = single(doc) && at >= 0 ? neighbour(-1) : undefined;
      const after = single(doc) && at >= 0 ? neighbour(1) : undefined;
      const policy = this.policies.get(c.policy)!;
      for (const n of [before, after]) if (n) cited.add(`${c.policy}#${n.clause.id}`);
      if (before) out.push(this.cite(policy, before, before.clause.text));
      out.push(c);
      if (after) out.push(this.cite(policy, after, after.clause.text));
    }
    return out.length === answer.citations.length ? answer : { ...answer, citations: out };
  }

  private answerOne(
    policy: Policy,
    question: string,
    terms: { queryTerms: string[]; salient: string[]; weights: Map<string, number>; frame: Set<string> },
    intent: Intent,
    topics: Set<string>,
  ): Answer {
    // Shorthand the policy spells out ("DNT" for its "Do Not Track", "PG" for Privacy Guides)
    // reads as the words it stands for.
    const spelled = this.spellOut(policy, question);
    if (spelled !== question) {
      const own = this.ownNameTerms(policy);
      const queryTerms = this.lexicon.terms(spelled, true).filter((t) => !own.has(t));
      const salient = [...new Set(queryTerms.filter((t) => !this.generic.has(t) && !terms.frame.has(t)))];
      return this.answerOne(
        policy,
        spelled,
        { queryTerms, salient, weights: this.lexicon.termWeights(spelled), frame: terms.frame },
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
    const candidates = this.retrieve(policy, queryTerms, salient, topics, weights);
    const top = candidates[0];
    const base = { policies: [policy.id], intent: intent.id };
    const facts = policy.facts.filter((f) => intent.facts.includes(f.kind));
    // An answer from facts, with the best passages cited as support.
    const fromFacts = (a: Omit<Answer, 'policies' | 'intent'>): Answer => ({
      ...this.supported(policy, a, candidates, salient, queryTerms),
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
      const retention = this.retentionAnswer(
        policy,
        facts as FactOf<'retention'>[],
        core.length > 0 ? core : salient,
        weights,
      );
      // A retention row that names only part of what was asked ("IP address" for "server logs with
      // IP addresses") gives way to a sentence that says more of it.
      if (retention && (retention.confidence ?? 1) < 1) {
        const evidence = this.fromEvidence(policy, question, reading, candidates, terms, topics, intent);
        if (evidence.found && (evidence.confidence ?? 0) > (retention.confidence ?? 0))
          return { ...evidence, ...base };
      }
      if (retention) return fromFacts(retention);
    }
    if (intent.id === 'policy.rights' && salient.length === 0 && facts.length > 0) {
      return fromFacts(this.rightsAnswer(policy, facts as FactOf<'right'>[]));
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
            const words = this.processorTerms(f);
            return salient.every((t) => words.has(t));
          });
    if (named.length > 0) return fromFacts(this.processorsAnswer(policy, named));
    if (salient.length === 0 && processors.length > 0)
      return fromFacts(this.processorsAnswer(policy, processors));
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
            const terms = this.factTerms(f);
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
        return fromFacts(this.factAnswer(policy, question, holding, candidates, salient));
    }
    return {
      ...this.fromEvidence(policy, question, reading, candidates, terms, topics, intent),
      ...base,
    };
  }

  /**
   * The general answer layer. Within the best passages, each sentence is weighed by how much of
   * each part of the question it (with its clause and headings) has; the sentence that also holds
   * the kind of answer the part asks for (a period, an address, an age...) is preferred, and a
   * part asking for a strict kind is answered only by a sentence that holds it. The chosen
   * sentences are quoted with what completes them: a list they introduce, a list item's lead-in.
   * "Yes" or "No" is said only when the quoted sentence itself says or negates what was asked.
   */
  private fromEvidence(
    policy: Policy,
    question: string,
    reading: { parts: string[]; scene: string },
    candidates: Candidate[],
    terms: { queryTerms: string[]; salient: string[]; weights: Map<string, number>; frame: Set<string> },
    topics: Set<string>,
    intent: Intent,
  ): Omit<Answer, 'policies' | 'intent'> {
    const { queryTerms, salient, weights, frame } = terms;
    const { parts } = reading;
    // A question of a known kind is answered only by a passage on its topic (a word of its topics
    // or cues, and what its `answers` pattern asks for): "which authority can crews complain to"
    // is not answered by a sentence about crews.
    const topic = intent.id === 'policy.general' ? undefined : this.onTopic.get(intent.id);
    const topicKind = this.answerKinds.find((k) => k.id === intent.kind);
    const onTopic = (u: Unit) =>
      !topic ||
      ((!topic.says || topic.says.test(u.quoteText)) &&
        (topic.core.size === 0 ||
          [...topic.core].some(
            (t) => u.candidate.doc.textTerms.has(t) || u.candidate.doc.contextTerms.has(t),
          )));
    const vocabulary = this.vocabularyOf(policy);
    const asked = new Set(queryTerms);
    // A name the policy never uses ("Stripe", "ISO") is what the question is about; a common word
    // it never uses is only phrasing ("tix", "hang on to").
    // (The policy's own name says nothing about what is asked of it.)
    const own = this.ownNameTerms(policy);
    const names = new Set(this.lexicon.terms(namesIn(question)).filter((t) => !own.has(t)));
    // Everyday words, slang, typos and shorthand the policy never uses are phrasing; a rarer
    // English word it never uses ("freelancers") is a subject it does not speak of.
    const english = englishWords();
    const phrasing = new Set(
      this.lexicon
        .normalise(question, true)
        .filter((w) => !english.has(w) || isCommonWord(w))
        .map((w) => this.lexicon.termOf(w)),
    );
    // The scene set before a question ("teen intern wants a login - is there a minimum age?")
    // helps find the passage; what of it the policy never says does not count against one.
    const scene = new Set(
      this.lexicon
        .terms(reading.scene, true)
        .filter((t) => !this.generic.has(t) && (asked.has(t) || names.has(t))),
    );
    const pool = candidates.slice(0, THRESHOLDS.pool);
    const units = pool.flatMap((c) => this.unitsOf(policy, c));
    const globalSalient = new Set(salient);
    const chosen: Unit[] = [];
    const unanswered: string[] = [];
    let verdict = '';
    let confidence = 0;
    let strictMissing: string[] = [];
    let previousKinds: AnswerKind[] = [];
    let previousOwn: string[] = [];
    let previousYesNo = false;
    const verdicts: string[] = [];
    parts.forEach((part) => {
      const own = this.lexicon
        .terms(part, true)
        .filter((t) => !this.generic.has(t) && (asked.has(t) || names.has(t)));
      // "...and are they allowed to use it for other things?": a part whose subject is a pronoun
      // is about what the part before it named, which sets its scene.
      const ownKinds = askedKinds(
        `${part} ${this.lexicon.normalise(part, true).join(' ')}`,
        this.answerKinds,
      );
      // Only words that frame a question name nothing: after a yes/no question, such a part asks
      // a detail of what it asked ("do we delete inactive accounts? after how long").
      const namesNothing = own.every((t) => frame.has(t));
      const before =
        REFERS_BACK.test(part) || (namesNothing && ownKinds.length > 0 && previousYesNo) ? previousOwn : [];
      if (!namesNothing) previousOwn = own;
      previousYesNo = isYesNo(part);
      const fromScene = new Set([...scene, ...before].filter((t) => !own.includes(t)));
      const want = [...new Set([...own, ...fromScene])];
      if (want.length === 0) return;
      // A word that neither this policy, nor any policy loaded, nor the intents ever use ("ppl",
      // "anymore", "quick one") is how the question is put, not what it asks: it counts for
      // nothing, as long as fewer of the question's words are such words than are words the
      // policy uses, and the question names nothing the policy does not ("Salesforce").
      const unused = want.filter((t) => !vocabulary.has(t) && !names.has(t) && !this.isDomainTerm(t));
      const used = want.filter((t) => vocabulary.has(t) && !names.has(t)).length;
      const namesAbsent = [...names].some((t) => !vocabulary.has(t));
      const ignored = new Set(unused.length < used && !namesAbsent ? unused : []);
      // "...and for the web server logs?" asks what the part before it asked.
      const kinds = ownKinds.length === 0 && CONTINUES.test(part) ? previousKinds : ownKinds;
      previousKinds = kinds;
      // "Do people need to give a phone number?" asks whether, not which: the kind it names is
      // what the practice is about. Asking whether one exists ("is there a phone line?", "do we
      // have a DPO?") or whether a value holds ("can 16 year olds join?") still asks for it.
      const whether = isYesNo(part) && !ASKS_EXISTENCE.test(part) && !/\d/.test(part);
      const strict = whether ? [] : kinds.filter((k) => k.strict);
      // A number in a question asking for a number (a period, an age) is the value being checked
      // ("can 16 year olds use it?"), not what the answer must say: the policy may give another.
      const checked = (t: string) =>
        /^\d+$/.test(t) && strict.some((k) => k.holds.test(`${t} days`) || k.holds.test(`${t} years old`));
      // Each word's weight, worked out once for the part: every sentence weighed reads it.
      const weightsOfPart = new Map(
        want.map((t) => [
          t,
          (ignored.has(t) || checked(t) ? 0 : 1) *
            (fromScene.has(t) ? (vocabulary.has(t) ? THRESHOLDS.sceneWord : 0) : 1) *
            this.idf(t) *
            this.weight(t, weights) *
            (globalSalient.has(t) ? 1 : frame.has(t) ? THRESHOLDS.frameWord : 1) *
            (vocabulary.has(t) || names.has(t) || !phrasing.has(t) ? 1 : THRESHOLDS.absentWord),
        ]),
      );
      // The scene never weighs more than the most telling word of what is asked; when the part
      // asks nothing of its own, the scene is what it asks about.
      if (!namesNothing) {
        const askedMost = Math.max(0, ...own.map((t) => weightsOfPart.get(t) ?? 0));
        for (const t of fromScene) weightsOfPart.set(t, Math.min(weightsOfPart.get(t) ?? 0, askedMost));
      }
      const weightOf = (t: string) => weightsOfPart.get(t) ?? 0;
      const total = want.reduce((acc, t) => acc + weightOf(t), 0);
      // A sentence holds a kind asked for only by saying one the question does not already name:
      // "an EU regulation" names no country for "what country are the servers in, outside the EU?"
      // (a number is the value being checked, as in "do we keep logs 30 days?").
      const wantSet = new Set(want);
      const new_ = (m: string) => /\d/.test(m) || this.lexicon.terms(m).some((t) => !wantSet.has(t));
      const holds = (u: Unit, list: AnswerKind[]) =>
        list.some((k) => this.unitHolds(u, k) && this.kindMatches(u, k).some(new_));
      const cov = (u: Unit) => {
        // A sentence holding the kind asked for says the words that name it.
        const named = new Set(
          kinds.filter((k) => this.unitHolds(u, k)).flatMap((k) => [...this.kindTerms(k)]),
        );
        let have = 0;
        for (const t of want) {
          const w = weightOf(t);
          if (u.terms.has(t) || named.has(t)) have += w;
          else if (u.candidate.doc.textTerms.has(t)) have += THRESHOLDS.inClause * w;
          else if (u.candidate.doc.contextTerms.has(t) || u.leadTerms.has(t) || u.antecedentTerms.has(t))
            have += THRESHOLDS.inContext * w;
        }
        return total > 0 ? have / total : 0;
      };
      // What the part is about, without the words that ask for the kind ("how many days"): where
      // the policy states that kind in many places (periods), a sentence holding it must still
      // speak of it ("30 days' notice of changes" does not say how long after deletion data is
      // purged); where it states it in a few (an e-mail address), holding it is evidence enough.
      const kindWords = new Set(kinds.flatMap((k) => [...this.kindTerms(k)]));
      const subject = want.filter((t) => !kindWords.has(t) && weightOf(t) > 0);
      const subjectTotal = subject.reduce((acc, t) => acc + weightOf(t), 0);
      const aboutSubject = (u: Unit) => {
        if (subjectTotal === 0) return true;
        let have = 0;
        // Its own words, its lead-in, what it refers back to and its headings: not another
        // sentence beside it ("Invoices are kept for 10 years." says nothing of the card tokens
        // in the next one).
        for (const t of subject) {
          const w = weightOf(t);
          if (u.terms.has(t)) have += w;
          else if (u.candidate.doc.contextTerms.has(t) || u.leadTerms.has(t) || u.antecedentTerms.has(t))
            have += THRESHOLDS.inContext * w;
        }
        return have / subjectTotal >= THRESHOLDS.subject;
      };
      const top = pool[0]?.score ?? 1;
      // Where a policy holds a strict kind asked for in only a few places, those sentences are
      // evidence too, whatever words they use ("If you are under 13, we don't want your
      // personal information" for "min age?"); a kind it states everywhere (periods) is not.
      const inPool = new Set(pool.map((c) => c.doc.id));
      const holding = [...new Set(strict.flatMap((k) => this.clausesHolding(policy, k)))];
      const kindIsRare = holding.length <= THRESHOLDS.rareKind;
      // Where it holds it in a few more, those sentences are evidence when they speak of the
      // subject, through what they refer back to too ("To exercise the above rights, contact us
      // at privacy@...").
      const isHolder = (u: Unit) =>
        holding.length <= THRESHOLDS.fewKind && (kindIsRare || (holds(u, strict) && aboutSubject(u)));
      const holders =
        holding.length <= THRESHOLDS.fewKind
          ? holding
              .filter((d) => !inPool.has(d.id))
              .flatMap((d) => this.unitsOf(policy, { doc: d, score: 0, coverage: 0, overall: 0 }))
              .filter(isHolder)
          : [];
      const ranked = [...units, ...holders]
        // A sentence holding the kind that is the intent's topic (a period, for retention) is on
        // its topic whatever its words: "Period of detention" heads a table with no "keep".
        .filter(
          (u) =>
            parts.length > 1 ||
            onTopic(u) ||
            holders.includes(u) ||
            // A line that is nothing but the kind asked for ("DPO@justice.gov.uk" under "Email")
            // has its topic in its headings: it counts as it would found beyond the pool.
            (strict.length > 0 && isHolder(u) && strict.some((k) => this.isBareValue(u, k))) ||
            (topicKind !== undefined && this.unitHolds(u, topicKind)),
        )
        .map((u) => {
          const c = cov(u);
          const rank =
            c +
            THRESHOLDS.rankWeight * (u.candidate.score / top) +
            (holds(u, kinds) ? THRESHOLDS.kindBonus : 0);
          return { u, cov: c, rank };
        })
        .sort((a, b) => b.rank - a.rank);
      const best = ranked[0];
      if (!best) return;
      let pick = best;
      let extra: Unit[] = [];
      if (strict.length > 0) {
        // Holding what was asked for is evidence in itself: the best-matching sentence that holds
        // it answers from a lower share of the question's words. The period may also be in the
        // sentence after the one that names the data ("...IP addresses. The retention time for
        // this data is 90 days.").
        const floor = Math.max(
          THRESHOLDS.foundWithKind,
          Math.min(best.cov - THRESHOLDS.kindSlack, best.cov * THRESHOLDS.kindShare),
        );
        const holding = ranked.find(
          (r) => r.cov >= floor && holds(r.u, strict) && (kindIsRare || aboutSubject(r.u)),
        );
        const led = holding
          ? undefined
          : ranked
              .filter((r) => r.cov >= THRESHOLDS.found)
              .slice(0, THRESHOLDS.maxQuotes)
              .map((r) => {
                const after = this.following(policy, r.u);
                // An address written a line at a time holds the kind in each of its lines.
                let at = after.findIndex((u) => holds(u, strict));
                while (at >= 0 && at + 1 < after.length && holds(after[at + 1]!, strict)) at++;
                return { r, next: at >= 0 ? after.slice(0, at + 1) : [] };
              })
              .find((x) => x.next.length > 0);
        if (holding) pick = holding;
        else if (led) {
          pick = led.r;
          extra = led.next;
        } else {
          if (best.cov >= THRESHOLDS.found) strictMissing = [...strictMissing, ...strict.map((k) => k.id)];
          unanswered.push(part);
          confidence = Math.max(confidence, Math.min(best.cov, THRESHOLDS.found - 0.01));
          return;
        }
      } else if (pick.cov < THRESHOLDS.found) {
        unanswered.push(part);
        confidence = Math.max(confidence, pick.cov);
        return;
      }
      confidence = Math.max(confidence, pick.cov);
      const mine: Unit[] = [];
      const add = (u: Unit) => {
        if (mine.some((m) => m.key === u.key)) return;
        mine.push(u);
        if (!chosen.some((c) => c.key === u.key)) chosen.push(u);
      };
      add(pick.u);
      for (const u of extra) add(u);
      // A second sentence that answers nearly as well (another host, the other half of a list).
      const second = ranked.find(
        (r) =>
          r.u.key !== pick.u.key &&
          r.cov >= Math.max(THRESHOLDS.found, pick.cov - THRESHOLDS.secondGap) &&
          (strict.length === 0 || holds(r.u, strict)),
      );
      if (second) add(second.u);
      // A part asking for two kinds ("the email + postal address") gets a sentence for each: the
      // best one of the chosen sentence's section that holds it.
      for (const k of strict) {
        if (mine.some((u) => this.unitHolds(u, k))) continue;
        const other = ranked.find(
          (r) =>
            r.cov >= THRESHOLDS.foundWithKind &&
            r.u.candidate.doc.clause.sectionId === pick.u.candidate.doc.clause.sectionId &&
            this.unitHolds(r.u, k),
        );
        if (other) add(other.u);
      }
      // A question asking for several things gets every sentence that answers nearly as well,
      // and, when the answer is an item of a list, the whole list.
      if (asksForList(part)) {
        for (const item of this.siblings(policy, pick.u)) {
          if (mine.length >= THRESHOLDS.maxListItems) break;
          add(item);
        }
        for (const r of ranked) {
          if (mine.length >= THRESHOLDS.maxQuotes) break;
          if (
            r.cov >= Math.max(THRESHOLDS.found, pick.cov - THRESHOLDS.listGap) &&
            (strict.length === 0 || holds(r.u, strict))
          )
            add(r.u);
        }
        // An item of a list that answers nearly as well brings its whole list too.
        if (this.siblings(policy, pick.u).length === 0) {
          const list = mine.map((u) => this.siblings(policy, u)).find((items) => items.length > 1) ?? [];
          for (const other of list) {
            if (mine.length >= THRESHOLDS.maxQuotes + THRESHOLDS.maxListItems) break;
            add(other);
          }
        }
      }
      // A question about two things in one clause ("do we sell data or show ads?"): a sentence
      // of the same section that says what the chosen ones leave out joins them.
      const said = (t: string) => chosen.some((c) => c.terms.has(t));
      const left = want.filter((t) => !said(t));
      if (left.length > 0) {
        const complement = ranked.find(
          (r) =>
            r.u.candidate.doc.clause.sectionId === pick.u.candidate.doc.clause.sectionId &&
            !chosen.some((c) => c.key === r.u.key) &&
            left.some((t) => r.u.terms.has(t)),
        );
        if (complement) add(complement.u);
      }
      if (isYesNo(part)) verdicts.push(this.verdict(mine, want, (t) => vocabulary.has(t), frame));
    });
    // A "Yes" or "No" answers the whole question: with two yes/no parts, only when both get the
    // same one ("do they get access, and can they use it for other things?" is not one "Yes").
    const asksYesNo = parts.filter((p) => isYesNo(p)).length;
    if (asksYesNo > 0 && verdicts.length === asksYesNo && verdicts.every((v) => v === verdicts[0]))
      verdict = verdicts[0]!;
    if (chosen.length === 0)
      return this.notFound(policy, candidates, salient, queryTerms, topics, confidence, strictMissing);
    // Quoted in the order the policy says them.
    chosen.sort((a, b) => a.candidate.doc.id - b.candidate.doc.id || a.index - b.index);
    const quotes = this.complete(policy, chosen).slice(0, THRESHOLDS.maxQuotes + THRESHOLDS.maxListItems);
    // Sentences that follow each other in one clause read as one quote.
    const runs: string[] = [];
    quotes.forEach((u, i) => {
      const prev = quotes[i - 1];
      const adjacent =
        prev !== undefined &&
        prev.candidate.doc.clause.id === u.candidate.doc.clause.id &&
        u.candidate.doc.clause.text.includes(`${prev.quoteText} ${u.quoteText}`);
      if (adjacent) runs[runs.length - 1] = `${runs[runs.length - 1]} ${u.rendered}`;
      else runs.push(u.rendered);
    });
    const body = runs.map((r) => `“${r}”`).join(' ');
    const gaps =
      unanswered.length > 0 && unanswered.length < parts.length
        ? ` The policy does not say: “${unanswered.join('; ')}”.`
        : '';
    const shown = new Set(quotes.map((u) => u.candidate.doc.clause.id));
    const supporting = candidates
      .filter((c) => !shown.has(c.doc.clause.id))
      .slice(0, Math.max(0, THRESHOLDS.sources - shown.size));
    const citations: Citation[] = [];
    for (const u of quotes) {
      const { clause } = u.candidate.doc;
      // A list's lead-in is read with its items but is not in their clause's words.
      if (!clause.text.includes(u.quoteText)) continue;
      const last = citations[citations.length - 1];
      const joined = last && `${last.quote} ${u.quoteText}`;
      if (last && last.clauseId === clause.id && joined && clause.text.includes(joined)) last.quote = joined;
      else citations.push(this.cite(policy, u.candidate.doc, u.quoteText));
    }
    return {
      answer: `${verdict}${body} (${policy.name} policy, ${this.label(quotes[0]!.candidate.doc)})${gaps}`,
      found: true,
      citations: [
        ...citations,
        ...supporting.map((c) => this.cite(policy, c.doc, this.bestSentences(c.doc, salient, queryTerms))),
      ],
      confidence,
    };
  }

  /**
   * "Yes. " or "No. " only when the quoted sentences themselves say or negate what was asked:
   * together they must say most of the question's words (its weight), and every sentence that
   * says one of them must agree ("We do not allow Google to store cookies" beside "Google
   * Analytics stores information" gives no verdict). Otherwise the quotes stand alone.
   */
  private verdict(
    units: Unit[],
    want: string[],
    known: (t: string) => boolean,
    frame: ReadonlySet<string>,
  ): string {
    const wanted = new Set(want);
    const sayable = (t: string) => known(t) && !frame.has(t);
    // Every word counts alike here: the word a verdict turns on ("cookies" in "does Matomo use
    // cookies?") may be the policy's commonest.
    const askable = want.filter(sayable);
    // One quoted sentence (with its lead-in) must say most of it: words spread over sentences about
    // different things ("shared outside the Design System", "processed in the EEA") answer
    // nothing together ("is data processed outside the EEA?").
    const saidBy = (u: Unit) => askable.filter((t) => u.terms.has(t) || u.leadTerms.has(t)).length;
    if (askable.length === 0 || Math.max(...units.map(saidBy)) / askable.length < THRESHOLDS.verdictCoverage)
      return '';
    const readings = units
      // A sentence that says what it says only under a condition the question does not state
      // ("If the account has public activity, we will not delete it") neither affirms nor
      // negates what was asked.
      .filter((u) => {
        const condition = CONDITIONAL.exec(u.rendered)?.[1];
        return condition === undefined || this.lexicon.terms(condition).every((t) => wanted.has(t));
      })
      // Read as the lexicon reads it, so a term the policy writes as several words ("data
      // protection officer" for "DPO") is one word whose negation can be seen.
      .map((u) =>
        negates(this.lexicon.normalise(`${u.lead ?? ''} ${u.rendered}`, false).join(' '), (w) =>
          wanted.has(this.lexicon.termOf(w)),
        ),
      )
      .filter((r): r is boolean => r !== null);
    if (readings.length === 0 || readings.some((r) => r !== readings[0])) return '';
    if (readings[0]) return 'No. ';
    // A policy cannot affirm what it never says: with a word of the question it never uses
    // ("can we charge a fee for access?"), the quote stands without a "Yes". A "No" stays: the
    // quote negates what it does say ("does not respond to Do Not Track" for "honour DNT?").
    return want.some((t) => !known(t) && !frame.has(t)) ? '' : 'Yes. ';
  }

  /** "Does not say": the nearest passages quoted for a person to check. */
  private notFound(
    policy: Policy,
    candidates: Candidate[],
    salient: string[],
    queryTerms: string[],
    topics: Set<string>,
    confidence: number,
    strictMissing: string[],
  ): Omit<Answer, 'policies' | 'intent'> {
    // The closest passages, for a person to check: those sharing a content word with the
    // question; none when nothing in the policy is near.
    let closest = candidates.filter((c) => c.overall > 0).slice(0, THRESHOLDS.sources);
    let quoteTerms = salient;
    // Nothing shares a word with the question, but it is plainly about a topic ("what data do
    // they take" asks about collection): the passages on that topic are the nearest.
    if (closest.length === 0 && topics.size > 0) {
      quoteTerms = [...topics];
      closest = this.retrieve(policy, quoteTerms, quoteTerms, topics)
        .filter((c) => c.overall > 0)
        .slice(0, 3);
    }
    const missing = KIND_NAMES[strictMissing[0] ?? ''];
    const lead = missing
      ? `The ${policy.name} policy does not say: it speaks of this but gives no ${missing}.`
      : `The ${policy.name} policy does not say.`;
    return {
      answer: `${lead}${closest.length > 0 ? ' The passages nearest to the question are quoted below; ask the privacy team if you need a definite answer.' : ' Ask the privacy team if you need a definite answer.'}`,
      found: false,
      citations: closest.map((c) =>
        this.cite(policy, c.doc, this.bestSentences(c.doc, quoteTerms, queryTerms)),
      ),
      confidence,
    };
  }

  /**
   * A question with shorthand spelled out from the policy's own words: a short word the policy
   * never uses that is the initials of a run of its capitalised words ("DNT": "Do Not Track";
   * "SCCs": "Standard Contractual Clauses") reads as those words, and the initials or the start of
   * the policy's own name ("PG", "moz") are dropped, as its full name would be.
   */
  private spellOut(policy: Policy, question: string): string {
    const vocabulary = this.vocabularyOf(policy);
    // "LE" for "Let's Encrypt": a possessive is no word of the name.
    const name =
      policy.name
        .toLowerCase()
        .replace(/['’]s\b/g, '')
        .match(/[a-z0-9]+/g) ?? [];
    const ownInitials = name.length > 1 ? name.map((w) => w[0]).join('') : '';
    let acronyms: Map<string, string> | undefined;
    return question.replace(/\b[A-Za-z]{2,6}\b/g, (token) => {
      const lower = token.toLowerCase();
      const single = lower.replace(/s$/, '');
      if (STOPWORDS.has(lower) || vocabulary.has(this.lexicon.termOf(lower)) || isCommonWord(lower))
        return token;
      if (
        lower === ownInitials ||
        single === ownInitials ||
        (lower.length >= 3 && name[0]?.startsWith(lower))
      )
        return '';
      acronyms ??= this.acronymsOf(policy);
      return acronyms.get(lower) ?? acronyms.get(single) ?? token;
    });
  }

  /** Initials of runs of two to five capitalised words in a policy, read once. */
  private acronymsOf(policy: Policy): Map<string, string> {
    let map = this.acronyms.get(policy.id);
    if (!map) {
      map = new Map();
      const run = /\b(?:[A-Z][\p{L}]*)(?:\s+(?:(?:of|the|and|for|to|a|on)\s+)?[A-Z][\p{L}]*){1,4}/gu;
      for (const clause of policy.clauses) {
        for (const m of clause.text.matchAll(run)) {
          const words = m[0].split(/\s+/);
          // Every run of two or more of its words: "Do Not Track HTTP" holds "Do Not Track".
          for (let from = 0; from < words.length - 1; from++) {
            for (let to = from + 2; to <= words.length; to++) {
              const phrase = words.slice(from, to);
              if (!/^[A-Z]/.test(phrase[0]!) || !/^[A-Z]/.test(phrase[phrase.length - 1]!)) continue;
              const capitals = phrase.filter((w) => /^[A-Z]/.test(w));
              for (const ws of [capitals, phrase]) {
                const initials = ws.map((w) => w[0]!.toLowerCase()).join('');
                if (initials.length >= 2 && !map.has(initials)) map.set(initials, phrase.join(' '));
              }
            }
          }
        }
      }
      this.acronyms.set(policy.id, map);
    }
    return map;
  }

  /** Whether a unit's sentence holds a kind of answer, tested once per sentence and kind. */
  private unitHolds(u: Unit, kind: AnswerKind): boolean {
    let held = u.held.get(kind.id);
    if (held === undefined) {
      held = kind.holds.test(u.quoteText);
      u.held.set(kind.id, held);
    }
    return held;
  }

  /** Whether a sentence is nothing but a value of a kind (an address, a number) and its punctuation. */
  private isBareValue(u: Unit, kind: AnswerKind): boolean {
    const said = this.kindMatches(u, kind).join('').length;
    return said > 0 && said >= u.quoteText.replace(/[\s.,;:()"“”]/g, '').length * 0.8;
  }

  /** What a sentence says of a kind of answer: each match of the kind's pattern, read once. */
  private kindMatches(u: Unit, kind: AnswerKind): string[] {
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

  /** The clauses of a policy that hold a kind of answer, found once per policy and kind. */
  private clausesHolding(policy: Policy, kind: AnswerKind): Indexed[] {
    const key = `${policy.id}#${kind.id}`;
    let found = this.holdingCache.get(key);
    if (!found) {
      found = (this.docsByPolicy.get(policy.id) ?? []).filter((d) => kind.holds.test(d.clause.text));
      this.holdingCache.set(key, found);
    }
    return found;
  }

  /** The words naming an answer kind, as terms, read once. */
  private kindTerms(kind: AnswerKind): Set<string> {
    let terms = this.kindTermCache.get(kind);
    if (!terms) {
      terms = new Set(this.lexicon.terms(kind.names.join(' ')));
      this.kindTermCache.set(kind, terms);
    }
    return terms;
  }

  /** A policy's own name as query terms (a question's words never include it). */
  private ownNameTerms(policy: Policy): ReadonlySet<string> {
    return this.nameOf.get(policy.id)?.queryTerms ?? new Set();
  }

  /** Every term a policy uses, in its text or headings. */
  private vocabularyOf(policy: Policy): Set<string> {
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

  /** A clause's sentences as units of evidence (a table row or a one-sentence clause is one). */
  private unitsOf(policy: Policy, candidate: Candidate): Unit[] {
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
  private wordsBefore(policy: Policy, doc: Indexed, earlier: string[], far = false): ReadonlySet<string> {
    const out = new Set(earlier.flatMap((t) => this.lexicon.terms(t)));
    // The sentences before it in its clause, unless the first of them refers back itself ("The
    // listed usage data is stored anonymously. The legal basis for this data is...").
    if (earlier.length > 0 && !BACK_REFERENCE.test(earlier[0]!)) return out;
    const ids = doc.section?.clauseIds ?? [];
    const at = (i: number) => this.byClause.get(`${policy.id}#${ids[i]}`);
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
  private nextUnit(policy: Policy, u: Unit): Unit | undefined {
    const { doc } = u.candidate;
    if (u.index + 1 < doc.clause.sentences.length && doc.clause.kind !== 'table-row')
      return this.unitsOf(policy, u.candidate)[u.index + 1];
    const ids = doc.section?.clauseIds ?? [];
    const at = ids.indexOf(doc.clause.id);
    let next = at >= 0 ? this.byClause.get(`${policy.id}#${ids[at + 1]}`) : undefined;
    // At the end of its section, a sentence goes on into a section right after it that is titled
    // only by the kind of answer it holds, as contact blocks are ("...contact the Data Protection
    // Officer." then "Email" over the address, "Post" over the letters' address).
    if (!next && at >= 0 && at === ids.length - 1 && doc.section) {
      const sections = policy.sections;
      const following = sections[sections.findIndex((s) => s.id === doc.section!.id) + 1];
      if (following && following.clauseIds.length > 0 && this.titledByKind(following.title))
        next = this.byClause.get(`${policy.id}#${following.clauseIds[0]}`);
    }
    return next ? this.unitsOf(policy, { doc: next, score: 0, coverage: 0, overall: 0 })[0] : undefined;
  }

  /** A title made only of words that name a kind of answer ("Email", "Telephone", "Post"). */
  private titledByKind(title: string): boolean {
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
  private following(policy: Policy, u: Unit): Unit[] {
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
  private siblings(policy: Policy, u: Unit): Unit[] {
    const { clause, section } = u.candidate.doc;
    if (clause.kind !== 'list-item' && clause.kind !== 'table-row') return [];
    const ids = section?.clauseIds ?? [];
    const at = ids.indexOf(clause.id);
    const same = (id: string | undefined) => {
      const d = id === undefined ? undefined : this.byClause.get(`${policy.id}#${id}`);
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
  private complete(policy: Policy, chosen: Unit[]): Unit[] {
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
          const d = this.byClause.get(`${policy.id}#${id}`);
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

  /**
   * An answer from facts cites the passages retrieval ranked best too, up to three sources in all,
   * for a reader to check it against what surrounds it.
   */
  private supported<T extends { citations: Citation[] }>(
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
      .map((c) => this.cite(policy, c.doc, this.bestSentences(c.doc, salient, queryTerms)));
    return more.length > 0 ? { ...answer, citations: [...answer.citations, ...more] } : answer;
  }

  /** A retention fact's category and quote as terms, read once. */
  private retentionTerms(f: FactOf<'retention'>): { categoryTerms: Set<string>; quoteTerms: Set<string> } {
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

  private retentionAnswer(
    policy: Policy,
    facts: FactOf<'retention'>[],
    salient: string[],
    weights: Map<string, number>,
  ): Omit<Answer, 'policies' | 'intent'> | null {
    const scored = facts
      .map((f) => {
        const doc = this.byClause.get(`${policy.id}#${f.source.clauseId}`)!;
        const { categoryTerms, quoteTerms } = this.retentionTerms(f);
        let have = 0;
        let all = 0;
        for (const t of salient) {
          const w = this.idf(t) * this.weight(t, weights);
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
    const citation = this.cite(policy, doc, f.source.quote);
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
  private factAnswer(
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
      this.cite(policy, this.byClause.get(`${policy.id}#${s.f.source.clauseId}`)!, s.f.source.quote),
    );
    const body = quotes
      .map(
        (s) =>
          `“${render(this.byClause.get(`${policy.id}#${s.f.source.clauseId}`)!.clause, s.f.source.quote)}”`,
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
  private factVerdict(question: string, quote: string, salient: string[]): string {
    if (!isYesNo(question)) return '';
    const wanted = new Set(salient);
    const no = negates(quote, (w) => wanted.has(this.lexicon.termOf(w)));
    return no === null ? '' : no ? 'No. ' : 'Yes. ';
  }

  /** "Which processors do we use?": every one the policy names, with what it does and where. */
  private processorsAnswer(
    policy: Policy,
    facts: FactOf<'processor'>[],
  ): Omit<Answer, 'policies' | 'intent'> {
    // A processor table is the policy's own list: when it has one, passing mentions in sentences
    // (which may be places or people) are left out.
    const rows = facts.filter(
      (f) => this.byClause.get(`${policy.id}#${f.source.clauseId}`)?.clause.kind === 'table-row',
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
      const doc = this.byClause.get(`${policy.id}#${id}`)!;
      return this.cite(policy, doc, facts.find((f) => f.source.clauseId === id)!.source.quote);
    });
    return {
      answer: `The ${policy.name} policy names these processors and service providers: ${items.join('; ')}.`,
      found: true,
      citations,
      confidence: 1,
    };
  }

  private rightsAnswer(policy: Policy, facts: FactOf<'right'>[]): Omit<Answer, 'policies' | 'intent'> {
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
      const doc = this.byClause.get(`${policy.id}#${id}`)!;
      return this.cite(policy, doc, facts.find((f) => f.source.clauseId === id)!.source.quote);
    });
    return {
      answer: `The ${policy.name} policy lists these rights: ${rights.map((r) => labels[r]).join(', ')}.`,
      found: true,
      citations,
      confidence: 1,
    };
  }

  /** The sentence(s) of a clause that carry the question's terms; table rows and short items whole. */
  private bestSentences(doc: Indexed, salient: string[], queryTerms: string[]): string {
    const { clause } = doc;
    if (clause.sentences.length <= 1 || clause.kind === 'table-row') return clause.text;
    const want = salient.length > 0 ? salient : queryTerms;
    const sentenceTerms = this.sentenceTerms(doc);
    const scored = clause.sentences.map((s, i) => {
      const terms = sentenceTerms[i]!;
      return { s, i, score: want.reduce((acc, t) => acc + (terms.has(t) ? this.idf(t) : 0), 0) };
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
  private sentenceTerms(doc: Indexed): Set<string>[] {
    doc.sentenceTerms ??= doc.clause.sentences.map((s) => new Set(this.lexicon.terms(s)));
    return doc.sentenceTerms;
  }

  private label(doc: Indexed): string {
    const section = doc.section;
    const index = section ? section.clauseIds.indexOf(doc.clause.id) : 0;
    return sectionLabel(section, index);
  }

  private cite(policy: Policy, doc: Indexed, quote: string): Citation {
    return { policy: policy.id, section: this.label(doc), quote, clauseId: doc.clause.id };
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

/** A table row reads as "Header: cell; Header: cell"; other clauses as written. */
function render(clause: Clause, quote: string): string {
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

/** A word of everyday English (SCOWL lists up to size 35): never shorthand, often phrasing. */
function isCommonWord(word: string): boolean {
  return (englishWords().get(word) ?? 99) <= THRESHOLDS.commonWordLevel;
}

/** The words of a question written with a capital inside it: names ("Stripe", "ISO 27001"). */
function namesIn(question: string): string {
  return (
    question.match(/(?<=[\p{L}\p{N},;:)]\s+)(?:[A-Z][\p{L}\p{N}]*[A-Z0-9][\p{L}\p{N}]*|[A-Z][a-z]+)/gu) ?? []
  ).join(' ');
}

function joinNames(names: string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
