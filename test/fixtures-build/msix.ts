/** MSIX/APPX packages and a bundle built by fixtures/src/msix/make_msix.py (python zipfile + hashlib). */
import { join } from 'node:path';
import { repoRoot } from '../helpers/fixtures.js';
import { debianPython, run } from '../helpers/tools.js';

export interface MsixFixtures {
  dir: string;
  /** Oracle: python zipfile's members, names percent-decoded, with their SHA-256. */
  listings: Record<'demo.msix' | 'tampered.msix' | 'demo.msixbundle' | 'DemoApp_x64.msix', Record<string, string>>;
}

export const msixPublisher = 'CN=Example Fixtures Ltd, O=Example Fixtures Ltd, C=GB';

export function buildMsixFixtures(dir: string): MsixFixtures {
  const out = run(debianPython, [join(repoRoot, 'fixtures', 'src', 'msix', 'make_msix.py'), dir]);
  return { dir, listings: JSON.parse(out) as MsixFixtures['listings'] };
}
