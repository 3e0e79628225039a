import type { Command } from '../command.js';

export const chatCommand: Command = {
  name: 'chat',
  summary: 'not yet available',
  usage: 'privacy-ops chat',
  async run(ctx) {
    ctx.err('not yet available\n');
    return 70;
  },
};
