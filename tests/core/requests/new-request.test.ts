import { describe, expect, it } from 'vitest';
import { readIntake } from '../../../src/channels/slack/intake-modal.js';
import { checkNewRequest, parseNewRequest } from '../../../src/core/requests/new-request.js';

/** The one schema of a new request: the forms, the one-line intake, the CLI and the register read it alike. */

const TODAY = '2026-11-25';
const base = {
  type: 'access',
  regime: 'gdpr',
  received: '2026-11-20',
  requesterName: 'Jane Roe',
  requesterEmail: 'jane@example.com',
};

describe('the new request schema', () => {
  it('reads a request as the register keeps it: canonical names, DE-BY split, blanks left out in a form', () => {
    const checked = checkNewRequest(
      { ...base, type: 'Right to be forgotten', country: 'de-by', note: ' ' },
      { today: TODAY, form: true },
    );
    expect(checked).toEqual({
      ok: true,
      request: { ...base, type: 'erasure', country: 'DE', region: 'BY' },
    });
  });

  it('has one limit for a note: 2,000 characters, in a form as in the register', () => {
    const long = 'x'.repeat(2001);
    const form = checkNewRequest({ ...base, note: long }, { today: TODAY, form: true });
    expect(!form.ok && form.problems.map((p) => p.field)).toEqual(['note']);
    expect(() => parseNewRequest({ ...base, note: long }, TODAY)).toThrow(/at most 2000 characters/);
    const slack = readIntake(
      {
        type: { value: { selected_option: { value: 'access' } } },
        regime: { value: { selected_option: { value: 'gdpr' } } },
        received: { value: { selected_date: '2026-11-20' } },
        name: { value: { value: 'Jane Roe' } },
        email: { value: { value: 'jane@example.com' } },
        note: { value: { value: long } },
      },
      TODAY,
    );
    expect(!slack.ok && slack.errors.note).toMatch(/at most 2000 characters/);
    expect(parseNewRequest({ ...base, note: 'x'.repeat(2000) }, TODAY).note).toHaveLength(2000);
  });

  it('says what is missing in a form, and asks for any one contact unless the request is a linked appeal', () => {
    const none = checkNewRequest({ formId: 'f-12345678' }, { today: TODAY, form: true });
    expect(!none.ok && none.problems.filter((p) => p.missing).map((p) => p.field)).toEqual([
      'type',
      'regime',
      'received',
      'requesterName',
      'contact',
    ]);
    const { requesterEmail: _e, ...noContact } = base;
    expect(
      checkNewRequest(
        { ...noContact, type: 'appeal', regime: 'us-state', appealOf: 'dsr-2026-0001' },
        { today: TODAY },
      ).ok,
    ).toBe(true);
  });

  it('refuses in the register a blank name, as it always has, and words each problem as the register does', () => {
    expect(() => parseNewRequest({ ...base, requesterName: '  ' }, TODAY)).toThrow(/must not be empty/);
    expect(() => parseNewRequest({ ...base, type: 'teleport' }, TODAY)).toThrow(/unknown request type/);
    expect(() => parseNewRequest({ ...base, received: '2026-12-01' }, TODAY)).toThrow(/in the future/);
  });
});
