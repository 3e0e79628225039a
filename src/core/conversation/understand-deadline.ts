import { REGIMES } from '../requests/deadlines.js';
import { todayIn } from '../requests/input.js';
import { namesYearlyDay, readDates, receivedDate } from './dates.js';
import { findPhrase } from './fields.js';
import { LAW_WORDS, TYPE_WORDS } from './law-and-type-words.js';
import { findPlace } from './line-places.js';
import { cityNamed, dateOrderOf, lawOf, placeNamed } from './places.js';
import { byDescription } from './understand-refs.js';
import type { LineContext, Understanding } from './understand-types.js';
import { isQuestion } from './understand-words.js';
import { ABOUT_POLICY, ASKS_WHEN, DEADLINE_CUE, FOLLOW_UP_LEAD, WHAT_IF_CUE } from './vocabulary.js';

/**
 * A law's deadline asked for ("gdpr deadline for a request received 15 oct", "if a cali opt out came
 * in today, when's it due"), and the follow-up that asks it again under another law ("and under lgpd?").
 */

/** A request imagined ("if a … came in", "say a … arrived", "suppose we got …"), not reported. */
const HYPOTHETICAL =
  /^(?:if|say|suppose|supposing|assuming|imagine|what if|hypothetically)\b|\b(?:if|suppose|say) (?:an?|we|one|someone|it|they)\b.*\b(?:came|comes|arrived|arrives|got|get|gets|received|receive)\b/;

export function deadline(line: string, lower: string, ctx: LineContext): Understanding | undefined {
  if (!DEADLINE_CUE.test(lower)) return undefined;
  // "when's the german one due", "when are the gdpr ones due": requests of the register, described,
  // not a law's deadline.
  if (byDescription(lower) || /\b(?:the|our|my)\s+(?:[\w-]+\s+){0,3}(?:ones|requests|cases)\b/.test(lower))
    return undefined;
  const law = findPhrase(lower, LAW_WORDS);
  // "if a cali opt out came in today, when's it due": a request imagined, its place said anywhere.
  const hypothetical = HYPOTHETICAL.test(lower);
  const where = findPlace(
    line,
    lower,
    /^deadline\b/.test(lower) || hypothetical ? 'any' : 'after-in',
    law?.value,
  );
  const regime = law?.value ?? where?.regime;
  if (!regime) return withoutLaw(line, lower, ctx, hypothetical);
  const order = dateOrderOf(where?.country || undefined, regime) ?? 'month-first';
  // "if it comes in Friday": a day still to come, read forward (the engine labels it a what-if).
  // A yearly day said by name in a what-if ("if one lands on christmas eve") is the coming one.
  const received =
    WHAT_IF_CUE.test(lower) || (hypothetical && namesYearlyDay(line))
      ? readDates(line, ctx.now, ctx.timeZone, 'future', order)[0]
      : receivedDate(line, ctx.now, ctx.timeZone, order);
  // "can we extend the deadline under GDPR?" asks about the rules, not for a date; "how long do
  // we have for an LGPD request?" asks for one, counted from today.
  if (
    !received &&
    isQuestion(lower) &&
    !/^deadline\b/.test(lower) &&
    (!ASKS_WHEN.test(lower) || ABOUT_POLICY.test(lower))
  )
    return undefined;
  const type = findPhrase(lower.replace(/\bdeadlines?\b/g, ' '), TYPE_WORDS);
  return {
    kind: 'deadline',
    regime,
    received: received?.date ?? todayIn(ctx.now, ctx.timeZone),
    receivedSaid: Boolean(received),
    ...(type ? { type: type.value } : {}),
    ...(where?.country && where.country !== '' ? { country: where.country } : {}),
    ...(where?.region ? { region: where.region } : {}),
    // "if we extend", "with the extension": the extended deadline is asked for.
    extended: /\bextended\b|\bif (?:we|you|i) extend\b|\bwith (?:an |the )?extension\b/.test(lower),
  };
}

/**
 * A deadline question that names no law: asked which, keeping the day and type said for the answer
 * that names one; nothing where the line is no deadline question after all.
 */
function withoutLaw(
  line: string,
  lower: string,
  ctx: LineContext,
  hypothetical: boolean,
): Understanding | undefined {
  // "if a sar lands on xmas eve, when is it due": a day or a type said, but no law. Asked, and
  // the day and type kept for the answer that names one ("under uk gdpr").
  if (!/^deadline\b/.test(lower) && (hypothetical || ASKS_WHEN.test(lower))) {
    const on = hypothetical && (WHAT_IF_CUE.test(lower) || namesYearlyDay(line)) ? 'future' : 'past';
    const day =
      on === 'future'
        ? readDates(line, ctx.now, ctx.timeZone, 'future')[0]
        : receivedDate(line, ctx.now, ctx.timeZone);
    const kind = findPhrase(lower.replace(/\bdeadlines?\b/g, ' '), TYPE_WORDS);
    if (day || kind)
      return {
        kind: 'clarify',
        question: `Under which law? Say it, e.g. "under gdpr", "under uk gdpr" or "in california", and I will give the deadline${day ? ` for a request received ${day.date}` : ''}.`,
        deadline: {
          kind: 'deadline',
          received: day?.date ?? todayIn(ctx.now, ctx.timeZone),
          receivedSaid: Boolean(day),
          ...(kind ? { type: kind.value } : {}),
          extended: false,
        },
      };
  }
  if (!/^deadline\b/.test(lower)) return undefined;
  const word = /^deadline\s+([^\s\d][^\s]*)/.exec(lower)?.[1];
  return {
    kind: 'clarify',
    question: `${word ? `I know no law called "${word.slice(0, 30)}" (unknown regime). ` : ''}Under which law? Use one of ${REGIMES.join(', ')}, or name the country or US state, e.g. "deadline gdpr 2026-01-31 DE".`,
  };
}

/**
 * "and under lgpd?", "what about pipeda", "and in brazil?": the deadline question just asked (or
 * one that named no law) asked again under the law named, for the same day and type.
 */
export function followUp(lower: string, ctx: LineContext): Understanding | undefined {
  const last = ctx.lastDeadline;
  if (!last || ctx.draft) return undefined;
  const rest = lower
    .replace(FOLLOW_UP_LEAD, '')
    .replace(/[\s?!.]+$/, '')
    .replace(/\s+(?:then|instead|too)$/, '')
    .trim();
  if (!rest) return undefined;
  const law = LAW_WORDS[rest];
  const place = law ? undefined : (placeNamed(rest) ?? cityNamed(rest));
  const regime =
    law ?? (place && !place.ask ? (place.regime ?? lawOf(place.country, place.region)) : undefined);
  if (!regime) return undefined;
  const { country: _c, region: _r, regime: _l, ...asked } = last;
  return {
    ...asked,
    kind: 'deadline',
    regime,
    ...(place?.country ? { country: place.country } : {}),
    ...(place?.region ? { region: place.region } : {}),
  };
}
