import type { Clause, Fact, FactOf, Policy, Section } from './model.js';
import { DURATION_RE, durationDays, parseNumber } from './text.js';

/**
 * Rule-based extraction of typed facts. Each rule reads one clause at a time, with its section
 * title, the sentence that introduces its list and its table header as context, and every fact it
 * emits keeps the clause id and the exact words it was read from. The rules are general patterns of
 * policy language, not tuned to any one policy.
 */

interface Ctx {
  clause: Clause;
  section: Section | undefined;
  /** Section title and its parents, lower-cased, for topic tests. */
  heading: string;
}

const TOPIC = {
  retention: /retention|retain|keep|how long|storage period|deletion|delete|store/,
  rights: /right|choice|control|access|your data|request/,
  sharing: /shar|third|processor|vendor|provider|disclos|recipient|who we/,
  cookies: /cookie|tracking|similar technolog|analytics/,
  security: /secur|protect|encrypt|safeguard/,
  children: /child|minor|age/,
  changes: /change|update|amend|revision/,
  transfers: /transfer|international|cross-border|outside/,
  legal: /legal bas|lawful|basis/,
};

const RETENTION_VERB =
  /\b(retain(?:ed|s)?|retention|kept|keep(?:s)?|store[ds]?|storing|delet(?:e|ed|es|ion)|purg(?:e|ed)|remov(?:e|ed)|erase[ds]?|persist|rotat(?:ed|ion)|anonymi[sz]ed?|destroy(?:ed)?)\b/i;
const PERIOD_PHRASE =
  /\b(?:(?:up to|within|at least|at most|for|typically|no (?:longer|more) than|a maximum of|maximum of|about|approximately|around|over)\s+)?(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|eighteen|twenty|thirty|forty|fifty|sixty|ninety)(?:\s*\(\d+\))?[\s-]*(?:business |calendar |working )?(?:days?|weeks?|months?|years?)(?:\s+(?:after|from|following|of|since|before)\s+[^,;.()—–]{1,60})?/i;
const OPEN_PERIOD =
  /\b(?:for as long as|as long as|while|until|for the duration of|during|indefinitely|for the life of|as required by law|as long as necessary)\b[^;.—–]{0,80}/i;
const START =
  /\b(?:after|from|following|since|of)\s+((?:the\s+|your\s+|account\s+)?(?:deletion|account deletion|cancell?ation|termination|closure|last (?:contact|login|activity|use|interaction)|collection|build|the end of [^,;.]{1,40}|expiry|expiration|creation|your last [^,;.]{1,30}|deletion of [^,;.]{1,30}))/i;
const THEN = /\b(?:then|after which|afterwards|thereafter|after this period),?\s+([^.;]{3,80})/i;

function clean(s: string): string {
  return s
    .replace(/^[\s,;:—–-]+|[\s,;:—–-]+$/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function fact<K extends Fact['kind']>(
  kind: K,
  ctx: Ctx,
  quote: string,
  fields: Omit<FactOf<K>, 'kind' | 'source' | 'origin'>,
): FactOf<K> {
  return { kind, ...fields, source: { clauseId: ctx.clause.id, quote }, origin: 'rules' } as FactOf<K>;
}

/** "Label: text", "Label — text" or an inline-titled clause, split into label and body. */
function labelled(text: string): { label: string; body: string } | null {
  const m = /^([^:—–.!?]{2,70}?)\s*(?::|—|–|\s-\s)\s*(.+)$/s.exec(text);
  if (!m) return null;
  const label = clean(m[1]!);
  if (
    label.split(/\s+/).length > 8 ||
    (/\b(we|you|our|your)\b/i.test(label) && label.split(/\s+/).length > 4)
  )
    return null;
  return { label, body: clean(m[2]!) };
}

function firstDuration(text: string): { period: string; days: number } | null {
  const m = PERIOD_PHRASE.exec(text);
  if (!m) return null;
  const d = DURATION_RE.exec(m[0]);
  const amount = d ? parseNumber(d[1]!) : null;
  return { period: clean(m[0]), days: amount !== null && d ? durationDays(amount, d[2]!) : 0 };
}

function retentionFacts(ctx: Ctx): Fact[] {
  const { clause } = ctx;
  const out: Fact[] = [];
  const inRetention = TOPIC.retention.test(ctx.heading);
  // Table rows: the first cell names the data; a header tells which cell is the period.
  if (clause.kind === 'table-row' && clause.cells && clause.cells.length >= 2) {
    const header = clause.header?.map((h) => h.toLowerCase()) ?? [];
    let periodAt = header.findIndex((h) => /kept|retain|retention|period|duration|how long|storage/.test(h));
    if (periodAt < 0)
      periodAt = clause.cells.findIndex((c, i) => i > 0 && (PERIOD_PHRASE.test(c) || OPEN_PERIOD.test(c)));
    if (periodAt > 0 && (inRetention || periodAt >= 0)) {
      const thenAt = header.findIndex((h, i) => i !== periodAt && i > 0 && /after|then|deletion|end/.test(h));
      const period = clause.cells[periodAt]!;
      const d = firstDuration(period);
      const start = START.exec(period)?.[1];
      out.push(
        fact('retention', ctx, clause.text, {
          category: clause.cells[0]!,
          period,
          days: d?.days ?? null,
          start: start ? clean(start) : null,
          afterwards: thenAt > 0 ? `${clause.header![thenAt]}: ${clause.cells[thenAt]}` : null,
        }),
      );
    }
    return out;
  }
  for (const sentence of clause.sentences) {
    // Several "Label: period." statements may share one paragraph.
    const parts = sentence.split(/(?<=[.;])\s+(?=[\p{Lu}][^:]{1,60}:)/u);
    for (const part of parts) {
      const lab = labelled(part);
      const body = lab?.body ?? part;
      const duration = firstDuration(body);
      const open = OPEN_PERIOD.exec(body);
      const verb = RETENTION_VERB.test(body);
      // "Technical logs: up to 90 days." — a label followed directly by a period is a schedule entry.
      const scheduleEntry = lab !== null && (PERIOD_PHRASE.exec(body)?.index ?? 99) <= 2;
      if (!verb && !scheduleEntry && !(inRetention && (duration || open))) continue;
      if (!duration && !open && !lab) continue;
      if (!inRetention && !verb && !scheduleEntry) continue;
      // Without a period, only a passive "kept/retained/stored" names data that is kept.
      if (!duration && !open && !/\b(kept|retained|stored|held|archived)\b/i.test(body)) continue;
      // Purpose-only durations ("respond within 30 days") are not retention.
      if (!verb && /\b(respond|reply|notify|notice)\b/i.test(body)) continue;
      if (/\b(respond|reply|answer)\b/i.test(body) && !/\b(retain|kept|keep|delet|stor)/i.test(body))
        continue;
      const category = lab?.label ?? subjectOf(part, ctx);
      if (!category) continue;
      const periodText =
        duration && open && open.index < (PERIOD_PHRASE.exec(body)?.index ?? 0)
          ? clean(body.replace(/\.$/, ''))
          : duration
            ? duration.period
            : open
              ? clean(open[0])
              : null;
      const then = THEN.exec(body)?.[1];
      const start = START.exec(body)?.[1];
      out.push(
        fact('retention', ctx, part, {
          category,
          period: periodText,
          days: duration?.days ?? null,
          start: start ? clean(start) : null,
          afterwards: then ? clean(then) : null,
        }),
      );
    }
  }
  return out;
}

/** The data a retention sentence is about: its inline section title, or the object of "retain". */
function subjectOf(sentence: string, ctx: Ctx): string | null {
  const title = ctx.section?.title ?? '';
  if (
    title &&
    !/^(data )?retention|^how long|^storage|^keeping/i.test(title) &&
    ctx.section?.number?.includes('.')
  ) {
    return title;
  }
  const object =
    /\b(?:retain|keep|store|hold)s?\s+((?:your|all|the|any|such|certain|this)?\s*[\w\s-]{2,40}?)\s+(?:for|until|while|as long|up to|during|only)\b/i.exec(
      sentence,
    );
  if (object) return clean(object[1]!);
  const subject =
    /^([\w\s,&/-]{3,50}?)\s+(?:is|are|will be|may be|may|can|shall be)\s+(?:retained|kept|stored|deleted|purged|removed|held|persist|rotated)/i.exec(
      sentence,
    );
  if (subject) return clean(subject[1]!);
  return title && !/retention/i.test(title) ? title : null;
}

const RIGHTS: [FactOf<'right'>['right'], RegExp][] = [
  ['access', /\baccess\b|\bcopy of\b|\bknow what\b/i],
  ['rectification', /rectif|\bcorrect/i],
  ['erasure', /erasure|\bdelet|\berase/i],
  ['restriction', /restrict/i],
  ['portability', /portab|\bexport\b|machine[- ]readable/i],
  ['objection', /\bobject/i],
  ['withdraw-consent', /withdraw[^.]{0,30}consent/i],
  ['opt-out-of-sale', /opt[- ]out[^.]{0,40}(sale|sell|shar)|do not sell/i],
  ['complaint', /complain|lodge/i],
  ['automated-decisions', /automated decision/i],
];

function rightFacts(ctx: Ctx): Fact[] {
  // A section about rights or choices; "Building access" is about doors, not the right of access.
  const inRights = /\brights?\b|\bchoices?\b|\bcontrols?\b|\byour data\b/i.test(ctx.heading);
  const out: Fact[] = [];
  for (const s of ctx.clause.sentences) {
    const rightsLanguage = /\bright(s)? (to|of)\b|\byou (can|may|have)\b|\brequest\b/i.test(s);
    // Even there, a right is a sentence addressed to the reader or an item of a list of them.
    if (!rightsLanguage && !(inRights && ctx.clause.kind === 'list-item')) continue;
    if (!inRights && !/\bright/i.test(s)) continue;
    for (const [right, re] of RIGHTS) if (re.test(s)) out.push(fact('right', ctx, s, { right }));
  }
  return out;
}

function contactFacts(ctx: Ctx): Fact[] {
  const out: Fact[] = [];
  for (const s of ctx.clause.sentences) {
    // "Toll-free: 1-800-555-0142", "call us on +44 20 7946 0000", "Phone: (555) 010-2000".
    for (const m of s.matchAll(
      /\b(?:phone|telephone|tel|toll-free|call us|call)\b(?:\s+(?:us|at|on|number|line))*\s*[:.]?\s*(\+?[\d(][\d\s().-]{6,}\d)/gi,
    )) {
      const around = `${ctx.heading} ${s}`.toLowerCase();
      const purpose = /right|request|privacy|data protection|personal data/.test(around)
        ? 'privacy requests'
        : null;
      out.push(fact('contact', ctx, s, { channel: 'phone', value: m[1]!.trim(), purpose }));
    }
    for (const m of s.matchAll(/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g)) {
      const email = m[0].replace(/\.$/, '');
      const around = `${ctx.heading} ${s}`.toLowerCase();
      const purpose = /secur/.test(s.toLowerCase())
        ? 'security'
        : /right|request|delet|access|privacy|data protection|personal data|gdpr|ccpa/.test(around)
          ? 'privacy requests'
          : /support|help/.test(around)
            ? 'support'
            : null;
      out.push(fact('contact', ctx, s, { channel: 'email', value: email, purpose }));
    }
  }
  return out;
}

function responseTimeFacts(ctx: Ctx): Fact[] {
  const out: Fact[] = [];
  for (const s of ctx.clause.sentences) {
    if (!/\b(respond|response|reply|answer|complete|fulfil|process)\w*\b/i.test(s)) continue;
    if (!/\brequest|\brights?\b|\bwe\b/i.test(`${ctx.heading} ${s}`)) continue;
    const d =
      /(\d+|thirty|forty-five|fifteen|ten|one)[\s-]*(?:\(\d+\)\s*)?(day|month|business day|calendar day|working day)s?\b/i.exec(
        s,
      );
    const legal = /\b(GDPR|legal|statutory) deadlines?\b|\bwithout undue delay\b/i.exec(s);
    if (!d && !legal) continue;
    const amount = d ? parseNumber(d[1]!) : null;
    out.push(
      fact('response-time', ctx, s, {
        period: d ? clean(d[0]) : clean(legal![0]),
        days: amount !== null && d ? durationDays(amount, d[2]!) : null,
      }),
    );
  }
  return out;
}

const COMMON_CAPITALISED = new Set(
  `We Our Us You Your The This These That If For In On At To By With From And Or Of As An A All Any Each Some Where When
  Data Personal Privacy Policy Service Services Site App Application Account Cookies Cookie Analytics EU EEA UK US USA
  GDPR CCPA CPRA DPA SCC SCCs Standard Contractual Clauses European Union United States Kingdom Global West East
  North South Africa Asia Europe America Cloud Hosting Payment Email Mail Storage CDN DDoS API AI CAD Inc Ltd LLC
  Trust Center Terms Yes No Not Security Business Enterprise Customer Customers Legal Purpose Region Processing
  Provider Providers Infrastructure Sub-processor Sub-processors Processor Processors Transactional SMTP Self-hosted`.split(
    /\s+/,
  ),
);
const PROVIDER_CONTEXT =
  /\b(host(?:ed|ing|s)?|provider|processor|sub-?processors?|powered by|vendor|infrastructure|delivery|payments?|cdn|we use|uses|via|analytics|inference|partners?)\b/i;

function processorFacts(ctx: Ctx, policy: Policy, lowerWords: Set<string>): Fact[] {
  const { clause } = ctx;
  const out: Fact[] = [];
  const isSharing = TOPIC.sharing.test(ctx.heading);
  const add = (name: string, quote: string, purpose: string | null, region: string | null) => {
    const n = clean(name);
    if (n.length < 2 || n.toLowerCase() === policy.name.toLowerCase()) return;
    out.push(fact('processor', ctx, quote, { name: n, purpose, region }));
  };
  if (
    clause.kind === 'table-row' &&
    clause.cells &&
    (isSharing || /processor|provider|vendor/i.test(clause.header?.join(' ') ?? ''))
  ) {
    const header = clause.header?.map((h) => h.toLowerCase()) ?? [];
    const purposeAt = header.findIndex((h) => /purpose|service|function|use/.test(h));
    const regionAt = header.findIndex((h) => /region|location|country|where/.test(h));
    // "Stripe / Adyen" names two; "Postmark (ActiveCampaign, LLC)" and "Stripe Payments Europe,
    // Ltd." name one each.
    const names = clause.cells[0]!.split(/\s*(?:\/|,| or | and )\s*(?![^()]*\))/).filter(
      (n) => !/^(?:ltd|limited|inc|llc|gmbh|s\.?a|b\.?v|ag|plc|se|oü|co)\.?$/i.test(n),
    );
    for (const name of names) {
      add(
        name,
        clause.text,
        purposeAt > 0 ? (clause.cells[purposeAt] ?? null) : (clause.cells[1] ?? null),
        regionAt > 0 ? (clause.cells[regionAt] ?? null) : null,
      );
    }
    return out;
  }
  // Other tables (legal bases, retention, cookies) name activities and data, not companies.
  if (clause.kind === 'table-row') return out;
  for (const s of clause.sentences) {
    if (!isSharing && !PROVIDER_CONTEXT.test(s)) continue;
    for (const m of s.matchAll(
      /\b[A-Z][a-zA-Z0-9]*(?:[A-Z][a-zA-Z0-9]*)*(?:\s(?:Web\s)?[A-Z][a-zA-Z0-9]+)?\b/g,
    )) {
      const word = m[0];
      const head = word.split(/\s/)[0]!;
      if (COMMON_CAPITALISED.has(head) || COMMON_CAPITALISED.has(word)) continue;
      // Sentence-initial words and acronyms (IP, HMAC, UI) are not company names.
      const startsItem = (m.index ?? 0) === 0 && !(clause.kind === 'list-item' && s[word.length] === ',');
      if (startsItem || /^[A-Z0-9-]{2,7}$/.test(head)) continue;
      if (/[—–:]\s*$/.test(s.slice(0, m.index))) continue;
      // A name is a word the policy never writes in lower case ("Cloudflare", not "Analytics").
      if (lowerWords.has(head.toLowerCase())) continue;
      if (/^(in|from|at)\s$/i.test(s.slice(Math.max(0, (m.index ?? 0) - 3), m.index))) continue;
      const after = s.slice((m.index ?? 0) + word.length);
      // "X to host our databases and Y to send e-mails": X's purpose ends where Y's begins.
      const purpose =
        /^,?\s*(?:for|to)\s+([^.;()]{3,80})/
          .exec(after)?.[1]
          ?.replace(
            /,?\s+(?:and|while|whereas)\s+\p{Lu}[\p{L}\d.&-]*(?:\s+\p{Lu}[\p{L}\d.&-]*)*\s+(?:to|for)\s.*$/u,
            '',
          ) ?? null;
      add(word, s, purpose ? clean(purpose) : null, null);
    }
  }
  return out;
}

function locationFacts(ctx: Ctx): Fact[] {
  const out: Fact[] = [];
  for (const s of ctx.clause.sentences) {
    const m =
      /\b(?:stored|hosted|located|housed|kept|processed|data cent(?:er|re)|servers?)\b[^.]{0,60}?\b(?:in|within)\s+((?:the\s+)?(?:[A-Z][\w-]*(?:\s+|,\s*|\s*\()?){1,5}[A-Z)]?[\w)]*)/.exec(
        s,
      );
    if (m && !/\bif\b/i.test(s.slice(0, 10)))
      out.push(fact('hosting', ctx, s, { location: clean(m[1]!.replace(/\($/, '')) }));
  }
  return out;
}

function transferFacts(ctx: Ctx): Fact[] {
  const out: Fact[] = [];
  for (const s of ctx.clause.sentences) {
    const m =
      /standard contractual clauses|\bSCCs?\b|adequacy decisions?|binding corporate rules|data privacy framework|privacy shield|equivalent (?:safeguards|mechanisms)/i.exec(
        s,
      );
    if (m) out.push(fact('transfer', ctx, s, { safeguard: m[0] }));
  }
  return out;
}

function cookieFacts(ctx: Ctx): Fact[] {
  const { clause } = ctx;
  const inCookies = TOPIC.cookies.test(ctx.heading);
  const requiredOf = (t: string): boolean | null =>
    /\b(non-essential|optional|not required|^no$|consent)\b/i.test(t)
      ? false
      : /\b(required|essential|strictly necessary|cannot be disabled|^yes$|necessary)\b/i.test(t)
        ? true
        : null;
  if (clause.kind === 'table-row' && clause.cells && (inCookies || /cookie/i.test(clause.cells[0]!))) {
    const header = clause.header?.map((h) => h.toLowerCase()) ?? [];
    const reqAt = header.findIndex((h) => /required|essential|necessary|type|category/.test(h));
    const purposeAt = header.findIndex((h) => /purpose|use|description/.test(h));
    return [
      fact('cookie', ctx, clause.text, {
        name: clause.cells[0]!,
        purpose: purposeAt > 0 ? (clause.cells[purposeAt] ?? null) : (clause.cells[1] ?? null),
        required: reqAt > 0 ? requiredOf(clause.cells[reqAt] ?? '') : null,
      }),
    ];
  }
  if (!inCookies && !/cookie/i.test(clause.text)) return [];
  const out: Fact[] = [];
  const lab = labelled(clause.text);
  if (
    clause.kind === 'list-item' &&
    lab &&
    /cookie|storage|token|pixel|tag/i.test(`${lab.label} ${clause.lead ?? ''} ${ctx.heading}`)
  ) {
    out.push(
      fact('cookie', ctx, clause.text, {
        name: lab.label,
        purpose: lab.body,
        required: requiredOf(lab.body),
      }),
    );
    return out;
  }
  for (const s of clause.sentences) {
    for (const m of s.matchAll(/\b((?:[\w-]+\s){0,3}?)(cookies?)\b/gi)) {
      const name = clean(`${m[1] ?? ''}${m[2]}`);
      if (
        /^(use|uses|set|sets|the|no|of|and|or|these|such|any|cookies?)$/i.test(name.split(' ')[0]!) &&
        name.split(' ').length > 1
      )
        continue;
      if (name.split(' ').length < 2) continue;
      // Whether this cookie is required is read from its own part of the sentence ("and a strictly
      // necessary session cookie"), not from another cookie the same sentence mentions.
      const at = m.index ?? 0;
      const partStart =
        Math.max(s.lastIndexOf(',', at), s.lastIndexOf(';', at), s.lastIndexOf(' and ', at)) + 1;
      const partEnd = s.slice(at).search(/[,;.]|\band\b/);
      const own = s.slice(partStart, partEnd > 0 ? at + partEnd : undefined);
      out.push(fact('cookie', ctx, s, { name, purpose: null, required: requiredOf(own) }));
    }
  }
  return out;
}

const BASES =
  /performance of (?:the |a )?contract|pre-contractual[^,.;)]*|contract|legitimate interests?|consent|legal obligations?|vital interests?|public (?:interest|task)/gi;

function legalBasisFacts(ctx: Ctx): Fact[] {
  const { clause } = ctx;
  if (clause.kind === 'table-row' && clause.cells && clause.cells.length >= 2) {
    const header = clause.header?.map((h) => h.toLowerCase()) ?? [];
    const basisAt = header.findIndex((h) => /basis|lawful/.test(h));
    if (basisAt > 0) {
      return [
        fact('legal-basis', ctx, clause.text, { activity: clause.cells[0]!, basis: clause.cells[basisAt]! }),
      ];
    }
    return [];
  }
  const out: Fact[] = [];
  for (const s of clause.sentences) {
    if (!/legal bas[ie]s|lawful bas|legal ground/i.test(`${s} ${ctx.heading}`)) continue;
    const bases = [...new Set((s.match(BASES) ?? []).map((b) => b.toLowerCase()))];
    if (bases.length === 0) continue;
    out.push(
      fact('legal-basis', ctx, s, {
        activity: labelled(s)?.label.replace(/^legal basis$/i, '') || null,
        basis: bases.join(', '),
      }),
    );
  }
  return out;
}

const SECURITY =
  /\b(encrypt\w*|AES-?\d+|TLS(?: \d\.\d)?|SSL|HMAC[-\w]*|hash(?:ed|ing)?|multi-factor|two-factor|2FA|MFA|access controls?|least[- ]privilege|role-based|isolat\w+|audit(?:ed| logs?| trails?)?|penetration test\w*|vulnerability scann\w*|firewall\w*|pseudonymi[sz]\w*|per-tenant keys|security (?:assessments|training|practices))\b/i;

function securityFacts(ctx: Ctx): Fact[] {
  const inSecurity = TOPIC.security.test(ctx.heading);
  const out: Fact[] = [];
  for (const s of ctx.clause.sentences) {
    const m = SECURITY.exec(s);
    if (!m && !inSecurity) continue;
    if (!m && s.split(/\s+/).length < 4) continue;
    out.push(fact('security', ctx, s, { measure: m ? m[0] : clean(s).slice(0, 80) }));
  }
  return out;
}

function ageFacts(ctx: Ctx): Fact[] {
  const out: Fact[] = [];
  for (const s of ctx.clause.sentences) {
    if (!/\b(child|children|minors?|age|aged|years old|teens?)\b/i.test(`${s} ${ctx.heading}`)) continue;
    // "under 16", "at least 18 years old" — but not "14 days before" on a page about changes.
    const m =
      /\b(?:under|younger than|below|at least|over|aged?|minimum age of)\s+(?:the age of\s+)?(\d{1,2})\b(?!\s*(?:days?|weeks?|months?|hours?|business))/i.exec(
        s,
      );
    if (m && /\b(child|children|minors?|age|intended|directed|collect|years old|teens?)\b/i.test(s)) {
      out.push(fact('minimum-age', ctx, s, { age: Number(m[1]) }));
    }
  }
  return out;
}

function changeFacts(ctx: Ctx): Fact[] {
  const inChanges = TOPIC.changes.test(ctx.heading);
  const out: Fact[] = [];
  for (const s of ctx.clause.sentences) {
    if (!/\b(chang|updat|amend)\w*/i.test(s) && !inChanges) continue;
    if (!/\b(notif|notice|email|announce|post|inform|tell)\w*/i.test(s)) continue;
    if (!/\b(polic|changes?|updates?)\b/i.test(s)) continue;
    const d =
      /(?:at least\s+)?(\d+|thirty|fourteen|seven)\s*(?:\(\d+\)\s*)?(days?|weeks?|months?)\s+(?:before|prior|in advance)/i.exec(
        s,
      );
    const amount = d ? parseNumber(d[1]!) : null;
    out.push(
      fact('change-notice', ctx, s, {
        period: d ? clean(d[0]) : null,
        days: d && amount !== null ? durationDays(amount, d[2]!) : null,
      }),
    );
  }
  return out;
}

/** An authority's proper name: "Berlin Commissioner for Data Protection and Freedom of Information". */
const NAMED_AUTHORITY =
  /(?:[A-Z][\w'’-]*\s+(?:(?:for|of|and|the)\s+)?)*(?:Commissioner|Authority|Autoriteit|Commission|Beauftragte|Datatilsynet|Garante)(?:\s+(?:for|of)(?:\s+(?:and\s+)?[A-Z][\w'’-]*)+)*/;

/** An authority as a sentence may call it: "the data protection authority", "the ICO". */
const AUTHORITY =
  /((?:[A-Z][\w-]*\s){0,4}(?:data protection|supervisory) authority(?:\s*\([^)]{2,30}\))?|Information Commissioner(?:'s Office)?|\bICO\b|\bCNIL\b|Attorney General|Privacy Commissioner[\w\s]{0,20})/i;

function complaintFacts(ctx: Ctx): Fact[] {
  const out: Fact[] = [];
  let named = false;
  ctx.clause.sentences.forEach((s, i) => {
    const complaint = /complain|lodge/i.test(`${ctx.clause.sentences[i - 1] ?? ''} ${s}`);
    // A sentence after "you may lodge a complaint" that names the authority ("Our lead authority
    // is the Berlin Commissioner for Data Protection…") names the one to complain to.
    // (The authority patterns are slow on long text: each is tried only where it could count.)
    const proper = complaint ? NAMED_AUTHORITY.exec(s) : null;
    if (proper && proper[0].split(/\s+/).length >= 2) {
      out.push(fact('complaint-authority', ctx, s, { authority: clean(proper[0]) }));
      named = true;
      return;
    }
    const m = /complain|lodge|contact|right/i.test(s) ? AUTHORITY.exec(s) : null;
    if (m) out.push(fact('complaint-authority', ctx, s, { authority: clean(m[1]!) }));
  });
  // When the clause names the authority, "a supervisory authority" says nothing more.
  return named ? out.filter((f) => !/^an?\s/.test((f as FactOf<'complaint-authority'>).authority)) : out;
}

const COMMITMENTS: [FactOf<'commitment'>['practice'], RegExp][] = [
  ['sell', /\bsell|\bsale\b|\brent\b/i],
  ['share-for-advertising', /shar\w*[^.]{0,40}advertis|advertisers|data brokers/i],
  ['advertising', /advertis|ad target/i],
  ['train-models', /\btrain\w*[^.]{0,60}models?|models?[^.]{0,40}train/i],
  ['tracking', /track/i],
  ['profiling', /profil/i],
];

function commitmentFacts(ctx: Ctx): Fact[] {
  const out: Fact[] = [];
  for (const s of ctx.clause.sentences) {
    if (!/\b(do not|don't|does not|never|will not|won't|no)\b/i.test(s)) continue;
    for (const [practice, re] of COMMITMENTS)
      if (re.test(s)) out.push(fact('commitment', ctx, s, { practice }));
  }
  return out;
}

/** Runs every rule over every clause of a policy. */
export function extractFacts(policy: Policy): Fact[] {
  const sections = new Map(policy.sections.map((s) => [s.id, s]));
  const lowerWords = new Set<string>();
  for (const c of policy.clauses)
    for (const w of c.text.match(/\b[a-z][a-z0-9]+\b/g) ?? []) lowerWords.add(w);
  const facts: Fact[] = [];
  for (const clause of policy.clauses) {
    const section = sections.get(clause.sectionId);
    const heading = [...(section?.parents ?? []), section?.title ?? '', clause.lead ?? '']
      .join(' ')
      .toLowerCase();
    const ctx: Ctx = { clause, section, heading };
    facts.push(
      ...retentionFacts(ctx),
      ...rightFacts(ctx),
      ...contactFacts(ctx),
      ...responseTimeFacts(ctx),
      ...processorFacts(ctx, policy, lowerWords),
      ...locationFacts(ctx),
      ...transferFacts(ctx),
      ...cookieFacts(ctx),
      ...legalBasisFacts(ctx),
      ...securityFacts(ctx),
      ...ageFacts(ctx),
      ...changeFacts(ctx),
      ...complaintFacts(ctx),
      ...commitmentFacts(ctx),
    );
  }
  return dedupe(facts);
}

function dedupe(facts: Fact[]): Fact[] {
  const seen = new Set<string>();
  return facts.filter((f) => {
    const { source, origin, ...rest } = f;
    const key = JSON.stringify(rest) + source.clauseId;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
