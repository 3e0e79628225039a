import { describe, expect, it } from 'vitest';
import { isLoopback } from '../../../src/channels/teams/receiving.js';

/** The messaging endpoint's own checks (the rest of receiving is exercised through channel.test.ts). */

describe('dev mode callers', () => {
  it('tells loopback callers from others', () => {
    for (const a of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1'])
      expect(isLoopback(a), a).toBe(true);
    for (const a of ['10.0.0.5', '192.168.1.2', '::ffff:10.0.0.1', '2001:db8::1', undefined])
      expect(isLoopback(a), a).toBe(false);
  });
});
