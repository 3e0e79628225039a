import type { DestinationStream, Logger } from 'pino';
import { pino } from 'pino';

export type { Logger };

/**
 * The one logger factory. Logs go to stderr (stdout belongs to command output) as JSON lines.
 * Callers log ids, codes and counts; personal data (names, contacts, free text) is redacted by path
 * as a second line of defence. Errors are logged by type, code, message and stack only: libraries
 * hang request and response bodies on their errors (a Slack platform error's `data`, an HTTP
 * client's `config` and `response`), which would carry what people typed.
 */
export function createLogger(level: string = 'info', destination: number | DestinationStream = 2): Logger {
  return pino(
    {
      level,
      base: { app: 'privacy-ops' },
      serializers: { err: serializeError },
      redact: {
        paths: [
          'requester',
          '*.requester',
          'requesterName',
          'requesterEmail',
          '*.requesterName',
          '*.requesterEmail',
          'requesterPhone',
          'requesterAddress',
          '*.requesterPhone',
          '*.requesterAddress',
          'phone',
          '*.phone',
          'email',
          '*.email',
          'name',
          'text',
          '*.text',
          'question',
          '*.question',
        ],
        censor: '[redacted]',
      },
    },
    typeof destination === 'number' ? pino.destination({ fd: destination, sync: true }) : destination,
  );
}

const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;

/** An error as logged: what it is and where it happened, never the payloads it carries. */
export function serializeError(error: unknown, depth = 0): Record<string, unknown> | undefined {
  if (error === undefined || error === null) return undefined;
  if (!(error instanceof Error)) return { type: typeof error, message: scrubLibraryLine(String(error)) };
  const code = (error as { code?: unknown }).code;
  const out: Record<string, unknown> = {
    type: error.name,
    message: scrubLibraryLine(error.message),
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    // The frames only: the stack's first lines repeat the message, unscrubbed.
    ...(error.stack
      ? {
          stack: error.stack
            .split('\n')
            .filter((l) => /^\s+at /.test(l))
            .join('\n')
            .replace(EMAIL, '[email]'),
        }
      : {}),
  };
  if (error.cause !== undefined && depth < 3) out.cause = serializeError(error.cause, depth + 1);
  return out;
}

/**
 * Where a library's log line starts to quote data: JSON (`http request body: {...}`, Bolt's
 * incoming payloads), or a labelled body, result, payload or message. Slack's Web API client logs
 * every request and response body at debug, so a `show` reply or the Home tab would be logged
 * with the requester's name and email (@slack/web-api WebClient.makeRequest and apiCall).
 */
const PAYLOAD_START =
  /[{[]|\b(?:body|result|data|payload|storedResponse|details|message)\s*[:=(]|\bWebSocket:\s|\bmessage received\b/i;
/** Longest library line kept; their useful part (what happened) comes first. */
const MAX_LIBRARY_LINE = 300;

/** A library's log line with any quoted data cut off and addresses masked. */
export function scrubLibraryLine(line: string): string {
  const cut = PAYLOAD_START.exec(line);
  const kept = cut
    ? `${line.slice(0, cut.index + cut[0].length).replace(/[{[(]$/, '')} [payload not logged]`
    : line;
  const masked = kept.replace(EMAIL, '[email]');
  return masked.length > MAX_LIBRARY_LINE ? `${masked.slice(0, MAX_LIBRARY_LINE)}…` : masked;
}

/** The logging interface libraries such as Bolt and Slack's Web API client expect. */
export interface LibraryLogger {
  debug(...msgs: unknown[]): void;
  info(...msgs: unknown[]): void;
  warn(...msgs: unknown[]): void;
  error(...msgs: unknown[]): void;
}

/**
 * A logger for a library's own lines, under `component`. Their messages are free-form strings
 * that may quote payloads, so each one is scrubbed ({@link scrubLibraryLine}) at every level.
 */
export function libraryLogger(logger: Logger, component: string): LibraryLogger {
  const log = logger.child({ component });
  const line = (msgs: unknown[]) =>
    scrubLibraryLine(msgs.map((m) => (m instanceof Error ? `${m.name}: ${m.message}` : String(m))).join(' '));
  return {
    debug: (...msgs) => {
      if (log.isLevelEnabled('debug')) log.debug(line(msgs));
    },
    info: (...msgs) => log.info(line(msgs)),
    warn: (...msgs) => log.warn(line(msgs)),
    error: (...msgs) => log.error(line(msgs)),
  };
}
