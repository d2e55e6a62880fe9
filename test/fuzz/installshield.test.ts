import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { debFixture, requireFixture } from '../helpers/fixtures.js';
import { fuzzFormat, FUZZ_TEST_TIMEOUT } from './harness.js';
import { requireTools } from './formats.js';

const clamav = join(debFixture('clamav-testfiles'), 'usr', 'share', 'clamav-testfiles');

/**
 * The InstallShield 11 launcher cut down to its stub and the three files of its ISc( cabinet set
 * (the plain layout: name, path, version, size, bytes), so mutations land in the launcher
 * records and the cabinet header rather than in a megabyte of engine files.
 */
function cabinetSetSeed(exe: Buffer): Buffer {
  const stubEnd = 115_200;
  const parts: Buffer[] = [exe.subarray(0, stubEnd)];
  let at = stubEnd;
  while (at < exe.length) {
    const fields: string[] = [];
    let p = at;
    for (let i = 0; i < 4; i++) {
      const e = exe.indexOf(0, p);
      fields.push(exe.subarray(p, e).toString('latin1'));
      p = e + 1;
    }
    const end = p + Number(fields[3]);
    if (/^data\d\.(cab|hdr)$/.test(fields[0]!)) parts.push(exe.subarray(at, end));
    at = end;
  }
  return Buffer.concat(parts);
}

test('fuzz installshield: mutated launchers and cabinet sets end in success or InputError, bounded in time and memory', { timeout: FUZZ_TEST_TIMEOUT }, async (t) => {
  if (!requireTools(t, [])) return;
  const is11 = requireFixture(t, join(clamav, 'clam_IScab_int.exe'));
  const is2009 = requireFixture(t, join(clamav, 'clam_ISmsi_int.exe'));
  if (!is11 || !is2009) return;
  await fuzzFormat(t, 'installshield', [
    { name: 'setup-cabinet-set.exe', bytes: cabinetSetSeed(readFileSync(is11)) },
    { name: 'setup-msi.exe', bytes: readFileSync(is2009) },
  ]);
});
