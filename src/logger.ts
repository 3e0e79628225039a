import type { Logger } from 'pino';
import { pino } from 'pino';

export type { Logger };

/**
 * The one logger factory. Logs go to stderr (stdout belongs to command output) as JSON lines.
 * Callers log ids, codes and counts; personal data (names, emails, free text) is redacted by path
 * as a second line of defence.
 */
export function createLogger(level: string = 'info', destination: number = 2): Logger {
  return pino(
    {
      level,
      base: { app: 'privacy-ops' },
      redact: {
        paths: [
          'requester',
          '*.requester',
          'requesterName',
          'requesterEmail',
          '*.requesterName',
          '*.requesterEmail',
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
    pino.destination({ fd: destination, sync: true }),
  );
}
