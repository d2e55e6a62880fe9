/**
 * Independent views of code signatures for the signing tests: osslsigncode's verification
 * report (Authenticode), OpenSSL's certificate printing, and conversions between the subject
 * forms the tools print and the RFC 4514 form the facts hold.
 */
import { spawnSync } from 'node:child_process';

export interface OsslSignature {
  index: number;
  digestAlgorithm: string;
  current: string;
  calculated: string;
  /** Signer fields; osslsigncode leaves them out after a digest mismatch. */
  subject?: string;
  issuer?: string;
  serial?: string;
  programName?: string;
  programUrl?: string;
  /** RFC 3339, from "Timestamp time" or else the signed "Signing time". */
  signingTime?: string;
}

function rfc3339(opensslTime: string): string {
  return new Date(opensslTime.replace(/\s+/g, ' ')).toISOString().replace(/\.000Z$/, 'Z');
}

/** `osslsigncode verify` (offline: CRLs not fetched), split per signature index. */
export function osslsigncodeVerify(path: string, caFile?: string): { signatures: OsslSignature[]; output: string } {
  const args = ['verify', '-ignore-crl', '-ignore-cdp', '-in', path];
  if (caFile) args.push('-CAfile', caFile, '-TSA-CAfile', caFile);
  const res = spawnSync('osslsigncode', args, { encoding: 'utf8', timeout: 120_000 });
  const output = `${res.stdout}\n${res.stderr}`;
  const blocks = output.split(/^Signature Index: /m).slice(1);
  const signatures = blocks.map((block, index) => {
    const line = (re: RegExp): string | undefined => re.exec(block)?.[1]?.trim();
    const sig: OsslSignature = {
      index,
      digestAlgorithm: line(/^Message digest algorithm\s+: (\S+)/m)!.toLowerCase(),
      // For an MSI the file's digest is "DigitalSignature" ("Calculated message digest" is then
      // the signed attributes' check).
      current: (line(/^Current DigitalSignature\s+: (\S+)/m) ?? line(/^Current message digest\s+: (\S+)/m))!.toLowerCase(),
      calculated: (line(/^Calculated DigitalSignature\s+: (\S+)/m) ?? line(/^Calculated message digest\s+: (\S+)/m))!.toLowerCase(),
    };
    const at = block.indexOf("Signer's certificate:");
    if (at >= 0) {
      const signer = block.slice(at);
      sig.subject = /Subject: (.*)/.exec(signer)![1]!.trim();
      sig.issuer = /Issuer : (.*)/.exec(signer)![1]!.trim();
      sig.serial = /Serial : (.*)/.exec(signer)![1]!.trim().toLowerCase();
    }
    const programName = line(/^\s*Text description: (.*)$/m);
    const programUrl = /^\s*URL description: (.*)$/m.exec(block)?.[1];
    const time = line(/^\s*Timestamp time: (.*)$/m) ?? line(/^\s*Signing time: (.*)$/m);
    if (programName !== undefined) sig.programName = programName;
    if (programUrl !== undefined) sig.programUrl = programUrl;
    if (time !== undefined) sig.signingTime = rfc3339(time);
    return sig;
  });
  return { signatures, output };
}

/** RDNs of an RFC 4514 string (`, ` between RDNs, `\` escapes), most specific first, unescaped. */
export function rdnsOf(rfc4514: string): string[] {
  return rfc4514.split(/(?<!\\), /).map((rdn) => rdn.replace(/\\(.)/g, '$1'));
}

/** The RFC 4514 subject in OpenSSL's one-line form (`/C=US/O=…/CN=…`, `/` in values escaped). */
export function oneline(rfc4514: string): string {
  return rdnsOf(rfc4514)
    .reverse()
    .map((rdn) => `/${rdn.replace(/\//g, '\\/')}`)
    .join('');
}

/** Subjects (RFC 2253) of every certificate in a DER PKCS#7: `openssl pkcs7 -print_certs`, then `openssl x509 -subject`. */
export function pkcs7Subjects(der: Uint8Array): string[] {
  const res = spawnSync('openssl', ['pkcs7', '-inform', 'DER', '-print_certs'], { input: der, encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`openssl pkcs7 failed: ${res.stderr}`);
  return [...res.stdout.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g)].map((m) => {
    const x = spawnSync('openssl', ['x509', '-noout', '-subject', '-nameopt', 'RFC2253,-esc_msb'], { input: m[0], encoding: 'utf8' });
    return x.stdout.replace(/^subject=/, '').trim();
  });
}

/** Our RFC 4514 form with OpenSSL's RFC 2253 separators (`,` without a space). */
export function rfc2253(rfc4514: string): string {
  return rfc4514.split(/(?<!\\), /).join(',');
}
