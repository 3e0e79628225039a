import { AppError } from '../../../core/errors.js';
import { loadCorpus } from '../../../core/policy/ingest.js';
import { FACT_KINDS, type Fact } from '../../../core/policy/model.js';
import { type Command, checkDefaultPolicy, parseOptions, usageError } from '../command.js';

const usage = `privacy-ops facts [--corpus DIR] --policy ID [--topic ${FACT_KINDS.join('|')}] [--json]`;

/** Topic names people type, mapped to fact kinds. */
const ALIASES: Record<string, Fact['kind']> = {
  retention: 'retention',
  rights: 'right',
  processors: 'processor',
  'sub-processors': 'processor',
  subprocessors: 'processor',
  vendors: 'processor',
  contacts: 'contact',
  cookies: 'cookie',
  'legal-bases': 'legal-basis',
  security: 'security',
  age: 'minimum-age',
  children: 'minimum-age',
  changes: 'change-notice',
  complaints: 'complaint-authority',
  complaint: 'complaint-authority',
  commitments: 'commitment',
  transfers: 'transfer',
  hosting: 'hosting',
  location: 'hosting',
};

/** The columns of each fact kind's table, in reading order. */
function columns(fact: Fact): [string, string][] {
  const { kind, source, origin, ...rest } = fact;
  return Object.entries(rest).map(([k, v]) => [k, v === null || v === undefined ? '—' : String(v)]);
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.min(60, Math.max(...rows.map((r) => (r[i] ?? '').length))));
  const cut = (s: string, w: number) => (s.length > w ? `${s.slice(0, w - 1)}…` : s.padEnd(w));
  return rows
    .map((r) =>
      r
        .map((c, i) => cut(c, widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export const factsCommand: Command = {
  name: 'facts',
  summary: 'print the typed facts of one policy as a table',
  usage,
  async run(ctx) {
    const { values } = parseOptions(
      ctx.argv,
      {
        corpus: { type: 'string' },
        policy: { type: 'string' },
        topic: { type: 'string' },
        json: { type: 'boolean' },
      },
      usage,
      false,
    );
    const policyId = values.policy ?? ctx.settings.defaultPolicy;
    if (!policyId) throw usageError('Name the policy with --policy ID.', usage);
    let kind: Fact['kind'] | undefined;
    if (values.topic) {
      const t = values.topic.toLowerCase();
      kind = (FACT_KINDS as string[]).includes(t) ? (t as Fact['kind']) : ALIASES[t];
      if (!kind)
        throw usageError(
          `Unknown topic "${values.topic.slice(0, 40)}". Topics: ${FACT_KINDS.join(', ')}.`,
          usage,
        );
    }
    const corpus = await loadCorpus(values.corpus ?? ctx.settings.corpusDir);
    if (!values.corpus && !values.policy) checkDefaultPolicy(corpus, policyId);
    const policy = corpus.policies.find((p) => p.id === policyId);
    if (!policy) {
      throw new AppError(
        'NOT_FOUND',
        `There is no policy "${policyId.slice(0, 60)}". Known policies: ${corpus.policies.map((p) => p.id).join(', ')}.`,
      );
    }
    const facts = policy.facts.filter((f) => !kind || f.kind === kind);
    const sections = new Map(policy.sections.map((s) => [s.id, s]));
    const sectionOf = (clauseId: string) => {
      const s = sections.get(clauseId.split('.c')[0]!);
      return s && s.id !== 's0' ? (s.number ? `${s.number}. ${s.title}` : s.title) : '(opening)';
    };
    if (values.json) {
      ctx.out(`${JSON.stringify({ policy: policy.id, name: policy.name, facts }, null, 2)}\n`);
      return 0;
    }
    ctx.out(
      `${policy.name} (${policy.id}): ${facts.length} fact${facts.length === 1 ? '' : 's'}${kind ? ` of kind ${kind}` : ''}\n`,
    );
    const kinds = [...new Set(facts.map((f) => f.kind))];
    for (const k of kinds) {
      const group = facts.filter((f) => f.kind === k);
      const header = [...columns(group[0]!).map(([name]) => name), 'section', 'quote'];
      const rows = group.map((f) => [
        ...columns(f).map(([, v]) => v),
        sectionOf(f.source.clauseId),
        f.source.quote,
      ]);
      ctx.out(`\n${k}\n${table([header, ...rows])}\n`);
    }
    if (facts.length === 0)
      ctx.out('The policy states no facts of this kind; try `bin/privacy-ops ask` for a passage.\n');
    return 0;
  },
};
