/** Composition root: config -> stores -> core -> channels -> scheduler. */
import { run } from './channels/cli/main.js';

process.exitCode = await run(['chat', ...process.argv.slice(2)]);
