/**
 * An independent reading of a Mach-O code signature: llvm-objdump says where LC_CODE_SIGNATURE
 * points, a small Python script (hashlib, struct) decodes the SuperBlob and CodeDirectory and
 * recomputes every page hash from the file, and `openssl cms -verify` checks the CMS blob over
 * the CodeDirectory and names its signer.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { debianPython, run } from '../../helpers/tools.js';
import { num, privateHeaders, universalHeaders } from '../macho/objdump-oracle.js';

export interface CodeSignatureOracle {
  sliceOffset: number;
  dataoff: number;
  datasize: number;
  identifier: string;
  teamId: string | null;
  flags: number;
  version: number;
  hashType: number;
  pageSize: number;
  nCodeSlots: number;
  codeLimit: number;
  /** Every CodeDirectory's page hashes equal the file's pages. */
  pagesMatch: boolean;
  /** cdhash of the highest-ranked CodeDirectory (hex, 20 bytes). */
  cdhash: string;
  /** CMS blob bytes (hex), empty for ad-hoc signatures; the first CodeDirectory (hex). */
  cms: string;
  primaryCd: string;
}

const SCRIPT = String.raw`
import hashlib, json, struct, sys
path, base, off, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
data = open(path, 'rb').read()
sig = data[base + off: base + off + size]
magic, length, count = struct.unpack('>III', sig[:12])
assert magic == 0xfade0cc0
blobs = {}
for i in range(count):
    t, o = struct.unpack('>II', sig[12 + 8 * i: 20 + 8 * i])
    blen = struct.unpack('>I', sig[o + 4: o + 8])[0]
    blobs[t] = sig[o: o + blen]
algos = {1: ('sha1', 20, 1), 2: ('sha256', 32, 3), 3: ('sha256', 20, 2), 4: ('sha384', 48, 4)}
cds = [b for t, b in blobs.items() if t == 0 or 0x1000 <= t <= 0x1004]
ok = True
best = None
for cd in cds:
    version, flags, hoff, ioff, nspecial, ncode, limit = struct.unpack('>IIIIIII', cd[8:36])
    hsize, htype, platform, pagelog = cd[36], cd[37], cd[38], cd[39]
    name, _, rank = algos[htype]
    page = 1 << pagelog if pagelog else limit
    for i in range(ncode):
        want = cd[hoff + i * hsize: hoff + (i + 1) * hsize]
        got = hashlib.new(name, data[base + i * page: base + min((i + 1) * page, limit)]).digest()[:hsize]
        if got != want:
            ok = False
    team = None
    if version >= 0x20200:
        toff = struct.unpack('>I', cd[48:52])[0]
        if toff:
            team = cd[toff: cd.index(b'\0', toff)].decode()
    info = dict(identifier=cd[ioff: cd.index(b'\0', ioff)].decode(), teamId=team, flags=flags, version=version,
                hashType=htype, pageSize=page if pagelog else 0, nCodeSlots=ncode, codeLimit=limit,
                cdhash=hashlib.new(name, cd).hexdigest()[:40], rank=rank)
    if best is None or rank > best['rank']:
        best = info
cms = blobs.get(0x10000, b'')[8:]
del best['rank']
print(json.dumps(dict(best, pagesMatch=ok, cms=cms.hex(), primaryCd=blobs[0].hex())))
`;

/** One entry per slice that has LC_CODE_SIGNATURE, in slice order. */
export function codeSignatureOracle(objdump: string, file: string): CodeSignatureOracle[] {
  const images = privateHeaders(objdump, file);
  const fat = images.length > 1 || /fat_magic/.test(run(objdump, ['--macho', '--universal-headers', file]));
  const offsets = fat ? universalHeaders(objdump, file).arches.map((a) => a.offset) : [0];
  const out: CodeSignatureOracle[] = [];
  images.forEach((image, i) => {
    const lc = image.commands.find((c) => c.cmd === 'LC_CODE_SIGNATURE');
    if (!lc) return;
    const sliceOffset = offsets[i]!;
    const dataoff = num(lc.fields.get('dataoff'));
    const datasize = num(lc.fields.get('datasize'));
    const decoded = JSON.parse(run(debianPython, ['-c', SCRIPT, file, String(sliceOffset), String(dataoff), String(datasize)]));
    out.push({ sliceOffset, dataoff, datasize, ...decoded });
  });
  return out;
}

/**
 * `openssl cms -verify` of the detached CMS signature over the CodeDirectory (chain not checked):
 * whether it verifies, and the signer certificate's subject in RFC 2253 form.
 */
export function cmsSigner(dir: string, oracle: CodeSignatureOracle): { verified: boolean; subject: string } {
  const cms = join(dir, 'cms.der');
  const cd = join(dir, 'cd.bin');
  const signer = join(dir, 'signer.pem');
  writeFileSync(cms, Buffer.from(oracle.cms, 'hex'));
  writeFileSync(cd, Buffer.from(oracle.primaryCd, 'hex'));
  const res = spawnSync('openssl', ['cms', '-verify', '-noverify', '-binary', '-inform', 'DER', '-in', cms, '-content', cd, '-signer', signer, '-out', '/dev/null'], { encoding: 'utf8' });
  const subject = spawnSync('openssl', ['x509', '-in', signer, '-noout', '-subject', '-nameopt', 'RFC2253,-esc_msb'], { encoding: 'utf8' }).stdout.replace(/^subject=/, '').trim();
  return { verified: res.status === 0, subject };
}
