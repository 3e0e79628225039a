/**
 * The regimes and request types the deadline engine knows, the names people type for them, and each
 * regime's home jurisdiction.
 */
import { AppError } from '../errors.js';

export const REGIMES = ['gdpr', 'uk-gdpr', 'ccpa', 'us-state', 'lgpd', 'pipeda', 'quebec', 'swiss'] as const;
export type Regime = (typeof REGIMES)[number];

export const REQUEST_TYPES = [
  'access',
  'rectification',
  'erasure',
  'restriction',
  'portability',
  'objection',
  'opt-out-of-sale',
  'limit-sensitive-use',
  'withdraw-consent',
  /** A consumer's appeal of a refusal to act (US state laws): its own clock, linked to the request. */
  'appeal',
  'other',
] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];
/** The types an intake form offers: an appeal needs the request it appeals, which a form does not ask for. */
export const FORM_REQUEST_TYPES = REQUEST_TYPES.filter((t) => t !== 'appeal');

/** What each regime is called in messages. */
export const REGIME_LABELS: Record<Regime, string> = {
  gdpr: 'EU GDPR',
  'uk-gdpr': 'UK GDPR',
  ccpa: 'CCPA/CPRA (California)',
  'us-state': 'US state privacy law',
  lgpd: 'LGPD (Brazil)',
  pipeda: 'PIPEDA (Canada)',
  quebec: 'Quebec private-sector act (Law 25)',
  swiss: 'Swiss FADP',
};

/** Builds an alias lookup from space-separated lists, so the tables stay readable. */
function aliases<T extends string>(table: Record<T, string>): Record<string, T> {
  const lookup: Record<string, T> = {};
  for (const [canonical, names] of Object.entries(table) as Array<[T, string]>) {
    for (const name of names.split(/\s+/).filter(Boolean)) lookup[name] = canonical;
  }
  return lookup;
}

// Names people actually type: statute acronyms in English and the local language.
const REGIME_ALIASES = aliases<Regime>({
  gdpr: 'eu eu-gdpr eugdpr eea dsgvo rgpd avg',
  'uk-gdpr': 'uk ukgdpr gdpr-uk gb dpa-2018 dpa2018',
  ccpa: 'cpra ccpa-cpra california',
  'us-state': 'us-states state vcdpa virginia cpa colorado ctdpa connecticut tdpsa texas ocpa oregon',
  lgpd: 'brazil',
  pipeda: 'canada',
  quebec: 'qc law-25 law25 loi-25 p-39.1',
  swiss: 'fadp revfadp nfadp dsg ndsg nlpd switzerland',
});

// CCPA words (know, delete, correct, do-not-sell, limit) map onto the GDPR-style types.
const TYPE_ALIASES = aliases<RequestType>({
  access: 'know right-to-know request-to-know sar dsar subject-access',
  rectification: 'rectify correct correction',
  erasure: 'erase delete deletion right-to-be-forgotten rtbf',
  restriction: 'restrict',
  portability: 'port data-portability',
  objection: 'object',
  'opt-out-of-sale':
    'opt-out optout opt-out-of-sharing opt-out-of-sale-or-sharing do-not-sell do-not-share do-not-sell-or-share dns',
  'limit-sensitive-use': 'limit limit-use limit-sensitive limit-use-of-sensitive-pi',
  'withdraw-consent': 'withdraw consent-withdrawal revoke-consent',
  appeal: 'appeals',
  other: '',
});

export function normalise(input: string): string {
  return input
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-');
}

/** Accepts the canonical names and common aliases ("delete", "opt-out", "limit-use"...). */
export function parseRequestType(input: string): RequestType {
  const key = normalise(input);
  const type = (REQUEST_TYPES as readonly string[]).includes(key) ? (key as RequestType) : TYPE_ALIASES[key];
  if (!type) {
    throw new AppError(
      'INVALID_INPUT',
      `unknown request type "${input.trim().slice(0, 40)}"; use one of ${REQUEST_TYPES.join(', ')}.`,
    );
  }
  return type;
}

/** Accepts the canonical names and common aliases ("uk", "cpra", "eu-gdpr", "vcdpa"...). */
export function parseRegime(input: string): Regime {
  const key = normalise(input);
  const regime = (REGIMES as readonly string[]).includes(key) ? (key as Regime) : REGIME_ALIASES[key];
  if (!regime) {
    throw new AppError(
      'INVALID_INPUT',
      `unknown regime "${input.trim().slice(0, 40)}"; use one of ${REGIMES.join(', ')}.`,
    );
  }
  return regime;
}

/**
 * Where a regime's deadlines are counted when the request names no country: its home jurisdiction.
 * The EU GDPR has none (it is the controller's Member State), so callers pass their default.
 */
export function homeJurisdiction(
  regime: Regime,
  defaultCountry?: string,
): { country?: string; region?: string } {
  switch (regime) {
    case 'gdpr':
      return { country: defaultCountry };
    case 'uk-gdpr':
      return { country: 'GB', region: 'ENG' };
    case 'ccpa':
      return { country: 'US', region: 'CA' };
    case 'us-state':
      return { country: 'US' };
    case 'lgpd':
      return { country: 'BR' };
    case 'pipeda':
      return { country: 'CA' };
    case 'quebec':
      return { country: 'CA', region: 'QC' };
    case 'swiss':
      return { country: 'CH' };
  }
}
