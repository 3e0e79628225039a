import type { Command } from '../command.js';

export const askCommand: Command = {
  name: 'ask',
  summary: 'not yet available',
  usage: 'privacy-ops ask',
  async run(ctx) {
    ctx.err('not yet available\n');
    return 70;
  },
};
