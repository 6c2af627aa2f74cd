import { closeSync, fdatasync, openSync } from 'node:fs';

/**
 * Durable commits off the store's thread: ingest commits with synchronous=NORMAL, then awaits
 * `sync()`, one fdatasync of the WAL on libuv's pool for every commit made before it started, so
 * a 202 still means on disk (a checkpoint syncs the WAL before copying it). A message delivered
 * before its sync and lost in a power cut never got its 202: the producer sends it again.
 */
export class WalSync {
  private fd: number | null = null;
  private running: Promise<void> | null = null;
  private next: Promise<void> | null = null;

  /** `datasync` is for tests (Default: fdatasync of the WAL file on the thread pool). */
  constructor(
    private readonly walFile: string,
    private readonly datasync: () => Promise<void> = () => this.fdatasyncWal(),
  ) {}

  /** Resolves once everything committed before this call is on disk. */
  sync(): Promise<void> {
    if (!this.running) {
      this.running = this.datasync().finally(() => {
        this.running = null;
      });
      return this.running;
    }
    // The sync in progress may predate our commit: one more after it covers every caller meanwhile.
    this.next ??= this.running.then(() => {
      this.next = null;
      return this.sync();
    });
    return this.next;
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private async fdatasyncWal(): Promise<void> {
    // Opened on first use: the -wal file exists from the first write and stays while the connection is open.
    this.fd ??= openSync(this.walFile, 'r');
    const fd = this.fd;
    await new Promise<void>((resolve, reject) => fdatasync(fd, (err) => (err ? reject(err) : resolve())));
  }
}
