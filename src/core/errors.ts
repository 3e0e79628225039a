/**
 * Coded errors. Every failure a user can cause is an {@link AppError} with a stable code and a
 * short sentence that says what to do next; anything else is wrapped once by {@link toAppError}
 * so that users never see a stack trace and logs always get a code.
 */
export type ErrorCode =
  | 'USAGE'
  | 'INVALID_INPUT'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'CORPUS_MISSING'
  | 'CORPUS_EMPTY'
  | 'DOCUMENT_UNREADABLE'
  | 'REGISTER_MISSING'
  | 'CONFIG'
  | 'STORE'
  | 'FORBIDDEN'
  | 'UPSTREAM'
  | 'INTERNAL';

/** Process exit codes, after BSD sysexits.h so scripts can tell usage errors from data errors. */
export const EXIT: Record<ErrorCode, number> = {
  USAGE: 64, // EX_USAGE: the command was used incorrectly
  INVALID_INPUT: 65, // EX_DATAERR: the input data was incorrect
  NOT_FOUND: 65,
  CONFLICT: 65,
  FORBIDDEN: 77, // EX_NOPERM
  CORPUS_MISSING: 66, // EX_NOINPUT: an input file did not exist or was not readable
  CORPUS_EMPTY: 66,
  DOCUMENT_UNREADABLE: 66,
  REGISTER_MISSING: 66, // a command that only reads found no register file
  CONFIG: 78, // EX_CONFIG
  STORE: 74, // EX_IOERR
  UPSTREAM: 69, // EX_UNAVAILABLE
  INTERNAL: 70, // EX_SOFTWARE
};

export class AppError extends Error {
  readonly code: ErrorCode;
  /** Extra machine-readable detail for logs; never personal data. */
  readonly detail?: Record<string, unknown>;

  constructor(
    code: ErrorCode,
    message: string,
    options?: { cause?: unknown; detail?: Record<string, unknown> },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.detail = options?.detail;
  }

  get exitCode(): number {
    return EXIT[this.code];
  }
}

/** Wraps anything thrown into an AppError exactly once; unknown errors become INTERNAL. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  return new AppError('INTERNAL', 'Something went wrong on our side. The details were logged.', {
    cause: error,
  });
}

/** A short reference a user can quote to an admin, matching the log line of the failure. */
export function newReference(): string {
  return Math.random().toString(36).slice(2, 8).toUpperCase();
}

/**
 * True for a driver error that means the store has no room left: SQLite's SQLITE_FULL (a full
 * disk, or the database's size limit), PostgreSQL's class 53 "insufficient resources" (53100
 * disk_full), Redis's OOM once maxmemory is reached, and the OS's ENOSPC.
 */
export function isStorageFull(error: unknown): boolean {
  const seen = new Set<unknown>();
  for (let e = error; e && typeof e === 'object' && !seen.has(e); e = (e as { cause?: unknown }).cause) {
    seen.add(e);
    const code = String((e as { code?: unknown }).code ?? '');
    const message = String((e as { message?: unknown }).message ?? '');
    if (/^(SQLITE_FULL|ENOSPC|53100|53200)$/.test(code)) return true;
    if (/\bSQLITE_FULL\b|\bENOSPC\b|^OOM command not allowed/.test(message)) return true;
  }
  return false;
}

/** What staff and operators are told when the store is full: plain words, never the driver's. */
export function storageFullError(store: string, cause: unknown): AppError {
  return new AppError(
    'STORE',
    `The ${store}'s storage is full, so nothing was saved. Ask your admin to free disk space (or raise the database's size limit), then try again.`,
    { cause },
  );
}
