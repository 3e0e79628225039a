/**
 * A reply that could not reach the Bot Connector at the activity's serviceUrl: the Emulator or
 * Agents Playground was closed, or the serviceUrl is wrong or blocked. Not a fault of ours, so it
 * is logged as one line that says what to check, without the library's stack (issue 17).
 */

/** Network error codes of Node (and undici's fetch) that mean the other end could not be reached. */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);

/** The error's class and network code when it (or an error it wraps) is an unreachable host. */
export function unreachableConnector(error: unknown): { errorClass: string; code: string } | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && UNREACHABLE.has(code))
      return { errorClass: (error as Error).name || 'Error', code };
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The serviceUrl's origin (a connector's host, never a person's data), or a placeholder. */
export function serviceOrigin(serviceUrl: unknown): string {
  try {
    return new URL(String(serviceUrl)).origin;
  } catch {
    return '(no valid serviceUrl)';
  }
}
