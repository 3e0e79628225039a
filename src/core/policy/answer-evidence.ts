import type { Answer, Citation } from './answer.js';
import { ASKS_EXISTENCE, CONDITIONAL, KIND_NAMES, PLACEHOLDER, REFERS_BACK } from './answer-constants.js';
import type { Candidate, ClauseIndex } from './answer-index.js';
import { isCommonWord, namesIn } from './answer-shorthand.js';
import type { Unit, Units } from './answer-units.js';
import {
  type AnswerKind,
  askedKinds,
  asksForList,
  CONTINUES,
  isYesNo,
  negates,
  THRESHOLDS,
} from './evidence.js';
import type { Intent } from './intents.js';
import { englishWords, type Lexicon } from './language.js';
import type { Policy } from './model.js';

/** A question read into terms, as the answer layer weighs them. */
export interface QuestionTerms {
  queryTerms: string[];
  /** The terms that say what it is about (no generic or framing words). */
  salient: string[];
  weights: Map<string, number>;
  /** The words that only frame a question of its intent ("how long", "keep"). */
  frame: Set<string>;
  /** Whether what is asked, without its scene, is of the intent: its topic then gates the evidence. */
  gated?: boolean;
}

/** The general answer layer: an answer from the sentences of the best passages, with its verdict. */
export class EvidenceAnswers {
  constructor(
    private readonly lexicon: Lexicon,
    private readonly clauses: ClauseIndex,
    private readonly units: Units,
    private readonly answerKinds: AnswerKind[],
    /**
     * Per intent, what makes a passage on its topic: the words of its topics and cues (not "how",
     * "data") and, when it has one, the pattern an answer must match.
     */
    private readonly onTopic: ReadonlyMap<string, { core: Set<string>; says: RegExp | null }>,
    /** Every term of the intents' examples, topics and framing words. */
    private readonly intentVocabulary: ReadonlySet<string>,
    /** A policy's own name as query terms. */
    private readonly ownNameTerms: (policy: Policy) => ReadonlySet<string>,
  ) {}

  /**
   * A term of privacy talk: used by a policy loaded, by the intents' examples and topics, or a
   * number. A question word that is none of these is phrasing.
   */
  isDomainTerm(term: string): boolean {
    return (this.clauses.df.get(term) ?? 0) > 0 || this.intentVocabulary.has(term) || /\d/.test(term);
  }

  /**
   * The general answer layer. Within the best passages, each sentence is weighed by how much of
   * each part of the question it (with its clause and headings) has; the sentence that also holds
   * the kind of answer the part asks for (a period, an address, an age...) is preferred, and a
   * part asking for a strict kind is answered only by a sentence that holds it. The chosen
   * sentences are quoted with what completes them: a list they introduce, a list item's lead-in.
   * "Yes" or "No" is said only when the quoted sentence itself says or negates what was asked.
   */
  fromEvidence(
    policy: Policy,
    question: string,
    reading: { parts: string[]; scene: string },
    candidates: Candidate[],
    terms: QuestionTerms,
    topics: Set<string>,
    intent: Intent,
  ): Omit<Answer, 'policies' | 'intent'> {
    const { queryTerms, salient, weights, frame } = terms;
    const { parts } = reading;
    // A question of a known kind is answered only by a passage on its topic (a word of its topics
    // or cues, and what its `answers` pattern asks for): "which authority can crews complain to"
    // is not answered by a sentence about crews.
    const topic =
      intent.id === 'policy.general' || terms.gated === false ? undefined : this.onTopic.get(intent.id);
    const topicKind = this.answerKinds.find((k) => k.id === intent.kind);
    const onTopic = (u: Unit) =>
      !topic ||
      ((!topic.says || topic.says.test(u.quoteText)) &&
        (topic.core.size === 0 ||
          [...topic.core].some(
            (t) => u.candidate.doc.textTerms.has(t) || u.candidate.doc.contextTerms.has(t),
          )));
    const vocabulary = this.clauses.vocabularyOf(policy);
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
        .filter((t) => !this.clauses.generic.has(t) && (asked.has(t) || names.has(t))),
    );
    const pool = candidates.slice(0, THRESHOLDS.pool);
    const units = pool.flatMap((c) => this.units.unitsOf(policy, c));
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
    /** Template blanks found where the answer should be ("[Legal entity name and address]"). */
    const blanks: string[] = [];
    parts.forEach((part) => {
      const own = this.lexicon
        .terms(part, true)
        .filter((t) => !this.clauses.generic.has(t) && (asked.has(t) || names.has(t)));
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
          (ignored.has(t) || checked(t) || ONE_LETTER.test(t) ? 0 : 1) *
            (fromScene.has(t) ? (vocabulary.has(t) ? THRESHOLDS.sceneWord : 0) : 1) *
            this.clauses.idf(t) *
            this.clauses.weight(t, weights) *
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
      const saysMore = (m: string) => /\d/.test(m) || this.lexicon.terms(m).some((t) => !wantSet.has(t));
      const holds = (u: Unit, list: AnswerKind[]) =>
        list.some((k) => this.units.unitHolds(u, k) && this.units.kindMatches(u, k).some(saysMore));
      const cov = (u: Unit) => {
        // A sentence holding the kind asked for says the words that name it.
        const named = new Set(
          kinds.filter((k) => this.units.unitHolds(u, k)).flatMap((k) => [...this.units.kindTerms(k)]),
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
      const kindWords = new Set(kinds.flatMap((k) => [...this.units.kindTerms(k)]));
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
      const holding = [...new Set(strict.flatMap((k) => this.clauses.clausesHolding(policy, k)))];
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
              .flatMap((d) => this.units.unitsOf(policy, { doc: d, score: 0, coverage: 0, overall: 0 }))
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
            (strict.length > 0 && isHolder(u) && strict.some((k) => this.units.isBareValue(u, k))) ||
            (topicKind !== undefined && this.units.unitHolds(u, topicKind)),
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
        // Where the policy holds the kind in only a few places, a line that is nothing but values
        // needs no more than that: it has no words to match, its topic is in its headings and the
        // sentence before it (a contact line "10007 shop@example.com (319) 551-6116" under
        // "Contacting us" answers "what email do we give?" however well a sentence about e-mail
        // law matches).
        const floor = (r: { u: Unit }) =>
          kindIsRare && strict.some((k) => this.valueLine(r.u, k))
            ? THRESHOLDS.foundWithKind
            : Math.max(
                THRESHOLDS.foundWithKind,
                Math.min(best.cov - THRESHOLDS.kindSlack, best.cov * THRESHOLDS.kindShare),
              );
        const holding = ranked.find(
          (r) => r.cov >= floor(r) && holds(r.u, strict) && (kindIsRare || aboutSubject(r.u)),
        );
        const led = holding
          ? undefined
          : ranked
              .filter((r) => r.cov >= THRESHOLDS.found)
              .slice(0, THRESHOLDS.maxQuotes)
              .map((r) => {
                const after = this.units.following(policy, r.u);
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
      const chosenBefore = new Set(chosen.map((c) => c.key));
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
        if (mine.some((u) => this.units.unitHolds(u, k))) continue;
        const other = ranked.find(
          (r) =>
            r.cov >= THRESHOLDS.foundWithKind &&
            r.u.candidate.doc.clause.sectionId === pick.u.candidate.doc.clause.sectionId &&
            this.units.unitHolds(r.u, k),
        );
        if (other) add(other.u);
      }
      // A question asking for several things gets every sentence that answers nearly as well,
      // and, when the answer is an item of a list, the whole list.
      if (asksForList(part)) {
        for (const item of this.units.siblings(policy, pick.u)) {
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
        if (this.units.siblings(policy, pick.u).length === 0) {
          const list =
            mine.map((u) => this.units.siblings(policy, u)).find((items) => items.length > 1) ?? [];
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
      // The answer is a template's blank ("The controller is: [Legal entity name and registered
      // address]"): the policy does not give it.
      const blank = this.units
        .complete(policy, mine)
        .map((u) => blankIn(u.quoteText))
        .find((b) => b !== null);
      if (blank) {
        for (const u of mine) {
          const at = chosen.findIndex((c) => c.key === u.key);
          if (at >= 0 && !chosenBefore.has(u.key)) chosen.splice(at, 1);
        }
        blanks.push(blank);
        unanswered.push(part);
        return;
      }
      if (isYesNo(part)) verdicts.push(this.verdict(mine, want, (t) => vocabulary.has(t), frame));
    });
    // A "Yes" or "No" answers the whole question: with two yes/no parts, only when both get the
    // same one ("do they get access, and can they use it for other things?" is not one "Yes").
    const asksYesNo = parts.filter((p) => isYesNo(p)).length;
    if (asksYesNo > 0 && verdicts.length === asksYesNo && verdicts.every((v) => v === verdicts[0]))
      verdict = verdicts[0]!;
    if (chosen.length === 0)
      return this.notFound(
        policy,
        candidates,
        salient,
        queryTerms,
        topics,
        confidence,
        strictMissing,
        blanks,
      );
    // Quoted in the order the policy says them.
    chosen.sort((a, b) => a.candidate.doc.id - b.candidate.doc.id || a.index - b.index);
    const quotes = this.units
      .complete(policy, chosen)
      .slice(0, THRESHOLDS.maxQuotes + THRESHOLDS.maxListItems);
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
        ? ` The policy does not say: “${unanswered.join('; ')}”${blanks.length > 0 ? ` (it leaves a blank: “${blanks[0]}”)` : ''}.`
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
      else citations.push(this.units.cite(policy, u.candidate.doc, u.quoteText));
    }
    return {
      answer: `${verdict}${body} (${policy.name} policy, ${this.units.label(quotes[0]!.candidate.doc)})${gaps}`,
      found: true,
      citations: [
        ...citations,
        ...supporting.map((c) =>
          this.units.cite(policy, c.doc, this.units.bestSentences(c.doc, salient, queryTerms)),
        ),
      ],
      confidence,
    };
  }

  /**
   * A line that says nothing but values: with what it holds of the kind taken out, only numbers,
   * punctuation and the words naming the kind ("Email:") are left.
   */
  valueLine(u: Unit, kind: AnswerKind): boolean {
    const matches = this.units.kindMatches(u, kind);
    if (matches.length === 0) return false;
    let rest = u.quoteText;
    for (const m of matches) rest = rest.replace(m, ' ');
    const names = this.units.kindTerms(kind);
    return this.lexicon.terms(rest.replace(/\d+/g, ' ')).every((t) => names.has(t));
  }

  /**
   * "Yes. " or "No. " only when the quoted sentences themselves say or negate what was asked:
   * together they must say most of the question's words (its weight), and every sentence that
   * says one of them must agree ("We do not allow Google to store cookies" beside "Google
   * Analytics stores information" gives no verdict). Otherwise the quotes stand alone.
   */
  verdict(units: Unit[], want: string[], known: (t: string) => boolean, frame: ReadonlySet<string>): string {
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
  notFound(
    policy: Policy,
    candidates: Candidate[],
    salient: string[],
    queryTerms: string[],
    topics: Set<string>,
    confidence: number,
    strictMissing: string[],
    blanks: string[] = [],
  ): Omit<Answer, 'policies' | 'intent'> {
    // The closest passages, for a person to check: those sharing a content word with the
    // question; none when nothing in the policy is near.
    let closest = candidates.filter((c) => c.overall > 0).slice(0, THRESHOLDS.sources);
    let quoteTerms = salient;
    // Nothing shares a word with the question, but it is plainly about a topic ("what data do
    // they take" asks about collection): the passages on that topic are the nearest.
    if (closest.length === 0 && topics.size > 0) {
      quoteTerms = [...topics];
      closest = this.clauses
        .retrieve(policy, quoteTerms, quoteTerms, topics)
        .filter((c) => c.overall > 0)
        .slice(0, 3);
    }
    const missing = KIND_NAMES[strictMissing[0] ?? ''];
    const lead =
      blanks.length > 0
        ? `The ${policy.name} policy does not say: where the answer should be, it leaves a template's blank, “${blanks[0]}”.`
        : missing
          ? `The ${policy.name} policy does not say: it speaks of this but gives no ${missing}.`
          : `The ${policy.name} policy does not say.`;
    return {
      answer: `${lead}${closest.length > 0 ? ' The passages nearest to the question are quoted below; ask the privacy team if you need a definite answer.' : ' Ask the privacy team if you need a definite answer.'}`,
      found: false,
      citations: closest.map((c) =>
        this.units.cite(policy, c.doc, this.units.bestSentences(c.doc, quoteTerms, queryTerms)),
      ),
      confidence,
    };
  }
}

/**
 * The template's blank a sentence or line is nothing but (with the punctuation around it), as
 * printed (without markdown's escape); null when it says anything else.
 */
function blankIn(text: string): string | null {
  const m = PLACEHOLDER.exec(text);
  if (m === null || text.replace(m[0], '').replace(/[\s.,;:()"“”*_-]/g, '') !== '') return null;
  return m[0].replace(/\\/g, '');
}

/** A word of one letter names nothing ("a security q", "plan b"): chat shorthand or a label. */
const ONE_LETTER = /^\p{L}$/u;
