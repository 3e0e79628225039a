import { beforeAll, describe, expect, it } from 'vitest';
import type { PolicyAnswerer } from '../../../src/core/policy/answer.js';
import { readQuestion } from '../../../src/core/policy/evidence.js';
import { answererOver } from '../../helpers/policy-answerer.js';

/**
 * General rules of the answer layer found on real policies nobody tuned on (issue 12), each on a
 * small fictional policy written for this test: a follow-up that names nothing but the kind of
 * answer it wants, a verdict from a sentence that holds only under a condition.
 */

const TERNWAY = [
  '# Ternway Privacy Notice',
  '',
  '## Does Ternway close dormant accounts?',
  '',
  'If the account still holds published maps, we will not close it regardless of dormancy because the maps stay public. Ternway closes accounts that hold no published maps once they have been dormant for 2 years.',
  '',
  '## Newsletter',
  '',
  'Subscribers may leave the newsletter at any time from the footer of each issue.',
  '',
  '## Support',
  '',
  'Support messages are kept for 6 months after the ticket is closed.',
].join('\n');

let bot: PolicyAnswerer;
beforeAll(async () => {
  bot = await answererOver('ternway.md', TERNWAY);
});

describe('a follow-up that names nothing but the kind of answer it wants', () => {
  it('is a part of its own when it opens with a preposition ("after how long", "to which countries")', () => {
    expect(readQuestion('do we close dormant accounts? after how long').parts).toEqual([
      'do we close dormant accounts',
      'after how long',
    ]);
    expect(readQuestion('is data sent abroad? to which countries').parts).toHaveLength(2);
  });

  it('asks that detail of the yes/no question before it', () => {
    const a = bot.ask('do we auto-close dormant accounts? after how long', { policy: 'ternway' });
    expect(a.found).toBe(true);
    expect(a.answer).toMatch(/2 years/);
    expect(a.answer).not.toMatch(/6 months/);
  });
});

describe('verdicts only from a sentence that says it for the case asked about', () => {
  it('gives no "No" from a negation that holds only under a condition the question does not state', () => {
    const a = bot.ask('do we close dormant accounts?', { policy: 'ternway' });
    expect(a.found).toBe(true);
    expect(a.answer).not.toMatch(/^\W*No\b/);
  });
});

describe('what a sentence refers back to', () => {
  const KESTREL = [
    '# Kestrel Privacy Notice',
    '',
    '## Visits',
    '',
    'When you visit our site, our web server keeps a short record of the visit for statistics. This record contains:',
    '',
    '- the page requested;',
    '- the browser type;',
    '- the IP address, truncated.',
    '',
    'The listed usage data is stored without names. We delete this data after 14 days.',
    '',
    '## Newsletter',
    '',
    'Newsletter sign-ups made on a visit to our site are kept for 2 years.',
  ].join('\n');

  it('goes on past a sentence before it that refers back itself ("The listed usage data ...")', async () => {
    const kestrel = await answererOver('kestrel.md', KESTREL);
    const a = kestrel.ask('how long do we keep the web server visit records?', { policy: 'kestrel' });
    expect(a.found).toBe(true);
    expect(a.answer).toMatch(/14 days/);
    expect(a.answer).not.toMatch(/2 years/);
    // The period's sentence is about the visit record through what it refers back to: it answers
    // with it, not as the tail of the record's list.
    expect(a.answer).not.toMatch(/browser type/);
  });
});

describe('contact blocks', () => {
  const PAGE = [
    '<h1>Privacy at Larkspur Council</h1>',
    '<h2>How to contact us</h2>',
    '<p>The body responsible for your data is Larkspur Council. Contact details are as follows:</p>',
    '<h3>Email</h3>',
    '<p><a href="mailto:info@larkspur.example">info@larkspur.example</a></p>',
    '<h3>Telephone</h3>',
    '<p>01632 960 123</p>',
    '<h3>Post</h3>',
    '<p>Larkspur Council<br>1 Market Street<br>Larkspur LK1 2AB</p>',
    '<p>You can also contact the Data Protection Officer if you have any concerns about how your data is used.</p>',
    '<h3>Email</h3>',
    '<p><a href="mailto:dpo@larkspur.example">dpo@larkspur.example</a></p>',
    '<h3>Post</h3>',
    '<p>Data Protection Officer<br>Larkspur Council<br>1 Market Street<br>Larkspur LK1 2AB</p>',
    '<h2>Other enquiries</h2>',
    '<p>Press enquiries go to press@larkspur.example.</p>',
    '<p>Job applications go to jobs@larkspur.example.</p>',
    '<p>Planning questions go to planning@larkspur.example.</p>',
    '<p>Parking permits are handled by parking@larkspur.example.</p>',
    '<p>Library members can write to library@larkspur.example.</p>',
  ].join('\n');

  it('reads the address under a heading that only names its kind ("Email") as going on from the sentence before it', async () => {
    const larkspur = await answererOver('larkspur.html', PAGE);
    const a = larkspur.ask('which email reaches the DPO?', { policy: 'larkspur' });
    expect(a.found).toBe(true);
    expect(a.answer).toMatch(/dpo@larkspur\.example/);
    expect(a.answer).not.toMatch(/press@|jobs@|planning@/);
  });
});

describe('a strict kind held in a few places', () => {
  const WREN = [
    '# Wren Guild Privacy Policy',
    '',
    '## Membership',
    '',
    'Members sign up with a name and an email address. Membership questions go to members@wren.example.',
    '',
    'Event tickets are sold through our shop; ticket questions go to tickets@wren.example.',
    '',
    'Volunteers coordinate through volunteers@wren.example.',
    '',
    '## Security',
    '',
    'Tell us at security@wren.example if you think your account was used without permission.',
    '',
    '## Marketing',
    '',
    'You may unsubscribe from newsletters at any time or write to news@wren.example.',
    '',
    '## Transfers',
    '',
    'You may obtain details of our transfer safeguards from legal@wren.example.',
    '',
    '## Your rights',
    '',
    'Members in the EEA have these rights under the GDPR:',
    '',
    '- to obtain a copy of their personal information;',
    '- to correct inaccurate personal information;',
    '- to erase their personal information in some circumstances;',
    '- to object to processing.',
    '',
    'You also have the right to lodge a complaint with your local supervisory authority.',
    '',
    'To exercise the above rights, contact us at rights@wren.example.',
    '',
    '## Contact',
    '',
    'General questions about this policy go to hello@wren.example.',
  ].join('\n');

  it('is looked for in all of them, through what a sentence refers to further up ("the above rights")', async () => {
    const wren = await answererOver('wren.md', WREN);
    const a = wren.ask('which email should a member use to send an erasure request?', { policy: 'wren' });
    expect(a.found).toBe(true);
    expect(a.answer).toMatch(/rights@wren\.example/);
    expect(a.answer).not.toMatch(/hello@|members@/);
  });
});

describe('a question asking for a list', () => {
  const PAGE = [
    '<h1>How your data is used</h1>',
    '<p>The Fernhill Trails website is built and run by the Fernhill Trust. We collect the following personal data:</p>',
    '<ul>',
    '<li>cookies when you use the website</li>',
    '<li>an email address if you sign up for trail alerts</li>',
    '<li>a name and phone number if you volunteer as a ranger</li>',
    '</ul>',
    '<h2>Website use</h2>',
    '<p>When you use our website, we collect data called session cookies.</p>',
  ].join('\n');

  it('gets the whole list of an item that answers nearly as well as the chosen sentence', async () => {
    const fernhill = await answererOver('fernhill.html', PAGE);
    const a = fernhill.ask('list of the personal data the website collects?', { policy: 'fernhill' });
    expect(a.found).toBe(true);
    expect(a.answer).toMatch(/cookies when you use the website/);
    expect(a.answer).toMatch(/trail alerts/);
    expect(a.answer).toMatch(/volunteer as a ranger/);
  });
});

describe('a postal address', () => {
  const TEXT = [
    'Kadeway - Privacy Policy',
    '',
    '1. Who we are',
    '',
    'We are Kadeway B.V. located at Logger 7, 1186 RM, Amstelveen, the Netherlands. Kadeway B.V. builds route-planning software for cyclists.',
    '',
    '2. Data we keep',
    '',
    'We keep route history for 12 months. Our registered office also handles billing enquiries.',
    '',
    '3. Our contact details',
    '',
    'Address:',
    'Kadeway Support Desk, Harbour Building',
    'Quay Side, Portree',
    'IV51 9DE',
    '',
    'We answer letters within two weeks.',
  ].join('\n');

  it('is read with a Dutch postcode, and a legal form after a name ("kadeway bv") says nothing', async () => {
    const kadeway = await answererOver('kadeway.txt', TEXT);
    const a = kadeway.ask('whats the registered address for kadeway bv?', { policy: 'kadeway' });
    expect(a.found).toBe(true);
    expect(a.answer).toMatch(/1186 RM, Amstelveen/);
  });

  it('written a line at a time, is quoted whole', async () => {
    const kadeway = await answererOver('kadeway.txt', TEXT);
    const a = kadeway.ask('what postal address do we give for the support desk?', { policy: 'kadeway' });
    expect(a.found).toBe(true);
    expect(a.answer).toMatch(/Harbour Building, Quay Side, Portree, IV51 9DE/);
  });
});

describe('what an answer must say that the question does not', () => {
  const PAGE = [
    '<h1>Privacy notice</h1>',
    '<p>The Harbour Permits service is run by the Harbour Board. The General Data Protection Regulation is an EU regulation with a worldwide reach.</p>',
    '<h2>Where your data is stored</h2>',
    '<p>Permit records are held on servers run by our hosting partner in Iceland.</p>',
    '<h2>Complaints</h2>',
    '<p>You can complain to the regulator at casework@regulator.example.</p>',
    '<h2>Contact us</h2>',
    '<p>For more information please contact the Data Protection Team.</p>',
    '<h3>Email</h3>',
    '<p><a href="mailto:DPO@harbourboard.example">DPO@harbourboard.example</a></p>',
    '<h3>Post</h3>',
    '<p>Data Protection Team, Harbour Board, 1 Quay Street, Oban PA34 4AA</p>',
  ].join('\n');

  it('reads an address\'s mailbox as its words: "DPO@..." is the DPO\'s address', async () => {
    const board = await answererOver('harbour.html', PAGE);
    const a = board.ask('email for the DPO?', { policy: 'harbour' });
    expect(a.found).toBe(true);
    expect(a.answer).toMatch(/DPO@harbourboard\.example/);
    expect(a.answer).not.toMatch(/casework@/);
  });

  it('weighs a passage holding the kind asked for alike, whether retrieval found it or not', async () => {
    const board = await answererOver('harbour.html', PAGE);
    const a = board.ask('email for the DPO / data protection team?', { policy: 'harbour' });
    expect(a.found).toBe(true);
    expect(a.answer).toMatch(/DPO@harbourboard\.example/);
    expect(a.answer).not.toMatch(/casework@/);
  });

  it('takes no country named in the question ("EU") for the country asked for', async () => {
    const gull = await answererOver(
      'gull.html',
      [
        '<h1>Privacy notice</h1>',
        '<p>The Gull Permits service is run by the Gull Board. The General Data Protection Regulation is a complex EU regulation that protects the data of users. Even though it is an EU regulation, it has a worldwide impact.</p>',
        '<h2>Security</h2>',
        '<p>Permit records are kept on our own servers, which are patched every week.</p>',
      ].join('\n'),
    );
    const a = gull.ask('what country are our servers in / do we move data outside the EU?', {
      policy: 'gull',
    });
    expect(a.found).toBe(false);
  });
});

describe('a date', () => {
  it('is asked for by "since when", and a month with its year is one', async () => {
    const finch = await answererOver(
      'finch.md',
      [
        '# Finch Mail privacy policy',
        '',
        '## Logs',
        '',
        'We keep delivery logs for 7 days.',
        '',
        '## 6. Validity of this privacy policy',
        '',
        'This data protection declaration is valid',
        'as of *March 2025*.',
        '',
        'Changes to the service may make it necessary to change this declaration.',
      ].join('\n'),
    );
    const a = finch.ask('since when is the current privacy policy valid?', { policy: 'finch' });
    expect(a.found).toBe(true);
    expect(a.answer).toMatch(/March 2025/);
  });
});

describe('a company asked for by name', () => {
  const text = (hosting: string) =>
    [
      '# Plover Chat privacy policy',
      '',
      '## Hosting',
      '',
      hosting,
      '',
      '## Logs',
      '',
      'Server logs are kept for 7 days.',
    ].join('\n');

  it('is named only by a name ("which company hosts the website?")', async () => {
    const unnamed = await answererOver(
      'plover.md',
      text(
        'This website is hosted by an external service provider (hoster). The personal data collected on this website is stored on the hoster’s servers.',
      ),
    );
    expect(unnamed.ask('which company hosts the website?', { policy: 'plover' }).found).toBe(false);
    const named = await answererOver(
      'plover.md',
      text('- Hetzner Online, for hosting the website in Germany.\n- Postmark, for sending e-mail.'),
    );
    const a = named.ask('which company hosts the website?', { policy: 'plover' });
    expect(a.found).toBe(true);
    expect(a.answer).toMatch(/Hetzner/);
  });
});

describe('a yes/no question naming a kind of answer', () => {
  const TERN = [
    '# Tern Mail privacy policy',
    '',
    '## Account setup',
    '',
    'Creating an account happens in the app, which registers it with a mail server.',
    'No phone numbers, other email addresses, or other identifiable data is currently required.',
    '',
    '## Support',
    '',
    'You can reach support by phone on +44 20 7946 0000 or by email at help@tern.example.',
    '',
    '## Logs',
    '',
    'We keep delivery logs for 7 days.',
  ].join('\n');

  it('asks whether, not which: "do people need to give a phone number?" needs no number in the answer', async () => {
    const tern = await answererOver('tern.md', TERN);
    const a = tern.ask('do ppl need to give a phone number to sign up?', { policy: 'tern' });
    expect(a.found).toBe(true);
    expect(a.answer).toMatch(/No phone numbers/);
  });

  it('still asks for it when it asks whether one exists', async () => {
    const tern = await answererOver('tern.md', TERN);
    const a = tern.ask('is there a phone number for support?', { policy: 'tern' });
    expect(a.answer).toMatch(/\+44 20 7946 0000/);
  });
});

describe('the scene set before a question', () => {
  it('does not decide which sentences may answer what is asked after it', async () => {
    const kestrel = await answererOver(
      'kestrel.md',
      [
        '# Kestrel Privacy Notice',
        '',
        '## Who we share data with',
        '',
        'We share booking data with our payment processor and with the venues you book.',
        '',
        '## Your rights',
        '',
        'You can ask for a copy of the personal data we hold about you.',
        'Kestrel will accept the following forms of ID when your personal data is requested: a passport, a driving licence or a national ID card. One piece of photographic ID and a recent utility bill are required.',
      ].join('\n'),
    );
    const a = kestrel.ask(
      'got an access request for kestrel data - what ID do we need before releasing anything?',
    );
    expect(a.found).toBe(true);
    expect(a.answer).toMatch(/photographic ID/);
  });
});

describe('a line that is nothing but values', () => {
  it('answers for the kind it holds, in a policy that holds the kind in few places, however well a wordier sentence matches', async () => {
    const spinhall = await answererOver(
      'spinhall.txt',
      [
        'Spinhall Gym Privacy Policy',
        '',
        'CAN-SPAM Act',
        'The CAN-SPAM Act is a law that sets the rules for commercial email and gives recipients the right to have emails stopped from being sent to them.',
        'We collect your email address in order to send information and respond to inquiries.',
        '',
        'Contacting Us',
        'If there are any questions regarding this privacy policy you may contact us using the information below.',
        '',
        '12 Mill Lane',
        'Leeds',
        '10007 frontdesk@spinhall.example (319) 551-6116',
      ].join('\n'),
    );
    const a = spinhall.ask('what email do we give for privacy questions');
    expect(a.found).toBe(true);
    expect(a.answer).toContain('frontdesk@spinhall.example');
  });
});

describe("a template's blank left in a published policy", () => {
  it('is no answer: the policy does not say, and the reply names the blank', async () => {
    const larchmere = await answererOver(
      'larchmere.txt',
      [
        'Larchmere Privacy Notice',
        '',
        'Who we are',
        'The data controller for personal data processed through Larchmere is:',
        '[Legal entity name and registered address]',
        '',
        'Contact',
        'For privacy questions, write to privacy@larchmere.example.',
      ].join('\n'),
    );
    const a = larchmere.ask(
      'who is the data controller for larchmere? need the legal entity name and address',
    );
    expect(a.found).toBe(false);
    expect(a.answer).toContain('[Legal entity name and registered address]');
    // A question the policy does answer is answered as before.
    expect(larchmere.ask('what email for privacy questions?').answer).toContain('privacy@larchmere.example');
  });
});

describe('a word of one letter', () => {
  it('names nothing: "a security q" asks about security', async () => {
    const tallis = await answererOver(
      'tallis.md',
      [
        '# Tallis Privacy',
        '',
        '## Contact',
        '',
        'Data subject access requests can also be sent to privacy@tallis.example; we respond within 30 days.',
        '',
        'Security questions: security@tallis.example',
        '',
        '## Questions and answers',
        '',
        'Q: Can I see my data? A: Yes, from your account page.',
      ].join('\n'),
    );
    const a = tallis.ask('where do we send a vuln report / security q for tallis');
    expect(a.found).toBe(true);
    expect(a.answer).toContain('security@tallis.example');
  });
});

describe('the body people complain to', () => {
  it('is found by "regulator" where the policy says "supervisory authority" or "data protection authority", not by a regulation', async () => {
    const brackley = await answererOver(
      'brackley.md',
      [
        '# Brackley Volunteers Privacy Notice',
        '',
        '## Legal requirements',
        '',
        'We share data when required by law, regulation or legal process.',
        '',
        '## Complaints',
        '',
        "You may also make a complaint to the data protection supervisory authority in the UK, the Information Commissioner's Office.",
      ].join('\n'),
    );
    const a = brackley.ask('which regulator would a volunteer go to about their data?');
    expect(a.found).toBe(true);
    expect(a.answer).toContain("Information Commissioner's Office");
    expect(a.answer).not.toContain('legal process');
  });
});

describe('the document named by the question', () => {
  it('is no subject: "under the privacy notice" does not ask about notices of changes', async () => {
    const fernleigh = await answererOver(
      'fernleigh.md',
      [
        '# Fernleigh Privacy Notice',
        '',
        '## Your rights',
        '',
        'You can:',
        '',
        '- Request a copy of the data we have about you',
        '- Request correction of data that is inaccurate',
        '- Have your data deleted',
        '',
        '## Notice of changes',
        '',
        'We give notice by email 30 days before a change to this notice takes effect.',
      ].join('\n'),
    );
    const a = fernleigh.ask('list every right users have under the fernleigh privacy notice');
    expect(a.found).toBe(true);
    expect(a.answer).toMatch(/Request a copy/);
    expect(a.answer).not.toMatch(/30 days/);
  });
});

describe('encryption in transit', () => {
  it('is what a policy says when it names TLS or SSL', async () => {
    const larkspur = await answererOver(
      'larkspur.md',
      [
        '# Larkspur Privacy',
        '',
        '## Mailing lists',
        '',
        'Each list stores your email address and, if you give it, your real name.',
        'Whilst we offer TLS for SMTP, list traffic may be sent or received in plain text if TLS is not usable.',
      ].join('\n'),
    );
    const a = larkspur.ask('is mailing list traffic always encrypted in transit?');
    expect(a.found).toBe(true);
    expect(a.answer).toMatch(/plain text/);
  });
});
