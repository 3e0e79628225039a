import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  SLACK_COMMANDS,
  SLACK_EVENTS,
  SLACK_EVENTS_PATH,
  SLACK_SCOPES,
  SLACK_SHORTCUTS,
  SlackChannel,
} from '../../../src/channels/slack/index.js';
import { ConversationEngine } from '../../../src/core/conversation/engine.js';
import type { PolicyAnswerer } from '../../../src/core/policy/answer.js';

/** manifests/slack/manifest.yaml declares exactly what the Slack channel registers. */

interface Manifest {
  display_information: { name: string; description: string; long_description?: string };
  features: {
    app_home: {
      home_tab_enabled: boolean;
      messages_tab_enabled: boolean;
      messages_tab_read_only_enabled: boolean;
    };
    bot_user: { display_name: string };
    slash_commands: { command: string; url: string; description: string; should_escape: boolean }[];
    shortcuts: { name: string; type: string; callback_id: string; description: string }[];
  };
  oauth_config: { scopes: { bot: string[]; user?: string[] } };
  settings: {
    event_subscriptions: { request_url: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url: string };
    socket_mode_enabled: boolean;
  };
}

const manifest = parse(
  readFileSync(new URL('../../../manifests/slack/manifest.yaml', import.meta.url), 'utf8'),
) as Manifest;

/** The same app for Socket Mode: what a person trying it without a public address pastes. */
const socketManifest = parse(
  readFileSync(new URL('../../../manifests/slack/manifest.socket-mode.yaml', import.meta.url), 'utf8'),
) as Manifest;

const sorted = (xs: readonly string[]) => [...xs].sort();

function channel(): SlackChannel {
  const engine = new ConversationEngine({
    answerer: {} as PolicyAnswerer,
    defaultCountry: 'DE',
    defaultTimeZone: 'UTC',
  });
  return new SlackChannel({
    engine,
    logger: pino({ level: 'silent' }),
    botToken: 'xoxb-test',
    signingSecret: 'secret',
    defaultTimeZone: 'UTC',
  });
}

describe('the Slack app manifest', () => {
  it('declares exactly the slash commands the channel registers', () => {
    const declared = manifest.features.slash_commands.map((c) => c.command);
    expect(sorted(declared)).toEqual(sorted(SLACK_COMMANDS));
    expect(sorted(channel().registered.commands)).toEqual(sorted(declared));
    // Mentions must arrive as user ids: owners are recorded by Slack user id.
    for (const c of manifest.features.slash_commands) expect(c.should_escape).toBe(true);
  });

  it('declares exactly the shortcuts the channel registers', () => {
    const declared = manifest.features.shortcuts.map((s) => `${s.type}:${s.callback_id}`);
    expect(sorted(declared)).toEqual(sorted(SLACK_SHORTCUTS.map((s) => `${s.type}:${s.callback_id}`)));
    expect(sorted(channel().registered.shortcuts)).toEqual(
      sorted(manifest.features.shortcuts.map((s) => s.callback_id)),
    );
    for (const s of manifest.features.shortcuts) {
      expect(SLACK_SHORTCUTS.find((x) => x.callback_id === s.callback_id)?.name).toBe(s.name);
    }
  });

  it('declares exactly the bot events the channel registers and the bot scopes it uses', () => {
    expect(sorted(manifest.settings.event_subscriptions.bot_events)).toEqual(sorted(SLACK_EVENTS));
    expect(sorted(channel().registered.events)).toEqual(sorted(SLACK_EVENTS));
    expect(sorted(manifest.oauth_config.scopes.bot)).toEqual(sorted(SLACK_SCOPES));
    expect(manifest.oauth_config.scopes.user ?? []).toEqual([]);
  });

  it('points every request URL at the HTTP endpoint and enables what the features need', () => {
    const urls = [
      ...manifest.features.slash_commands.map((c) => c.url),
      manifest.settings.event_subscriptions.request_url,
      manifest.settings.interactivity.request_url,
    ];
    for (const url of urls) expect(new URL(url).pathname).toBe(SLACK_EVENTS_PATH);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    // The Home tab shows the register; the Messages tab lets people DM the app.
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.features.app_home.messages_tab_enabled).toBe(true);
    expect(manifest.features.app_home.messages_tab_read_only_enabled).toBe(false);
    expect(manifest.settings.socket_mode_enabled).toBe(false);
  });

  it('has a Socket Mode twin that differs only by its missing URLs and socket_mode_enabled', () => {
    const expected = structuredClone(manifest) as unknown as {
      features: { slash_commands: { url?: string }[] };
      settings: {
        event_subscriptions: { request_url?: string };
        interactivity: { request_url?: string };
        socket_mode_enabled: boolean;
      };
    };
    for (const c of expected.features.slash_commands) delete c.url;
    delete expected.settings.event_subscriptions.request_url;
    delete expected.settings.interactivity.request_url;
    expected.settings.socket_mode_enabled = true;
    expect(socketManifest).toEqual(expected);
  });

  it('stays within Slack’s manifest limits', () => {
    expect(manifest.display_information.name.length).toBeLessThanOrEqual(35);
    expect(manifest.display_information.description.length).toBeLessThanOrEqual(140);
    const long = manifest.display_information.long_description ?? '';
    expect(long.length).toBeGreaterThanOrEqual(175);
    expect(long.length).toBeLessThanOrEqual(4000);
    for (const c of manifest.features.slash_commands) {
      expect(c.command).toMatch(/^\/[a-z0-9_-]{1,31}$/);
      expect(c.description.length).toBeLessThanOrEqual(100);
    }
    for (const s of manifest.features.shortcuts) {
      expect(s.name.length).toBeLessThanOrEqual(38);
      expect(s.description.length).toBeLessThanOrEqual(80);
      expect(s.callback_id.length).toBeLessThanOrEqual(255);
    }
  });
});
