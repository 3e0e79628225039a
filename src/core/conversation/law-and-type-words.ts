import type { Regime, RequestType } from '../requests/deadlines.js';

/**
 * The words staff and requesters use for laws and request types ("gdpr", "a deletion", "take me off
 * your systems", "quiero acceder a mis datos"), as data; adding a word here teaches the chat one.
 */

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
