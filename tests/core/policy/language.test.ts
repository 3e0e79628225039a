import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/core/errors.js';
import { Lexicon, loadLexiconData } from '../../../src/core/policy/language.js';

/** How questions and policy text are read into terms: typos, real words, glued web text. */

const lexicon = () => {
  const l = new Lexicon(loadLexiconData());
  l.learnText('How long are technical logs kept? Children under 13 may not use the service.');
  return l;
};

describe('spelling correction', () => {
  it('corrects a typo to the nearest known word', () => {
    expect(lexicon().terms('how long are technicl logs kepth', true)).toEqual(
      lexicon().terms('how long are technical logs kept'),
    );
  });

  it('leaves a real English word alone even when a known word is one edit away', () => {
    // "kind" is one edit from "kids" (a word of the policy text's vocabulary) but is a word itself.
    const l = lexicon();
    l.learnText('kids kids kids');
    expect(l.terms('what kind of data', true)).toContain('kind');
    expect(l.terms('what kind of data', true)).not.toEqual(l.terms('what kids of data', true));
  });
});

describe('everyday words for what policies write formally', () => {
  it.each([
    ['can server admins read them', 'the operators of the server'],
    ["who can they go to if they're not happy", 'if you are unsatisfied with our response'],
    ['do we get a heads up first', 'we give customers notice'],
    ['how fast do we get back to them', 'we respond within 30 days'],
    ['who do i ping about security', 'contact our security team'],
    ['what about DMs', 'direct messages stay private'],
    ['any PII?', 'personally identifiable information'],
    ['3rd', 'third'],
    ['how long do helpdesk tix stick around', 'support tickets are kept for 2 years'],
    ['where do they send a DSAR', 'for data subject access requests, email us'],
    ['who handles SARs', 'subject access requests are answered by the trustees'],
    ['when is it gone for good', 'it is purged within 60 days'],
    ['can we nuke a whole account', 'you may delete your account at any time'],
  ])('"%s" shares what it asks with "%s"', (question, policy) => {
    const l = lexicon();
    const asked = l.terms(question, true);
    const written = new Set(l.terms(policy));
    expect(
      asked.filter((t) => written.has(t) && !['server', 'secur', 'see', 'can'].includes(t)).length,
    ).toBeGreaterThan(0);
  });
});

describe('chat spelling', () => {
  it('reads shorthand with a possessive ("ppl\'s", "acct\'s") as the words it stands for', () => {
    expect(lexicon().terms("do we sell ppl's data", true)).toEqual(
      lexicon().terms('do we sell people data', true),
    );
    expect(lexicon().terms("the acct's owner", true)).toEqual(lexicon().terms('the account owner', true));
  });

  it('reads a noun naming a party apart from the act it names, and a verb ending in "-er" as its forms', () => {
    const l = lexicon();
    const term = (w: string) => l.terms(w)[0];
    const pairs = (list: [string, string][]) => list;
    for (const [party, act] of pairs([
      ['controller', 'control'],
      ['regulators', 'regulation'],
      ['applicant', 'application'],
      ['providers', 'provide'],
    ]))
      expect(term(party), party).not.toBe(term(act));
    expect(term('controllers')).toBe(term('controller'));
    for (const [a, b] of pairs([
      ['transfer', 'transferred'],
      ['register', 'registered'],
      ['remember', 'remembering'],
    ]))
      expect(term(a), a).toBe(term(b));
  });

  it('reads shorthand in brackets or quotes as it reads it standing alone', () => {
    const l = lexicon();
    // A policy writes "(DBS checks)" and "(DSAR)"; a question writes "DBS checks", "a DSAR".
    expect(l.terms('criminal record (DBS checks)')).toEqual(l.terms('criminal record DBS checks'));
    expect(l.terms('send a request (DSAR).')).toEqual(l.terms('send a request DSAR'));
    expect(l.terms('the "acct" page')).toEqual(l.terms('the account page'));
  });

  it('reads a British and an American spelling of a word as one term, and leaves words with no other spelling alone', () => {
    const l = lexicon();
    const pairs: [string, string][] = [
      ['personalise', 'personalized'],
      ['behaviour', 'behavior'],
      ['centres', 'centers'],
      ['organisation', 'organization'],
      ['analysed', 'analyzed'],
    ];
    for (const [british, us] of pairs) expect(l.terms(british), british).toEqual(l.terms(us));
    // Words that end the same way but have no other spelling keep their own term.
    expect(l.terms('four')).not.toEqual(l.terms('for'));
    expect(l.terms('exercise')).toEqual(['exercis']);
  });

  it('reads "etc" as saying nothing about what is asked', () => {
    expect(lexicon().terms('access logs (ip, browser etc)', true)).toEqual(
      lexicon().terms('access logs (ip, browser)', true),
    );
  });

  it('reads "sales" (trade: "sales tax") apart from the sale of personal data', () => {
    const l = lexicon();
    const sell = l.terms('do we sell data', true).filter((t) => t !== l.termOf('data'));
    expect(l.terms('opting out of the sale of personal information')).toEqual(expect.arrayContaining(sell));
    expect(l.terms('we calculate any sales tax due').some((t) => sell.includes(t))).toBe(false);
  });

  it('reads filler words ("actually", "really", "basically") as saying nothing about what is asked', () => {
    for (const w of ['actually', 'really', 'basically', 'literally', 'honestly'])
      expect(lexicon().terms(`is the data ${w} deleted`, true), w).toEqual(
        lexicon().terms('is the data deleted', true),
      );
  });

  it('reads a question word written without its apostrophe ("whats") as the stopword it is', () => {
    for (const w of ['whats', 'wheres', 'hows'])
      expect(lexicon().terms(`${w} the retention for logs`, true), w).toEqual(
        lexicon().terms('the retention for logs', true),
      );
  });
});

describe('how much a word says about what is asked', () => {
  it('weighs the most common words least and names or technical words fully', () => {
    const w = lexicon().termWeights('do we need to show a cookie consent banner for Stripe or MFA');
    const l = lexicon();
    const of = (word: string) => w.get(l.terms(word)[0]!)!;
    expect(of('need')).toBeLessThan(of('banner'));
    expect(of('show')).toBeLessThan(of('consent'));
    expect(of('stripe')).toBe(1);
    expect(of('mfa')).toBe(1);
  });
});

describe('text glued together by web scraping', () => {
  it('reads a lower-to-upper case join as both words, and a run-together part as its words', () => {
    const terms = lexicon().terms('including includingPersonal InformationandNon-Identifying Information');
    const plain = lexicon().terms('including personal information');
    for (const t of plain) expect(terms).toContain(t);
  });

  it('splits into the longest words and keeps the brand name as written', () => {
    const l = lexicon();
    expect(l.terms('ourVendorson')).toEqual(expect.arrayContaining(l.terms('vendors')));
    const brand = l.terms('Pay with PayPal');
    expect(brand).toEqual(expect.arrayContaining(l.terms('paypal')));
  });

  it('leaves ordinary words and numbers alone', () => {
    expect(lexicon().terms('Groupon keeps logs for 90 days')).toEqual([
      'groupon',
      'keep',
      'log',
      '90',
      'dai',
    ]);
  });
});

describe('the lexicon file', () => {
  it('refuses a word that is in two synonym groups, naming the word and the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'privacy-ops-lexicon-'));
    try {
      const file = join(dir, 'lexicon.yaml');
      writeFileSync(
        file,
        'synonyms:\n  - [information, data, inform]\n  - [notify, notice, informs]\nshorthand: {}\n',
      );
      let error: unknown;
      try {
        loadLexiconData(file);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).message).toContain(file);
      expect((error as AppError).message).toMatch(/"informs"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a person a verb is done by or to', () => {
  it('reads as the verb ("attendee" as "attend"), where the verb is an everyday word', () => {
    const l = lexicon();
    expect(l.termOf('attendee')).toBe(l.termOf('attend'));
    expect(l.termOf('employees')).toBe(l.termOf('employ'));
    expect(l.termOf('employee')).toBe(l.termOf('employ'));
    expect(l.termOf('interviewee')).toBe(l.termOf('interview'));
  });

  it('leaves words that only end like one as they are', () => {
    const l = lexicon();
    for (const w of ['committee', 'guarantee', 'fee', 'coffee', 'free', 'degree'])
      expect(l.termOf(w)).not.toBe(l.termOf(w.slice(0, -2)));
  });
});

describe('everyday ways of putting a question', () => {
  it('reads "site" as "website" and "quick" ("quick list of ...", "quick q") as filler', () => {
    const l = lexicon();
    expect(l.terms('which cookies does the site set?')).toEqual(
      l.terms('which cookies does the website set?'),
    );
    expect(l.terms('quick list of the cookies')).toEqual(l.terms('list of the cookies'));
  });
});

describe('what is required', () => {
  it('reads "need" as "required" ("do people need to give a phone number?")', () => {
    const l = lexicon();
    expect(l.terms('need phone')).toEqual(l.terms('required phone'));
  });
});

describe('a prefix written apart', () => {
  it('is the word it makes where that word is known ("sub processors", "e mail")', () => {
    const l = lexicon();
    expect(l.terms('who are our sub processors')).toEqual(l.terms('who are our sub-processors'));
    expect(l.terms('which e mail address')).toEqual(l.terms('which email address'));
  });

  it('stays apart where the joined word is no word ("re your question")', () => {
    const l = lexicon();
    expect(l.normalise('re your question', false)).toContain('re');
  });
});

describe('a noun made from a verb', () => {
  it('reads as the verb where their stems differ ("revocation" as "revoke", "notifications" as "notify")', () => {
    const l = lexicon();
    for (const [noun, verb] of <[string, string][]>[
      ['revocation', 'revoke'],
      ['notifications', 'notify'],
      ['verification', 'verify'],
      ['retention', 'retain'],
      ['exclusion', 'exclude'],
      ['description', 'describe'],
      ['disclosures', 'disclose'],
      ['denial', 'deny'],
      ['removal', 'remove'],
      ['renewal', 'renew'],
    ])
      expect(l.termOf(noun), noun).toBe(l.termOf(verb));
  });

  it('leaves a noun alone where the verb its ending suggests is no everyday word, or is another verb', () => {
    const l = lexicon();
    // "attention" is "attend", not "attain"; "mission" and "special" have no verb to read.
    expect(l.termOf('attention')).toBe(l.termOf('attend'));
    expect(l.termOf('attention')).not.toBe(l.termOf('attain'));
    expect(l.termOf('mission')).toBe('mission');
    // A policy's "provision" is a clause of it: reading it as "provide" made "providers" a word
    // that says nothing, as "provision" is.
    expect(l.termOf('provision')).not.toBe(l.termOf('provide'));
    expect(l.termOf('commission')).not.toBe(l.termOf('commit'));
    expect(l.termOf('special')).toBe('special');
  });
});
