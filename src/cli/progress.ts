import type { FileNode } from '../unpack/walk.js';
import { formatBytes } from '../report/report-data.js';

export interface Progress {
  /** Fits `AnalyzeOptions.onFile`: call once per file done. */
  onFile: (file: FileNode) => void;
  /** Clears the line; call before printing results (and on errors). */
  done: () => void;
}

export interface ProgressOptions {
  /** Where to draw; default process.stderr. Nothing is drawn unless it is a TTY. */
  stream?: NodeJS.WriteStream;
  /** Minimum milliseconds between redraws. */
  intervalMs?: number;
  /** Draw even when the stream is not a TTY (tests). */
  force?: boolean;
  now?: () => number;
}

const NOOP: Progress = { onFile: () => {}, done: () => {} };
const BAR_WIDTH = 12;

/**
 * A one-line progress display for long runs: an indeterminate bar (the number of files inside
 * nested containers is not known until they are unpacked), files and bytes done, and the current
 * file. Drawn only on a TTY so logs and pipes in CI stay clean; throttled so tiny files cost nothing.
 */
export function createProgress(label: string, options: ProgressOptions = {}): Progress {
  const stream = options.stream ?? process.stderr;
  if (!options.force && !stream.isTTY) return NOOP;
  const interval = options.intervalMs ?? 100;
  const now = options.now ?? Date.now;
  const started = now();
  let files = 0;
  let bytes = 0;
  let last = -Infinity;
  let drawn = false;
  let tick = 0;

  const draw = (current: string) => {
    const width = Math.max(40, (stream.columns ?? 80) - 1);
    const span = BAR_WIDTH - 3;
    const pos = tick++ % (span * 2);
    const at = pos <= span ? pos : span * 2 - pos;
    const bar = `[${' '.repeat(at)}###${' '.repeat(span - at)}]`;
    const secs = Math.floor((now() - started) / 1000);
    const head = `${label} ${bar} ${files} file(s), ${formatBytes(bytes)}, ${secs}s `;
    const room = width - head.length;
    const tail = room <= 1 ? '' : current.length <= room ? current : `…${current.slice(current.length - room + 1)}`;
    stream.write(`\r\x1b[2K${head}${tail}`);
    drawn = true;
  };

  return {
    onFile(file: FileNode) {
      files++;
      bytes += file.size;
      const t = now();
      if (t - last < interval) return;
      last = t;
      draw(file.path);
    },
    done() {
      if (drawn) stream.write('\r\x1b[2K');
      drawn = false;
    },
  };
}
