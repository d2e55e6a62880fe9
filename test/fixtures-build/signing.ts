/**
 * Authenticode-signed test binaries: a throwaway CA and code-signing certificates made with
 * openssl in a temp dir, and PE files signed by osslsigncode with them (program name, URL,
 * SHA-1 or SHA-256, nested dual signatures, RFC 3161 timestamps from `openssl ts` answering on
 * the loopback interface), and xar archives given RSA and CMS TOC signatures. Nothing here is
 * trusted by anything but a test.
 */
import { execFile } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { deflateSync, inflateSync } from 'node:zlib';
import { run } from '../helpers/tools.js';

const execFileAsync = promisify(execFile);

export const signingTools = ['openssl', 'osslsigncode'] as const;

export interface TestCa {
  dir: string;
  /** PEM certificate and key of the root. */
  cert: string;
  key: string;
  commonName: string;
}

export interface CodeSigningCert {
  cert: string;
  key: string;
  commonName: string;
  organization: string;
}

let serial = 0x1000;

function subject(parts: Record<string, string | undefined>): string {
  return Object.entries(parts)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `/${k}=${v!.replace(/\//g, '\\/')}`)
    .join('');
}

/** A self-signed root CA in `dir` (RSA 2048, valid ten years from now). */
export function makeTestCa(dir: string, commonName = 'installer-sbom Test Root CA'): TestCa {
  mkdirSync(dir, { recursive: true });
  const cert = join(dir, 'ca.pem');
  const key = join(dir, 'ca.key');
  run('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '3650',
    '-keyout', key, '-out', cert,
    '-subj', subject({ C: 'US', O: 'installer-sbom tests', CN: commonName }),
    '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  return { dir, cert, key, commonName };
}

/** A code-signing certificate issued by `ca` (cached per common name inside the CA's dir). */
export function issueCodeSigningCert(ca: TestCa, commonName: string, organization = commonName): CodeSigningCert {
  const base = join(ca.dir, commonName.replace(/[^A-Za-z0-9]+/g, '_'));
  const cert = `${base}.pem`;
  const key = `${base}.key`;
  const ext = `${base}.ext`;
  writeFileSync(ext, 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=codeSigning\nsubjectKeyIdentifier=hash\n');
  run('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', `${base}.csr`, '-subj', subject({ C: 'US', O: organization, CN: commonName })]);
  run('openssl', ['x509', '-req', '-sha256', '-days', '3650', '-in', `${base}.csr`, '-CA', ca.cert, '-CAkey', ca.key, '-set_serial', `0x${(serial++).toString(16)}`, '-extfile', ext, '-out', cert]);
  return { cert, key, commonName, organization };
}

export interface TestTsa {
  cert: string;
  key: string;
  config: string;
  chain: string;
  commonName: string;
}

/** A time-stamping authority certificate issued by `ca`, with the `openssl ts` configuration. */
export function makeTestTsa(ca: TestCa, commonName = 'installer-sbom Test Time-Stamp Authority'): TestTsa {
  const base = join(ca.dir, 'tsa');
  writeFileSync(`${base}.ext`, 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=critical,timeStamping\n');
  run('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${base}.key`, '-out', `${base}.csr`, '-subj', subject({ C: 'US', O: 'installer-sbom tests', CN: commonName })]);
  run('openssl', ['x509', '-req', '-sha256', '-days', '3650', '-in', `${base}.csr`, '-CA', ca.cert, '-CAkey', ca.key, '-set_serial', `0x${(serial++).toString(16)}`, '-extfile', `${base}.ext`, '-out', `${base}.pem`]);
  writeFileSync(`${base}.serial`, '01\n');
  const config = `${base}.cnf`;
  writeFileSync(
    config,
    [
      '[ tsa ]',
      'default_tsa = tsa_config1',
      '[ tsa_config1 ]',
      `serial = ${base}.serial`,
      'crypto_device = builtin',
      'default_policy = 1.2.3.4.1',
      'digests = sha1, sha256, sha384, sha512',
      'accuracy = secs:1',
      'ordering = no',
      'tsa_name = no',
      'ess_cert_id_chain = no',
      'ess_cert_id_alg = sha256',
      'signer_digest = sha256',
      '',
    ].join('\n'),
  );
  return { cert: `${base}.pem`, key: `${base}.key`, config, chain: ca.cert, commonName };
}

/**
 * Runs `work` with an RFC 3161 time-stamping server on 127.0.0.1 answering through `openssl ts
 * -reply`; `work` gets its URL. The server is closed when `work` ends.
 */
async function withTimestampServer<T>(tsa: TestTsa, scratch: string, work: (url: string) => Promise<T>): Promise<T> {
  let n = 0;
  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      const id = n++;
      const query = `${scratch}.${id}.tsq`;
      const reply = `${scratch}.${id}.tsr`;
      void (async () => {
        try {
          await writeFile(query, Buffer.concat(parts));
          await execFileAsync('openssl', ['ts', '-reply', '-config', tsa.config, '-queryfile', query, '-signer', tsa.cert, '-inkey', tsa.key, '-chain', tsa.chain, '-out', reply]);
          res.writeHead(200, { 'content-type': 'application/timestamp-reply' });
          res.end(await readFile(reply));
        } catch {
          res.writeHead(500);
          res.end();
        }
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    return await work(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

export interface SignOptions {
  ca: TestCa;
  /** Signer certificate subject CN (and O, default the same). */
  commonName: string;
  organization?: string;
  /** SpcSpOpusInfo program name (`osslsigncode -n`) and URL (`-i`). */
  programName?: string;
  programUrl?: string;
  digest?: 'sha1' | 'sha256' | 'sha384' | 'sha512';
  /** Add a nested signature to an already signed file (`-nest`): a dual signature. */
  nest?: boolean;
  /** Where to write the signed file; default: over `path`. */
  out?: string;
  /** Countersign with an RFC 3161 timestamp from this test TSA (served on 127.0.0.1). */
  timestamp?: TestTsa;
  /** More osslsigncode options (`-add-msi-dse`). */
  extraArgs?: string[];
}

/**
 * Signs a PE file (or an MSI: osslsigncode tells them apart) with osslsigncode under a code-signing certificate of the test CA (issued for
 * `commonName`, `organization`). Returns the signed file's path.
 */
export async function signPe(path: string, options: SignOptions): Promise<string> {
  const signer = issueCodeSigningCert(options.ca, options.commonName, options.organization);
  const out = options.out ?? path;
  const tmp = `${out}.signing`;
  const args = ['sign', '-certs', signer.cert, '-ac', options.ca.cert, '-key', signer.key, '-h', options.digest ?? 'sha256'];
  if (options.programName !== undefined) args.push('-n', options.programName);
  if (options.programUrl !== undefined) args.push('-i', options.programUrl);
  if (options.nest) args.push('-nest');
  args.push(...(options.extraArgs ?? []), '-in', path, '-out', tmp);
  const tsa = options.timestamp;
  if (tsa) await withTimestampServer(tsa, tmp, (url) => execFileAsync('osslsigncode', [...args, '-ts', url]));
  else await execFileAsync('osslsigncode', args);
  renameSync(tmp, out);
  return out;
}

export interface XarSignOptions {
  ca: TestCa;
  commonName: string;
  /** Which TOC signatures to add (default both). */
  rsa?: boolean;
  cms?: boolean;
}

/** Certificate DER as base64 for a TOC's KeyInfo. */
function certificateBase64(pem: string): string {
  return new X509Certificate(readFileSync(pem)).raw.toString('base64');
}

/**
 * Signs a xar written by bsdtar the way `xar --sign` and productsign do: the signatures take the
 * heap right after the TOC checksum (file data moves up by their size), the TOC names them with
 * the signer's certificates in KeyInfo, and both sign the checksum of the new TOC: RSA as a
 * PKCS#1 v1.5 signature of the checksum taken as a SHA-1 digest (`openssl pkeyutl -pkeyopt
 * digest:sha1`), CMS as a detached SignedData over the checksum bytes (`openssl cms -sign`).
 */
export function signXar(xarPath: string, out: string, options: XarSignOptions): { checksum: Buffer; rsa?: Buffer; cms?: Buffer; signer: CodeSigningCert } {
  const xar = readFileSync(xarPath);
  const headerSize = xar.readUInt16BE(4);
  const tocLength = Number(xar.readBigUInt64BE(8));
  if (xar.readUInt32BE(24) !== 1) throw new Error('signXar expects a SHA-1 TOC checksum (bsdtar default)');
  const toc = inflateSync(xar.subarray(headerSize, headerSize + tocLength)).toString('utf8');
  const heap = xar.subarray(headerSize + tocLength);
  if (!/<checksum style="sha1">\s*<offset>0<\/offset>\s*<size>20<\/size>/.test(toc)) throw new Error('unexpected TOC checksum placement');
  const signer = issueCodeSigningCert(options.ca, options.commonName);
  const work = `${out}.sign`;
  mkdirSync(work, { recursive: true });
  const cmsOf = (checksum: Buffer): Buffer => {
    writeFileSync(join(work, 'checksum'), checksum);
    run('openssl', ['cms', '-sign', '-binary', '-md', 'sha256', '-in', join(work, 'checksum'), '-signer', signer.cert, '-inkey', signer.key, '-certfile', options.ca.cert, '-outform', 'DER', '-out', join(work, 'cms')]);
    return readFileSync(join(work, 'cms'));
  };
  const rsaSize = options.rsa === false ? 0 : 256;
  const cmsSize = options.cms === false ? 0 : cmsOf(Buffer.alloc(20)).length;
  const keyInfo = `<KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>${certificateBase64(signer.cert)}</X509Certificate><X509Certificate>${certificateBase64(options.ca.cert)}</X509Certificate></X509Data></KeyInfo>`;
  let elements = '';
  if (rsaSize > 0) elements += `<signature style="RSA"><offset>20</offset><size>${rsaSize}</size>${keyInfo}</signature>`;
  if (cmsSize > 0) elements += `<x-signature style="CMS"><offset>${20 + rsaSize}</offset><size>${cmsSize}</size>${keyInfo}</x-signature>`;
  const shifted = toc
    .replace(/<data>[\s\S]*?<\/data>/g, (data) => data.replace(/<offset>(\d+)<\/offset>/, (_, n: string) => `<offset>${Number(n) + rsaSize + cmsSize}</offset>`))
    .replace(/(<checksum style="sha1">[\s\S]*?<\/checksum>)/, `$1${elements}`);
  const compressed = deflateSync(Buffer.from(shifted, 'utf8'));
  const checksum = createHash('sha1').update(compressed).digest();
  writeFileSync(join(work, 'checksum'), checksum);
  const parts: Buffer[] = [];
  const result: { checksum: Buffer; rsa?: Buffer; cms?: Buffer; signer: CodeSigningCert } = { checksum, signer };
  if (rsaSize > 0) {
    run('openssl', ['pkeyutl', '-sign', '-inkey', signer.key, '-pkeyopt', 'digest:sha1', '-in', join(work, 'checksum'), '-out', join(work, 'rsa')]);
    result.rsa = readFileSync(join(work, 'rsa'));
    parts.push(result.rsa);
  }
  if (cmsSize > 0) {
    result.cms = cmsOf(checksum);
    if (result.cms.length !== cmsSize) throw new Error(`CMS signature is ${result.cms.length} bytes, ${cmsSize} were reserved`);
    parts.push(result.cms);
  }
  const header = Buffer.from(xar.subarray(0, headerSize));
  header.writeBigUInt64BE(BigInt(compressed.length), 8);
  header.writeBigUInt64BE(BigInt(Buffer.byteLength(shifted, 'utf8')), 16);
  writeFileSync(out, Buffer.concat([header, compressed, checksum, ...parts, heap.subarray(20)]));
  return result;
}
