import { describe, expect, it } from 'vitest';
import { computeDeadlines, type DeadlineInput } from '../../../src/core/requests/deadlines.js';
import { appError } from '../../helpers/app-error.js';

/**
 * Every expected date below was worked out by hand from a real calendar (weekdays checked with
 * `date -d`), never copied from the implementation. The `why` says how.
 */
interface Case {
  name: string;
  input: DeadlineInput;
  due: string;
  why: string;
}

const responseCases: Case[] = [
  // EDPB Guidelines 01/2022 worked examples (Reg. 1182/71 art. 3 counting).
  {
    name: 'EDPB: 5 March -> 5 April',
    input: { regime: 'gdpr', country: 'DE', received: '2027-03-05' },
    due: '2027-04-05',
    why: 'Mon 5 Apr 2027 is a working day (Easter Monday 2027 is 29 March)',
  },
  {
    name: 'EDPB: 31 August -> 30 September',
    input: { regime: 'gdpr', country: 'DE', received: '2026-08-31' },
    due: '2026-09-30',
    why: 'September has no 31st: its last day, Wed 30 Sep 2026',
  },
  // Month ends and leap years.
  {
    name: 'leap year: 31 January -> 29 February',
    input: { regime: 'gdpr', country: 'DE', received: '2028-01-31' },
    due: '2028-02-29',
    why: '2028 is a leap year; Tue 29 Feb 2028',
  },
  {
    name: 'common year: 31 January -> 28 February, a Sunday -> 1 March',
    input: { regime: 'gdpr', country: 'DE', received: '2027-01-31' },
    due: '2027-03-01',
    why: 'Sun 28 Feb 2027 rolls to Mon 1 Mar 2027',
  },
  {
    name: 'received on 29 February',
    input: { regime: 'gdpr', country: 'DE', received: '2028-02-29' },
    due: '2028-03-29',
    why: 'Wed 29 Mar 2028',
  },
  {
    name: 'received on 29 February, extended: three months from receipt',
    input: { regime: 'gdpr', country: 'DE', received: '2028-02-29', extended: true },
    due: '2028-05-29',
    why: 'Mon 29 May 2028; Whit Monday 2028 is 5 June',
  },
  {
    name: 'NL: no 31 April -> 30 April (dev case)',
    input: { regime: 'gdpr', country: 'NL', received: '2026-03-31' },
    due: '2026-04-30',
    why: 'Thu 30 Apr 2026',
  },
  // Weekends and public holidays, with regions.
  {
    name: 'DE: 5 July is a Sunday (dev case)',
    input: { regime: 'gdpr', country: 'DE', received: '2026-06-05' },
    due: '2026-07-06',
    why: 'Sun 5 Jul 2026 -> Mon 6 Jul',
  },
  {
    name: 'DE-BY: Epiphany is a Bavarian holiday',
    input: { regime: 'gdpr', country: 'DE', region: 'BY', received: '2025-12-06' },
    due: '2026-01-07',
    why: 'Tue 6 Jan 2026 (Heilige Drei Könige in BY) -> Wed 7 Jan',
  },
  {
    name: 'DE without a region: Epiphany is not a national holiday',
    input: { regime: 'gdpr', country: 'DE', received: '2025-12-06' },
    due: '2026-01-06',
    why: 'Tue 6 Jan 2026 is a working day in most of Germany',
  },
  {
    name: 'DE-BY given as DE-BY in the country field: Corpus Christi',
    input: { regime: 'gdpr', country: 'DE-BY', received: '2026-05-04' },
    due: '2026-06-05',
    why: 'Thu 4 Jun 2026 is Fronleichnam in BY -> Fri 5 Jun',
  },
  {
    name: 'FR: 15 August (Assomption) on a Friday',
    input: { regime: 'gdpr', country: 'FR', received: '2025-07-15' },
    due: '2025-08-18',
    why: 'Fri 15 Aug 2025 is a holiday, then Sat and Sun -> Mon 18 Aug',
  },
  {
    name: 'FR extended: 15 August 2026 is a Saturday and a holiday (dev case)',
    input: { regime: 'gdpr', country: 'FR', received: '2026-05-15', extended: true },
    due: '2026-08-17',
    why: 'three months from receipt: Sat 15 Aug 2026 -> Mon 17 Aug',
  },
  {
    name: "NL: King's Day",
    input: { regime: 'gdpr', country: 'NL', received: '2026-03-27' },
    due: '2026-04-28',
    why: 'Mon 27 Apr 2026 is Koningsdag -> Tue 28 Apr',
  },
  {
    name: 'NL: 5 May counts (Algemene termijnenwet art. 3)',
    input: { regime: 'gdpr', country: 'NL', received: '2026-04-05' },
    due: '2026-05-06',
    why: 'Tue 5 May 2026, Bevrijdingsdag -> Wed 6 May',
  },
  {
    name: 'NL: Good Friday counts (Algemene termijnenwet art. 3(2)), then Easter Monday',
    input: { regime: 'gdpr', country: 'NL', received: '2026-03-03' },
    due: '2026-04-07',
    why: 'Fri 3 Apr 2026 Good Friday, Sat, Sun, Mon 6 Apr Tweede paasdag -> Tue 7 Apr',
  },
  {
    name: "IE: St Patrick's Day",
    input: { regime: 'gdpr', country: 'IE', received: '2026-02-17' },
    due: '2026-03-18',
    why: 'Tue 17 Mar 2026 is a public holiday -> Wed 18 Mar',
  },
  {
    name: 'IE: Good Friday is not a public holiday in Ireland',
    input: { regime: 'gdpr', country: 'IE', received: '2026-03-03' },
    due: '2026-04-03',
    why: 'Fri 3 Apr 2026 stays: banks close, but it is no public holiday',
  },
  // UK GDPR: ICO worked examples and UK bank holidays by nation.
  {
    name: 'ICO: 3 September -> 3 October',
    input: { regime: 'uk-gdpr', country: 'GB', received: '2025-09-03' },
    due: '2025-10-03',
    why: 'Fri 3 Oct 2025',
  },
  {
    name: 'ICO: 30 January -> 28 February (no 30 February)',
    input: { regime: 'uk-gdpr', country: 'GB', received: '2025-01-30' },
    due: '2025-02-28',
    why: 'Fri 28 Feb 2025',
  },
  {
    name: 'GB: Sunday then the Early May bank holiday (dev case)',
    input: { regime: 'uk-gdpr', country: 'GB', received: '2026-04-03' },
    due: '2026-05-05',
    why: 'Sun 3 May 2026, Mon 4 May bank holiday -> Tue 5 May',
  },
  {
    name: 'GB-ENG: Summer bank holiday is the last Monday of August',
    input: { regime: 'uk-gdpr', country: 'GB', region: 'ENG', received: '2026-07-31' },
    due: '2026-09-01',
    why: 'Mon 31 Aug 2026 is a bank holiday in England -> Tue 1 Sep',
  },
  {
    name: 'GB-SCT: not a holiday in Scotland on 31 August',
    input: { regime: 'uk-gdpr', country: 'GB', region: 'SCT', received: '2026-07-31' },
    due: '2026-08-31',
    why: "Scotland's summer bank holiday is the first Monday of August",
  },
  {
    name: 'GB-SCT: first Monday of August',
    input: { regime: 'uk-gdpr', country: 'GB', region: 'SCT', received: '2026-07-03' },
    due: '2026-08-04',
    why: 'Mon 3 Aug 2026 is a bank holiday in Scotland -> Tue 4 Aug',
  },
  {
    name: "GB-SCT: St Andrew's Day",
    input: { regime: 'uk-gdpr', country: 'GB', region: 'SCT', received: '2026-10-30' },
    due: '2026-12-01',
    why: "Mon 30 Nov 2026 is St Andrew's Day in Scotland -> Tue 1 Dec",
  },
  {
    name: 'GB (England by default): St Andrew is a working day',
    input: { regime: 'uk-gdpr', received: '2026-10-30' },
    due: '2026-11-30',
    why: 'Mon 30 Nov 2026 is a working day in England',
  },
  {
    name: 'UK extended: Easter Sunday, then Easter Monday (England)',
    input: { regime: 'uk-gdpr', country: 'GB', received: '2026-01-05', extended: true },
    due: '2026-04-07',
    why: 'three months: Sun 5 Apr 2026, Mon 6 Apr Easter Monday -> Tue 7 Apr',
  },
  {
    name: 'UK extended in Scotland: Easter Monday is no bank holiday there',
    input: { regime: 'uk-gdpr', country: 'GB', region: 'SCT', received: '2026-01-05', extended: true },
    due: '2026-04-06',
    why: 'Sun 5 Apr 2026 -> Mon 6 Apr',
  },
  {
    name: 'UK art. 12A: the clock starts when the identity evidence arrived',
    input: { regime: 'uk-gdpr', country: 'GB', received: '2026-01-05', clockStart: '2026-01-12' },
    due: '2026-02-12',
    why: 'one month from Mon 12 Jan 2026: Thu 12 Feb',
  },
  {
    name: 'UK art. 12A: 10 days paused for clarification',
    input: { regime: 'uk-gdpr', country: 'GB', received: '2026-01-05', pausedDays: 10 },
    due: '2026-02-16',
    why: 'Thu 5 Feb 2026 + 10 days = Sun 15 Feb -> Mon 16 Feb',
  },
  {
    name: 'EU GDPR has no stop-the-clock: pausing is ignored',
    input: { regime: 'gdpr', country: 'DE', received: '2026-01-05', pausedDays: 10 },
    due: '2026-02-05',
    why: 'Thu 5 Feb 2026',
  },
  // CCPA/CPRA: calendar days, no roll-over; business days for opt-outs.
  {
    name: 'CCPA: 45 calendar days (dev case)',
    input: { regime: 'ccpa', country: 'US', received: '2026-01-10' },
    due: '2026-02-24',
    why: '21 days to 31 Jan + 24 = Tue 24 Feb 2026',
  },
  {
    name: 'CCPA: a 45-day deadline on a Sunday does not move',
    input: { regime: 'ccpa', received: '2026-02-05' },
    due: '2026-03-22',
    why: '23 days to 28 Feb + 22 = Sun 22 Mar 2026; § 7021(b) counts calendar days',
  },
  {
    name: 'CCPA extended: 90 calendar days from receipt',
    input: { regime: 'ccpa', received: '2026-01-10', extended: true },
    due: '2026-04-10',
    why: '21 + 28 + 31 = 80 to 31 Mar, + 10 = Fri 10 Apr 2026',
  },
  {
    name: 'CCPA opt-out of sale: 15 business days, skipping MLK Day',
    input: { regime: 'ccpa', received: '2026-01-09', type: 'opt-out-of-sale' },
    due: '2026-02-02',
    why: 'Jan 12-16 (5), 19 is MLK Day, 20-23 (9), 26-30 (14), Mon 2 Feb (15)',
  },
  // Issue 14 point 3 (was 15 Dec): the day after Thanksgiving is not a federal holiday, so under
  // the safe reading of "business days" it is one.
  {
    name: 'CCPA limit use of sensitive PI: Thanksgiving, but not the day after',
    input: { regime: 'ccpa', received: '2026-11-20', type: 'limit-sensitive-use' },
    due: '2026-12-14',
    why: 'Nov 23-25 (3), 26 Thanksgiving, 27 (4), Nov 30-Dec 4 (9), Dec 7-11 (14), Mon 14 Dec (15)',
  },
  {
    name: 'US state VA: 45 days (Va. Code § 59.1-577(B)(1))',
    input: { regime: 'us-state', region: 'VA', received: '2026-01-10' },
    due: '2026-02-24',
    why: 'as CCPA: Tue 24 Feb 2026',
  },
  {
    name: 'US state VA extended once: 90 days',
    input: { regime: 'us-state', region: 'VA', received: '2026-01-10', extended: true },
    due: '2026-04-10',
    why: 'Fri 10 Apr 2026',
  },
  // Brazil, Canada, Quebec, Switzerland.
  {
    name: 'LGPD: 15 days, Tiradentes',
    input: { regime: 'lgpd', received: '2026-04-06' },
    due: '2026-04-22',
    why: 'Tue 21 Apr 2026 is Tiradentes -> Wed 22 Apr',
  },
  // Issue 14 point 3 (was Mon 23 Mar): Código Civil art. 132 § 1 moves a period ending on a
  // holiday; a plain Saturday is not one, so the earlier date stands.
  {
    name: 'LGPD: 15 days ending on a Saturday stay there',
    input: { regime: 'lgpd', country: 'BR', received: '2026-03-06' },
    due: '2026-03-21',
    why: 'Sat 21 Mar 2026 is no holiday: it stays',
  },
  {
    name: 'PIPEDA: 30 days (dev case)',
    input: { regime: 'pipeda', country: 'CA', received: '2026-05-04' },
    due: '2026-06-03',
    why: 'Wed 3 Jun 2026',
  },
  {
    name: 'PIPEDA: Victoria Day',
    input: { regime: 'pipeda', received: '2026-04-18' },
    due: '2026-05-19',
    why: 'Mon 18 May 2026 is Victoria Day -> Tue 19 May',
  },
  {
    name: 'PIPEDA: Canada Day',
    input: { regime: 'pipeda', received: '2026-06-01' },
    due: '2026-07-02',
    why: 'Wed 1 Jul 2026 -> Thu 2 Jul',
  },
  {
    name: 'PIPEDA: National Day for Truth and Reconciliation',
    input: { regime: 'pipeda', received: '2026-08-31' },
    due: '2026-10-01',
    why: 'Wed 30 Sep 2026 -> Thu 1 Oct',
  },
  {
    name: 'PIPEDA: Saturday is not a holiday under the Interpretation Act',
    input: { regime: 'pipeda', received: '2026-06-04' },
    due: '2026-07-04',
    why: 'Sat 4 Jul 2026 stays',
  },
  {
    name: 'PIPEDA: Sunday is a holiday',
    input: { regime: 'pipeda', received: '2026-06-05' },
    due: '2026-07-06',
    why: 'Sun 5 Jul 2026 -> Mon 6 Jul',
  },
  {
    name: 'PIPEDA extended by 30 days',
    input: { regime: 'pipeda', received: '2026-05-04', extended: true },
    due: '2026-07-03',
    why: '60 days: Fri 3 Jul 2026',
  },
  {
    name: 'Quebec: Fête nationale',
    input: { regime: 'quebec', received: '2026-05-25' },
    due: '2026-06-25',
    why: 'Wed 24 Jun 2026 -> Thu 25 Jun',
  },
  {
    name: 'Quebec: Good Friday, then the weekend and Easter Monday',
    input: { regime: 'quebec', country: 'CA', received: '2026-03-04' },
    due: '2026-04-07',
    why: 'Fri 3 Apr 2026 Good Friday, next working day after Mon 6 Apr (Easter Monday) is Tue 7 Apr',
  },
  {
    name: 'Swiss: 1 August on a Saturday',
    input: { regime: 'swiss', received: '2026-07-02' },
    due: '2026-08-03',
    why: 'Sat 1 Aug 2026 (Saturday and Bundesfeiertag) -> Mon 3 Aug',
  },
];

describe('computeDeadlines: the response deadline', () => {
  it.each(responseCases)('$name', ({ input, due }) => {
    const set = computeDeadlines(input);
    expect(set.due).toBe(due);
    expect(set.deadlines[0]).toMatchObject({ kind: 'response', due, binding: true });
    expect(set.rule).toContain(due.slice(0, 4));
    expect(set.source.length).toBeGreaterThan(5);
  });
});

function clock(input: DeadlineInput, kind: string) {
  return computeDeadlines(input).deadlines.find((d) => d.kind === kind);
}

describe('computeDeadlines: the other clocks', () => {
  it('GDPR extension: notice due at the one-month date', () => {
    const set = computeDeadlines({ regime: 'gdpr', country: 'FR', received: '2026-05-15', extended: true });
    expect(
      clock({ regime: 'gdpr', country: 'FR', received: '2026-05-15', extended: true }, 'extension-notice'),
    ).toMatchObject({ due: '2026-06-15', binding: true });
    expect(set.source).toContain('12(3)');
    expect(set.maxExtensions).toBe(1);
  });

  it('no extension notice while the deadline is not extended', () => {
    expect(
      clock({ regime: 'gdpr', country: 'FR', received: '2026-05-15' }, 'extension-notice'),
    ).toBeUndefined();
  });

  it('CCPA: receipt confirmed within 10 business days (Sat 10 Jan 2026 -> Mon 26 Jan, MLK Day skipped)', () => {
    expect(clock({ regime: 'ccpa', received: '2026-01-10' }, 'receipt-confirmation')).toMatchObject({
      due: '2026-01-26',
      source: 'Cal. Code Regs. tit. 11 § 7021(a)',
    });
  });

  it('CCPA extension: notice within the first 45 days', () => {
    expect(clock({ regime: 'ccpa', received: '2026-01-10', extended: true }, 'extension-notice')?.due).toBe(
      '2026-02-24',
    );
  });

  it('CCPA opt-out: no receipt confirmation and no extension', () => {
    const set = computeDeadlines({ regime: 'ccpa', received: '2026-01-09', type: 'opt-out-of-sale' });
    expect(set.deadlines.map((d) => d.kind)).toEqual(['response']);
    expect(set.source).toContain('7026(f)');
    expect(set.extendable).toBe(false);
    expect(() =>
      computeDeadlines({ regime: 'ccpa', received: '2026-01-09', type: 'opt-out-of-sale', extended: true }),
    ).toThrow(/no extension/);
  });

  it('PIPEDA extension: notice within 30 days of the request', () => {
    expect(clock({ regime: 'pipeda', received: '2026-05-04', extended: true }, 'extension-notice')?.due).toBe(
      '2026-06-03',
    );
  });

  it('policy target: calendar days from receipt, not binding', () => {
    const set = computeDeadlines({
      regime: 'gdpr',
      country: 'DE',
      received: '2026-06-05',
      policyTargetDays: 28,
    });
    expect(set.due).toBe('2026-07-06');
    expect(set.deadlines.find((d) => d.kind === 'policy-target')).toMatchObject({
      due: '2026-07-03',
      binding: false,
    });
  });

  it('says what the regime allows', () => {
    expect(computeDeadlines({ regime: 'uk-gdpr', received: '2026-01-05' })).toMatchObject({
      pausable: true,
      extendable: true,
      maxExtensions: 1,
    });
    expect(computeDeadlines({ regime: 'lgpd', received: '2026-01-05' })).toMatchObject({
      pausable: false,
      extendable: false,
      maxExtensions: 0,
    });
  });

  it('notes inputs that do not apply', () => {
    const set = computeDeadlines({ regime: 'gdpr', country: 'DE', received: '2026-01-05', pausedDays: 10 });
    expect(set.pausable).toBe(false);
    expect(set.notes.join(' ')).toMatch(/not added/);
  });
});

describe('validation', () => {
  it.each([
    ['2026-02-30', /February 2026 has 28 days/],
    ['2027-02-29', /February 2027 has 28 days/],
    ['2026-13-01', /month must be 01 to 12/],
    ['yesterday', /YYYY-MM-DD/],
    ['5/3/2026', /YYYY-MM-DD/],
  ])('rejects the received date %s', (received, message) => {
    const error = appError(() => computeDeadlines({ regime: 'gdpr', country: 'DE', received }));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toMatch(message);
  });

  it('rejects an unknown country and region with the valid ones', () => {
    expect(
      appError(() => computeDeadlines({ regime: 'gdpr', country: 'XX', received: '2026-01-05' })).message,
    ).toMatch(/ISO 3166-1/);
    expect(
      appError(() =>
        computeDeadlines({ regime: 'uk-gdpr', country: 'GB', region: 'XYZ', received: '2026-01-05' }),
      ).message,
    ).toMatch(/ENG.*SCT/);
  });

  it('needs a country for the EU GDPR', () => {
    expect(appError(() => computeDeadlines({ regime: 'gdpr', received: '2026-01-05' })).message).toMatch(
      /country/,
    );
  });

  it('refuses an extension the regime does not allow', () => {
    expect(
      appError(() => computeDeadlines({ regime: 'quebec', received: '2026-01-05', extended: true })).code,
    ).toBe('INVALID_INPUT');
  });

  it('refuses a clock start before receipt', () => {
    expect(
      appError(() =>
        computeDeadlines({ regime: 'uk-gdpr', received: '2026-01-05', clockStart: '2026-01-01' }),
      ).message,
    ).toMatch(/before/);
  });
});
