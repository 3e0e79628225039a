import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Register } from '../../src/core/requests/register.js';
import { type KeyvRegisterStore, openRegisterStore } from '../../src/store/register-store.js';
import { type BackendSeenKeys, openSeenKeys } from '../../src/store/seen-keys.js';
import { type Dovecot, startDovecot } from './dovecot.js';

/**
 * What the mailbox watcher tests run against: a throwaway Dovecot (`startDovecot` options), and a
 * register and seen-message store in one SQLite file of a temporary directory.
 */
export interface MailboxWorld {
  imap: Dovecot;
  register: Register;
  seen: BackendSeenKeys;
  close(): Promise<void>;
}

export async function openMailboxWorld(
  options: Parameters<typeof startDovecot>[0] = {},
): Promise<MailboxWorld> {
  const imap = await startDovecot(options);
  const dir = mkdtempSync(join(tmpdir(), 'privacy-ops-mailbox-'));
  const file = `sqlite://${join(dir, 'r.sqlite')}`;
  const store: KeyvRegisterStore = await openRegisterStore(file);
  const register = await Register.open(store, { defaultCountry: 'DE', timeZone: 'UTC', retentionMonths: 24 });
  const seen = await openSeenKeys(file);
  return {
    imap,
    register,
    seen,
    async close() {
      await seen.close();
      await register.close();
      await store.close();
      await imap.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Waits until `done()` holds or `ms` have passed, checking every 50 ms. */
export async function until(done: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!done() && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
}
