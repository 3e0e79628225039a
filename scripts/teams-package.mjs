#!/usr/bin/env node
/**
 * Builds the Teams app package, the zip a Teams admin uploads: manifest.json plus its two icons,
 * all at the root of the zip (Teams rejects a package whose files sit in a folder).
 *
 *   npm run teams:package -- [--app-id GUID] [--domain HOST] [--version X.Y.Z] [--out FILE]
 *                            [--allow-placeholder-urls]
 *   node scripts/teams-package.mjs --icons     # redraws manifests/teams/color.png and outline.png
 *
 * The app id defaults to MICROSOFT_APP_ID and the domain to TEAMS_BOT_DOMAIN, from the environment
 * or from `.env` in the working directory, read as `npm start` reads it (the environment wins).
 * The manifest's `developer` URLs must be the company's own: with the checked-in placeholders the
 * build is refused unless --allow-placeholder-urls is given (a local trial).
 * Only node: built-ins: a PNG encoder and a zip writer over node:zlib, so the package is
 * reproducible (fixed timestamps) and needs nothing installed.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { deflateRawSync, deflateSync } from 'node:zlib';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const sourceDir = join(root, 'manifests', 'teams');
const PLACEHOLDER_ID = '00000000-0000-0000-0000-000000000000';
const PLACEHOLDER_DOMAIN = 'privacy-ops.example.com';
const PLACEHOLDER_URL_HOST = 'privacy-ops.example.com';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// CRC-32 (ISO 3309, the polynomial PNG and zip share); zlib.crc32 needs Node 20.15+, engines say 20.11.
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

export function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** An RGBA image as PNG: 8-bit truecolour with alpha, filter 0 on every row (PNG spec §11.2.2). */
export function encodePng(width, height, rgba) {
  const chunk = (type, data) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'ascii');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
    return Buffer.concat([head, data, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // bit depth 8, colour type 6 (RGBA), deflate, filter 0, no interlace
  const rows = Buffer.alloc(height * (width * 4 + 1));
  for (let y = 0; y < height; y++) {
    rows[y * (width * 4 + 1)] = 0;
    rgba.copy(rows, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The logo: a shield with a check mark. Coordinates are in [-1, 1] across and [0, 1] down. */
function inShield(u, v) {
  if (v < 0 || v > 1 || Math.abs(u) > 1) return false;
  if (v <= 0.55) return true;
  const t = (v - 0.55) / 0.45;
  return Math.abs(u) <= Math.sqrt(Math.max(0, 1 - t * t));
}

function inCheck(u, v) {
  const segments = [
    [-0.5, 0.5, -0.12, 0.76],
    [-0.12, 0.76, 0.52, 0.24],
  ];
  const half = 0.11;
  return segments.some(([x1, y1, x2, y2]) => {
    const dx = x2 - x1;
    const dy = y2 - y1;
    const t = Math.max(0, Math.min(1, ((u - x1) * dx + (v - y1) * dy) / (dx * dx + dy * dy)));
    return Math.hypot(u - (x1 + t * dx), v - (y1 + t * dy)) <= half;
  });
}

/**
 * Draws the icon at `size` pixels with 4x4 supersampling. `outline`: white on transparent, as
 * Teams requires of the 32x32 outline icon; otherwise the 192x192 colour icon, the symbol inside
 * the central safe area on a solid background
 * (learn.microsoft.com/microsoftteams/platform/concepts/build-and-test/apps-package#app-icons).
 */
export function drawIcon(size, outline) {
  const rgba = Buffer.alloc(size * size * 4);
  const background = [0x1f, 0x6f, 0x8b];
  const margin = outline ? 0.06 : 0.2; // of the size: where the shield's box begins
  const box = size * (1 - 2 * margin);
  const samples = 4;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let cover = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const px = x + (sx + 0.5) / samples;
          const py = y + (sy + 0.5) / samples;
          const u = ((px - size * margin) / box) * 2 - 1;
          const v = (py - size * margin) / box;
          if (inShield(u * 1.15, v) && !inCheck(u, v)) cover += 1;
        }
      }
      const a = cover / (samples * samples);
      const i = (y * size + x) * 4;
      if (outline) {
        rgba.set([255, 255, 255, Math.round(a * 255)], i);
      } else {
        const mix = (c) => Math.round(c * (1 - a) + 255 * a);
        rgba.set([mix(background[0]), mix(background[1]), mix(background[2]), 255], i);
      }
    }
  }
  return encodePng(size, size, rgba);
}

/** A zip of `files` (name -> bytes), deflated, with a fixed timestamp so builds are reproducible. */
export function zip(files) {
  const locals = [];
  const central = [];
  let offset = 0;
  // DOS date and time of 2025-01-01 00:00 (APPNOTE.TXT 4.4.6).
  const dosTime = 0;
  const dosDate = ((2025 - 1980) << 9) | (1 << 5) | 1;
  for (const [name, data] of files) {
    const nameBytes = Buffer.from(name, 'utf8');
    const packed = deflateRawSync(data, { level: 9 });
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    local.writeUInt16LE(0x0800, 6); // names are UTF-8
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(dosTime, 10);
    local.writeUInt16LE(dosDate, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, nameBytes, packed);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4); // made by: 2.0
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(0x0800, 8);
    entry.writeUInt16LE(8, 10);
    entry.writeUInt16LE(dosTime, 12);
    entry.writeUInt16LE(dosDate, 14);
    entry.writeUInt32LE(crc, 16);
    entry.writeUInt32LE(packed.length, 20);
    entry.writeUInt32LE(data.length, 24);
    entry.writeUInt16LE(nameBytes.length, 28);
    entry.writeUInt32LE(offset, 42);
    central.push(entry, nameBytes);
    offset += local.length + nameBytes.length + packed.length;
  }
  const centralSize = central.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...central, end]);
}

/** The manifest to ship: the checked-in source with the app id, domain and version filled in. */
export function buildManifest(source, { appId, domain, version }) {
  const manifest = structuredClone(source);
  manifest.id = appId;
  for (const bot of manifest.bots ?? []) bot.botId = appId;
  manifest.version = version;
  manifest.validDomains = [domain];
  return manifest;
}

/**
 * Reads `.env` (or PRIVACY_OPS_ENV_FILE; empty = none) from the working directory with the loader
 * `npm start` uses (dist/env-file.js, built by `npm install`), so a variable already set wins.
 * Without dist/ (never built), Node's own reader, which the loader wraps, with the same precedence.
 */
async function readEnvFile() {
  const file = process.env.PRIVACY_OPS_ENV_FILE ?? '.env';
  if (file === '') return;
  let loader;
  try {
    loader = await import(new URL('../dist/env-file.js', import.meta.url).href);
  } catch {
    loader = undefined;
  }
  if (loader) {
    loader.loadEnvFile(process.cwd(), file);
    return;
  }
  const path = resolve(process.cwd(), file);
  if (existsSync(path)) process.loadEnvFile(path);
}

/** The `developer` URLs of a manifest that still point at the checked-in example host. */
export function placeholderUrls(manifest) {
  return Object.entries(manifest.developer ?? {})
    .filter(([key, value]) => key.endsWith('Url') && typeof value === 'string')
    .filter(([, value]) => {
      try {
        return new URL(value).hostname === PLACEHOLDER_URL_HOST;
      } catch {
        return false;
      }
    })
    .map(([key]) => key);
}

async function main() {
  const { values } = parseArgs({
    options: {
      'app-id': { type: 'string' },
      domain: { type: 'string' },
      version: { type: 'string' },
      out: { type: 'string' },
      icons: { type: 'boolean' },
      'allow-placeholder-urls': { type: 'boolean' },
    },
  });
  if (values.icons) {
    writeFileSync(join(sourceDir, 'color.png'), drawIcon(192, false));
    writeFileSync(join(sourceDir, 'outline.png'), drawIcon(32, true));
    process.stdout.write(`wrote ${join(sourceDir, 'color.png')} and outline.png\n`);
    return 0;
  }
  try {
    await readEnvFile();
  } catch (error) {
    process.stderr.write(`teams-package: ${error instanceof Error ? error.message : String(error)}\n`);
    return typeof error?.exitCode === 'number' ? error.exitCode : 78;
  }
  const appId = (values['app-id'] ?? process.env.MICROSOFT_APP_ID ?? '').trim() || PLACEHOLDER_ID;
  const domain = (values.domain ?? process.env.TEAMS_BOT_DOMAIN ?? '').trim() || PLACEHOLDER_DOMAIN;
  const version = values.version ?? JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
  // A package with the placeholder id or the example domain installs but can never reach a bot.
  const unset = [
    ...(appId === PLACEHOLDER_ID
      ? ["MICROSOFT_APP_ID (or --app-id) to the Azure Bot's Microsoft App ID"]
      : []),
    ...(domain === PLACEHOLDER_DOMAIN
      ? ["TEAMS_BOT_DOMAIN (or --domain) to the bot's public host name"]
      : []),
  ];
  if (unset.length > 0) {
    process.stderr.write(
      `teams-package: set ${unset.join(' and ')}; a package with the placeholder ${appId === PLACEHOLDER_ID ? 'app id' : 'domain'} could not reach your bot.\n`,
    );
    return 64;
  }
  if (!GUID.test(appId)) {
    process.stderr.write(
      `teams-package: the app id "${appId}" is not a GUID; use the Azure Bot's Microsoft App ID.\n`,
    );
    return 64;
  }
  if (!/^\d+\.\d+\.\d+$/.test(version)) {
    process.stderr.write(
      `teams-package: the version "${version}" must look like 1.2.3 (Teams requires it).\n`,
    );
    return 64;
  }
  if (domain.includes('/') || domain.includes(':')) {
    process.stderr.write(
      `teams-package: give the domain as a host name only (e.g. bot.example.com), not "${domain}".\n`,
    );
    return 64;
  }
  const source = JSON.parse(readFileSync(join(sourceDir, 'manifest.json'), 'utf8'));
  // Teams shows these links on the app's page: the example host is nobody's website or policy.
  const placeholders = placeholderUrls(source);
  if (placeholders.length > 0 && !values['allow-placeholder-urls']) {
    process.stderr.write(
      `teams-package: edit developer.${placeholders.join(', developer.')} in manifests/teams/manifest.json to your company's own pages (they still point at ${PLACEHOLDER_URL_HOST}), or add --allow-placeholder-urls for a local trial.\n`,
    );
    return 64;
  }
  const manifest = buildManifest(source, { appId, domain, version });
  const out = resolve(values.out ?? join(root, 'dist', 'teams', 'privacy-ops-teams.zip'));
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(
    out,
    zip([
      ['manifest.json', Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`)],
      [manifest.icons.color, readFileSync(join(sourceDir, manifest.icons.color))],
      [manifest.icons.outline, readFileSync(join(sourceDir, manifest.icons.outline))],
    ]),
  );
  process.stdout.write(`wrote ${out} (app id ${appId}, domain ${domain}, version ${version})\n`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url))
  process.exitCode = await main();
