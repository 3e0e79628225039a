import type { Regime, RequestType } from '../requests/deadlines.js';
import type { Outcome } from '../requests/model.js';
import { usStateLaw } from '../requests/us-states.js';
import { CITIES } from './cities.js';
import type { DescribedStatus } from './fields.js';

/**
 * The words staff use for places, laws, request types and answers, as data. The parser
 * (`understand.ts`) reads a line against these tables; adding a word here is the way to teach it
 * one, never a special case in the parser.
 */

/** EU and EEA member states: the EU GDPR applies (EEA Agreement, Annex XI, for IS, LI, NO). */
const GDPR_COUNTRIES = new Set(
  'AT BE BG HR CY CZ DK EE FI FR DE GR IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO'.split(' '),
);

const US_STATES: Record<string, string> = {
  alabama: 'AL',
  alaska: 'AK',
  arizona: 'AZ',
  arkansas: 'AR',
  california: 'CA',
  colorado: 'CO',
  connecticut: 'CT',
  delaware: 'DE',
  florida: 'FL',
  georgia: 'GA',
  hawaii: 'HI',
  idaho: 'ID',
  illinois: 'IL',
  indiana: 'IN',
  iowa: 'IA',
  kansas: 'KS',
  kentucky: 'KY',
  louisiana: 'LA',
  maine: 'ME',
  maryland: 'MD',
  massachusetts: 'MA',
  michigan: 'MI',
  minnesota: 'MN',
  mississippi: 'MS',
  missouri: 'MO',
  montana: 'MT',
  nebraska: 'NE',
  nevada: 'NV',
  'new hampshire': 'NH',
  'new jersey': 'NJ',
  'new mexico': 'NM',
  'new york': 'NY',
  'north carolina': 'NC',
  'north dakota': 'ND',
  ohio: 'OH',
  oklahoma: 'OK',
  oregon: 'OR',
  pennsylvania: 'PA',
  'rhode island': 'RI',
  'south carolina': 'SC',
  'south dakota': 'SD',
  tennessee: 'TN',
  texas: 'TX',
  utah: 'UT',
  vermont: 'VT',
  virginia: 'VA',
  washington: 'WA',
  'west virginia': 'WV',
  wisconsin: 'WI',
  wyoming: 'WY',
  californian: 'CA',
  // Short forms people type ("a cali opt out"); "cal" is left out: it is too often something else.
  cali: 'CA',
  calif: 'CA',
  virginian: 'VA',
  texan: 'TX',
};

/** Other names and demonyms for countries (and UK nations, Canadian provinces) that Intl does not give. */
const PLACE_ALIASES: Record<string, string> = {
  uk: 'GB',
  britain: 'GB',
  'great britain': 'GB',
  british: 'GB',
  england: 'GB-ENG',
  english: 'GB-ENG',
  scotland: 'GB-SCT',
  scottish: 'GB-SCT',
  wales: 'GB-WLS',
  welsh: 'GB-WLS',
  'northern ireland': 'GB-NIR',
  usa: 'US',
  america: 'US',
  american: 'US',
  'united states': 'US',
  holland: 'NL',
  dutch: 'NL',
  'czech republic': 'CZ',
  czech: 'CZ',
  quebec: 'CA-QC',
  québec: 'CA-QC',
  // The other provinces and territories: Canada, where PIPEDA is the law the register models
  // (Quebec alone has a law of its own here).
  ontario: 'CA-ON',
  'british columbia': 'CA-BC',
  alberta: 'CA-AB',
  manitoba: 'CA-MB',
  saskatchewan: 'CA-SK',
  'nova scotia': 'CA-NS',
  'new brunswick': 'CA-NB',
  'prince edward island': 'CA-PE',
  newfoundland: 'CA-NL',
  labrador: 'CA-NL',
  yukon: 'CA-YT',
  'northwest territories': 'CA-NT',
  nunavut: 'CA-NU',
  spanish: 'ES',
  german: 'DE',
  french: 'FR',
  italian: 'IT',
  irish: 'IE',
  portuguese: 'PT',
  belgian: 'BE',
  swedish: 'SE',
  danish: 'DK',
  finnish: 'FI',
  austrian: 'AT',
  polish: 'PL',
  greek: 'GR',
  hungarian: 'HU',
  romanian: 'RO',
  bulgarian: 'BG',
  croatian: 'HR',
  slovak: 'SK',
  slovenian: 'SI',
  estonian: 'EE',
  latvian: 'LV',
  lithuanian: 'LT',
  luxembourgish: 'LU',
  maltese: 'MT',
  cypriot: 'CY',
  norwegian: 'NO',
  icelandic: 'IS',
  brazilian: 'BR',
  canadian: 'CA',
  swiss: 'CH',
  // Countries as their own people write them ("she is in brasil", "españa").
  brasil: 'BR',
  deutschland: 'DE',
  españa: 'ES',
  espana: 'ES',
  österreich: 'AT',
  osterreich: 'AT',
  schweiz: 'CH',
  suisse: 'CH',
  svizzera: 'CH',
  polska: 'PL',
  italia: 'IT',
  méxico: 'MX',
  belgique: 'BE',
  belgië: 'BE',
  nederland: 'NL',
  sverige: 'SE',
  danmark: 'DK',
  suomi: 'FI',
  norge: 'NO',
  éire: 'IE',
  česko: 'CZ',
  magyarország: 'HU',
  hellas: 'GR',
};

/** Country names that are also common words or given names; only their codes count. */
const AMBIGUOUS_NAMES = new Set([
  'jordan',
  'chad',
  'georgia',
  'turkey',
  'jersey',
  'guernsey',
  'man',
  'niger',
]);

/** Codes Intl still names that are withdrawn or not countries (DD is "Germany" there). */
const NOT_COUNTRIES = new Set('DD FX SU YU CS ZR TP BU NT AN QO EU EZ UN XA XB XK ZZ'.split(' '));

let countryNames: Map<string, string> | undefined;

/** English country names from Intl ("Spain" -> ES), built once. */
function countries(): Map<string, string> {
  if (countryNames) return countryNames;
  const names = new Map<string, string>();
  const display = new Intl.DisplayNames(['en'], { type: 'region' });
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  for (const a of letters)
    for (const b of letters) {
      const code = `${a}${b}`;
      let name: string | undefined;
      try {
        name = display.of(code);
      } catch {
        name = undefined;
      }
      if (!name || NOT_COUNTRIES.has(code) || name === code || /unknown/i.test(name)) continue;
      const key = name.toLowerCase().replace(/\s*\(.*\)$/, '');
      if (!AMBIGUOUS_NAMES.has(key) && !names.has(key)) names.set(key, code);
    }
  countryNames = names;
  return names;
}

/**
 * Cities staff write as two letters, which are also country codes: "she's in LA" is more likely
 * Los Angeles than Laos.
 */
const CITY_CODES: Record<string, { code: string; name: string }> = {
  LA: { code: 'US-CA', name: 'Los Angeles (California)' },
};

/**
 * The places a two-letter code may mean when it is both a country's and a US state's (or a
 * city's): "CA" is Canada or California, "LA" Laos, Louisiana or Los Angeles. Empty when the code
 * has one reading only.
 */
/**
 * Canadian provinces' postal codes that are no country's: "in BC", "in ON" (upper case, after
 * "in") name the province.
 */
export const PROVINCE_CODES = new Set(['ON', 'QC', 'BC', 'AB', 'MB', 'NS', 'NB']);

export function codeReadings(code: string): { code: string; name: string }[] {
  const upper = code.toUpperCase();
  const state = Object.entries(US_STATES).find(([, c]) => c === upper)?.[0];
  const city = CITY_CODES[upper];
  if (!state && !city) return [];
  const out: { code: string; name: string }[] = [];
  if (city) out.push(city);
  if (state) out.push({ code: `US-${upper}`, name: state.replace(/\b\p{L}/gu, (c) => c.toUpperCase()) });
  let country: string | undefined;
  try {
    country = new Intl.DisplayNames(['en'], { type: 'region' }).of(upper);
  } catch {
    country = undefined;
  }
  if (country && country !== upper && !NOT_COUNTRIES.has(upper)) out.push({ code: upper, name: country });
  return out.length > 1 ? out : [];
}

/** A place as the register records it, with the law its residents' requests fall under. */
export interface Place {
  country: string;
  region?: string;
  /** Undefined where no one law follows from the place (a US state without its own law). */
  regime?: Regime;
  /** The words that named it, for messages. */
  said: string;
  /** Set when the words may mean several places ("in LA"): the question to ask instead. */
  ask?: string;
}

/** The law that follows from where the requester is, if one does. */
export function lawOf(country: string, region?: string): Regime | undefined {
  if (GDPR_COUNTRIES.has(country)) return 'gdpr';
  if (country === 'GB') return 'uk-gdpr';
  if (country === 'CH') return 'swiss';
  if (country === 'BR') return 'lgpd';
  if (country === 'CA') return region === 'QC' ? 'quebec' : 'pipeda';
  if (country === 'US' && region === 'CA') return 'ccpa';
  // US states with a comprehensive privacy law of their own: one table, with the deadline rules.
  if (country === 'US' && usStateLaw(region)) return 'us-state';
  return undefined;
}

function place(code: string, said: string): Place {
  const [country, region] = code.split('-') as [string, string | undefined];
  const regime = lawOf(country, region);
  return { country, ...(region ? { region } : {}), ...(regime ? { regime } : {}), said };
}

/**
 * Looks up a place name of one to three words ("spain", "new york", "northern ireland").
 * US states win over countries of the same name.
 */
export function placeCode(code: string, said: string): Place {
  return place(code, said);
}

export function placeNamed(words: string): Place | undefined {
  const key = words.toLowerCase();
  const state = US_STATES[key];
  if (state) return place(`US-${state}`, words);
  const alias = PLACE_ALIASES[key];
  if (alias) return place(alias, words);
  const code = countries().get(key);
  return code ? place(code, words) : undefined;
}

/**
 * A major city by name ("toronto", "new york city", "são paulo"): its country and, where the law
 * depends on it, its province, state or UK nation. Not used for names, only for places.
 */
export function cityNamed(words: string): Place | undefined {
  const code = CITIES[words.toLowerCase()];
  if (!code) return undefined;
  // A city of several places ("US-VA|GB-ENG", Richmond): asked about, never guessed.
  const codes = code.split('|');
  if (codes.length === 1) return place(code, words);
  const city = words.replace(/\b\p{L}/gu, (c) => c.toUpperCase());
  const names = codes.map((c) => {
    const [country, region] = c.split('-') as [string, string | undefined];
    const where =
      country === 'US' && region
        ? stateName(region)
        : country === 'GB' && region
          ? UK_NATIONS[region]
          : new Intl.DisplayNames(['en'], { type: 'region' }).of(country);
    return `${city}, ${where ?? country}`;
  });
  return {
    country: '',
    said: words,
    ask: `By "${city}" do you mean ${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}? (name the state or country, or the law)`,
  };
}

const UK_NATIONS: Record<string, string> = {
  ENG: 'England',
  SCT: 'Scotland',
  WLS: 'Wales',
  NIR: 'Northern Ireland',
};

/** The name of a US state from its code ("NY" -> "New York"). */
export function stateName(code: string): string | undefined {
  const name = Object.entries(US_STATES).find(([, c]) => c === code.toUpperCase())?.[0];
  return name?.replace(/\b\p{L}/gu, (c) => c.toUpperCase());
}

/** Law names as people write them, longest first when matched. */
export const LAW_WORDS: Record<string, Regime> = {
  'eu gdpr': 'gdpr',
  eu: 'gdpr',
  gdpr: 'gdpr',
  dsgvo: 'gdpr',
  rgpd: 'gdpr',
  'uk gdpr': 'uk-gdpr',
  'uk-gdpr': 'uk-gdpr',
  ukgdpr: 'uk-gdpr',
  'dpa 2018': 'uk-gdpr',
  ccpa: 'ccpa',
  cpra: 'ccpa',
  'us-state': 'us-state',
  'us state': 'us-state',
  'us state law': 'us-state',
  vcdpa: 'us-state',
  lgpd: 'lgpd',
  pipeda: 'pipeda',
  'law 25': 'quebec',
  'loi 25': 'quebec',
  fadp: 'swiss',
  revfadp: 'swiss',
  nfadp: 'swiss',
};

/**
 * The same rights in Spanish, French, German, Portuguese and Italian, for lines in the requester's
 * own words ("quiero acceder a mis datos", "ich möchte meine Daten löschen"). Such a line is a
 * request reported, and starts a draft.
 */
export const FOREIGN_TYPE_WORDS: Record<string, RequestType> = {
  acceder: 'access',
  acceso: 'access',
  accéder: 'access',
  accès: 'access',
  'droit d’accès': 'access',
  auskunft: 'access',
  datenauskunft: 'access',
  auskunftsersuchen: 'access',
  acesso: 'access',
  acessar: 'access',
  accesso: 'access',
  accedere: 'access',
  borrar: 'erasure',
  supresión: 'erasure',
  suprimir: 'erasure',
  eliminar: 'erasure',
  supprimer: 'erasure',
  suppression: 'erasure',
  effacement: 'erasure',
  effacer: 'erasure',
  löschen: 'erasure',
  löschung: 'erasure',
  excluir: 'erasure',
  exclusão: 'erasure',
  eliminação: 'erasure',
  apagar: 'erasure',
  cancellare: 'erasure',
  cancellazione: 'erasure',
  rectificar: 'rectification',
  rectificación: 'rectification',
  berichtigung: 'rectification',
  berichtigen: 'rectification',
  corrigir: 'rectification',
  correção: 'rectification',
  rettifica: 'rectification',
  portabilidad: 'portability',
  portabilité: 'portability',
  datenübertragbarkeit: 'portability',
  portabilidade: 'portability',
  portabilità: 'portability',
};

/**
 * Everyday words for request types, matched as whole phrases, longest first. A type named right
 * after "not" is not the type meant ("an opt-out, not access").
 */
export const TYPE_WORDS: Record<string, RequestType> = {
  dsar: 'access',
  sar: 'access',
  dsr: 'access',
  'subject access': 'access',
  access: 'access',
  'copy of': 'access',
  // A "data export" is read as access, the wider right (a copy of everything held), not portability.
  'data export': 'access',
  'export of my data': 'access',
  'export my data': 'access',
  'export of their data': 'access',
  'export of his data': 'access',
  'export of her data': 'access',
  'export their data': 'access',
  'right to know': 'access',
  'know what': 'access',
  // CCPA's "right to know" as staff shorten it.
  'know request': 'access',
  'request to know': 'access',
  'see his data': 'access',
  'see her data': 'access',
  'see their data': 'access',
  'what data we hold': 'access',
  // "asking what data we have on them", "a copy of their info", "everything we store about her".
  'what data we': 'access',
  'what info we': 'access',
  'what information we': 'access',
  'what personal data we': 'access',
  'what personal info we': 'access',
  'what personal information we': 'access',
  'what we hold': 'access',
  'what we have on': 'access',
  'what we keep on': 'access',
  'what we store': 'access',
  'everything we hold': 'access',
  'everything we have on': 'access',
  'everything we keep': 'access',
  'everything we store': 'access',
  // "what do you have on me", "what info you hold about him": asked of us in the requester's words.
  'what do you have on': 'access',
  'what you have on': 'access',
  'what do you hold': 'access',
  'what you hold': 'access',
  'what do you keep': 'access',
  'what do you store': 'access',
  'what do you know about': 'access',
  'what you know about': 'access',
  'what data you': 'access',
  'what info you': 'access',
  'what information you': 'access',
  'what personal data you': 'access',
  // "wants his data exported": an export with no move elsewhere is access, like "data export".
  'data exported': 'access',
  'info exported': 'access',
  'information exported': 'access',
  deletion: 'erasure',
  delete: 'erasure',
  deleted: 'erasure',
  erasure: 'erasure',
  erase: 'erasure',
  erased: 'erasure',
  remove: 'erasure',
  removed: 'erasure',
  wipe: 'erasure',
  wiped: 'erasure',
  // "take me off your systems", "get her out of your database".
  'off your systems': 'erasure',
  'off your system': 'erasure',
  'off your database': 'erasure',
  'off your records': 'erasure',
  'out of your systems': 'erasure',
  'out of your system': 'erasure',
  'out of your database': 'erasure',
  'data gone': 'erasure',
  'info gone': 'erasure',
  forgotten: 'erasure',
  'forget me': 'erasure',
  'forget them': 'erasure',
  'forget her': 'erasure',
  'forget him': 'erasure',
  rtbf: 'erasure',
  rectification: 'rectification',
  rectify: 'rectification',
  correct: 'rectification',
  correction: 'rectification',
  corrected: 'rectification',
  // "wants us to fix his address": fixing or updating their own details.
  'fix his': 'rectification',
  'fix her': 'rectification',
  'fix their': 'rectification',
  'fix my': 'rectification',
  'update his': 'rectification',
  'update her': 'rectification',
  'update their': 'rectification',
  'update my': 'rectification',
  // "wants her details updated", "his address changed on file".
  'details updated': 'rectification',
  'info updated': 'rectification',
  'information updated': 'rectification',
  'records updated': 'rectification',
  'data updated': 'rectification',
  'address updated': 'rectification',
  'details corrected': 'rectification',
  'details fixed': 'rectification',
  'details changed': 'rectification',
  'fix his details': 'rectification',
  portability: 'portability',
  'port their data': 'portability',
  'port my data': 'portability',
  'port his data': 'portability',
  'port her data': 'portability',
  'machine-readable': 'portability',
  'machine readable': 'portability',
  restriction: 'restriction',
  restrict: 'restriction',
  objection: 'objection',
  object: 'objection',
  objects: 'objection',
  // Stop the marketing: an objection to direct marketing (see MARKETING_OBJECTION below for why).
  'stop emailing': 'objection',
  'stop e-mailing': 'objection',
  'stop mailing': 'objection',
  'stop calling': 'objection',
  'stop phoning': 'objection',
  'stop ringing': 'objection',
  'stop texting': 'objection',
  'stop messaging': 'objection',
  'stop contacting': 'objection',
  'stop spamming': 'objection',
  'stop marketing': 'objection',
  'stop sending him': 'objection',
  'stop sending her': 'objection',
  'stop sending them': 'objection',
  'stop sending me': 'objection',
  "don't email": 'objection',
  'dont email': 'objection',
  'do not email': 'objection',
  "don't contact": 'objection',
  'do not contact': 'objection',
  "don't call": 'objection',
  'do not call': 'objection',
  "don't text": 'objection',
  'no more emails': 'objection',
  'no more e-mails': 'objection',
  'no more marketing': 'objection',
  'no more calls': 'objection',
  'no more texts': 'objection',
  'no more newsletters': 'objection',
  'any more emails': 'objection',
  'any more marketing': 'objection',
  'any more promo': 'objection',
  'any more promos': 'objection',
  'anymore emails': 'objection',
  unsubscribe: 'objection',
  unsubscribed: 'objection',
  unsubscribing: 'objection',
  'mailing list': 'objection',
  'marketing list': 'objection',
  'email list': 'objection',
  newsletter: 'objection',
  newsletters: 'objection',
  'marketing emails': 'objection',
  'marketing e-mails': 'objection',
  'marketing calls': 'objection',
  'marketing texts': 'objection',
  'marketing messages': 'objection',
  'marketing mail': 'objection',
  'direct marketing': 'objection',
  promo: 'objection',
  promos: 'objection',
  'promo texts': 'objection',
  'promotional emails': 'objection',
  'opt-out': 'opt-out-of-sale',
  'opt out': 'opt-out-of-sale',
  optout: 'opt-out-of-sale',
  'opted out': 'opt-out-of-sale',
  'opted-out': 'opt-out-of-sale',
  'opting out': 'opt-out-of-sale',
  'opts out': 'opt-out-of-sale',
  'do not sell': 'opt-out-of-sale',
  "don't sell": 'opt-out-of-sale',
  'do-not-sell': 'opt-out-of-sale',
  'stop selling': 'opt-out-of-sale',
  'do not share': 'opt-out-of-sale',
  'limit use': 'limit-sensitive-use',
  'limit the use': 'limit-sensitive-use',
  'limit sensitive': 'limit-sensitive-use',
  'limit-sensitive-use': 'limit-sensitive-use',
  'withdraw consent': 'withdraw-consent',
  'withdraw their consent': 'withdraw-consent',
  'withdraw her consent': 'withdraw-consent',
  'withdraw his consent': 'withdraw-consent',
  'withdraws consent': 'withdraw-consent',
  'consent withdrawal': 'withdraw-consent',
  'revoke consent': 'withdraw-consent',
  // Targeted advertising (Colorado, Virginia and the other state laws give an opt-out of it). The
  // register has no type of its own for it: the closest, the opt-out of sale/sharing, is used and
  // the draft says so (TYPE_STAND_INS).
  'targeted ads': 'opt-out-of-sale',
  'targeted advertising': 'opt-out-of-sale',
  'targeted advertisements': 'opt-out-of-sale',
  'targeted marketing': 'opt-out-of-sale',
  'ad targeting': 'opt-out-of-sale',
  // A US state appeal of a refusal: linked to the request it names; one whose original is not in
  // the register is logged without the link, and the draft says so.
  appeal: 'appeal',
  appealed: 'appeal',
  appealing: 'appeal',
  'reconsider our refusal': 'appeal',
  'reconsider our decision': 'appeal',
  ...FOREIGN_TYPE_WORDS,
};

/**
 * Everyday words for a right the register has no type of its own for, and what the draft says
 * about the stand-in type used instead.
 */
export const TYPE_STAND_INS: { re: RegExp; said: string }[] = [
  {
    re: /\btargeted (?:ads|advertising|advertisements|marketing)\b|\bad targeting\b/,
    said: 'opt-out of targeted advertising: the register has no type of its own for it, so it is logged as the closest, opt-out-of-sale (the same opt-out under the state laws); say "type: other" to log it otherwise',
  },
];

/**
 * Why a line asks for another type than its words alone say: what the requester wants the data
 * for, or what they want to be taken off. Each applies where the line's type is one of `over` (or
 * none was found), so "a copy of his data so he can move it to a new provider" is portability and
 * "take him off the mailing list" is no erasure.
 */
export const TYPE_PURPOSES: { type: RequestType; over: RequestType[]; re: RegExp }[] = [
  // Moving the data to another controller (GDPR art. 20, UK GDPR art. 20, LGPD art. 18 V): a
  // copy, an export or a transfer "to another provider", "to a competitor", "to switch providers".
  {
    type: 'portability',
    over: ['access'],
    re: /\b(?:to|for|so (?:he|she|they|i|we) can|so that (?:he|she|they|i|we) can)\s+(?:[\w'-]+\s+){0,4}?(?:another|a new|a different|an other|other|(?:his|her|their|my) new|a rival|a competing)\s+(?:provider|service|company|supplier|vendor|platform|bank|insurer|controller|app|business|firm|operator|carrier|tool|system)s?\b|\bto a (?:competitor|rival)\b|\bswitch(?:ing|es)? (?:providers?|services?|suppliers?|companies|banks?|platforms?|vendors?)\b/,
  },
  // The data in a form to reuse elsewhere (GDPR art. 20(1): "structured, commonly used and
  // machine-readable"): "in a portable format", "a machine readable copy", "in a format she can
  // take elsewhere". A copy "as a pdf" names no such form and stays access.
  {
    type: 'portability',
    over: ['access'],
    re: /\b(?:portable|machine[- ]readable|structured|reusable|transferable|interoperable|commonly[- ]used)\s+(?:(?:and|,)\s+(?:[\w-]+\s+){0,2})?(?:format|form|copy|export|file)s?\b|\b(?:format|form)\s+(?:that\s+)?(?:he|she|they|i|we|you)\s+(?:can|could)\s+(?:take|move|bring|use|reuse|transfer|port|carry)\b/,
  },
  // "opt out of marketing emails", "opt him out of the newsletter": marketing, not the sale of data.
  {
    type: 'objection',
    over: ['opt-out-of-sale'],
    re: /\bopt(?:s|ed|ing)?[- ]?(?:\w+\s+)?out\s+(?:of|from)\s+(?:all\s+|any\s+|our\s+|the\s+|your\s+)*(?:direct\s+)?(?:marketing|newsletters?|e-?mails?|promo\w*|mailings?|texts?|sms|calls?|mailing list)\b/,
  },
  // "remove him from the mailing list", "take her off our newsletter": off the list, not erased.
  {
    type: 'objection',
    over: ['erasure'],
    re: /\b(?:remove|removed|take|taken|delete|deleted|drop|dropped|wipe|erase)\s+(?:[\w'-]+\s+){0,3}?(?:from|off)\s+(?:the\s+|your\s+|our\s+|all\s+|any\s+)*(?:marketing|mailing|e-?mail|newsletter|sms|text|call|contact|distribution|promo\w*)(?:\s+lists?)?\b/,
  },
];

/**
 * Stop emailing me, unsubscribe me, no more newsletters: logged as an objection, and the draft says
 * why. Under the GDPR and UK GDPR (art. 21(2)-(3)) an objection to direct marketing must be
 * honoured with no balancing test, whatever the marketing rests on; withdrawing consent would cover
 * only marketing that rests on consent, so the objection is the type that always fits. LGPD (art.
 * 18 par. 2) and the Swiss FADP (art. 30(2)(b)) give the same right to object. The US state laws
 * have no such right: an unsubscribe there falls under CAN-SPAM.
 */
export const MARKETING_OBJECTION = {
  re: /\b(?:stop (?:e-?mailing|mailing|calling|phoning|ringing|texting|messaging|contacting|spamming|marketing|sending (?:him|her|them|me))|(?:don'?t|do not) (?:email|contact|call|text)|no more (?:e-?mails|marketing|calls|texts|newsletters)|any ?more (?:e-?mails|marketing|promos?)|unsubscrib\w*|(?:mailing|marketing|email) list|newsletters?|marketing (?:e-?mails|calls|texts|messages|mail)|direct marketing|promos?|promotional e-?mails)\b|\bopt(?:s|ed|ing)?[- ]?(?:\w+\s+)?out\s+(?:of|from)\s+(?:all\s+|any\s+|our\s+|the\s+|your\s+)*(?:direct\s+)?(?:marketing|newsletters?|e-?mails?|promo\w*|mailings?|texts?|sms|calls?)\b/,
  said: `objection to direct marketing: GDPR and UK GDPR art. 21(2)-(3), honoured with no balancing test whatever the marketing rests on; say "it's a consent withdrawal" if only a consent is withdrawn. US state laws give no such right: there an unsubscribe falls under CAN-SPAM`,
};

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

/** Countries whose people write numeric dates month first ("11/2" is 2 November); others day first. */
const MONTH_FIRST_COUNTRIES = new Set(['US']);
/** Laws whose requesters are in a month-first country. */
const MONTH_FIRST_LAWS = new Set<Regime>(['ccpa', 'us-state']);

/**
 * How the requester's side writes numeric dates: by the country when known, else by the law;
 * undefined when neither is known (an ambiguous "1/12" is then asked about).
 */
export function dateOrderOf(country?: string, regime?: Regime): 'day-first' | 'month-first' | undefined {
  if (country) return MONTH_FIRST_COUNTRIES.has(country) ? 'month-first' : 'day-first';
  if (regime) return MONTH_FIRST_LAWS.has(regime) ? 'month-first' : 'day-first';
  return undefined;
}

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
/** The words for a request that end a description ("the uk one", "the german deletion request"). */
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
