/**
 * The US state comprehensive consumer privacy laws, one row per state: how long a controller has to
 * answer a consumer request, by how much it may extend once (with notice inside the first period),
 * and how long it has to decide an appeal of a refusal. Data, not branches: a new state is a row.
 *
 * Each figure was checked against public statute text or, where marked in `unconfirmed`, only
 * against secondary summaries; the deadline rule line says so for those figures, so nobody relies
 * on them without checking the statute.
 */

/** A figure of a row that was not confirmed against the statute's own text. */
export type Figure = 'response' | 'extension' | 'appeal' | 'statute';

export interface UsStateLaw {
  /** USPS code, as date-holidays and the register spell the region. */
  code: string;
  name: string;
  law: string;
  /** Days from receipt of the request. */
  responseDays: number;
  /** Days the response period may be extended by, once, with notice within the first period. */
  extensionDays: number;
  /** Days from receipt of an appeal to the written decision; undefined: the law gives no appeal. */
  appealDays?: number;
  /** Days the appeal period may be extended by, with notice within it (Colorado, Minnesota). */
  appealExtensionDays?: number;
  /** The section that sets the response period and its extension. */
  statute: string;
  /** The section that sets the appeal period. */
  appealStatute?: string;
  /** YYYY-MM-DD, the day the law took effect (or takes effect). */
  effective: string;
  /** Figures taken from secondary summaries only; said in every rule line that uses them. */
  unconfirmed?: Figure[];
  /**
   * The state's own rule for a period that ends on a Saturday, Sunday or legal holiday, where one
   * reaches this act (Colorado: C.R.S. § 2-4-108(2) moves it to the next day that is none of
   * them). Absent: the period ends on its last day, whatever day that is.
   */
  periodEnd?: string;
}

export const US_STATE_LAWS: readonly UsStateLaw[] = [
  {
    code: 'VA',
    name: 'Virginia',
    law: 'Consumer Data Protection Act',
    responseDays: 45,
    extensionDays: 45,
    appealDays: 60,
    statute: 'Va. Code § 59.1-577(B)(1)',
    appealStatute: 'Va. Code § 59.1-577(C)',
    effective: '2023-01-01',
    unconfirmed: ['appeal'],
  },
  {
    code: 'CO',
    name: 'Colorado',
    law: 'Colorado Privacy Act',
    responseDays: 45,
    extensionDays: 45,
    appealDays: 45,
    appealExtensionDays: 60,
    statute: 'Colo. Rev. Stat. § 6-1-1306(2)',
    appealStatute: 'Colo. Rev. Stat. § 6-1-1306(3)',
    effective: '2023-07-01',
    periodEnd: 'C.R.S. § 2-4-108(2)',
    unconfirmed: ['appeal'],
  },
  {
    code: 'CT',
    name: 'Connecticut',
    law: 'Connecticut Data Privacy Act',
    responseDays: 45,
    extensionDays: 45,
    appealDays: 60,
    statute: 'Conn. Gen. Stat. § 42-518(c)(1)',
    appealStatute: 'Conn. Gen. Stat. § 42-518(d)',
    effective: '2023-07-01',
    unconfirmed: ['response', 'extension', 'appeal', 'statute'],
  },
  {
    code: 'UT',
    name: 'Utah',
    law: 'Utah Consumer Privacy Act',
    responseDays: 45,
    extensionDays: 45,
    // The UCPA gives no appeal: § 13-61-203(3) only asks for the reasons for not acting.
    statute: 'Utah Code § 13-61-203(2)',
    effective: '2023-12-31',
  },
  {
    code: 'IA',
    name: 'Iowa',
    law: 'Iowa Consumer Data Protection Act',
    responseDays: 90,
    extensionDays: 45,
    appealDays: 60,
    statute: 'Iowa Code § 715D.3(2)',
    appealStatute: 'Iowa Code § 715D.3(3)',
    effective: '2025-01-01',
    unconfirmed: ['response', 'extension'],
  },
  {
    code: 'IN',
    name: 'Indiana',
    law: 'Indiana Consumer Data Protection Act',
    responseDays: 45,
    extensionDays: 45,
    appealDays: 60,
    statute: 'Ind. Code § 24-15-3-1',
    appealStatute: 'Ind. Code § 24-15-3-1',
    effective: '2026-01-01',
    unconfirmed: ['response', 'extension', 'appeal', 'statute'],
  },
  {
    code: 'TN',
    name: 'Tennessee',
    law: 'Tennessee Information Protection Act',
    responseDays: 45,
    extensionDays: 45,
    appealDays: 60,
    statute: 'Tenn. Code Ann. § 47-18-3203',
    appealStatute: 'Tenn. Code Ann. § 47-18-3203',
    effective: '2025-07-01',
    unconfirmed: ['response', 'extension', 'appeal', 'statute'],
  },
  {
    code: 'MT',
    name: 'Montana',
    law: 'Montana Consumer Data Privacy Act',
    responseDays: 45,
    extensionDays: 45,
    appealDays: 60,
    statute: 'Mont. Code Ann. § 30-14-2808',
    appealStatute: 'Mont. Code Ann. § 30-14-2808',
    effective: '2024-10-01',
    unconfirmed: ['response', 'extension', 'appeal', 'statute'],
  },
  {
    code: 'OR',
    name: 'Oregon',
    law: 'Oregon Consumer Privacy Act',
    responseDays: 45,
    extensionDays: 45,
    // Secondary summaries disagree (45 or 60 days); the shorter is the safe reading until checked.
    appealDays: 45,
    statute: 'Or. Rev. Stat. § 646A.576',
    appealStatute: 'Or. Rev. Stat. § 646A.576',
    effective: '2024-07-01',
    unconfirmed: ['appeal', 'statute'],
  },
  {
    code: 'TX',
    name: 'Texas',
    law: 'Texas Data Privacy and Security Act',
    responseDays: 45,
    extensionDays: 45,
    appealDays: 60,
    statute: 'Tex. Bus. & Com. Code § 541.052',
    appealStatute: 'Tex. Bus. & Com. Code § 541.053',
    effective: '2024-07-01',
    unconfirmed: ['response', 'extension', 'appeal'],
  },
  {
    code: 'DE',
    name: 'Delaware',
    law: 'Delaware Personal Data Privacy Act',
    responseDays: 45,
    extensionDays: 45,
    appealDays: 60,
    statute: 'Del. Code tit. 6 § 12D-104',
    appealStatute: 'Del. Code tit. 6 § 12D-104',
    effective: '2025-01-01',
    unconfirmed: ['response', 'extension', 'appeal', 'statute'],
  },
  {
    code: 'NH',
    name: 'New Hampshire',
    law: 'New Hampshire privacy act (RSA 507-H)',
    responseDays: 45,
    extensionDays: 45,
    appealDays: 60,
    statute: 'N.H. Rev. Stat. § 507-H:4',
    appealStatute: 'N.H. Rev. Stat. § 507-H:4',
    effective: '2025-01-01',
    unconfirmed: ['response', 'extension', 'appeal', 'statute'],
  },
  {
    code: 'NJ',
    name: 'New Jersey',
    law: 'New Jersey Data Privacy Act',
    responseDays: 45,
    extensionDays: 45,
    appealDays: 45,
    statute: 'N.J. Stat. § 56:8-166.7(a)',
    appealStatute: 'N.J. Stat. § 56:8-166.7',
    effective: '2025-01-15',
    unconfirmed: ['appeal'],
  },
  {
    code: 'KY',
    name: 'Kentucky',
    law: 'Kentucky Consumer Data Protection Act',
    responseDays: 45,
    extensionDays: 45,
    appealDays: 60,
    statute: 'Ky. Rev. Stat. § 367.3615',
    appealStatute: 'Ky. Rev. Stat. § 367.3615',
    effective: '2026-01-01',
    unconfirmed: ['response', 'extension', 'appeal', 'statute'],
  },
  {
    code: 'NE',
    name: 'Nebraska',
    law: 'Nebraska Data Privacy Act',
    responseDays: 45,
    extensionDays: 45,
    appealDays: 60,
    statute: 'Neb. Rev. Stat. § 87-1108',
    appealStatute: 'Neb. Rev. Stat. § 87-1108',
    effective: '2025-01-01',
    unconfirmed: ['response', 'extension', 'appeal', 'statute'],
  },
  {
    code: 'MD',
    name: 'Maryland',
    law: 'Maryland Online Data Privacy Act',
    responseDays: 45,
    extensionDays: 45,
    appealDays: 60,
    statute: 'Md. Code, Com. Law § 14-4705',
    appealStatute: 'Md. Code, Com. Law § 14-4705',
    effective: '2025-10-01',
    unconfirmed: ['response', 'extension', 'appeal', 'statute'],
  },
  {
    code: 'MN',
    name: 'Minnesota',
    law: 'Minnesota Consumer Data Privacy Act',
    responseDays: 45,
    extensionDays: 45,
    appealDays: 45,
    appealExtensionDays: 60,
    statute: 'Minn. Stat. § 325M.14',
    appealStatute: 'Minn. Stat. § 325M.14',
    effective: '2025-07-31',
    unconfirmed: ['extension', 'appeal'],
  },
  {
    code: 'RI',
    name: 'Rhode Island',
    law: 'Rhode Island Data Transparency and Privacy Protection Act',
    responseDays: 45,
    extensionDays: 45,
    appealDays: 60,
    statute: 'R.I. Gen. Laws § 6-48.1-6(b)(1)',
    appealStatute: 'R.I. Gen. Laws § 6-48.1-6',
    effective: '2026-01-01',
    unconfirmed: ['appeal'],
  },
];

const BY_CODE = new Map(US_STATE_LAWS.map((s) => [s.code, s]));

/** The row for a state code, or undefined when the state has no comprehensive law here. */
export function usStateLaw(code: string | undefined): UsStateLaw | undefined {
  return code ? BY_CODE.get(code.trim().toUpperCase()) : undefined;
}

/** "VA (Virginia), CO (Colorado), ...": the known states, for messages that refuse another. */
export function knownStatesList(): string {
  return US_STATE_LAWS.map((s) => `${s.code} (${s.name})`).join(', ');
}
