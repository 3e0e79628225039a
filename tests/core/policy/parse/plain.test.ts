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

  it('keeps short lines that are no address (a list under "We collect:", titles) a line each', () => {
    const blocks = parsePlain(
      [
        'We collect the following:',
        'Your name',
        'Your email address',
        'Your device type',
        '',
        'Sharing',
        'We share nothing.',
      ].join('\n'),
      false,
    );
    expect(blocks.map((b) => b.text)).toContain('Your name');
    expect(blocks.map((b) => b.text)).toContain('Your email address');
  });
});
