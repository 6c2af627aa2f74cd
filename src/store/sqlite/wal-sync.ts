import { closeSync, fdatasync, openSync } from 'node:fs';

/**
 * Durable commits without stalling the event loop. With `synchronous=FULL` SQLite fsyncs the
 * WAL inside COMMIT, on the JavaScript thread: every API request and delivery in the process
 * waits for the disk. Instead, ingest commits with `synchronous=NORMAL` (the frames reach the OS, not the
 * disk) and then awaits `sync()`: an `fdatasync` of the WAL file on libuv's thread pool, shared
 * by every commit made before it started. A caller is answered only once its frames are on disk,
 * so a 202 still means durable. Frames a checkpoint moves into the database file are safe too:
 * in WAL mode a checkpoint syncs the WAL before copying and the database file after.
 *
 * Commits are visible to this connection before they are durable: a worker may deliver a message
 * whose ingest a power cut then undoes. The producer never got its 202 and sends it again — the
 * at-least-once contract holds.
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
    // The sync in progress may have started before our commit: one more after it covers every
    // caller that arrives meanwhile.
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
    // Opened on first use: the -wal file exists once the first transaction has been written,
    // and SQLite keeps that file (resetting it in place) while the connection is open.
    this.fd ??= openSync(this.walFile, 'r');
    const fd = this.fd;
    await new Promise<void>((resolve, reject) => fdatasync(fd, (err) => (err ? reject(err) : resolve())));
  }
}
