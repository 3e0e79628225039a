import { describe, expect, it } from 'vitest';
import { parsePlain } from '../../../../src/core/policy/parse/plain.js';

describe('headings in plain text', () => {
  it('reads the lines of an address written a line at a time as text, not as headings', () => {
    const blocks = parsePlain(
      [
        'Tidewell - Privacy Policy',
        '',
        'Our contact details:',
        'Address:',
        'Tidewell Ferries, Harbour Building',
        'Quay Street, Portree',
        'IV51 9DE',
        '',
        'How long we keep data',
        'We keep booking records for 6 years.',
      ].join('\n'),
      false,
    );
    const headings = blocks.filter((b) => b.kind === 'heading').map((b) => b.text);
    expect(headings).toEqual(['Tidewell - Privacy Policy', 'How long we keep data']);
    expect(
      blocks.some(
        (b) =>
          b.kind === 'paragraph' &&
          b.text === 'Tidewell Ferries, Harbour Building, Quay Street, Portree, IV51 9DE',
      ),
    ).toBe(true);
  });
});
