import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { properNameTerms } from '../../../src/core/policy/answer.js';
import { ingestDocument, loadCorpus } from '../../../src/core/policy/ingest.js';
import { englishWords, Lexicon, loadLexiconData } from '../../../src/core/policy/language.js';
import { ownerNames } from '../../../src/core/policy/owner.js';
import { answererFor } from '../../../src/core/policy/service.js';

/** The other names a policy's owner goes by, and questions that use them. */

const english = englishWords();
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder for one test's policies, removed after the file's tests. */
function policyDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'privacy-ops-owner-'));
  dirs.push(dir);
  return dir;
}
const ownersOf = (id: string, text: string) =>
  ownerNames(ingestDocument(id, `${id}.md`, 'markdown', text), (w) => english.has(w));

describe("a policy owner's other names", () => {
  it.each([
    [
      'a definition giving the product name',
      'fernway',
      'At Quillory Labs, Inc. ("Fernway"), we take your privacy seriously.',
      ['Quillory Labs'],
    ],
    [
      'a definition giving pronouns',
      'pebble',
      'We are Pebble Money Limited ("we", "our", "us"), a bank.',
      ['Pebble Money'],
    ],
    [
      'what a list of products is called together',
      'tarn',
      'This policy covers Tarn, Brook and Fell (together, "47knots").',
      ['47knots'],
    ],
    [
      'who provides the service, with its abbreviation',
      'signin',
      'The Signin service is provided by the Bureau of Digital Keys (BDK). Ask the BDK for a copy.',
      ['Bureau of Digital Keys', 'BDK'],
    ],
    [
      '"We are …"',
      'cobble',
      'Hello. We are Cobblestone Research Group. The CRG runs Cobble.',
      ['Cobblestone Research Group', 'CRG'],
    ],
  ])('finds %s', (_what, id, sentence, names) => {
    expect(ownersOf(id, `# ${id[0]!.toUpperCase()}${id.slice(1)} Privacy Policy\n\n${sentence}\n`)).toEqual(
      names,
    );
  });

  it.each([
    ['a processor defined by its own name', 'Payments go through our partner Stripe, Inc. ("Stripe").'],
    [
      'a technical term with an abbreviation',
      'We log your Internet Protocol ("IP") address and use Amazon Web Services ("AWS").',
    ],
    [
      'an abbreviation after the name that does not start like it',
      'Read the Fernway notice (PDF) in French.',
    ],
    ['initials the policy never writes', 'Fernway is a service. Contact Fernway Help.'],
  ])('does not take %s for the owner', (_what, sentence) => {
    expect(ownersOf('fernway', `# Fernway Privacy Policy\n\n${sentence}\n`)).toEqual([]);
  });
});

describe('questions that name the owner instead of the policy', () => {
  it("reads the owner's name as naming the policy, not as what is asked", async () => {
    const dir = policyDir();
    writeFileSync(
      join(dir, 'fernway.md'),
      [
        '# Fernway Privacy Policy',
        '',
        'At Quillory Labs, Inc. ("Fernway"), we take your privacy seriously. Questions about this policy go to Quillory Labs at privacy@fernway.example.',
        '',
        '## Deleting your account',
        '',
        'We will not be able to delete messages that you have sent to other users. If you delete your account, those messages are shown as sent by a deleted user.',
        '',
        '## Billing',
        '',
        'Card details go straight to our payment processor and never reach Quillory Labs servers.',
      ].join('\n'),
    );
    const bot = answererFor(await loadCorpus(dir));
    const a = bot.ask('can quillory labs actually delete the messages someone sent to coworkers?');
    expect(a.found).toBe(true);
    expect(a.answer).toMatch(/not be able to delete messages/);
    expect(a.answer).not.toMatch(/payment processor|take your privacy seriously/);
  });

  it('reads a dictionary word of the name that the policy only writes as a name ("Studio") as the name', async () => {
    const dir = policyDir();
    writeFileSync(
      join(dir, 'kitestudio.md'),
      [
        '# Kite Studio Privacy Policy',
        '',
        '## About Kite Studio',
        '',
        'Kite Studio lets teachers share lessons at studio.kite.example. Studio accounts hold a name and an email address, and Studio sends no newsletters.',
        '',
        '## Cookies',
        '',
        'Cookies are used by the Website to keep you logged in and for analytics.',
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'weatherradar.md'),
      [
        '# Weather Radar Privacy Policy',
        '',
        '## Weather Radar',
        '',
        'Weather Radar shows rain maps. Weather Radar is free.',
        '',
        '## Location',
        '',
        'Your location is never stored.',
        '',
        '## Forecasts',
        '',
        'Forecasts of local weather come from the national weather service.',
        '',
        '## Cookies',
        '',
        'We use one cookie to remember your language.',
      ].join('\n'),
    );
    const bot = answererFor(await loadCorpus(dir));
    const studio = bot.ask('what does studio use cookies for?', { policy: 'kitestudio' });
    expect(studio.found).toBe(true);
    expect(studio.answer).toMatch(/logged in/);
    // "weather" is also a word of that policy's text, in lower case: it stays what is asked.
    const lexicon = new Lexicon(loadLexiconData());
    expect(properNameTerms(bot.getPolicy('kitestudio')!, lexicon)).toContain(lexicon.termOf('studio'));
    expect(properNameTerms(bot.getPolicy('weatherradar')!, lexicon)).not.toContain(lexicon.termOf('weather'));
  });

  it('reads the name written as one token ("sign.gov") as the name, not as what is asked', async () => {
    const dir = policyDir();
    writeFileSync(
      join(dir, 'signgov.md'),
      [
        '# Sign gov Privacy Statement',
        '',
        'Sign.gov keeps you signed in to agency websites.',
        '',
        '## Records',
        '',
        'Records are stored for six years.',
      ].join('\n'),
    );
    const bot = answererFor(await loadCorpus(dir));
    const a = bot.ask('how long does sign.gov keep records?');
    expect(a.found).toBe(true);
    expect(a.answer).toMatch(/six years/);
    expect(a.answer).not.toMatch(/agency websites/);
  });

  it('reads the initials of a name with a possessive ("LR" for "Let\'s Ride") as the name, not as another phrase', async () => {
    const dir = policyDir();
    writeFileSync(
      join(dir, 'letsride.md'),
      [
        "# Let's Ride Privacy Policy",
        '',
        '## Law Reports',
        '',
        'We publish Law Reports about court orders we receive, once a year.',
        '',
        '## Selling data',
        '',
        'We do not sell your data to anyone.',
      ].join('\n'),
    );
    const bot = answererFor(await loadCorpus(dir));
    const a = bot.ask('does LR sell people data?');
    expect(a.answer).toMatch(/do not sell/);
    expect(a.answer).not.toMatch(/court orders/);
  });

  it('answers from the passage on the subject, not from the notice of policy changes, when the question only shares everyday words with that intent', async () => {
    const dir = policyDir();
    writeFileSync(
      join(dir, 'tarnbook.md'),
      [
        '# Tarnbook Privacy Policy',
        '',
        '## Security',
        '',
        'We have procedures for any suspected personal data breach and will notify you and the regulator when the law requires it.',
        '',
        '## Changes to this policy',
        '',
        'We will let users know about changes by posting them on this page 30 days in advance.',
      ].join('\n'),
    );
    const bot = answererFor(await loadCorpus(dir));
    const breach = bot.ask('if tarnbook had a breach would users get told?');
    expect(breach.answer).toMatch(/suspected personal data breach/);
    const changes = bot.ask('how are users told about changes to the policy?');
    expect(changes.answer).toMatch(/30 days in advance/);
  });

  it('knows the policy by its name written without the apostrophe ("lets go" for "Let\'s Go")', async () => {
    const dir = policyDir();
    writeFileSync(
      join(dir, 'letsgo.md'),
      "# Let's Go Privacy Policy\n\n## Logs\n\nServer logs are kept for 90 days.\n",
    );
    writeFileSync(
      join(dir, 'other.md'),
      '# Other Privacy Policy\n\n## Logs\n\nServer logs are kept for 7 days.\n',
    );
    const bot = answererFor(await loadCorpus(dir));
    const a = bot.ask('how long does lets go keep server logs?');
    expect(a.policies).toEqual(['letsgo']);
    expect(a.answer).toMatch(/90 days/);
  });
});
