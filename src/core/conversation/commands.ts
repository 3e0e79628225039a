/**
 * The commands and what they do, for `help`; the first word of each usage is the command word the
 * typo hint knows. Everyday wording works too (`understand.ts`): "mark 0003 done", "what's due this
 * week", "new DSAR from jane@example.com, she's in Spain".
 */
export const COMMANDS: { usage: string; what: string; team?: boolean }[] = [
  {
    usage: '<question>',
    what: 'answer from the privacy policy, with quotes (e.g. "how long do we keep technical logs?")',
  },
  { usage: 'request', what: 'log a rights request (a form in Slack and Teams)' },
  {
    usage: 'log <type> request from <name> <email> received <date> in <country or US state>',
    what: 'log a request in one line (e.g. "new DSAR from maria@example.es, arrived Monday, she\'s in Spain"); a phone number or postal address does instead of the email ("sar by post from John Smith, 1 Main Road, Dublin"); you see every field and the exact deadline, then say yes, no, or correct any field',
  },
  {
    usage: 'appeal 0001 received <date>',
    what: 'log an appeal of a refusal, linked to that request ("the customer appealed our refusal of #4"); US state laws; you see the appeal\'s deadline first',
    team: true,
  },
  {
    usage: 'deadline <law> <YYYY-MM-DD> [country]',
    what: 'the legal response deadline, with the rule (e.g. "deadline gdpr 2026-01-31 DE", "ccpa deadline if received today", "deadline ccpa today opt-out")',
  },
  {
    usage: 'requests [mine|open|overdue|due soon|all] [law]',
    what: 'list requests (e.g. "my requests", "what\'s due this week", "anything overdue?", "requests open gdpr")',
    team: true,
  },
  {
    usage: 'show 0001',
    what: 'a request with its audit trail; name it by id (DSR-2026-0001), number (0001, #1), "it", its requester ("maria\'s request") or what it is ("the texas one"; several that fit are asked about)',
    team: true,
  },
  { usage: 'assign 0001 @person', what: 'set the owner ("I\'ll take 0001", "assign it to me")', team: true },
  { usage: 'start 0001', what: 'start work on it', team: true },
  { usage: 'extend 0001 [reason]', what: 'extend where the law allows', team: true },
  {
    usage: 'pause 0001 [reason] / resume 0001',
    what: 'stop and restart the clock where the law allows ("put #1 on hold")',
    team: true,
  },
  {
    usage: 'close 0001 completed|rejected|withdrawn [note]',
    what: 'close with an outcome ("mark 0001 done", "reject 0001", "withdraw 0001")',
    team: true,
  },
  { usage: 'reopen 0001', what: 'reopen a closed request', team: true },
  {
    usage: 'note 0001: <text>',
    what: 'add a note to the audit trail ("note on 2: verified id via passport"); nothing else changes',
    team: true,
  },
  {
    usage: 'reminders',
    what: 'how reminders go out and what they are about now ("send the reminders")',
    team: true,
  },
  { usage: 'help', what: 'this list' },
];
