import { describe, expect, it } from 'vitest';
import { computeDeadlines } from '../../../src/core/requests/deadlines.js';
import { appError } from '../../helpers/app-error.js';

/**
 * Issue 14 points 1 and 2: every state comprehensive privacy law, each with its own response period,
 * extension, appeal period and the statute cited, one row per state. The figures in a row are the
 * statute's own words where `words` quotes them (docs/us-states.md says where each was read); where
 * a figure could not be read in statute text, `unconfirmed` names it and the rule line must say so.
 *
 * One request received Tue 3 Mar 2026, and one appeal received the same day. Every expected date is
 * worked out here from the row's figures by plain calendar arithmetic (`plusDays`), never taken from
 * us-states.ts: +45 Fri 17 Apr, +60 Sat 2 May, +90 Mon 1 Jun, +105 Tue 16 Jun, +135 Thu 16 Jul
 * (date -d). No Colorado date is a weekend or Colorado legal holiday, so C.R.S. § 2-4-108(2) moves
 * nothing here; a plain state's period ending on Saturday 2 May stays on Saturday 2 May.
 */
const RECEIVED = '2026-03-03';

/** ISO date plus a number of calendar days; the test's own arithmetic, independent of the code. */
function plusDays(iso: string, days: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

type Figure = 'response' | 'extension' | 'appeal' | 'appealExtension' | 'statute' | 'effective';

interface StateRow {
  state: string;
  response: number;
  extension: number;
  /** null: the law gives no appeal. */
  appeal: number | null;
  /** null: the appeal period cannot be extended. */
  appealExtension: number | null;
  statute: string;
  appealStatute: string | null;
  /** The statute's words for the figures, or what is assumed where they were not read. */
  words: string;
  unconfirmed: Figure[];
}

const stateRows: StateRow[] = [
  {
    state: 'VA',
    response: 45,
    extension: 45,
    appeal: 60,
    appealExtension: null,
    statute: 'Va. Code § 59.1-577(B)(1)',
    appealStatute: 'Va. Code § 59.1-577(C)',
    words:
      '"within 45 days ... extended once by 45 additional days"; "Within 60 days of receipt of an appeal"',
    unconfirmed: [],
  },
  {
    state: 'CO',
    response: 45,
    extension: 45,
    appeal: 45,
    appealExtension: 60,
    statute: 'Colo. Rev. Stat. § 6-1-1306(2)',
    appealStatute: 'Colo. Rev. Stat. § 6-1-1306(3)',
    words:
      '"WITHIN FORTY-FIVE DAYS ... BY FORTY-FIVE ADDITIONAL DAYS"; "WITHIN FORTY-FIVE DAYS AFTER RECEIPT OF AN APPEAL"; the 60-day appeal extension not read',
    unconfirmed: ['appealExtension'],
  },
  {
    state: 'CT',
    response: 45,
    extension: 45,
    appeal: 60,
    appealExtension: null,
    statute: 'Conn. Gen. Stat. § 42-518(c)(1)',
    appealStatute: 'Conn. Gen. Stat. § 42-518(d)',
    words:
      '"not later than forty-five days ... by forty-five additional days"; "Not later than sixty days after receipt of an appeal"',
    unconfirmed: [],
  },
  {
    state: 'UT',
    response: 45,
    extension: 45,
    appeal: null,
    appealExtension: null,
    statute: 'Utah Code § 13-61-203(2)',
    appealStatute: null,
    words: '"Within 45 days ... extend once the initial 45-day period by an additional 45 days"; no appeal',
    unconfirmed: [],
  },
  {
    state: 'IA',
    response: 90,
    extension: 45,
    appeal: 60,
    appealExtension: null,
    statute: 'Iowa Code § 715D.3(2)(a)',
    appealStatute: 'Iowa Code § 715D.3(3)',
    words:
      '"within ninety days ... extended once by forty-five additional days"; "Within sixty days of receipt of an appeal"',
    unconfirmed: ['effective'],
  },
  {
    state: 'IN',
    response: 45,
    extension: 45,
    appeal: 60,
    appealExtension: null,
    statute: 'Ind. Code § 24-15-3-1(c)(1)',
    appealStatute: 'Ind. Code § 24-15-3-1(d)',
    words:
      '"not later than forty-five (45) days ... once by an additional forty-five (45) days"; "Not later than sixty (60) days after receipt of an appeal"',
    unconfirmed: [],
  },
  {
    state: 'TN',
    response: 45,
    extension: 45,
    appeal: 60,
    appealExtension: null,
    statute: 'Tenn. Code Ann. § 47-18-3304(b)(1)',
    appealStatute: 'Tenn. Code Ann. § 47-18-3304',
    words: '45 days, once by 45 (b)(1); the appeal period not read: 60 as every summary says',
    unconfirmed: ['appeal'],
  },
  {
    state: 'MT',
    response: 45,
    extension: 45,
    appeal: 60,
    appealExtension: null,
    statute: 'Mont. Code Ann. § 30-14-2808(4)(a)',
    appealStatute: 'Mont. Code Ann. § 30-14-2808',
    words:
      '"not later than 45 days ... by 45 additional days"; the appeal period not read: 60 as every summary says',
    unconfirmed: ['appeal'],
  },
  {
    state: 'OR',
    response: 45,
    extension: 45,
    appeal: 45,
    appealExtension: null,
    statute: 'Or. Rev. Stat. § 646A.576(5)(a)',
    appealStatute: 'Or. Rev. Stat. § 646A.576(6)(d)',
    words: '"not later than 45 days ... by an additional 45 days"; the appeal within 45 days of receiving it',
    unconfirmed: ['effective'],
  },
  {
    state: 'TX',
    response: 45,
    extension: 45,
    appeal: 60,
    appealExtension: null,
    statute: 'Tex. Bus. & Com. Code § 541.052(b)',
    appealStatute: 'Tex. Bus. & Com. Code § 541.053',
    words: 'not later than the 45th day, once by 45; the appeal period not read: 60 as every summary says',
    unconfirmed: ['appeal', 'effective'],
  },
  {
    state: 'DE',
    response: 45,
    extension: 45,
    appeal: 60,
    appealExtension: null,
    statute: 'Del. Code tit. 6 § 12D-104(c)(1)',
    appealStatute: 'Del. Code tit. 6 § 12D-104(d)',
    words:
      '"not later than 45 days ... by 45 additional days"; "Not later than 60 days after receipt of an appeal"',
    unconfirmed: [],
  },
  {
    state: 'NH',
    response: 45,
    extension: 45,
    appeal: 60,
    appealExtension: null,
    statute: 'N.H. Rev. Stat. § 507-H:4',
    appealStatute: 'N.H. Rev. Stat. § 507-H:4',
    words: 'paragraph III and IV not read: 45 + 45 and 60 as every summary says',
    unconfirmed: ['response', 'extension', 'appeal', 'effective'],
  },
  {
    state: 'NJ',
    response: 45,
    extension: 45,
    appeal: 45,
    appealExtension: null,
    statute: 'N.J. Stat. § 56:8-166.7(a)',
    appealStatute: 'N.J. Stat. § 56:8-166.7',
    words: '45 days, by 45 (a); the appeal period not read: summaries say 45 or 60, the shorter kept',
    unconfirmed: ['appeal'],
  },
  {
    state: 'KY',
    response: 45,
    extension: 45,
    appeal: 60,
    appealExtension: null,
    statute: 'Ky. Rev. Stat. § 367.3615',
    appealStatute: 'Ky. Rev. Stat. § 367.3615(4)',
    words:
      'subsection (3) not read: 45 + 45 as every summary says; "Within sixty (60) days of receipt of an appeal"',
    unconfirmed: ['response', 'extension'],
  },
  {
    state: 'NE',
    response: 45,
    extension: 45,
    appeal: 60,
    appealExtension: null,
    statute: 'Neb. Rev. Stat. § 87-1108(2)',
    appealStatute: 'Neb. Rev. Stat. § 87-1109(3)',
    words:
      '"within forty-five days ... once by an additional forty-five days"; "not later than the sixtieth day after the date of receipt of the appeal"',
    unconfirmed: ['effective'],
  },
  {
    state: 'MD',
    response: 45,
    extension: 45,
    appeal: 60,
    appealExtension: null,
    statute: 'Md. Code, Com. Law § 14-4705(e)(2)',
    appealStatute: 'Md. Code, Com. Law § 14-4705(f)(3)',
    words:
      '"NOT LATER THAN 45 DAYS ... BY AN ADDITIONAL 45 DAYS"; "NOT LATER THAN 60 DAYS AFTER RECEIVING AN APPEAL"',
    unconfirmed: [],
  },
  {
    state: 'MN',
    response: 45,
    extension: 45,
    appeal: 45,
    appealExtension: 60,
    statute: 'Minn. Stat. § 325M.14, subd. 4(e)',
    appealStatute: 'Minn. Stat. § 325M.14, subd. 5',
    words:
      '"within 45 days ... extended once by 45 additional days"; the appeal periods not read: 45 + 60 as every summary says',
    unconfirmed: ['appeal', 'appealExtension', 'effective'],
  },
  {
    state: 'RI',
    response: 45,
    extension: 45,
    appeal: 60,
    appealExtension: null,
    statute: 'R.I. Gen. Laws § 6-48.1-6(b)(1)',
    appealStatute: 'R.I. Gen. Laws § 6-48.1-6',
    words: '45 days, by 45 (b)(1); the appeal period not read: 60 as every summary says',
    unconfirmed: ['appeal'],
  },
  // Enacted in 2026, no statute text read: every figure from secondary reports; an appeal period no
  // report gives is assumed at 45 days, the shortest of any state act here.
  {
    state: 'OK',
    response: 45,
    extension: 45,
    appeal: 60,
    appealExtension: null,
    statute: 'Okla. Enrolled SB 546 (2026)',
    appealStatute: 'Okla. Enrolled SB 546 (2026)',
    words: 'reports: 45, once by 45; a bill summary: appeal 60',
    unconfirmed: ['response', 'extension', 'appeal', 'statute', 'effective'],
  },
  {
    state: 'AL',
    response: 45,
    extension: 45,
    appeal: 45,
    appealExtension: null,
    statute: 'Ala. Act 2026-552 (HB 351), § 5(d)(1)',
    appealStatute: 'Ala. Act 2026-552 (HB 351)',
    words: 'reports: 45, by 45; the appeal period not reported: 45 assumed',
    unconfirmed: ['response', 'extension', 'appeal', 'statute', 'effective'],
  },
  {
    state: 'LA',
    response: 45,
    extension: 45,
    appeal: 45,
    appealExtension: null,
    statute: 'La. Rev. Stat. § 51:1780.3(B)(2)',
    appealStatute: 'La. Rev. Stat. § 51:1780.3',
    words: 'reports: 45, once by 45; the appeal period not reported: 45 assumed',
    unconfirmed: ['response', 'extension', 'appeal', 'statute', 'effective'],
  },
  {
    state: 'VT',
    response: 45,
    extension: 45,
    appeal: 45,
    appealExtension: null,
    statute: '9 V.S.A. § 2415d(c)(1)',
    appealStatute: '9 V.S.A. § 2415d',
    words: 'reports: 45, by 45; the appeal period not reported: 45 assumed',
    unconfirmed: ['response', 'extension', 'appeal', 'statute', 'effective'],
  },
];

/** The rule line names a figure taken from summaries by these words (deadlines-us-state.ts `unconfirmed`). */
function flagged(row: StateRow, figure: Figure): RegExp {
  const words: Record<Figure, string> = {
    response: `the ${row.response}-day response period`,
    extension: `the ${row.extension}-day extension`,
    appeal: `the ${row.appeal}-day appeal period`,
    appealExtension: `the ${row.appealExtension}-day extension of the appeal period`,
    statute: 'the section cited',
    effective: 'the effective date',
  };
  return new RegExp(
    `${words[figure].replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*taken from secondary summaries`,
  );
}

describe('computeDeadlines: each US state its own law', () => {
  it('counts the days the way the table does', () => {
    expect([45, 60, 90, 105, 135].map((days) => plusDays(RECEIVED, days))).toEqual([
      '2026-04-17',
      '2026-05-02',
      '2026-06-01',
      '2026-06-16',
      '2026-07-16',
    ]);
  });

  it('covers every state the calculator knows, and no other', () => {
    const error = appError(() => computeDeadlines({ regime: 'us-state', region: 'NY', received: RECEIVED }));
    const known = [...error.message.matchAll(/\b([A-Z]{2}) \(/g)].map((m) => m[1]);
    expect(known.sort()).toEqual(stateRows.map((row) => row.state).sort());
  });

  it.each(stateRows)('$state response: $response days, extended by $extension ($statute)', (row) => {
    const input = { regime: 'us-state' as const, region: row.state, received: RECEIVED };
    const due = plusDays(RECEIVED, row.response);
    const set = computeDeadlines(input);
    expect(set).toMatchObject({ due, source: row.statute, region: row.state, maxExtensions: 1 });
    expect(set.rule).toContain(`${row.response} days from receipt`);
    for (const figure of ['response', 'statute'] as const) {
      if (row.unconfirmed.includes(figure)) expect(set.rule).toMatch(flagged(row, figure));
      else expect(set.rule).not.toMatch(flagged(row, figure));
    }
    const more = computeDeadlines({ ...input, extended: true });
    expect(more.due).toBe(plusDays(RECEIVED, row.response + row.extension));
    expect(more.rule).toContain(`extended once by ${row.extension} days`);
    expect(more.deadlines.find((d) => d.kind === 'extension-notice')?.due).toBe(due);
    if (row.unconfirmed.includes('extension')) expect(more.rule).toMatch(flagged(row, 'extension'));
    else expect(more.rule).not.toMatch(flagged(row, 'extension'));
    if (!row.unconfirmed.some((f) => f !== 'appeal' && f !== 'effective')) {
      expect(more.rule).not.toMatch(/secondary summaries/);
    }
  });

  it.each(stateRows)('$state appeal: $appeal days, extension $appealExtension ($appealStatute)', (row) => {
    const input = {
      regime: 'us-state' as const,
      region: row.state,
      received: RECEIVED,
      type: 'appeal' as const,
    };
    if (row.appeal === null) {
      expect(appError(() => computeDeadlines(input)).message).toMatch(/no appeal/);
      return;
    }
    const set = computeDeadlines(input);
    expect(set).toMatchObject({ due: plusDays(RECEIVED, row.appeal), source: row.appealStatute });
    expect(set.rule).toMatch(/^Appeal: /);
    if (row.unconfirmed.includes('appeal')) expect(set.rule).toMatch(flagged(row, 'appeal'));
    else expect(set.rule).not.toMatch(/secondary summaries/);
    // The unextended line uses no extension, so it never names one.
    expect(set.rule).not.toMatch(/extension of the appeal period/);
    if (row.appealExtension === null) {
      expect(appError(() => computeDeadlines({ ...input, extended: true })).message).toMatch(
        /no extension of the appeal period/,
      );
      return;
    }
    const more = computeDeadlines({ ...input, extended: true });
    expect(more.due).toBe(plusDays(RECEIVED, row.appeal + row.appealExtension));
    expect(more.deadlines.find((d) => d.kind === 'extension-notice')?.due).toBe(
      plusDays(RECEIVED, row.appeal),
    );
    for (const figure of ['appeal', 'appealExtension'] as const) {
      if (row.unconfirmed.includes(figure)) expect(more.rule).toMatch(flagged(row, figure));
      else expect(more.rule).not.toMatch(flagged(row, figure));
    }
    if (!row.unconfirmed.some((f) => f === 'appeal' || f === 'appealExtension')) {
      expect(more.rule).not.toMatch(/secondary summaries/);
    }
  });

  it('flags the appeal period and its extension separately: Colorado names only the 60 days', () => {
    const input = { regime: 'us-state' as const, region: 'CO', received: RECEIVED, type: 'appeal' as const };
    // C.R.S. § 6-1-1306(3): the 45 days were read in statute text, the 60-day extension was not.
    const set = computeDeadlines(input);
    expect(set.due).toBe(plusDays(RECEIVED, 45));
    expect(set.rule).not.toMatch(/secondary summaries/);
    const more = computeDeadlines({ ...input, extended: true });
    expect(more.due).toBe(plusDays(RECEIVED, 105));
    expect(more.rule).toMatch(
      /\(the 60-day extension of the appeal period is taken from secondary summaries, not yet checked against the statute text: check before relying on it\)/,
    );
    expect(more.rule).not.toMatch(/45-day appeal period[^.]*secondary summaries/);
    // Minnesota read neither: its extended line names both, its plain line the 45 days alone.
    const mn = computeDeadlines({ ...input, region: 'MN' });
    expect(mn.rule).toMatch(/\(the 45-day appeal period is taken from secondary summaries/);
    expect(computeDeadlines({ ...input, region: 'MN', extended: true }).rule).toMatch(
      /\(the 45-day appeal period and the 60-day extension of the appeal period are taken from secondary summaries/,
    );
  });

  it('notes a request received before the state law took effect, and flags an effective date not read', () => {
    const set = computeDeadlines({ regime: 'us-state', region: 'IN', received: '2025-12-01' });
    expect(set.notes.join(' ')).toMatch(
      /applies from Thursday 1 January 2026, later than this request was received/,
    );
    expect(set.notes.join(' ')).not.toMatch(/secondary summaries/);
    const ri = computeDeadlines({ regime: 'us-state', region: 'RI', received: '2025-12-01' });
    expect(ri.notes.join(' ')).toMatch(
      /applies from Thursday 1 January 2026, later than this request was received/,
    );
    expect(ri.notes.join(' ')).not.toMatch(/secondary summaries/);
    const nh = computeDeadlines({ regime: 'us-state', region: 'NH', received: '2024-12-01' });
    expect(nh.notes.join(' ')).toMatch(/the effective date \(2025-01-01\) is taken from secondary summaries/);
    const ok = computeDeadlines({ regime: 'us-state', region: 'OK', received: RECEIVED });
    expect(ok.notes.join(' ')).toMatch(
      /1 January 2027.*the effective date \(2027-01-01\) is taken from secondary/,
    );
  });

  it('refuses an unknown state, and a missing one, listing the known states', () => {
    for (const input of [
      { regime: 'us-state' as const, region: 'NY', received: '2026-01-10' },
      { regime: 'us-state' as const, received: '2026-01-10' },
    ]) {
      const error = appError(() => computeDeadlines(input));
      expect(error.code).toBe('INVALID_INPUT');
      expect(error.message).toMatch(/VA \(Virginia\).*IA \(Iowa\).*RI \(Rhode Island\)/);
    }
  });
});
