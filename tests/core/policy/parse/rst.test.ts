import { describe, expect, it } from 'vitest';
import { parseRst } from '../../../../src/core/policy/parse/rst.js';

/** reStructuredText as policies converted from word processors write it (own fixture). */
const NOTICE = [
  '==============',
  'Privacy Notice',
  '==============',
  '',
  'We explain here how Kestrel Labs handles personal data.',
  '',
  '**Visitor Data**',
  '',
  'When you visit our site, our web server stores a short record of the visit. This record contains:',
  '',
  '* the page requested,',
  '* the IP address, truncated.',
  '',
  '**We will never:**',
  '',
  '* sell visitor data.',
  '',
  'A closing sentence with **bold words** inside it is text.',
].join('\n');

describe('reStructuredText: a line all in strong emphasis', () => {
  const blocks = parseRst(NOTICE);

  it('titles the paragraphs after it, one level under the section it is in', () => {
    const top = blocks.find((b) => b.kind === 'heading' && b.text === 'Privacy Notice');
    const sub = blocks.find((b) => b.kind === 'heading' && b.text === 'Visitor Data');
    expect(top?.level).toBe(1);
    expect(sub?.level).toBe(2);
  });

  it('over a list, ending in a colon, leads into the list instead', () => {
    expect(blocks.some((b) => b.kind === 'heading' && /never/.test(b.text))).toBe(false);
    expect(blocks.some((b) => b.kind === 'paragraph' && /We will never:/.test(b.text))).toBe(true);
  });

  it('leaves bold words inside a sentence as text', () => {
    expect(
      blocks.some((b) => b.kind === 'paragraph' && /closing sentence with bold words inside/.test(b.text)),
    ).toBe(true);
  });
});
