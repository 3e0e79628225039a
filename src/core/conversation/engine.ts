import { newReference, toAppError } from '../errors.js';
import type { NewRequest } from '../requests/register.js';
import { ask, clarify, deadline, NO_FORM, SMALLTALK } from './answers.js';
import { COMMANDS } from './commands.js';
import {
  EngineContext,
  type EngineOptions,
  errorReply,
  type Pressed,
  reply,
  text,
  withNote,
} from './context.js';
import { deskAction } from './desk-actions.js';
import { correct } from './draft.js';
import { correctNamed, queueIntake, replaceIntake } from './draft-queue.js';
import { alreadyLogged, cancelIntake, confirmIntake, linkAppeal, showDraft } from './intake-flow.js';
import { list, reminders, snooze } from './lists.js';
import { plainText } from './plain-text.js';
import type { Actor, Audience, Reply, Turn } from './reply.js';
import {
  assignCommand,
  editRequester,
  extendRequest,
  lifecycleStep,
  noteRequest,
  onRequest,
  pauseRequest,
  type RequestCommand,
  redate,
  resumeRequest,
  showRequest,
} from './request-commands.js';
import { type Understanding, understand, type Verb } from './understand.js';

export type { EngineOptions } from './context.js';
export { type ParsedIntake, parseIntake } from './intake-flow.js';

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

/**
 * The one place where a message becomes a reply (see {@link EngineOptions}): it reads the line,
 * keeps the actor's draft in mind, and hands the line to its command.
 */
export class ConversationEngine {
  private readonly ctx: EngineContext;

  constructor(options: EngineOptions) {
    this.ctx = new EngineContext(options);
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
  async act(action: string, value: string, turn: Pressed): Promise<Reply> {
    const t: Turn = { ...turn, text: '' };
    const ctx = this.ctx;
    const on = (verb: Verb, extra: Partial<RequestCommand> = {}) =>
      this.change({ kind: 'request', verb, ref: { id: value }, ...extra }, t);
    try {
      switch (action) {
        case 'intake.confirm':
          return await confirmIntake(ctx, t);
        case 'intake.cancel':
          return await cancelIntake(ctx, t);
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
          return await snooze(ctx, value, turn);
        case 'mail.log':
        case 'mail.edit':
        case 'mail.dismiss':
          return await deskAction(ctx, action, value, t);
        default:
          return errorReply(
            `That button is not one I know ("${action.slice(0, 40)}"). Type "help" to see what I can do.`,
          );
      }
    } catch (error) {
      return this.failure(error);
    }
  }

  /** Logs a request from a form (Slack modal, Teams card); validated by the register. */
  async submitRequest(input: NewRequest, turn: Pressed): Promise<Reply> {
    try {
      const state = await this.ctx.requireRegister().add(input, { actor: turn.actor.name, now: turn.now });
      return this.ctx.logged(state, turn);
    } catch (error) {
      return this.failure(error);
    }
  }

  private failure(error: unknown): Reply {
    const appError = toAppError(error);
    if (appError.code === 'INTERNAL' || appError.code === 'STORE' || appError.code === 'UPSTREAM') {
      const reference = newReference();
      this.ctx.options.onError?.(appError, reference);
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

  private async route(turn: Turn): Promise<Reply> {
    const ctx = this.ctx;
    const message = turn.text.trim();
    if (!message) return reply([text('Ask me a question about the privacy policy, or type "help".')]);
    const stored = await ctx.storedDraft(turn);
    const draft = stored?.loggedAs ? undefined : stored;
    // The question "close 0003 as what?" is answered by the next line or not at all.
    const closing = ctx.askedOutcome.get(turn.actor.id);
    ctx.askedOutcome.delete(turn.actor.id);
    // A follow-up ("and under lgpd?") builds on the deadline question of the line just before.
    const asked = ctx.askedDeadline.get(turn.actor.id);
    ctx.askedDeadline.delete(turn.actor.id);
    const meant = understand(message, {
      now: turn.now,
      timeZone: ctx.timeZone(turn),
      draft: Boolean(draft),
      ...(asked ? { lastDeadline: asked } : {}),
      ...(closing ? { awaiting: { outcome: closing } } : {}),
      ...(draft?.queued?.length ? { queued: true } : {}),
    });
    switch (meant.kind) {
      case 'confirm':
        return confirmIntake(ctx, turn, draft, meant.named);
      case 'cancel':
        return cancelIntake(ctx, turn, draft);
      case 'replace':
        return replaceIntake(ctx, turn, draft);
      case 'smalltalk':
        // A second "yes" (a retry, or one another replica answered): say what it became.
        if (meant.what === 'no-draft' && stored?.loggedAs) return alreadyLogged(ctx, stored.loggedAs, turn);
        // A line not understood may have meant another request ("parking 2 …" once was): an "it"
        // said next would then name an older one, so the focus is dropped and "it" is asked about.
        if (meant.what === 'noise') ctx.lastShown.delete(turn.actor.id);
        break;
      case 'intake':
        // A new request while another waits is queued behind it: neither is dropped or merged. The
        // waiting one is shown again, so that a correction typed next is seen to apply to it; the
        // new one comes next, once the waiting one is logged or dropped (or replaces it on request).
        if (draft) return queueIntake(ctx, await linkAppeal(ctx, meant.fields, turn), turn, draft);
        return showDraft(ctx, await linkAppeal(ctx, meant.fields, turn), turn);
      case 'correct':
        // "the name's spelled Sam Li not Lee": the old name quoted says which draft it is about.
        if (draft && meant.was) return correctNamed(ctx, meant.fields, meant.was.name, turn, draft);
        return showDraft(
          ctx,
          await linkAppeal(ctx, draft ? correct(draft.fields, meant.fields) : meant.fields, turn),
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
    return withNote(
      answer,
      'A request is still waiting to be logged: say "yes" to log it, "no" to drop it, or correct it (e.g. "received yesterday").',
    );
  }

  private async answer(meant: Understanding, turn: Turn): Promise<Reply> {
    const ctx = this.ctx;
    switch (meant.kind) {
      case 'help':
        return help(turn.actor);
      case 'form':
        return reply([text(NO_FORM)]);
      case 'smalltalk':
        return reply([text(SMALLTALK[meant.what])]);
      case 'clarify':
        return clarify(ctx, meant, turn);
      case 'edit':
        return editRequester(ctx, meant, turn);
      case 'deadline':
        return deadline(ctx, meant, turn);
      case 'redate':
        return redate(ctx, meant, turn);
      case 'list':
        // "anything under ccpa?" from someone outside the privacy team asks the policy.
        if (meant.byLaw && !turn.actor.isPrivacyTeam) return ask(ctx, turn.text, turn);
        return list(ctx, meant, turn);
      case 'request':
        return this.change(meant, turn);
      case 'question':
        return ask(ctx, meant.text, turn);
      case 'reminders':
        return reminders(ctx, turn);
      default:
        return ask(ctx, turn.text, turn);
    }
  }

  private change(meant: RequestCommand, turn: Turn): Promise<Reply> {
    const ctx = this.ctx;
    switch (meant.verb) {
      case 'assign':
        return assignCommand(ctx, meant, turn);
      case 'show':
        return onRequest(showRequest)(ctx, meant, turn);
      case 'extend':
        return onRequest(extendRequest)(ctx, meant, turn);
      case 'note':
        return onRequest(noteRequest)(ctx, meant, turn);
      case 'pause':
        return onRequest(pauseRequest)(ctx, meant, turn);
      case 'resume':
        return onRequest(resumeRequest)(ctx, meant, turn);
      default:
        return onRequest(lifecycleStep)(ctx, meant, turn);
    }
  }
}

function help(actor: Actor): Reply {
  const lines = COMMANDS.filter((c) => !c.team || actor.isPrivacyTeam).map((c) => `• ${c.usage} — ${c.what}`);
  if (!actor.isPrivacyTeam) lines.push('Listing, viewing and changing requests is for the privacy team.');
  return reply([text(`Here is what I can do:\n${lines.join('\n')}`)]);
}

export type { Audience };

// Where channels have always found them.
export { COMMANDS, plainText };
