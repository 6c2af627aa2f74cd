import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The disk's yardstick: 4 KB appends each followed by fdatasync for `ms`, in the temp dir
 * where the SQLite files of the runs live. SQLite with synchronous=FULL pays one of these per
 * commit, so this bounds commit-per-request designs (DESIGN.md measured ~6k/s on a quiet box).
 */
export function fsyncsPerSecond(ms = 1000): number {
  const dir = mkdtempSync(join(tmpdir(), 'hr-bench-disk-'));
  const fd = openSync(join(dir, 'probe'), 'w');
  const buf = Buffer.alloc(4096, 1);
  let n = 0;
  const started = performance.now();
  try {
    while (performance.now() - started < ms && n < 1_000_000) {
      writeSync(fd, buf);
      fdatasyncSync(fd);
      n++;
    }
  } finally {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  }
  return n / ((performance.now() - started) / 1000);
}
