// The patterns and limits the answerer reads questions and sentences with (the tuned thresholds
// are `THRESHOLDS` in evidence.ts).

/** A sentence opening that refers back to the sentence before it. */
export const CONTINUATION =
  /^(?:(?:however|in general|generally|for (?:example|instance)|in (?:complex|such|these|those|this|that|some|certain|most) cases?|otherwise|in addition|additionally)\b[,\s]*|(?:this|these|those|such|it|they)\b)/i;

/** A part of a question whose subject is a pronoun ("and are they allowed to...", "is it shared?"). */
export const REFERS_BACK =
  /^\s*(?:(?:and|but|also|so)\s+)?(?:(?:do|does|did|is|are|was|were|can|could|will|would|should|may|must|r|has|have)\s+)?(?:they|it|them|those|these|that|this)\b/i;

/**
 * Words in a sentence that stand for something said before it ("this data", "such records", "any of
 * these rights" after the list of rights).
 */
export const BACK_REFERENCE =
  /\b(?:(?:this|these|those|such|that|said|the above|the aforementioned|the above[- ]mentioned|the listed|the stated)\s+(?:personal\s+|usage\s+|collected\s+|stored\s+)?(?:data|information|info|details|records|logs?|log files|files|items|categories|entries|rights|requests|purposes|measures|choices)|(?:data|information|details) (?:mentioned|described|listed)(?: above)?)\b/i;

/** A sentence opening with the condition it holds under ("If you are under 16, ..."). */
export const CONDITIONAL =
  /^\s*(?:if|when|whenever|where|unless|once|in case|provided that|as long as)\b([^,;:]{3,}?),/i;

/** A reference to something said further up, not only in the sentence before ("the above rights"). */
export const FAR_REFERENCE =
  /\b(?:the above|the aforementioned|the above[- ]mentioned|the listed|(?:mentioned|described|listed) above)\b/i;

export const NONE: ReadonlySet<string> = new Set();

/**
 * Words that say nothing about what a question is about, whatever the intent; with them, the
 * words naming a part of the document ("any children clause?", "a section on cookies").
 */
export const GENERIC_WORDS =
  'policy policies privacy company companies our we us service services product platform app application user users person personal information data do does tell say says mention mentions use about regarding list clause clauses section sections paragraph paragraphs provision provisions';

/** Past this many policies in scope, only the best-matching ones are answered from. */
export const MAX_POLICIES_PER_ANSWER = 25;

/** What a strict answer kind is called when a policy speaks of the subject but does not give it. */
export const KIND_NAMES: Record<string, string> = {
  duration: 'period',
  count: 'period',
  email: 'e-mail address',
  phone: 'phone number',
  age: 'age',
  date: 'date',
  identifier: 'number',
};

/** A yes/no question asking whether something exists ("is there...", "do we have...", "any..."). */
export const ASKS_EXISTENCE =
  /^\s*(?:is|are|was|were) there\b|^\s*(?:do|does|did) (?:\w+ ){1,2}(?:have|provide|offer|list|give|name|publish|state|set)\b(?! to\b)|^\s*(?:any|anything)\b|^\s*(?:is|are) (?:\w+ ){0,3}(?:listed|given|named|stated|published|provided|set)\b/i;

/**
 * A template's blank left in a published policy: "[Legal entity name and registered address]",
 * "\[insert contact details]", "[Your Institution / City, Country Placeholder]". Where the value
 * asked for is such a blank, the policy does not give it.
 */
export const PLACEHOLDER =
  /\\?\[\s*(?:(?:insert|add|enter|your|company|legal|entity|name|address|contact|e-?mail|phone|date|tbd|tbc|x{2,})\b[^\]\n]{0,100}|[^\]\n]{0,100}\bplaceholder\b[^\]\n]{0,40})\\?\](?!\()/i;
