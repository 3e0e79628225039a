import { simpleParser } from 'mailparser';
import type { MailLocation, MailMessage } from '../../core/mailbox/message.js';

/**
 * An RFC 822 message, as the IMAP server gave it, into the core's {@link MailMessage}: the MIME
 * parser decodes every part (quoted-printable, base64, any charset iconv knows) and turns an
 * HTML-only message into text; this module only picks out what the core reads.
 */

/** The raw value of a header (unfolded), or undefined when the message has none. */
function rawHeader(lines: readonly { key: string; line: string }[], name: string): string | undefined {
  const found = lines.find((l) => l.key === name);
  if (!found) return undefined;
  return found.line
    .slice(found.line.indexOf(':') + 1)
    .replace(/\r?\n[ \t]+/g, ' ')
    .trim();
}

/** The charset a text part declared, for the warning when it could not be decoded. */
function declaredCharset(contentType: string | undefined): string | undefined {
  return /charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '')?.[1];
}

export async function toMailMessage(
  source: Buffer,
  meta: { location: MailLocation; receivedAt: Date; size: number; truncated: boolean },
): Promise<MailMessage> {
  // No attachment content is kept: only how many there were (a 40 MB scan is not read into memory twice).
  const parsed = await simpleParser(source, { skipImageLinks: true, skipTextToHtml: true });
  const lines = parsed.headerLines ?? [];
  const from = parsed.from?.value[0];
  // The parser reads HTML into `text` as well; a message without any text/plain part was HTML only.
  const htmlOnly =
    typeof parsed.html === 'string' && !/^content-type:\s*text\/plain/im.test(source.toString('latin1'));
  const text = parsed.text ?? '';
  const contentType = rawHeader(lines, 'content-type');
  // U+FFFD: the parser met bytes it could not decode in the declared (or assumed) charset.
  const undecoded = text.includes('\uFFFD') ? (declaredCharset(contentType) ?? 'unknown') : undefined;
  const header = (name: string) => rawHeader(lines, name);
  return {
    ...(parsed.messageId ? { messageId: parsed.messageId } : {}),
    location: meta.location,
    ...(from && (from.address || from.name)
      ? {
          from: {
            ...(from.name ? { name: from.name } : {}),
            ...(from.address ? { address: from.address } : {}),
          },
        }
      : {}),
    ...(parsed.subject ? { subject: parsed.subject } : {}),
    text,
    htmlOnly,
    receivedAt: meta.receivedAt,
    size: meta.size,
    truncated: meta.truncated,
    attachments: parsed.attachments.length,
    ...(undecoded ? { undecodedCharset: undecoded } : {}),
    headers: {
      ...(contentType ? { contentType } : {}),
      ...optional('autoSubmitted', header('auto-submitted')),
      ...optional('xAutoreply', header('x-autoreply')),
      ...optional('xAutorespond', header('x-autorespond')),
      ...optional('precedence', header('precedence')),
      ...optional('xSpamFlag', header('x-spam-flag')),
      ...optional('xSpamStatus', header('x-spam-status')),
      ...optional('xFailedRecipients', header('x-failed-recipients')),
    },
  };
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}
