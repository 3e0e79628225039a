import type { Regime } from '../requests/deadlines.js';
import { usStateLaw } from '../requests/us-states.js';
import { CITIES } from './cities.js';

/**
 * Places as staff name them (countries, US states, Canadian provinces, UK nations, major cities and
 * their codes), each with the law its residents' requests fall under, and how its people write
 * numeric dates. Adding a name to a table here is the way to teach the chat a place.
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
 * Canadian provinces' postal codes that are no country's: "in BC", "in ON" (upper case, after
 * "in") name the province.
 */
export const PROVINCE_CODES = new Set(['ON', 'QC', 'BC', 'AB', 'MB', 'NS', 'NB']);

/**
 * The places a two-letter code may mean when it is both a country's and a US state's (or a
 * city's): "CA" is Canada or California, "LA" Laos, Louisiana or Los Angeles. Empty when the code
 * has one reading only.
 */
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

/** A place from its ISO 3166 code ("ES", "US-CA"), with the law that follows from it. */
export function placeCode(code: string, said: string): Place {
  return place(code, said);
}

/**
 * Looks up a place name of one to three words ("spain", "new york", "northern ireland").
 * US states win over countries of the same name.
 */
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
