import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PolicyAnswerer } from '../../src/core/policy/answer.js';
import { loadCorpus } from '../../src/core/policy/ingest.js';
import { answererFor } from '../../src/core/policy/service.js';

/** An answerer over one policy document written for a test, read from a directory of its own. */
export async function answererOver(file: string, text: string): Promise<PolicyAnswerer> {
  const dir = mkdtempSync(join(tmpdir(), 'privacy-ops-policy-'));
  try {
    writeFileSync(join(dir, file), text);
    return answererFor(await loadCorpus(dir));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
