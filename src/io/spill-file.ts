import { closeSync, openSync, writeSync } from 'node:fs';

/**
 * A file written synchronously, chunk by chunk: decoded entries spilled to the reader's temp
 * dir, sources handed to 7-Zip. An asynchronous write is a round trip through libuv's thread
 * pool for every chunk; writing into the page cache takes microseconds, and a 60 MB entry comes
 * in about a thousand chunks.
 */
export class SpillFile {
  private fd: number;

  constructor(
    readonly path: string,
    /** 'wx': the file must not exist yet. */
    flags: 'w' | 'wx' = 'w',
  ) {
    this.fd = openSync(path, flags);
  }

  write(chunk: Uint8Array): void {
    for (let done = 0; done < chunk.length; ) done += writeSync(this.fd, chunk, done, chunk.length - done);
  }

  close(): void {
    if (this.fd < 0) return;
    closeSync(this.fd);
    this.fd = -1;
  }
}
