import { describe, expect, it } from 'vitest';
import { parseMarkdown } from '../../../../src/core/policy/parse/markdown.js';

describe('markdown headings', () => {
  it('reads "##Title" without the space as a heading where a capital letter follows', () => {
    const blocks = parseMarkdown(
      [
        '##Purpose',
        'Tidewell Ltd is the data controller.',
        '##How long we keep data',
        'We keep support messages for 2 years.',
        '#ferries are fun, and this line is no heading.',
        '## Contact',
        'Write to privacy@tidewell.example.',
      ].join('\n'),
    );
    const headings = blocks.filter((b) => b.kind === 'heading').map((b) => b.text);
    expect(headings).toEqual(['Purpose', 'How long we keep data', 'Contact']);
    expect(blocks.find((b) => b.text.includes('2 years'))?.kind).not.toBe('heading');
    expect(blocks.some((b) => b.kind !== 'heading' && b.text.includes('#ferries'))).toBe(true);
  });
});
