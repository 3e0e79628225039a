import { describe, expect, it } from 'vitest';
import { parseRegime, parseRequestType } from '../../../src/core/requests/regimes.js';
import { appError } from '../../helpers/app-error.js';

describe('parseRegime and parseRequestType', () => {
  it.each([
    ['gdpr', 'gdpr'],
    ['EU-GDPR', 'gdpr'],
    ['uk', 'uk-gdpr'],
    ['CPRA', 'ccpa'],
    ['vcdpa', 'us-state'],
    ['Québec', 'quebec'],
    ['fadp', 'swiss'],
  ])('regime %s -> %s', (input, expected) => {
    expect(parseRegime(input)).toBe(expected);
  });

  it.each([
    ['opt-out', 'opt-out-of-sale'],
    ['do-not-sell', 'opt-out-of-sale'],
    ['delete', 'erasure'],
    ['deletion', 'erasure'],
    ['correction', 'rectification'],
    ['limit-use', 'limit-sensitive-use'],
    ['Access', 'access'],
    ['appeal', 'appeal'],
  ])('type %s -> %s', (input, expected) => {
    expect(parseRequestType(input)).toBe(expected);
  });

  it('lists the valid values when it does not know one', () => {
    const regime = appError(() => parseRegime('hipaa'));
    expect(regime.code).toBe('INVALID_INPUT');
    expect(regime.message).toContain('uk-gdpr');
    expect(appError(() => parseRequestType('zap')).message).toContain('opt-out-of-sale');
  });
});
