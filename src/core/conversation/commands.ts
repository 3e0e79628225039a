import { ask, clarify, deadline, NO_FORM, SMALLTALK } from './answers.js';
import { VERBS } from './command-words.js';
import { type EngineContext, reply, text } from './context.js';
import { deskAction } from './desk-actions.js';
import { correct, type Draft } from './draft.js';
import { correctNamed, queueIntake, replaceIntake } from './draft-queue.js';
import { alreadyLogged, cancelIntake, confirmIntake, linkAppeal, showDraft } from './intake-flow.js';
import { list, reminders, snooze } from './lists.js';
import type { Reply, Turn } from './reply.js';
import {
  assignCommand,
  editRequester,
  extendRequest,
  lifecycleStep,
  noteRequest,
  onRequest,
  pauseRequest,
  type RequestCommand,
  type RequestHandler,
  redate,
  resumeRequest,
  showRequest,
} from './request-commands.js';
import type { Understanding, Verb } from './understand.js';

/**
 * The commands as data (issue 13): one table says, for each command, its line in `help`, who may
 * use it, which understood lines and which buttons it handles, and its handler. The engine looks
 * a typed line or a button press up here and calls the handler; `help` and the typo hint read the
 * same table.
 */

/** A command's line in `help`: how it is typed, what it does, and whether only the team sees it. */
export interface HelpLine {
  usage: string;
  what: string;
  team?: boolean;
}

/** What a command gets for a typed line: the line as understood, and the actor's draft as the line found it. */
export interface Step<M extends Understanding = Understanding> {
  ctx: EngineContext;
  meant: M;
  turn: Turn;
  /** The draft waiting for an answer, if any. */
  draft?: Draft;
  /** The draft as stored: also one logged a moment ago (`loggedAs`). */
  stored?: Draft;
}

/** A button of a command: whether its press writes, and what the press does (its value is never read as typed text). */
export interface Button {
  /** It writes (the register, a snooze): a channel acknowledges it only once the engine has answered. */
  writes?: boolean;
  press(ctx: EngineContext, value: string, turn: Turn, action: string): Promise<Reply> | Reply;
}

/**
 * One command: its help line, who may use it, the understood lines it handles (`understand.ts`
 * reads the words; this table says what each reading does) and its buttons.
 */
export interface Command {
  /** Its line in `help`; absent for what help does not list (a yes, small talk, a question asked back). */
  help?: { usage: string; what: string };
  /**
   * `only`: for the privacy team alone, refused to anyone else before it runs (typed or pressed).
   * `listed`: listed for the team only, but anyone may type it and the command answers them its
   * own way (the policy, how reminders go out, an appeal's lookup refused).
   */
  team?: 'only' | 'listed';
  /** The kind of understood line it handles, with the verbs for a request command; absent: buttons only. */
  kind?: Understanding['kind'];
  verbs?: readonly Verb[];
  /** Which lines of that kind are its own, when two commands share a kind. */
  when?: (meant: Understanding) => boolean;
  /** A draft that waits is not mentioned after its reply: it answers the draft itself (or is help). */
  quietAboutDraft?: boolean;
  run?: (step: Step) => Promise<Reply> | Reply;
  /** Its buttons, by action id. */
  buttons?: Readonly<Record<string, Button>>;
}

type Of<K extends Understanding['kind']> = Extract<Understanding, { kind: K }>;

/** A command typed by the kind of line it handles, so that its `run` gets that kind of line. */
function command<K extends Understanding['kind']>(
  c: Omit<Command, 'kind' | 'run' | 'when'> & {
    kind: K;
    when?: (meant: Of<K>) => boolean;
    run: (step: Step<Of<K>>) => Promise<Reply> | Reply;
  },
): Command {
  // Safe: commandFor gives a command only lines of its own kind (and `when`).
  return c as unknown as Command;
}

/** A request command on the request its button carries (`value` is its id), with `extra` said. */
function pressOn(
  run: (step: Step<RequestCommand>) => Promise<Reply>,
  verb: Verb,
  extra: Partial<RequestCommand> = {},
) {
  return (ctx: EngineContext, value: string, turn: Turn) =>
    run({ ctx, turn, meant: { kind: 'request', verb, ref: { id: value }, ...extra } });
}

/** A command on one request, named in the line: `verbs` are the request verbs it handles. */
function onOne(verbs: readonly Verb[], handler: RequestHandler) {
  const run = ({ ctx, meant, turn }: Step<RequestCommand>) => onRequest(handler)(ctx, meant, turn);
  return { kind: 'request' as const, verbs, team: 'only' as const, run };
}

/** A new request in one line (or an appeal): queued behind a draft that waits, else shown as the draft. */
async function newDraft({ ctx, meant, turn, draft }: Step<Of<'intake'>>): Promise<Reply> {
  // A new request while another waits is queued behind it: neither is dropped or merged. The
  // waiting one is shown again, so that a correction typed next is seen to apply to it; the
  // new one comes next, once the waiting one is logged or dropped (or replaces it on request).
  const fields = await linkAppeal(ctx, meant.fields, turn);
  return draft ? queueIntake(ctx, fields, turn, draft) : showDraft(ctx, fields, turn);
}

const show = onOne(['show'], showRequest);
const start = onOne(['start'], lifecycleStep);
const extend = onOne(['extend'], extendRequest);
const pauseOrResume = onOne(['pause', 'resume'], (ctx, id, meant, turn) =>
  (meant.verb === 'pause' ? pauseRequest : resumeRequest)(ctx, id, meant, turn),
);
const close = onOne(['close'], lifecycleStep);
const assign = ({ ctx, meant, turn }: Step<RequestCommand>) => assignCommand(ctx, meant, turn);

/**
 * Every command: its help line, who may use it, what it handles and its buttons. A typed line
 * goes to the first command of its kind (and verb) that takes it; a button press to the command
 * whose button it is. `help` lists the help lines in this order. Everyday wording works too
 * (`understand.ts`): "mark 0003 done", "what's due this week", "new DSAR from jane@example.com,
 * she's in Spain".
 */
export const TABLE: readonly Command[] = [
  command({
    help: {
      usage: '<question>',
      what: 'answer from the privacy policy, with quotes (e.g. "how long do we keep technical logs?")',
    },
    kind: 'question',
    run: ({ ctx, meant, turn }) => ask(ctx, meant.text, turn),
  }),
  command({
    help: { usage: 'request', what: 'log a rights request (a form in Slack and Teams)' },
    kind: 'form',
    run: () => reply([text(NO_FORM)]),
  }),
  command({
    help: {
      usage: 'log <type> request from <name> <email> received <date> in <country or US state>',
      what: 'log a request in one line (e.g. "new DSAR from maria@example.es, arrived Monday, she\'s in Spain"); a phone number or postal address does instead of the email ("sar by post from John Smith, 1 Main Road, Dublin"); you see every field and the exact deadline, then say yes, no, or correct any field',
    },
    kind: 'intake',
    when: (meant) => !meant.fields.appealOf,
    quietAboutDraft: true,
    run: newDraft,
  }),
  command({
    help: {
      usage: 'appeal 0001 received <date>',
      what: 'log an appeal of a refusal, linked to that request ("the customer appealed our refusal of #4"); US state laws; you see the appeal\'s deadline first',
    },
    // Looking up the appealed request is the team's: `linkAppeal` refuses anyone else.
    team: 'listed',
    kind: 'intake',
    quietAboutDraft: true,
    run: newDraft,
  }),
  command({
    help: {
      usage: 'deadline <law> <YYYY-MM-DD> [country]',
      what: 'the legal response deadline, with the rule (e.g. "deadline gdpr 2026-01-31 DE", "ccpa deadline if received today", "deadline ccpa today opt-out")',
    },
    kind: 'deadline',
    run: ({ ctx, meant, turn }) => deadline(ctx, meant, turn),
  }),
  command({
    help: {
      usage: 'requests [mine|open|overdue|due soon|all] [law]',
      what: 'list requests (e.g. "my requests", "what\'s due this week", "anything overdue?", "requests open gdpr")',
    },
    team: 'listed',
    kind: 'list',
    // "anything under ccpa?" from someone outside the privacy team asks the policy.
    run: ({ ctx, meant, turn }) =>
      meant.byLaw && !turn.actor.isPrivacyTeam ? ask(ctx, turn.text, turn) : list(ctx, meant, turn),
  }),
  command({
    help: {
      usage: 'show 0001',
      what: 'a request with its audit trail; name it by id (DSR-2026-0001), number (0001, #1), "it", its requester ("maria\'s request") or what it is ("the texas one"; several that fit are asked about)',
    },
    ...show,
    buttons: { 'request.show': { press: pressOn(show.run, 'show') } },
  }),
  command({
    help: { usage: 'assign 0001 @person', what: 'set the owner ("I\'ll take 0001", "assign it to me")' },
    team: 'only',
    kind: 'request',
    verbs: ['assign'],
    run: assign,
    buttons: { 'request.assign-me': { writes: true, press: pressOn(assign, 'assign', { owner: 'me' }) } },
  }),
  command({
    help: { usage: 'start 0001', what: 'start work on it' },
    ...start,
    buttons: { 'request.start': { writes: true, press: pressOn(start.run, 'start') } },
  }),
  command({
    help: { usage: 'extend 0001 [reason]', what: 'extend where the law allows' },
    ...extend,
    buttons: { 'request.extend': { writes: true, press: pressOn(extend.run, 'extend') } },
  }),
  command({
    help: {
      usage: 'pause 0001 [reason] / resume 0001',
      what: 'stop and restart the clock where the law allows ("put #1 on hold")',
    },
    ...pauseOrResume,
    buttons: { 'request.resume': { writes: true, press: pressOn(pauseOrResume.run, 'resume') } },
  }),
  command({
    help: {
      usage: 'close 0001 completed|rejected|withdrawn [note]',
      what: 'close with an outcome ("mark 0001 done", "reject 0001", "withdraw 0001")',
    },
    ...close,
    buttons: {
      'request.close': { writes: true, press: pressOn(close.run, 'close', { outcome: 'completed' }) },
    },
  }),
  command({
    help: { usage: 'reopen 0001', what: 'reopen a closed request' },
    ...onOne(['reopen'], lifecycleStep),
  }),
  command({
    help: {
      usage: 'note 0001: <text>',
      what: 'add a note to the audit trail ("note on 2: verified id via passport"); nothing else changes',
    },
    ...onOne(['note'], noteRequest),
  }),
  command({
    help: {
      usage: 'reminders',
      what: 'how reminders go out and what they are about now ("send the reminders")',
    },
    // Anyone is told how reminders go out; the list of what they are about is the team's.
    team: 'listed',
    kind: 'reminders',
    run: ({ ctx, turn }) => reminders(ctx, turn),
    // The Snooze button on a reminder; `snooze` lets only the team press it.
    buttons: { 'request.snooze': { writes: true, press: (ctx, value, turn) => snooze(ctx, value, turn) } },
  }),
  command({ help: { usage: 'help', what: 'this list' }, kind: 'help', quietAboutDraft: true, run: help }),
  // Not listed by help: the lifecycle verb "verify", a draft's answers, requests put right, small talk.
  command(onOne(['verify'], lifecycleStep)),
  command({
    kind: 'confirm',
    quietAboutDraft: true,
    run: ({ ctx, turn, draft, meant }) => confirmIntake(ctx, turn, draft, meant.named),
    buttons: { 'intake.confirm': { writes: true, press: (ctx, _value, turn) => confirmIntake(ctx, turn) } },
  }),
  command({
    kind: 'cancel',
    quietAboutDraft: true,
    run: ({ ctx, turn, draft }) => cancelIntake(ctx, turn, draft),
    buttons: { 'intake.cancel': { press: (ctx, _value, turn) => cancelIntake(ctx, turn) } },
  }),
  command({
    kind: 'replace',
    quietAboutDraft: true,
    run: ({ ctx, turn, draft }) => replaceIntake(ctx, turn, draft),
  }),
  command({ kind: 'correct', quietAboutDraft: true, run: correctDraft }),
  command({ kind: 'edit', team: 'only', run: ({ ctx, meant, turn }) => editRequester(ctx, meant, turn) }),
  command({ kind: 'redate', team: 'only', run: ({ ctx, meant, turn }) => redate(ctx, meant, turn) }),
  command({ kind: 'clarify', run: ({ ctx, meant, turn }) => clarify(ctx, meant, turn) }),
  command({ kind: 'smalltalk', run: smalltalk }),
  {
    // A draft from the privacy mailbox or the intake webhook, in the privacy channel: its buttons.
    buttons: {
      'mail.log': { writes: true, press: onDesk },
      'mail.edit': { press: onDesk },
      'mail.dismiss': { writes: true, press: onDesk },
    },
  },
];

function onDesk(ctx: EngineContext, value: string, turn: Turn, action: string): Promise<Reply> {
  return deskAction(ctx, action, value, turn);
}

/** A correction of the draft; "the name's spelled Sam Li not Lee": the old name quoted says which draft. */
async function correctDraft({ ctx, meant, turn, draft }: Step<Of<'correct'>>): Promise<Reply> {
  if (draft && meant.was) return correctNamed(ctx, meant.fields, meant.was.name, turn, draft);
  const fields = draft ? correct(draft.fields, meant.fields) : meant.fields;
  return showDraft(ctx, await linkAppeal(ctx, fields, turn), turn, draft?.id, draft?.queued);
}

async function smalltalk({ ctx, meant, turn, stored }: Step<Of<'smalltalk'>>): Promise<Reply> {
  // A second "yes" (a retry, or one another replica answered): say what it became.
  if (meant.what === 'no-draft' && stored?.loggedAs) return alreadyLogged(ctx, stored.loggedAs, turn);
  // A line not understood may have meant another request ("parking 2 …" once was): an "it"
  // said next would then name an older one, so the focus is dropped and "it" is asked about.
  if (meant.what === 'noise') ctx.lastShown.delete(turn.actor.id);
  return reply([text(SMALLTALK[meant.what])]);
}

/** The help lines, in the table's order: what `help` lists, and the typo hint's words. */
export const COMMANDS: readonly HelpLine[] = TABLE.flatMap((c) =>
  c.help ? [{ ...c.help, ...(c.team ? { team: true } : {}) }] : [],
);

/** `help`: the help lines this actor may use; the team's are listed for the team only. */
function help({ turn }: Step): Reply {
  const { actor } = turn;
  const lines = COMMANDS.filter((c) => !c.team || actor.isPrivacyTeam).map((c) => `• ${c.usage} — ${c.what}`);
  if (!actor.isPrivacyTeam) lines.push('Listing, viewing and changing requests is for the privacy team.');
  return reply([text(`Here is what I can do:\n${lines.join('\n')}`)]);
}

/** The command a typed line goes to: the first of its kind (and verb) that takes it. */
export function commandFor(meant: Understanding): Command | undefined {
  return TABLE.find(
    (c) =>
      c.kind === meant.kind &&
      (!c.verbs || (meant.kind === 'request' && c.verbs.includes(meant.verb))) &&
      (!c.when || c.when(meant)),
  );
}

/** The command a button belongs to, with the button. */
export function buttonFor(action: string): { command: Command; button: Button } | undefined {
  for (const c of TABLE) {
    const button = c.buttons?.[action];
    if (button) return { command: c, button };
  }
  return undefined;
}

/**
 * Buttons whose press writes something (the register, or a reminder snooze). A channel must not
 * acknowledge such a press before the engine's `act` has returned: the change is then stored, or
 * the reply says what failed (issue 11: nothing acknowledged is lost).
 */
export const WRITING_ACTIONS: ReadonlySet<string> = new Set(
  TABLE.flatMap((c) => Object.entries(c.buttons ?? {}).flatMap(([action, b]) => (b.writes ? [action] : []))),
);

/** Edit distance counting a swap of neighbours as one edit ("shwo" is one step from "show"). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** The usages of the table, each alternative apart ("pause 0001 [reason] / resume 0001" is two). */
const USAGES = COMMANDS.flatMap((c) => c.usage.split(' / ')).map((u) => u.trim().split(/\s+/));

/** The command words a request id follows in the table ("show 0001", "close 0001 …"). */
export const ID_COMMAND_WORDS: readonly string[] = [
  ...new Set(USAGES.filter((u) => u[1] === '0001' || u[1] === '0001:').map((u) => u[0]!)),
];

/** The words a guess may offer for a line with a request id: those the table or the core reads with one. */
const ID_VERBS: readonly string[] = [...new Set([...ID_COMMAND_WORDS, ...VERBS.map((v) => v.verb)])];

/**
 * Every word the typo hint counts as a command: the first word of each usage in the table, the
 * lifecycle verbs the core reads with an id (`verify` has no row of its own), and `list`.
 */
export const COMMAND_WORDS: readonly string[] = [
  ...new Set([
    ...USAGES.map((u) => u[0]!).filter((w) => /^[a-z]+$/.test(w)),
    ...VERBS.map((v) => v.verb),
    'list',
  ]),
];

/**
 * A hint for text that looks like a mistyped command rather than a question ("shwo DSR-…",
 * "reqests"); undefined when the text should go to the engine as it is. `command` is the prefix
 * commands are typed with where there is one (Slack's `/privacy`); without it the bare command is
 * named.
 */
export function commandHint(text: string, command?: string): string | undefined {
  const words = text.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const head = words[0];
  if (!head || COMMAND_WORDS.includes(head) || text.includes('?')) return undefined;
  const typed = (what: string) => (command ? `\`${command} ${what}\`` : `"${what}"`);
  const near = COMMAND_WORDS.map((w) => ({ w, d: editDistance(head, w) }))
    .filter(({ w, d }) => d <= (w.length <= 4 ? 1 : 2))
    .sort((a, b) => a.d - b.d)
    .map(({ w }) => w);
  if (/\bDSR-\d{4}-\d{4,}\b/i.test(text)) {
    const guess = near.find((w) => ID_VERBS.includes(w));
    return `I do not know "${head.slice(0, 30)}"${guess ? ` (did you mean "${guess}"?)` : ''}. With a request id I can: ${ID_COMMAND_WORDS.join(', ')}. Type ${typed('help')} for everything.`;
  }
  if (words.length === 1 && near.length > 0) {
    const choices = near
      .slice(0, 2)
      .map((w) => typed(w))
      .join(' or ');
    return `"${head.slice(0, 30)}" is not a command I know; did you mean ${choices}? To ask about it, ask a whole question (e.g. ${typed('how long do we keep logs?')}), or type ${typed('help')}.`;
  }
  return undefined;
}
