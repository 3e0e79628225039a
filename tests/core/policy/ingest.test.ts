import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DomUtils, parseDocument } from 'htmlparser2';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/core/errors.js';
import { displayName, ingestDocument, loadCorpus } from '../../../src/core/policy/ingest.js';
import {
  type Clause,
  type Corpus,
  corpusSchema,
  type FactKind,
  type FactOf,
  type Policy,
} from '../../../src/core/policy/model.js';
import { HAS_SHARED_CORPUS, SHARED_CORPUS, SHARED_CORPUS_SKIP } from '../../helpers/shared-corpus.js';

/**
 * Ingestion: each document shape (plain text, numbered sections, flattened tables, markdown, HTML)
 * read from our own fictional fixtures with exact expectations, then properties that must hold for
 * every real policy in ../shared/corpus (third-party text, read in place, never copied here).
 */

const EXAMPLES = fileURLToPath(new URL('../../../examples/policies/', import.meta.url));
const SHAPES = fileURLToPath(new URL('../../fixtures/policies-shapes/', import.meta.url));
const MARKUP = fileURLToPath(new URL('../../fixtures/policies-markup/', import.meta.url));

function byId(corpus: Corpus, id: string): Policy {
  const policy = corpus.policies.find((p) => p.id === id);
  if (!policy) throw new Error(`fixture policy ${id} did not load`);
  return policy;
}

function clausesIn(policy: Policy, title: string): Clause[] {
  const section = policy.sections.find((s) => s.title === title);
  if (!section) throw new Error(`no section "${title}" in ${policy.id}`);
  return policy.clauses.filter((c) => c.sectionId === section.id);
}

function factsOfKind<K extends FactKind>(policy: Policy, kind: K): FactOf<K>[] {
  return policy.facts.filter((f): f is FactOf<K> => f.kind === kind);
}

function retentionFor(policy: Policy, category: string): FactOf<'retention'> {
  const fact = factsOfKind(policy, 'retention').find((f) => f.category === category);
  if (!fact) throw new Error(`no retention fact for "${category}" in ${policy.id}`);
  return fact;
}

function clauseById(policy: Policy, id: string): Clause {
  const clause = policy.clauses.find((c) => c.id === id);
  if (!clause) throw new Error(`no clause ${id} in ${policy.id}`);
  return clause;
}

describe('parsing each document shape (own fixtures)', () => {
  let shapes: Corpus;
  beforeAll(async () => {
    shapes = await loadCorpus(SHAPES);
  });

  describe('plain text: unmarked headings, dash lists, wrapped lines, a flattened table', () => {
    it('reads short unpunctuated lines as headings and the leading "Privacy Policy" line as the title', () => {
      const acme = byId(shapes, 'acme-corp');
      const titles = acme.sections.map((s) => s.title);
      expect(titles).toEqual(
        expect.arrayContaining([
          'Information we gather',
          'Storage periods',
          'Who receives data',
          'Your choices',
          'Children',
        ]),
      );
      expect(acme.sections.filter((s) => s.id !== 's0').map((s) => s.title)).not.toContain('Privacy Policy');
      expect(acme.clauses.some((c) => c.text === 'Privacy Policy')).toBe(false);
    });

    it('joins hard-wrapped lines into one paragraph', () => {
      const intro = byId(shapes, 'acme-corp').clauses.find((c) => c.text.startsWith('AcmeCorp ('));
      expect(intro?.kind).toBe('paragraph');
      expect(intro?.text).toMatch(
        /delivery fleets\. This policy describes .* their drivers and how long we keep it\.$/,
      );
    });

    it('reads dash lists as list items, one clause per item', () => {
      const items = clausesIn(byId(shapes, 'acme-corp'), 'Information we gather');
      expect(items.map((c) => c.kind)).toEqual(['list-item', 'list-item', 'list-item']);
      expect(items[0]?.text).toBe('Driver profiles: name, phone number and licence class.');
      expect(items.every((c) => !c.text.startsWith('-'))).toBe(true);
    });

    it('splits a flattened table into cells, takes its first row as the header and keeps it out of the clauses', () => {
      const acme = byId(shapes, 'acme-corp');
      const rows = clausesIn(acme, 'Storage periods').filter((c) => c.kind === 'table-row');
      expect(rows.map((r) => r.cells)).toEqual([
        ['Route history', 'Up to 180 days', 'Anonymised for statistics'],
        ['Driver profiles', 'While the contract runs', 'Deleted within 60 days'],
        ['TrackPilot exports', 'Twelve months after creation', 'Purged automatically'],
      ]);
      for (const row of rows) expect(row.header).toEqual(['Record type', 'Retention period', 'Afterwards']);
      expect(acme.clauses.some((c) => c.text.startsWith('Record type'))).toBe(false);
    });

    it('does not split a brand name with an inner capital that the document also writes on its own', () => {
      const acme = byId(shapes, 'acme-corp');
      const row = acme.clauses.find((c) => c.text.startsWith('TrackPilot'));
      expect(row?.cells?.[0]).toBe('TrackPilot exports');
      // The sentence that names the brand elsewhere is an ordinary paragraph.
      const mention = acme.clauses.find((c) => c.text.includes('produced by TrackPilot'));
      expect(mention?.kind).toBe('paragraph');
      expect(mention?.cells).toBeUndefined();
    });

    it('reads a flattened table whose first row has figures as a table without header', () => {
      const policy = ingestDocument(
        'ledger',
        'ledger.txt',
        'text',
        'Retention\nChat transcriptsUp to 90 daysDeleted\nBilling recordsSeven yearsArchived\n',
      );
      const rows = policy.clauses.filter((c) => c.kind === 'table-row');
      expect(rows.map((r) => r.cells)).toEqual([
        ['Chat transcripts', 'Up to 90 days', 'Deleted'],
        ['Billing records', 'Seven years', 'Archived'],
      ]);
      expect(rows.every((r) => r.header === undefined)).toBe(true);
      expect(retentionFor(policy, 'Chat transcripts')).toMatchObject({ period: 'Up to 90 days', days: 90 });
      expect(retentionFor(policy, 'Billing records')).toMatchObject({ period: 'Seven years', days: 7 * 365 });
    });

    it('does not read a single camel-case line as a table', () => {
      const policy = ingestDocument(
        'sky',
        'sky.txt',
        'text',
        'Overview\nWe build SkyLedger for pilots and keep it simple.\nSkyLedger stores flight plans on the device.\n',
      );
      expect(policy.clauses.every((c) => c.kind !== 'table-row')).toBe(true);
    });
  });

  describe('numbered sections', () => {
    it('reads "2.1 Title. Text" as a numbered sub-section with the text as its first clause', () => {
      const opal = byId(shapes, 'opal-clinic');
      const account = opal.sections.find((s) => s.number === '2.1');
      expect(account).toMatchObject({ title: 'Account Information', level: 2 });
      expect(account?.parents).toEqual(['2. Information We Collect']);
      const first = clauseById(opal, account!.clauseIds[0]!);
      expect(first.text).toBe('When you sign up, we collect your name, email address and date of birth.');
    });

    it('nests sub-sections under their own parent and keeps same-titled sections apart', () => {
      const opal = byId(shapes, 'opal-clinic');
      const numbered = opal.sections.filter((s) => s.number).map((s) => [s.number, s.title, s.parents]);
      expect(numbered).toEqual([
        ['1', 'Introduction', []],
        ['2', 'Information We Collect', []],
        ['2.1', 'Account Information', ['2. Information We Collect']],
        ['2.2', 'Appointment Data', ['2. Information We Collect']],
        ['2.3', 'Usage Data', ['2. Information We Collect']],
        ['3', 'Retention', []],
        ['3.1', 'Appointment Data', ['3. Retention']],
        ['3.2', 'Marketing Preferences', ['3. Retention']],
        ['4', 'Contact', []],
      ]);
      const ids = opal.sections.filter((s) => s.title === 'Appointment Data').map((s) => s.id);
      expect(new Set(ids).size).toBe(2);
    });

    it('nests an unmarked heading under the numbered section before it', () => {
      const policy = ingestDocument(
        'nest',
        'nest.txt',
        'text',
        '3. Sharing\nWe share little.\nPayment partners\nCards are handled by our payment partner.\n4. Contact\nWrite to us.\n',
      );
      const partners = policy.sections.find((s) => s.title === 'Payment partners');
      expect(partners?.parents).toEqual(['3. Sharing']);
      expect(partners!.level).toBeGreaterThan(policy.sections.find((s) => s.number === '3')!.level);
      expect(policy.sections.find((s) => s.number === '4')?.parents).toEqual([]);
    });
  });

  describe('markdown', () => {
    it('reads # headings as sections and the title heading as the title', () => {
      const fern = byId(shapes, 'fernleaf');
      expect(fern.sections.filter((s) => s.id !== 's0').map((s) => s.title)).toEqual([
        'What we collect',
        'How long we keep data',
        'Processors',
        'Legal basis',
        'Contact',
      ]);
    });

    it('joins a hard-wrapped paragraph and strips emphasis markup', () => {
      const fern = byId(shapes, 'fernleaf');
      expect(fern.clauses[0]?.text).toBe(
        'Fernleaf Labs builds a plant-care reminder app. This paragraph is hard-wrapped in the source file, the way editors wrap markdown.',
      );
      const items = clausesIn(fern, 'What we collect').filter((c) => c.kind === 'list-item');
      expect(items[0]?.text).toBe('Profile data: your display name and email address.');
      expect(items.map((c) => c.text).join(' ')).not.toMatch(/[*_]{1,2}\w/);
    });

    it('keeps an address line that starts with a house number inside its bullet, not as a heading', () => {
      const policy = ingestDocument(
        'wren',
        'wren.md',
        'markdown',
        '# Wren\n\n## Contact\n\n- Postal Mail: Wren Ltd, Privacy Inquiry  \n  12 Mill Road, Leeds\n- Email: privacy@wren.example\n',
      );
      expect(policy.sections.map((s) => s.title)).not.toContain('Mill Road, Leeds');
      expect(policy.clauses.map((c) => c.text)).toEqual([
        'Postal Mail: Wren Ltd, Privacy Inquiry 12 Mill Road, Leeds',
        'Email: privacy@wren.example',
      ]);
    });

    it('keeps an indented continuation line inside its bullet', () => {
      const items = clausesIn(byId(shapes, 'fernleaf'), 'What we collect');
      expect(items.map((c) => [c.kind, c.text])).toEqual([
        ['list-item', 'Profile data: your display name and email address.'],
        [
          'list-item',
          'Garden data: the plants you add and their watering schedule. Photos you upload are included.',
        ],
        ['list-item', 'Location, only if you allow it.'],
      ]);
    });

    it('reads pipe tables with their header row, which is not a clause', () => {
      const fern = byId(shapes, 'fernleaf');
      const rows = clausesIn(fern, 'How long we keep data');
      expect(rows.map((r) => r.cells)).toEqual([
        ['Garden data', 'While your account exists', 'Deleted within 14 days'],
        ['Support chats', '2 years', 'Anonymised'],
        ['Crash logs', '45 days', 'Purged automatically'],
      ]);
      expect(rows.every((r) => r.kind === 'table-row')).toBe(true);
      expect(rows[0]?.header).toEqual(['Data', 'Retention period', 'Afterwards']);
      expect(fern.clauses.some((c) => /^-+$|---/.test(c.text))).toBe(false);
    });

    it('keeps the words of links and drops their markup', () => {
      const [contact] = clausesIn(byId(shapes, 'fernleaf'), 'Contact');
      expect(contact?.text).toContain('privacy@fernleaf.example');
      expect(contact?.text).toContain('help pages');
      expect(contact?.text).not.toMatch(/\]\(|mailto:/);
    });
  });

  describe('HTML', () => {
    it('drops navigation, scripts, styles and buttons', () => {
      const text = byId(shapes, 'tidewater')
        .clauses.map((c) => c.text)
        .join('\n');
      expect(text).not.toMatch(
        /Timetables|Buy tickets|trackingSecret|do not index|color: red|Accept cookies/,
      );
    });

    it('recovers unclosed <p> and <li> as separate clauses and decodes entities', () => {
      const tide = byId(shapes, 'tidewater');
      const paragraphs = tide.clauses.filter((c) => c.sectionId === 's0');
      expect(paragraphs.map((c) => c.text)).toEqual([
        'Tidewater Ferries & Co. (“Tidewater”) sells ferry tickets online.',
        'This notice explains what we do with passenger data – and for how long.',
      ]);
      const items = clausesIn(tide, 'What we collect');
      expect(items.map((c) => c.kind)).toEqual(['list-item', 'list-item', 'list-item']);
      expect(items[1]?.text).toBe('Vehicle registration numbers, when you book a car space.');
    });

    it('reads a table with a <th> header row', () => {
      const rows = clausesIn(byId(shapes, 'tidewater'), 'Retention');
      expect(rows.map((r) => r.cells)).toEqual([
        ['Passenger manifests', '3 years', 'Securely destroyed'],
        ['CCTV footage', '31 days', 'Overwritten'],
      ]);
      expect(rows[0]?.header).toEqual(['Data', 'Retention period', 'Afterwards']);
    });

    it('still reads badly broken markup', () => {
      const policy = ingestDocument(
        'broken',
        'broken.html',
        'html',
        '<div><p>First part <b>bold<p>Second part</i></span><ul><li>one thing<li>another thing</ul>' +
          '<table><tr><td>Call logs<td>30 days</table><p>AT&amp;T &copy; &eacute;t&eacute;&nbsp;x</div></body>',
      );
      expect(policy.clauses.map((c) => c.text)).toEqual([
        'First part bold',
        'Second part',
        'one thing',
        'another thing',
        'Call logs | 30 days',
        'AT&T © été x',
      ]);
    });
  });

  describe('display name read from the text', () => {
    it('uses the spelling of the file stem found in the text', () => {
      expect(byId(shapes, 'acme-corp').name).toBe('AcmeCorp');
      expect(byId(shapes, 'opal-clinic').name).toBe('Opal Clinic');
      const spaced = ingestDocument(
        'acme-corp',
        'acme-corp.txt',
        'text',
        'Acme Corp builds rockets.\nWrite to privacy@acme-corp.example about Acme Corp.\n',
      );
      expect(spaced.name).toBe('Acme Corp');
    });

    it('prefers the capitalised brand over the lower-case spelling of an e-mail address', () => {
      const policy = ingestDocument(
        'zephyr',
        'zephyr.txt',
        'text',
        'Contact privacy@zephyr.example or help@zephyr.example or ops@zephyr.example.\nZephyr keeps it short.\n',
      );
      expect(policy.name).toBe('Zephyr');
    });

    it('falls back to the HTML title when the file stem is not in the text', () => {
      const policy = ingestDocument(
        'site-export-3',
        'site-export-3.html',
        'html',
        '<html><head><title>Kestrel Maps – Privacy Policy</title></head><body><p>We make hiking maps.</p></body></html>',
      );
      expect(policy.name).toBe('Kestrel Maps');
    });

    it('does not take the words "privacy policy" of a generic file name as the company name', () => {
      const html = ingestDocument(
        'privacy-policy',
        'privacy-policy.html',
        'html',
        '<html><head><title>Kestrel Maps – Privacy Policy</title></head><body><h1>Privacy Policy</h1><p>Kestrel Maps makes hiking maps.</p></body></html>',
      );
      expect(html.name).toBe('Kestrel Maps');
      const md = ingestDocument(
        'privacy',
        'privacy.md',
        'markdown',
        '# Kestrel Maps Privacy Policy\n\nKestrel Maps makes hiking maps.\n',
      );
      expect(md.name).toBe('Kestrel Maps');
    });
  });

  describe('clause ids', () => {
    it('are the same when the same document is ingested twice', () => {
      const source = readFileSync(join(SHAPES, 'opal-clinic.txt'), 'utf8');
      const a = ingestDocument('opal-clinic', 'a.txt', 'text', source);
      const b = ingestDocument('opal-clinic', 'a.txt', 'text', source);
      expect(b.clauses.map((c) => c.id)).toEqual(a.clauses.map((c) => c.id));
      expect(b.facts).toEqual(a.facts);
    });

    it('of earlier clauses do not change when a section is appended', () => {
      const source = readFileSync(join(SHAPES, 'acme-corp.txt'), 'utf8');
      const before = ingestDocument('acme-corp', 'a.txt', 'text', source);
      const after = ingestDocument(
        'acme-corp',
        'a.txt',
        'text',
        `${source}\nUpdates\nWe announce changes by email.\n`,
      );
      expect(after.clauses.slice(0, before.clauses.length).map((c) => [c.id, c.text])).toEqual(
        before.clauses.map((c) => [c.id, c.text]),
      );
    });
  });

  describe('facts (exact, from own fixtures)', () => {
    it('reads retention from flattened-table rows, with the period cell and what happens afterwards', () => {
      const acme = byId(shapes, 'acme-corp');
      const route = retentionFor(acme, 'Route history');
      expect(route).toMatchObject({ period: 'Up to 180 days', days: 180 });
      expect(route.afterwards).toMatch(/Anonymised for statistics/);
      expect(route.source.quote).toBe('Route historyUp to 180 daysAnonymised for statistics');
      expect(retentionFor(acme, 'TrackPilot exports')).toMatchObject({
        period: 'Twelve months after creation',
        days: 360,
      });
      expect(retentionFor(acme, 'Driver profiles')).toMatchObject({
        period: 'While the contract runs',
        days: null,
      });
    });

    it('reads retention from "Label: period." paragraphs and from sentences', () => {
      const acme = byId(shapes, 'acme-corp');
      const invoices = retentionFor(acme, 'Invoices');
      expect(invoices.period).toMatch(/^10 years/);
      expect(invoices.days).toBe(3650);
      const logs = retentionFor(acme, 'Server logs');
      expect(logs.period).toMatch(/30 days/);
      expect(logs.days).toBe(30);
      expect(logs.source.quote).toBe('Server logs are deleted after 30 days.');
      const opal = byId(shapes, 'opal-clinic');
      expect(retentionFor(opal, 'Appointment Data')).toMatchObject({ days: 8 * 365 });
      expect(retentionFor(opal, 'Appointment Data').period).toMatch(/8 years after the last visit/);
      expect(retentionFor(opal, 'Marketing Preferences').period).toMatch(/until you withdraw consent/);
    });

    it('reads retention from markdown and HTML tables', () => {
      const fern = byId(shapes, 'fernleaf');
      expect(retentionFor(fern, 'Crash logs')).toMatchObject({ period: '45 days', days: 45 });
      expect(retentionFor(fern, 'Support chats')).toMatchObject({ period: '2 years', days: 730 });
      const tide = byId(shapes, 'tidewater');
      expect(retentionFor(tide, 'CCTV footage')).toMatchObject({ period: '31 days', days: 31 });
    });

    it('gives period null to data the policy says it keeps without saying for how long', () => {
      const crash = retentionFor(byId(shapes, 'acme-corp'), 'Crash reports');
      expect(crash.period).toBeNull();
      expect(crash.days).toBeNull();
    });

    it('reads a right only where the policy grants one, not in a section about building access', () => {
      const policy = ingestDocument(
        'docks',
        'docks.md',
        'markdown',
        [
          '# Docks Privacy Policy',
          '',
          '## Building access',
          '',
          'When members access the workshop we record the time of entry.',
          '',
          'Door logs help us look into a complaint about misuse.',
          '',
          '## Your rights',
          '',
          'You may request a copy of your data or ask us to correct it.',
          '',
          '- Erasure of your data',
        ].join('\n'),
      );
      const rights = factsOfKind(policy, 'right');
      expect(new Set(rights.map((f) => f.right))).toEqual(new Set(['access', 'rectification', 'erasure']));
      expect(rights.map((f) => f.source.quote).join(' ')).not.toMatch(/workshop|Door logs/);
    });

    it('reads rights, contacts, minimum age and "we do not sell"', () => {
      const acme = byId(shapes, 'acme-corp');
      expect(new Set(factsOfKind(acme, 'right').map((f) => f.right))).toEqual(
        new Set(['access', 'rectification', 'erasure']),
      );
      expect(factsOfKind(acme, 'contact').map((f) => f.value)).toEqual(['privacy@acme-corp.example']);
      expect(factsOfKind(acme, 'minimum-age').map((f) => f.age)).toEqual([18]);
      expect(factsOfKind(acme, 'commitment').map((f) => f.practice)).toContain('sell');
      expect(factsOfKind(byId(shapes, 'opal-clinic'), 'contact').map((f) => f.value)).toEqual([
        'dpo@opal-clinic.example',
      ]);
      expect(factsOfKind(byId(shapes, 'tidewater'), 'contact').map((f) => f.value)).toEqual([
        'privacy@tidewater.example',
      ]);
    });

    it('reads processors from a sub-processor table, with purpose and region, but never the company itself', () => {
      const fern = byId(shapes, 'fernleaf');
      const processors = factsOfKind(fern, 'processor').map(({ name, purpose, region }) => ({
        name,
        purpose,
        region,
      }));
      expect(processors).toEqual([
        { name: 'Blossom Cloud', purpose: 'Hosting', region: 'EU' },
        { name: 'Petalpost', purpose: 'Transactional email', region: 'US' },
      ]);
      const acme = byId(shapes, 'acme-corp');
      expect(factsOfKind(acme, 'processor').map((f) => f.name)).toContain('Parcelon');
      expect(factsOfKind(acme, 'processor').map((f) => f.name)).not.toContain('AcmeCorp');
    });

    it('reads legal bases from a table', () => {
      const bases = factsOfKind(byId(shapes, 'fernleaf'), 'legal-basis').map((f) => [f.activity, f.basis]);
      expect(bases).toEqual([
        ['Reminders', 'Performance of contract'],
        ['Newsletter', 'Consent'],
      ]);
    });

    it('does not read a notice period on "this page" as a minimum age', () => {
      const policy = ingestDocument(
        'notice',
        'notice.txt',
        'text',
        'Changes\nWe post changes on this page at least 14 days before they take effect.\n',
      );
      expect(factsOfKind(policy, 'change-notice')).toHaveLength(1);
      expect(factsOfKind(policy, 'minimum-age')).toEqual([]);
    });

    it('judges whether a cookie is required from its own words, not the rest of the sentence', () => {
      const policy = ingestDocument(
        'crumbs',
        'crumbs.txt',
        'text',
        'Cookies\nWe set analytics cookies only with your consent, and a strictly necessary session cookie.\n',
      );
      const session = factsOfKind(policy, 'cookie').find((f) => /session cookie/.test(f.name));
      expect(session?.required).toBe(true);
    });
  });
});

/** Lower-case words and numbers only: compares text with its markup (markdown, HTML) removed. */
function words(text: string): string {
  return ` ${text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}@]+/gu, ' ')
    .trim()} `;
}

function folded(text: string): string {
  return text.replace(/[\s\u200b]+/g, ' ').trim();
}

/** The text of an HTML page, read independently of the ingester: every DOM text node, spaced. */
function htmlText(source: string): string {
  const doc = parseDocument(source, { decodeEntities: true });
  return DomUtils.filter((node) => node.type === 'text', doc)
    .map((node) => DomUtils.textContent(node))
    .join(' ');
}

/**
 * A page with template tags compares by the strings its tags print: every quoted string inside a
 * tag stays, the rest of the tag goes, and `%(name)s` placeholders read `{name}`.
 */
function templateText(source: string): string {
  return source
    .replace(/\{%[\s\S]*?%\}|\{\{[\s\S]*?\}\}|<%[\s\S]*?%>/g, (tag) =>
      (tag.match(/"[^"]*"|'[^']*'/g) ?? []).map((q) => q.slice(1, -1)).join(' '),
    )
    .replace(/%\((\w+)\)s/g, '{$1}');
}

/** Forum markup without its tags; a link keeps its label. */
function forumText(source: string): string {
  return source.replace(/\[url=[^\]]*\]([^[]*)\[\/url\]/gi, '$1').replace(/\[\/?[a-z*][^\]]*\]/gi, ' ');
}

/** Markdown links compare by their label: the ingester keeps a web address but drops `mailto:`. */
function withoutLinkTargets(text: string): string {
  return text.replace(/\]\([^)]*\)/g, ']').replace(/\((?:https?|mailto):[^)\s]*\)/g, '');
}

/**
 * Is the clause's text in the source? Plain text must match exactly but for white space; markdown
 * and HTML word for word once markup is gone. Table rows are checked cell by cell, since the
 * ingester joins cells with " | " where the source has pipes, tags or nothing.
 */
function inSource(clause: Clause, format: Policy['format'], source: string): boolean {
  const pieces = clause.kind === 'table-row' && clause.cells ? clause.cells.filter(Boolean) : [clause.text];
  if (format === 'text') {
    const haystack = folded(source);
    if (haystack.includes(folded(clause.text))) return true;
    if (clause.kind === 'table-row' && pieces.every((p) => haystack.includes(folded(p)))) return true;
    // Forum markup: word for word once the tags are gone (a link reads "label (address)").
    return words(forumText(source)).includes(words(withoutLinkTargets(clause.text)));
  }
  const plain = templateText(source);
  // reStructuredText moves words around (table cells span lines, substitutions are defined
  // elsewhere): every word of the clause must be in the source, in any order.
  if (format === 'rst') {
    const have = new Set(words(withoutLinkTargets(plain)).split(' '));
    return pieces.every((p) =>
      words(withoutLinkTargets(p))
        .split(' ')
        .filter(Boolean)
        .every((w) => have.has(w)),
    );
  }
  const haystack = words(format === 'html' ? htmlText(plain) : withoutLinkTargets(plain));
  // Markdown may hold raw HTML blocks: their words are read as HTML.
  const asHtml = format === 'markdown' ? words(htmlText(plain)) : haystack;
  return pieces.every((p) => {
    const w = words(withoutLinkTargets(p));
    return haystack.includes(w) || asHtml.includes(w);
  });
}

describe('markup that real documents carry (own fixtures)', () => {
  let markup: Corpus;
  beforeAll(async () => {
    markup = await loadCorpus(MARKUP);
  });
  const allText = (policy: Policy) =>
    [...policy.sections.map((s) => s.title), ...policy.clauses.map((c) => c.text)].join('\n');

  describe('markdown with raw HTML blocks and front matter', () => {
    it('reads an HTML table inside markdown as table rows with their headers and spanned cells', () => {
      const harbourline = byId(markup, 'harbourline');
      const rows = harbourline.clauses.filter((c) => c.kind === 'table-row');
      expect(rows).toHaveLength(7);
      const answering = rows.find((c) => c.text.includes('answer questions about a journey'));
      expect(answering?.text).toContain('Booking details');
      expect(answering?.text).toContain('Up to 90 days after your journey.');
      expect(allText(harbourline)).not.toMatch(/<t[dhr]|<strong|<!--|rowspan/);
    });

    it('takes the front matter title as the title and leaves its other fields out', () => {
      const harbourline = byId(markup, 'harbourline');
      expect(harbourline.sections[0]?.title).toBe('Harbourline Privacy Annex - Categories of information');
      expect(allText(harbourline)).not.toMatch(/permalink|layout: page/);
      expect(clausesIn(harbourline, 'Questions')[0]?.text).toContain('privacy@harbourline.example');
    });
  });

  describe('template tags (Django, Jinja, Liquid, ERB)', () => {
    it('keeps the words inside translation blocks and drops every tag', () => {
      const mossgate = byId(markup, 'mossgate');
      expect(allText(mossgate)).not.toMatch(/\{%|%\}|\{\{|\}\}|<%|%>|\{#/);
      expect(mossgate.clauses.map((c) => c.text)).toContain(
        'Booking records are kept for 18 months after the event.',
      );
      expect(mossgate.sections.map((s) => s.title)).toEqual(
        expect.arrayContaining(['Keeping records', 'Contact']),
      );
    });

    it('keeps the string a tag prints: {% trans %}, {{ _() }}, link_to', () => {
      const texts = byId(markup, 'mossgate').clauses.map((c) => c.text);
      expect(texts).toContain('Payment receipts are kept for six years.');
      expect(texts).toContain('Our data protection officer answers within 30 days.');
      expect(texts).toContain('Write to privacy@{domain} or see our help pages for anything else.');
    });

    it('takes the title from a translated heading and drops its permalink symbol', () => {
      const mossgate = byId(markup, 'mossgate');
      expect(mossgate.sections.map((s) => s.title)).not.toContain('Mossgate Privacy Notice #');
      expect(mossgate.sections[0]?.title).toBe('Mossgate Privacy Notice');
    });
  });

  describe('HTML definition lists and tables', () => {
    it('reads <dt>/<dd> pairs as "Term: definition" items of their section', () => {
      const words = clausesIn(byId(markup, 'mossgate'), 'Words we use');
      expect(words.map((c) => [c.kind, c.text])).toEqual([
        ['list-item', 'Hall owner: The parish, club or school that lists a hall on Mossgate.'],
        ['list-item', 'Booker: Anyone who books a hall through Mossgate.'],
      ]);
    });

    it('takes a <thead> row with an empty corner cell as the header, and <th> row labels as cells', () => {
      const rows = clausesIn(byId(markup, 'mossgate'), 'Retention table');
      expect(rows.every((r) => r.kind === 'table-row')).toBe(true);
      for (const row of rows) expect(row.header).toEqual(['', 'Kept for', 'Then']);
      expect(rows[0]?.cells).toEqual(['Booking records', '18 months', 'Deleted']);
    });

    it('fills a cell that spans rows into every row it spans', () => {
      const rows = clausesIn(byId(markup, 'mossgate'), 'Retention table');
      expect(rows[1]?.cells).toEqual(['Hall photos', 'While the listing is live', 'Deleted']);
    });

    it('keeps a list or a table inside a cell as that cell, its parts separated', () => {
      const rows = clausesIn(byId(markup, 'mossgate'), 'Retention table');
      expect(rows[2]?.cells).toEqual([
        'Messages',
        '1 year for bookers; 3 years for hall owners',
        'Anonymised',
      ]);
      expect(rows[3]?.cells).toEqual([
        'Card payments',
        'Receipts 6 years; Card numbers never stored',
        'Deleted',
      ]);
      expect(rows).toHaveLength(4);
    });
  });

  describe('reStructuredText', () => {
    it('reads underlined and overlined titles as sections, nested by the order the adornments appear', () => {
      const lark = byId(markup, 'larkspur');
      expect(lark.format).toBe('rst');
      const sections = Object.fromEntries(lark.sections.map((s) => [s.title, s]));
      expect(lark.sections[0]?.title).toBe('Larkspur Privacy Notice');
      expect(sections['What we collect']?.level).toBe(2);
      expect(sections['Account details']).toMatchObject({ level: 3, parents: ['What we collect'] });
      expect(sections['Words we use']?.parents).toEqual(['What we collect']);
      expect(sections['How long we keep it']).toMatchObject({ level: 2, parents: [] });
    });

    it('joins wrapped paragraph lines, reads field lists and strips inline markup', () => {
      const texts = byId(markup, 'larkspur').clauses.map((c) => c.text);
      expect(texts).toContain(
        'Larkspur makes rota planning software for small clinics. This notice says what we record about clinic staff, and for how long.',
      );
      expect(texts).toContain('Effective date: 1 March 2026');
      expect(texts).toContain('Owner: the Larkspur privacy team');
    });

    it('reads bullet and enumerated lists, wrapped items whole, with their lead-in', () => {
      const lark = byId(markup, 'larkspur');
      const items = clausesIn(lark, 'Account details').filter((c) => c.kind === 'list-item');
      expect(items[0]).toMatchObject({
        text: 'the name and work e-mail address of each member of staff who uses the rota;',
        lead: 'When a clinic signs up we record:',
      });
      expect(items[2]?.text).toBe('their device_id when they use the app.');
      const wont = clausesIn(lark, 'What we will not do').filter((c) => c.kind === 'list-item');
      expect(wont.map((c) => [c.text, c.lead])).toEqual([
        ['sell staff data to anyone;', 'We will not:'],
        ['use rota data to train models.', 'We will not:'],
      ]);
    });

    it('reads a definition list as "Term: definition", dropping the classifier', () => {
      const terms = clausesIn(byId(markup, 'larkspur'), 'Words we use').map((c) => c.text);
      expect(terms).toEqual([
        "Clinic: The organisation that buys Larkspur and decides which staff it rota's.",
        'Staff member: Anyone whose shifts are planned in Larkspur.',
      ]);
    });

    it('reads simple, grid and list tables, each row with its header, continuation lines joined', () => {
      const rows = clausesIn(byId(markup, 'larkspur'), 'How long we keep it');
      expect(rows.every((r) => r.kind === 'table-row')).toBe(true);
      expect(rows.map((r) => [r.cells, r.header])).toEqual([
        [
          ['Shift history', '24 months', 'Deleted'],
          ['Record', 'Kept for', 'Afterwards'],
        ],
        [
          ['Staff accounts', 'While the contract runs', 'Deleted within 30 days'],
          ['Record', 'Kept for', 'Afterwards'],
        ],
        [
          ['Support tickets', '2 years', 'Anonymised'],
          ['Record', 'Kept for', 'Afterwards'],
        ],
        [
          ['Nightly backups', '35 days, then overwritten'],
          ['Backup', 'Retention'],
        ],
        [
          ['Audit log', '1 year online; 6 years archived'],
          ['Backup', 'Retention'],
        ],
        [
          ['Tern Hosting', 'Servers in Ireland'],
          ['Processor', 'Purpose'],
        ],
        [
          ['Postwick Mail', 'Sending rota e-mails'],
          ['Processor', 'Purpose'],
        ],
      ]);
    });

    it('drops comments and directives but keeps the text of an admonition', () => {
      const lark = byId(markup, 'larkspur');
      const text = allText(lark);
      expect(text).not.toMatch(/handbook|meta|description|delete_staff|code-block|\.\. /);
      expect(clausesIn(lark, 'What we will not do').map((c) => c.text)).toContain(
        "Clinics can ask us to delete a staff member's data at any time.",
      );
    });

    it('keeps link addresses and e-mail addresses readable, resolving named link targets', () => {
      const contact = clausesIn(byId(markup, 'larkspur'), 'Contact').map((c) => c.text);
      expect(contact).toEqual([
        'Write to the privacy team (privacy@larkspur.example) or use the request form (https://larkspur.example/privacy/request). See security for how we protect data.',
      ]);
    });

    it('loads .rst and .rest files', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'privacy-ops-rst-'));
      try {
        writeFileSync(join(dir, 'fennel.rest'), 'Retention\n=========\n\nLogs are kept for 14 days.\n');
        const corpus = await loadCorpus(dir);
        expect(corpus.policies[0]).toMatchObject({ id: 'fennel', format: 'rst' });
        expect(corpus.policies[0]?.sections.map((s) => s.title)).toEqual(['Retention']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('hard-wrapped lines', () => {
    it('joins a sentence wrapped before a capitalised word, and the next sentence of the paragraph', () => {
      const keep = clausesIn(byId(markup, 'quillfield'), 'What we keep');
      expect(keep.map((c) => c.text)).toEqual([
        'We keep invoices for seven years because tax law in the Netherlands and Belgium requires it. Support tickets are deleted two years after they are closed. Card numbers never reach our servers; the payment provider keeps them.',
      ]);
      expect(keep[0]?.sentences[0]).toBe(
        'We keep invoices for seven years because tax law in the Netherlands and Belgium requires it.',
      );
    });

    it('still reads a heading that follows a paragraph line without a blank line', () => {
      const titles = byId(markup, 'quillfield').sections.map((s) => s.title);
      expect(titles).toEqual(['Privacy Policy', 'What we keep', 'Sharing', 'Contact']);
    });

    it('keeps a list item whole when its text wraps onto an indented line', () => {
      const items = clausesIn(byId(markup, 'quillfield'), 'Sharing').filter((c) => c.kind === 'list-item');
      expect(items.slice(0, 2).map((c) => c.text)).toEqual([
        'Hosting companies that run our servers in Ireland and Germany.',
        'Accountants the shop owner invites to the workspace.',
      ]);
    });

    it('reads a numbered run after a lead-in as list items, not as sections', () => {
      const items = clausesIn(byId(markup, 'quillfield'), 'Sharing').filter((c) => c.lead === 'We will not:');
      expect(items.map((c) => [c.kind, c.text])).toEqual([
        ['list-item', 'Sell customer lists to marketing firms.'],
        ['list-item', 'Read your ledgers except when you ask for help.'],
      ]);
    });

    it('does not join lines of a document that writes one paragraph per line', () => {
      const policy = ingestDocument(
        'ravel',
        'ravel.txt',
        'text',
        [
          'We record the name, e-mail address and company of everyone who books a demo with our sales team, and the notes our sales team writes after the call',
          'Demo requests are deleted twelve months after the last contact, unless you become a customer.',
          'Accounts: name, e-mail address and the role you hold in your organisation, the teams you belong to and the projects you can open.',
          'Usage data: which features you open and when, kept in aggregate form so that we can see which parts of the product are used.',
          'Write to privacy@ravel.example for anything about your data.',
        ].join('\n'),
      );
      expect(policy.clauses.map((c) => c.text.slice(0, 10))).toEqual([
        'We record ',
        'Demo reque',
        'Accounts: ',
        'Usage data',
        'Write to p',
      ]);
    });

    it('does not join short lines of a document that writes one sentence per line', () => {
      const lines = [
        'We keep chat transcripts for one year.',
        'Backups are deleted after 35 days.',
        'Our office plants are watered on Fridays.',
        'Invoices are kept for seven years.',
        'The support team answers within two days.',
      ];
      const policy = ingestDocument('tansy', 'tansy.txt', 'text', lines.join('\n'));
      expect(policy.clauses.map((c) => c.text)).toEqual(lines);
    });

    it('leaves out link reference definitions ("[changes]: https://…"), which give addresses, not text', () => {
      const policy = ingestDocument(
        'yarrow',
        'yarrow.md',
        'markdown',
        '# Privacy\n\n[changes]: https://example.org/commits/privacy.md\n[faq]: <https://example.org/faq> "FAQ"\n\nSee the [history][changes] of this policy.\n\n```\n[kept]: in a code block\n```\n',
      );
      const texts = policy.clauses.map((c) => c.text).join('\n');
      expect(texts).not.toMatch(/example\.org\/commits|example\.org\/faq/);
      expect(texts).toMatch(/See the \[?history/);
      expect(texts).toMatch(/\[kept\]: in a code block/);
    });

    it('joins a markdown list item with the unindented line that continues it', () => {
      const policy = ingestDocument(
        'sorrel',
        'sorrel.md',
        'markdown',
        '# Sharing\n\nWe share data with:\n\n- payment providers that\nProcess card payments for us\n- our auditors\n',
      );
      expect(policy.clauses.filter((c) => c.kind === 'list-item').map((c) => c.text)).toEqual([
        'payment providers that Process card payments for us',
        'our auditors',
      ]);
    });
  });

  describe('markdown tables', () => {
    const table = [
      '# Retention',
      '',
      'Data            | Kept for   | Then',
      ':-------------- | :--------: | ----:',
      'Chat logs       | 30 days    | deleted',
      '',
      '|   Category    |  System     |  Kept for          |',
      '|---------------|-------------|--------------------|',
      '| Logs          | Web servers | 14 days            |',
      '|               | App servers | 90 days, then      |',
      '|               |             | anonymised         |',
      '| Tickets       | Helpdesk    | 2 years            |',
    ].join('\n');
    const rows = () =>
      ingestDocument('sorrel', 'sorrel.md', 'markdown', table).clauses.map((c) => [
        c.kind,
        c.cells,
        c.header,
      ]);

    it('reads a padded table without outer pipes, with its header', () => {
      expect(rows()[0]).toEqual([
        'table-row',
        ['Chat logs', '30 days', 'deleted'],
        ['Data', 'Kept for', 'Then'],
      ]);
    });

    it('gives a row with an empty first cell the first cell above, and joins a lower-case continuation row', () => {
      const header = ['Category', 'System', 'Kept for'];
      expect(rows().slice(1)).toEqual([
        ['table-row', ['Logs', 'Web servers', '14 days'], header],
        ['table-row', ['Logs', 'App servers', '90 days, then anonymised'], header],
        ['table-row', ['Tickets', 'Helpdesk', '2 years'], header],
      ]);
    });
  });

  describe('definition lists in text and markdown', () => {
    it('reads "Term" over an indented definition, or over ": definition", as "Term: definition"', () => {
      const policy = ingestDocument(
        'sorrel',
        'sorrel.md',
        'markdown',
        '# Words we use\n\nController\n    Sorrel Labs Ltd, which decides\n    how your data is used.\n\nProcessor\n: A company that handles data for us.\n\nWe keep logs for 30 days.\n',
      );
      expect(policy.sections.map((s) => s.title)).toEqual(['Words we use']);
      expect(policy.clauses.map((c) => [c.kind, c.text])).toEqual([
        ['list-item', 'Controller: Sorrel Labs Ltd, which decides how your data is used.'],
        ['list-item', 'Processor: A company that handles data for us.'],
        ['paragraph', 'We keep logs for 30 days.'],
      ]);
    });
  });

  it('does not read a lead-in over indented lines, or a line over stray two-space indentation, as a definition', () => {
    const policy = ingestDocument(
      'sorrel',
      'sorrel.txt',
      'text',
      'This includes:\n       to create accounts;\n        to answer support requests.\nCookie settings\n  If you share a computer, your choice applies to every user of it.\n',
    );
    expect(policy.clauses.some((c) => /^This includes: to create/.test(c.text))).toBe(false);
    expect(policy.clauses.some((c) => c.text.startsWith('Cookie settings:'))).toBe(false);
  });

  describe('list items with their lead-in', () => {
    const leads = (policy: Policy) =>
      policy.clauses.filter((c) => c.kind === 'list-item').map((c) => [c.text, c.lead]);

    it('takes a bold "We will not:" line over a list as the lead-in, not as a section (markdown)', () => {
      const policy = ingestDocument(
        'sorrel',
        'sorrel.md',
        'markdown',
        '# Sharing\n\n**We will not:**\n\n- sell your data;\n- rent it out.\n',
      );
      expect(policy.sections.map((s) => s.title)).toEqual(['Sharing']);
      expect(leads(policy)).toEqual([
        ['sell your data;', 'We will not:'],
        ['rent it out.', 'We will not:'],
      ]);
    });

    it('takes the last sentence of a paragraph ending with a colon as the lead-in', () => {
      const policy = ingestDocument(
        'sorrel',
        'sorrel.md',
        'markdown',
        '# Sharing\n\nWe share data in a few cases. We will not:\n\n- sell your data.\n',
      );
      expect(leads(policy)).toEqual([['sell your data.', 'We will not:']]);
    });

    it('gives a nested item its parent item as the lead-in (markdown, HTML, reStructuredText)', () => {
      const md = ingestDocument(
        'sorrel',
        'sorrel.md',
        'markdown',
        '# Sharing\n\nWe share data:\n\n- with processors, namely:\n  - Tern Hosting;\n- with auditors.\n',
      );
      expect(leads(md)).toEqual([
        ['with processors, namely:', 'We share data:'],
        ['Tern Hosting;', 'with processors, namely:'],
        ['with auditors.', 'We share data:'],
      ]);
      const html = ingestDocument(
        'sorrel',
        'sorrel.html',
        'html',
        '<h2>Sharing</h2><p>We will not:</p><ul><li>sell your data, including:<ul><li>contact lists</li></ul></li><li>rent it out</li></ul>',
      );
      expect(leads(html)).toEqual([
        ['sell your data, including:', 'We will not:'],
        ['contact lists', 'sell your data, including:'],
        ['rent it out', 'We will not:'],
      ]);
      const device = clausesIn(byId(markup, 'larkspur'), 'Account details').find((c) =>
        c.text.startsWith('Device'),
      );
      expect(device?.lead).toBe('their device_id when they use the app.');
    });
  });

  describe('forum markup (BBCode)', () => {
    it('reads a line that is only a bold title as a heading, and the first as the document title', () => {
      const kelp = byId(markup, 'kelpforum');
      expect(kelp.sections.map((s) => s.title)).toEqual([
        'Kelpforum Privacy Policy',
        'What we keep',
        'Do we share what we keep with anyone outside the board at all?',
        'Contact',
      ]);
    });

    it('reads [list][*] items as list items with their lead-in, and drops every tag', () => {
      const kelp = byId(markup, 'kelpforum');
      const items = clausesIn(kelp, 'What we keep').filter((c) => c.kind === 'list-item');
      expect(items.map((c) => c.text)).toEqual([
        'your username and the e-mail address you registered with;',
        'the posts you write, until you delete them;',
        'IP addresses of logins, which are deleted after 90 days.',
      ]);
      expect(items.every((c) => c.lead === 'We keep:')).toBe(true);
      expect(allText(kelp)).not.toMatch(/\[\/?(b|i|u|url|list|size|email|\*)\b/i);
    });

    it('keeps link addresses and e-mail addresses readable', () => {
      const texts = byId(markup, 'kelpforum').clauses.map((c) => c.text);
      expect(texts).toContain(
        'We do not sell member data. Our host is Harbour Hosting (https://harbourhost.example/privacy), which stores the board in Norway.',
      );
      expect(texts).toContain(
        'Mail the admins at admins@kelpforum.example or read the https://kelpforum.example/faq.',
      );
    });
  });
});

/** Properties that hold for every policy of a corpus directory. */
function propertiesOf(dir: string): void {
  let corpus: Corpus;
  beforeAll(async () => {
    corpus = await loadCorpus(dir);
  });

  it('loads every document and matches the corpus schema', () => {
    expect(corpus.skipped).toEqual([]);
    expect(corpus.policies.length).toBeGreaterThan(1);
    expect(corpusSchema.safeParse(JSON.parse(JSON.stringify(corpus))).success).toBe(true);
  });

  it('quotes every fact verbatim from its own clause', () => {
    for (const policy of corpus.policies) {
      expect(policy.facts.length).toBeGreaterThan(0);
      for (const fact of policy.facts) {
        const clause = clauseById(policy, fact.source.clauseId);
        expect(fact.source.quote.length).toBeGreaterThan(0);
        expect(clause.text, `${policy.id} ${fact.kind}`).toContain(fact.source.quote);
      }
    }
  });

  it('keeps every clause text as it appears in the source document', () => {
    for (const policy of corpus.policies) {
      const source = readFileSync(policy.file, 'utf8');
      const missing = policy.clauses.filter((c) => !inSource(c, policy.format, source)).map((c) => c.text);
      expect(missing, policy.id).toEqual([]);
    }
  });

  it('splits clauses into sentences that are each verbatim in the clause', () => {
    for (const policy of corpus.policies) {
      for (const clause of policy.clauses) {
        expect(clause.sentences.length).toBeGreaterThan(0);
        for (const s of clause.sentences) expect(clause.text, policy.id).toContain(s);
      }
    }
  });

  it('numbers clauses <section>.c<n> in order, and every section lists exactly its clauses', () => {
    for (const policy of corpus.policies) {
      const ids = policy.clauses.map((c) => c.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const section of policy.sections) {
        const own = policy.clauses.filter((c) => c.sectionId === section.id).map((c) => c.id);
        expect(section.clauseIds).toEqual(own);
        expect(own).toEqual(own.map((_, i) => `${section.id}.c${i + 1}`));
      }
      const sectionIds = new Set(policy.sections.map((s) => s.id));
      expect(policy.clauses.every((c) => sectionIds.has(c.sectionId))).toBe(true);
    }
  });

  it('names only enclosing sections, of a lower level, as parents', () => {
    for (const policy of corpus.policies) {
      policy.sections.forEach((section, i) => {
        const earlier = policy.sections.slice(0, i);
        for (const parent of section.parents) {
          const match = earlier.find((s) => (s.number ? `${s.number}. ${s.title}` : s.title) === parent);
          expect(match, `${policy.id}: ${section.title} < ${parent}`).toBeDefined();
          expect(match!.level).toBeLessThan(section.level);
        }
      });
    }
  });

  it('takes the display name from words the document contains', () => {
    for (const policy of corpus.policies) {
      expect(readFileSync(policy.file, 'utf8')).toContain(policy.name);
    }
  });

  it('finds at least one retention fact and one contact per policy, each read from its quote', () => {
    for (const policy of corpus.policies) {
      const retention = factsOfKind(policy, 'retention');
      const contacts = factsOfKind(policy, 'contact');
      expect(retention.length, policy.id).toBeGreaterThan(0);
      expect(contacts.length, policy.id).toBeGreaterThan(0);
      for (const c of contacts) expect(c.source.quote).toContain(c.value);
      for (const r of retention) {
        if (r.days !== null) expect(r.days).toBeGreaterThan(0);
        if (r.period === null) expect(r.days).toBeNull();
      }
    }
  });
}

describe.each([
  ['the example policies', EXAMPLES],
  ['the shape fixtures', SHAPES],
  ['the markup fixtures', MARKUP],
])('properties of every policy in %s', (_, dir) => propertiesOf(dir));

describe.skipIf(!HAS_SHARED_CORPUS)(
  `properties of every policy in the shared corpus${SHARED_CORPUS_SKIP}`,
  () => propertiesOf(SHARED_CORPUS),
);

describe("the policy's name", () => {
  const text = (lead: string) =>
    `${lead}\n\nThis policy describes how Zcash Foundation collects personal information.\n\nQuestions? Write to contact@zfnd.org. The Zcash Foundation answers within 30 days.`;

  it('takes the spelling of the file stem the text writes with capitals', () => {
    expect(displayName('opsiq', 'OpsIQ keeps logs. Mail privacy@opsiq.example.', null)).toBe('OpsIQ');
  });

  it('prefers the title, then a name the stem abbreviates, to a stem found only in an address', () => {
    expect(displayName('zfnd', text('# Zcash Privacy Policy'), 'Zcash Privacy Policy')).toBe('Zcash');
    expect(displayName('zfnd', text('# Privacy Policy'), 'Privacy Policy')).toBe('Zcash Foundation');
    expect(
      displayName('rtd', 'Read the Docs hosts documentation. Read the Docs keeps logs for 90 days.', null),
    ).toBe('Read the Docs');
    // Written once is not enough to be the name.
    expect(displayName('abc', 'Alpha Beta Corp runs it. Mail abc@example.org.', null)).toBe('abc');
  });
});

describe('loadCorpus with bad input', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const fresh = () => {
    dir = mkdtempSync(join(tmpdir(), 'privacy-ops-corpus-'));
    return dir;
  };

  async function failure(path: string): Promise<AppError> {
    try {
      await loadCorpus(path);
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      return error as AppError;
    }
    throw new Error('loadCorpus did not fail');
  }

  it('refuses a missing directory with CORPUS_MISSING and says what to do', async () => {
    const error = await failure(join(fresh(), 'no-such-dir'));
    expect(error.code).toBe('CORPUS_MISSING');
    expect(error.message).toMatch(/--corpus|POLICY_CORPUS/);
  });

  it('refuses a file given as the corpus directory with CORPUS_MISSING', async () => {
    const file = join(fresh(), 'policy.txt');
    writeFileSync(file, 'We keep logs for 30 days.\n');
    expect((await failure(file)).code).toBe('CORPUS_MISSING');
  });

  it('refuses an empty directory, or one without policy documents, with CORPUS_EMPTY', async () => {
    expect((await failure(fresh())).code).toBe('CORPUS_EMPTY');
    rmSync(dir, { recursive: true, force: true });
    writeFileSync(join(fresh(), 'notes.pdf'), 'not a policy');
    expect((await failure(dir)).code).toBe('CORPUS_EMPTY');
  });

  it('names the unreadable files when none of them loads', async () => {
    writeFileSync(join(fresh(), 'blob.txt'), Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x14]));
    const error = await failure(dir);
    expect(error.code).toBe('CORPUS_EMPTY');
    expect(error.message).toContain('blob.txt');
  });

  it('skips binary, empty and non-UTF-8 documents with a reason and loads the rest', async () => {
    fresh();
    writeFileSync(join(dir, 'acme-corp.txt'), readFileSync(join(SHAPES, 'acme-corp.txt')));
    writeFileSync(join(dir, 'blob.txt'), Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0x01, 0x02, 0xff]));
    writeFileSync(join(dir, 'empty.md'), '  \n\n\t\n');
    writeFileSync(
      join(dir, 'latin.txt'),
      Buffer.from('Caf\xe9 cr\xe8me br\xfbl\xe9e \xe0 la carte. '.repeat(20), 'latin1'),
    );
    writeFileSync(
      join(dir, 'broken.html'),
      '<html><body><h2>Retention</h2><p>Chat logs are kept for 20 days.<li>stray item</div></span>',
    );
    writeFileSync(join(dir, '.draft.txt'), 'A hidden draft is not a policy.');
    mkdirSync(join(dir, 'archive.txt'));
    const corpus = await loadCorpus(dir);
    expect(corpus.policies.map((p) => p.id)).toEqual(['acme-corp', 'broken']);
    const reasons = Object.fromEntries(corpus.skipped.map((s) => [s.file.split(/[\\/]/).pop(), s.reason]));
    expect(Object.keys(reasons).sort()).toEqual(['archive.txt', 'blob.txt', 'empty.md', 'latin.txt']);
    expect(reasons['blob.txt']).toMatch(/binary/);
    expect(reasons['empty.md']).toMatch(/empty/);
    expect(reasons['latin.txt']).toMatch(/UTF-8/);
    const broken = byId(corpus, 'broken');
    expect(retentionFor(broken, 'Chat logs')).toMatchObject({ days: 20 });
  });
});

describe("a template page's name", () => {
  it('is its first heading when it has no <title>, past a stray mark the template tags leave', () => {
    const page = [
      '{% extends "base.html" %}',
      '{% block title %}{% translate "page.title" %} - {% translate "site.name" %}{% endblock %}',
      '{% block content %}',
      '<h1>Find Rulings privacy notice</h1>',
      '<h2>Who we are</h2>',
      '<p>The Records Office runs the Find Rulings service and keeps rulings for permanent preservation.</p>',
      '{% endblock %}',
    ].join('\n');
    const policy = ingestDocument('tro-findrulings', 'tro-findrulings.html', 'html', page);
    expect(policy.name).toBe('Find Rulings');
    expect(policy.sections.map((s) => s.title)).toContain('Who we are');
  });
});
