import { describe, expect, it } from 'vitest';
import {
  COMMAND_WORDS,
  COMMANDS,
  commandHint,
  ID_COMMAND_WORDS,
} from '../../../src/core/conversation/commands.js';

/** The command table, and the typo hint whose words come from it (one list, not two). */

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
