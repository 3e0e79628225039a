import { describe, expect, it } from 'vitest';
import {
  buttonFor,
  COMMAND_WORDS,
  COMMANDS,
  commandFor,
  commandHint,
  ID_COMMAND_WORDS,
  TABLE,
  WRITING_ACTIONS,
} from '../../../src/core/conversation/commands.js';

/** The command table, and the typo hint whose words come from it (one list, not two). */

describe('the command table', () => {
  it('is where help reads its lines, in its order, each with its team flag', () => {
    expect(COMMANDS.map((c) => c.usage)).toEqual(TABLE.flatMap((c) => (c.help ? [c.help.usage] : [])));
    expect(COMMANDS.find((c) => c.usage === 'show 0001')?.team).toBe(true);
    expect(COMMANDS.find((c) => c.usage === 'help')?.team).toBeUndefined();
  });

  it('sends every button to a command, and knows which presses write', () => {
    for (const action of [
      'intake.confirm',
      'intake.cancel',
      'request.show',
      'request.start',
      'request.extend',
      'request.resume',
      'request.close',
      'request.assign-me',
      'request.snooze',
      'mail.log',
      'mail.edit',
      'mail.dismiss',
    ])
      expect(buttonFor(action), action).toBeDefined();
    expect(buttonFor('request.delete')).toBeUndefined();
    expect([...WRITING_ACTIONS].sort()).toEqual(
      [
        'intake.confirm',
        'request.start',
        'request.extend',
        'request.close',
        'request.resume',
        'request.assign-me',
        'request.snooze',
        'mail.log',
        'mail.dismiss',
      ].sort(),
    );
  });

  it('sends a typed request command to the command of its verb, and an appeal to its own line', () => {
    const ref = { id: 'DSR-2026-0001' };
    expect(commandFor({ kind: 'request', verb: 'resume', ref })?.help?.usage).toBe(
      'pause 0001 [reason] / resume 0001',
    );
    expect(commandFor({ kind: 'request', verb: 'verify', ref })?.team).toBe('only');
    expect(commandFor({ kind: 'intake', fields: { appealOf: ref } })?.help?.usage).toMatch(/^appeal/);
    expect(commandFor({ kind: 'intake', fields: {} })?.help?.usage).toMatch(/^log/);
  });
});

describe('the command words', () => {
  it('are the first words of the table, each alternative apart, with the verbs the core reads', () => {
    for (const row of COMMANDS.filter((c) => /^[a-z]/.test(c.usage)))
      expect(COMMAND_WORDS).toContain(row.usage.split(/\s+/)[0]);
    // "pause 0001 [reason] / resume 0001" is two commands.
    expect(COMMAND_WORDS).toContain('resume');
    expect(COMMAND_WORDS).toContain('verify');
    expect(COMMAND_WORDS).not.toContain('<question>');
  });

  it('know which commands take a request id from their usage', () => {
    expect(ID_COMMAND_WORDS).toEqual(
      expect.arrayContaining([
        'show',
        'assign',
        'start',
        'extend',
        'pause',
        'resume',
        'close',
        'reopen',
        'note',
      ]),
    );
    expect(ID_COMMAND_WORDS).not.toContain('requests');
    expect(ID_COMMAND_WORDS).not.toContain('help');
  });
});

describe('commandHint', () => {
  it('guesses a mistyped command, with the prefix when there is one', () => {
    expect(commandHint('shwo DSR-2026-0001', '/privacy')).toMatch(/did you mean "show"/);
    expect(commandHint('reqests', '/privacy')).toMatch(/`\/privacy requests`/);
    expect(commandHint('reqests')).toMatch(/did you mean "requests"/);
    expect(commandHint('frobnicate DSR-2026-0001')).toMatch(/With a request id I can: .*show.*Type "help"/);
  });

  it('leaves questions, known commands and unknown words alone', () => {
    expect(commandHint('how long do we keep logs?')).toBeUndefined();
    expect(commandHint('cookies')).toBeUndefined();
    expect(commandHint('requests overdue')).toBeUndefined();
    expect(commandHint('verify DSR-2026-0001')).toBeUndefined();
    expect(commandHint('list')).toBeUndefined();
  });
});
