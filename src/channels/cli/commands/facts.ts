import type { Command } from '../command.js';

export const factsCommand: Command = {
  name: 'facts',
  summary: 'not yet available',
  usage: 'privacy-ops facts',
  async run(ctx) {
    ctx.err('not yet available\n');
    return 70;
  },
};
