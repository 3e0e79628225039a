import { VERBS } from './vocabulary.js';

/**
 * The commands and what they do, for `help`; the first word of each usage is the command word the
 * typo hint knows. Everyday wording works too (`understand.ts`): "mark 0003 done", "what's due this
 * week", "new DSAR from jane@example.com, she's in Spain".
 */
export const COMMANDS: { usage: string; what: string; team?: boolean }[] = [
  {
    usage: '<question>',
    what: 'answer from the privacy policy, with quotes (e.g. "how long do we keep technical logs?")',
  },
  { usage: 'request', what: 'log a rights request (a form in Slack and Teams)' },
  {
    usage: 'log <type> request from <name> <email> received <date> in <country or US state>',
    what: 'log a request in one line (e.g. "new DSAR from maria@example.es, arrived Monday, she\'s in Spain"); a phone number or postal address does instead of the email ("sar by post from John Smith, 1 Main Road, Dublin"); you see every field and the exact deadline, then say yes, no, or correct any field',
  },
  {
    usage: 'appeal 0001 received <date>',
    what: 'log an appeal of a refusal, linked to that request ("the customer appealed our refusal of #4"); US state laws; you see the appeal\'s deadline first',
    team: true,
  },
  {
    usage: 'deadline <law> <YYYY-MM-DD> [country]',
    what: 'the legal response deadline, with the rule (e.g. "deadline gdpr 2026-01-31 DE", "ccpa deadline if received today", "deadline ccpa today opt-out")',
  },
  {
    usage: 'requests [mine|open|overdue|due soon|all] [law]',
    what: 'list requests (e.g. "my requests", "what\'s due this week", "anything overdue?", "requests open gdpr")',
    team: true,
  },
  {
    usage: 'show 0001',
    what: 'a request with its audit trail; name it by id (DSR-2026-0001), number (0001, #1), "it", its requester ("maria\'s request") or what it is ("the texas one"; several that fit are asked about)',
    team: true,
  },
  { usage: 'assign 0001 @person', what: 'set the owner ("I\'ll take 0001", "assign it to me")', team: true },
  { usage: 'start 0001', what: 'start work on it', team: true },
  { usage: 'extend 0001 [reason]', what: 'extend where the law allows', team: true },
  {
    usage: 'pause 0001 [reason] / resume 0001',
    what: 'stop and restart the clock where the law allows ("put #1 on hold")',
    team: true,
  },
  {
    usage: 'close 0001 completed|rejected|withdrawn [note]',
    what: 'close with an outcome ("mark 0001 done", "reject 0001", "withdraw 0001")',
    team: true,
  },
  { usage: 'reopen 0001', what: 'reopen a closed request', team: true },
  {
    usage: 'note 0001: <text>',
    what: 'add a note to the audit trail ("note on 2: verified id via passport"); nothing else changes',
    team: true,
  },
  {
    usage: 'reminders',
    what: 'how reminders go out and what they are about now ("send the reminders")',
    team: true,
  },
  { usage: 'help', what: 'this list' },
];

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
