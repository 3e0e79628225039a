/**
 * The words of answers and small talk: yes and no to a waiting draft ("ok log it", "nah scrap
 * that"), praise, greetings, thanks, acknowledgements and help, as data.
 */

/** Words that by themselves say yes to a waiting draft. */
export const YES_WORDS = new Set(
  'y yes yep yeah yup ya yea sure ok okay k kk confirm confirmed correct right fine good great perfect lgtm 👍 ✅ ✔ log save go do file submit proceed record'.split(
    ' ',
  ),
);
/**
 * Words of logging that, said with a yes and a name, make the line a yes to the draft of that name
 * ("ok yes save klaus", "yep, log jane roe's", "go ahead with jane"); the name must be the waiting
 * draft's, else nothing is logged and the reply says whose draft waits.
 */
export const LOG_WORDS = new Set('log save file record submit proceed go do enter book'.split(' '));
/** Words a named yes is said with besides the name ("the one for klaus", "go ahead with jane"). */
export const NAMED_YES_FILLER = new Set('for from of with one request draft his her their'.split(' '));
/** Words that by themselves say no to a waiting draft. */
export const NO_WORDS = new Set(
  "n no nope nah cancel cancelled scrap discard drop forget never mind don't dont stop abort not 👎 ❌".split(
    ' ',
  ),
);
/** Words that go with a yes or a no without changing it ("ok log it", "nah scrap that"). */
export const FILLER_WORDS = new Set(
  'it that this please pls ahead now then thanks thank you looks look sounds is all and just the one draft request way without a name to me'.split(
    ' ',
  ),
);
/**
 * Phrases that say yes or no as a whole, where their words alone would not ("good to go", "spot
 * on", "hold off", "bin it"): read as one yes or no word, with the fillers and yes/no words above.
 */
export const YES_PHRASES = [
  'good to go',
  'go for it',
  'go ahead',
  'ship it',
  'all good',
  "that's right",
  'thats right',
  "that's correct",
  'thats correct',
  'looks right',
  'sounds right',
  'spot on',
  'bang on',
  'make it so',
  'do it',
  'all set',
  'works for me',
  'that works',
  'yes please',
  'send it',
  'book it',
];
export const NO_PHRASES = [
  'hold off',
  'leave it',
  'bin it',
  'ditch it',
  'kill it',
  'start over',
  'start again',
  'forget it',
  'never mind',
  'nevermind',
  'not now',
  "don't bother",
  'dont bother',
  'no thanks',
  'throw it away',
  'not that',
  // Casual ways to drop what was just said ("nah scratch that", "nvm", "ignore that one").
  'scratch that',
  'scratch it',
  'scratch this',
  'nvm',
  'ignore that',
  'ignore it',
  'ignore this',
  'toss it',
  'trash it',
  'junk it',
  'skip it',
  'skip that',
  'bin that',
  'ditch that',
  'kill that',
  'drop that',
  "let's not",
  'lets not',
];

/**
 * Words that praise rather than confirm ("great", "perfect"): with no draft waiting, a line of them
 * is thanks, not a "yes" to nothing.
 */
export const PRAISE_WORDS = new Set(
  'great perfect good fine nice cool awesome brilliant lovely excellent amazing superb'.split(' '),
);

export const GREETING =
  /^(?:hi|hello|hey|hiya|howdy|yo|greetings|good (?:morning|afternoon|evening|day)|morning)\b/;
export const THANKS = /^(?:thanks|thank|thx|thnx|thanx|tks|ty|tyvm|cheers|ta)$/;
/** Words a thank-you is typed with ("hey thanks!!", "cheers mate", "thank u so much 🙏"). */
export const THANKS_WORDS = new Set(
  'thanks thank you u ya thx thnx thanx tks ty tyvm cheers ta so much a lot lots many very again appreciated appreciate it that great cool nice awesome brilliant lovely perfect hey hi oh ok okay mate man guys all team folks bot heaps tons for help the 🙏 👍 🙌 😊 🙂'.split(
    ' ',
  ),
);
export const ACK_WORDS = new Set(
  'cool nice lol haha hah hmm ah oh wow great awesome bye see you later wait hold on sec moment'.split(' '),
);
export const KEYBOARD_ROWS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'];

export const HELP =
  /^(?:(?:hi|hello|hey|hiya|yo|morning|good (?:morning|afternoon|evening))(?:\s+(?:there|bot|team|all|privacy-ops))?[\s,!.:;–—-]+)?(?:\?$|help(?: me)?|commands|menu|usage|options|what can (?:you|u|ya|this(?: thing| bot)?|it) (?:do|help (?:me )?with)|what do (?:you|u|ya) do|what can (?:you|u) help (?:me )?with|what can i (?:say|ask|do|type)(?: you)?|how do i use (?:this|you|it)|how does this work)[\s?!.]*$/;
