import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/core/errors.js';
import type { Answer, PolicyAnswerer } from '../../../src/core/policy/answer.js';
import { THRESHOLDS } from '../../../src/core/policy/evidence.js';
import { loadCorpus } from '../../../src/core/policy/ingest.js';
import type { Corpus } from '../../../src/core/policy/model.js';
import { answererFor, openPolicies } from '../../../src/core/policy/service.js';
import { HAS_SHARED_CORPUS, SHARED_CORPUS, SHARED_CORPUS_SKIP } from '../../helpers/shared-corpus.js';

/**
 * Answering, through the service entry points, on three small fictional policies
 * (tests/fixtures/policies-qa: LumenPay in markdown, Harbor Notes in plain text, Quillbase in HTML)
 * with questions written for these tests, then a citation property over the shared corpus.
 */

const QA = fileURLToPath(new URL('../../fixtures/policies-qa/', import.meta.url));

/** A stated period of time: an answer that has none must not contain one. */
const DURATION = /\b\d+\s*(?:days?|weeks?|months?|years?)\b/i;

let corpus: Corpus;
let answerer: PolicyAnswerer;

beforeAll(async () => {
  ({ corpus, answerer } = await openPolicies(QA));
});

/** Every citation quotes its clause word for word. */
function expectVerbatim(answer: Answer): void {
  for (const c of answer.citations) {
    const clause = answerer.getPolicy(c.policy)?.clauses.find((cl) => cl.id === c.clauseId);
    expect(clause, `${c.policy}#${c.clauseId}`).toBeDefined();
    expect(clause!.text).toContain(c.quote);
    expect(c.section.length).toBeGreaterThan(0);
  }
}

function ask(question: string, policy?: string): Answer {
  const answer = answerer.ask(question, policy ? { policy } : {});
  expectVerbatim(answer);
  return answer;
}

function appError(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected an AppError');
}

describe('retention questions', () => {
  it('answers from a table fact with the period and a verbatim citation of the row', () => {
    const a = ask('How long do we hang onto device logs?', 'lumenpay');
    expect(a.found).toBe(true);
    expect(a.answer).toMatch(/60 days/);
    // The fact's row first; then, as supporting sources, the next best passages (three in all).
    expect(a.citations[0]).toMatchObject({ policy: 'lumenpay', section: '2. Retention' });
    expect(a.citations[0]!.quote).toMatch(/^Device logs.*60 days/);
    expect(a.citations.length).toBeLessThanOrEqual(THRESHOLDS.sources);
    expect(new Set(a.citations.map((c) => c.quote)).size).toBe(a.citations.length);
  });

  it('answers from a sentence and from an HTML paragraph', () => {
    const harbor = ask('For how long are diagnostic logs stored?', 'harbor-notes');
    expect(harbor.found).toBe(true);
    expect(harbor.answer).toMatch(/14 days/);
    expect(harbor.citations.map((c) => c.quote)).toContain('Diagnostic logs are deleted after 14 days.');
    const quill = ask("What's the retention period for revision history?", 'quillbase');
    expect(quill.found).toBe(true);
    expect(quill.answer).toMatch(/18 months/);
    expect(quill.answer).not.toMatch(/45 days/);
  });

  it('does not confuse two categories of the same policy', () => {
    const wallet = ask('How long do we keep wallet data?', 'lumenpay');
    expect(wallet.found).toBe(true);
    expect(wallet.answer).toMatch(/90 days/);
    expect(wallet.answer).not.toMatch(/60 days|6 years/);
    const history = ask('How many years is transaction history retained?', 'lumenpay');
    expect(history.answer).toMatch(/6 years/);
    expect(history.answer).not.toMatch(/60 days|90 days/);
  });

  it('says the policy gives no period for data it mentions without one, citing that clause', () => {
    for (const [question, policy, quote] of [
      ['How long are voice notes retained?', 'lumenpay', 'Voice notes: kept with the payment request'],
      ['how long do we keep photo attachments', 'harbor-notes', 'Photo attachments: stored inside'],
    ] as const) {
      const a = ask(question, policy);
      expect(a.found, question).toBe(false);
      expect(a.answer, question).not.toMatch(DURATION);
      expect(a.citations.length, question).toBeGreaterThan(0);
      expect(a.citations[0]!.quote, question).toContain(quote);
    }
  });

  it('still finds the answer with typos and chat shorthand in content words', () => {
    for (const [question, policy, period] of [
      ['how long do we hold onto dignostic logs', 'harbor-notes', /14 days/],
      ['how long r acess logs kept', 'quillbase', /45 days/],
      ['how lnog do we hang on to device logz', 'lumenpay', /60 days/],
    ] as const) {
      const a = ask(question, policy);
      expect(a.found, question).toBe(true);
      expect(a.answer, question).toMatch(period);
    }
  });

  it('still finds the answer when a short word like "how" is misspelt', () => {
    for (const [question, policy, period] of [
      ['hw long do we hold onto diagnostic logs', 'harbor-notes', /14 days/],
      ['hw long r access logs kept', 'quillbase', /45 days/],
    ] as const) {
      const a = ask(question, policy);
      expect(a.found, question).toBe(true);
      expect(a.answer, question).toMatch(period);
    }
  });
});

describe('paraphrase', () => {
  it('answers in other words than the policy uses, weighing filler words little', () => {
    const theme = ask('Is the theme cookie mandatory?', 'quillbase');
    expect(theme.found).toBe(true);
    expect(theme.answer).toMatch(/^No\b.*qb_prefs/);
    const session = ask('which cookie keeps people logged in?', 'quillbase');
    expect(session.found).toBe(true);
    expect(session.answer).toMatch(/qb_session/);
  });
});

describe('answers completed from typed facts', () => {
  it('lists the processors a question narrows to, from their purpose', () => {
    const a = ask('Which email providers do we use?', 'harbor-notes');
    expect(a.found).toBe(true);
    expect(a.answer).toMatch(/Postbird/);
    expect(a.answer).not.toMatch(/Nimbusline/);
  });

  it("lists a policy's sub-processor table, not the places and people its sentences name", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'privacy-ops-table-'));
    try {
      writeFileSync(
        join(dir, 'acme.md'),
        [
          '# Acme Privacy Policy',
          '',
          '## 1. Who we are',
          '',
          'Acme is provided by Acme GmbH, Hauptstrasse 1, 10117 Berlin, Germany.',
          '',
          '## 2. Sub-processors',
          '',
          '| Sub-processor | Purpose | Region |',
          '| --- | --- | --- |',
          '| Hetzner Online GmbH | Hosting | Germany |',
          '| Postmark (ActiveCampaign, LLC) | Transactional email | United States |',
          '| Stripe Payments Europe, Ltd. | Card payments | Ireland |',
          '',
          'Some sub-processors (Postmark) may access data from the United States.',
        ].join('\n'),
      );
      const bot = answererFor(await loadCorpus(dir));
      const a = bot.ask('Which sub-processors do we use?');
      expect(a.found).toBe(true);
      expect(a.answer).toContain('Hetzner Online GmbH (Hosting, Germany)');
      expect(a.answer).toContain('Postmark (ActiveCampaign, LLC) (Transactional email, United States)');
      expect(a.answer).toContain('Stripe Payments Europe (Card payments, Ireland)');
      expect(a.answer).not.toMatch(/Berlin|Hauptstrasse|; Ltd/);
      const what = bot.ask('What do we use Stripe Payments Europe for?');
      expect(what.answer).toMatch(/Card payments/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers with a phone contact and with the authority a complaint sentence goes on to name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'privacy-ops-phone-'));
    try {
      writeFileSync(
        join(dir, 'acme.md'),
        [
          '# Acme Privacy Policy',
          '',
          '## 1. Account data',
          '',
          'We collect your name, email address and phone number when you sign up.',
          '',
          '## 2. Your rights',
          '',
          'You may lodge a complaint with a supervisory authority. Our lead authority is the Irish Data Protection Commission.',
          '',
          '## 3. Contact',
          '',
          '- Email: privacy@acme.example',
          '- Toll-free: 1-800-555-0100 (weekdays, 9 to 5)',
        ].join('\n'),
      );
      const bot = answererFor(await loadCorpus(dir));
      const phone = bot.ask('Is there a phone number for privacy requests?');
      expect(phone.found).toBe(true);
      expect(phone.answer).toContain('1-800-555-0100');
      const authority = bot.ask('Which authority can people complain to?');
      expect(authority.found).toBe(true);
      expect(authority.answer).toContain('Irish Data Protection Commission');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('adds the contact details of the section a "contact us" passage points to', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'privacy-ops-contact-'));
    try {
      writeFileSync(
        join(dir, 'acme.md'),
        [
          '# Acme Privacy Policy',
          '',
          '## 1. Data we collect',
          '',
          'We collect your name and the invoices you upload.',
          '',
          '## 9. Contact',
          '',
          'For privacy requests or questions about data processing, contact us using the details below.',
          '',
          '### Acme Ltd',
          '',
          'Email: privacy@acme.example',
          '',
          'Post: 1 Harbour Street, Leith',
        ].join('\n'),
      );
      const bot = answererFor(await loadCorpus(dir));
      const a = bot.ask('Who do I email with a data-processing question?');
      expect(a.found).toBe(true);
      expect(a.answer).toMatch(/privacy@acme\.example/);
      expect(a.citations.map((c) => c.quote)).toContain('Email: privacy@acme.example');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('things the policies do not say', () => {
  it('does not name a vendor the policy does not list', () => {
    const a = ask('Is Twilio one of our sub-processors?', 'lumenpay');
    expect(a.found).toBe(false);
    expect(a.answer).toMatch(/does not say/);
    expect(a.answer).not.toMatch(/Ferrox|Quillsms|Ledgerly/);
    expect(ask('Does Harbor Notes send data to Mailchimp?').found).toBe(false);
  });

  it('quotes the nearest passages on the topic when the policy does not cover the particulars', () => {
    // Neither freelancers nor burglars are in the policy; what it says about security is.
    const a = ask("How do we protect freelancers' notebooks from burglars?", 'harbor-notes');
    expect(a.found).toBe(false);
    expect(a.answer).toMatch(/does not say.*nearest/);
    expect(a.citations[0]).toMatchObject({ policy: 'harbor-notes', section: 'Security' });
    expect(a.citations.length).toBeLessThanOrEqual(THRESHOLDS.sources);
  });

  it("quotes the passages on the question's topic when no passage shares a word with it", () => {
    // "take" is in no passage; the question is still plainly about what data is collected.
    const a = ask('What data do they take from me?', 'lumenpay');
    expect(a.citations[0]!.section).toBe('1. Data we collect');
    for (const c of a.citations) expect(`${c.section} ${c.quote}`).toMatch(/collect/i);
  });

  it('does not answer a question of a known kind from a passage off its topic', () => {
    // Harbor Notes states no minimum age and no authority; a passage about crew accounts, or
    // about crews, shares the other words but does not answer.
    for (const question of [
      "What's the minimum age for crew accounts?",
      'Which supervisory authority can crews complain to?',
      // A response time states a time; the rights passage names requests but gives none.
      'How many days do we have to answer a deletion request?',
    ]) {
      const a = ask(question, 'harbor-notes');
      expect(a.found, question).toBe(false);
      expect(a.answer, question).toMatch(/does not say/);
    }
  });

  it('answers an off-topic question with found false and no citations', () => {
    for (const question of [
      "What's the best recipe for banana bread?",
      'Who won the football match last night?',
    ]) {
      const a = ask(question);
      expect(a.found, question).toBe(false);
      expect(a.citations, question).toEqual([]);
      expect(a.answer).toMatch(/privacy team/);
    }
  });

  it('does not answer "yes" to a question about selling data from an unrelated rights clause', () => {
    const harbor = ask("Do we sell our users' data?", 'harbor-notes');
    expect(harbor.answer).not.toMatch(/^Yes\b/);
    expect(harbor.citations.map((c) => c.quote).join(' ')).toMatch(/do not sell/);
    const lumen = ask("Do we sell our users' data?", 'lumenpay');
    expect(lumen.answer).not.toMatch(/^Yes\b/);
  });
});

describe('policies written one sentence to a line', () => {
  it('cites the neighbouring sentence that speaks to the question too, in document order, and not an unrelated one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'privacy-ops-lines-'));
    try {
      writeFileSync(
        join(dir, 'acme-notes.txt'),
        [
          'We protect your notes with encryption at rest.',
          'Backups are protected the same way.',
          'Our office dog is called Biscuit.',
          'Notes exported as files are encrypted with your key.',
          'Our office cat is called Pixel.',
          'Shared notes are encrypted for each team member.',
          'Our office fish is called Bubbles.',
          'Notes in the trash stay encrypted until they are purged.',
          'Our office plant is called Fern.',
          'Attached notes are encrypted in transit.',
          'Our office bird is called Kiwi.',
          'Draft notes are encrypted before they sync.',
        ].join('\n'),
      );
      const bot = answererFor(await loadCorpus(dir));
      const a = bot.ask('Do you encrypt and protect my notes?');
      const quotes = a.citations.map((c) => c.quote);
      // The backups sentence shares one word with the question, so more sentences than there are
      // sources outrank it; it is cited as the context of the sentence before it.
      const protect = quotes.indexOf('We protect your notes with encryption at rest.');
      expect(protect).toBeGreaterThanOrEqual(0);
      expect(quotes[protect + 1]).toBe('Backups are protected the same way.');
      expect(quotes.join(' ')).not.toMatch(/Biscuit|Pixel|Bubbles|Fern|Kiwi/);
      // Five sources are cited when that many passages speak to the question, and the context too.
      expect(quotes.length).toBeGreaterThanOrEqual(5);
      expect(new Set(quotes).size).toBe(quotes.length);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('questions about two things', () => {
  it('quotes the sentence and the list item for each part', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'privacy-ops-two-'));
    try {
      writeFileSync(
        join(dir, 'acme.md'),
        [
          '# Acme Privacy Policy',
          '',
          '## 1. Advertising',
          '',
          'We do not sell your personal data. We do not show third-party ads in the app.',
          '',
          '## 2. Legal bases',
          '',
          '- Product analytics: our legitimate interest in improving the app.',
          '- Marketing emails: your consent, which you can withdraw at any time.',
          '- Billing: performance of our contract with you.',
        ].join('\n'),
      );
      const bot = answererFor(await loadCorpus(dir));
      const ads = bot.ask('Do we sell data or show ads?');
      expect(ads.answer).toMatch(/do not sell your personal data\. We do not show third-party ads/);
      const bases = bot.ask('What is the legal basis for product analytics and for marketing emails?');
      expect(bases.answer).toMatch(/legitimate interest/);
      expect(bases.answer).toMatch(/consent/);
      expect(bases.answer).not.toMatch(/Billing/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('run-in titles', () => {
  it('quotes a run-in title with what it introduces', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'privacy-ops-runin-'));
    try {
      writeFileSync(
        join(dir, 'acme.txt'),
        [
          'HOW LONG WE KEEP YOUR DATA',
          '',
          'Workouts are kept while your account is active.',
          '',
          'Inactive accounts. If you have not signed in for 24 months, we email you a warning. If you still do not sign in within 60 days, we delete the account.',
        ].join('\n'),
      );
      const bot = answererFor(await loadCorpus(dir));
      const a = bot.ask('What happens to accounts that go inactive?');
      expect(a.answer).toMatch(/24 months/);
      expect(a.answer).toMatch(/60 days/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('which policies a question is answered from', () => {
  it('scopes to a policy named by its display name', () => {
    const a = ask('How long does Harbor Notes keep diagnostic logs?');
    expect(a.policies).toEqual(['harbor-notes']);
    expect(a.found).toBe(true);
    expect(a.answer).toMatch(/14 days/);
    expect(a.citations.every((c) => c.policy === 'harbor-notes')).toBe(true);
  });

  it('answers as well with the name in the question as with the policy given explicitly', () => {
    for (const [question, same, policy] of [
      ['How long does Quillbase keep access logs?', 'How long do we keep access logs?', 'quillbase'],
      ['How long does LumenPay keep device logs?', 'How long do we keep device logs?', 'lumenpay'],
    ] as const) {
      const explicit = ask(same, policy);
      expect(explicit.found).toBe(true);
      const named = ask(question);
      expect(named.policies, question).toEqual([policy]);
      expect(named.found, question).toBe(true);
      expect(named.answer, question).toBe(explicit.answer);
    }
  });

  it('answers from every policy, grouped per policy, when none is named', () => {
    const a = ask('Who should users email with privacy requests?');
    expect(a.policies.sort()).toEqual(['harbor-notes', 'lumenpay', 'quillbase']);
    expect(a.found).toBe(true);
    const cited = [...new Set(a.citations.map((c) => c.policy))];
    expect(cited.length).toBeGreaterThan(1);
    const lines = a.answer.split('\n');
    for (const id of cited) {
      const name = corpus.policies.find((p) => p.id === id)!.name;
      const line = lines.find((l) => l.startsWith(`${name}: `));
      expect(line, name).toBeDefined();
      const email = corpus.policies
        .find((p) => p.id === id)!
        .facts.find((f) => f.kind === 'contact' && f.purpose === 'privacy requests');
      if (email?.kind === 'contact') expect(line).toContain(email.value);
    }
  });

  it('uses the default policy when the question names none', () => {
    const scoped = answererFor(corpus, 'quillbase');
    const a = scoped.ask('How long are access logs kept?');
    expect(a.policies).toEqual(['quillbase']);
    expect(a.answer).toMatch(/45 days/);
  });

  it('refuses an unknown explicit policy id with NOT_FOUND listing the known ids', () => {
    const error = appError(() => answerer.ask('How long are logs kept?', { policy: 'acme' }));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toContain('"acme"');
    for (const id of ['harbor-notes', 'lumenpay', 'quillbase']) expect(error.message).toContain(id);
  });
});

describe('questions that are not questions', () => {
  it.each([
    ['empty', ''],
    ['white space only', '  \n\t  '],
    ['control characters only', '\u0000\u0007\u001b\u007f'],
    ['punctuation only', '?!… --'],
    ['over 2000 characters', `${'How long do we keep device logs? '.repeat(70)}`],
  ])('refuses a %s question with INVALID_INPUT', (_, question) => {
    const error = appError(() => answerer.ask(question));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message.length).toBeLessThan(200);
  });

  it('accepts a question of exactly 2000 characters', () => {
    const question = `How long do we keep device logs?${' x'.repeat(984)}`;
    expect(question.length).toBe(2000);
    expect(() => answerer.ask(question, { policy: 'lumenpay' })).not.toThrow();
  });

  it('ignores control characters inside a question', () => {
    const clean = ask('How long are access logs kept?', 'quillbase');
    const dirty = ask('How long are\u0000 access\u001b logs\u200b kept?', 'quillbase');
    expect(dirty.answer).toBe(clean.answer);
  });
});

describe.skipIf(!HAS_SHARED_CORPUS)(
  `citations over the shared corpus (property)${SHARED_CORPUS_SKIP}`,
  () => {
    /** A small deterministic generator, so a failure names a question that can be replayed. */
    function rng(seed: number): () => number {
      let s = seed >>> 0;
      return () => {
        s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
        return s / 2 ** 32;
      };
    }

    it('quotes, for every generated question, words that are in a clause of the cited policy', async () => {
      const shared = await loadCorpus(SHARED_CORPUS);
      const bot = answererFor(shared);
      const subjects = new Set<string>(['penguins', 'tax', 'invoices', 'phone numbers', 'location', 'AI']);
      for (const p of shared.policies) {
        subjects.add(p.name);
        for (const s of p.sections) if (s.title) subjects.add(s.title.toLowerCase());
        for (const f of p.facts) {
          if (f.kind === 'retention') subjects.add(f.category.toLowerCase());
          if (f.kind === 'processor') subjects.add(f.name);
        }
      }
      const templates = [
        'How long do we keep {x}?',
        'hw long r {x} kept',
        'Who processes {x}?',
        'Do we share {x} with anyone?',
        'What does the policy say about {x}?',
        'Is {x} encrypted?',
        'Where is {x} stored?',
        'Can users delete {x}?',
        'Do we sell {x}?',
        'Which email handles {x}?',
        '{x}',
        'What is the legal basis for {x}?',
      ];
      const pool = [...subjects];
      const random = rng(20260301);
      const ids = shared.policies.map((p) => p.id);
      let asked = 0;
      for (let i = 0; i < 400; i++) {
        const x = pool[Math.floor(random() * pool.length)]!;
        const question = templates[Math.floor(random() * templates.length)]!.replace('{x}', x);
        const policy = random() < 0.5 ? ids[Math.floor(random() * ids.length)] : undefined;
        const a = bot.ask(question, policy ? { policy } : {});
        asked++;
        if (a.found) expect(a.citations.length, question).toBeGreaterThan(0);
        for (const c of a.citations) {
          expect(ids, question).toContain(c.policy);
          if (policy) expect(c.policy, question).toBe(policy);
          const texts = shared.policies.find((p) => p.id === c.policy)!.clauses.map((cl) => cl.text);
          expect(
            texts.some((t) => t.includes(c.quote)),
            `${question} -> ${c.policy}: ${c.quote}`,
          ).toBe(true);
        }
      }
      expect(asked).toBe(400);
    });
  },
);
