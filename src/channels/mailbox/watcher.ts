import { createHash } from 'node:crypto';
import { ImapFlow } from 'imapflow';
import type { SeenKeys } from '../../core/dedupe.js';
import { AppError, toAppError } from '../../core/errors.js';
import type { MailMessage } from '../../core/mailbox/message.js';
import type { MailIntakeService, MailOutcome } from '../../core/mailbox/service.js';
import type { Logger } from '../../logger.js';
import {
  ClientCredentials,
  type ClientCredentialsSettings,
  readServiceAccountFile,
  ServiceAccount,
  type TokenSource,
} from './oauth.js';
import { toMailMessage } from './parse.js';

/**
 * Watches the privacy mailbox over IMAP and hands each new message to the core's
 * {@link MailIntakeService}. Translation only: which messages are new, fetching and parsing them;
 * what becomes of a message is the service's. The folder is opened read-only (EXAMINE), so
 * nothing in the mailbox changes (no \Seen flag set, nothing moved).
 *
 * New mail is noticed at once where the server has IDLE (RFC 2177; ImapFlow idles whenever the
 * connection is quiet), and by a check every MAILBOX_POLL_SECONDS in any case: servers without
 * IDLE, and a connection dropped silently. The last UID read is kept in the shared store, so a
 * restart or another replica starts where the last check ended; each message is also claimed by
 * its Message-ID, so one read twice (a copy, a lost place) is handled once.
 */

/** Largest part of one message read: the text is near the start; big attachments are not needed. */
export const MAX_FETCH_BYTES = 2 * 1_048_576;
/**
 * How far back the very first check reads, when the store has no place in the folder yet: two
 * weeks of requests that may be waiting (a shorter GDPR month still has two weeks to run), not a
 * folder's whole history posted to the channel at once.
 */
export const FIRST_CHECK_DAYS = 14;
/**
 * How long the server may take to answer the NOOP each check begins with on an open connection:
 * past it the connection is taken for dead (a NAT or firewall that forgot it answers nothing and
 * closes nothing) and a new one is opened, rather than the check waiting for the socket's own
 * five-minute timeout with every later check queued behind it.
 */
export const PROBE_TIMEOUT_MS = 30_000;
/** How long the place in the folder is kept: refreshed by every message read. */
const CURSOR_TTL_MS = 400 * 24 * 3_600_000;

export interface MailboxSettings {
  host: string;
  port: number;
  /** TLS from the first byte (IMAPS, port 993); false: STARTTLS when the server offers it. */
  tls: boolean;
  user: string;
  password?: string;
  /** An OAuth2 access token (XOAUTH2): Microsoft 365 and Google Workspace. */
  accessToken?: string;
  /** OAuth2 client credentials: a token is fetched for each connection and renewed as it expires. */
  oauth?: ClientCredentialsSettings;
  /**
   * A Google Workspace service account with domain-wide delegation (its JSON key file, and the
   * scope): a token for `user` is fetched for each connection and renewed as it expires.
   */
  serviceAccount?: { keyFile: string; scope: string };
  folder: string;
  pollSeconds: number;
}

export interface MailboxWatcherOptions {
  settings: MailboxSettings;
  service: MailIntakeService;
  /** Where the place in the folder is kept (the register's store, shared by replicas). */
  seen: SeenKeys;
  logger: Logger;
  now?: () => Date;
  /** {@link PROBE_TIMEOUT_MS} unless given (tests). */
  probeTimeoutMs?: number;
}

interface Cursor {
  uidValidity: string;
  uid: number;
}

/** Why the server could not be used, as a start-up sentence naming the keys to fix (never a value). */
function startupError(error: unknown, settings: MailboxSettings): AppError {
  const e = error as { authenticationFailed?: boolean; code?: string; mailboxMissing?: boolean };
  if (e?.authenticationFailed)
    return new AppError(
      'CONFIG',
      `The mail server refused the login of MAILBOX_USER: check ${settings.oauth ? "MAILBOX_OAUTH_SCOPE and the app's access to the mailbox" : settings.serviceAccount ? "MAILBOX_OAUTH_SCOPE and the service account's domain-wide delegation" : settings.accessToken ? 'MAILBOX_ACCESS_TOKEN (it may have expired)' : 'MAILBOX_PASSWORD'}, and that IMAP is turned on for the mailbox (docs/mailbox.md).`,
      { cause: error },
    );
  if (e?.code === 'NoConnection' || /^E[A-Z]+$/.test(e?.code ?? '') || e?.code === 'CONNECT_TIMEOUT')
    return new AppError(
      'CONFIG',
      `Could not reach the mail server at MAILBOX_HOST:MAILBOX_PORT (${e.code}): check MAILBOX_HOST, MAILBOX_PORT and MAILBOX_TLS (993 with TLS, 143 without).`,
      { cause: error },
    );
  return new AppError(
    'CONFIG',
    `The mail server could not be used (${String(e?.code ?? 'no code')}): check the MAILBOX_ settings.`,
    {
      cause: error,
    },
  );
}

export class MailboxWatcher {
  private client: ImapFlow | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private readonly log: Logger;
  private readonly now: () => Date;
  private readonly cursorKey: string;
  private readonly credentials: TokenSource | undefined;

  constructor(private readonly options: MailboxWatcherOptions) {
    this.log = options.logger.child({ component: 'mailbox' });
    this.now = options.now ?? (() => new Date());
    const { host, user, folder, oauth, serviceAccount } = options.settings;
    this.credentials = oauth
      ? new ClientCredentials(oauth)
      : serviceAccount
        ? new ServiceAccount({
            key: readServiceAccountFile(serviceAccount.keyFile),
            subject: user,
            scope: serviceAccount.scope,
          })
        : undefined;
    // A digest: the key names the mailbox without writing its address into the store's keys.
    this.cursorKey = `mailbox:cursor:${createHash('sha256').update(`${user}@${host}/${folder}`).digest('hex').slice(0, 32)}`;
  }

  /** Connects (a refused login or a missing folder stops start-up), reads what is new, and keeps watching. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.connect();
    await this.check();
    this.timer = setInterval(() => void this.check(), this.options.settings.pollSeconds * 1000);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
    const client = this.client;
    this.client = undefined;
    if (client) await client.logout().catch(() => client.close());
  }

  /** Reads what arrived since the last check; one check at a time, a request meanwhile runs once more after. */
  check(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.sync();
        } while (this.again && !this.stopped);
      } catch (error) {
        // The next check tries again; the log gets the code, never the mail.
        const appError = toAppError(error);
        this.log.error(
          {
            code: appError.code,
            imapCode: (error as { code?: string })?.code ?? null,
            err: appError.cause ?? appError,
          },
          'mailbox check failed',
        );
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  /**
   * Opens the connection and the folder. With tokens fetched by the watcher, a login the server
   * refuses is tried once more with a new token: the cached one may have been revoked, or have
   * expired early.
   */
  private async connect(): Promise<ImapFlow> {
    const { settings } = this.options;
    let client: ImapFlow;
    try {
      client = await this.open(this.credentials ? await this.credentials.token() : settings.accessToken);
    } catch (error) {
      if (!this.credentials || !(error as { authenticationFailed?: boolean })?.authenticationFailed)
        throw this.connectError(error);
      this.credentials.invalidate();
      this.log.warn({ imapCode: 'AUTHENTICATIONFAILED' }, 'mailbox login refused; retrying with a new token');
      try {
        client = await this.open(await this.credentials.token());
      } catch (again) {
        throw this.connectError(again);
      }
    }
    this.client = client;
    return client;
  }

  /** A connection logged in with the token or password, the folder opened read-only; raw errors. */
  private async open(accessToken: string | undefined): Promise<ImapFlow> {
    const { settings } = this.options;
    const client = new ImapFlow({
      host: settings.host,
      port: settings.port,
      secure: settings.tls,
      auth: {
        user: settings.user,
        ...(accessToken ? { accessToken } : { pass: settings.password ?? '' }),
      },
      // ImapFlow's own log would quote the protocol, and so addresses and subjects: off.
      logger: false,
      // IDLE is broken and restarted at the poll interval: some servers drop a long IDLE silently.
      maxIdleTime: settings.pollSeconds * 1000,
      // Without IDLE (RFC 2177), a STATUS now and then notices new mail.
      missingIdleCommand: 'STATUS',
    });
    client.on('error', (error: Error) => {
      const code = (error as { code?: string }).code ?? null;
      this.log.warn({ imapCode: code }, 'mailbox connection error; reconnecting at the next check');
    });
    client.on('close', () => {
      if (this.client === client) this.client = undefined;
    });
    // New mail while idling: read it now rather than at the next poll.
    client.on('exists', () => void this.check());
    try {
      await client.connect();
      await client.mailboxOpen(settings.folder, { readOnly: true });
    } catch (error) {
      client.close();
      throw error;
    }
    return client;
  }

  /** Why the connection could not be opened, as a sentence naming the setting to fix. */
  private connectError(error: unknown): AppError {
    if (error instanceof AppError) return error;
    // RFC 5530's NONEXISTENT, or the server's words where it sends no code (Dovecot 2.3).
    const e = error as { serverResponseCode?: string; responseText?: string };
    if (
      e?.serverResponseCode === 'NONEXISTENT' ||
      /doesn.t exist|not exist|unknown mailbox/i.test(e?.responseText ?? '')
    )
      return new AppError('CONFIG', 'MAILBOX_FOLDER names a folder the mailbox does not have (e.g. INBOX).', {
        cause: error,
      });
    return startupError(error, this.options.settings);
  }

  /** The open connection when the server answers a NOOP in time; else a new one. */
  private async answering(client: ImapFlow): Promise<ImapFlow> {
    let timer: NodeJS.Timeout | undefined;
    const silent = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), this.options.probeTimeoutMs ?? PROBE_TIMEOUT_MS);
    });
    const answered = await Promise.race([
      client.noop().then(
        () => true,
        () => false,
      ),
      silent,
    ]).finally(() => clearTimeout(timer));
    if (answered && client.usable) return client;
    this.log.warn(
      { imapCode: answered ? null : 'NoResponse' },
      'mailbox connection gone silent; reconnecting',
    );
    if (this.client === client) this.client = undefined;
    client.close();
    return this.connect();
  }

  private async sync(): Promise<void> {
    if (this.stopped) return;
    const client = this.client?.usable ? await this.answering(this.client) : await this.connect();
    const lock = await client.getMailboxLock(this.options.settings.folder, { readOnly: true });
    try {
      const box = client.mailbox;
      if (!box) return;
      const uidValidity = String(box.uidValidity);
      // Mail arriving from now on gets a UID of at least this (RFC 3501 2.3.1.1).
      const uidNext = Number(box.uidNext ?? 1);
      const stored = (await this.options.seen.get(this.cursorKey)) as Cursor | undefined;
      const cursor = stored?.uidValidity === uidValidity ? stored : undefined;
      const found = cursor
        ? await client.search({ uid: `${cursor.uid + 1}:*` }, { uid: true })
        : await client.search(
            { since: new Date(this.now().getTime() - FIRST_CHECK_DAYS * 24 * 3_600_000) },
            { uid: true },
          );
      // "n:*" names the last message even when its UID is below n (RFC 3501 6.4.8).
      const uids = (found || []).filter((uid) => !cursor || uid > cursor.uid).sort((a, b) => a - b);
      for (const uid of uids) {
        if (this.stopped) return;
        const outcome = await this.handle(client, uid, uidValidity);
        // Claimed elsewhere and not finished (a replica that stopped mid-way): the place stays
        // before it, so it is read again once its claim runs out. Nothing is lost.
        if (outcome.kind === 'in-progress') return;
        await this.options.seen.put(this.cursorKey, { uidValidity, uid } satisfies Cursor, CURSOR_TTL_MS);
      }
      // A first check (or a new UIDVALIDITY) keeps its place even when it found nothing new, so
      // the next check asks only for mail after it instead of searching two weeks again.
      if (!cursor && !this.stopped) {
        const last = Math.max(uidNext - 1, ...uids, 0);
        await this.options.seen.put(
          this.cursorKey,
          { uidValidity, uid: last } satisfies Cursor,
          CURSOR_TTL_MS,
        );
      }
    } finally {
      lock.release();
    }
  }

  private async handle(client: ImapFlow, uid: number, uidValidity: string): Promise<MailOutcome> {
    const { settings } = this.options;
    const meta = await client.fetchOne(
      String(uid),
      { uid: true, internalDate: true, size: true, envelope: true },
      { uid: true },
    );
    if (!meta) return { kind: 'duplicate' };
    const size = meta.size ?? 0;
    const truncated = size > MAX_FETCH_BYTES;
    const fetched = await client.fetchOne(
      String(uid),
      { source: truncated ? { start: 0, maxLength: MAX_FETCH_BYTES } : true },
      { uid: true },
    );
    const source = (fetched ? fetched.source : undefined) ?? Buffer.alloc(0);
    const internal = meta.internalDate;
    const receivedAt = internal instanceof Date ? internal : internal ? new Date(internal) : this.now();
    const location = {
      account: `${settings.user} on ${settings.host}`,
      folder: settings.folder,
      uidValidity,
      uid,
    };
    let mail: MailMessage;
    try {
      mail = await toMailMessage(source, { location, receivedAt, size, truncated });
    } catch {
      // A message the MIME parser cannot read still gets a draft, from what the server's envelope
      // says; otherwise it would block every message after it.
      const from = meta.envelope?.from?.[0];
      mail = {
        ...(meta.envelope?.messageId ? { messageId: meta.envelope.messageId } : {}),
        location,
        ...(from?.address
          ? { from: { address: from.address, ...(from.name ? { name: from.name } : {}) } }
          : {}),
        ...(meta.envelope?.subject ? { subject: meta.envelope.subject } : {}),
        text: '',
        htmlOnly: false,
        receivedAt,
        size,
        truncated,
        attachments: 0,
        unparsable: true,
        headers: {},
      };
    }
    const outcome = await this.options.service.receive(mail, this.now());
    // Ids, the kind and a fixed reason only: never an address, a subject or a word of the text.
    this.log.info(
      {
        uid,
        outcome: outcome.kind,
        ...('reason' in outcome ? { reason: outcome.reason } : {}),
        ...('draftId' in outcome ? { draftId: outcome.draftId } : {}),
        ...('requestId' in outcome ? { requestId: outcome.requestId } : {}),
      },
      outcome.kind === 'skipped' ? 'mailbox message skipped' : 'mailbox message handled',
    );
    return outcome;
  }
}
