import { newReference, toAppError } from '../errors.js';
import type { NewRequest } from '../requests/register.js';
import { ask } from './answers.js';
import { buttonFor, COMMANDS, type Command, commandFor, type Step, WRITING_ACTIONS } from './commands.js';
import {
  EngineContext,
  type EngineOptions,
  errorReply,
  type Pressed,
  reply,
  text,
  withNote,
} from './context.js';
import { plainText } from './plain-text.js';
import type { Audience, Reply, Turn } from './reply.js';
import { understand } from './understand.js';

export type { EngineOptions } from './context.js';
export { type ParsedIntake, parseIntake } from './intake-flow.js';

/**
 * The one place where a message becomes a reply (see {@link EngineOptions}). It reads the line
 * (`understand.ts`) with the actor's draft and last question in mind, and hands it to its command
 * in the table (`commands.ts`); a button press goes to the command whose button it is. It never
 * throws: a failure becomes a short reply, with a reference when it is ours.
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

  /**
   * Handles a button press (the action id and value the channel got back from the platform): the
   * command whose button it is runs at once; its value is never read as typed text.
   */
  async act(action: string, value: string, turn: Pressed): Promise<Reply> {
    const found = buttonFor(action);
    if (!found)
      return errorReply(
        `That button is not one I know ("${action.slice(0, 40)}"). Type "help" to see what I can do.`,
      );
    try {
      this.allow(found.command, turn);
      return await found.button.press(this.ctx, value, { ...turn, text: '' }, action);
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

  /** A command for the privacy team alone is refused to anyone else before it runs. */
  private allow(command: Command, turn: Pressed): void {
    if (command.team === 'only') this.ctx.requireTeam(turn.actor);
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
    const message = turn.text.trim();
    if (!message) return reply([text('Ask me a question about the privacy policy, or type "help".')]);
    const step = await this.read(message, turn);
    const command = commandFor(step.meant);
    if (!command?.run) return ask(this.ctx, turn.text, turn);
    this.allow(command, turn);
    const answer = await command.run(step);
    // While a draft waits, anything else is answered and the draft is mentioned, never dropped.
    if (!step.draft || command.quietAboutDraft) return answer;
    return withNote(
      answer,
      'A request is still waiting to be logged: say "yes" to log it, "no" to drop it, or correct it (e.g. "received yesterday").',
    );
  }

  /** The line as understood, with the actor's draft and the question asked of them just before. */
  private async read(message: string, turn: Turn): Promise<Step> {
    const ctx = this.ctx;
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
    return { ctx, meant, turn, ...(draft ? { draft } : {}), ...(stored ? { stored } : {}) };
  }
}

export type { Audience };

// Where channels have always found them.
export { COMMANDS, plainText, WRITING_ACTIONS };
