import * as chrono from 'chrono-node';
import { AppError, newReference, toAppError } from '../errors.js';
import type { Answer, PolicyAnswerer } from '../policy/answer.js';
import {
  computeDeadlines,
  daysLeft,
  homeJurisdiction,
  parseRegime,
  parseRequestType,
  REGIME_LABELS,
  REGIMES,
  REQUEST_TYPES,
  type Regime,
} from '../requests/deadlines.js';
import { todayIn } from '../requests/input.js';
import type { RequestState } from '../requests/model.js';
import type { NewRequest, Register, StatusFilter } from '../requests/register.js';
import {
  type ActionButton,
  type Actor,
  type Audience,
  type Block,
  maySeeRequesterData,
  type Reply,
  type RequestView,
  requesterText,
  sourcesOf,
  type Turn,
} from './reply.js';

/**
 * The one place where a message becomes a reply. Channels hand it a {@link Turn} (text, who, where
 * the reply will be read, when) and render the {@link Reply}; buttons come back through
 * {@link ConversationEngine.act}. It decides what may be shown to whom: anyone may ask and log a
 * request; only the privacy team may list, view or change them; requester personal data is only
 * ever put in replies whose audience is private or the privacy channel.
 */
export interface EngineOptions {
  answerer: PolicyAnswerer;
  /**
   * Answers policy questions with LLM assistance when one is configured (core/llm); it gets only the
   * question, never register data. Absent: `answerer` answers offline.
   */
  assistant?: { askAssisted(question: string): Promise<Answer> };
  /** Absent when the deployment runs without a register (questions only). */
  register?: Register;
  /** Snoozes a request's reminders until the returned instant (the reminders' Snooze button). */
  snoozeReminders?: (requestId: string, now: Date) => Promise<Date>;
  defaultCountry: string;
  defaultTimeZone: string;
  /** Records errors with a reference; never personal data. */
  onError?: (error: AppError, reference: string) => void;
}

const ID_RE = /\bDSR-\d{4}-\d{4,}\b/i;
/** Words people use for the register's outcomes ("close DSR-... fulfilled"). */
const OUTCOME_WORDS: Record<string, string> = {
  fulfilled: 'completed',
  fulfill: 'completed',
  done: 'completed',
  complete: 'completed',
  denied: 'rejected',
  refused: 'rejected',
  declined: 'rejected',
  withdrew: 'withdrawn',
  cancelled: 'withdrawn',
  canceled: 'withdrawn',
};
const EMAIL_RE = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/;

/** The commands and what they do, for `help`. Examples are what people type after the command word. */
export const COMMANDS: { usage: string; what: string; team?: boolean }[] = [
  {
    usage: '<question>',
    what: 'answer from the privacy policy, with quotes (e.g. "how long do we keep technical logs?")',
  },
  { usage: 'request', what: 'log a rights request (a form in Slack and Teams)' },
  {
    usage: 'log <type> request from <email> received <date> under <law>',
    what: 'log a request in one line; you confirm before it is written',
  },
  {
    usage: 'deadline <law> <YYYY-MM-DD> [country]',
    what: 'the legal response deadline, with the rule (e.g. "deadline gdpr 2026-01-31 DE")',
  },
  { usage: 'requests [mine|open|overdue|due soon|all]', what: 'list requests', team: true },
  { usage: 'show DSR-2026-0001', what: 'a request with its audit trail', team: true },
  { usage: 'assign DSR-... @person', what: 'set the owner', team: true },
  { usage: 'extend DSR-... [reason]', what: 'extend where the law allows', team: true },
  {
    usage: 'pause DSR-... [reason] / resume DSR-...',
    what: 'stop and restart the clock where the law allows',
    team: true,
  },
  { usage: 'close DSR-... completed|rejected|withdrawn [note]', what: 'close with an outcome', team: true },
  { usage: 'reopen DSR-...', what: 'reopen a closed request', team: true },
  { usage: 'help', what: 'this list' },
];

function text(t: string): Block {
  return { kind: 'text', text: t };
}

function errorReply(message: string, reference?: string): Reply {
  return {
    blocks: [{ kind: 'error', text: message, ...(reference ? { reference } : {}) }],
    text: reference ? `${message} (reference ${reference})` : message,
    personal: false,
  };
}

/** Plain text of a reply's blocks, for the console and for notification fallbacks. */
export function plainText(blocks: Block[]): string {
  const out: string[] = [];
  for (const b of blocks) {
    switch (b.kind) {
      case 'text':
      case 'error':
        out.push(b.kind === 'error' && b.reference ? `${b.text} (reference ${b.reference})` : b.text);
        break;
      case 'answer':
        out.push(b.answer);
        for (const c of sourcesOf(b.answer, b.citations))
          out.push(`  source: ${c.policy}, ${c.section}${c.quote === null ? '' : `: “${c.quote}”`}`);
        break;
      case 'request':
        out.push(requestLine(b.request));
        if (b.request.requester) out.push(`  requester: ${requesterText(b.request.requester)}`);
        else if (b.request.requester === null) out.push('  requester: (personal data purged)');
        for (const d of b.request.deadlines)
          out.push(`  ${d.kind}: ${d.due}${d.binding ? '' : ' (internal target)'} — ${d.rule} [${d.source}]`);
        for (const e of b.trail ?? [])
          out.push(`  ${e.at} ${e.actor}: ${e.action}${e.text ? ` — ${e.text}` : ''}`);
        break;
      case 'request-list':
        out.push(`${b.title}:`);
        if (b.requests.length === 0) out.push(`  ${b.empty}`);
        for (const r of b.requests) out.push(`  ${requestLine(r)}`);
        break;
      case 'deadline':
        out.push(`${b.regimeLabel}, received ${b.received}: due ${b.due} — ${b.rule} [${b.source}]`);
        for (const d of b.deadlines.filter((d) => d.kind !== 'response'))
          out.push(`  ${d.kind}: ${d.due} — ${d.rule}`);
        break;
      case 'actions':
        break;
    }
  }
  return out.join('\n');
}

function requestLine(r: RequestView): string {
  if (r.outcome)
    return `${r.id} ${r.type} (${r.regimeLabel}) closed: ${r.outcome}, was due ${r.due}, owner ${r.owner ?? 'unassigned'}`;
  const when =
    r.daysLeft < 0
      ? `${-r.daysLeft} days overdue`
      : r.daysLeft === 0
        ? 'due today'
        : `${r.daysLeft} days left`;
  return `${r.id} ${r.type} (${r.regimeLabel}) ${r.status}${r.outcome ? `: ${r.outcome}` : ''}, due ${r.due} (${when}), owner ${r.owner ?? 'unassigned'}`;
}

function stripStop(sentence: string): string {
  return sentence.replace(/\.\s*$/, '');
}

function reply(blocks: Block[], extra: Partial<Reply> = {}): Reply {
  const personal = blocks.some(
    (b) => b.kind === 'request' && (Boolean(b.request.requester) || Boolean(b.trail?.some((e) => e.text))),
  );
  return { blocks, text: plainText(blocks), personal, ...extra };
}

/** What a one-line intake message says, before the person confirms it. */
export interface ParsedIntake {
  request: Partial<NewRequest>;
  missing: string[];
}

/**
 * Reads "log erasure request from Jane Doe <jane@example.com> received yesterday under GDPR in FR".
 * Dates are read with chrono-node relative to `now` in the reader's time zone; a date without a
 * year that would lie in the future is taken as last year's.
 */
export function parseIntake(message: string, now: Date, timeZone: string): ParsedIntake {
  const request: Partial<NewRequest> = {};
  const missing: string[] = [];
  const lower = message.toLowerCase();
  const words = lower.split(/[^a-z0-9-]+/).filter(Boolean);
  for (let i = 0; i < words.length && !request.type; i++) {
    for (const candidate of [
      `${words[i]}-${words[i + 1]}-${words[i + 2]}`,
      `${words[i]}-${words[i + 1]}`,
      words[i]!,
    ]) {
      try {
        request.type = parseRequestType(candidate);
        break;
      } catch {
        // not a request type; keep looking
      }
    }
  }
  const law =
    /\b(?:under|per|via|regime|law)\s+(?:the\s+)?([a-z][a-z -]{1,20}?)(?=\s+(?:in|from|received|on|for)\b|[.,;]|$)/i.exec(
      message,
    );
  const lawCandidates = [law?.[1], ...words].filter((w): w is string => Boolean(w));
  for (const candidate of lawCandidates) {
    try {
      request.regime = parseRegime(candidate);
      break;
    } catch {
      // not a regime
    }
  }
  const email = EMAIL_RE.exec(message);
  if (email) {
    request.requesterEmail = email[0];
    // A name is what stands between "from" and the address, apart from it ("Tom Baker tom@…",
    // "Tom Baker <tom@…>"). None written, none recorded: a name is never made up from the address.
    const named = /\bfrom\s+([\p{L}][\p{L}'’. -]{0,60}?)(?:\s*[<(]\s*|\s+)[\w.+-]+@/u.exec(message);
    const name = named?.[1]?.trim();
    if (name) request.requesterName = name;
  }
  const country = /\b(?:in|country)\s+([A-Z]{2})\b/.exec(message);
  if (country) request.country = country[1]!;
  const today = todayIn(now, timeZone);
  const dates = chrono.parse(message, { instant: now, timezone: offsetMinutes(now, timeZone) });
  const date = dates.find((d) =>
    /received|on|yesterday|today|ago|last|\d/.test(
      message.slice(Math.max(0, d.index - 12), d.index + d.text.length).toLowerCase(),
    ),
  );
  if (date) {
    let d = date.start.date();
    let iso = todayIn(d, timeZone);
    if (iso > today && !date.start.isCertain('year')) {
      d = new Date(d.getTime());
      d.setFullYear(d.getFullYear() - 1);
      iso = todayIn(d, timeZone);
    }
    request.received = iso;
  } else {
    request.received = today;
  }
  if (!request.type) missing.push(`the request type (${REQUEST_TYPES.join(', ')})`);
  if (!request.regime) missing.push(`the law (${REGIMES.join(', ')})`);
  if (!request.requesterEmail) missing.push("the requester's email address");
  return { request, missing };
}

function offsetMinutes(now: Date, timeZone: string): number {
  const local = new Date(now.toLocaleString('en-US', { timeZone }));
  const utc = new Date(now.toLocaleString('en-US', { timeZone: 'UTC' }));
  return Math.round((local.getTime() - utc.getTime()) / 60_000);
}

/**
 * Buttons whose press writes something (the register, or a reminder snooze). A channel must not
 * acknowledge such a press before {@link ConversationEngine.act} has returned: the change is then
 * stored, or the reply says what failed (issue 11: nothing acknowledged is lost).
 */
export const WRITING_ACTIONS: ReadonlySet<string> = new Set([
  'intake.confirm',
  'request.start',
  'request.extend',
  'request.close',
  'request.resume',
  'request.assign-me',
  'request.snooze',
]);

export class ConversationEngine {
  /** One-line intakes waiting for "yes", per actor, with the time they were made. */
  private readonly pending = new Map<string, { request: NewRequest; at: number }>();

  constructor(private readonly options: EngineOptions) {}

  /** Handles one message; never throws: failures become a short reply with a reference. */
  async handle(turn: Turn): Promise<Reply> {
    try {
      return await this.route(turn);
    } catch (error) {
      return this.failure(error);
    }
  }

  /** Handles a button press (the action id and value the channel got back from the platform). */
  async act(action: string, value: string, turn: Omit<Turn, 'text'>): Promise<Reply> {
    try {
      switch (action) {
        case 'intake.confirm':
          return await this.confirmIntake({ ...turn, text: 'yes' });
        case 'intake.cancel':
          this.pending.delete(turn.actor.id);
          return reply([text('Cancelled; nothing was logged.')]);
        case 'request.show':
          return await this.route({ ...turn, text: `show ${value}` });
        case 'request.start':
        case 'request.extend':
        case 'request.close':
        case 'request.resume':
          return await this.route({
            ...turn,
            text: `${action.split('.')[1]} ${value}${action === 'request.close' ? ' completed' : ''}`,
          });
        case 'request.assign-me':
          return await this.route({ ...turn, text: `assign ${value} ${turn.actor.name}` });
        case 'request.snooze':
          return await this.snooze(value, turn);
        default:
          return errorReply(
            `That button is not one I know ("${action.slice(0, 40)}"). Type "help" to see what I can do.`,
          );
      }
    } catch (error) {
      return this.failure(error);
    }
  }

  private failure(error: unknown): Reply {
    const appError = toAppError(error);
    if (appError.code === 'INTERNAL' || appError.code === 'STORE' || appError.code === 'UPSTREAM') {
      const reference = newReference();
      this.options.onError?.(appError, reference);
      return errorReply(
        `${appError.message} Try again in a moment; if it keeps happening, tell your admin.`,
        reference,
      );
    }
    return errorReply(appError.message);
  }

  private async route(turn: Turn): Promise<Reply> {
    const message = turn.text.trim();
    const lower = message.toLowerCase();
    const [head = '', ...rest] = lower.split(/\s+/);

    if (!message) return reply([text('Ask me a question about the privacy policy, or type "help".')]);
    if (/^(y|yes|ok|confirm|log it)$/i.test(message)) return this.confirmIntake(turn);
    if (/^(n|no|cancel)$/i.test(message)) {
      this.pending.delete(turn.actor.id);
      return reply([text('Cancelled; nothing was logged.')]);
    }
    if (/^(help|\?|commands)$/.test(lower)) return this.help(turn.actor);
    if (head === 'deadline') return this.deadline(rest.join(' '), turn);
    if (head === 'log' || (head === 'request' && rest.length > 0 && EMAIL_RE.test(message)))
      return this.intake(message, turn);
    if (head === 'request' && rest.length === 0) {
      return reply([
        text(
          'To log a rights request, type for example: log erasure request from jane@example.com received yesterday under GDPR in FR',
        ),
      ]);
    }
    if (head === 'requests' || head === 'list') return this.list(rest.join(' '), turn);
    const id = ID_RE.exec(message)?.[0].toUpperCase();
    if (
      id &&
      ['show', 'assign', 'extend', 'pause', 'resume', 'close', 'reopen', 'start', 'verify'].includes(head)
    ) {
      return this.change(head, id, message.slice(message.toUpperCase().indexOf(id) + id.length).trim(), turn);
    }
    if (['show', 'assign', 'extend', 'pause', 'resume', 'close', 'reopen'].includes(head) && !id) {
      return errorReply(
        `Which request? Give its id, e.g. "${head} DSR-2026-0001${head === 'close' ? ' completed' : ''}".`,
      );
    }
    return this.ask(message, turn);
  }

  private help(actor: Actor): Reply {
    const lines = COMMANDS.filter((c) => !c.team || actor.isPrivacyTeam).map(
      (c) => `• ${c.usage} — ${c.what}`,
    );
    if (!actor.isPrivacyTeam) lines.push('Listing, viewing and changing requests is for the privacy team.');
    return reply([text(`Here is what I can do:\n${lines.join('\n')}`)]);
  }

  private async ask(question: string, turn: Turn): Promise<Reply> {
    const answer = this.options.assistant
      ? await this.options.assistant.askAssisted(question)
      : this.options.answerer.ask(question);
    const questionId = `${turn.now.getTime().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    return reply([
      { kind: 'answer', answer: answer.answer, found: answer.found, citations: answer.citations, questionId },
    ]);
  }

  private deadline(argText: string, turn: Turn): Reply {
    const parts = argText.split(/\s+/).filter(Boolean);
    if (parts.length < 2) {
      return errorReply('Say which law and the received date, e.g. "deadline gdpr 2026-01-31 DE".');
    }
    const regime = parseRegime(parts[0]!);
    const received = parts[1]!;
    const today = todayIn(turn.now, turn.actor.timeZone ?? this.options.defaultTimeZone);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(received))
      throw new AppError('INVALID_INPUT', `"${received.slice(0, 20)}" is not a date; use YYYY-MM-DD.`);
    if (received > today)
      throw new AppError('INVALID_INPUT', `${received} is in the future; give the day the request arrived.`);
    const [country, region] = (parts[2] ?? '').toUpperCase().split('-');
    const home = homeJurisdiction(regime, this.options.defaultCountry);
    const set = computeDeadlines({
      regime,
      received,
      country: country || home.country,
      region: region || (country ? undefined : home.region),
      extended: parts.slice(2).some((p) => /^extended$/i.test(p)),
    });
    return reply([
      {
        kind: 'deadline',
        regimeLabel: REGIME_LABELS[regime],
        received,
        due: set.due,
        rule: set.rule,
        source: set.source,
        deadlines: set.deadlines,
      },
    ]);
  }

  private requireRegister(): Register {
    if (!this.options.register) throw new AppError('CONFIG', 'The request register is not configured here.');
    return this.options.register;
  }

  /** The Snooze button on a reminder: quiets the request's reminders before its due day. */
  private async snooze(id: string, turn: Omit<Turn, 'text'>): Promise<Reply> {
    this.requireTeam(turn.actor);
    const request = await this.requireRegister().get(id);
    if (!this.options.snoozeReminders)
      return errorReply('Reminders are not running here, so there is nothing to snooze.');
    const until = await this.options.snoozeReminders(request.id, turn.now);
    const timeZone = turn.actor.timeZone ?? this.options.defaultTimeZone;
    const when = until.toLocaleString('en-GB', { timeZone, dateStyle: 'medium', timeStyle: 'short' });
    return reply([
      text(
        `${request.id}: reminders snoozed until ${when} (${timeZone}). Due-day and overdue notices still go out.`,
      ),
    ]);
  }

  private requireTeam(actor: Actor): void {
    if (!actor.isPrivacyTeam) {
      throw new AppError(
        'FORBIDDEN',
        'Sorry, only the privacy team can view or change requests. You can still log one: type "request".',
      );
    }
  }

  private intake(message: string, turn: Turn): Reply {
    this.requireRegister();
    const tz = turn.actor.timeZone ?? this.options.defaultTimeZone;
    const { request, missing } = parseIntake(message, turn.now, tz);
    if (missing.length > 0) {
      return errorReply(
        `I could not tell ${missing.join(', ')}. Say it like: log erasure request from Jane Doe <jane@example.com> received yesterday under GDPR in FR`,
      );
    }
    const full: NewRequest = {
      type: request.type!,
      regime: request.regime!,
      received: request.received!,
      ...(request.requesterName ? { requesterName: request.requesterName } : {}),
      requesterEmail: request.requesterEmail!,
      channel: 'chat',
      ...(request.country ? { country: request.country } : {}),
    };
    this.pending.set(turn.actor.id, { request: full, at: turn.now.getTime() });
    const set = computeDeadlines({
      regime: full.regime as Regime,
      received: full.received,
      ...homeJurisdiction(full.regime as Regime, this.options.defaultCountry),
      ...(full.country ? { country: full.country } : {}),
    });
    // The confirmation names the requester only where the audience may see it.
    const who = !maySeeRequesterData(turn.audience)
      ? 'the requester'
      : requesterText({ name: full.requesterName ?? '', email: full.requesterEmail });
    // Without a name the request is logged with none; the person can give one instead.
    const nameHint =
      full.requesterName || !maySeeRequesterData(turn.audience)
        ? ''
        : ' To record the name too, type the request again with the name before the address ("from Jane Doe <jane@example.com>").';
    const buttons: ActionButton[] = [
      { action: 'intake.confirm', label: 'Log it', value: 'confirm', style: 'primary' },
      { action: 'intake.cancel', label: 'Cancel', value: 'cancel' },
    ];
    return reply(
      [
        text(
          `Log ${/^[aeiou]/.test(full.type) ? 'an' : 'a'} ${full.type} request from ${who}, received ${full.received}, under ${REGIME_LABELS[full.regime as Regime]}? It would be due ${set.due} (${stripStop(set.rule)}). Reply "yes" to log it or "no" to cancel.${nameHint}`,
        ),
        { kind: 'actions', buttons },
      ],
      { personal: maySeeRequesterData(turn.audience) },
    );
  }

  private async confirmIntake(turn: Turn): Promise<Reply> {
    const register = this.requireRegister();
    const pending = this.pending.get(turn.actor.id);
    // A confirmation older than 15 minutes is stale: the person must see the summary again.
    if (!pending || turn.now.getTime() - pending.at > 15 * 60_000) {
      this.pending.delete(turn.actor.id);
      return errorReply('There is nothing waiting to be logged (or it expired). Type the request again.');
    }
    this.pending.delete(turn.actor.id);
    const state = await register.add(pending.request, { actor: turn.actor.name, now: turn.now });
    return this.logged(state, turn);
  }

  /** Logs a request from a form (Slack modal, Teams card); validated by the register. */
  async submitRequest(input: NewRequest, turn: Omit<Turn, 'text'>): Promise<Reply> {
    try {
      const state = await this.requireRegister().add(input, { actor: turn.actor.name, now: turn.now });
      return this.logged(state, { ...turn, text: '' });
    } catch (error) {
      return this.failure(error);
    }
  }

  private logged(state: RequestState, turn: Turn): Reply {
    const view = this.view(state, turn, undefined);
    const blocks: Block[] = [
      text(`Logged ${state.id}. The response is due ${view.due} (${stripStop(view.dueRule)}).`),
      { kind: 'request', request: view },
    ];
    return reply(blocks, {
      notice: {
        text: `New ${state.type} request ${state.id} (${REGIME_LABELS[state.regime]}), received ${state.received}, due ${view.due}; owner ${state.owner ?? 'unassigned'}.`,
        requestId: state.id,
      },
    });
  }

  private async list(filterText: string, turn: Turn): Promise<Reply> {
    this.requireTeam(turn.actor);
    const register = this.requireRegister();
    const f = filterText.trim().toLowerCase();
    let status: StatusFilter[] = ['open'];
    let dueWithinDays: number | undefined;
    let owner: string | undefined;
    let title = 'Open requests';
    if (/overdue/.test(f)) {
      status = ['overdue'];
      title = 'Overdue requests';
    } else if (/due|soon|week/.test(f)) {
      dueWithinDays = 7;
      title = 'Requests due within 7 days';
    } else if (/\ball\b/.test(f)) {
      status = ['all'];
      title = 'All requests';
    } else if (/closed/.test(f)) {
      status = ['closed'];
      title = 'Closed requests';
    }
    if (/\bmine\b|\bmy\b/.test(f)) {
      owner = turn.actor.name;
      title = `${title} owned by you`;
    }
    const requests = await register.list(
      { status, ...(owner ? { owner } : {}), ...(dueWithinDays ? { dueWithinDays } : {}) },
      turn.now,
    );
    const views = requests.slice(0, 50).map((r) => this.view(r, turn, undefined));
    const more = requests.length > 50 ? ` (first 50 of ${requests.length})` : '';
    return reply([
      { kind: 'request-list', title: `${title}${more}`, requests: views, empty: 'Nothing here.' },
    ]);
  }

  private async change(verb: string, id: string, rest: string, turn: Turn): Promise<Reply> {
    this.requireTeam(turn.actor);
    const register = this.requireRegister();
    const ctx = { actor: turn.actor.name, now: turn.now };
    const note = rest.trim() || undefined;
    let state: RequestState;
    switch (verb) {
      case 'show': {
        const detail = await register.show(id);
        const view = this.view(detail.request, turn, detail.requester);
        // Notes and reasons are requester data too: shown only where the requester may be.
        const mayShow = maySeeRequesterData(turn.audience);
        const trail = detail.trail.map((e) => ({
          at: e.at,
          actor: e.actor,
          action: e.action,
          text: mayShow ? e.text : null,
        }));
        return reply([
          { kind: 'request', request: view, trail },
          { kind: 'actions', buttons: this.buttons(detail.request) },
        ]);
      }
      case 'assign': {
        const owner = rest
          .replace(/^to\s+/i, '')
          .replace(/^@/, '')
          .trim();
        if (!owner) throw new AppError('INVALID_INPUT', `Who should own it? e.g. "assign ${id} @alice".`);
        state = await register.assign(id, owner, ctx);
        break;
      }
      case 'extend':
        state = await register.extend(id, ctx, note);
        break;
      case 'pause':
        state = await register.pause(id, ctx, note);
        break;
      case 'resume':
        state = await register.resume(id, ctx);
        break;
      case 'start':
        state = await register.start(id, ctx, note);
        break;
      case 'verify':
        state = await register.verifyIdentity(id, ctx, note);
        break;
      case 'reopen':
        state = await register.reopen(id, ctx, note);
        break;
      case 'close': {
        const [outcome = '', ...noteWords] = rest.split(/\s+/);
        if (!outcome)
          throw new AppError(
            'INVALID_INPUT',
            `Say how it ended: "close ${id} completed", "rejected" or "withdrawn".`,
          );
        const said = outcome.toLowerCase();
        state = await register.closeRequest(
          id,
          OUTCOME_WORDS[said] ?? said,
          ctx,
          noteWords.join(' ') || undefined,
        );
        break;
      }
      default:
        throw new AppError('USAGE', `Unknown command "${verb}". Type "help".`);
    }
    const view = this.view(state, turn, undefined);
    return reply([
      text(`${state.id}: ${verb} done.`),
      { kind: 'request', request: view },
      { kind: 'actions', buttons: this.buttons(state) },
    ]);
  }

  private buttons(state: RequestState): ActionButton[] {
    const open = ['received', 'identity-verified', 'in-progress', 'paused'].includes(state.status);
    if (!open) return [];
    const out: ActionButton[] = [];
    if (state.status !== 'in-progress' && state.status !== 'paused')
      out.push({ action: 'request.start', label: 'Start work', value: state.id });
    if (state.status === 'paused') out.push({ action: 'request.resume', label: 'Resume', value: state.id });
    out.push({ action: 'request.assign-me', label: 'Assign to me', value: state.id });
    if (state.extensions < state.deadlines.maxExtensions)
      out.push({ action: 'request.extend', label: 'Extend', value: state.id });
    out.push({ action: 'request.close', label: 'Mark done', value: state.id, style: 'primary' });
    return out;
  }

  /** A request for display; `requester` is included only for a private or privacy-channel audience. */
  private view(
    state: RequestState,
    turn: Omit<Turn, 'text'>,
    requester: { name: string; email: string } | null | undefined,
  ): RequestView {
    const today = todayIn(turn.now, turn.actor.timeZone ?? this.options.defaultTimeZone);
    const response = state.deadlines.deadlines.find((d) => d.kind === 'response');
    const mayShow = maySeeRequesterData(turn.audience);
    return {
      id: state.id,
      type: state.type,
      regime: state.regime,
      regimeLabel: REGIME_LABELS[state.regime],
      status: state.status,
      owner: state.owner,
      received: state.received,
      due: state.deadlines.due,
      dueRule: response?.rule ?? state.deadlines.rule,
      dueSource: response?.source ?? state.deadlines.source,
      daysLeft: daysLeft(state.deadlines.due, today),
      deadlines: state.deadlines.deadlines,
      policyId: state.policyId,
      outcome: state.outcome,
      extensions: state.extensions,
      ...(mayShow && requester !== undefined ? { requester } : {}),
    };
  }
}

export type { Audience };
