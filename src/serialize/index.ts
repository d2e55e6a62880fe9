import type { Bom } from '../bom/model.js';
import type { BomFormat } from '../bom/view.js';
import { writeCycloneDx } from './cyclonedx.js';
import { writeSpdx23 } from './spdx2.js';
import { writeSpdx3 } from './spdx3.js';

/** The output formats `build --format` takes: name, the format written, the default file extension, the writer. */
export const OUTPUT_FORMATS = {
  'spdx-json': { format: 'spdx-2.3', extension: '.spdx.json', write: writeSpdx23 },
  'spdx3-json': { format: 'spdx-3.0.1', extension: '.spdx3.json', write: writeSpdx3 },
  'cyclonedx-json': { format: 'cyclonedx-1.6', extension: '.cdx.json', write: (bom: Bom) => writeCycloneDx(bom, '1.6') },
  'cyclonedx-1.7-json': { format: 'cyclonedx-1.7', extension: '.cdx.json', write: (bom: Bom) => writeCycloneDx(bom, '1.7') },
} as const satisfies Record<string, { format: BomFormat; extension: string; write: (bom: Bom) => string }>;

export type OutputFormat = keyof typeof OUTPUT_FORMATS;

export function isOutputFormat(name: string): name is OutputFormat {
  return Object.hasOwn(OUTPUT_FORMATS, name);
}
