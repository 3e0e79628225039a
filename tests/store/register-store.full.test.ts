import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConversationEngine } from '../../src/core/conversation/engine.js';
import type { Actor } from '../../src/core/conversation/reply.js';
import { openPolicies } from '../../src/core/policy/service.js';
import { Register } from '../../src/core/requests/register.js';
import { type KeyvRegisterStore, openRegisterStore } from '../../src/store/register-store.js';

/**
 * A full disk, as SQLite reports it (SQLITE_FULL): a real SQLite register whose database may not
 * grow (`PRAGMA max_page_count`, the same error a full disk gives). Staff are told in plain words
 * that nothing was saved and what to do, never the driver's "SQLITE_FULL".
 */

const now = new Date('2026-11-25T10:00:00Z');
const lead: Actor = { id: 'test:lead', name: 'lead', isPrivacyTeam: true };
let dir: string;
let store: KeyvRegisterStore;
let register: Register;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'privacy-ops-full-'));
  store = await openRegisterStore(`sqlite://${join(dir, 'register.sqlite')}`);
  register = await Register.open(store, { defaultCountry: 'DE', timeZone: 'UTC', retentionMonths: 24 });
  await register.add(
    {
      type: 'access',
      regime: 'gdpr',
      received: '2026-11-20',
      requesterName: 'A B',
      requesterEmail: 'a@example.com',
    },
    { actor: 'lead', now },
  );
  // The file may not grow past its current size: the next write that needs a page fails.
  const query = (
    store.backend.keyv.store as { query: (sql: string) => Promise<Array<Record<string, number>>> }
  ).query;
  const [pages] = await query('PRAGMA page_count');
  await query(`PRAGMA max_page_count = ${pages!.page_count}`);
});

afterEach(async () => {
  await register.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const bigNote = 'x'.repeat(1900);

describe('a full store', () => {
  it('tells staff in plain words that nothing was saved and what to do', async () => {
    const engine = new ConversationEngine({
      answerer: (await openPolicies(join(import.meta.dirname, '..', '..', 'examples', 'policies'))).answerer,
      register,
      defaultCountry: 'DE',
      defaultTimeZone: 'UTC',
    });
    let reply = await engine.handle({
      text: `start DSR-2026-0001 ${bigNote}`,
      actor: lead,
      audience: 'private',
      now,
    });
    for (let i = 0; i < 20 && reply.blocks[0]?.kind !== 'error'; i++)
      reply = await engine.handle({
        text: `assign DSR-2026-0001 owner-${i}-${bigNote.slice(0, 80)}`,
        actor: lead,
        audience: 'private',
        now,
      });
    expect(reply.blocks[0]?.kind).toBe('error');
    expect(reply.text).toMatch(/storage is full/i);
    expect(reply.text).toMatch(/nothing was saved/i);
    expect(reply.text).not.toMatch(/SQLITE|disk I\/O|database or disk/i);
  });

  it('is a STORE error (exit code 74) with the plain message for the CLI too', async () => {
    let failure: unknown;
    try {
      for (let i = 0; i < 50; i++)
        await register.add(
          {
            type: 'access',
            regime: 'gdpr',
            received: '2026-11-20',
            requesterName: `Person ${i}`,
            requesterEmail: `p${i}@example.com`,
            note: bigNote,
          },
          { actor: 'lead', now },
        );
    } catch (error) {
      failure = error;
    }
    expect(failure).toMatchObject({ code: 'STORE' });
    expect((failure as Error).message).toMatch(/storage is full/i);
    expect((failure as Error).message).not.toMatch(/SQLITE_FULL/);
  });
});
