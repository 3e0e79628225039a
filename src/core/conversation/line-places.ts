import type { Regime } from '../requests/deadlines.js';
import {
  cityNamed,
  codeReadings,
  lawOf,
  type Place,
  PROVINCE_CODES,
  placeCode,
  placeNamed,
  stateName,
} from './places.js';
import { GENERIC_CCTLDS, STATE_CODE_CUE } from './vocabulary.js';

/**
 * Where a line says the requester is: a country, US state, province or city by name, a code after
 * "in" (asked about where it may mean several places), a state code beside "resident", or the
 * country an email address's ending suggests.
 */

const STATE_CODE_CUE_ONE = new RegExp(STATE_CODE_CUE.source);
/** The same cue with the code in either case ("CA resident"); the words around it in lower case. */
const STATE_CODE_CUE_ANY_CASE = new RegExp(STATE_CODE_CUE.source.replaceAll('[a-z]{2}', '[a-zA-Z]{2}'), 'g');

const CODE_STOPWORDS = new Set(
  'in it is on of or to at by if me we be do no so an as my he hi id us'.split(' '),
);

/** Where the line says the requester is: a country or US state by name, or a code after "in". */
export function findPlace(
  line: string,
  lower: string,
  codes: 'after-in' | 'any',
  law?: Regime,
): Place | undefined {
  // The first place the line names wins, except a city of several places ("richmond"), which is
  // asked about only when nothing else in the line says where ("va resident from richmond").
  const named = placeNamedIn(lower);
  if (named && (!named.ask || !STATE_CODE_CUE_ONE.test(lower))) return named;
  return placeByCode(line, codes, law);
}

/** The first place the words of a line name by name, or else the first city of several places. */
function placeNamedIn(lower: string): Place | undefined {
  const ws = lower.split(/[^\p{L}'’-]+/u).filter(Boolean);
  let unsure: Place | undefined;
  for (let i = 0; i < ws.length; i++) {
    for (const n of [3, 2, 1]) {
      if (i + n > ws.length) continue;
      const words = ws.slice(i, i + n).join(' ');
      const found = placeNamed(words) ?? cityNamed(words);
      if (found?.ask) unsure ??= found;
      else if (found) return found;
      if (found) {
        i += n - 1;
        break;
      }
    }
  }
  return unsure;
}

/**
 * A place given as a code: after "in", "from" or "Country:" ("in DE", "from ON", "in CA"), or, with
 * `codes` "any", standing alone; a code of several places is asked about unless the law decides.
 */
function placeByCode(line: string, codes: 'after-in' | 'any', law: Regime | undefined): Place | undefined {
  const code =
    /\b(?:in|[Cc]ountry(?:\s+code)?\s*[:=]?|from)\s+(?:the\s+)?([A-Z]{2})(?:-([A-Z0-9]{1,3}))?\b/.exec(
      line,
    ) ??
    (codes === 'any'
      ? /(?:^|\s)([A-Za-z]{2})(?:-([A-Za-z0-9]{1,3}))?(?=\s|$)/.exec(line.replace(/\b\d{4}-\d\d-\d\d\b/g, ''))
      : null);
  if (!code || (codes === 'any' && CODE_STOPWORDS.has(code[1]!.toLowerCase()))) return undefined;
  const country = code[1]!.toUpperCase();
  if (country === 'UK') return placeNamed('uk');
  // A code that is also a US state's or a city's: the law named decides, else it is asked.
  // "Country: DE" (a ticket's field) names a country, never the US state of that code.
  const asCountry = /^[Cc]ountry/.test(code[0]);
  const readings = code[2] || asCountry ? [] : codeReadings(country);
  // "in TX": an upper-case code that is a US state's and no country's is that state.
  if (readings.length === 0 && !code[2] && !asCountry && code[1] === country && stateName(country))
    return placeCode(`US-${country}`, code[0].trim());
  // "in BC", "from ON": a Canadian province's code that is no country's is that province.
  if (readings.length === 0 && !code[2] && !asCountry && code[1] === country && PROVINCE_CODES.has(country))
    return placeCode(`CA-${country}`, code[0].trim());
  if (readings.length > 0) return oneOfSeveral(readings, code[0].trim(), code[1]!, law);
  try {
    const name = new Intl.DisplayNames(['en'], { type: 'region' }).of(country);
    if (name && name !== country) {
      const at = placeNamed(name.toLowerCase());
      const region = code[2]?.toUpperCase();
      return {
        country,
        ...(region ? { region } : {}),
        ...(at?.regime ? { regime: at.regime } : {}),
        said: code[0].trim(),
      };
    }
  } catch {
    // not a region code
  }
  return undefined;
}

/**
 * A code that may mean several places (`readings`): the one the law named fits, the country where
 * the law is no US one, or else the question which.
 */
function oneOfSeveral(
  readings: { code: string; name: string }[],
  said: string,
  typed: string,
  law: Regime | undefined,
): Place | undefined {
  const places = readings.map((r) => placeCode(r.code, said));
  const fits = law ? places.filter((p) => p.regime === law) : [];
  if (fits.length === 1) return fits[0];
  if (law && !['ccpa', 'us-state'].includes(law)) return places.find((p) => !p.region) ?? places[0];
  const names = readings.map((r) => r.name);
  return {
    country: '',
    said: typed,
    ask: `By "${typed}" do you mean ${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}? (or name the law)`,
  };
}

/** A lower-case US state code the line marks as a place ("a co resident", "tx customer"). */
export function stateCodeIn(line: string): { code: string; said: string } | undefined {
  for (const m of line.matchAll(STATE_CODE_CUE_ANY_CASE)) {
    const said = m[1] ?? m[2]!;
    const code = said.toUpperCase();
    // "tx customer", "CA resident" (a resident is of a state, not of Canada): typed all in one case.
    const oneCase = said === said.toLowerCase() || said === code;
    if (oneCase && !CODE_STOPWORDS.has(said) && stateName(code)) return { code, said };
  }
  return undefined;
}

/**
 * The country an address's ending suggests (".pl" -> Poland, ".com.br" -> Brazil, ".co.uk" -> the
 * UK), where a law follows from it; generic endings (".io", ".co", ".com") suggest none.
 */
export function placeFromAddress(
  email: string,
): { country: string; region?: string; said: string } | undefined {
  const tld = /\.([a-z]{2})$/i.exec(email)?.[1]?.toLowerCase();
  if (!tld || GENERIC_CCTLDS.has(tld)) return undefined;
  const country = tld === 'uk' ? 'GB' : tld.toUpperCase();
  if (!lawOf(country)) return undefined;
  return { country, said: `.${tld}` };
}
