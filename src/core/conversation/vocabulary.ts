/**
 * The words staff use for a request's details and for what they ask of the register (names,
 * addresses, phones, how it came, corrections, lists, deadlines, reminders), as data. The parser
 * (`understand.ts`) reads a line against these tables; adding a word here is the way to teach it
 * one, never a special case in the parser. Places, laws and request types, answers and commands
 * have tables of their own (`places.ts`, `law-and-type-words.ts`, `answer-words.ts`,
 * `command-words.ts`).
 */

/** Words beside a request named alone that still ask to see it ("what's the deadline for 0004?"). */
export const SHOW_ALONE = new Set(
  "what about how hows how's is the request req number no dsr of please and what's whats deadline due date for when when's whens".split(
    ' ',
  ),
);

export const LIST_VOCABULARY = new Set(
  "or and both closed queue work requests list show me all everything anything any what what's whats is are there open my mine assigned to i own am stuff things overdue late past due soon this next week today tomorrow by within in days day the of on plate before no without an unassigned unowned ownerless nobody noone our we have got outstanding pending upcoming closed for ones cases tickets dsars dsrs sars how many count number do which still who who's whos owns owner owners their has working right now currently moment at left remaining active yet when".split(
    ' ',
  ),
);
/**
 * A list asked for by law alone ("anything under gdpr?", "requests under lgpd", "what have we got
 * under uk gdpr"): with a law named, these words may stand beside the list words, and one of the
 * cue words makes the line a list of that law's requests. Any other word ("do we sell data under
 * the ccpa?") makes it a question for the policy.
 */
export const BY_LAW_WORDS = new Set('under per with from logged filed came in'.split(' '));
export const BY_LAW_CUE = new Set(
  "anything any ones requests cases tickets list show all open what what's whats which there".split(' '),
);
/** The most words (besides the law's) a list asked for by law alone runs to. */
export const BY_LAW_MAX_WORDS = 8;

/**
 * What makes a line of list words a list: a word for requests or a state of them, or a question
 * of what is open or who has what ("what's still open?", "who owns what", "what is left to do").
 */
export const LIST_ANCHOR =
  /\bassigned to me\b|\bi own\b|\bam i on\b|\bmy (?:stuff|things|queue|work)\b|\b(?:requests|list|everything|overdue|late|due|plate|outstanding|pending|upcoming|ones|cases|tickets|dsars|dsrs|sars|how many|owners|remaining)\b|\bstill open\b|^(?:what|what's|whats|which|anything|is anything|is there anything)\b.*\bopen\b|\b(?:unassigned|unowned|ownerless|no owner|without an? owner|nobody owns|no one owns)\b|\bwho(?:'s|s| is)?\s+(?:owns|has|got|working on|on)\s+what\b|\bleft to do\b/;

export const DEADLINE_CUE =
  /^deadline\b|\bdue when\b|\bby when\b|\bdeadlines?\b|\bdue date\b|\bwhen(?:'s|s| is| are| would| will)?\s.*\bdue\b|\bhow long do we have\b|\bare we (?:late|overdue|on time|still in time)\b|\b(?:respond|reply|answer)\b.*\bby\s*\??$|\bwhen do we (?:have|need) to (?:respond|reply|answer)\b|\bhow (?:long|many days|much time)\b.*\b(?:respond|reply|answer)\b|\bresponse time\b|\btime limit\b/;

/**
 * A question that asks when something is due, which the deadline rules answer even without a
 * received date (counted from today): "how long do we have…", "when do we need to respond…", "are
 * we late?". A yes/no question about the rules ("can we extend the deadline under GDPR?") is not
 * one; nor is a question about the policy's own promise.
 */
export const ASKS_WHEN =
  /^(?:when|how long|how many days|how much time|what(?:'s|s| is) the (?:[\w-]+\s+){0,2}?(?:deadline|response time|time limit|due date))\b|\bwhen'?s it due\b|\bwhen is it due\b|\bdue when\b|\bby when\b|\bdue date\s*\?|\bare we (?:late|overdue|on time|still in time)\b/;
export const ABOUT_POLICY = /\b(?:policy|policies|we promise|our (?:promise|target|sla))\b/;

/**
 * Words that put a deadline question's received day in the future ("if it comes in Friday", "if we
 * get one next week"): the day is read forward and the deadline given as a what-if.
 */
export const WHAT_IF_CUE =
  /\b(?:comes? in|arrives?|lands?|will (?:come|arrive|get|receive)|if (?:we|it|they|one) (?:get|gets|receive|receives|comes|arrives)|next (?:week|month|monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b/;

/** Words that say a line reports a request that came in, rather than asking about requests. */
export const INTAKE_CUE =
  /^(?:please\s+)?(?:log|new|got|record|add)\b|\b(?:received|came in|arrived|sent|asks?|asked|wants?|rcvd|phoned|rang(?: us)?|called (?:in|us)|wrote (?:in|to us))\b/;

/**
 * Words that are never part of a requester's name, whatever their case: the words around a name in
 * an intake line ("customer", "via", "wants"), pronouns, date words. A run of other words between
 * "from"/"for"/"by" (or the start of a part of the line) and the address is the name.
 */
export const NOT_NAME_WORDS = new Set(
  `i me my we us our you your he him his she her they them their it its this that these those someone somebody anyone
  a an the and or of to in on at as is was are be been being has have had do does did should would could can
  from by for via with without about under over per re asking asked asks ask wants want wanted wanting sent send says said
  email e-mail mail emailed address contact requester customer customers user users client clients consumer consumers
  resident residents person people member employee staff subscriber guy lady man woman
  log logged new got get received came come arrived arrives rcvd recvd recd rec'd submitted filed file
  request requests req reqs form web website portal app chat phone call letter post postal ticket support
  dsar sar dsr gdpr ccpa cpra lgpd pipeda mr mrs ms dr please pls asap urgent today yesterday tomorrow now
  monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun
  january february march april may june july august september october november december
  jan feb mar apr jun jul aug sep sept oct nov dec week month year ago last this next
  team inbox mailbox department dept desk office legal hr former ex
  marketing sales finance accounts accounting billing compliance security engineering operations ops service services
  candidate applicant manager director partner vendor supplier contractor lawyer attorney solicitor counsel
  parent guardian patient student tenant agent representative colleague company business organisation organization
  firm group holder existing current previous prospective potential angry unhappy head
  tel telephone mobile cell mob number
  name named called sounds looks good fine ok okay yes yep no nope data info information details account copy everything all some any`.split(
    /\s+/,
  ),
);

/** Name particles kept in lower case inside a name ("Pieter van der Berg"). */
export const NAME_PARTICLES = new Set(
  'van von de da di del della der den la le du dos das bin al ter ten'.split(' '),
);

/**
 * A reason for not logging a waiting draft, or "don't log" said with other words ("nope, don't log
 * it, dup", "it's a duplicate, drop it", "no need to log it, we already have it"): the draft is
 * dropped. "not a duplicate" says the opposite and is no reason.
 */
export const DISCARD_CUE =
  /(?<![\p{L}'])(?:(?:don'?t|do\s+not|no\s+need\s+to|shouldn'?t|won'?t|not\s+going\s+to|never)\s+(?:log|file|record|save|add)|dup|dupe|duplicated?|already\s+(?:logged|in\s+the\s+register|have\s+(?:it|that|this|one)))(?![\p{L}'])/u;
export const NOT_DISCARD = /\bnot\s+(?:a\s+)?(?:dup|dupe|duplicate)\b/;

/**
 * A correction of the requester's name that may quote the old one ("the name's spelled Sam Li not
 * Lee", "it's spelled Jane Rowe, not Roe", "name should be Janet Roe not Jane Roe"): the new name,
 * then (after "not") the old one, which says which draft it is about.
 */
export const NAME_SPELLING =
  /^(?:(?:the|her|his|their|requester'?s)\s+)?(?:(?:name(?:'s|\s+is)?|it'?s|surname(?:'s|\s+is)?)\s+)(?:(?:actually\s+|really\s+)?(?:spelled|spelt|should\s+be|should\s+read)\s+)(.+?)(?:[\s,;]+(?:not|instead\s+of)\s+(.+?))?[\s.!]*$/i;
/**
 * The requester's name changed on a draft in other words: "change the name to William Smith",
 * "fix his name to Jon Roe", "update the name to ...", "name is actually Jayne Roe", "the name
 * should be ...". The new name, and the old one where said ("..., not Jane Roe").
 */
export const NAME_CHANGE =
  /^(?:(?:please|pls|can you|could you|ok|okay|oh|oops|sorry|and|also|actually|wait)[\s,]+)*(?:(?:change|fix|update|correct|set|make|amend|edit)\s+(?:the\s+|her\s+|his\s+|their\s+)?(?:requester'?s\s+)?(?:full\s+)?name\s+(?:to|as)|(?:the\s+|her\s+|his\s+|their\s+)?(?:requester'?s\s+)?(?:full\s+)?name(?:'s|\s+is)\s+(?:actually|really|in\s+fact)|(?:the\s+|her\s+|his\s+|their\s+)?(?:requester'?s\s+)?(?:full\s+)?name\s+should\s+be)\s+([^@\d]+?)(?:[\s,;]+(?:not|instead\s+of)\s+([^@\d]+?))?[\s.!]*$/i;
/**
 * "it's Joan Roe not Jane Roe": a name for a name, each typed with capitals; read as a name
 * correction only where neither is a request type, a law or a place (the engine then changes the
 * draft only if the old name is the draft's).
 */
export const NAME_FOR_NAME =
  /^(?:(?:no|nope|sorry|oops|actually|wait)[\s,]+)*(?:it'?s|its|it\s+is|she'?s|he'?s)\s+(\p{Lu}[\p{L}'’-]*(?:\s+\p{Lu}[\p{L}'’-]*){0,2})[\s,]+(?:not|instead\s+of)\s+(\p{Lu}[\p{L}'’-]*(?:\s+\p{Lu}[\p{L}'’-]*){0,2})[\s.!]*$/u;

/** A two-letter place code that is a part of the line on its own ("Jake Ortiz, CA, opt out …"). */
export const BARE_PLACE_CODE = /(?:^|[,;|]\s*)([A-Z]{2})(?=\s*(?:[,;|]|$))/;
/**
 * Words of a US consumer's right: the sale or sharing of data and the Californian laws. With them,
 * a code that is a US state and a country ("CA") is the state; Canada's law has no such right.
 */
export const US_CONSUMER_CUE = /\b(?:consumer|sale|sell|selling|sold|sharing|do not sell|ccpa|cpra|cppa)\b/;
/** Words that put a line in Canada, so "CA" there is never read as California unasked. */
export const CANADA_CUE =
  /\b(?:canada|canadian|pipeda|quebec|québec|ontario|british columbia|alberta|manitoba|saskatchewan|nova scotia|new brunswick|newfoundland|\.ca)\b|\.ca\b/;

/** Words that introduce the requester's name in a line ("name: Ana Silva", "requester is Bo Li"). */
export const NAME_CUE =
  /\b(?:(?:requester(?:'s)?\s+)?name is|name's|(?:requester\s+)?name\s*[:=]|requester\s*[:=]|requester is|called|named)\s+/i;

/**
 * A whole line that says the draft has no name to give ("skip", "no name", "log it without a
 * name"): it is logged without one, as "yes" would. Read before the no words, so "no name" is not
 * a cancel.
 */
export const NO_NAME_ANSWER =
  /^(?:skip(?:\s+(?:it|the\s+name|name))?|no\s+name(?:\s+given)?|(?:there'?s\s+|there\s+is\s+)?no\s+name|name\s+unknown|unknown(?:\s+name)?|anonymous|(?:log\s+it\s+)?without\s+(?:a\s+)?name|don'?t\s+(?:know|have)\s+(?:the|a|their|her|his)\s+name)[.!]?$/;

/**
 * A polite or indirect opening before an intake verb ("can you log …", "could u record …", "i need
 * to log …"): the line is read as if it started with the verb, an intake rather than a question.
 */
export const POLITE_INTAKE =
  /^(?:(?:can|could|would|will)\s+(?:you|u|ya)\s+|(?:please|pls|plz|kindly)\s+|(?:i|we)\s+(?:need|want|have|would\s+like)\s+to\s+|i'?d\s+like\s+to\s+|let'?s\s+)+(?=(?:log|record|file|add|enter|register)\b)/;

/**
 * A line that puts right the requester of a logged request: a field ("email", "name") and a word
 * of correcting ("the email on 0002 is wrong, should be …", "change the name for #4 to …").
 */
export const EDIT_FIELD =
  /\b(?:e-?mail(?: address)?|address|postal address|phone(?: number)?|tel(?:ephone)?|mobile|number|name|spelling|spelt|spelled)\b/;
export const EDIT_CUE =
  /\b(?:wrong|incorrect|should be|should read|change[ds]?|update[ds]?|fix(?:ed)?|correct(?:ed|ion)?|typo|misspel(?:t|led)|is actually|is now)\b/;

/**
 * Words that show a line is about privacy work. A question the policies do not answer and that
 * has none of these (nor a law or request-type word) is off topic ("what's the weather like"): it
 * gets the short "didn't get that" pointer to help, not "none of the policies answers this".
 */
export const DOMAIN_WORDS = new Set(
  `data personal privacy policy policies dpo officer protection contact email e-mail mail address phone
  retention retain retained keep kept store stored storage delete deleted deletion erase erasure
  cookie cookies tracking consent processor processors sub-processor sub-processors subprocessor vendor vendors
  transfer transfers transferred share shared sharing sell sold sale breach breaches incident security
  encrypt encrypted encryption request requests right rights access customer customers user users
  account accounts backup backups log logs hosting hosted host server servers third party parties marketing
  analytics children child age minor complaint complaints authority regulator legal lawful basis law laws
  regulation dsar dsars sar sars dsr dsrs employee employees candidate candidates payment payments card
  information info record records identity verify verification fee fees deadline deadlines respond response
  opt profile profiling automated decision purpose purposes collect collected collection use used process
  processing processed controller notice notify notification gdpr ccpa cpra lgpd pipeda hipaa
  reminder reminders requester requesters owner owners`.split(/\s+/),
);

/**
 * What a "mine" list is asked with: "my requests", "what's on my plate", "whats assigned to me",
 * "stuff i own", "which requests am i on".
 */
export const MINE =
  /\b(?:my|mine|plate)\b|\bassigned to me\b|\bi own\b|\bam i on\b|\bfor me\b|\bhave i got\b|\bi(?:'ve| have)? got\b/;

/**
 * How a request reached the organisation, recorded as the register's intake channel when the line
 * says it ("via the web form", "by email", "by post"); a line that says none is recorded as "chat".
 */
export const CHANNEL_WORDS: { channel: string; re: RegExp }[] = [
  {
    channel: 'web form',
    re: /\b(?:via|through|on|from|using|with|in)\s+(?:the\s+|our\s+)?(?:web\s*form|online form|website(?: form)?|contact form|privacy form|request form|form)\b|\bweb\s*form\b/,
  },
  { channel: 'portal', re: /\b(?:via|through|on|from|in)\s+(?:the\s+|our\s+)?(?:\w+\s+)?portal\b/ },
  { channel: 'email', re: /\b(?:by|via|over|through|in an?)\s+e-?mail\b|\be-?mailed\b/ },
  { channel: 'post', re: /\bby (?:post|letter|mail)\b|\bpostal\b|\bin the post\b|\bletter\b/ },
  { channel: 'phone', re: /\bby (?:phone|telephone)\b|\bphoned\b|\bon the phone\b|\bcalled us\b/ },
];

/**
 * Words that say a line reports an appeal of a refusal ("appeal on 0006", "they appealed #6", "wants
 * us to reconsider our refusal of #7"): with a request named, an appeal linked to it is drafted.
 */
export const APPEAL_CUE = /\bappeal(?:s|ed|ing)?\b|\breconsider(?:ation)?\b/;

/**
 * Words that introduce a phone number ("tel 020 …", "phone: +44 …", "call her on …"): a number
 * after one is read as a phone number even without a + or a leading 0.
 */
export const PHONE_CUE =
  /\b(?:phone(?:\s+(?:number|no\.?))?|tel(?:ephone)?|mobile|cell|mob|ph|call(?:ed)?(?:\s+\w+)?\s+on|number|contact(?:\s+number)?|reach (?:him|her|them) on)\s*(?:is\s*)?[:.#]?\s*$/i;

/**
 * The last word of a street name, in the languages of the requesters this chat sees: "1 Main
 * Road", "742 Evergreen Terrace". With a house number before it, it marks a postal address.
 */
export const STREET_WORDS =
  'street st road rd avenue ave lane ln drive dr close way place pl court ct crescent terrace gardens square sq boulevard blvd parkway highway hwy row mews grove walk hill park green rise view wharf quay parade broadway circle cir trail pike'.split(
    ' ',
  );
/** Street words written before the street's name: "12 rue de Rivoli", "Via Roma 10", "Calle Mayor 5". */
export const STREET_PREFIXES =
  'rue avenue av boulevard bd chemin place impasse allée quai via viale piazza corso vicolo calle avenida rua praça plaza paseo carrer travessa largo ulica ul'.split(
    ' ',
  );
/** Endings of street names written as one word, number after: "Hauptstraße 5", "Lindenweg 9", "Keizersgracht 12". */
export const STREET_SUFFIXES =
  'straße strasse str. weg gasse platz allee ring damm ufer laan straat gracht plein singel kade vej gade gatan vägen katu tie'.split(
    ' ',
  );

/**
 * Words that introduce a postal address ("address: …", "postal address is …", "lives at 7 Elm
 * Close"); "address" alone is not one ("fix his address").
 */
export const ADDRESS_CUE =
  /\b(?:(?:postal address|address|postcode)\s*(?:is\b|[:=])|lives at|living at|resides at|residing at)\s*/i;

/**
 * Words that end a postal address read in a line: what comes after it is the rest of the line
 * ("1 Main Road, Dublin, wants a copy of his data", "…, received yesterday").
 */
export const ADDRESS_STOP_WORDS = new Set(
  `received recvd rcvd arrived came come got get wants want wanted asking asks asked says said under via by
  phone tel telephone mobile email e-mail and also she he they her his their who which that today yesterday
  tomorrow ago request requests req dsar sar dsr gdpr ccpa cpra lgpd pipeda please pls thanks no`.split(
    /\s+/,
  ),
);

/** A UK postcode ("YO1 7HH", "SW1A 2AA"): the address is in the United Kingdom. */
export const UK_POSTCODE = /\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b/;

/**
 * A line that says only that a request arrived ("got a new request", "new one just came in"): an
 * empty draft is started, which asks for the details one at a time.
 */
export const NEW_REQUEST_ALONE =
  /^(?:(?:we|i)(?:'ve|\s+have)?\s+)?(?:just\s+)?(?:got|have|received)\s+(?:a\s+|another\s+)?new\s+(?:one|request|dsar|dsr|sar|rights request)(?:\s+(?:in|today|just now))?[.!]*$|^(?:a\s+|another\s+)?new\s+(?:one|request|dsar|dsr|sar)\s+(?:just\s+)?(?:came in|arrived|in|for you)(?:\s+(?:today|just now))?[.!]*$/;

/**
 * Words that open a correction of the waiting draft ("actually …", "correction: …", "wait, …"):
 * the rest of the line corrects it, even where it says "correction" or "received". "correction"
 * counts only with a colon or comma after it: "correction request - UK - …" is a new request.
 */
export const CORRECTION_CUE =
  /^(?:(?:(?:no\s+)?wait|actually|sorry|oops|i mean|make that|scratch that)\b|correction\s*[:,;–—-])[\s,:;.!–—-]*/;

/**
 * Words after a lower-case two-letter US state code that show it is one ("a co resident", "tx
 * customer"): "co", "va" and "tx" are codes only there, never names.
 */
export const STATE_CODE_CUE =
  /\b([a-z]{2})\s+(?=(?:resident|residents|customer|customers|consumer|consumers|user|users|citizen|citizens|based)\b)|\bresident of\s+([a-z]{2})\b/g;

/**
 * Country-code endings of addresses that are used as generic names (".io", ".co", ".me"): they say
 * nothing about where the requester is. Other endings (.pl, .de, .com.br, .co.uk) give a hint.
 */
export const GENERIC_CCTLDS = new Set(
  'io co me tv ai ly fm am gg to cc ws la nu so sh ac ag bz gl gs im app dev'.split(' '),
);

/** Role words that may end a capitalised name ("Test User"), as test and shared accounts are named. */
export const NAME_TAIL_WORDS = new Set('user person member account'.split(' '));

/**
 * The command words of a close at either end of its note ("close it", "so mark it done", "pls
 * close"): they say what to do, not why, so they are not recorded as the note.
 */
export const CLOSE_COMMAND_AT_END =
  /(?:^|[\s,;.!–—-]+)(?:(?:so|and|then|now|pls|please)\s+)*(?:close|closed|closing|mark(?:ed)?)(?:\s+(?:it|this|that|this one|that one|them))?(?:\s+(?:off|out|as\s+\w+|done))?(?:\s+(?:now|please|pls|thanks))?[\s.!]*$/i;
export const CLOSE_COMMAND_AT_START =
  /^(?:(?:so|and|then|now|pls|please)\s+)*(?:close|closed|closing|mark(?:ed)?)(?:\s+(?:it|this|that|this one|that one|them))?(?:\s+(?:off|out|as\s+\w+|done))?[\s,;:.!–—-]*/i;

/** A state a request is described by: "the overdue one", "the unassigned one", "the one on hold". */
export type DescribedStatus = 'overdue' | 'unassigned' | 'on-hold' | 'in-progress' | 'extended';

/**
 * States a request is described by ("the overdue one", "the unassigned uk one", "the one on
 * hold"), matched as whole phrases.
 */
export const STATUS_DESCRIPTIONS: Record<string, DescribedStatus> = {
  overdue: 'overdue',
  late: 'overdue',
  'past due': 'overdue',
  unassigned: 'unassigned',
  unowned: 'unassigned',
  ownerless: 'unassigned',
  paused: 'on-hold',
  'on hold': 'on-hold',
  held: 'on-hold',
  'in progress': 'in-progress',
  started: 'in-progress',
  extended: 'extended',
};
/** Words that may stand in a description without saying anything of the request ("the open uk one"). */
export const DESCRIPTION_FILLER = new Set('open current active pending outstanding'.split(' '));
/** How many "the last two", "the last 3" names, in words. */
export const COUNT_WORDS: Record<string, number> = { two: 2, three: 3, four: 4, five: 5, both: 2 };
/**
 * A handover of several requests, the ones logged last: "put anna on the last two", "assign the
 * last 3 to priya", "give the latest two to me". Groups: the owner and the count, in either order.
 */
export const ASSIGN_LAST =
  /^(?:(?:pls|please)\s+)?put\s+@?([\p{L}][\p{L}._-]*)\s+on\s+(?:the\s+)?(?:last|latest)\s+(two|three|four|five|\d)\b|\b(?:assign|give|hand)\s+(?:the\s+)?(?:last|latest)\s+(two|three|four|five|\d)(?:\s+(?:ones|requests))?\s+(?:over\s+)?to\s+@?([\p{L}][\p{L}._-]*)/u;

/** Days said of when a request came in, as "the one from yesterday" names it: days before today. */
export const RECEIVED_DAY_WORDS: Record<string, number> = { today: 0, yesterday: 1 };
/** The words for a request that end a description ("the uk one", "the german deletion request"). */
export const REQUEST_NOUNS = /^(?:one|request|req|case|ticket|dsr)$/;

/**
 * A line that asks for the reminders ("send the reminders", "ping the owners", "run the reminder
 * sweep"): the chat says how they are sent and what they are about; it does not send them.
 */
export const REMINDER_CUE =
  /^reminders?[?.!]*$|\b(?:send|run|fire|trigger|kick off|do|push|go)\b.*\breminders?\b|\breminder (?:sweep|run)\b|\b(?:ping|nudge|chase|remind)\b.*\b(?:owners?|everyone|everybody|people|the team|assignees?|about (?:their |the )?deadlines?)\b/;

/** A question of how or when reminders go out ("how do reminders work", "when are reminders sent"). */
export const REMINDERS_HOW = /^(?:how|when)\b(?:\s+\S+){0,3}\s+reminders?\b(?:\s+\S+){0,3}\s*\??$/;

/**
 * With a new intake queued behind the waiting draft: words that drop the waiting one and take the
 * new one instead ("replace it with the new one", "use the new one instead").
 */
export const REPLACE_CUE =
  /^(?:replace|swap|switch)\b|\b(?:use|take|do|log|want|keep)\s+the\s+(?:new|other|second|next|latest)\s+one\b|\binstead\b.*\bnew\b|\bnew one\b.*\binstead\b/;

/**
 * A list asked for by who owns nothing ("which ones have no owner", "what's unassigned?"): the open
 * requests with no owner.
 */
export const UNOWNED =
  /\b(?:unassigned|unowned|ownerless|no owner|without an? owner|nobody owns|no one owns)\b/;

/**
 * "Due before the 20th": the day named is not included, so the list runs to the day before it.
 */
export const BEFORE_DAY = /\bbefore\b/;

/**
 * Yearly days said by name, as month and day: "if a SAR lands on xmas eve". Read like any written
 * date (the coming one in a what-if, the last one for a received day).
 */
export const NAMED_DAYS: Record<string, string> = {
  'christmas eve': 'dec 24',
  'xmas eve': 'dec 24',
  'christmas day': 'dec 25',
  'xmas day': 'dec 25',
  christmas: 'dec 25',
  'boxing day': 'dec 26',
  "new year's eve": 'dec 31',
  'new years eve': 'dec 31',
  "new year's day": 'jan 1',
  'new years day': 'jan 1',
  'new year day': 'jan 1',
  halloween: 'oct 31',
  "valentine's day": 'feb 14',
  'valentines day': 'feb 14',
};

/**
 * Words that name the request in focus (the one shown or changed last), like "it": "the last one",
 * "the one we just logged".
 */
export const FOCUS_WORDS =
  /\b(?:it|its|this one|that one|this request|that request|(?:the|that) (?:last|latest|newest|most recent) (?:one|request)|the one (?:we|i) just (?:logged|added|did|took|made)|the one just logged)\b/;

/**
 * A follow-up to a deadline question that changes only the law or the place: "and under lgpd?",
 * "what about pipeda", "and in brazil?". What is left after these words must be a law or a place.
 */
export const FOLLOW_UP_LEAD =
  /^(?:(?:and|or|but|ok|so|hmm)[\s,]+)*(?:(?:what|how) about|what if it'?s|same (?:thing )?(?:for|under|in)|and)?\s*(?:under|in|for|with|from)?\s*(?:the\s+)?/;

/**
 * A received date of a logged request named for a change ("change the received date on 3 to nov
 * 28", "0004 actually came in on oct 5"): the field, or words that say when it really came.
 */
export const RECEIVED_FIELD =
  /\b(?:received date|date received|receipt date|date of receipt|arrival date|received on|the date)\b|\b(?:actually|really) (?:came in|arrived|was received|got here)\b|\b(?:came in|arrived|got here)\b.*\b(?:actually|really)\b/;
export const RECEIVED_EDIT_CUE =
  /\b(?:wrong|incorrect|should be|should read|change[ds]?|update[ds]?|fix(?:ed)?|correct(?:ed)?|move[ds]?|set|actually|really|is now|was)\b/;

/**
 * While an appeal's draft waits: the reference of the original request as the requester or the
 * team gave it ("their ref is CASE-88", "original reference: 2024/118"), kept on the appeal.
 */
export const APPEAL_REF =
  /^(?:(?:their|the|our|original|orig|old|previous)\s+)*(?:ref(?:erence)?|case|ticket)(?:\s+(?:no\.?|number|id))?(?:\s+(?:is|was))?\s*[:#=]?\s*([\p{L}\p{N}][\p{L}\p{N}./_-]{1,39})[.!]?$/iu;

/**
 * While an appeal's draft waits: the original request is not in the register ("not in the
 * register", "we don't have the original"). The draft stays, unlinked, for its yes.
 */
export const NOT_IN_REGISTER =
  /^(?:(?:it'?s|its|it is|the original is|original)\s+)?(?:not (?:in the register|logged|in here|on file)|(?:we )?(?:don'?t|do not) have (?:it|the original)|no (?:original|reference|ref))[.!]?$/;

/**
 * What opens a signature before a name set off with a comma from the address: a dash, the end of
 * a sentence or a sign-off ("- Tom Becker, tom@…", "Regards, Paul Girard, paul@…").
 */
export const SIGNATURE_LEAD =
  /(?:^|[.!?]\s*|(?:^|\s)[-–—]\s*|\b(?:thanks|thank you|thx|regards|best|cheers|sincerely|yours|br)[\s,!.:-]*)$/i;
