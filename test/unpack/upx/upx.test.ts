/**
 * A UPX-packed PE hides its code and strings: the SBOM says it could not see inside, per file,
 * rather than reporting what the stub shows as all there is.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { walkArtifact } from '../../../src/unpack/walk.js';
import { debFixture, requireFixture } from '../../helpers/fixtures.js';
import { pefileFacts, requirePefile } from '../../inspect/pe/pefile-oracle.js';

const clamav = join(debFixture('clamav-testfiles'), 'usr', 'share', 'clamav-testfiles');
const REASON = 'the PE is packed by UPX (sections UPX0, UPX1): its code and data are compressed, so what it holds is not in this SBOM';

test("ClamAV's UPX-packed test programs are known unknowns; an unpacked PE is not", async (t) => {
  if (!requirePefile(t)) return;
  for (const name of ['clam-upx.exe', 'clam-yc.exe', 'clam.exe']) {
    const exe = requireFixture(t, join(clamav, name));
    if (!exe) return;
    // pefile's section names are the oracle; UPX also leaves its "UPX!" header in the file.
    const packed = ['UPX0', 'UPX1'].every((s) => pefileFacts(exe).sections.some((x) => x.name === s));
    assert.equal(packed, name !== 'clam.exe', name);
    if (packed) assert.ok(readFileSync(exe).includes('UPX!'), name);
    const res = await walkArtifact(exe, async () => {});
    assert.deepEqual(
      res.unknowns.map((u) => [u.kind, u.path, u.format, u.reason]),
      packed ? [['unopened-container', name, 'upx', REASON]] : [],
      name,
    );
  }
});
