/** The services a CLI command may open, over the composition root's factories and settings. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CliServices } from '../channels/cli/command.js';
import type { TeamsSettings } from '../channels/teams/index.js';
import { AppError } from '../core/errors.js';
import type { LlmClient } from '../core/llm/client.js';
import type { Scheduler } from '../core/reminders/scheduler.js';
import type { PolicyTargets } from '../core/requests/register.js';
import type { Logger } from '../logger.js';
import type { Core, OpenedRegister } from './core.js';
import { type DeliverySettings, reminderDelivery, type SchedulerDeps } from './reminders.js';

/** PRIVACY_OPS_STORE's default: a SQLite file relative to the working directory. */
const DEFAULT_STORE = 'sqlite://data/privacy-ops.sqlite';

/**
 * A command that only reads must not create the default register: run outside the directory that
 * holds it, it would open a new, empty one and answer "No requests match." (issue 17).
 */
function registerMustExist(store: string): void {
  if (store !== DEFAULT_STORE) return;
  const path = resolve(store.slice('sqlite://'.length));
  if (existsSync(path)) return;
  throw new AppError(
    'REGISTER_MISSING',
    `No register exists at ${path}; run this from the directory that holds data/privacy-ops.sqlite (the repository root), or set PRIVACY_OPS_STORE to the register.`,
  );
}

/** What the composition root hands the command line: the configured store, factories and settings. */
export interface CliRoot {
  /** PRIVACY_OPS_STORE. */
  store: string;
  openRegister(policyTargets?: PolicyTargets): Promise<OpenedRegister>;
  openCore(options: { corpusDir?: string; defaultPolicy?: string }): Promise<Core>;
  newScheduler(deps: SchedulerDeps): Promise<Scheduler>;
  /** When Teams is configured: its settings, for the notifier reminders are sent through. */
  teams?: TeamsSettings;
  delivery: DeliverySettings;
  llm(): LlmClient | null;
}

/** What a command may open, each only when it asks (`deadline` opens no store). */
export function cliServices(root: CliRoot, logger: Logger): CliServices {
  return {
    async openRegister(policyTargets, options) {
      if (options?.readOnly) registerMustExist(root.store);
      return root.openRegister(policyTargets);
    },
    openConsole: (options) => root.openCore(options),
    async openReminders({ send, now }) {
      const opened = await root.openRegister();
      const closers: (() => Promise<void>)[] = [opened.close];
      const close = async () => {
        for (const fn of closers.splice(0).reverse()) await fn();
      };
      try {
        const { openTeamsNotifier } = await import('../channels/teams/index.js');
        const { ReminderStore } = await import('../core/reminders/store.js');
        const teams = root.teams ? await openTeamsNotifier(root.teams, { logger, send }) : undefined;
        if (teams) closers.push(teams.stop);
        const delivery = await reminderDelivery(
          root.delivery,
          { backend: opened.backend, ...(teams ? { teams: teams.notifier } : {}) },
          logger,
        );
        const scheduler = await root.newScheduler({
          register: opened.register,
          store: new ReminderStore(opened.backend),
          ...(delivery
            ? { channel: delivery.channel, privacyChannel: delivery.routes.some((r) => r.hasPrivacyChannel) }
            : {}),
          now,
        });
        return { scheduler, platforms: delivery?.routes.map((r) => r.channel.name) ?? [], close };
      } catch (error) {
        await close();
        throw error;
      }
    },
    llm: () => root.llm(),
  };
}
