import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync, inflateSync } from 'node:zlib';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../src/core/conversation/engine.js';

/**
 * The Teams app package: the checked-in manifest validates against Microsoft's official JSON schema
 * (shipped offline in @microsoft/app-manifest), its icons are what Teams requires, and
 * `npm run teams:package` builds a zip Teams can read with the app id filled in.
 */

const require = createRequire(import.meta.url);
const root = new URL('../../..', import.meta.url).pathname;
const source = join(root, 'manifests', 'teams');
interface Manifest {
  $schema: string;
  manifestVersion: string;
  id: string;
  icons: { color: string; outline: string };
  bots: {
    botId: string;
    scopes: string[];
    commandLists: { commands: { title: string; description: string }[] }[];
  }[];
  [key: string]: unknown;
}
const manifest = JSON.parse(readFileSync(join(source, 'manifest.json'), 'utf8')) as Manifest;

function schemaFor(version: string): object {
  return require(`@microsoft/app-manifest/build/json-schemas/teams/v${version}/MicrosoftTeams.schema.json`);
}

/** Schema errors of a manifest, as "path message" lines (empty when valid). */
function validate(value: unknown): string[] {
  const version = (value as { manifestVersion: string }).manifestVersion;
  // The Teams schemas are draft-04 and use the uri, email and regex formats.
  const ajv = new AjvDraft04.default({ allErrors: true, strictTypes: false });
  addFormats.default(ajv, ['uri', 'email', 'regex']);
  const check = ajv.compile(schemaFor(version));
  return check(value) ? [] : (check.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

const CRC = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const b of data) c = CRC[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Decodes an 8-bit RGBA PNG (any filter types), checking every chunk's CRC. */
function decodePng(png: Buffer): { width: number; height: number; colorType: number; pixels: Buffer } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let offset = 8;
  let width = 0;
  let height = 0;
  let colorType = 0;
  const idat: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('ascii', offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    expect(png.readUInt32BE(offset + 8 + length), `${type} CRC`).toBe(
      crc32(png.subarray(offset + 4, offset + 8 + length)),
    );
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect(data[8], 'bit depth').toBe(8);
      colorType = data[9]!;
    }
    if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  expect(colorType, 'RGBA').toBe(6);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  const pixels = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x]!;
      const a = x >= 4 ? pixels[y * stride + x - 4]! : 0;
      const b = y > 0 ? pixels[(y - 1) * stride + x]! : 0;
      const c = x >= 4 && y > 0 ? pixels[(y - 1) * stride + x - 4]! : 0;
      const paeth = () => {
        const p = a + b - c;
        const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      };
      const predictor = [0, a, b, (a + b) >> 1, paeth()][filter];
      expect(predictor, `filter ${filter}`).toBeDefined();
      pixels[y * stride + x] = (v + predictor!) & 0xff;
    }
  }
  return { width, height, colorType, pixels };
}

/** The entries of a zip, read through its central directory, inflated and CRC-checked. */
function readZip(zip: Buffer): Map<string, Buffer> {
  const end = zip.length - 22;
  expect(zip.readUInt32LE(end), 'end of central directory').toBe(0x06054b50);
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const files = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    expect(zip.readUInt32LE(at)).toBe(0x02014b50);
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const packed = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extra = zip.readUInt16LE(at + 30);
    const comment = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    expect(zip.readUInt32LE(local)).toBe(0x04034b50);
    const dataAt = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const body = zip.subarray(dataAt, dataAt + packed);
    const data = method === 8 ? inflateRawSync(body) : body;
    expect(data.length, name).toBe(size);
    expect(crc32(data), `${name} CRC`).toBe(crc);
    files.set(name, data);
    at += 46 + nameLength + extra + comment;
  }
  return files;
}

describe('the Teams manifest', () => {
  it('validates against the official schema of its manifest version', () => {
    expect(Number(manifest.manifestVersion)).toBeGreaterThanOrEqual(1.17);
    expect(manifest.$schema).toBe(
      `https://developer.microsoft.com/json-schemas/teams/v${manifest.manifestVersion}/MicrosoftTeams.schema.json`,
    );
    expect(validate(manifest)).toEqual([]);
  });

  it('is checked by that schema (a broken manifest fails)', () => {
    const broken = structuredClone(manifest);
    broken.bots[0]!.botId = 'not-a-guid';
    delete broken.accentColor;
    const errors = validate(broken);
    expect(errors.join('\n')).toMatch(/botId/);
    expect(errors.join('\n')).toMatch(/accentColor/);
  });

  it('declares a bot for personal chats, teams and group chats, with short command lists', () => {
    const bot = manifest.bots[0]!;
    expect(bot.scopes.sort()).toEqual(['groupChat', 'personal', 'team']);
    expect(bot.botId).toBe(manifest.id);
    for (const list of bot.commandLists) {
      expect(list.commands.length).toBeLessThanOrEqual(10);
      for (const command of list.commands) {
        // Teams shows at most 32 characters of a title and 128 of a description.
        expect(command.title.length, command.title).toBeLessThanOrEqual(32);
        expect(command.description.length, command.title).toBeLessThanOrEqual(128);
      }
    }
    // Every command word the manifest offers is one the core knows (or the form, "log a request").
    const known = new Set(COMMANDS.map((c) => c.usage.split(/\s+/)[0]));
    for (const list of bot.commandLists)
      for (const { title } of list.commands)
        expect(known.has(title.split(/\s+/)[0]) || title === 'log a request', title).toBe(true);
  });

  it('ships the two icons Teams requires: 192x192 colour, 32x32 white-on-transparent outline', () => {
    const color = decodePng(readFileSync(join(source, manifest.icons.color)));
    expect([color.width, color.height]).toEqual([192, 192]);
    const outline = decodePng(readFileSync(join(source, manifest.icons.outline)));
    expect([outline.width, outline.height]).toEqual([32, 32]);
    let opaque = 0;
    let clear = 0;
    for (let i = 0; i < outline.pixels.length; i += 4) {
      const [r, g, b, a] = outline.pixels.subarray(i, i + 4);
      if (a! > 0) expect([r, g, b]).toEqual([255, 255, 255]);
      if (a === 255) opaque += 1;
      if (a === 0) clear += 1;
    }
    expect(opaque).toBeGreaterThan(100);
    expect(clear).toBeGreaterThan(100);
  });
});

describe('npm run teams:package', () => {
  const out = mkdtempSync(join(tmpdir(), 'privacy-ops-teams-zip-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));
  const appId = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';

  function pack(args: string[], env: Record<string, string> = {}) {
    return spawnSync('npm', ['run', '--silent', 'teams:package', '--', ...args], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, MICROSOFT_APP_ID: '', TEAMS_BOT_DOMAIN: '', ...env },
    });
  }

  it('builds a valid, reproducible zip with the app id and domain filled in', () => {
    const file = join(out, 'app.zip');
    const run = pack(['--out', file, '--domain', 'bot.contoso.com', '--allow-placeholder-urls'], {
      MICROSOFT_APP_ID: appId,
    });
    expect(run.status, run.stderr).toBe(0);
    const zip = readFileSync(file);
    const files = readZip(zip);
    // Teams wants the three files at the root of the zip.
    expect([...files.keys()].sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const packed = JSON.parse(files.get('manifest.json')!.toString('utf8'));
    expect(packed.id).toBe(appId);
    expect(packed.bots[0].botId).toBe(appId);
    expect(packed.validDomains).toEqual(['bot.contoso.com']);
    expect(validate(packed)).toEqual([]);
    expect(files.get('color.png')).toEqual(readFileSync(join(source, 'color.png')));
    expect(run.stderr).not.toMatch(/warning/);

    const again = join(out, 'again.zip');
    expect(
      pack(['--out', again, '--domain', 'bot.contoso.com', '--app-id', appId, '--allow-placeholder-urls'])
        .status,
    ).toBe(0);
    expect(readFileSync(again)).toEqual(zip);
  });

  it.each([
    [
      'no app id and no domain',
      [],
      /set MICROSOFT_APP_ID \(or --app-id\) .* and TEAMS_BOT_DOMAIN \(or --domain\)/,
    ],
    [
      'no app id',
      ['--domain', 'bot.contoso.com'],
      /^teams-package: set MICROSOFT_APP_ID \(or --app-id\)[^\n]*\.\n$/,
    ],
    ['no domain', ['--app-id', appId], /^teams-package: set TEAMS_BOT_DOMAIN \(or --domain\)[^\n]*\.\n$/],
    ['the example domain', ['--app-id', appId, '--domain', 'privacy-ops.example.com'], /TEAMS_BOT_DOMAIN/],
  ])('refuses to build with %s, in one sentence naming what to set (issue 17)', (_, args, said) => {
    const file = join(out, 'placeholder.zip');
    const run = pack(['--out', file, ...args]);
    expect(run.status).toBe(64);
    expect(run.stderr).toMatch(said);
    expect(existsSync(file)).toBe(false);
  });

  it('refuses an app id that is not a GUID', () => {
    const bad = pack(['--out', join(out, 'bad.zip'), '--app-id', 'my-bot', '--domain', 'bot.contoso.com']);
    expect(bad.status).toBe(64);
    expect(bad.stderr).toMatch(/is not a GUID/);
  });
});
