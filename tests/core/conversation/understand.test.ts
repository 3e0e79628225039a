import { describe, expect, it } from 'vitest';
import {
  type RequestRef,
  type Understanding,
  understand,
} from '../../../src/core/conversation/understand.js';
import {
  type ExpectedAction,
  NOW,
  ROUND_5,
  ROUND_6,
  ROUND_7,
  ROUND_9,
  ROUND_10,
  ROUND_11,
  UTTERANCES,
  type Utterance,
} from '../../fixtures/utterances.js';

/** Round 11 so far: the lines of priority 1 and 2 (a name with "it", refusals, name corrections); the rest not yet run. */
const ROUND_11_DONE = ROUND_11;

/** Issue 16: the table of staff utterances, read by the one parser, at 95% or more. */
const PASS_RATE = 0.95;
const now = new Date(NOW);
const today = NOW.slice(0, 10);

function idOf(ref: RequestRef, shown: string | undefined): string | undefined {
  if ('id' in ref) return ref.id;
  if ('name' in ref) return undefined;
  if ('number' in ref) return `DSR-2026-${String(ref.number).padStart(4, '0')}`;
  return shown;
}

/** A close whose outcome was just asked for names that request when the outcome comes. */
function contextOf(u: Utterance) {
  // A follow-up ("and under lgpd?") builds on the deadline question said before it.
  const said = u.context?.before ? understand(u.context.before, { now, timeZone: 'UTC' }) : undefined;
  const asked = said?.kind === 'deadline' ? said : said?.kind === 'clarify' ? said.deadline : undefined;
  return {
    now,
    timeZone: 'UTC',
    ...(asked ? { lastDeadline: asked } : {}),
    draft: Boolean(u.context?.draft),
    ...(u.context?.queued ? { queued: true } : {}),
    ...(u.context?.closing ? { awaiting: { outcome: u.context.closing } } : {}),
  };
}

/** What is wrong with a reading, against the expectation; empty when it is right. */
function compare(got: Understanding, want: ExpectedAction, u: Utterance): string[] {
  // Whether a request exists is the register's to say: the parser only has to name it.
  if (want.kind === 'not-found')
    return got.kind === 'request' ||
      (got.kind === 'clarify' && 'ref' in got) ||
      (got.kind === 'intake' && got.fields.appealOf)
      ? []
      : [`read as ${got.kind}`];
  // Which requests a name or a description fits is the register's to say: the parser reads it.
  if (want.kind === 'which') {
    const ref = got.kind === 'request' || got.kind === 'clarify' ? got.ref : undefined;
    return ref && ('name' in ref || 'match' in ref) ? [] : [`read as ${got.kind}`];
  }
  // A new intake while a draft waits is an intake (the engine queues it).
  if (want.kind === 'queue') {
    if (got.kind !== 'intake') return [`read as ${got.kind}`];
    const wrong: string[] = [];
    if (want.type && got.fields.type !== want.type) wrong.push(`type ${got.fields.type}`);
    if (want.name && got.fields.name !== want.name) wrong.push(`name ${got.fields.name}`);
    if (want.regime && got.fields.regime !== want.regime) wrong.push(`regime ${got.fields.regime}`);
    return wrong;
  }
  if (want.kind === 'replace') return got.kind === 'replace' ? [] : [`read as ${got.kind}`];
  if (want.kind === 'redate') {
    if (got.kind !== 'redate') return [`read as ${got.kind}`];
    const wrong: string[] = [];
    // A requester's name is the register's to resolve: the parser only has to read it.
    const id =
      'match' in got.ref || ('name' in got.ref && got.ref.name === want.byName)
        ? want.id
        : idOf(got.ref, u.context?.shown);
    if (id !== want.id) wrong.push(`id ${id}`);
    if (got.received !== want.received) wrong.push(`received ${got.received}`);
    return wrong;
  }
  if (want.kind === 'appeal-unlinked') {
    if (got.kind !== 'intake' || got.fields.type !== 'appeal' || got.fields.appealOf)
      return [`read as ${got.kind}${got.kind === 'intake' ? ` of type ${got.fields.type}` : ''}`];
    const wrong: string[] = [];
    const f = got.fields;
    if (f.regime !== want.regime) wrong.push(`regime ${f.regime}`);
    if (f.region !== want.region) wrong.push(`region ${f.region}`);
    if ((f.received ?? today) !== want.received) wrong.push(`received ${f.received}`);
    if (want.name && f.name !== want.name) wrong.push(`name ${f.name}`);
    return wrong;
  }
  // Whether the original's law has an appeal is the register's to say: the parser reads the link.
  if (want.kind === 'appeal') {
    if (got.kind !== 'intake' || got.fields.type !== 'appeal' || !got.fields.appealOf)
      return [`read as ${got.kind}${got.kind === 'intake' ? ` of type ${got.fields.type}` : ''}`];
    const ref = got.fields.appealOf;
    const id = want.byName
      ? 'name' in ref
        ? ref.name.toLowerCase()
        : undefined
      : idOf(ref, u.context?.shown);
    const wrong = id === (want.byName ?? want.of) ? [] : [`appeal of ${id}`];
    const received = got.fields.received ?? today;
    if (want.received && received !== want.received) wrong.push(`received ${received}`);
    return wrong;
  }
  // Whether a request is paused or waited on is the register's to decide: the parser reads the verb.
  if (want.kind === 'waiting') {
    if (got.kind !== 'request') return [`read as ${got.kind}`];
    const verb = want.waiting ? 'pause' : 'resume';
    const id = want.byName
      ? 'name' in got.ref
        ? got.ref.name.toLowerCase()
        : undefined
      : idOf(got.ref, u.context?.shown ?? u.context?.waiting);
    return got.verb === verb && id === (want.byName ?? want.id) ? [] : [`read as ${got.verb} of ${id}`];
  }
  if (got.kind !== want.kind) return [`read as ${got.kind}`];
  const wrong: string[] = [];
  const check = (what: string, g: unknown, w: unknown) => {
    if (w !== undefined && g !== w) wrong.push(`${what}: got ${String(g)}, want ${String(w)}`);
  };
  if (
    (got.kind === 'intake' || got.kind === 'correct') &&
    (want.kind === 'intake' || want.kind === 'correct')
  ) {
    const f = got.fields;
    check('type', f.type, want.type);
    // `null`: none may be read (the contact given was another one).
    check('email', f.email ?? null, want.email);
    check('phone', f.phone, want.phone);
    check('address', f.address, want.address);
    check('name', f.name ?? null, want.name);
    check('received', want.kind === 'intake' ? (f.received ?? today) : f.received, want.received);
    check('regime', f.regime, want.regime);
    check('country', f.country, want.country);
    check('region', f.region, 'region' in want ? want.region : undefined);
    check('channel', f.channel, 'channel' in want ? want.channel : undefined);
    if (want.kind === 'intake' && want.missing?.includes('law')) check('regime', f.regime ?? 'none', 'none');
    if (want.kind === 'intake' && want.missing?.includes('email')) check('email', f.email ?? 'none', 'none');
    for (const contact of ['phone', 'address'] as const)
      if (want.kind === 'intake' && want.missing?.includes(contact))
        check(contact, f[contact] ?? 'none', 'none');
  }
  if (got.kind === 'edit' && want.kind === 'edit') {
    check('id', idOf(got.ref, u.context?.shown), want.id);
    check('email', got.fields.email, want.email);
    check('phone', got.fields.phone, want.phone);
    check('address', got.fields.address, want.address);
    check('name', got.fields.name, want.name);
  }
  if (got.kind === 'request' && want.kind === 'request') {
    check('verb', got.verb, want.verb);
    // A requester's name is read as that name; which request it is, is the register's to say.
    if (want.byName) check('name', 'name' in got.ref ? got.ref.name.toLowerCase() : undefined, want.byName);
    else if (want.described) {
      const match = 'match' in got.ref ? got.ref.match : undefined;
      if (!match) wrong.push(`not described: ${JSON.stringify(got.ref)}`);
      else
        for (const [k, v] of Object.entries(want.described))
          check(k, (match as unknown as Record<string, unknown>)[k], v);
    } else check('id', idOf(got.ref, u.context?.shown ?? u.context?.closing), want.id);
    check('outcome', got.outcome, want.outcome);
    check('owner', got.owner, want.owner);
    check('note', got.note?.toLowerCase(), want.note?.toLowerCase());
  }
  if (got.kind === 'list' && want.kind === 'list') {
    const filter = got.unassigned
      ? 'unassigned'
      : got.dueBy
        ? 'due'
        : got.mine && got.status === 'open'
          ? 'mine'
          : got.status;
    check('filter', filter, want.filter);
    check('due by', got.dueBy, want.dueBy);
    check('law', got.regime, want.regime);
  }
  if (got.kind === 'deadline' && want.kind === 'deadline') {
    check('law', got.regime, want.regime);
    check('received', got.received, want.received);
    check('type', got.type, want.type);
    check('country', got.country, want.country);
    check('region', got.region, want.region);
    if (want.extended) check('extended', got.extended, true);
  }
  return wrong;
}

/** The lines not read as meant, each with what is wrong and the reading. */
function failuresOf(lines: Utterance[]): string[] {
  const failures: string[] = [];
  for (const u of lines) {
    const got = understand(u.text, contextOf(u));
    const wrong = compare(got, u.expect, u);
    if (wrong.length > 0)
      failures.push(
        `${u.context ? `[${Object.keys(u.context)}] ` : ''}${u.text} -> ${wrong.join('; ')} ${JSON.stringify(got)}`,
      );
  }
  return failures;
}

describe('understand: the staff utterance table', () => {
  it(`reads at least ${PASS_RATE * 100}% of the lines as meant`, () => {
    const failures = failuresOf(UTTERANCES);
    const passed = UTTERANCES.length - failures.length;
    console.log(`utterances read as meant: ${passed}/${UTTERANCES.length}\n${failures.join('\n')}`);
    expect(passed / UTTERANCES.length).toBeGreaterThanOrEqual(PASS_RATE);
  });

  it('reads every line of round 5 as meant (post and phone, appeals, lower-case names)', () => {
    expect(failuresOf(ROUND_5)).toEqual([]);
  });

  it('reads every line of round 6 as meant (requesters by name, my stuff, short state names, what-ifs)', () => {
    expect(failuresOf(ROUND_6)).toEqual([]);
  });

  it('reads every line of round 7 as meant (a name beside "it", off hold, whole addresses, reasons)', () => {
    expect(failuresOf(ROUND_7)).toEqual([]);
  });

  it('reads every line of round 9 as meant (first names, descriptions, notes, lists, yes/no phrases, queued intake)', () => {
    expect(failuresOf(ROUND_9)).toEqual([]);
  });

  it('reads every line of round 10 as meant (casual lifecycle words, focus, lists, deadline follow-ups, signatures, unlinked appeals)', () => {
    expect(failuresOf(ROUND_10)).toEqual([]);
  });
});

describe('understand: readings that must not be guessed', () => {
  const read = (line: string, draft = false) => understand(line, { now, timeZone: 'UTC', draft });

  it.each([
    'can we extend the deadline under GDPR?',
    'can I delete request 0003?',
    'what is a DSAR?',
    'shwo DSR-2026-0001',
    'can we continue processing 0003 while we wait?',
  ])('"%s" stays a question', (line) => {
    expect(read(line).kind).toBe('question');
  });

  it('asks which law for a place with none of its own, rather than guessing one', () => {
    const got = read('deletion request from someone in the US, us@example.com');
    expect(got).toMatchObject({ kind: 'intake', fields: { country: 'US' } });
    expect(got.kind === 'intake' && got.fields.regime).toBeUndefined();
  });

  it('says a yes with nothing waiting is not confirmed, and reads "hold on" as small talk', () => {
    expect(read('yes')).toEqual({ kind: 'smalltalk', what: 'no-draft' });
    expect(read('hold on').kind).toBe('smalltalk');
  });

  it('asks for the outcome of a close, naming the request as written', () => {
    expect(read('close 0002')).toMatchObject({
      kind: 'clarify',
      question: expect.stringMatching(/^Close 0002 as/),
    });
  });
});

describe('understand: requester names in any case', () => {
  const fieldsOf = (line: string) => {
    const got = understand(line, { now, timeZone: 'UTC' });
    return got.kind === 'intake' || got.kind === 'correct' ? got.fields : undefined;
  };

  it.each([
    ['got a sar from hana kovac hana@example.cz, czechia', 'Hana Kovac'],
    ['erasure for sean o’neill sean@example.ie', 'Sean O’Neill'],
    ['dsar - maria de la cruz mdlc@example.es, spain', 'Maria de la Cruz'],
    ['access request from Ronan McDonald ronan@example.ie', 'Ronan McDonald'],
    ['german customer jörg-peter weiß jpw@example.de wants a copy of his data', 'Jörg-Peter Weiß'],
  ])('"%s" records %s', (line, name) => {
    expect(fieldsOf(line)?.name).toBe(name);
  });

  it.each([
    'deletion request from a customer in france, c@example.fr',
    'sar via the support portal from p@example.de',
    'access request from q@example.de under gdpr, received monday',
    'email is someone@example.com',
  ])('"%s" records no name', (line) => {
    const got = understand(line, { now, timeZone: 'UTC', draft: line.startsWith('email') });
    expect(got.kind === 'intake' || got.kind === 'correct' ? got.fields.name : 'not read').toBeUndefined();
  });
});

describe('understand: names of everyday words typed in lower case (issue 16, round 5)', () => {
  const fieldsOf = (line: string) => {
    const got = understand(line, { now, timeZone: 'UTC' });
    return got.kind === 'intake' ? got.fields : undefined;
  };

  it.each([
    ['new dsar from rose baker rose@example.com, uk', 'Rose Baker'],
    ['erasure for will brown wb@example.com, germany', 'Will Brown'],
    ['access request for hope long, hope@example.com, texas', 'Hope Long'],
    ['erasure request by bill young by@example.com under ccpa', 'Bill Young'],
    ['dsar from grace gr@example.com, uk', undefined],
    ['dsar from grace grace.h@example.com, uk', 'Grace'],
  ])('"%s" records %s', (line, name) => {
    expect(fieldsOf(line)?.name).toBe(name);
  });

  it.each([
    'dsar from the sales team st@example.com, uk',
    'erasure request from our lawyer la@example.com, france',
    'access request from an existing client ec@example.com, spain',
    'sar received monday from legal ops lo@example.com, uk',
  ])('"%s" records no name: a word in it is clearly none', (line) => {
    expect(fieldsOf(line)?.name).toBeUndefined();
  });
});

describe('understand: two-letter places that are also US states or cities', () => {
  const read = (line: string) => understand(line, { now, timeZone: 'UTC' });

  it('asks about a code that is a country and a US state, naming each reading', () => {
    const got = read('deletion request from jo@example.com, she lives in GA');
    expect(got).toMatchObject({
      kind: 'intake',
      fields: { placeQuestion: expect.stringMatching(/Georgia or Gabon\?/) },
    });
    expect(got.kind === 'intake' && got.fields.regime).toBeUndefined();
  });

  it('lets the law named decide between the readings', () => {
    expect(read('access request from jo@example.com under ccpa in CA')).toMatchObject({
      kind: 'intake',
      fields: { country: 'US', region: 'CA', regime: 'ccpa' },
    });
    expect(read('access request from jo@example.com under pipeda in CA')).toMatchObject({
      kind: 'intake',
      fields: { country: 'CA', regime: 'pipeda' },
    });
  });
});

describe('understand: a request from a named person with a postal address', () => {
  it('is an intake that keeps the address as the contact, not a policy question', () => {
    expect(
      understand('postal request from John Smith, 1 Main Road, Dublin', { now, timeZone: 'UTC' }),
    ).toMatchObject({
      kind: 'intake',
      fields: { name: 'John Smith', address: '1 Main Road, Dublin', country: 'IE' },
    });
  });
});

describe('understand: words before an address that are no name', () => {
  it.each([
    'deletion request from marketing team, mk@example.com, germany',
    'access request forwarded by legal team lt@example.com under gdpr',
    'dsar from our support inbox sup@example.com, uk',
    'sar from a former candidate fc@example.co.uk uk',
  ])('"%s" records no name (the draft asks for one)', (line) => {
    const got = understand(line, { now, timeZone: 'UTC' });
    expect(got.kind === 'intake' ? got.fields.name : 'not an intake').toBeUndefined();
  });
});

describe('understand: thanks and praise get a friendly reply, not "did not understand"', () => {
  const read = (line: string) => understand(line, { now, timeZone: 'UTC' });

  it.each([
    'hey thanks!!',
    'cheers mate',
    'great, ty',
    'thank u so much 🙏',
    'great',
    'perfect!',
    'ok thanks',
  ])('"%s" is thanks', (line) => {
    expect(read(line)).toEqual({ kind: 'smalltalk', what: 'thanks' });
  });
});

describe('understand: an owner is a person, never a common word', () => {
  const read = (line: string) => understand(line, { now, timeZone: 'UTC' });

  it.each([
    ['give 0001 more time, its complex', 'extend'],
    ['give #2 the rest of the week', 'clarify'],
  ])('"%s" gives it to nobody (%s)', (line, kind) => {
    const got = read(line);
    expect(got.kind === 'request' ? got.verb : got.kind).toBe(kind);
    expect(got.kind === 'request' && got.owner).toBeFalsy();
  });

  it.each([
    ['bump 2 to priya', 'priya'],
    ['assign 4 Mark', 'Mark'],
    ['hand #3 over to @mark', 'mark'],
  ])('"%s" is owned by %s', (line, owner) => {
    expect(read(line)).toMatchObject({ kind: 'request', verb: 'assign', owner });
  });
});

describe('understand: a close says its outcome in its own words', () => {
  const read = (line: string) => understand(line, { now, timeZone: 'UTC' });

  it.each([
    ['we sent the data to 1, close it', 'completed'],
    ['close 2, request refused as manifestly unfounded', 'rejected'],
    ['they withdrew it, close 0003', 'withdrawn'],
  ])('"%s" closes as %s', (line, outcome) => {
    expect(read(line)).toMatchObject({ kind: 'request', verb: 'close', outcome });
  });

  it('does not read an outcome that is denied ("not sent")', () => {
    expect(read('close 3, data not sent yet').kind).toBe('clarify');
  });
});

describe('understand: round 4 of the blind test', () => {
  const read = (line: string, draft = false) => understand(line, { now, timeZone: 'UTC', draft });

  it.each([
    ['close 0003 completed, close it', undefined],
    ['0003 is done, so close it', undefined],
    ['close #2 rejected - excessive, pls close', 'excessive'],
  ])('"%s" records no command words as the note', (line, note) => {
    const got = read(line);
    expect(got).toMatchObject({ kind: 'request', verb: 'close' });
    expect(got.kind === 'request' && got.note).toBe(note);
  });

  it('strips the command words from an outcome given after a close asked for one', () => {
    const got = understand('completed — close it', {
      now,
      timeZone: 'UTC',
      awaiting: { outcome: 'DSR-2026-0003' },
    });
    expect(got).toMatchObject({ kind: 'request', verb: 'close', outcome: 'completed' });
    expect(got.kind === 'request' && got.note).toBeUndefined();
  });

  it('keeps the reason of a rejection as its note', () => {
    expect(read("we're rejecting #1 - manifestly unfounded, 5th request this month")).toMatchObject({
      kind: 'request',
      verb: 'close',
      outcome: 'rejected',
      ref: { number: 1 },
      note: 'manifestly unfounded, 5th request this month',
    });
  });

  it('suggests the place an address ends in, without applying it', () => {
    const got = read('access request from kasia@example.pl');
    expect(got.kind === 'intake' && got.fields).toMatchObject({ placeHint: { country: 'PL', said: '.pl' } });
    expect(got.kind === 'intake' && got.fields.regime).toBeUndefined();
    const br = read('erasure request from joao@example.com.br');
    expect(br.kind === 'intake' && br.fields.placeHint?.country).toBe('BR');
    // A generic ending (.io) or a place said in the line gives no hint.
    expect(
      read('access request from a@example.io').kind === 'intake' && read('access request from a@example.io'),
    ).toMatchObject({ fields: {} });
    const said = read('access request from b@example.de, spain');
    expect(said.kind === 'intake' && said.fields.placeHint).toBeUndefined();
  });

  it('says that a targeted-advertising opt-out stands in for a type the register lacks', () => {
    const got = read('opt out of targeted ads from ty@example.com, colorado');
    expect(got.kind === 'intake' && got.fields.typeNote).toMatch(/targeted advertising/);
  });

  it('never reads a day beside a month, or a year, as a request number', () => {
    expect(read('uk gdpr deadline if we extend, received 15 oct 2026').kind).toBe('deadline');
    expect(read('pipeda deadline for something received nov 23?').kind).toBe('deadline');
    expect(read('mark 2 done')).toMatchObject({ kind: 'request', ref: { number: 2 } });
    expect(read('show 0003, received 5 oct')).toMatchObject({ kind: 'request', ref: { number: 3 } });
  });
});

describe('understand: a right asked for in the requester own language', () => {
  const read = (line: string) => understand(line, { now, timeZone: 'UTC' });
  it.each([
    ['quiero acceder a mis datos', 'access'],
    ['je veux supprimer mes données', 'erasure'],
    ['ich möchte meine Daten löschen', 'erasure'],
    ['quero excluir meus dados', 'erasure'],
    ['vorrei cancellare i miei dati', 'erasure'],
  ])('"%s" starts a draft for %s', (line, type) => {
    expect(read(line)).toMatchObject({ kind: 'intake', fields: { type } });
  });

  it('reads "if we extend" as a question about the extended deadline', () => {
    expect(read('uk gdpr deadline if we extend, received 15 oct 2026')).toMatchObject({
      kind: 'deadline',
      extended: true,
      received: '2026-10-15',
    });
  });
});

describe('understand: a correction of the waiting draft', () => {
  const read = (line: string) => understand(line, { now, timeZone: 'UTC', draft: true });
  it('takes "correction:" as a cue but "correction request" as a request', () => {
    expect(read('correction: it was received on the 1st, not 3 days ago')).toMatchObject({
      kind: 'correct',
      fields: { received: '2026-12-01' },
    });
    expect(read('actually it was received on the 24th not 3 days ago')).toMatchObject({
      kind: 'correct',
      fields: { received: '2026-11-24' },
    });
    expect(read('correction request - UK - Tom Baker, wants his address fixed').kind).toBe('intake');
  });
});

describe('understand: round 9 readings checked after the rules were written', () => {
  const read = (line: string) => understand(line, { now, timeZone: 'UTC' });
  it.each([
    ['when are the gdpr ones due', 'list'],
    ['do we send reminders to requesters?', 'question'],
    ['does the policy say we send reminders', 'question'],
    ['can you send the reminders?', 'reminders'],
    ['how do reminders work', 'reminders'],
    ['what is the status of the eu-us data privacy framework', 'question'],
    ['does the gdpr apply to the uk one', 'question'],
  ])('"%s" is a %s', (line, kind) => {
    expect(read(line).kind).toBe(kind);
  });

  it.each([
    ['who owns the uk one?', 'show', { match: { country: 'GB', said: 'the uk one' } }],
    ["what's the deadline for the uk one", 'show', { match: { country: 'GB', said: 'the uk one' } }],
    ['when is the texas one due?', 'show', { match: { country: 'US', region: 'TX', said: 'the texas one' } }],
    ['show me bob smith', 'show', { name: 'bob smith' }],
    ['add a comment: called her back', 'note', { it: true }],
  ])('"%s" names a request to %s', (line, verb, ref) => {
    expect(read(line)).toMatchObject({ kind: 'request', verb, ref });
  });

  it('never says a requester name back when it asks how to close', () => {
    const r = read('close kevin wu');
    expect(r).toMatchObject({ kind: 'clarify', ref: { name: 'kevin wu' } });
    expect(r.kind === 'clarify' && r.question).not.toMatch(/kevin/i);
  });

  it('reads "anything open for me?" and "what have i got open" as mine', () => {
    expect(read('anything open for me?')).toMatchObject({ kind: 'list', mine: true });
    expect(read('what have i got open')).toMatchObject({ kind: 'list', mine: true });
  });
});

describe('understand: round 10 readings checked after the rules were written', () => {
  const read = (line: string) => understand(line, { now, timeZone: 'UTC' });
  it.each([
    ['do we keep parking data?', 'question'],
    ['can we extend the deadline under GDPR?', 'question'],
    ['hold on', 'smalltalk'],
    ['which requests am i on', 'list'],
    ['under gdpr', 'question'],
  ])('"%s" is a %s', (line, kind) => {
    expect(read(line).kind).toBe(kind);
  });

  it('keeps a note as typed when it speaks of the received date', () => {
    expect(read('note on 3: she says the received date was wrong, it came nov 2')).toMatchObject({
      kind: 'request',
      verb: 'note',
      note: 'she says the received date was wrong, it came nov 2',
    });
  });

  it('reads "due before friday" as the day before it', () => {
    expect(read('is anything due before friday')).toMatchObject({ kind: 'list', dueBy: '2026-12-03' });
  });

  it('takes a named yearly day as the coming one in a what-if', () => {
    expect(read('when is a gdpr request due if it lands on christmas')).toMatchObject({
      kind: 'deadline',
      received: '2026-12-25',
    });
  });

  it('reads every line of round 11 as meant (a name with "it", refusals with "dup", name corrections, due dates and history by name, "CA", pasted tickets)', () => {
    expect(failuresOf(ROUND_11_DONE)).toEqual([]);
  });
});
