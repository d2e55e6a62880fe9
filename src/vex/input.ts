/**
 * Where `vex` gets its BomView: an SBOM file in any format the readers take, or an artifact built
 * in memory exactly as `build` would. The VEX derivation sees only the view.
 */
import { open } from 'node:fs/promises';
import { buildBom, type BuildOptions } from '../build.js';
import { readBomFile, viewOfBom } from '../bom/read/index.js';
import type { BomView } from '../bom/view.js';

/** A JSON document rather than an artifact: no installer, archive or binary format starts with `{`. */
async function isJsonDocument(path: string): Promise<boolean> {
  const fh = await open(path, 'r').catch(() => undefined);
  if (!fh) return false;
  try {
    const { buffer, bytesRead } = await fh.read(Buffer.alloc(64), 0, 64, 0);
    return /^\s*\{/.test(buffer.subarray(0, bytesRead).toString('utf8').replace(/^\uFEFF/, ''));
  } catch {
    return false;
  } finally {
    await fh.close();
  }
}

/**
 * VEX states what the bytes show. A version the SBOM takes from a declaration because the bytes
 * carry none (`not-verifiable`: libffi-8.dll) is a hint, kept as the declared version, not a version.
 */
export function forVex(view: BomView): BomView {
  // A declaration the binaries contradict names a version this artifact does not ship: scanners
  // reading the source SBOM will match it, so it is stated absent, under the identifiers the
  // declaration would carry (the shipped copy's CPEs at the declared version).
  const contradicted = view.components.filter((c) => c.reconciliation?.status === 'contradicted' && c.declaredVersion !== undefined && c.version !== undefined);
  return {
    ...view,
    components: view.components.map((c) => {
      if (c.reconciliation?.status !== 'not-verifiable' || c.version === undefined) return c;
      const { version, ...rest } = c;
      return { ...rest, declaredVersion: version };
    }),
    declaredAbsent: [
      ...view.declaredAbsent,
      ...contradicted.map((c) => ({
        name: c.name,
        version: c.declaredVersion!,
        note: `contradicted: declared ${c.declaredVersion}, the artifact ships ${c.version}`,
        cpes: c.cpes.map((cpe) => cpe.replace(`:${c.version}:`, `:${c.declaredVersion}:`)),
      })),
    ],
  };
}

/** The BomView of an SBOM file, or of an artifact analysed with `options` (as `build` would). */
export async function loadBomView(path: string, options: BuildOptions = {}): Promise<BomView> {
  if (await isJsonDocument(path)) return forVex((await readBomFile(path)).view);
  return forVex(viewOfBom((await buildBom(path, options)).bom));
}
