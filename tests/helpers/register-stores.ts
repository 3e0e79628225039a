import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type NewRequest, Register, type RegisterOptions } from '../../src/core/requests/register.js';
import { KeyvRegisterStore, openRegisterStore } from '../../src/store/register-store.js';

/**
 * The backends every store test runs against. SQLite always runs (a temp file); Redis and Postgres
 * run when REDIS_URL / DATABASE_URL are set (CI sets them) and are skipped with a message when not.
 * Each opened target gets its own namespace (a table, a key prefix), removed by `cleanup`.
 */
export interface BackendTarget {
  name: 'sqlite' | 'redis' | 'postgres';
  /** Why it is skipped, or undefined when it runs. */
  skip: string | undefined;
  /** A fresh, empty place: the URL and namespace to open (also from a child process). */
  create(): { url: string; namespace: string; cleanup: () => Promise<void> };
}

const unique = () => `t${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;

async function dropNamespace(url: string, namespace: string): Promise<void> {
  const store = await openRegisterStore(url, { namespace });
  try {
    await store.backend.drop();
  } finally {
    await store.close();
  }
}

export const TARGETS: BackendTarget[] = [
  {
    name: 'sqlite',
    skip: undefined,
    create() {
      const dir = mkdtempSync(join(tmpdir(), 'privacy-ops-register-'));
      return {
        url: `sqlite://${join(dir, 'register.sqlite')}`,
        namespace: '',
        cleanup: async () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  },
  {
    name: 'redis',
    skip: process.env.REDIS_URL ? undefined : 'REDIS_URL is not set: skipping the Redis register tests',
    create() {
      const url = process.env.REDIS_URL!;
      const namespace = unique();
      return { url, namespace, cleanup: () => dropNamespace(url, namespace) };
    },
  },
  {
    name: 'postgres',
    skip: process.env.DATABASE_URL
      ? undefined
      : 'DATABASE_URL is not set: skipping the Postgres register tests',
    create() {
      const url = process.env.DATABASE_URL!;
      const namespace = unique();
      return { url, namespace, cleanup: () => dropNamespace(url, namespace) };
    },
  },
];

for (const target of TARGETS) {
  // vitest shows skipped suites without a reason: say it once on the console.
  if (target.skip) console.warn(target.skip);
}

export const OPTIONS: RegisterOptions = { defaultCountry: 'DE', timeZone: 'UTC', retentionMonths: 24 };

export const NOW = new Date('2026-03-10T10:00:00Z');

export const ctx = (now: Date = NOW, actor = 'tester') => ({ actor, now });

export function newRequest(overrides: Partial<NewRequest> = {}): NewRequest {
  return {
    type: 'access',
    regime: 'gdpr',
    received: '2026-03-02',
    requesterName: 'Jane Doe',
    requesterEmail: 'jane@example.org',
    ...overrides,
  };
}

/** A register over a fresh in-memory store, for tests of the core rules. */
export async function memoryRegister(options: Partial<RegisterOptions> = {}) {
  const store = await openRegisterStore('memory://');
  const register = await Register.open(store, { ...OPTIONS, ...options });
  return { store, register };
}

export { KeyvRegisterStore, openRegisterStore, Register };
