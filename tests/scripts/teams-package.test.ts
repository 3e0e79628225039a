import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * `npm run teams:package` as a newcomer runs it (issue 17): MICROSOFT_APP_ID and TEAMS_BOT_DOMAIN
 * may be set in `.env` (README, .env.example), read like `npm start` reads it (the environment
 * wins), and a manifest whose `developer` URLs still point at the example host is refused.
 */

const root = fileURLToPath(new URL('../..', import.meta.url));
const SCRIPT = join(root, 'scripts', 'teams-package.mjs');
const appId = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const work = mkdtempSync(join(tmpdir(), 'privacy-ops-teams-env-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function pack(cwd: string, args: string[], env: Record<string, string | undefined> = {}) {
  const base: Record<string, string | undefined> = { ...process.env };
  delete base.MICROSOFT_APP_ID;
  delete base.TEAMS_BOT_DOMAIN;
  delete base.PRIVACY_OPS_ENV_FILE;
  return spawnSync(process.execPath, [SCRIPT, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...base, ...env } as NodeJS.ProcessEnv,
  });
}

/** The manifest.json inside a zip written by the script (stored deflated, one entry we look for). */
function manifestOf(zipFile: string): { id: string; validDomains: string[] } {
  const zip = readFileSync(zipFile);
  let offset = 0;
  while (zip.readUInt32LE(offset) === 0x04034b50) {
    const size = zip.readUInt32LE(offset + 18);
    const nameLength = zip.readUInt16LE(offset + 26);
    const extra = zip.readUInt16LE(offset + 28);
    const name = zip.toString('utf8', offset + 30, offset + 30 + nameLength);
    const start = offset + 30 + nameLength + extra;
    if (name === 'manifest.json')
      return JSON.parse(inflateRawSync(zip.subarray(start, start + size)).toString('utf8'));
    offset = start + size;
  }
  throw new Error('no manifest.json in the zip');
}

describe('npm run teams:package reads .env', () => {
  const dir = join(work, 'with-env');
  mkdirSync(dir);
  writeFileSync(join(dir, '.env'), `MICROSOFT_APP_ID=${appId}\nTEAMS_BOT_DOMAIN=bot.contoso.com\n`);

  it('takes MICROSOFT_APP_ID and TEAMS_BOT_DOMAIN from .env in the working directory', () => {
    const out = join(dir, 'app.zip');
    const run = pack(dir, ['--out', out, '--allow-placeholder-urls']);
    expect(run.status, run.stderr).toBe(0);
    const manifest = manifestOf(out);
    expect(manifest.id).toBe(appId);
    expect(manifest.validDomains).toEqual(['bot.contoso.com']);
  });

  it('lets the environment win over .env', () => {
    const out = join(dir, 'env-wins.zip');
    const run = pack(dir, ['--out', out, '--allow-placeholder-urls'], {
      TEAMS_BOT_DOMAIN: 'other.contoso.com',
    });
    expect(run.status, run.stderr).toBe(0);
    expect(manifestOf(out).validDomains).toEqual(['other.contoso.com']);
  });

  it('reads no file when PRIVACY_OPS_ENV_FILE is empty, as the entry points do', () => {
    const run = pack(dir, ['--out', join(dir, 'none.zip'), '--allow-placeholder-urls'], {
      PRIVACY_OPS_ENV_FILE: '',
    });
    expect(run.status).toBe(64);
    expect(run.stderr).toMatch(/set MICROSOFT_APP_ID/);
  });

  it('stops on a .env line that is not a setting, naming the line, as npm start does', () => {
    const bad = join(work, 'bad-env');
    mkdirSync(bad);
    writeFileSync(join(bad, '.env'), `MICROSOFT_APP_ID=${appId}\nnot a setting\n`);
    const run = pack(bad, ['--out', join(bad, 'x.zip'), '--allow-placeholder-urls']);
    expect(run.status).toBe(78);
    expect(run.stderr).toMatch(
      /^teams-package: Line 2 of \.env in the working directory is not a NAME=value setting/,
    );
  });
});

describe('npm run teams:package and the placeholder developer URLs', () => {
  it('refuses the example developer URLs in one sentence naming them and the file, exit 64', () => {
    const out = join(work, 'placeholder.zip');
    const run = pack(work, ['--out', out, '--app-id', appId, '--domain', 'bot.contoso.com']);
    expect(run.status).toBe(64);
    expect(run.stderr).toMatch(
      /^teams-package: edit developer\.websiteUrl, developer\.privacyUrl, developer\.termsOfUseUrl in manifests\/teams\/manifest\.json [^\n]*--allow-placeholder-urls[^\n]*\.\n$/,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('builds once the developer URLs are the company own (a copy of the script with its manifest)', () => {
    const copy = join(work, 'repo');
    mkdirSync(join(copy, 'scripts'), { recursive: true });
    cpSync(join(root, 'manifests'), join(copy, 'manifests'), { recursive: true });
    cpSync(SCRIPT, join(copy, 'scripts', 'teams-package.mjs'));
    cpSync(join(root, 'package.json'), join(copy, 'package.json'));
    const file = join(copy, 'manifests', 'teams', 'manifest.json');
    const manifest = JSON.parse(readFileSync(file, 'utf8'));
    manifest.developer = {
      ...manifest.developer,
      websiteUrl: 'https://contoso.com/',
      privacyUrl: 'https://contoso.com/privacy',
      termsOfUseUrl: 'https://contoso.com/terms',
    };
    writeFileSync(file, JSON.stringify(manifest, null, 2));
    const out = join(copy, 'app.zip');
    const run = spawnSync(
      process.execPath,
      [
        join(copy, 'scripts', 'teams-package.mjs'),
        '--out',
        out,
        '--app-id',
        appId,
        '--domain',
        'bot.contoso.com',
      ],
      { cwd: copy, encoding: 'utf8', env: { ...process.env, PRIVACY_OPS_ENV_FILE: '' } },
    );
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
  });
});
