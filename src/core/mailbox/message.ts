import { createHash } from 'node:crypto';
import { emailCase } from '../conversation/contacts.js';
import { missingOf } from '../conversation/draft.js';
import { type DraftFields, readFields } from '../conversation/fields.js';
import { todayIn } from '../requests/input.js';

/**
 * One message of the privacy mailbox as the core sees it (the IMAP channel translates what the
 * server and the MIME parser give into this), and how it is read: a draft of a rights request
 * with what it seems to ask, or a skip with a reason. Pure: no clock, no I/O.
 */

/** Longest text read for the type, law and place: the subject and the first lines say what is asked. */
export const MAX_READ_CHARS = 4_000;
/** Longest excerpt of the message kept in the request's note (the register's note holds 2,000). */
export const MAX_NOTE_CHARS = 2_000;

export interface MailAddress {
  name?: string;
  address?: string;
}

/** Where a message is in the mailbox: the link back to it, and its key when it has no Message-ID. */
export interface MailLocation {
  /** The account and server ("privacy@example.org on imap.example.org"), shown on the draft. */
  account: string;
  folder: string;
  /** IMAP UIDVALIDITY and UID (RFC 3501 2.3.1.1): together they name one message for good. */
  uidValidity: string;
  uid: number;
}

export interface MailMessage {
  /** The Message-ID header, angle brackets included; absent on some broken or hand-made mail. */
  messageId?: string;
  location: MailLocation;
  from?: MailAddress;
  subject?: string;
  /** The plain text (converted from HTML when the message has only HTML). */
  text: string;
  /** True when the message had no plain-text part and its HTML was read as text. */
  htmlOnly: boolean;
  /** IMAP INTERNALDATE: when the mail server received it, which starts the legal clock. */
  receivedAt: Date;
  /** RFC822.SIZE, in bytes. */
  size: number;
  /** True when the message was larger than the reading limit and only its first part was read. */
  truncated: boolean;
  /** How many attachments were read (fewer than sent when truncated). */
  attachments: number;
  /** True when the MIME parser could not read the message: only the server's envelope is known. */
  unparsable?: boolean;
  /** A charset the parser could not decode (the text was read as best it could). */
  undecodedCharset?: string;
  /** The headers that tell a machine's message from a person's, lower-case names, raw values. */
  headers: {
    contentType?: string;
    autoSubmitted?: string;
    xAutoreply?: string;
    xAutorespond?: string;
    precedence?: string;
    xSpamFlag?: string;
    xSpamStatus?: string;
    xFailedRecipients?: string;
  };
}

/** Why a message is not drafted: each a fixed word, safe to log (never anything from the message). */
export type SkipReason = 'bounce' | 'auto-reply';

/** What a message seems to be: a draft for a person (with warnings), or a skip. */
export type MailReading =
  | {
      kind: 'draft';
      fields: DraftFields;
      /** What a person should know before logging it; none means a clear case. */
      warnings: string[];
      /** The request's note: the message reference and the start of what was written. */
      note: string;
    }
  | { kind: 'skip'; reason: SkipReason };

/**
 * The key a message is claimed by, on every replica and across restarts: a digest of its
 * Message-ID (the same message copied to two folders, or fetched again, is one message), or of
 * its place in the mailbox when it has none. A digest, so the store's key holds no address.
 */
export function mailKey(mail: Pick<MailMessage, 'messageId' | 'location'>): string {
  const id = mail.messageId?.trim();
  const basis = id
    ? `mid:${id.toLowerCase()}`
    : `uid:${mail.location.account}/${mail.location.folder}/${mail.location.uidValidity}/${mail.location.uid}`;
  return `mail:${createHash('sha256').update(basis).digest('hex').slice(0, 40)}`;
}

const yes = (v: string | undefined) => /^\s*yes\b/i.test(v ?? '');

/**
 * A delivery status notification (RFC 3464: multipart/report; report-type=delivery-status) or a
 * bounce in the older forms (from MAILER-DAEMON, an X-Failed-Recipients header).
 */
function isBounce(mail: MailMessage): boolean {
  const type = mail.headers.contentType ?? '';
  if (/multipart\/report/i.test(type) && /report-type\s*=\s*"?delivery-status/i.test(type)) return true;
  if (mail.headers.xFailedRecipients) return true;
  return /^(mailer-daemon|postmaster)@/i.test(mail.from?.address ?? '');
}

/**
 * An automatic reply (RFC 3834 "auto-replied": out-of-office, vacation) or the non-standard
 * X-Autoreply / X-Autorespond / Precedence: auto_reply its older senders use. "auto-generated"
 * (RFC 3834 3.1.7) is not skipped: web forms send requests that way, so it gets a draft.
 */
function isAutoReply(mail: MailMessage): boolean {
  const { autoSubmitted, xAutoreply, xAutorespond, precedence } = mail.headers;
  if (autoSubmitted && /^\s*auto-replied/i.test(autoSubmitted)) return true;
  if (xAutoreply !== undefined || xAutorespond !== undefined) return true;
  return /^\s*auto_reply\b/i.test(precedence ?? '');
}

/** Marked as spam by the mail server's filter (SpamAssassin's and rspamd's headers). */
function looksLikeSpam(mail: MailMessage): boolean {
  return yes(mail.headers.xSpamFlag) || yes(mail.headers.xSpamStatus);
}

function megabytes(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(1)} MB`;
}

/** The reference of a message: its Message-ID, else its place in the mailbox. */
export function mailReference(mail: Pick<MailMessage, 'messageId' | 'location'>): string {
  const { location } = mail;
  const where = `${location.folder}, UID ${location.uid} (UIDVALIDITY ${location.uidValidity}), ${location.account}`;
  return mail.messageId ? `Message-ID ${mail.messageId.trim()} in ${where}` : `no Message-ID; ${where}`;
}

/**
 * Reads a message: who wrote (From), the day the server received it in `timeZone` (the legal
 * clock's start; never a date the text names), and what it seems to ask (type, law and place
 * read from the subject and text with the one-line chat intake's parser). Bounces and automatic
 * replies are skipped; everything else becomes a draft, with a warning for what a person should
 * check (no sender, spam, too large, sent by a machine).
 */
export function readMail(mail: MailMessage, timeZone: string): MailReading {
  if (isBounce(mail)) return { kind: 'skip', reason: 'bounce' };
  if (isAutoReply(mail)) return { kind: 'skip', reason: 'auto-reply' };
  const warnings: string[] = [];
  const subject = mail.subject?.trim() ?? '';
  const body = mail.text.replace(/\r\n?/g, '\n').trim();
  const said = `${subject}\n${body}`.slice(0, MAX_READ_CHARS);
  let read: DraftFields = {};
  try {
    // The chat's reader: the type ("delete my data"), the law ("under the CCPA"), the place ("I live in Spain").
    read = readFields(said, mail.receivedAt, timeZone);
  } catch {
    warnings.push('The text could not be read for the type, law or place: fill them in with Edit.');
  }
  const from = mail.from?.address?.trim();
  const email = from ? emailCase(from) : read.email;
  const fields: DraftFields = {
    ...(read.type ? { type: read.type } : {}),
    ...(read.typeNote ? { typeNote: read.typeNote } : {}),
    ...(read.regime ? { regime: read.regime } : {}),
    ...(read.country ? { country: read.country } : {}),
    ...(read.region ? { region: read.region } : {}),
    ...(read.placeQuestion ? { placeQuestion: read.placeQuestion } : {}),
    // The day the server received it starts the clock, in the team's time zone.
    received: todayIn(mail.receivedAt, timeZone),
    ...(mail.from?.name?.trim() ? { name: mail.from.name.trim() } : {}),
    ...(email ? { email } : {}),
    channel: 'email',
  };
  if (!fields.regime && !fields.country && email) {
    // The address's ending suggests a place (".pl"), shown as a question and never applied silently.
    const hint = readFields(`from ${email}`, mail.receivedAt, timeZone).placeHint;
    if (hint) fields.placeHint = hint;
  }
  if (!from)
    warnings.push(
      email
        ? 'No sender address (From): the address is the first one in the text; check it.'
        : 'No sender address (From): find how to reach the requester in the message.',
    );
  if (looksLikeSpam(mail)) warnings.push('The mail server marked this message as spam.');
  if (mail.headers.autoSubmitted && !/^\s*no\b/i.test(mail.headers.autoSubmitted))
    warnings.push('Sent by a machine (Auto-Submitted), such as a web form or a notification.');
  if (mail.truncated)
    warnings.push(
      `The message is ${megabytes(mail.size)}: only its start was read; open it in the mailbox for the rest and any attachments.`,
    );
  if (mail.unparsable)
    warnings.push('The message could not be read (broken MIME): open it in the mailbox to see what it asks.');
  if (mail.undecodedCharset)
    warnings.push(
      `Written in a character set that could not be decoded (${mail.undecodedCharset.slice(0, 40)}).`,
    );
  const excerpt = body.length > 0 ? body : '(no text)';
  const head = `By email: ${mailReference(mail)}${subject ? `\nSubject: ${subject}` : ''}\n`;
  const note = `${head}${excerpt}`.slice(0, MAX_NOTE_CHARS);
  return { kind: 'draft', fields, warnings, note };
}

/** A clear case, which auto-logging may log without a person: complete, and nothing to check. */
export function isClearCase(reading: Extract<MailReading, { kind: 'draft' }>): boolean {
  const { fields } = reading;
  return (
    reading.warnings.length === 0 &&
    missingOf(fields).length === 0 &&
    !fields.placeHint &&
    !fields.placeQuestion
  );
}
