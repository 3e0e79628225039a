import { type ChildProcess, spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';

/**
 * A throwaway Dovecot IMAP server for tests: its own config in a temp directory, listening on a
 * free loopback port, one user in a passwd-file, a Maildir. Mail is delivered the way a mail
 * server's delivery agent or a client does it, by IMAP APPEND of a real RFC 822 message, with the
 * INTERNALDATE (the server's receipt time) given. Dovecot comes from Debian's dovecot-imapd
 * (`.ci/run` installs it); without it, {@link DOVECOT_MISSING} says why tests skip.
 */

const CANDIDATES = ['/usr/sbin/dovecot', '/usr/local/sbin/dovecot'];
export const DOVECOT_BIN = CANDIDATES.find((path) => existsSync(path));
const DOVEADM_CANDIDATES = ['/usr/bin/doveadm', '/usr/local/bin/doveadm', '/usr/sbin/doveadm'];
/** Why the Dovecot tests skip, or undefined when they can run. */
export const DOVECOT_MISSING = DOVECOT_BIN
  ? undefined
  : 'dovecot is not installed (apt-get install -y dovecot-imapd; .ci/run does it): the IMAP tests are skipped';

export const MAILBOX_USER = 'privacy@example.org';
export const MAILBOX_PASSWORD = 'mailbox-test-password';

export interface Dovecot {
  host: string;
  port: number;
  user: string;
  password: string;
  /** APPENDs a raw RFC 822 message (CRLF line ends are made) with the given receipt time. */
  deliver(raw: string | Buffer, receivedAt?: Date, folder?: string): Promise<number>;
  /**
   * Drops a message into the INBOX's Maildir as a delivery agent does, without IMAP: works while
   * the server is halted, and the server sees it when it next looks.
   */
  dropIntoMaildir(raw: string): void;
  /** Makes an empty folder. */
  createFolder(name: string): Promise<void>;
  /** Drops every open connection of the mailbox user from the server's side (`doveadm kick`). */
  kick(): Promise<void>;
  /** Stops the server (its mail is kept): connections drop and new ones are refused until {@link start}. */
  halt(): Promise<void>;
  /** Starts a halted server again, on the same port with the same mail. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(
  port: number,
  child: ChildProcess,
  log: string,
  timeoutMs = 10_000,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) break;
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  const said = existsSync(log) ? readFileSync(log, 'utf8') : '';
  throw new Error(`dovecot did not start on port ${port}:\n${said}`);
}

/** The uid and gid mail is kept as: `nobody` when run as root (Dovecot refuses uid 0), else our own. */
function mailOwner(): { uid: number; gid: number; user: string } {
  const me = userInfo();
  if (me.uid !== 0) return { uid: me.uid, gid: me.gid, user: me.username };
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('nobody:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  return { uid: Number(uid ?? 65534), gid: Number(gid ?? 65534), user: 'nobody' };
}

export interface DovecotOptions {
  /**
   * OAuth2 logins (XOAUTH2, OAUTHBEARER) as well as passwords: Dovecot asks this URL whether a
   * token is valid (RFC 7662 token introspection, `token=<token>` posted; the answer
   * `{"active": true, "username": "<user>"}`).
   */
  introspectionUrl?: string;
  /**
   * false: the server does not offer IDLE (RFC 2177), as some servers and proxies do not: its
   * capability list after login is Dovecot's own without IDLE, so a client must poll.
   */
  idle?: boolean;
}

/** Dovecot 2.3's capabilities after login (imap_capability's default), IDLE taken out. */
const CAPABILITIES_WITHOUT_IDLE =
  'IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE SORT SORT=DISPLAY THREAD=REFERENCES THREAD=REFS THREAD=ORDEREDSUBJECT MULTIAPPEND URL-PARTIAL CATENATE UNSELECT CHILDREN NAMESPACE UIDPLUS LIST-EXTENDED I18NLEVEL=1 CONDSTORE QRESYNC ESEARCH ESORT SEARCHRES WITHIN CONTEXT=SEARCH LIST-STATUS BINARY MOVE SNIPPET=FUZZY PREVIEW=FUZZY PREVIEW STATUS=SIZE SAVEDATE LITERAL+';

/** The name of a group id (Dovecot's settings take names), else the id itself. */
function groupName(gid: number): string {
  const line = readFileSync('/etc/group', 'utf8')
    .split('\n')
    .find((l) => l.split(':')[2] === String(gid));
  return line?.split(':')[0] ?? String(gid);
}

export async function startDovecot(options: DovecotOptions = {}): Promise<Dovecot> {
  if (!DOVECOT_BIN) throw new Error(DOVECOT_MISSING);
  const dir = mkdtempSync(join(tmpdir(), 'privacy-ops-dovecot-'));
  // Dovecot's processes run as the mail user and must reach the Maildir below this directory.
  chmodSync(dir, 0o755);
  const owner = mailOwner();
  const root = userInfo().uid === 0;
  const mail = join(dir, 'mail');
  mkdirSync(mail);
  if (root) chownSync(mail, owner.uid, owner.gid);
  const port = await freePort();
  const log = join(dir, 'dovecot.log');
  writeFileSync(join(dir, 'passwd'), `${MAILBOX_USER}:{PLAIN}${MAILBOX_PASSWORD}::::::\n`);
  if (options.introspectionUrl)
    writeFileSync(
      join(dir, 'oauth2.conf'),
      [
        'introspection_mode = post',
        `introspection_url = ${options.introspectionUrl}`,
        'force_introspection = yes',
        'username_attribute = username',
        'active_attribute = active',
        'active_value = true',
        '',
      ].join('\n'),
    );
  const conf = join(dir, 'dovecot.conf');
  writeFileSync(
    conf,
    [
      'protocols = imap',
      'listen = 127.0.0.1',
      `base_dir = ${join(dir, 'run')}`,
      `state_dir = ${join(dir, 'state')}`,
      `instance_name = privacy-ops-test-${port}`,
      `log_path = ${log}`,
      'ssl = no',
      // Plain-text login over loopback without TLS: a test server only.
      'disable_plaintext_auth = no',
      `auth_mechanisms = plain login${options.introspectionUrl ? ' xoauth2 oauthbearer' : ''}`,
      `mail_location = maildir:${mail}/%n`,
      'first_valid_uid = 1',
      ...(options.idle === false ? [`imap_capability = ${CAPABILITIES_WITHOUT_IDLE}`] : []),
      // Run without root (a developer's machine): every service as this user.
      ...(root
        ? []
        : [
            `default_login_user = ${owner.user}`,
            `default_internal_user = ${owner.user}`,
            `default_internal_group = ${groupName(owner.gid)}`,
          ]),
      ...(options.introspectionUrl
        ? [
            'passdb {',
            '  driver = oauth2',
            '  mechanisms = xoauth2 oauthbearer',
            `  args = ${join(dir, 'oauth2.conf')}`,
            '}',
          ]
        : []),
      'passdb {',
      '  driver = passwd-file',
      ...(options.introspectionUrl ? ['  mechanisms = plain login'] : []),
      `  args = scheme=PLAIN username_format=%u ${join(dir, 'passwd')}`,
      '}',
      'userdb {',
      '  driver = static',
      `  args = uid=${owner.uid} gid=${owner.gid} home=${mail}/%n`,
      '}',
      'service imap-login {',
      '  chroot =',
      '  inet_listener imap {',
      '    address = 127.0.0.1',
      `    port = ${port}`,
      '  }',
      '  inet_listener imaps {',
      '    port = 0',
      '  }',
      '}',
      'service anvil {',
      '  chroot =',
      '}',
      '',
    ].join('\n'),
  );
  const bin = DOVECOT_BIN;
  const launch = async (): Promise<ChildProcess> => {
    // Its own process group, so that halting ends the processes serving connections too.
    const started = spawn(bin, ['-F', '-c', conf], { stdio: 'ignore', detached: true });
    try {
      await waitForPort(port, started, log);
    } catch (error) {
      started.kill('SIGKILL');
      throw error;
    }
    return started;
  };
  const halt = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
    // Dovecot lets a logged-in session's process finish for a while after its master stops; a
    // server that went down has dropped every connection, so the rest of its group goes too.
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // none left
    }
  };
  let child: ChildProcess;
  try {
    child = await launch();
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const client = () =>
    new ImapFlow({
      host: '127.0.0.1',
      port,
      secure: false,
      auth: { user: MAILBOX_USER, pass: MAILBOX_PASSWORD },
      logger: false,
    });
  let dropped = 0;
  return {
    host: '127.0.0.1',
    port,
    user: MAILBOX_USER,
    password: MAILBOX_PASSWORD,
    async deliver(raw, receivedAt = new Date(), folder = 'INBOX') {
      const imap = client();
      await imap.connect();
      try {
        // A folder other than INBOX is made on first delivery, as a mail rule would file into it.
        if (folder !== 'INBOX') await imap.mailboxCreate(folder).catch(() => undefined);
        const content = typeof raw === 'string' ? Buffer.from(raw.replace(/\r?\n/g, '\r\n'), 'utf8') : raw;
        const appended = await imap.append(folder, content, [], receivedAt);
        if (!appended) throw new Error('APPEND failed');
        return appended.uid ?? 0;
      } finally {
        await imap.logout().catch(() => imap.close());
      }
    },
    dropIntoMaildir(raw) {
      const inbox = join(mail, MAILBOX_USER.split('@')[0] ?? MAILBOX_USER);
      for (const sub of ['', 'tmp', 'new', 'cur']) {
        const path = join(inbox, sub);
        if (existsSync(path)) continue;
        mkdirSync(path, { mode: 0o700 });
        if (root) chownSync(path, owner.uid, owner.gid);
      }
      // Written in tmp/, then moved into new/ in one step, so the server never reads half of it.
      const name = `${Date.now()}.M${++dropped}P${process.pid}.test`;
      const temp = join(inbox, 'tmp', name);
      writeFileSync(temp, raw.replace(/\r?\n/g, '\r\n'), { mode: 0o600 });
      if (root) chownSync(temp, owner.uid, owner.gid);
      renameSync(temp, join(inbox, 'new', name));
    },
    async createFolder(name) {
      const imap = client();
      await imap.connect();
      try {
        await imap.mailboxCreate(name);
      } finally {
        await imap.logout().catch(() => imap.close());
      }
    },
    async kick() {
      const doveadm = DOVEADM_CANDIDATES.find((path) => existsSync(path));
      if (!doveadm) throw new Error('doveadm is not installed (it comes with dovecot-core)');
      await new Promise<void>((resolve, reject) => {
        const run = spawn(doveadm, ['-c', conf, 'kick', MAILBOX_USER], { stdio: 'ignore' });
        run.once('error', reject);
        run.once('exit', (code) =>
          code === 0 ? resolve() : reject(new Error(`doveadm kick exited ${code}`)),
        );
      });
    },
    halt,
    async start() {
      if (child.exitCode === null && child.signalCode === null) return;
      child = await launch();
    },
    async stop() {
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
