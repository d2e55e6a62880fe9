#!/usr/bin/env node
// Assembles the demo artifact demo/demo-bundle.zip from real third-party binaries that
// scripts/fetch-fixtures.mjs put in the git-ignored cache (set "demo"). Runs in `prepare`, so
// `npm start` then works offline. The zip is written by this script (stored + deflate, fixed
// timestamps) so the demo is the same on Linux, Windows and macOS.
import { crc32, deflateRawSync } from 'node:zlib';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cache = process.env.INSTALLER_SBOM_FIXTURES || join(root, '.cache', 'fixtures');
const npm = (spec) => join(cache, 'npm', spec.replace('/', '+'));

const MEMBERS = [
  ['win32-x64/libvips-42.dll', join(npm('@img/sharp-libvips-win32-x64@1.3.3'), 'lib', 'libvips-42.dll')],
  ['win32-x64/versions.json', join(npm('@img/sharp-libvips-win32-x64@1.3.3'), 'versions.json')],
  ['darwin-x64/libvips-cpp.8.18.7.dylib', join(npm('@img/sharp-libvips-darwin-x64@1.3.4'), 'lib', 'libvips-cpp.8.18.7.dylib')],
  ['darwin-x64/versions.json', join(npm('@img/sharp-libvips-darwin-x64@1.3.4'), 'versions.json')],
  ['darwin-universal/fsevents.node', join(npm('fsevents@2.3.3'), 'fsevents.node')],
];

const missing = MEMBERS.filter(([, src]) => !existsSync(src));
if (missing.length > 0) {
  // Installing must not fail for want of the demo (an offline install); npm start will say why.
  console.error(`make-demo: missing ${missing.map(([, s]) => s).join(', ')}; run: node scripts/fetch-fixtures.mjs demo`);
  process.exit(process.env.CI ? 1 : 0);
}

// DOS date/time of 2024-01-01 00:00: fixed so the demo zip is byte-identical everywhere.
const DOS_TIME = 0;
const DOS_DATE = ((2024 - 1980) << 9) | (1 << 5) | 1;
const locals = [];
const centrals = [];
let offset = 0;
for (const [name, src] of MEMBERS) {
  const data = readFileSync(src);
  const packed = deflateRawSync(data, { level: 6 });
  const nameBytes = Buffer.from(name, 'utf8');
  const crc = crc32(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(0x800, 6);
  local.writeUInt16LE(8, 8);
  local.writeUInt16LE(DOS_TIME, 10);
  local.writeUInt16LE(DOS_DATE, 12);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(packed.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(nameBytes.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(0x800, 8);
  central.writeUInt16LE(8, 10);
  central.writeUInt16LE(DOS_TIME, 12);
  central.writeUInt16LE(DOS_DATE, 14);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(packed.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(nameBytes.length, 28);
  central.writeUInt32LE(offset, 42);
  locals.push(local, nameBytes, packed);
  centrals.push(central, nameBytes);
  offset += local.length + nameBytes.length + packed.length;
}
const cd = Buffer.concat(centrals);
const eocd = Buffer.alloc(22);
eocd.writeUInt32LE(0x06054b50, 0);
eocd.writeUInt16LE(MEMBERS.length, 8);
eocd.writeUInt16LE(MEMBERS.length, 10);
eocd.writeUInt32LE(cd.length, 12);
eocd.writeUInt32LE(offset, 16);
mkdirSync(join(root, 'demo'), { recursive: true });
const out = join(root, 'demo', 'demo-bundle.zip');
writeFileSync(out, Buffer.concat([...locals, cd, eocd]));
console.log(`demo artifact: ${out.slice(root.length + 1)} (${MEMBERS.length} real binaries from npm packages)`);
