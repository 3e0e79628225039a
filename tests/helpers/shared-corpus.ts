import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The development corpus beside the repository (../shared/corpus: real third-party policies, read
 * in place and never copied here). A fresh clone has nothing beside it, so tests over it skip, and
 * say why, instead of failing.
 */
export const SHARED_CORPUS = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));

/** True when ../shared/corpus is there to read. */
export const HAS_SHARED_CORPUS = existsSync(SHARED_CORPUS);

/** The suffix a skipped test's name carries, so the reporter shows why it did not run. */
export const SHARED_CORPUS_SKIP = HAS_SHARED_CORPUS
  ? ''
  : ' (skipped: ../shared/corpus is absent; it sits beside the repository in development only)';

if (!HAS_SHARED_CORPUS)
  process.stderr.write(`Skipping the tests over ${SHARED_CORPUS}: it does not exist in this checkout.\n`);
