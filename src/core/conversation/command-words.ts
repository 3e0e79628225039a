import type { Outcome } from '../requests/model.js';

/**
 * The lifecycle commands a chat line can give ("close", "extend", "assign") in everyday words, and
 * the outcomes a close is given in other words ("they dropped it"), as data.
 */

/** The lifecycle steps a chat line can ask for. */
export type Verb =
  | 'show'
  | 'start'
  | 'assign'
  | 'extend'
  | 'pause'
  | 'resume'
  | 'close'
  | 'reopen'
  | 'verify'
  | 'note';

/** Lifecycle verbs in everyday words; the earliest in the line decides. Outcome words close. */
export const VERBS: { verb: Verb; outcome?: Outcome; re: RegExp }[] = [
  // "note on 2: verified id via passport", "add a note to #3: …", "comment on 5: …": what follows is
  // the note's text, whatever verbs it holds ("verified", "refused", "sent" are its words).
  {
    verb: 'note',
    re: /^(?:please\s+)?(?:note|comment)\b|\b(?:add|put|leave|make|write|log)\s+(?:a\s+|this\s+|the\s+)?(?:note|comment)\b|\b(?:note|comment)\s+(?:on|for|to|against)\b/,
  },
  { verb: 'reopen', re: /\bre-?open(?:ed)?\b|\bopen\b.*\bagain\b/ },
  {
    verb: 'show',
    re: /\b(?:show|view|details?|status|display|look (?:up|at)|lookup|check on|what about|where are we|pull up|bring up|find)\b|\bwhen(?:'s| is)\b.*\bdue\b|\bdue date (?:on|for|of)\b|\b(?:history|audit (?:trail|log)|timeline)\b|\bwhat (?:did|have) we (?:do|done)\b|\bwhat(?:'s| has)? happened\b|\bwho(?:'s|s| is)?\s+(?:owns|has|handling|working on|on)\b(?!\s+what\b)/,
  },
  { verb: 'show', re: /^open\b/ },
  {
    verb: 'start',
    // "we're on it", "i'm on 0005 now", "on it": the speaker has taken the work up.
    re: /\b(?:start(?:ed|ing)?|begin(?:ning)?|began|work(?:ing)? on|pick(?:ed|ing)? up|kick(?:ed|ing)? off)\b|\b(?:we|i)\s*(?:'re|’re|'m|’m|\s+are|\s+am)\s+(?:now\s+)?on\s+(?=it\b|this\b|that\b|#?\d|the\b)|^(?:ok(?:ay)?[,\s]+)?on it\b/,
  },
  {
    verb: 'assign',
    // "bump 2 to priya", "pass #3 to Jonas": only with a "to" after them, as they mean other things.
    // "take it off hold" is no handover: it releases the hold.
    re: /\b(?:re)?assign(?:ed)?\b|\bgive\b|\bhand(?: over)?\b|\btake\b(?!(?:\s+[\w#-]+){0,3}\s+off\b)|\bowner\b|\b(?:bump|pass|move)\b(?=.*\bto\b)/,
  },
  {
    verb: 'extend',
    // "more time", "45 more days", "another 2 months", "push the deadline out".
    // "bump the deadline on 3", "stretch its due date": the deadline moved out.
    re: /\bextend(?:ed)?\b|\bextension\b|\b(?:more|extra|additional)\s+(?:time|days?|weeks?|months?)\b|\banother\s+(?:\d+\s+|few\s+|couple of\s+)?(?:days?|weeks?|months?)\b|\bpush(?:ed)?\b.*\b(?:out|back)\b|\bpush the deadline\b|\b(?:bump|stretch|push)(?:ed|ing)?\b(?:\s+[\w'#-]+){0,4}?\s+(?:deadline|due date)s?\b/,
  },
  {
    verb: 'resume',
    // "the ID came in for #1", "heard back on 3": what was waited for arrived.
    // "release the hold", "ID received, continue": the hold is over.
    re: /\bresume[ds]?\b|\bun-?pause[ds]?\b|\boff hold\b|\b(?:release[ds]?|lift(?:ed)?|remove[ds]?|end(?:ed)?)\s+(?:the\s+|its\s+|this\s+|that\s+)?hold\b|\bcontinue\b(?=\s*(?:[,.;!]|$|with\b|on\b))|\brestart the clock\b|\b(?:id|identity|proof(?: of \w+)?|documents?|docs|reply|answer|response)\s+(?:has\s+|have\s+)?(?:came in|come in|arrived|received|is in|are in)\b|\bheard back\b|\bgot (?:the|their|his|her) (?:id|proof|documents?|reply|answer)\b/,
  },
  {
    verb: 'pause',
    re: /\bpause[ds]?\b|\bpark(?:ed|ing|s)?\b|\bon ice\b|\bon hold\b|\bhold\b(?! on\b)|\bsuspend(?:ed)?\b|\bstop the clock\b/,
  },
  { verb: 'verify', re: /\bverif(?:y|ied)\b|\bid(?:entity)? (?:checked|confirmed)\b/ },
  {
    verb: 'close',
    outcome: 'rejected',
    re: /\b(?:reject(?:ed|ing)?|den(?:y|ied|ying)|refus(?:e|ed|ing)|declin(?:e|ed|ing))\b/,
  },
  { verb: 'close', outcome: 'withdrawn', re: /\b(?:withdr[ae]w[n]?|withdraws)\b/ },
  {
    verb: 'close',
    outcome: 'completed',
    re: /\b(?:done|complete[d]?|finish(?:ed)?|fulfill?(?:ed)?|fulfil|resolved?|answered)\b/,
  },
  { verb: 'close', re: /\bclosed?\b/ },
];

/**
 * Words of a command here that are also people's names ("Lisa Park", "Jo Close", "Kim Hold", "Ann
 * Hand", "Chase Miller"): right after a name word and not followed by what the command acts on
 * ("it", "#3", "the …"), such a word is part of the name ("lisa park is done"), never the verb; a
 * word carrying a possessive ("park's") is never a verb whatever it is.
 */
export const VERB_NAMES = new Set('park parks close hold hand chase pass start'.split(' '));

/** What a command word acts on, said right after it ("park it", "close #3", "hold the uk one"). */
export const VERB_OBJECT =
  /^\s+(?:it|its|this|that|these|those|them|the|her|his|their|my|our|#?\d|dsr-|request|req|one|on|off|until|till|for|pending|while|waiting|as|out|over|back|up|to|me)\b/;

/**
 * The outcome a closing line says in its own words ("we sent the data to 1, close it"), checked in
 * this order (a line that says both "done" and "they withdrew" was withdrawn). A word right after
 * "not", "never" or "n't" does not count ("not sent").
 */
export const OUTCOME_WORDS: { outcome: Outcome; re: RegExp }[] = [
  {
    outcome: 'withdrawn',
    re: /\b(?:withdr[ae]w[n]?|withdraws|dropped|drop(?:ped)? (?:it|the request)|no longer wants?|changed (?:their|his|her) mind|retracted|called it off)\b/,
  },
  {
    outcome: 'rejected',
    re: /\b(?:reject(?:ed|ing)?|den(?:y|ied|ying)|refus(?:e|ed|ing)|declin(?:e|ed|ing)|manifestly unfounded|unfounded|excessive|could(?:n'?t| not) verify)\b/,
  },
  {
    outcome: 'completed',
    re: /\b(?:sent|provided|delivered|fulfill?(?:ed)?|fulfil|done|complete[d]?|finish(?:ed)?|answered|responded|handed over|gave them)\b/,
  },
];
