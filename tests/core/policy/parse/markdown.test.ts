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

describe('sentences set as headings', () => {
  it('reads a long sentence marked as a heading as a paragraph, and a short title as a heading', () => {
    const blocks = parseMarkdown(
      [
        '### Criminal records',
        '',
        '#### We do not run criminal record checks on our volunteers and we never ask for details of convictions. <a href="#x1" id="x1"></a>',
        '',
        '#### Data we keep.',
        '',
        'Application forms are kept for six months.',
      ].join('\n'),
    );
    const sentence = blocks.find((b) => b.text.startsWith('We do not run'));
    expect(sentence?.kind).toBe('paragraph');
    expect(sentence?.text).not.toMatch(/#|<a/);
    expect(blocks.filter((b) => b.kind === 'heading').map((b) => b.text)).toEqual([
      'Criminal records',
      'Data we keep.',
    ]);
  });

  it('does the same for an HTML heading holding a sentence', () => {
    const blocks = parseMarkdown(
      '<div>\n<h2>Sharing</h2>\n<h4>We will never sell, rent or trade the personal details of our members to anyone.</h4>\n</div>',
    );
    expect(blocks.find((b) => b.text.startsWith('We will never'))?.kind).toBe('paragraph');
    expect(blocks.find((b) => b.text === 'Sharing')?.kind).toBe('heading');
  });
});
