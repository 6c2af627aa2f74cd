/**
 * Group commit: every item submitted in one event-loop turn is queued; a setImmediate flush hands
 * the queue to ONE `write` (one transaction, one fsync) and resolves each submitter with its own
 * result. At most `maxInFlight` flushes run at once; items that arrive meanwhile wait and form
 * the next, larger batch — so under load batches grow instead of commits multiplying. Two in
 * flight let one batch commit while the one before waits for the disk (SQLite syncs the WAL after
 * the commit, shared by every commit before it: wal-sync.ts). A failed write fails its batch only.
 */

export interface GroupCommitOptions<I> {
  /** Largest batch, in `weight` (Default: 500 items). A single heavier item still goes alone. */
  maxBatch?: number;
  /** Flushes at once (Default: 2). */
  maxInFlight?: number;
  /** An item's share of maxBatch (Default: 1). */
  weight?: (item: I) => number;
}

interface Pending<I, O> {
  item: I;
  resolve: (r: O) => void;
  reject: (e: unknown) => void;
}

export class GroupCommit<I, O> {
  private readonly maxBatch: number;
  private readonly maxInFlight: number;
  private readonly weight: (item: I) => number;
  private queue: Array<Pending<I, O>> = [];
  private scheduled = false;
  private readonly inFlight = new Set<Promise<void>>();

  /** `write` answers one result per item, in order. */
  constructor(
    private readonly write: (items: I[]) => Promise<O[]>,
    options: GroupCommitOptions<I> = {},
  ) {
    this.maxBatch = options.maxBatch ?? 500;
    this.maxInFlight = options.maxInFlight ?? 2;
    this.weight = options.weight ?? (() => 1);
  }

  submit(item: I): Promise<O> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  /** Resolves once everything submitted so far is written (graceful shutdown, tests). */
  async drain(): Promise<void> {
    while (this.queue.length > 0 || this.inFlight.size > 0 || this.scheduled) {
      await (this.inFlight.size > 0 ? Promise.race(this.inFlight) : new Promise((r) => setImmediate(r)));
    }
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight.size >= this.maxInFlight) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const flush: Promise<void> = this.flush().finally(() => {
        this.inFlight.delete(flush);
        if (this.queue.length > 0) this.schedule();
      });
      this.inFlight.add(flush);
      if (this.queue.length > 0) this.schedule(); // more than maxBatch waited: a free slot takes the rest now
    });
  }

  private take(): Array<Pending<I, O>> {
    let n = 0;
    let total = 0;
    while (n < this.queue.length && (n === 0 || total + this.weight(this.queue[n].item) <= this.maxBatch)) {
      total += this.weight(this.queue[n].item);
      n++;
    }
    return this.queue.splice(0, n);
  }

  private async flush(): Promise<void> {
    const batch = this.take();
    if (batch.length === 0) return;
    try {
      const results = await this.write(batch.map((p) => p.item));
      batch.forEach((p, i) => p.resolve(results[i]));
    } catch (err) {
      for (const p of batch) p.reject(err);
    }
  }
}
