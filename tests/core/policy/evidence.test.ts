import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PolicyAnswerer } from '../../../src/core/policy/answer.js';
import {
  askedKinds,
  asksForList,
  isYesNo,
  loadAnswerKinds,
  negates,
  questionParts,
  readQuestion,
} from '../../../src/core/policy/evidence.js';
import { loadCorpus } from '../../../src/core/policy/ingest.js';
import { INTENTS_DIR } from '../../../src/core/policy/language.js';
import { answererFor } from '../../../src/core/policy/service.js';
import { answererOver } from '../../helpers/policy-answerer.js';

/**
 * The general answer layer: the sentence holding the kind of answer asked for is chosen, a strict
 * kind the policy does not give means "does not say", verdicts come only from the quote, a list
 * item carries its lead-in, and shorthand the policy spells out is read. One small fictional
 * policy written for these tests.
 */

const VELA = [
  '# Vela Privacy Policy',
  '',
  '## 1. Contact',
  '',
  'Questions about privacy requests, privacy concerns and privacy complaints are always welcome, and our team reads every email about privacy requests.',
  'Send them to privacy@vela.example.',
  '',
  '## 2. Accounts',
  '',
  'When you delete your account we remove your profile and your backups are purged later.',
  '',
  '## 3. Sharing',
  '',
  'We will not:',
  '',
  '- sell or rent your personal data;',
  '- share your data with advertisers.',
  '',
  '## 4. Tracking',
  '',
  'Vela does not respond to Do Not Track HTTP signals sent by browsers.',
  '',
  '## 5. Analytics',
  '',
  'Our analytics provider, Plausible, measures page views.',
  'We do not allow Plausible to set cookies on your device.',
  '',
  '## 6. Young people',
  '',
  'If you are under 16, please do not give us anything about yourself.',
  '',
  '## 7. Logs',
  '',
  'Our web servers record the IP address and browser of every visit.',
  'The retention time for this data is 60 days.',
  '',
  '## 8. Your rights',
  '',
  'You have the right to:',
  '',
  '- access your data;',
  '- correct your data;',
  '- delete your data;',
  '- export your data;',
  '- object to processing.',
  '',
  '## 9. Support',
  '',
  'Support tickets are kept for 2 years after they are closed.',
  '',
  'Call recordings are kept for 90 days.',
  '',
  'Chat transcripts are kept for 1 year.',
  '',
  'Invoices are sent by email within 14 days of each purchase.',
  '',
  '## 12. Accounting',
  '',
  'Invoices are needed for accounting and taxes; we keep them without limit of time.',
  '',
  'Ledger entries for each fare paid are archived for ten years in our accounting system.',
  '',
  '## 11. Organisation',
  '',
  'Vela is a small charity and does not have a dedicated data protection officer; the trustees answer data requests.',
  '',
  'Letters to the trustees go by post to:',
  '',
  'Vela Trustees, 4 Harbour Street, Tallinn, Estonia',
  '',
  '## 10. Servers',
  '',
  'Our servers are hosted by Hetzner in Finland.',
  'Transfers outside the EEA rely on Standard Contractual Clauses.',
].join('\n');

let bot: PolicyAnswerer;

beforeAll(async () => {
  bot = await answererOver('vela.md', VELA);
});

describe('the kind of answer asked for', () => {
  it('answers "which email" with the sentence that holds an address, not the one sharing more words', () => {
    const a = bot.ask('which email for privacy requests?');
    expect(a.found).toBe(true);
    expect(a.answer).toMatch(/privacy@vela\.example/);
  });

  it('says the policy does not say when it speaks of the subject but gives no period', () => {
    const a = bot.ask('exactly how many days after account deletion are backups purged?');
    expect(a.found).toBe(false);
    expect(a.answer).toMatch(/does not say/);
    expect(a.answer).toMatch(/gives no period/);
  });

  it('finds the one sentence that states an age, whatever words it uses', () => {
    const a = bot.ask("min age before vela will take someone's info?");
    expect(a.found).toBe(true);
    expect(a.answer).toMatch(/\b16\b/);
  });
});

describe('what completes an answer', () => {
  it('quotes the next sentence when it holds the period for the data the best one names', () => {
    const a = bot.ask('how long do we keep web server logs with IP addresses?');
    expect(a.found).toBe(true);
    expect(a.answer).toMatch(/60 days/);
  });

  it('answers a strict kind from the sentence that holds it even when the question says more', () => {
    const a = bot.ask(
      'whats the email ppl should use to send privacy requests, complaints and access or deletion asks?',
    );
    expect(a.found).toBe(true);
    expect(a.answer).toMatch(/privacy@vela\.example/);
  });

  it('quotes the whole list when a list question is answered by one of its items', () => {
    const a = bot.ask('list the rights users can exercise');
    for (const right of ['access', 'correct', 'delete', 'export', 'object'])
      expect(a.answer).toMatch(new RegExp(right));
  });

  it('answers both parts of a retention question about two kinds of data', () => {
    const a = bot.ask('retention for support tickets? and for the web server logs?');
    expect(a.answer).toMatch(/2 years/);
    expect(a.answer).toMatch(/60 days/);
  });
});

describe('phrasing, follow-on sentences and periods in a table', () => {
  const LYRA = [
    '# Lyra Privacy Policy',
    '',
    '## Requests',
    '',
    'We answer every request about personal data within 30 days.',
    'In complex cases, we may extend this by a further 30 days.',
    '',
    '## Build assistant',
    '',
    'When you close your account, the build assistant conversations you had with us are hidden from every workspace member straight away.',
    '',
    '## Retention',
    '',
    '| Data | Kept for | After closure |',
    '| --- | --- | --- |',
    '| Assistant conversations | While the account exists | Removed within 45 days |',
    '| Invoices | Seven years | Kept for tax |',
    '| Latest sign-in IP address | 12 months | Deleted |',
    '',
    '## Our commitments',
    '',
    'We will make a good faith effort to:',
    '',
    '- retain server logs containing the IP address of every request for no more than 90 days;',
    '- answer every question about them.',
    '',
    '## Partners',
    '',
    'We pass workspace data to these partners:',
    '',
    '- payment processors that bill your workspace;',
    '- cloud hosts that run the workspace servers;',
    '- auditors who check our workspace accounts.',
    '',
    '## Age',
    '',
    'You must be at least 18 years old to open a Lyra workspace.',
    '',
    '## Selling',
    '',
    'We never sell or rent personal information in the conventional sense.',
    '',
    '## Shops',
    '',
    // Many passages, so that a word no passage uses weighs as much as it would in a real corpus,
    // and "sell" is a common word of it.
    ...Array.from({ length: 400 }, (_, i) =>
      i % 4 === 0
        ? `Shop ${i + 1} may sell or rent garden tools on weekdays.\n`
        : i % 4 === 1
          ? `Office ${i + 1} keeps its visitor logs on a local server.\n`
          : `Office ${i + 1} opens at ${8 + (i % 3)} in the morning on weekdays.\n`,
    ),
  ].join('\n');
  let lyra: PolicyAnswerer;
  beforeAll(async () => {
    lyra = await answererOver('lyra.md', LYRA);
  });

  it('quotes the next sentence when it refers back to the chosen one ("In complex cases, we may extend this")', () => {
    const a = lyra.ask('how fast do we answer requests about personal data?');
    expect(a.found).toBe(true);
    expect(a.answer).toContain('within 30 days');
    expect(a.answer).toContain('In complex cases, we may extend this');
  });

  it('counts a word no policy and no intent uses ("punters") as phrasing, not as the subject', () => {
    const a = lyra.ask("do we sell or rent punters' personal info?");
    expect(a.found).toBe(true);
    expect(a.answer).toContain('We never sell or rent personal information');
  });

  it('still says "does not say" when most of the question is words the policy never uses', () => {
    const a = lyra.ask('does lyra run a bug bounty for outside researchers?');
    expect(a.found).toBe(false);
  });

  it('answers a postal-address question with the lines a sentence ending in a colon introduces', async () => {
    const wren = await answererOver(
      'wren.html',
      [
        '<html><body><h1>Wren Privacy Notice</h1>',
        '<h2>Your rights</h2>',
        '<p>You can email our Data Protection Officer at dpo@wren.example, or write to them by mail at:</p>',
        '<p>Harbourside Legal SRL<br/>Rue Haute 12<br/>1000 Brussels<br/>Belgium</p>',
        '</body></html>',
      ].join('\n'),
    );
    const a = wren.ask("what's the DPO's postal address?");
    expect(a.found).toBe(true);
    expect(a.answer).toContain('Rue Haute 12');
  });

  it('quotes the whole list for "what <plural>" ("what partners get workspace data?")', () => {
    const a = lyra.ask('what partners get workspace data?');
    expect(a.found).toBe(true);
    for (const partner of ['payment processors', 'cloud hosts', 'auditors'])
      expect(a.answer).toContain(partner);
  });

  it('reads a number in an age question as the value checked, answering with the age the policy sets', () => {
    const a = lyra.ask('can 14, 15, 16 or 17 yr olds open a workspace? we have apprentices');
    expect(a.found).toBe(true);
    expect(a.answer).toContain('at least 18 years old');
  });

  it('takes a sentence that says more of what was asked over a retention row naming part of it', () => {
    const a = lyra.ask('how long do we keep server logs with IP addresses?');
    expect(a.found).toBe(true);
    expect(a.answer).toContain('90 days');
  });

  it('gives no verdict from words spread over sentences about different things', async () => {
    const tern = await answererOver(
      'tern.md',
      [
        '# Tern Privacy Notice',
        '',
        '## How we process and store your data',
        '',
        'We maintain our systems to make sure that your data is processed and stored safely.',
        '',
        'None of the information that you share with us will be shared outside the Tern design team.',
        '',
        'All data is processed in the European Economic Area (EEA).',
      ].join('\n'),
    );
    // "outside" is said of the design team, "processed" of the EEA: no one sentence says both.
    const a = tern.ask('is design data processed outside the EEA?');
    expect(a.answer).toContain('processed in the European Economic Area');
    expect(a.answer).not.toMatch(/^(Yes|No)\b/);
  });

  it('reads "..., and what is it?" as no second question: the first is answered as a question of its own', () => {
    const a = lyra.ask('whats the strictest minimum age, and what is it?');
    expect(a.found).toBe(true);
    expect(a.answer).toContain('at least 18 years old');
  });

  it('answers with the table row holding the period on the subject, not every period of the policy', () => {
    const a = lyra.ask(
      'once an account is closed, how soon are the build assistant conversations gone for members?',
    );
    expect(a.found).toBe(true);
    expect(a.answer).toContain('Removed within 45 days');
    expect(a.answer).not.toContain('Invoices');
  });
});

describe('a quote appears once', () => {
  it('quotes a sentence once when it is both chosen and the lead-in of the list item chosen with it', async () => {
    const dunlin = await answererOver(
      'dunlin.txt',
      [
        'Dunlin Privacy Policy',
        'Cookies',
        'We keep cookie use to the minimum needed to run the service, and we do not use advertising or analytics cookies.',
        '- This website (dunlin.example marketing pages) sets no cookies.',
        '- The application uses only a session cookie.',
        'Contact',
        'Write to privacy@dunlin.example.',
      ].join('\n'),
    );
    const a = dunlin.ask('does dunlin run analytics cookies on the marketing pages?');
    expect(a.answer).toContain('sets no cookies');
    expect(a.answer.split('We keep cookie use to the minimum').length - 1).toBe(1);
  });
});

describe('the words that only frame a question', () => {
  it('reads "list of ..." as asking for the list, not about lists', async () => {
    const examples = answererFor(
      await loadCorpus(fileURLToPath(new URL('../../../examples/policies/', import.meta.url))),
    );
    const a = examples.ask('list of northwind processors');
    expect(a.found).toBe(true);
    for (const name of ['Google Cloud Platform', 'Zendesk', 'Cloudflare']) expect(a.answer).toContain(name);
  });
});

describe('verdicts only from the quote', () => {
  it('reads a list item with its lead-in: "We will not: sell..." is a No', () => {
    const a = bot.ask('do we sell user data?');
    expect(a.found).toBe(true);
    expect(a.answer).toMatch(/^No\./);
    expect(a.answer).toMatch(/We will not:/);
    expect(a.answer).toMatch(/sell or rent/);
  });

  it('gives no Yes when the quoted sentences disagree or negate what was asked', () => {
    const a = bot.ask('do we let Plausible set cookies?');
    expect(a.found).toBe(true);
    expect(a.answer).toMatch(/do not allow Plausible to set cookies/);
    expect(a.answer).not.toMatch(/^Yes/);
  });
});

describe('reading the question', () => {
  it('reads an unlimited retention ("without limit of time") as the period asked for', () => {
    const a = bot.ask('whats the retention for invoices?', { policy: 'vela' });
    expect(a.found).toBe(true);
    expect(a.answer).toContain('without limit of time');
  });

  it('answers a retention question from a sentence that holds a period but none of the retention words', () => {
    const a = bot.ask('how long are ledger entries around?', { policy: 'vela' });
    expect(a.found).toBe(true);
    expect(a.answer).toContain('archived for ten years');
  });

  it('reads a part of the policy\'s own name ("quaymark" for QuaymarkHQ) as naming the policy, not the subject', async () => {
    const quaymark = await answererOver(
      'quaymarkhq.md',
      [
        '# QuaymarkHQ Privacy Policy',
        '',
        'The controller for the data described here is the business operating QuaymarkHQ (Quaymark Harbour Ltd).',
        '',
        '## What we collect',
        '',
        'We collect your name and email address when you sign up.',
        '',
        'We collect the harbour berths you book and the vessels you register.',
        '',
        'We collect payment details through our payment provider.',
        '',
        'We collect support messages you send us.',
        '',
        'We collect device and browser details when you use the web app.',
        '',
        '## Retention',
        '',
        'Account data: for as long as your subscription is active and up to 30 days after, then permanently deleted.',
        '',
        'Technical logs: up to 90 days.',
        '',
        'Demo requests: up to 12 months from the last contact.',
      ].join('\n'),
    );
    const a = quaymark.ask('customer cancels - when is their quaymark account gone?');
    expect(a.found).toBe(true);
    expect(a.answer).toContain('up to 30 days after');
  });

  it('quotes what a sentence ending in a colon introduces, when it is a paragraph ("by post to:" and the address)', () => {
    const a = bot.ask('how do people send letters to the trustees by post?', { policy: 'vela' });
    expect(a.found).toBe(true);
    expect(a.answer).toContain('4 Harbour Street, Tallinn');
  });

  it('gives no verdict when a word the question turns on is one the policy never uses', () => {
    // Vela says nothing of fees: quoting its rights is no "Yes" to charging for them.
    const a = bot.ask('can users request access to their data for a fee?', { policy: 'vela' });
    expect(a.answer).not.toMatch(/^(Yes|No)\b/);
  });

  it('reads a negation of a term the policy writes as several words ("data protection officer" for "DPO")', () => {
    const a = bot.ask('does Vela have a DPO?', { policy: 'vela' });
    expect(a.found).toBe(true);
    expect(a.answer).toMatch(/^No\b/);
    expect(a.answer).toContain('does not have a dedicated data protection officer');
  });

  it('reads shorthand the policy spells out ("DNT" for its "Do Not Track")', () => {
    const a = bot.ask('do we honour DNT?');
    expect(a.found).toBe(true);
    expect(a.answer).toMatch(/Do Not Track/);
    expect(a.answer).toMatch(/^No\./);
  });

  it('answers each part of a question about two things when the first is answered from facts', () => {
    const a = bot.ask('what rights do users have? and where are the servers hosted?');
    expect(a.answer).toContain('export your data');
    expect(a.answer).toContain('Hetzner in Finland');
  });

  it('answers each part of a question about two things', () => {
    const a = bot.ask('where are the servers hosted and what do transfers rely on?');
    expect(a.found).toBe(true);
    expect(a.answer).toMatch(/Hetzner in Finland/);
    expect(a.answer).toMatch(/Standard Contractual Clauses/);
  });

  it('splits parts at a question mark, "and" or "+" before a question word', () => {
    expect(questionParts('can users complain? and is data used for training?')).toEqual([
      'can users complain',
      'and is data used for training?',
    ]);
    expect(questionParts('who is the DPO + what is their email')).toEqual([
      'who is the DPO',
      'what is their email',
    ]);
    expect(questionParts('do we sell or share data?')).toEqual(['do we sell or share data?']);
  });

  it('reads a statement after a question, and the lead-in to a reported question, as context only', () => {
    expect(readQuestion('can 16/17 yr olds use it? we have apprentices')).toEqual({
      parts: ['can 16/17 yr olds use it'],
      context: 'we have apprentices',
      scene: '',
    });
    expect(
      readQuestion('Customer in Germany on the phone wants to know where we keep their data').parts,
    ).toEqual(['where we keep their data']);
    // A second question after the first stays a part of its own.
    expect(readQuestion('who is the DPO? and what is their email?').parts).toHaveLength(2);
  });

  it('reads the scene set before a dash, colon or comma apart from the question, but not a condition', () => {
    expect(readQuestion('teen intern (17) wants a login - is there an age min?')).toMatchObject({
      parts: ['is there an age min?'],
      scene: 'teen intern (17) wants a login',
    });
    expect(readQuestion('security review q: do we keep passwords in plain text?').parts).toEqual([
      'do we keep passwords in plain text?',
    ]);
    expect(readQuestion('customer emailed asking us to wipe their data, where do i send them?').scene).toBe(
      'customer emailed asking us to wipe their data',
    );
    // A condition is part of what is asked; a question before a comma is a question.
    expect(readQuestion('if someone closes their account, how soon is it deleted?').parts).toEqual([
      'if someone closes their account, how soon is it deleted?',
    ]);
    expect(readQuestion('do we sell data, do we share it?').scene).toBe('');
  });

  it('reads a need stated after a question ("need an email") as asking for it, but not a purpose ("want to escalate")', () => {
    expect(readQuestion('do they have a DPO? need an email').parts).toEqual([
      'do they have a DPO',
      'what is email',
    ]);
    expect(readQuestion('who is the DPO? want to escalate')).toMatchObject({
      parts: ['who is the DPO'],
      context: 'want to escalate',
    });
    const a = bot.ask('who answers data requests at vela? need an email');
    expect(a.answer).toMatch(/privacy@vela\.example/);
  });

  it('reads "no longer than is necessary" as a period, open-ended as it is', async () => {
    const owl = await answererOver(
      'owl.md',
      [
        '# Owl Privacy Policy',
        '',
        '## How long we keep your personal information',
        '',
        'We will keep your personal information for no longer than is necessary for the purposes for which it is processed.',
        '',
        '## Complaints',
        '',
        'We will acknowledge any complaint and provide a written response within 30 days of receipt of your complaint.',
      ].join('\n'),
    );
    const a = owl.ask("what's the retention period for personal info");
    expect(a.found).toBe(true);
    expect(a.answer).toMatch(/^“We will keep your personal information for no longer than is necessary/);
  });

  it('reads an address spelled out against spam ("webmaster at example dot com") as an e-mail address', async () => {
    const kite = await answererOver(
      'kite.md',
      [
        '# Kite Games Privacy Policy',
        '',
        '## Your rights',
        '',
        'To exercise any of your rights, contact Kite Games by sending an email to webmaster at kitegames dot com.',
        '',
        '## Lobby',
        '',
        'The lobby stores your user name and your IP address while you are online.',
      ].join('\n'),
    );
    const a = kite.ask('what email do people use to exercise their rights?');
    expect(a.found).toBe(true);
    expect(a.answer).toMatch(/webmaster at kitegames dot com/);
  });

  it('reads the policy\'s name written as one word ("openhumans") as its name, not as what is asked', async () => {
    const open = await answererOver(
      'open-kites.md',
      [
        '# Open Kites Privacy Policy',
        '',
        '## Cookies',
        '',
        'When you log in, Open Kites places a cookie to keep your session.',
      ].join('\n'),
    );
    const a = open.ask('what cookies does openkites set?');
    expect(a.found).toBe(true);
    expect(a.answer).toMatch(/places a cookie/);
  });

  it('answers "how many days" only with a number of days on the subject asked about, where periods are everywhere', async () => {
    const wren = await answererOver(
      'wren.md',
      [
        '# Wren Privacy Policy',
        '',
        '## Changes',
        '',
        'If we change this policy, we will give you at least 30 days notice by email to your account address.',
        '',
        '## Cookies',
        '',
        'Session cookies last until you close your browser. Preference cookies expire after 12 months.',
        '',
        '## Support',
        '',
        'Support tickets are kept for 2 years after they are closed.',
        '',
        '## Closing your account',
        '',
        'When you delete your account, we remove your personal data from our systems.',
        '',
        '## Invoices',
        '',
        'Invoices are kept for 10 years. Payment card tokens are kept until the card expires.',
        '',
        '## Logs',
        '',
        'Server logs are kept for 90 days.',
        '',
        '## Backups',
        '',
        'Backups are overwritten every 35 days.',
      ].join('\n'),
    );
    // A period on another subject ("30 days notice" of changes) is no answer to "how many days
    // after deletion...", nor is a period without a number ("until the card expires").
    const purge = wren.ask('exactly how many days after someone deletes their account is their data purged?');
    expect(purge.found).toBe(false);
    const tokens = wren.ask('how many days do we keep payment card tokens?');
    expect(tokens.found).toBe(false);
    const tickets = wren.ask('how many years do we keep support tickets?');
    expect(tickets.found).toBe(true);
    expect(tickets.answer).toMatch(/2 years/);
  });

  it('answers a question asking for an e-mail address from a contact fact only when the fact holds one', async () => {
    const heron = await answererOver(
      'heron.md',
      [
        '# Heron Privacy Notice',
        '',
        '## Who we are',
        '',
        'Heron is a service that lets councils send letters and text messages to residents.',
        '',
        '## Questions and complaints',
        '',
        'If you have a complaint, you can also contact the Information Commissioner’s Office (ICO).',
        '',
        'The ICO is an independent regulator set up to uphold information rights.',
        '',
        'You can also contact the Data Protection Officer.',
        'dpo@heron.example',
        '',
        '## Children',
        '',
        'Heron is not meant for children and we do not knowingly collect their data.',
      ].join('\n'),
    );
    const email = heron.ask("user wants to escalate a heron data complaint to the DPO - what's the email?");
    expect(email.found).toBe(true);
    expect(email.answer).toMatch(/dpo@heron\.example/);
    // A complaint authority named still answers where to go, with no address asked for.
    const where = heron.ask('a user wants to complain to a regulator - where do they go?');
    expect(where.answer).toMatch(/Information Commissioner/);
    // "any children clause?" asks whether there is one: "any" and "clause" are how it asks.
    const kids = heron.ask('whats the minimum age to use heron? any children clause?');
    expect(kids.answer).toMatch(/not meant for children/);
  });

  it('says the policy does not say which country when it names none', async () => {
    const text = (where: string) =>
      [
        '# Finch Privacy Policy',
        '',
        '## Hosting',
        '',
        `Cloud and hosting partners store your data ${where}.`,
        '',
        '## Complaints',
        '',
        'If you are in the EEA or UK, you may also contact your local data protection authority.',
      ].join('\n');
    const none = await answererOver('finch.md', text('under contractual controls'));
    expect(none.ask('which country is finch hosted in? customer needs a data residency answer').found).toBe(
      false,
    );
    const named = await answererOver('finch.md', text('in data centres in Ireland'));
    const a = named.ask('which country is finch hosted in? customer needs a data residency answer');
    expect(a.found).toBe(true);
    expect(a.answer).toMatch(/Ireland/);
  });

  it('reads "any of these rights" with the list of rights before it', async () => {
    const lark = await answererOver(
      'lark.md',
      [
        '# Lark Privacy Policy',
        '',
        '## Your rights',
        '',
        'Depending on where you live, you may have the following rights:',
        '',
        '- Access: request a copy of the personal data we hold about you',
        '- Correction: request correction of inaccurate personal data',
        '- Deletion: request deletion of your personal data',
        '',
        'To exercise any of these rights, contact us at rights@lark.example. We will respond within 30 days.',
        '',
        '## Security',
        '',
        'Access to production systems is restricted to authorised staff. All access is logged.',
        '',
        '## Support',
        '',
        'For help with your account, write to help@lark.example.',
      ].join('\n'),
    );
    const a = lark.ask('where do i send a data access request and how long till they reply');
    expect(a.found).toBe(true);
    expect(a.answer).toMatch(/rights@lark\.example/);
    expect(a.answer).toMatch(/30 days/);
  });

  it('gives one "Yes" or "No" to a two-part question only when both parts get it, and reads "they" in a part as what the part before named', async () => {
    const tern = await answererOver(
      'tern.md',
      [
        '# Tern Privacy Policy',
        '',
        '## Service providers',
        '',
        'We may employ third-party companies to run the Service on our behalf.',
        'These third parties have access to your Personal Information so they can perform the tasks assigned to them.',
        'However, they are obligated not to disclose or use the information for any other purpose.',
        '',
        '## Links',
        '',
        'Our Service may contain links to other sites that we do not operate.',
        '',
        '## Logs',
        '',
        'Log data may include your IP address, device name and other statistics.',
      ].join('\n'),
    );
    const two = tern.ask(
      'do the third party service providers get access to personal info, and are they allowed to use it for other stuff?',
    );
    expect(two.found).toBe(true);
    expect(two.answer).not.toMatch(/^(Yes|No)\b/);
    expect(two.answer).toMatch(/obligated not to disclose or use the information for any other purpose/);
    const one = tern.ask('do third party service providers have access to personal information?');
    expect(one.answer).toMatch(/^Yes\. /);
  });

  it('reads words in brackets as an aside to what is asked', async () => {
    expect(readQuestion('how long do we keep security logs (IPs, auth events etc)?')).toMatchObject({
      parts: ['how long do we keep security logs ?'],
      scene: 'IPs, auth events etc',
    });
    const table = await answererOver(
      'tern.md',
      [
        '# Tern Privacy Policy',
        '',
        '## Retention',
        '',
        '| Data | Kept for |',
        '| --- | --- |',
        '| Security logs | 90 days |',
        '| Invoices | 7 years |',
        '| Account data | While the account exists |',
      ].join('\n'),
    );
    const a = table.ask('how long do we hang on to security logs (IPs, auth events etc)?');
    expect(a.found).toBe(true);
    // The row is matched on what is asked (its category and period), not the aside's words.
    expect(a.answer).toMatch(/^Security logs: 90 days\b/);
  });

  it('answers from the question after a scene, with the scene only helping to find the passage', () => {
    // "starter" is a word the policy never uses: in the scene it does not count against the answer.
    const age = bot.ask('new starter (15) wants an account - is there a minimum age?');
    expect(age.found).toBe(true);
    expect(age.answer).toMatch(/under 16/);
    // The verdict is read from the question, not hidden behind the scene.
    const sell = bot.ask('journalist on the line: do we sell personal data?');
    expect(sell.answer).toMatch(/^No\b/);
    // The scene's words still choose the passage: "email ... send them" is about privacy requests.
    const where = bot.ask('user wrote in with a privacy complaint, where do i send them?');
    expect(where.answer).toMatch(/privacy@vela\.example/);
  });

  it('answers a part asking for two kinds ("the email + postal address") with a sentence for each', async () => {
    const wren = await answererOver(
      'wren.md',
      [
        '# Wren Privacy Policy',
        '',
        '## Contact us',
        '',
        'Wren is responsible for the processing of your personal information. If you have any questions, concerns, or requests regarding this Privacy Policy or your personal data, please contact us:',
        '',
        '- Email: privacy@wren.example',
        '- Postal Mail: Wren Ltd, Privacy Inquiry, 12 Mill Road, Leeds LS1 4AB, United Kingdom',
        '',
        'If you contact us with a privacy concern, we will do our best to address it promptly.',
        '',
        '## What we collect',
        '',
        'Contact Details: name, email address, postal address, phone number, or other basic contact information.',
        '',
        'You can also let us know if you prefer not to receive other forms of communication, like postal mail or phone calls.',
      ].join('\n'),
    );
    const a = wren.ask('whats the privacy contact email + postal address for Wren? need both for a letter');
    expect(a.answer).toMatch(/privacy@wren\.example/);
    expect(a.answer).toMatch(/12 Mill Road/);
  });

  it('takes the intent from what is asked, not from a remark after it', () => {
    const a = bot.ask('which email for privacy requests? a sub-processor form from a vendor is asking');
    expect(a.found).toBe(true);
    expect(a.answer).toMatch(/privacy@vela\.example/);
  });

  it('reads a sentence that says "this data" with what it refers to, across a list and its lead-in', async () => {
    const logs = await answererOver(
      'orla.md',
      [
        '# Orla Privacy Policy',
        '',
        '## Visiting our website',
        '',
        'When you visit our website, the browser automatically sends the following to our web server:',
        '',
        '- the IP address of the requesting computer;',
        '- the browser used and the operating system.',
        '',
        'The data mentioned are processed for the following purposes:',
        '',
        '- keeping the website available;',
        '- security and stability.',
        '',
        'The retention time for this data is 45 days.',
        '',
        '## Newsletter',
        '',
        'Newsletter subscriptions are kept until you unsubscribe, for up to 3 years.',
      ].join('\n'),
    );
    const a = logs.ask('how long do we keep the IP addresses our web server gets?');
    expect(a.found).toBe(true);
    expect(a.answer).toMatch(/45 days/);
  });

  it('reads a part opened by "any" as asking whether there is one', () => {
    expect(readQuestion('min age? any kids policy?').parts).toEqual(['min age', 'is there kids policy?']);
    expect(readQuestion('anything on cookies?').parts).toEqual(['is there cookies?']);
    expect(readQuestion('do we share any data with advertisers?').parts).toEqual([
      'do we share any data with advertisers?',
    ]);
  });

  it('tells yes/no and list questions', () => {
    expect(isYesNo('Do we sell data?')).toBe(true);
    expect(isYesNo('r we allowed to keep logs')).toBe(true);
    expect(isYesNo('How long do we keep logs?')).toBe(false);
    expect(asksForList('Which cookies are required?')).toBe(true);
    expect(asksForList('How long do we keep logs?')).toBe(false);
    for (const q of [
      'what rights do EU users have?',
      'what security measures does it have in place?',
      'rights for EU users? list pls',
    ])
      expect(asksForList(q), q).toBe(true);
    for (const q of [
      'what happens to my data when I leave?',
      'what does the policy say about logs?',
      'how do I get off the mailing list?',
      'what address do we use?',
    ])
      expect(asksForList(q), q).toBe(false);
  });

  it('reads a negation only where it governs a word of the question', () => {
    const sell = (w: string) => w.startsWith('sell');
    expect(negates('We do not sell your data.', sell)).toBe(true);
    expect(negates('We sell nothing to brokers, but we never email you.', sell)).toBe(false);
    expect(negates('We never email you.', sell)).toBeNull();
    expect(negates('Cookie: prefs; Required: No', (w) => w === 'required')).toBe(true);
    // "works without analytics cookies" says the app works; it negates nothing that was asked.
    expect(negates('The app still works without analytics cookies.', (w) => w === 'analytics')).toBe(false);
  });

  it("reads a main clause's negation over the whole clause, and only that clause", () => {
    const automated = (w: string) => w.startsWith('automat');
    // The asked word is far from the "not" that governs it.
    expect(
      negates(
        'We do not use your personal information to make an automated decision or for profiling.',
        automated,
      ),
    ).toBe(true);
    expect(
      negates('We never pass data collected in the app on to be used for automated scoring.', automated),
    ).toBe(true);
    // A new clause ("but", "unless", a semicolon, "and we") ends its reach.
    expect(negates('We do not sell your data, but we use automated checks on it.', automated)).toBe(false);
    expect(negates('We do not sell data; we use automated checks.', automated)).toBe(false);
    expect(negates('We will not contact you unless automated checks fail.', automated)).toBe(false);
    expect(negates('We do not keep names and we run automated checks.', automated)).toBe(false);
    // "not only" affirms; a negation in a clause opened by "who" or "if" is that clause's.
    expect(negates('We do not only read logs; automated tools read them too.', automated)).toBe(false);
    expect(
      negates('If you do not agree, stop using it and we delete data by automated means.', automated),
    ).toBe(false);
    // A list item read with its lead-in stays negated ("We will not: sell...").
    expect(negates('We will not: run automated profiling', automated)).toBe(true);
  });

  it('reads no verdict from a denied promise ("we cannot guarantee that...")', () => {
    const eea = (w: string) => w === 'eea';
    expect(
      negates("We can't guarantee that emails sent from this service will be routed within the EEA.", eea),
    ).toBeNull();
    expect(negates('We cannot ensure your data stays in the EEA.', eea)).toBeNull();
    // Another clause's negation still counts.
    expect(negates('We cannot guarantee uptime; we do not move data outside the EEA.', eea)).toBe(true);
  });

  it('denies the promise itself when the promise is what was asked ("do we guarantee security?")', () => {
    const guarantee = (w: string) => w === 'guarantee' || w === 'security';
    expect(
      negates(
        'No method of storage is 100% secure, and we cannot guarantee its absolute security.',
        guarantee,
      ),
    ).toBe(true);
    expect(negates('We guarantee the security of your data.', guarantee)).toBe(false);
  });
});

describe('what a sentence must hold to give a kind of answer (intents/answer-kinds.yaml)', () => {
  const kinds = loadAnswerKinds(`${INTENTS_DIR}answer-kinds.yaml`);
  const holds = (id: string, sentence: string) => kinds.find((k) => k.id === id)!.holds.test(sentence);

  it('reads a period given as a state without end ("for permanent preservation") as a period', () => {
    for (const s of [
      'We receive judgments from the courts for permanent preservation and publication.',
      'Minutes of meetings are kept permanently.',
      'Videos are kept indefinitely.',
    ])
      expect(holds('duration', s), s).toBe(true);
    expect(holds('duration', 'We publish the judgments of the courts.')).toBe(false);
  });

  it('reads an age where a number of years follows the words that state one, not a legal reference', () => {
    for (const s of [
      'If you are under 16, please do not give us anything about yourself.',
      'You must be at least 13 years old to use the app.',
      'We do not knowingly collect data from children under the age of thirteen.',
      'Users aged 13 to 15 need a parent to consent.',
      'The service is for people who are 18+.',
      'You must be 16 or older, or 13 years of age with a parent.',
    ])
      expect(holds('age', s), s).toBe(true);
    for (const s of [
      'We process personal data under Article 6 GDPR on the following legal bases.',
      'You may ask under section 8 of the Act for a copy.',
      'We will email you at least 30 days before any material change.',
      'Invoices: 10 years from the end of the year.',
      'Support conversations: 3 years after the conversation is closed.',
    ])
      expect(holds('age', s), s).toBe(false);
  });

  it('reads a phone number asked for, not a call mentioned ("a customer on the phone asks...")', () => {
    const asked = (q: string) => askedKinds(q, kinds).map((k) => k.id);
    expect(asked("what's the phone number for privacy questions?")).toContain('phone');
    expect(asked('can people call us about their data?')).toContain('phone');
    expect(asked('customer on the phone asking how to delete their data')).not.toContain('phone');
  });

  it('reads "how much notice before changes take effect" as asking for a period, "when does it take effect" for a date', () => {
    const asked = (q: string) => askedKinds(q, kinds).map((k) => k.id);
    expect(asked('how much notice do we give before policy changes take effect?')).toEqual(['duration']);
    expect(asked('when does the new policy take effect?')).toContain('date');
  });

  it('reads "how many days" and "exactly how long" as asking for a number, and holds only a number of days, weeks, months or years', () => {
    const asked = (q: string) => askedKinds(q, kinds).map((k) => k.id);
    expect(asked('how many days do we keep logs?')).toEqual(['count']);
    expect(asked('exactly how long are backups kept?')).toEqual(['count']);
    expect(asked('how long are backups kept?')).toEqual(['duration']);
    expect(holds('count', 'Logs are kept for 90 days.')).toBe(true);
    expect(holds('count', 'Invoices are kept for ten years.')).toBe(true);
    expect(holds('count', 'Cookies last until they expire.')).toBe(false);
    expect(holds('count', 'We keep it for as long as your account is open.')).toBe(false);
  });

  it('reads "which country" and "data residency" as asking for a named country or region, which "other countries" is not', () => {
    const asked = (q: string) => askedKinds(q, kinds).map((k) => k.id);
    expect(asked('which country are the servers in?')).toContain('country');
    expect(asked('customer needs a data residency answer')).toContain('country');
    expect(asked('where do we send complaints?')).not.toContain('country');
    expect(holds('country', 'Our servers are in Frankfurt, Germany.')).toBe(true);
    expect(holds('country', 'We host in AWS eu-central-1.')).toBe(true);
    expect(holds('country', 'Data is stored in Côte d’Ivoire and Trinidad and Tobago.')).toBe(true);
    expect(holds('country', 'Your data may be processed in countries other than your own.')).toBe(false);
    expect(holds('country', 'Cloud and hosting partners may process data under contractual controls.')).toBe(
      false,
    );
  });

  it('reads an age asked for in "16 yr olds" and "can teens sign up"', () => {
    const asked = (q: string) => askedKinds(q, kinds).map((k) => k.id);
    expect(asked('can 16/17 yr olds use the app?')).toContain('age');
    expect(asked('can teenagers sign up?')).toContain('age');
    expect(asked('is 16 old enough?')).toContain('age');
  });

  it('reads "where do people send..." and "who do I ping..." as asking for a way to reach someone', () => {
    const asked = (q: string) => askedKinds(q, kinds).map((k) => k.id);
    expect(asked('where do attendees send privacy requests?')).toContain('contact');
    expect(asked('who do i ping about a security issue?')).toContain('contact');
    expect(asked('where is the data stored?')).not.toContain('contact');
    expect(holds('contact', 'Send requests to privacy@vela.example.')).toBe(true);
    expect(holds('contact', 'Use our Data Subject Access Request Portal.')).toBe(true);
    expect(holds('contact', 'We keep requests for two years.')).toBe(false);
  });

  it('reads "US" as a place and "us" as no place', () => {
    expect(holds('place', 'Data is stored in the US and the EU.')).toBe(true);
    expect(holds('place', 'Data is stored in Germany.')).toBe(true);
    expect(holds('place', 'Contact us if you have questions.')).toBe(false);
  });

  it('tells a question asking for a postal address from one asking for an email address', () => {
    const asked = (q: string) => askedKinds(q, kinds).map((k) => k.id);
    expect(asked("what's our postal address for privacy stuff?")).toContain('postal');
    expect(asked("what's our postal address for privacy stuff?")).not.toContain('email');
    expect(asked('where do people send letters about their data?')).toContain('postal');
    expect(asked('which address for privacy requests?')).toContain('email');
  });

  it('reads a street address, a post box or a postcode as a postal address, not a bare number', () => {
    for (const s of [
      'Vela Trustees, 4 Harbour Street, Tallinn, Estonia',
      'Postal address: 9700 Gilman Dr PMB 323, La Jolla, CA 92093, USA',
      'Avenue Louise 235',
      '1050 Brussels',
      'PO Box 1234, Dublin',
      'London EC1A 1BB',
    ])
      expect(holds('postal', s), s).toBe(true);
    for (const s of ['We keep invoices for 10 years.', 'Email privacy@vela.example within 30 days.'])
      expect(holds('postal', s), s).toBe(false);
  });

  it('reads an open-ended period as a period', () => {
    for (const s of ['We keep them without limit of time.', 'Posts are kept indefinitely.'])
      expect(holds('duration', s), s).toBe(true);
  });
});

describe('a question offering a choice', () => {
  it('is no yes/no question ("is it a controller or a processor?"), unless the choice is of verbs or "or not"', () => {
    expect(isYesNo('is opsiq a controller or processor for the visitor chats?')).toBe(false);
    expect(isYesNo('is the DPO internal or external?')).toBe(false);
    expect(isYesNo('is data sold or shared with third parties?')).toBe(true);
    expect(isYesNo('are kids under 13 allowed or not?')).toBe(true);
    expect(isYesNo('do we sell data or show ads?')).toBe(true);
  });
});

describe('a reported yes/no question', () => {
  it('is a yes/no part of its own, before or after the question it goes with', () => {
    const after = readQuestion(
      'where physically are the servers? an EU customer wants to know if their site stats ever leave the EU',
    );
    expect(after.parts).toHaveLength(2);
    expect(isYesNo(after.parts[1]!)).toBe(true);
    expect(after.parts[1]).toContain('site stats ever leave the EU');
    const alone = readQuestion('customer wants to know whether we sell their data');
    expect(alone.parts).toHaveLength(1);
    expect(isYesNo(alone.parts[0]!)).toBe(true);
  });
});
