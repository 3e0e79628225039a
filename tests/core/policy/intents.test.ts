import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/core/errors.js';
import { loadIntents } from '../../../src/core/policy/intents.js';
import { INTENTS_DIR, loadLexiconData } from '../../../src/core/policy/language.js';
import { FACT_KINDS } from '../../../src/core/policy/model.js';

/** Intents are data: the shipped files load; a bad file stops start-up with its name in the error. */

describe('the shipped intents', () => {
  it('load, with unique ids, examples and known fact kinds', () => {
    const intents = loadIntents(INTENTS_DIR).all();
    const ids = intents.map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    // The answerer falls back to policy.general and answers retention from facts.
    expect(ids).toEqual(expect.arrayContaining(['policy.general', 'policy.retention']));
    for (const intent of intents) {
      expect(intent.examples.length, intent.id).toBeGreaterThan(0);
      for (const kind of intent.facts) expect(FACT_KINDS, intent.id).toContain(kind);
    }
  });

  it('keep the lexicon out of the intents and load it on its own', () => {
    const lexicon = loadLexiconData();
    expect(lexicon.synonyms.length).toBeGreaterThan(0);
    expect(
      loadIntents(INTENTS_DIR)
        .all()
        .some((i) => i.id.includes('lexicon')),
    ).toBe(false);
  });
});

describe('loadIntents with bad files', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'privacy-ops-intents-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const intent = (id: string, extra = '') =>
    `  - id: ${id}\n    description: A test intent.\n    examples:\n      - How long do we keep things?\n${extra}`;

  function failure(): AppError {
    try {
      loadIntents(dir);
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('CONFIG');
      return error as AppError;
    }
    throw new Error('loadIntents accepted a bad directory');
  }

  it('loads a good directory', () => {
    writeFileSync(join(dir, 'a.yaml'), `intents:\n${intent('test.one')}`);
    writeFileSync(join(dir, 'b.yml'), `intents:\n${intent('test.two', '    facts: [retention]\n')}`);
    writeFileSync(join(dir, 'notes.txt'), 'not an intents file');
    expect(
      loadIntents(dir)
        .all()
        .map((i) => i.id),
    ).toEqual(['test.one', 'test.two']);
  });

  it('rejects an id defined in two files, naming the second file and the id', () => {
    writeFileSync(join(dir, 'a.yaml'), `intents:\n${intent('test.same')}`);
    writeFileSync(join(dir, 'b.yaml'), `intents:\n${intent('test.other')}${intent('test.same')}`);
    const error = failure();
    expect(error.message).toContain(join(dir, 'b.yaml'));
    expect(error.message).toContain('"test.same"');
  });

  it('rejects an answer kind that answer-kinds.yaml does not define, naming the file, the intent and the kind', () => {
    writeFileSync(
      join(dir, 'answer-kinds.yaml'),
      'kinds:\n  - id: duration\n    strict: true\n    asks: "how long"\n    holds: "\\\\d+ days"\n',
    );
    writeFileSync(join(dir, 'a.yaml'), `intents:\n${intent('test.ok', '    kind: duration\n')}`);
    expect(loadIntents(dir).get('test.ok')?.kind).toBe('duration');
    writeFileSync(join(dir, 'b.yaml'), `intents:\n${intent('test.kind', '    kind: horoscope\n')}`);
    const error = failure();
    expect(error.message).toContain(join(dir, 'b.yaml'));
    expect(error.message).toContain('"test.kind"');
    expect(error.message).toContain('"horoscope"');
  });

  it('rejects an unknown fact kind, naming the file, the intent and the kind', () => {
    writeFileSync(join(dir, 'a.yaml'), `intents:\n${intent('test.ok')}`);
    writeFileSync(
      join(dir, 'kinds.yaml'),
      `intents:\n${intent('test.kind', '    facts: [retention, horoscope]\n')}`,
    );
    const error = failure();
    expect(error.message).toContain(join(dir, 'kinds.yaml'));
    expect(error.message).toMatch(/"test\.kind".*"horoscope"/);
  });

  it('rejects invalid YAML, naming the file', () => {
    writeFileSync(
      join(dir, 'broken.yaml'),
      'intents:\n  - id: test.x\n    examples: [unclosed\n   description: : :\n',
    );
    const error = failure();
    expect(error.message).toContain(join(dir, 'broken.yaml'));
    expect(error.message).toMatch(/YAML/);
  });

  it('rejects an answer pattern that is not a regular expression, naming the file and the field', () => {
    writeFileSync(
      join(dir, 'pattern.yaml'),
      `intents:\n${intent('test.p', '    answers: "within (days"\n')}`,
    );
    const error = failure();
    expect(error.message).toContain(join(dir, 'pattern.yaml'));
    expect(error.message).toMatch(/intents\.0\.answers/);
  });

  it('rejects a schema violation, naming the file and the field', () => {
    writeFileSync(
      join(dir, 'empty-examples.yaml'),
      'intents:\n  - id: test.x\n    description: x\n    examples: []\n',
    );
    const error = failure();
    expect(error.message).toContain(join(dir, 'empty-examples.yaml'));
    expect(error.message).toMatch(/intents\.0\.examples/);
  });
});
