import type { Command } from '../command.js';

export const ingestCommand: Command = {
  name: 'ingest',
  summary: 'not yet available',
  usage: 'privacy-ops ingest',
  async run(ctx) {
    ctx.err('not yet available\n');
    return 70;
  },
};
