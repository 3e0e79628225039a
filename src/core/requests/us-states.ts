/**
 * The US state comprehensive consumer privacy laws, one row per state: how long a controller has to
 * answer a consumer request, by how much it may extend once (with notice inside the first period),
 * and how long it has to decide an appeal of a refusal. Data, not branches: a new state is a row.
 *
 * Each figure was checked against the statute's own text (the enacted or codified section, read in
 * a statute compilation) or, where marked in `unconfirmed`, only against secondary summaries; the
 * deadline rule line names every such figure, so nobody relies on it without checking the statute.
 * The `checked` comment on each row says what was read. Issue 14 point 1 and part A of its review.
 * A second pass (part B) looked again for every flagged figure; the statute pages it could read
 * mostly end before the appeal paragraph, so only the New Hampshire section and the Minnesota appeal
 * subdivision and Kentucky's appeal period and effective date were added. A figure still flagged was not found in statute text in either pass.
 */

/** A figure of a row that was not confirmed against the statute's own text. */
export type Figure = 'response' | 'extension' | 'appeal' | 'statute' | 'effective';

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
  /** Figures taken from secondary summaries only; named in every rule line that uses them. */
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
    // Checked: § 59.1-577(B)(1) text (45 days, once by 45, notice within the first 45); the chapter is
    // in force from 1 January 2023. Issue 14 pass C: § 59.1-577(C) in the codified text (Justia's
    // Virginia Code, as held in saint1415/us-statutes, data branch @7dd72f1): "Within 60 days of
    // receipt of an appeal, a controller shall inform the consumer in writing", no extension.
    code: 'VA',
    name: 'Virginia',
    law: 'Consumer Data Protection Act',
    responseDays: 45,
    extensionDays: 45,
    appealDays: 60,
    statute: 'Va. Code § 59.1-577(B)(1)',
    appealStatute: 'Va. Code § 59.1-577(C)',
    effective: '2023-01-01',
  },
  {
    // Checked: in force 1 July 2023; C.R.S. § 2-4-108(2) for a period ending on a weekend or legal
    // holiday. The § 6-1-1306(2) and (3) figures were not found in statute text in this review
    // (summaries quoting (2) agree: 45 days, once by 45); the appeal figures stay flagged.
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
    unconfirmed: ['appeal'],
    periodEnd: 'C.R.S. § 2-4-108(2)',
  },
  {
    // Checked: § 42-518(c)(1) text (45 days, by 45 more, notice within the first 45); § 42-518 is
    // headed "Consumers' rights. Compliance by controllers. Appeals.", effective 1 July 2023. Not
    // found in statute text: the appeal period.
    code: 'CT',
    name: 'Connecticut',
    law: 'Connecticut Data Privacy Act',
    responseDays: 45,
    extensionDays: 45,
    appealDays: 60,
    statute: 'Conn. Gen. Stat. § 42-518(c)(1)',
    appealStatute: 'Conn. Gen. Stat. § 42-518',
    effective: '2023-07-01',
    unconfirmed: ['appeal'],
  },
  {
    // Checked: § 13-61-203(2)(a)-(c) text (45 days, once by 45, notice before the first 45 end) and
    // (3) (reasons for not acting within 45 days: no appeal); effective 31 December 2023.
    code: 'UT',
    name: 'Utah',
    law: 'Utah Consumer Privacy Act',
    responseDays: 45,
    extensionDays: 45,
    statute: 'Utah Code § 13-61-203(2)',
    effective: '2023-12-31',
  },
  {
    // Checked: § 715D.3(3) text (SF 262 § 3(3): decision within sixty days of receipt of an appeal).
    // Not found in statute text: § 715D.3(2)'s 90 days and 45-day extension (every summary read
    // agrees), nor the effective date.
    code: 'IA',
    name: 'Iowa',
    law: 'Iowa Consumer Data Protection Act',
    responseDays: 90,
    extensionDays: 45,
    appealDays: 60,
    statute: 'Iowa Code § 715D.3(2)',
    appealStatute: 'Iowa Code § 715D.3(3)',
    effective: '2025-01-01',
    unconfirmed: ['response', 'extension', 'effective'],
  },
  {
    // Checked: IC 24-15-3-1(c)(1) text (45 days, once by 45, notice within the first 45), (c)(2)
    // (appeal under subsection (d)); effective 1 January 2026. Not found in statute text: the
    // appeal period in (d).
    code: 'IN',
    name: 'Indiana',
    law: 'Indiana Consumer Data Protection Act',
    responseDays: 45,
    extensionDays: 45,
    appealDays: 60,
    statute: 'Ind. Code § 24-15-3-1(c)(1)',
    appealStatute: 'Ind. Code § 24-15-3-1(d)',
    effective: '2026-01-01',
    unconfirmed: ['appeal'],
  },
  {
    // Checked: § 47-18-3304(b)(1) text (45 days, once by 45, notice within the first 45), effective
    // 1 July 2025; the act is part 33 (§§ 47-18-3301 et seq.), not § 47-18-3203 as cited before.
    // Not found in statute text: the appeal period or its subsection.
    code: 'TN',
    name: 'Tennessee',
    law: 'Tennessee Information Protection Act',
    responseDays: 45,
    extensionDays: 45,
    appealDays: 60,
    statute: 'Tenn. Code Ann. § 47-18-3304(b)(1)',
    appealStatute: 'Tenn. Code Ann. § 47-18-3304',
    effective: '2025-07-01',
    unconfirmed: ['appeal'],
  },
  {
    // Checked: SB 384 (2023) § 5(4)(a) text, codified as § 30-14-2808 ("Consumer personal data --
    // opt-out -- compliance -- appeals", effective 1 October 2024): 45 days, by 45 more, notice
    // within the first 45. Not found in statute text: the appeal period.
    code: 'MT',
    name: 'Montana',
    law: 'Montana Consumer Data Privacy Act',
    responseDays: 45,
    extensionDays: 45,
    appealDays: 60,
    statute: 'Mont. Code Ann. § 30-14-2808(4)(a)',
    appealStatute: 'Mont. Code Ann. § 30-14-2808',
    effective: '2024-10-01',
    unconfirmed: ['appeal'],
  },
  {
    // Checked: SB 619 (2023) § 4(5)(a) text, codified as ORS 646A.576(5)(a) (45 days, by 45 more,
    // notice within the first 45), and ORS 646A.576(6)(d): approve or deny the appeal within 45 days
    // of receiving it, with no extension. Summaries that say 60 days for the appeal are wrong.
    code: 'OR',
    name: 'Oregon',
    law: 'Oregon Consumer Privacy Act',
    responseDays: 45,
    extensionDays: 45,
    appealDays: 45,
    statute: 'Or. Rev. Stat. § 646A.576(5)(a)',
    appealStatute: 'Or. Rev. Stat. § 646A.576(6)(d)',
    effective: '2024-07-01',
    unconfirmed: ['effective'],
  },
  {
    // Checked: § 541.052(b) text (not later than the 45th day, extendable once by 45, notice within
    // the first 45). Not found in statute text: § 541.053's appeal period, nor the effective date.
    code: 'TX',
    name: 'Texas',
    law: 'Texas Data Privacy and Security Act',
    responseDays: 45,
    extensionDays: 45,
    appealDays: 60,
    statute: 'Tex. Bus. & Com. Code § 541.052(b)',
    appealStatute: 'Tex. Bus. & Com. Code § 541.053',
    effective: '2024-07-01',
    unconfirmed: ['appeal', 'effective'],
  },
  {
    // Checked: 6 Del. C. § 12D-104(c)(1) text (45 days, by 45 more, notice within the first 45); in
    // force 1 January 2025 (Delaware DOJ). Not found in statute text: the appeal period.
    code: 'DE',
    name: 'Delaware',
    law: 'Delaware Personal Data Privacy Act',
    responseDays: 45,
    extensionDays: 45,
    appealDays: 60,
    statute: 'Del. Code tit. 6 § 12D-104(c)(1)',
    appealStatute: 'Del. Code tit. 6 § 12D-104',
    effective: '2025-01-01',
    unconfirmed: ['appeal'],
  },
  {
    // Checked: the section cited, in the codified text as reproduced in a statute compilation (the
    // "GDPR and US States General Privacy Laws Deskbook", p. 335): "507-H:4 Consumer Expectation of
    // Privacy. I. A consumer shall have the right to: (a) Confirm whether or not a controller is
    // processing ...", II the means of exercise. Not found in statute text (the page ends before
    // paragraph III): the response period, the extension, the appeal period, the effective date.
    code: 'NH',
    name: 'New Hampshire',
    law: 'New Hampshire privacy act (RSA 507-H)',
    responseDays: 45,
    extensionDays: 45,
    appealDays: 60,
    statute: 'N.H. Rev. Stat. § 507-H:4',
    appealStatute: 'N.H. Rev. Stat. § 507-H:4',
    effective: '2025-01-01',
    unconfirmed: ['response', 'extension', 'appeal', 'effective'],
  },
  {
    // Checked: § 56:8-166.7(a) text (45 days, by 45 more, notice within the first 45), effective
    // 15 January 2025. Not found in statute text: the appeal period (summaries say 45 or 60; the
    // shorter is kept as the safe reading).
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
    // Checked: KRS 367.3615 is headed "Consumer rights request -- Controller compliance --
    // Requirements -- Appeal process"; its subsection (4), in the codified text as reproduced in a
    // statute compilation (Deskbook p. 229): "Within sixty (60) days of receipt of an appeal, a
    // controller shall inform the consumer in writing", followed there by "367.3617 ... (Effective
    // January 1, 2026)", the next section of the same act (2024 HB 15, "Sections 1 to 10 of this
    // Act"). Not found in statute text: subsection (3)'s response period and extension.
    code: 'KY',
    name: 'Kentucky',
    law: 'Kentucky Consumer Data Protection Act',
    responseDays: 45,
    extensionDays: 45,
    appealDays: 60,
    statute: 'Ky. Rev. Stat. § 367.3615',
    appealStatute: 'Ky. Rev. Stat. § 367.3615(4)',
    effective: '2026-01-01',
    unconfirmed: ['response', 'extension'],
  },
  {
    // Checked: § 87-1108(2) text (45 days, once by 45, notice within the first 45) and LB 1074
    // § 9(3), codified as § 87-1109(3): the appeal decision not later than the sixtieth day after its
    // receipt. Not found in statute text: the effective date.
    code: 'NE',
    name: 'Nebraska',
    law: 'Nebraska Data Privacy Act',
    responseDays: 45,
    extensionDays: 45,
    appealDays: 60,
    statute: 'Neb. Rev. Stat. § 87-1108(2)',
    appealStatute: 'Neb. Rev. Stat. § 87-1109(3)',
    effective: '2025-01-01',
    unconfirmed: ['effective'],
  },
  {
    // Checked: Com. Law § 14-4705 holds the consumer rights (enacted as § 14-4605 by 2024 chs. 454
    // and 455, effective 1 October 2025). Not found in statute text: its periods.
    code: 'MD',
    name: 'Maryland',
    law: 'Maryland Online Data Privacy Act',
    responseDays: 45,
    extensionDays: 45,
    appealDays: 60,
    statute: 'Md. Code, Com. Law § 14-4705',
    appealStatute: 'Md. Code, Com. Law § 14-4705',
    effective: '2025-10-01',
    unconfirmed: ['response', 'extension', 'appeal'],
  },
  {
    // Response period as checked in the first pass (§ 325M.14). Checked here: revisor.mn.gov's
    // § 325M.14 opens with the rights ("a controller must comply with a request to exercise the
    // consumer rights provided in this subdivision", subd. 1), and the same section's text in a
    // statute compilation (Deskbook p. 287) runs from subd. 4's paragraphs (h)-(k) into "Subd. 5.
    // Appeal process required. (a) A controller must establish an internal process whereby a
    // consumer may appeal a refusal to take action": the appeal is subd. 5, cited so. Not found in
    // statute text (the page ends there): the extension, the appeal periods, the effective date.
    code: 'MN',
    name: 'Minnesota',
    law: 'Minnesota Consumer Data Privacy Act',
    responseDays: 45,
    extensionDays: 45,
    appealDays: 45,
    appealExtensionDays: 60,
    statute: 'Minn. Stat. § 325M.14',
    appealStatute: 'Minn. Stat. § 325M.14, subd. 5',
    effective: '2025-07-31',
    unconfirmed: ['extension', 'appeal', 'effective'],
  },
  {
    // Response and extension as checked in the first pass (§ 6-48.1-6(b)(1)); not re-found in statute
    // text here, nor the appeal period or the effective date.
    code: 'RI',
    name: 'Rhode Island',
    law: 'Rhode Island Data Transparency and Privacy Protection Act',
    responseDays: 45,
    extensionDays: 45,
    appealDays: 60,
    statute: 'R.I. Gen. Laws § 6-48.1-6(b)(1)',
    appealStatute: 'R.I. Gen. Laws § 6-48.1-6',
    effective: '2026-01-01',
    unconfirmed: ['appeal', 'effective'],
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
