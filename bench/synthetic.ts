import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A synthetic policy corpus for scale benchmarks: documents of varied shape (markdown with headings
 * and tables, plain text with numbered sections and dash lists, HTML), built by recombining generated
 * sentences around random company names, data categories, periods and vendors. Seeded, so two runs
 * produce the same corpus and the same questions; nothing is copied from a real policy.
 */

export type SyntheticFormat = 'markdown' | 'text' | 'html';

/** What the generator wrote into one document, for asking questions it can check. */
export interface SyntheticPolicy {
  id: string;
  company: string;
  format: SyntheticFormat;
  bytes: number;
  retention: { category: string; period: string }[];
  email: string;
}

export interface SyntheticQuestion {
  q: string;
  /** The policy id to answer from, or null to let the answerer pick the scope. */
  policy: string | null;
  kind: 'retention-named' | 'retention-scoped' | 'scoped' | 'unscoped';
  /** For retention questions: the period the document states for the category. */
  expect?: string;
}

export interface SyntheticCorpus {
  dir: string;
  policies: SyntheticPolicy[];
  /** Removes the temporary directory. */
  cleanup(): Promise<void>;
}

/** mulberry32: a small, fast seeded generator; quality is ample for picking words. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const int = (r: Rand, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

function sample<T>(r: Rand, xs: readonly T[], n: number): T[] {
  const copy = [...xs];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, n);
}

const SYLLABLES = [
  'ka',
  'lo',
  'ven',
  'tri',
  'mar',
  'zo',
  'quin',
  'bel',
  'dra',
  'fen',
  'sol',
  'nix',
  'ra',
  'tel',
  'vor',
  'lum',
  'pex',
  'cor',
  'dal',
  'mi',
  'sen',
  'tu',
  'gar',
  'wen',
];
const NAME_ENDINGS = ['', '', '', 'io', 'ly', 'ora', 'ix', 'an'];
const NAME_WORDS = ['', '', '', ' Labs', ' Systems', ' Cloud', ' Health', ' Analytics', ' Works'];

const CATEGORIES = [
  'account data',
  'billing records',
  'support tickets',
  'server logs',
  'usage analytics',
  'marketing preferences',
  'uploaded files',
  'chat transcripts',
  'device identifiers',
  'payment details',
  'backup copies',
  'audit trails',
  'location data',
  'call recordings',
  'job applications',
  'survey responses',
  'security logs',
  'newsletter subscriptions',
  'invoices',
  'identity documents',
];
const PERIODS = [
  '30 days',
  '60 days',
  '90 days',
  '6 months',
  '12 months',
  '18 months',
  '24 months',
  '3 years',
  '5 years',
  '7 years',
];
const STARTS = [
  'after the account is closed',
  'from the last login',
  'after the contract ends',
  'from the date of collection',
  'after the request is resolved',
];
const THENS = [
  'after which it is deleted',
  'and then anonymised',
  'before it is purged automatically',
  'after which it is securely erased',
];
const PURPOSES = [
  'hosting',
  'email delivery',
  'payment processing',
  'customer support',
  'error monitoring',
  'product analytics',
  'content delivery',
  'identity verification',
];
const REGIONS = [
  'the EU',
  'the United States',
  'the United Kingdom',
  'Ireland',
  'Germany',
  'Canada',
  'the Netherlands',
];
const VENDOR_HEADS = [
  'Nimbus',
  'Ledger',
  'Beacon',
  'Orbit',
  'Signal',
  'Harbor',
  'Quartz',
  'Pylon',
  'Meridian',
  'Tessel',
];
const VENDOR_TAILS = ['grid', 'forge', 'point', 'works', 'base', 'mail', 'pay', 'desk', 'scope', 'stack'];
const SUBJECTS = ['visitors', 'customers', 'end users', 'job applicants', 'business contacts', 'trial users'];
const ACTIONS = [
  'provide the service',
  'process payments',
  'answer support requests',
  'improve reliability',
  'prevent fraud',
  'send product updates',
  'meet tax obligations',
];
const BASES = ['performance of a contract', 'legitimate interest', 'consent', 'legal obligation'];
const RIGHTS = ['access', 'correct', 'delete', 'export', 'object to', 'restrict the processing of'];
const MEASURES = [
  'AES-256 encryption at rest',
  'TLS 1.3 in transit',
  'single sign-on with multi-factor authentication',
  'role-based access control',
  'annual penetration tests',
  'tenant isolation at the database level',
];
const COOKIES = ['session', 'csrf_token', 'consent_choice', 'locale', 'analytics_id', 'ab_variant'];
const CONNECTORS = [
  'In addition,',
  'Where relevant,',
  'As a rule,',
  'In practice,',
  'For clarity,',
  'Unless the law requires otherwise,',
];
const FILLER_VERBS = ['review', 'document', 'audit', 'limit', 'monitor', 'record', 'minimise'];
const FILLER_OBJECTS = [
  'access to personal data',
  'the purposes of each processing activity',
  'requests from authorities',
  'changes to our sub-processors',
  'the data we collect',
  'internal data flows',
];
const FILLER_WHEN = [
  'every quarter',
  'at least once a year',
  'whenever a product changes',
  'before a new vendor is engaged',
  'as part of our security programme',
];

interface Doc {
  title: string;
  intro: string[];
  sections: {
    title: string;
    paragraphs: string[];
    list?: { lead: string; items: string[] };
    table?: { header: string[]; rows: string[][] };
  }[];
}

function companyName(r: Rand, taken: Set<string>): { company: string; id: string } {
  for (;;) {
    const stem =
      Array.from({ length: int(r, 2, 3) }, () => pick(r, SYLLABLES)).join('') + pick(r, NAME_ENDINGS);
    const company = cap(stem) + pick(r, NAME_WORDS);
    const id = company.toLowerCase().replace(/[^a-z0-9]+/g, '-');
    if (!taken.has(id)) {
      taken.add(id);
      return { company, id };
    }
  }
}

function filler(r: Rand, company: string): string {
  const sentences: string[] = [];
  for (let i = int(r, 2, 4); i > 0; i--) {
    const who = pick(r, [company, 'we', 'our team', 'the privacy team']);
    const verb = pick(r, FILLER_VERBS);
    sentences.push(
      `${pick(r, CONNECTORS)} ${who} ${who === 'we' ? verb : `${verb}s`} ${pick(r, FILLER_OBJECTS)} ${pick(r, FILLER_WHEN)}.`,
    );
  }
  return sentences.join(' ');
}

/** One policy's content, independent of its format. */
function buildDoc(
  r: Rand,
  company: string,
  domain: string,
): { doc: Doc; retention: SyntheticPolicy['retention']; email: string } {
  const email = `${pick(r, ['privacy', 'dpo', 'dataprotection', 'legal'])}@${domain}`;
  const retention = sample(r, CATEGORIES, int(r, 4, 8)).map((category) => ({
    category,
    period: pick(r, PERIODS),
  }));
  const vendors = sample(r, VENDOR_HEADS, int(r, 3, 6)).map((h) => ({
    name: h + pick(r, VENDOR_TAILS),
    purpose: pick(r, PURPOSES),
    region: pick(r, REGIONS),
  }));
  const collected = sample(r, CATEGORIES, int(r, 5, 9));
  const retentionTable = r() < 0.5;
  const doc: Doc = {
    title: `${company} Privacy Policy`,
    intro: [
      `This policy explains how ${company} ("${company}", "we", "us") handles personal data about ${pick(r, SUBJECTS)} and ${pick(r, SUBJECTS)}.`,
      `${company} acts as a data controller for the information described below.`,
    ],
    sections: [
      {
        title: 'Data We Collect',
        paragraphs: [`We collect only what we need to ${pick(r, ACTIONS)}.`],
        list: {
          lead: 'We collect:',
          items: collected.map(
            (c) =>
              `${cap(c)}, ${pick(r, ['when you provide them', 'generated as you use the product', 'received from our customers'])}`,
          ),
        },
      },
      {
        title: 'How We Use Data',
        paragraphs: sample(r, ACTIONS, 3).map(
          (a) => `We use personal data to ${a}, relying on ${pick(r, BASES)}.`,
        ),
      },
      {
        title: 'Sub-processors',
        paragraphs: [
          `${company} engages the following sub-processors and signs a data processing agreement with each.`,
        ],
        table: {
          header: ['Vendor', 'Purpose', 'Location'],
          rows: vendors.map((v) => [v.name, v.purpose, v.region]),
        },
      },
      {
        title: 'Data Retention',
        paragraphs: [`${company} keeps personal data only as long as necessary for the purposes above.`],
        ...(retentionTable
          ? {
              table: {
                header: ['Data category', 'Retention period'],
                rows: retention.map((x) => [cap(x.category), `${x.period} ${pick(r, STARTS)}`]),
              },
            }
          : {
              list: {
                lead: 'Retention periods:',
                items: retention.map((x) =>
                  pick(r, [
                    `${cap(x.category)} are kept for ${x.period} ${pick(r, STARTS)}, ${pick(r, THENS)}.`,
                    `We retain ${x.category} for up to ${x.period} ${pick(r, STARTS)}.`,
                    `${cap(x.category)}: ${x.period}, ${pick(r, THENS)}.`,
                  ]),
                ),
              },
            }),
      },
      {
        title: 'Security',
        paragraphs: [`We protect data with ${sample(r, MEASURES, 3).join(', ')}.`],
      },
      {
        title: 'Your Rights',
        paragraphs: [
          `You may ${sample(r, RIGHTS, int(r, 3, 6)).join(', ')} your personal data.`,
          `We answer requests within ${pick(r, ['30 days', 'one month', '45 days'])}. Send requests to ${email}.`,
        ],
      },
      {
        title: 'Cookies',
        paragraphs: [
          `We use the ${sample(r, COOKIES, 2).join(' and ')} cookies, which are strictly necessary.`,
          `We ${pick(r, ['do not use', 'use'])} advertising cookies.`,
        ],
      },
      {
        title: 'Contact',
        paragraphs: [`Questions about this policy go to ${email}.`],
      },
    ],
  };
  return { doc, retention, email };
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function render(doc: Doc, format: SyntheticFormat, numbered: boolean): string {
  const out: string[] = [];
  if (format === 'markdown') {
    out.push(`# ${doc.title}`, '', ...doc.intro.flatMap((p) => [p, '']));
    doc.sections.forEach((s, i) => {
      out.push(`## ${numbered ? `${i + 1}. ` : ''}${s.title}`, '');
      for (const p of s.paragraphs) out.push(p, '');
      if (s.list) out.push(s.list.lead, '', ...s.list.items.map((x) => `- ${x}`), '');
      if (s.table) {
        out.push(`| ${s.table.header.join(' | ')} |`, `|${s.table.header.map(() => '---').join('|')}|`);
        for (const row of s.table.rows) out.push(`| ${row.join(' | ')} |`);
        out.push('');
      }
    });
  } else if (format === 'text') {
    out.push('Privacy Policy', ...doc.intro);
    doc.sections.forEach((s, i) => {
      out.push(`${i + 1}. ${s.title}`, ...s.paragraphs);
      if (s.list) out.push(s.list.lead, ...s.list.items.map((x) => `- ${x}`));
      // Plain text has no tables: rows become dash items ("Vendor - purpose, location").
      if (s.table) out.push(...s.table.rows.map((row) => `- ${row[0]} - ${row.slice(1).join(', ')}`));
    });
  } else {
    out.push(
      '<!doctype html>',
      `<html><head><title>${escapeHtml(doc.title)}</title></head><body>`,
      `<h1>${escapeHtml(doc.title)}</h1>`,
    );
    for (const p of doc.intro) out.push(`<p>${escapeHtml(p)}</p>`);
    for (const s of doc.sections) {
      out.push(`<h2>${escapeHtml(s.title)}</h2>`, ...s.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`));
      if (s.list)
        out.push(
          `<p>${escapeHtml(s.list.lead)}</p><ul>`,
          ...s.list.items.map((x) => `<li>${escapeHtml(x)}</li>`),
          '</ul>',
        );
      if (s.table) {
        out.push('<table>', `<tr>${s.table.header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`);
        for (const row of s.table.rows)
          out.push(`<tr>${row.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`);
        out.push('</table>');
      }
    }
    out.push('</body></html>');
  }
  return `${out.join('\n')}\n`;
}

const EXTENSIONS: Record<SyntheticFormat, string> = { markdown: '.md', text: '.txt', html: '.html' };

/** Writes `count` generated policies into a fresh directory under the system temp directory. */
export async function generateCorpus(count = 1000, seed = 20240601): Promise<SyntheticCorpus> {
  const r = rng(seed);
  const dir = await mkdtemp(join(tmpdir(), 'privacy-ops-bench-'));
  const taken = new Set<string>();
  const policies: SyntheticPolicy[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const { company, id } = companyName(r, taken);
      const format = pick(r, ['markdown', 'text', 'html'] as const);
      const domain = `${id.replace(/-/g, '')}.example`;
      const { doc, retention, email } = buildDoc(r, company, domain);
      const numbered = r() < 0.5;
      // Pad with recombined filler paragraphs until the rendered document reaches its size.
      const target = int(r, 3000, 9500);
      let source = render(doc, format, numbered);
      while (source.length < target) {
        pick(r, doc.sections).paragraphs.push(filler(r, company));
        source = render(doc, format, numbered);
      }
      await writeFile(join(dir, id + EXTENSIONS[format]), source, 'utf8');
      policies.push({ id, company, format, bytes: Buffer.byteLength(source), retention, email });
    }
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return { dir, policies, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

const SCOPED = [
  'Which email address receives privacy requests?',
  'Who hosts our data?',
  'What encryption is used for data at rest?',
  'Which cookies are required?',
  'What rights do users have over their data?',
  'Which sub-processors handle payment processing?',
];
const UNSCOPED = [
  'Do we use advertising cookies?',
  'Which policies mention TLS 1.3?',
  'Who is the data protection officer?',
];

/**
 * Questions over a generated corpus: retention questions naming the company (the answerer scopes by
 * name) or given the policy id, and generic questions with a policy id; then `unscoped` questions
 * with no scope at all, answered against every policy (the expensive case), spread through the list.
 */
export function generateQuestions(
  policies: SyntheticPolicy[],
  count = 200,
  unscoped = 6,
  seed = 7,
): SyntheticQuestion[] {
  const r = rng(seed);
  const out: SyntheticQuestion[] = [];
  for (let i = 0; i < count - unscoped; i++) {
    const p = pick(r, policies);
    const x = pick(r, p.retention);
    const roll = r();
    if (roll < 0.4) {
      out.push({
        q: `How long does ${p.company} keep ${x.category}?`,
        policy: null,
        kind: 'retention-named',
        expect: x.period,
      });
    } else if (roll < 0.7) {
      const q = pick(r, [
        `How long are ${x.category} retained?`,
        `What is the retention period for ${x.category}?`,
      ]);
      out.push({ q, policy: p.id, kind: 'retention-scoped', expect: x.period });
    } else {
      out.push({ q: pick(r, SCOPED), policy: p.id, kind: 'scoped' });
    }
  }
  for (let i = 0; i < unscoped; i++) {
    const at = Math.floor(((i + 0.5) * out.length) / unscoped);
    out.splice(at, 0, { q: UNSCOPED[i % UNSCOPED.length]!, policy: null, kind: 'unscoped' });
  }
  return out;
}
