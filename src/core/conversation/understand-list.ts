import { addDays } from '../requests/calendar.js';
import { todayIn } from '../requests/input.js';
import { DUE_SOON_DAYS, dueHorizon, readDates } from './dates.js';
import { findPhrase } from './fields.js';
import { LAW_WORDS } from './law-and-type-words.js';
import type { LineContext, ListStatus, Understanding } from './understand-types.js';
import { words } from './understand-words.js';
import {
  BEFORE_DAY,
  BY_LAW_CUE,
  BY_LAW_MAX_WORDS,
  BY_LAW_WORDS,
  LIST_ANCHOR,
  LIST_VOCABULARY,
  MINE,
  UNOWNED,
} from './vocabulary.js';

/** A list of requests asked for: open, overdue, due soon, closed, mine, by law, unowned, or how many. */

export function list(line: string, lower: string, ctx: LineContext): Understanding | undefined {
  let rest = lower;
  for (const d of readDates(line, ctx.now, ctx.timeZone, 'future'))
    rest = rest.replace(d.text.toLowerCase(), ' ');
  const law = findPhrase(rest, LAW_WORDS);
  if (law)
    rest = rest.replace(
      new RegExp(
        Object.keys(LAW_WORDS)
          .filter((k) => LAW_WORDS[k] === law.value)
          .sort((a, b) => b.length - a.length)
          .map((k) => `\\b${k}\\b`)
          .join('|'),
        'g',
      ),
      ' ',
    );
  const ws = words(rest).filter((w) => !/^\d+$/.test(w));
  // "anything under gdpr?", "requests under lgpd": a law and list words only make a list of it.
  const anchored = LIST_ANCHOR.test(lower);
  const byLaw =
    Boolean(law) && ws.length <= BY_LAW_MAX_WORDS && ws.some((w) => BY_LAW_CUE.has(w)) && !anchored;
  if (!(anchored || byLaw) || !ws.every((w) => LIST_VOCABULARY.has(w) || (law && BY_LAW_WORDS.has(w))))
    return undefined;
  const mine = MINE.test(lower);
  let status: ListStatus = 'open';
  let dueBy: string | undefined;
  const open = /\bopen\b/.test(lower);
  if (/\b(?:overdue|late|past due)\b/.test(lower)) status = 'overdue';
  // "everything, open or closed": both; "closed ones": only those.
  else if (/\bclosed\b/.test(lower)) status = open ? 'all' : 'closed';
  else if (/\bdue\b|\bsoon\b|\bupcoming\b/.test(lower)) {
    dueBy = dueHorizon(line, ctx.now, ctx.timeZone) ?? addDays(todayIn(ctx.now, ctx.timeZone), DUE_SOON_DAYS);
    // "due before the 20th": the day named is not included.
    const named = readDates(line, ctx.now, ctx.timeZone, 'future')[0];
    if (named && BEFORE_DAY.test(lower.slice(0, named.index))) dueBy = addDays(named.date, -1);
  } else if (/\ball\b|\beverything\b/.test(lower) && !open) status = 'all';
  return {
    kind: 'list',
    status,
    mine,
    ...(dueBy ? { dueBy } : {}),
    ...(law ? { regime: law.value } : {}),
    ...(/\bhow many\b|\bcount\b|\bnumber of\b/.test(lower) ? { count: true } : {}),
    ...(UNOWNED.test(lower) ? { unassigned: true } : {}),
    ...(byLaw ? { byLaw: true } : {}),
  };
}
