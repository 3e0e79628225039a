import { randomUUID } from 'node:crypto';
import { AppError, newReference, toAppError } from '../errors.js';
import type { Answer, PolicyAnswerer } from '../policy/answer.js';
import { addDays, daysBetween } from '../requests/calendar.js';
import {
  computeDeadlines,
  daysLeft,
  homeJurisdiction,
  REGIME_LABELS,
  REGIMES,
  REQUEST_TYPES,
} from '../requests/deadlines.js';
import { todayIn } from '../requests/input.js';
import { isOpen, type Requester, type RequestState } from '../requests/model.js';
import type { NewRequest, Register } from '../requests/register.js';
import { COMMANDS } from './commands.js';
import { DUE_SOON_DAYS } from './dates.js';
import {
  acceptPlaceHint,
  correct,
  DRAFT_TTL_MS,
  type Draft,
  draftRequester,
  MISSING_LABELS,
  missingOf,
  nextQuestion,
  summary,
  toNewRequest,
} from './draft.js';
import { type DraftStore, MAX_QUEUED, MemoryDraftStore } from './draft-store.js';
import type { IntakeDesk, IntakeDeskResult, IntakeSourceKind } from './intake-desk.js';
import { plainText, stripStop } from './plain-text.js';
import {
  type ActionButton,
  type Actor,
  type Audience,
  type Block,
  maySeeRequesterData,
  type Reply,
  type RequestView,
  type Turn,
} from './reply.js';
import {
  type DraftFields,
  type LineContext,
  type ListStatus,
  onTopic,
  type RequestMatch,
  type RequestRef,
  readFields,
  type Understanding,
  understand,
  type Verb,
} from './understand.js';

type RequestCommand = Extract<Understanding, { kind: 'request' }>;

/** The most open request ids offered to choose from when a requester's name matches none. */
const NAME_CHOICES = 10;

/** Short replies to small talk and noise: each points to `help`. */
const SMALLTALK: Record<Extract<Understanding, { kind: 'smalltalk' }>['what'], string> = {
  greeting:
    'Hello! Ask me about the privacy policy (e.g. "how long do we keep logs?"), log a request in one line, or type "help" to see everything I can do.',
  thanks: 'You\'re welcome! Anything else, just ask; "help" shows everything I can do.',
  ack: 'OK. Type "help" any time to see what I can do.',
  'no-draft': 'There is nothing waiting to be logged (or it expired). Type "help" to see what I can do.',
  noise:
    'Sorry, I did not understand that. Type "help" to see what I can do, or try "how long do we keep logs?" or "what\'s due this week".',
};

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
  /**
   * Where drafts wait for their "yes": the register's store in production, so every replica and a
   * restarted process see them. Absent: this process's memory.
   */
  drafts?: DraftStore;
  /**
   * The drafts posted to the privacy channel from the privacy mailbox and the intake webhook, when
   * either is on (their buttons come here).
   */
  desk?: IntakeDesk;
  /** Snoozes a request's reminders until the returned instant (the reminders' Snooze button). */
  snoozeReminders?: (requestId: string, now: Date) => Promise<Date>;
  defaultCountry: string;
  defaultTimeZone: string;
  /** Records errors with a reference; never personal data. */
  onError?: (error: AppError, reference: string) => void;
}

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
 * Reads the request fields of a one-line intake ("log erasure request from Jane Doe
 * <jane@example.com> received yesterday under GDPR in FR"), with the parser every chat line goes
 * through (`understand.ts`): dates relative to `now` in the reader's time zone and never in the
 * future, the law from the country or US state when not named.
 */
export function parseIntake(message: string, now: Date, timeZone: string): ParsedIntake {
  const f = readFields(message, now, timeZone);
  const request: Partial<NewRequest> = {
    received: f.received ?? todayIn(now, timeZone),
    ...(f.type ? { type: f.type } : {}),
    ...(f.regime ? { regime: f.regime } : {}),
    ...(f.email ? { requesterEmail: f.email } : {}),
    ...(f.phone ? { requesterPhone: f.phone } : {}),
    ...(f.address ? { requesterAddress: f.address } : {}),
    ...(f.name ? { requesterName: f.name } : {}),
    ...(f.country ? { country: f.country } : {}),
    ...(f.region ? { region: f.region } : {}),
  };
  const missing: string[] = [];
  if (!f.type) missing.push(`the request type (${REQUEST_TYPES.join(', ')})`);
  if (!f.regime) missing.push(`the law (${REGIMES.join(', ')})`);
  if (!f.email && !f.phone && !f.address)
    missing.push("the requester's email address, phone number or postal address");
  return { request, missing };
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
  'mail.log',
  'mail.dismiss',
]);

/** How the channel names a draft of each source, in the replies to its buttons. */
const DESK_WORDS: Record<IntakeSourceKind, { label: string; it: string; lower: string }> = {
  mail: {
    label: 'Mail to the privacy mailbox',
    it: 'That mail',
    lower: 'A mail to the privacy mailbox',
  },
  webhook: {
    label: 'Request from the intake webhook',
    it: 'That request',
    lower: 'A request from the intake webhook',
  },
};

export class ConversationEngine {
  /** One-line intakes waiting for an answer, per actor. */
  private readonly drafts: DraftStore;
  /** The request each actor saw last, which "it" names ("extend it"). */
  private readonly lastShown = new Map<string, string>();
  /** The request whose outcome the chat asked each actor for last ("close 0003": as what?). */
  private readonly askedOutcome = new Map<string, string>();
  /** The deadline question each actor asked last, which "and under lgpd?" asks again. */
  private readonly askedDeadline = new Map<string, NonNullable<LineContext['lastDeadline']>>();

  constructor(private readonly options: EngineOptions) {
    this.drafts = options.drafts ?? new MemoryDraftStore();
  }

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
    const t: Turn = { ...turn, text: '' };
    const on = (verb: Verb, extra: Partial<RequestCommand> = {}) =>
      this.change({ kind: 'request', verb, ref: { id: value }, ...extra }, t);
    try {
      switch (action) {
        case 'intake.confirm':
          return await this.confirmIntake(t);
        case 'intake.cancel':
          return await this.cancelIntake(t);
        // A button calls its command directly; its value is never read as typed text.
        case 'request.show':
          return await on('show');
        case 'request.start':
          return await on('start');
        case 'request.extend':
          return await on('extend');
        case 'request.resume':
          return await on('resume');
        case 'request.close':
          return await on('close', { outcome: 'completed' });
        case 'request.assign-me':
          return await on('assign', { owner: 'me' });
        case 'request.snooze':
          return await this.snooze(value, turn);
        case 'mail.log':
        case 'mail.edit':
        case 'mail.dismiss':
          return await this.mailAction(action, value, t);
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
    // A request that is not there: say how this chat lists them (the CLI says it its own way).
    if (appError.code === 'NOT_FOUND' && appError.detail?.requestId)
      return errorReply(`${appError.message} Type "requests all" to see them all.`);
    return errorReply(appError.message);
  }

  private timeZone(turn: Omit<Turn, 'text'>): string {
    return turn.actor.timeZone ?? this.options.defaultTimeZone;
  }

  /**
   * The actor's draft as stored: one waiting for an answer, or one logged a moment ago (`loggedAs`),
   * unless it has expired.
   */
  private async storedDraft(turn: Omit<Turn, 'text'>): Promise<Draft | undefined> {
    const draft = await this.drafts.get(turn.actor.id);
    if (draft && turn.now.getTime() - draft.at > DRAFT_TTL_MS) {
      await this.drafts.delete(turn.actor.id);
      return undefined;
    }
    return draft;
  }

  private async route(turn: Turn): Promise<Reply> {
    const message = turn.text.trim();
    if (!message) return reply([text('Ask me a question about the privacy policy, or type "help".')]);
    const stored = await this.storedDraft(turn);
    const draft = stored?.loggedAs ? undefined : stored;
    // The question "close 0003 as what?" is answered by the next line or not at all.
    const closing = this.askedOutcome.get(turn.actor.id);
    this.askedOutcome.delete(turn.actor.id);
    // A follow-up ("and under lgpd?") builds on the deadline question of the line just before.
    const asked = this.askedDeadline.get(turn.actor.id);
    this.askedDeadline.delete(turn.actor.id);
    const meant = understand(message, {
      now: turn.now,
      timeZone: this.timeZone(turn),
      draft: Boolean(draft),
      ...(asked ? { lastDeadline: asked } : {}),
      ...(closing ? { awaiting: { outcome: closing } } : {}),
      ...(draft?.queued?.length ? { queued: true } : {}),
    });
    switch (meant.kind) {
      case 'confirm':
        return this.confirmIntake(turn, draft, meant.named);
      case 'cancel':
        return this.cancelIntake(turn, draft);
      case 'replace':
        return this.replaceIntake(turn, draft);
      case 'smalltalk':
        // A second "yes" (a retry, or one another replica answered): say what it became.
        if (meant.what === 'no-draft' && stored?.loggedAs) return this.alreadyLogged(stored.loggedAs, turn);
        // A line not understood may have meant another request ("parking 2 …" once was): an "it"
        // said next would then name an older one, so the focus is dropped and "it" is asked about.
        if (meant.what === 'noise') this.lastShown.delete(turn.actor.id);
        break;
      case 'intake':
        // A new request while another waits is queued behind it: neither is dropped or merged. The
        // waiting one is shown again, so that a correction typed next is seen to apply to it; the
        // new one comes next, once the waiting one is logged or dropped (or replaces it on request).
        if (draft) return this.queueIntake(await this.linkAppeal(meant.fields, turn), turn, draft);
        return this.intake(await this.linkAppeal(meant.fields, turn), turn);
      case 'correct':
        // "the name's spelled Sam Li not Lee": the old name quoted says which draft it is about.
        if (draft && meant.was) return this.correctNamed(meant.fields, meant.was.name, turn, draft);
        return this.intake(
          await this.linkAppeal(draft ? correct(draft.fields, meant.fields) : meant.fields, turn),
          turn,
          draft?.id,
          draft?.queued,
        );
      default:
        break;
    }
    const answer = await this.answer(meant, turn);
    // While a draft waits, anything else is answered and the draft is mentioned, never dropped.
    if (!draft || meant.kind === 'help') return answer;
    const note =
      'A request is still waiting to be logged: say "yes" to log it, "no" to drop it, or correct it (e.g. "received yesterday").';
    return { ...answer, blocks: [...answer.blocks, text(note)], text: `${answer.text}\n${note}` };
  }

  private async answer(meant: Understanding, turn: Turn): Promise<Reply> {
    switch (meant.kind) {
      case 'help':
        return this.help(turn.actor);
      case 'form':
        return reply([
          text(
            'This chat has no request form: type the request in one line instead, e.g. "new DSAR from jane@example.com, received yesterday, she\'s in Spain". In Slack and Teams, "request" opens the request form.',
          ),
        ]);
      case 'smalltalk':
        return reply([text(SMALLTALK[meant.what])]);
      case 'clarify': {
        if (meant.deadline) this.askedDeadline.set(turn.actor.id, meant.deadline);
        if (!meant.ref) return reply([text(meant.question)]);
        // A question about a request that is not there would only lead to "not found" next.
        this.requireTeam(turn.actor);
        const id = await this.resolve(meant.ref, turn);
        await this.requireRegister().get(id);
        this.askedOutcome.set(turn.actor.id, id);
        return reply([text(meant.question)]);
      }
      case 'edit':
        return this.editRequester(meant, turn);
      case 'deadline':
        this.askedDeadline.set(turn.actor.id, meant);
        return this.deadline(meant, turn);
      case 'redate':
        return this.redate(meant, turn);
      case 'list':
        // "anything under ccpa?" from someone outside the privacy team asks the policy.
        if (meant.byLaw && !turn.actor.isPrivacyTeam) return this.ask(turn.text, turn);
        return this.list(meant, turn);
      case 'request':
        return this.change(meant, turn);
      case 'question':
        return this.ask(meant.text, turn);
      case 'reminders':
        return this.reminders(turn);
      default:
        return this.ask(turn.text, turn);
    }
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
    // Unanswered and not about privacy work at all ("what's the weather like"): say so briefly.
    if (!answer.found && !onTopic(question)) return reply([text(SMALLTALK.noise)]);
    const questionId = `${turn.now.getTime().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    return reply([
      { kind: 'answer', answer: answer.answer, found: answer.found, citations: answer.citations, questionId },
    ]);
  }

  private deadline(meant: Extract<Understanding, { kind: 'deadline' }>, turn: Turn): Reply {
    const { regime, received } = meant;
    const today = todayIn(turn.now, this.timeZone(turn));
    // A day still to come is a what-if ("when would it be due if it comes in on the 20th?"): it is
    // computed and labelled so. Logging a request still refuses a received day in the future.
    const whatIf = received > today;
    const home = homeJurisdiction(regime, this.options.defaultCountry);
    const set = computeDeadlines({
      regime,
      received,
      country: meant.country || home.country,
      region: meant.region || (meant.country ? undefined : home.region),
      ...(meant.type ? { type: meant.type } : {}),
      extended: meant.extended,
    });
    const blocks: Block[] = [
      {
        kind: 'deadline',
        regimeLabel: REGIME_LABELS[regime],
        received,
        due: set.due,
        rule: set.rule,
        source: set.source,
        deadlines: set.deadlines,
      },
    ];
    if (!meant.receivedSaid)
      blocks.unshift(text(`No received date given, so counted from today, ${received}.`));
    else if (whatIf)
      blocks.unshift(
        text(
          `What-if: ${received} is still to come, so this is the deadline if the request arrives that day. Nothing is logged.`,
        ),
      );
    else {
      // "are we late?": the answer in words, beside the dates.
      const left = daysLeft(set.due, today);
      blocks.push(
        text(
          left < 0
            ? `That was ${-left} day${left === -1 ? '' : 's'} ago: the response is overdue.`
            : left === 0
              ? 'That is today.'
              : `${left} day${left === 1 ? '' : 's'} left.`,
        ),
      );
    }
    return reply(blocks);
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
    const timeZone = this.timeZone(turn);
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

  /**
   * An appeal draft linked to the request it names: that request is looked up (it must be there,
   * and its law must give an appeal to the controller), and the appeal takes its law and place.
   * Its requester is taken from it on "yes", by the register. Looking it up reads the register, so
   * it is for the privacy team. Anything else passes unchanged.
   */
  private async linkAppeal(fields: DraftFields, turn: Turn): Promise<DraftFields> {
    if (!fields.appealOf) return fields;
    this.requireTeam(turn.actor);
    const register = this.requireRegister();
    // Named by who appeals: the request of theirs that was refused, not one still open.
    const ref = fields.appealOf;
    const id =
      'name' in ref ? await this.resolveName(ref.name, turn, 'refused') : await this.resolve(ref, turn);
    const original = await register.get(id);
    const law = REGIME_LABELS[original.regime];
    // EU and UK GDPR, CCPA, LGPD...: the requester complains to the authority; no appeal to log.
    if (original.regime !== 'us-state')
      throw new AppError(
        'INVALID_INPUT',
        `${original.id} is under the ${law}, which has no appeal to the controller with its own clock (an appeal of a refusal is a US state law right), so nothing was logged. The requester can complain to the supervisory authority instead; to record what they said, reopen ${original.id} or note it there.`,
      );
    const { region: _region, placeHint: _hint, placeQuestion: _question, ...rest } = fields;
    const linked: DraftFields = {
      ...rest,
      appealOf: { id: original.id },
      regime: original.regime,
      country: original.country,
      ...(original.region ? { region: original.region } : {}),
    };
    // The register's own checks (a state without an appeal, an appeal of an appeal, a day before
    // the original): refused now, in its words, rather than after a "yes".
    if (!linked.receivedEither) {
      const today = todayIn(turn.now, this.timeZone(turn));
      try {
        register.preview(toNewRequest(linked, today), turn.now);
      } catch (error) {
        const problem = toAppError(error);
        if (problem.code !== 'INVALID_INPUT') throw error;
        throw new AppError('INVALID_INPUT', `${problem.message} Nothing was logged.`);
      }
    }
    return linked;
  }

  /**
   * Shows a draft with every field and, once complete, the deadlines the register would store for
   * it; asks for the first thing missing. Nothing is written until the person says yes.
   */
  private async intake(
    fields: DraftFields,
    turn: Turn,
    id: string = randomUUID(),
    queued: DraftFields[] = [],
  ): Promise<Reply> {
    const register = this.requireRegister();
    const today = todayIn(turn.now, this.timeZone(turn));
    // Stored before it is shown: a "yes" may reach another replica, or come after a restart.
    await this.drafts.put(turn.actor.id, {
      id,
      fields,
      at: turn.now.getTime(),
      ...(queued.length > 0 ? { queued } : {}),
    });
    const mayShow = maySeeRequesterData(turn.audience);
    const question = nextQuestion(fields);
    if (question) {
      const lines = summary(fields, register, turn.now, today, mayShow);
      // A Cancel button also keeps the draft between the person and the bot where a channel
      // shows replies with intake buttons to the asker only (Slack).
      const cancel: ActionButton = { action: 'intake.cancel', label: 'Cancel', value: 'cancel' };
      return reply(
        [
          text(`A new request so far:\n${lines.join('\n')}\n${question}`),
          { kind: 'actions', buttons: [cancel] },
        ],
        { personal: mayShow },
      );
    }
    let lines: string[];
    try {
      lines = summary(fields, register, turn.now, today, mayShow);
    } catch (error) {
      const problem = toAppError(error);
      if (problem.code !== 'INVALID_INPUT') throw error;
      return errorReply(
        `${problem.message} Correct it (e.g. "received yesterday") or say "no" to drop the request.`,
      );
    }
    const who = !mayShow ? 'the requester' : draftRequester(fields);
    const type = fields.type!;
    const appealed = fields.appealOf && 'id' in fields.appealOf ? fields.appealOf.id : undefined;
    const buttons: ActionButton[] = [
      { action: 'intake.confirm', label: 'Log it', value: 'confirm', style: 'primary' },
      { action: 'intake.cancel', label: 'Cancel', value: 'cancel' },
    ];
    // The name is optional (the register logs a request without one) but asked for: a request
    // logged nameless is harder to match to the person later.
    const askName =
      fields.name || appealed
        ? ''
        : '\nNo name given: what is the requester\'s name? Type it (e.g. "name is Jane Doe"), or say "no name" to log it without one.';
    return reply(
      [
        text(
          `${appealed ? `Log an appeal of ${appealed}` : `Log ${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type} request from ${who}`}, received ${fields.received ?? today}, under ${REGIME_LABELS[fields.regime!]}?\n${lines.join('\n')}${askName}\nSay "yes" to log it, "no" to drop it, or correct any field (e.g. "actually it came in on the 28th", "her name is Jane Doe").`,
        ),
        { kind: 'actions', buttons },
      ],
      { personal: mayShow },
    );
  }

  /**
   * "yes" (or Log it) to the actor's draft. `waiting` is the draft the turn already read; a button
   * press reads it here. The draft is logged under its own key, so a "yes" that also reached
   * another replica, or one repeated after a crash, finds the request instead of logging another.
   */
  private async confirmIntake(turn: Turn, waiting?: Draft, named?: string): Promise<Reply> {
    const register = this.requireRegister();
    const draft = waiting ?? (await this.storedDraft(turn));
    if (draft?.loggedAs) return this.alreadyLogged(draft.loggedAs, turn);
    if (!draft) {
      return errorReply(
        'There is nothing waiting to be logged (or it expired). Type the request again, or "help" to see what I can do.',
      );
    }
    const mayShow = maySeeRequesterData(turn.audience);
    // "ok yes save klaus": a yes that names someone counts only for the draft that is theirs.
    if (named) {
      // "ok log claire's" naming one complete draft queued behind the waiting one: that one is
      // logged, and the waiting one still waits. Never another draft than the one named.
      const fits = (f: DraftFields) => Boolean(f.name && nameQuoted(f.name, named));
      const queued = draft.queued ?? [];
      const matching = fits(draft.fields)
        ? []
        : queued.map((f, i) => (fits(f) ? i : -1)).filter((i) => i >= 0);
      const only = matching.length === 1 ? queued[matching[0]!]! : undefined;
      if (only && !nextQuestion(only) && !acceptPlaceHint(only))
        return this.logQueued(turn, draft, matching[0]!, mayShow);
      const refused = this.namedElsewhere(draft, named, mayShow);
      if (refused) return refused;
    }
    // With requests queued, the reply says which one the yes was for: the one waiting first.
    const appliedTo = draft.queued?.length
      ? `That yes was for the request waiting first (${queuedLine(draft.fields, mayShow)}), not one queued behind it.`
      : '';
    // "yes" to "is the requester in Poland, from the email address?": the place is taken, and the
    // complete draft is shown for its own yes.
    const hinted = acceptPlaceHint(draft.fields);
    if (hinted) return this.intake(hinted, turn, draft.id, draft.queued);
    const question = nextQuestion(draft.fields);
    if (question) {
      // A draft that cannot be logged says what is missing, and what waits behind it.
      const behind = draft.queued?.length
        ? `\n${draft.queued.length === 1 ? 'One request is' : `${draft.queued.length} requests are`} queued behind it: answer this, or say "no" to drop it and see the next.`
        : '';
      return reply([
        text(
          `Not yet: ${question}\nNothing was logged: the ${MISSING_LABELS[missingOf(draft.fields)[0]!]} is missing.${appliedTo ? `\n${appliedTo}` : ''}${behind}`,
        ),
      ]);
    }
    const today = todayIn(turn.now, this.timeZone(turn));
    const state = await register.add(
      { ...toNewRequest(draft.fields, today), intakeKey: draft.id },
      { actor: turn.actor.name, now: turn.now },
    );
    // The draft stays a little while as the request it became, its fields (personal data) dropped,
    // so that a second "yes" is told so. The request is stored already: a failure here only loses
    // that courtesy, and a repeated "yes" still finds the request by the draft's key.
    await this.drafts
      .put(turn.actor.id, { id: draft.id, fields: {}, at: turn.now.getTime(), loggedAs: state.id })
      .catch((error: unknown) => this.options.onError?.(toAppError(error), newReference()));
    this.lastShown.set(turn.actor.id, state.id);
    // A channel draft corrected in chat (Edit): its buttons in the privacy channel now say it is logged.
    if (this.options.desk?.owns(draft.id))
      await this.options.desk
        .loggedFromChat(draft.id, state.id, { actor: turn.actor.name, now: turn.now })
        .catch((error: unknown) => this.options.onError?.(toAppError(error), newReference()));
    const done = this.logged(state, turn, !draft.fields.name && !draft.fields.appealOf);
    return this.offerNext(
      done,
      draft.queued,
      turn,
      appliedTo.replace(/^That yes was for/, 'That yes logged'),
    );
  }

  /**
   * Logs the complete draft queued at `index` behind the waiting one, named by its requester; the
   * waiting draft and the rest of the queue stay as they were. Its register key is derived from the
   * waiting draft's and its place in the queue, so a repeated yes finds it instead of logging twice.
   */
  private async logQueued(turn: Turn, draft: Draft, index: number, mayShow: boolean): Promise<Reply> {
    const register = this.requireRegister();
    const fields = draft.queued![index]!;
    const today = todayIn(turn.now, this.timeZone(turn));
    const state = await register.add(
      {
        ...toNewRequest(fields, today),
        intakeKey: `${draft.id}:queued:${index}:${fields.email ?? fields.name ?? ''}`.slice(0, 100),
      },
      { actor: turn.actor.name, now: turn.now },
    );
    const rest = (draft.queued ?? []).filter((_, i) => i !== index);
    await this.drafts.put(turn.actor.id, {
      id: draft.id,
      fields: draft.fields,
      at: turn.now.getTime(),
      ...(rest.length > 0 ? { queued: rest } : {}),
    });
    this.lastShown.set(turn.actor.id, state.id);
    const done = this.logged(state, turn, false);
    const note = `The request waiting first (${queuedLine(draft.fields, mayShow)}) still waits: say "yes" to log it, "no" to drop it, or correct it.`;
    return { ...done, blocks: [...done.blocks, text(note)], text: `${done.text}\n${note}` };
  }

  /**
   * A yes that names a requester whose draft is not the one waiting: nothing is logged, and the
   * reply says whose draft waits (or that the one named is queued behind it). Undefined when the
   * waiting draft is theirs.
   */
  private namedElsewhere(draft: Draft, named: string, mayShow: boolean): Reply | undefined {
    const fits = (f: DraftFields) => Boolean(f.name && nameQuoted(f.name, named));
    if (fits(draft.fields)) return undefined;
    const waiting = queuedLine(draft.fields, mayShow);
    const who = mayShow ? `"${named}"` : 'the name you gave';
    if ((draft.queued ?? []).some(fits))
      return reply([
        text(
          `Nothing was logged: ${who} is on a request queued behind the one waiting first (${waiting}), which is answered first. Log the waiting one ("yes"), drop it ("no") to see the next, or say "replace it with the new one"?`,
        ),
      ]);
    return reply([
      text(
        `Nothing was logged: the request waiting is the ${waiting}${draft.fields.name ? '' : ', with no name yet'}, not ${who}. Log it ("yes"), drop it ("no"), or correct it (e.g. "name is Jane Doe")?`,
      ),
    ]);
  }

  /**
   * After a draft is logged or dropped, the next request queued behind it becomes the draft and is
   * shown for its own yes; `done` says what became of the one before.
   */
  private async offerNext(
    done: Reply,
    queued: DraftFields[] | undefined,
    turn: Turn,
    appliedTo = '',
  ): Promise<Reply> {
    const [next, ...rest] = queued ?? [];
    if (!next) return done;
    const shown = await this.intake(next, turn, randomUUID(), rest);
    const lead = `${appliedTo ? `${appliedTo} ` : ''}Next, the request you sent while that one waited:`;
    return {
      ...shown,
      blocks: [...done.blocks.filter((b) => b.kind !== 'actions'), text(lead), ...shown.blocks],
      text: `${done.text}\n${lead}\n${shown.text}`,
      personal: done.personal || shown.personal,
      ...(done.notice ? { notice: done.notice } : {}),
    };
  }

  /** "no" (or Cancel) to the waiting draft: dropped; a request queued behind it comes next. */
  private async cancelIntake(turn: Turn, waiting?: Draft): Promise<Reply> {
    const draft = waiting ?? (await this.storedDraft(turn));
    await this.drafts.delete(turn.actor.id);
    const done = reply([text('Cancelled; nothing was logged.')]);
    // With requests queued, the reply says which one was dropped: the one waiting first.
    const dropped =
      draft && !draft.loggedAs && draft.queued?.length
        ? `That no dropped the request waiting first (${queuedLine(draft.fields, maySeeRequesterData(turn.audience))}).`
        : '';
    return draft?.loggedAs ? done : this.offerNext(done, draft?.queued, turn, dropped);
  }

  /**
   * A new intake while a draft waits: kept in a queue behind it (never merged, never lost), and
   * said so, with the waiting draft shown again and how to take the new one instead.
   */
  private async queueIntake(fields: DraftFields, turn: Turn, draft: Draft): Promise<Reply> {
    const queued = [...(draft.queued ?? []), fields];
    if (queued.length > MAX_QUEUED)
      return errorReply(
        `${MAX_QUEUED} new requests are queued behind the one waiting already: answer that one first (say "yes" to log it or "no" to drop it), then send this one again.`,
      );
    const waiting = await this.intake(draft.fields, turn, draft.id, queued);
    const ahead = queued.length === 1 ? '' : ` (${queued.length} are queued now)`;
    // Every queued request is listed, so one stuck behind a draft that cannot be logged yet is seen.
    // Listed by what they are, not by name, so the one shown in full is plainly the waiting one.
    const list = queued.map((f, i) => `  ${i + 1}. ${queuedLine(f, false)}`).join('\n');
    const missing = nextQuestion(draft.fields);
    const stuck = missing
      ? ` The one below cannot be logged yet (${missing.replace(/\s*\(.*$/, '')}): answer that, or say "no" to drop it.`
      : '';
    const note = `Queued: the new request is kept and comes next${ahead}, once you answer the one below, still waiting to be logged: "yes" logs it, "no" drops it, then the new one is shown. To drop the waiting one and take the new one instead, say "replace it with the new one".${stuck}\nQueued behind it:\n${list}`;
    return { ...waiting, blocks: [text(note), ...waiting.blocks], text: `${note}\n${waiting.text}` };
  }

  /**
   * A name correction that quotes the old name: applied to the waiting draft when its name is that
   * one, else to the one queued draft whose name it is; asked about when none or several fit, so a
   * correction never lands on another requester's draft.
   */
  private async correctNamed(change: DraftFields, was: string, turn: Turn, draft: Draft): Promise<Reply> {
    const fits = (f: DraftFields) => Boolean(f.name && nameQuoted(f.name, was));
    if (fits(draft.fields) || (!draft.fields.name && !(draft.queued ?? []).some(fits)))
      return this.intake(correct(draft.fields, change), turn, draft.id, draft.queued);
    const queued = draft.queued ?? [];
    const matching = queued.map((f, i) => (fits(f) ? i : -1)).filter((i) => i >= 0);
    if (matching.length !== 1) {
      const which =
        matching.length === 0
          ? 'Neither the waiting request nor one queued behind it has that name, so nothing was changed.'
          : 'More than one queued request has that name, so nothing was changed.';
      return reply([
        text(
          `${which} To correct the waiting one, say "her name is …"; a queued one can be corrected once it is shown.`,
        ),
      ]);
    }
    const at = matching[0]!;
    const next = queued.map((f, i) => (i === at ? correct(f, change) : f));
    const waiting = await this.intake(draft.fields, turn, draft.id, next);
    const mayShow = maySeeRequesterData(turn.audience);
    const said = `Corrected the queued request (${queuedLine(next[at]!, mayShow)}); it comes once the one below is answered.`;
    return { ...waiting, blocks: [text(said), ...waiting.blocks], text: `${said}\n${waiting.text}` };
  }

  /** "replace it with the new one": the waiting draft is dropped; the newest queued one takes its place. */
  private async replaceIntake(turn: Turn, draft: Draft | undefined): Promise<Reply> {
    const queued = [...(draft?.queued ?? [])];
    const next = queued.pop();
    if (!draft || !next) return reply([text('There is no new request queued to take its place.')]);
    const shown = await this.intake(next, turn, randomUUID(), queued);
    const note = 'Dropped the request that was waiting (nothing was logged); here is the new one:';
    return { ...shown, blocks: [text(note), ...shown.blocks], text: `${note}\n${shown.text}` };
  }

  /**
   * "send the reminders": reminders are not sent from the chat. Says how they go out, how to run a
   * sweep now, and (for the privacy team) which open requests they are about: overdue, due within
   * a week, without an owner.
   */
  private async reminders(turn: Turn): Promise<Reply> {
    const how =
      'Reminders are not sent from the chat: they go out by themselves. With Slack or Teams configured, the server runs a reminder sweep on its schedule (REMINDER_SWEEP_CRON; REMINDERS_ENABLED turns it on or off): owners are reminded 7, 3 and 1 days before and on the due day, overdue requests escalate every day, and requests without an owner are flagged in the privacy channel, each reminder sent once. To run one sweep now, from a terminal in the repository: `bin/privacy-ops reminders run --once` (`bin/privacy-ops reminders due --at <instant>` shows what it would send, sending nothing).';
    if (!turn.actor.isPrivacyTeam || !this.options.register) return reply([text(how)]);
    const today = todayIn(turn.now, this.timeZone(turn));
    const open = await this.options.register.list({ status: ['open'] }, turn.now);
    const soon = addDays(today, DUE_SOON_DAYS);
    const about = open.filter((s) => s.status !== 'paused' && s.deadlines.due <= soon);
    const unowned = open.filter((s) => !s.owner).length;
    const list: Block = {
      kind: 'request-list',
      title: `What reminders are about now: overdue or due within ${DUE_SOON_DAYS} days (${unowned} open without an owner)`,
      requests: about.slice(0, 50).map((s) => this.view(s, turn, undefined)),
      empty: 'Nothing is overdue or due within the week.',
    };
    return reply([text(how), list]);
  }

  /**
   * A button on a draft in the privacy channel (from the mailbox or the intake webhook): Log it
   * (logs it as it stands, under its source's key), Edit (the draft becomes the presser's own chat
   * draft, to correct and confirm privately), Not a request (nothing is logged). A draft handled
   * already says by whom, and changes nothing.
   */
  private async mailAction(action: string, draftId: string, turn: Turn): Promise<Reply> {
    const desk = this.options.desk;
    if (!desk)
      return errorReply('No privacy mailbox or intake webhook is on here, so that button does nothing.');
    const ctx = { actor: turn.actor.name, now: turn.now };
    if (action === 'mail.edit') {
      const opened = await desk.open(draftId);
      if (opened.status !== 'open') return this.mailResult(opened, turn);
      // The draft's id is its source's key, so "yes" logs it under the same key as Log it would.
      return this.intake(opened.fields, turn, opened.key);
    }
    const result = action === 'mail.log' ? await desk.log(draftId, ctx) : await desk.dismiss(draftId, ctx);
    return this.mailResult(result, turn);
  }

  private async mailResult(result: IntakeDeskResult, turn: Turn): Promise<Reply> {
    const { label, it, lower } = DESK_WORDS[result.source];
    switch (result.status) {
      case 'logged':
        this.lastShown.set(turn.actor.id, result.request.id);
        return {
          ...this.logged(result.request, turn),
          settled: `${label}: logged as ${result.request.id} by ${turn.actor.name}.`,
        };
      case 'already-logged':
        return reply(
          [
            text(
              `${it} was logged already, as ${result.requestId} (by ${result.by}); it was not logged again.`,
            ),
          ],
          { settled: `${label}: logged as ${result.requestId} by ${result.by}.` },
        );
      case 'dismissed':
        return reply([text(`${it} is marked not a request (by ${result.by}); nothing was logged.`)], {
          notice: { text: `${lower} was marked not a request by ${result.by}.` },
          settled: `${label}: not a request (marked by ${result.by}); nothing was logged.`,
        });
      case 'incomplete':
        return reply([
          text(
            `Not complete yet: ${nextQuestion(result.fields) ?? 'a field is missing.'} Press Edit to fill it in, then log it.`,
          ),
        ]);
      case 'gone':
        return errorReply(
          result.source === 'mail'
            ? 'That mail draft is no longer waiting (it expired, or was never there). Find the mail in the privacy mailbox and log it by hand.'
            : 'That draft is no longer waiting (it expired, or was never there). Find the request where it was sent from and log it by hand.',
        );
    }
  }

  /** A "yes" to a draft that was logged already (another replica, a retry): said, not logged again. */
  private async alreadyLogged(id: string, turn: Turn): Promise<Reply> {
    const state = await this.requireRegister().get(id);
    this.lastShown.set(turn.actor.id, state.id);
    return reply([
      text(`That request was logged already, as ${state.id}; it was not logged again.`),
      { kind: 'request', request: this.view(state, turn, undefined) },
    ]);
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

  private logged(state: RequestState, turn: Turn, nameless = false): Reply {
    const view = this.view(state, turn, undefined);
    // Logged without a name (a "yes" to a draft that asked for one): say so, and how to add it.
    const noName = nameless
      ? ` No requester name was recorded; to add it, say "the name on ${state.id} should be Jane Doe".`
      : '';
    const blocks: Block[] = [
      text(`Logged ${state.id}. The response is due ${view.due} (${stripStop(view.dueRule)}).${noName}`),
      { kind: 'request', request: view },
    ];
    return reply(blocks, {
      notice: {
        text: `New ${state.type} request ${state.id} (${REGIME_LABELS[state.regime]}), received ${state.received}, due ${view.due}; owner ${state.owner ?? 'unassigned'}.`,
        requestId: state.id,
      },
    });
  }

  private async list(meant: Extract<Understanding, { kind: 'list' }>, turn: Turn): Promise<Reply> {
    this.requireTeam(turn.actor);
    const register = this.requireRegister();
    const today = todayIn(turn.now, this.timeZone(turn));
    const titles: Record<ListStatus, string> = {
      open: 'Open requests',
      overdue: 'Overdue requests',
      all: 'All requests',
      closed: 'Closed requests',
    };
    const days = meant.dueBy ? daysBetween(today, meant.dueBy) : undefined;
    let title = meant.dueBy ? `Requests due within ${days} days (by ${meant.dueBy})` : titles[meant.status];
    if (meant.unassigned) title = `${title} with no owner`;
    if (meant.regime) title = `${title} under ${REGIME_LABELS[meant.regime]}`;
    if (meant.mine) title = `${title} owned by you`;
    const found = await register.list(
      {
        status: [meant.dueBy ? 'open' : meant.status],
        ...(meant.mine ? { owner: turn.actor.name } : {}),
        ...(days !== undefined ? { dueWithinDays: days } : {}),
      },
      turn.now,
    );
    const requests = found.filter(
      (r) => (!meant.regime || r.regime === meant.regime) && (!meant.unassigned || !r.owner),
    );
    const views = requests.slice(0, 50).map((r) => this.view(r, turn, undefined));
    const more = requests.length > 50 ? ` (first 50 of ${requests.length})` : '';
    const list: Block = {
      kind: 'request-list',
      title: `${title}${more}`,
      requests: views,
      empty: 'Nothing here.',
    };
    if (!meant.count) return reply([list]);
    const n = requests.length;
    return reply([text(`${n} ${n === 1 ? 'request' : 'requests'}.`), list]);
  }

  /**
   * The id a person meant: a full id, a number ("0003", "#3": this year's first), "it", a
   * requester's name or a description. `verb` says among which requests a name or a description
   * is looked up: closed ones to reopen, open ones otherwise (a "show" falls back to closed ones).
   */
  private async resolve(ref: RequestRef, turn: Omit<Turn, 'text'>, verb?: Verb): Promise<string> {
    if ('id' in ref) return ref.id.toUpperCase();
    if ('name' in ref) return this.resolveName(ref.name, turn, verb === 'reopen' ? 'closed' : 'open', verb);
    if ('match' in ref) return this.resolveMatch(ref.match, turn, verb);
    if ('it' in ref) {
      const last = this.lastShown.get(turn.actor.id);
      if (!last)
        throw new AppError(
          'INVALID_INPUT',
          'Which request do you mean? Give its number, e.g. "extend 0001".',
        );
      return last;
    }
    const register = this.requireRegister();
    const year = Number(todayIn(turn.now, this.timeZone(turn)).slice(0, 4));
    const id = (y: number) => `DSR-${y}-${String(ref.number).padStart(4, '0')}`;
    // Numbers restart every year: this year's request, else the latest earlier one with it.
    for (let y = year; y >= year - 5; y--) {
      try {
        return (await register.get(id(y))).id;
      } catch (error) {
        if (toAppError(error).code !== 'NOT_FOUND') throw error;
      }
    }
    return id(year);
  }

  /** The requests a name or description is looked up among. */
  private async pool(among: 'open' | 'refused' | 'closed', now: Date): Promise<RequestState[]> {
    const register = this.requireRegister();
    if (among === 'open') return register.list({ status: ['open'] }, now);
    const closed = await register.list({ status: ['closed'] }, now);
    return among === 'closed' ? closed : closed.filter((s) => s.outcome === 'rejected');
  }

  /**
   * The request whose requester has this name, read from the register's personal records: the
   * whole name, or its first or last name ("kevin's request", "tom withdrew"), accents aside; a
   * whole name that fits wins over a part. The name is personal data: it is never logged, nor said
   * back (only ids are). Several that fit are asked about, with their ids.
   */
  private async resolveName(
    name: string,
    turn: Omit<Turn, 'text'>,
    among: 'open' | 'refused' | 'closed' = 'open',
    verb?: Verb,
  ): Promise<string> {
    this.requireTeam(turn.actor);
    const register = this.requireRegister();
    const want = nameWords(name);
    let open = await this.pool(among, turn.now);
    const fitting = async (requests: RequestState[]) => {
      const people = await register.requesters(requests);
      const names = new Map(requests.map((s) => [s.id, nameWords(people.get(s.id)?.name ?? '')]));
      const whole = requests.filter((s) => names.get(s.id)!.join(' ') === want.join(' '));
      return whole.length > 0 ? whole : requests.filter((s) => containsRun(names.get(s.id)!, want));
    };
    let found = await fitting(open);
    // "show" a request that is closed already: looked up among the closed ones too.
    if (found.length === 0 && verb === 'show' && among === 'open') {
      open = await this.pool('closed', turn.now);
      found = await fitting(open);
    }
    const ids = found.map((s) => s.id);
    if (ids.length === 1) return ids[0]!;
    // None: nothing is done (never the request shown last instead); asked which, with the open ids.
    if (ids.length === 0) {
      const some = open.slice(0, NAME_CHOICES).map((s) => s.id);
      // Which ones there are to choose from: the open ones, or those refused.
      const more = open.length > some.length ? ', …' : '';
      throw new AppError(
        'INVALID_INPUT',
        `No request ${among === 'open' ? 'is open' : 'was refused'} for a requester of that name, so nothing was changed.${some.length ? ` Which one did you mean? ${among === 'open' ? 'Open' : 'Refused'}: ${some.join(', ')}${more}.` : ''} Type "requests all" (or "list") to see them all.`,
      );
    }
    throw new AppError(
      'INVALID_INPUT',
      `More than one ${among === 'refused' ? 'refused' : among} request has a requester of that name: ${this.choices(found, turn)}. Which one? For example: "show ${ids[0]}".`,
    );
  }

  /**
   * The request a description fits ("the uk one", "the german deletion request", "the overdue
   * one"): one is acted on; several are asked about, each listed; none is said, with how to list.
   */
  private async resolveMatch(match: RequestMatch, turn: Omit<Turn, 'text'>, verb?: Verb): Promise<string> {
    this.requireTeam(turn.actor);
    const today = todayIn(turn.now, this.timeZone(turn));
    const among = verb === 'reopen' ? 'closed' : 'open';
    let found = (await this.pool(among, turn.now)).filter((s) => fits(s, match, today));
    if (found.length === 0 && verb === 'show')
      found = (await this.pool('closed', turn.now)).filter((s) => fits(s, match, today));
    if (found.length === 1) return found[0]!.id;
    const what = `"${match.said.slice(0, 60)}"`;
    if (found.length === 0)
      throw new AppError(
        'INVALID_INPUT',
        `No request that is ${among} fits ${what}, so nothing was changed. Type "requests all" (or "list") to see them all, then name one by its number.`,
      );
    throw new AppError(
      'INVALID_INPUT',
      `${found.length} ${among} requests fit ${what}: ${this.choices(found, turn)}. Which one? Name it by its number, e.g. "${verb ?? 'show'} ${found[0]!.id}".`,
    );
  }

  /**
   * "put anna on the last two": the open requests logged last, each handed over through the
   * register (one audit entry each), and each said back by id and kind.
   */
  private async assignLast(count: number, said: string | undefined, turn: Turn): Promise<Reply> {
    const register = this.requireRegister();
    const owner = said === 'me' ? turn.actor.name : said;
    if (!owner)
      throw new AppError('INVALID_INPUT', 'Who should own them? e.g. "assign the last two to @alice".');
    const open = (await this.pool('open', turn.now)).sort((a, b) => b.id.localeCompare(a.id));
    if (open.length < count)
      throw new AppError(
        'INVALID_INPUT',
        `Only ${open.length} open request${open.length === 1 ? ' is' : 's are'} in the register, so nothing was changed. Type "requests all" to see them.`,
      );
    const ctx = { actor: turn.actor.name, now: turn.now };
    const lines: string[] = [];
    for (const s of open.slice(0, count).reverse()) {
      const state = await register.assign(s.id, owner, ctx);
      const where = state.region ? `${state.country}-${state.region}` : state.country;
      lines.push(`${state.id} (${state.type}${where ? `, ${where}` : ''}): now owned by ${owner}`);
    }
    return reply([text(`Handed over the ${count} requests logged last:\n${lines.join('\n')}`)]);
  }

  /** Requests to choose from, by what they are (never their requester): id, type, law, place, due. */
  private choices(found: RequestState[], turn: Omit<Turn, 'text'>): string {
    const shown = found.slice(0, NAME_CHOICES).map((s) => {
      const v = this.view(s, turn, undefined);
      const where = s.region ? `${s.country}-${s.region}` : s.country;
      return `${s.id} (${s.type}, ${v.regimeLabel}${where ? `, ${where}` : ''}, due ${v.due}, owner ${s.owner ?? 'unassigned'})`;
    });
    return `${shown.join('; ')}${found.length > NAME_CHOICES ? '; …' : ''}`;
  }

  private async change(meant: RequestCommand, turn: Turn): Promise<Reply> {
    this.requireTeam(turn.actor);
    const register = this.requireRegister();
    if (meant.verb === 'assign' && 'match' in meant.ref && meant.ref.match.lastLogged)
      return this.assignLast(meant.ref.match.lastLogged, meant.owner, turn);
    const id = await this.resolve(meant.ref, turn, meant.verb);
    const ctx = { actor: turn.actor.name, now: turn.now };
    const note = meant.note;
    // A note or reason is requester data: said back only where the requester may be seen.
    const mayShow = maySeeRequesterData(turn.audience);
    let state: RequestState;
    switch (meant.verb) {
      case 'show': {
        const detail = await register.show(id);
        this.lastShown.set(turn.actor.id, detail.request.id);
        const view = this.view(detail.request, turn, detail.requester);
        // Notes and reasons are requester data too: shown only where the requester may be.
        const trail = detail.trail.map((e) => ({
          at: e.at,
          actor: e.actor,
          // A handover names the new owner (a staff id, not the requester's data): "assigned to bob".
          action: e.action === 'assigned' && e.after.owner ? `assigned to ${e.after.owner}` : e.action,
          text: mayShow ? e.text : null,
        }));
        return reply([
          { kind: 'request', request: view, trail },
          { kind: 'actions', buttons: this.buttons(detail.request) },
        ]);
      }
      case 'assign': {
        const owner = meant.owner === 'me' ? turn.actor.name : meant.owner;
        if (!owner) throw new AppError('INVALID_INPUT', `Who should own it? e.g. "assign ${id} @alice".`);
        state = await register.assign(id, owner, ctx);
        break;
      }
      case 'extend': {
        state = await register.extend(id, ctx, note);
        this.lastShown.set(turn.actor.id, state.id);
        const view = this.view(state, turn, undefined);
        const why = !note
          ? ''
          : mayShow
            ? ` Reason: "${note}" (in the audit trail).`
            : ' The reason is in the audit trail.';
        return reply([
          text(
            `${state.id}: extend done, now due ${view.due} (${stripStop(view.dueRule)}); it is ${about(state)}.${why}`,
          ),
          { kind: 'request', request: view },
          { kind: 'actions', buttons: this.buttons(state) },
        ]);
      }
      case 'note': {
        if (!note)
          throw new AppError(
            'INVALID_INPUT',
            `What should the note on ${id} say? e.g. "note on ${id}: ID checked".`,
          );
        state = await register.note(id, ctx, note);
        this.lastShown.set(turn.actor.id, state.id);
        return reply([
          text(
            `${state.id}: note added to the audit trail${mayShow ? `: "${note}"` : ''}. Nothing else changed on ${about(state)} (status ${state.status}).`,
          ),
        ]);
      }
      case 'pause': {
        // Where the law does not stop the clock (EU GDPR art. 12(3) counts from receipt; only UK
        // GDPR art. 12A lets the clock wait for a clarification), the register records the wait.
        const held = await register.hold(id, ctx, note);
        if (!held.clockStopped) return this.waited(held.state, turn, true);
        state = held.state;
        break;
      }
      case 'resume': {
        const released = await register.release(id, ctx, note);
        if (!released.clockStopped) return this.waited(released.state, turn, false);
        state = released.state;
        break;
      }
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
        if (!meant.outcome)
          throw new AppError('INVALID_INPUT', `Close ${id} as completed, rejected or withdrawn?`);
        state = await register.closeRequest(id, meant.outcome, ctx, note);
        break;
      }
    }
    this.lastShown.set(turn.actor.id, state.id);
    const view = this.view(state, turn, undefined);
    return reply([
      text(`${state.id}: ${meant.verb} done: ${about(state)} is now ${DONE[meant.verb](state)}.`),
      { kind: 'request', request: view },
      { kind: 'actions', buttons: this.buttons(state) },
    ]);
  }

  /**
   * The reply to a wait on the requester recorded (or ended) under a law without a stop-the-clock
   * rule: says plainly that the legal deadline keeps running, with the rule that sets it.
   */
  private waited(state: RequestState, turn: Turn, started: boolean): Reply {
    this.lastShown.set(turn.actor.id, state.id);
    const view = this.view(state, turn, undefined);
    const law = REGIME_LABELS[state.regime];
    const said = started
      ? `${described(state)}: recorded as on hold, waiting on the requester (in the audit trail). The legal deadline keeps running: the ${law} has no stop-the-clock rule (${view.dueSource}), so it is still due ${view.due}. When they reply, say "resume ${state.id}" or "ID came in for ${state.id}".`
      : `${described(state)}: no longer waiting on the requester (in the audit trail). The deadline never stopped: it is still due ${view.due}.`;
    return reply([
      text(said),
      { kind: 'request', request: view },
      { kind: 'actions', buttons: this.buttons(state) },
    ]);
  }

  /**
   * Puts right the day a logged request arrived, through the register's audited change; the reply
   * says the old and new day and the deadline recomputed from it.
   */
  private async redate(meant: Extract<Understanding, { kind: 'redate' }>, turn: Turn): Promise<Reply> {
    this.requireTeam(turn.actor);
    const register = this.requireRegister();
    const id = await this.resolve(meant.ref, turn);
    const was = await register.get(id);
    const state = await register.changeReceived(id, meant.received, {
      actor: turn.actor.name,
      now: turn.now,
    });
    this.lastShown.set(turn.actor.id, state.id);
    const view = this.view(state, turn, undefined);
    return reply([
      text(
        `${described(state)}: received date changed from ${was.received} to ${state.received}; now due ${view.due} (was ${was.deadlines.due}): ${stripStop(view.dueRule)}. The audit trail records the change.`,
      ),
      { kind: 'request', request: view },
      { kind: 'actions', buttons: this.buttons(state) },
    ]);
  }

  /** Puts right the name or email of a logged request, through the register's audited change. */
  private async editRequester(meant: Extract<Understanding, { kind: 'edit' }>, turn: Turn): Promise<Reply> {
    this.requireTeam(turn.actor);
    const id = await this.resolve(meant.ref, turn);
    const state = await this.requireRegister().changeRequester(id, meant.fields, {
      actor: turn.actor.name,
      now: turn.now,
    });
    this.lastShown.set(turn.actor.id, state.id);
    const { name, email, phone, address } = meant.fields;
    const what = [
      name ? 'name' : '',
      email ? 'email' : '',
      phone ? 'phone number' : '',
      address ? 'postal address' : '',
    ]
      .filter(Boolean)
      .join(' and ');
    // The new value is requester data: repeated only where the requester may be seen.
    const shown = maySeeRequesterData(turn.audience) ? ` to ${email ?? phone ?? address ?? name}` : '';
    return reply(
      [text(`${state.id}: the requester's ${what} changed${shown}; the audit trail records the change.`)],
      { personal: shown !== '' },
    );
  }

  private buttons(state: RequestState): ActionButton[] {
    const open = ['received', 'identity-verified', 'in-progress', 'paused'].includes(state.status);
    if (!open) return [];
    const out: ActionButton[] = [];
    if (state.status !== 'in-progress' && state.status !== 'paused')
      out.push({ action: 'request.start', label: 'Start work', value: state.id });
    if (state.status === 'paused' || state.waitingSince)
      out.push({ action: 'request.resume', label: 'Resume', value: state.id });
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
    requester: Requester | null | undefined,
  ): RequestView {
    const today = todayIn(turn.now, turn.actor.timeZone ?? this.options.defaultTimeZone);
    const response = state.deadlines.deadlines.find((d) => d.kind === 'response');
    const mayShow = maySeeRequesterData(turn.audience);
    // Waiting on the requester (the deadline runs on), or paused where the law stops the clock.
    const onHold = state.waitingSince
      ? { since: state.waitingSince, clockStopped: false }
      : state.status === 'paused' && state.pausedOn
        ? { since: state.pausedOn, clockStopped: true }
        : undefined;
    return {
      id: state.id,
      type: state.type,
      regime: state.regime,
      regimeLabel: REGIME_LABELS[state.regime],
      // An open request that was extended says so beside where it stands ("received, extended").
      status: state.extensions > 0 && isOpen(state.status) ? `${state.status}, extended` : state.status,
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
      ...(onHold ? { onHold: { ...onHold, days: Math.max(0, daysBetween(onHold.since, today)) } } : {}),
      ...(mayShow && requester !== undefined ? { requester } : {}),
    };
  }
}

/**
 * A request as its id and what it is, never who made it ("DSR-2026-0002 (opt-out-of-sale, US state
 * privacy law, US-TX)"): every change says it, so a change made to the wrong request is seen.
 */
function described(s: RequestState): string {
  const where = s.region ? `${s.country}-${s.region}` : s.country;
  return `${s.id} (${s.type}, ${REGIME_LABELS[s.regime]}${where ? `, ${where}` : ''})`;
}

/** A request's kind in words, never who made it: "the access request under the EU GDPR (DE)". */
function about(s: RequestState): string {
  const where = s.region ? `${s.country}-${s.region}` : s.country;
  return `the ${s.type} request under the ${REGIME_LABELS[s.regime]}${where ? ` (${where})` : ''}`;
}

/** What a change did, in words, said after the request it was made to. */
const DONE: Record<Verb, (s: RequestState) => string> = {
  show: () => 'shown',
  start: () => 'in progress',
  assign: (s) => `owned by ${s.owner ?? 'nobody'}`,
  extend: (s) => `extended, due ${s.deadlines.due}`,
  pause: () => 'on hold, its clock stopped',
  resume: () => 'running again',
  verify: () => 'verified',
  reopen: () => 'reopened',
  close: (s) => `closed as ${s.outcome ?? s.status}`,
  note: () => 'note added',
};

/** A name as words to compare: lower case, accents and punctuation aside ("Müller" = "muller"). */
function nameWords(name: string): string[] {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}'’-]+/u)
    .filter(Boolean);
}

/** Whether `words` holds `part` as consecutive words ("maria" in "maria lopez"). */
function containsRun(words: string[], part: string[]): boolean {
  if (part.length === 0) return false;
  for (let i = 0; i + part.length <= words.length; i++)
    if (part.every((w, j) => words[i + j] === w)) return true;
  return false;
}

/** Whether a request is what a description says: each thing said must fit. */
function fits(s: RequestState, m: RequestMatch, today: string): boolean {
  if (m.receivedDaysAgo !== undefined && s.received !== addDays(today, -m.receivedDaysAgo)) return false;
  if (m.regime && s.regime !== m.regime) return false;
  if (m.type && s.type !== m.type) return false;
  if (m.country && s.country !== m.country) return false;
  // A region said (a US state, a UK nation) must be the request's, where it records one.
  if (m.region && (s.region ? s.region !== m.region : s.country === 'US')) return false;
  switch (m.status) {
    case 'overdue':
      return isOpen(s.status) && s.status !== 'paused' && s.deadlines.due < today;
    case 'unassigned':
      return !s.owner;
    case 'on-hold':
      return s.status === 'paused' || Boolean(s.waitingSince);
    case 'in-progress':
      return s.status === 'in-progress';
    case 'extended':
      return s.extensions > 0;
    default:
      return true;
  }
}

export type { Audience };

// Where channels have always found them.
export { COMMANDS, plainText };

/** Whether a name quoted as the old one ("not Lee", "not Jane Roe") is a draft's name or a word of it. */
function nameQuoted(name: string, was: string): boolean {
  const plain = (v: string) =>
    v
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .split(/[\s,.]+/)
      .filter(Boolean);
  const have = plain(name);
  const quoted = plain(was);
  return quoted.length > 0 && quoted.every((w) => have.includes(w));
}

/** A queued draft in one line: its type, requester (where they may be shown) and law. */
function queuedLine(f: DraftFields, mayShow: boolean): string {
  const who = mayShow && f.name ? ` from ${f.name}` : '';
  const law = f.regime ? REGIME_LABELS[f.regime] : 'law not given yet';
  return `${f.type ?? 'type not given yet'} request${who}, received ${f.received ?? 'today'}, ${law}`;
}
