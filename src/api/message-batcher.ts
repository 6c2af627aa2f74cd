import type { CreateMessageResult, NewMessage, Store } from '../store/store.js';

export interface MessageBatcherOptions {
  /** Largest number of messages written in one transaction (Default: 500). */
  maxBatch?: number;
}

interface Pending {
  input: NewMessage;
  resolve: (r: CreateMessageResult) => void;
  reject: (e: unknown) => void;
}

/**
 * Group commit for ingest. Every message create of one event-loop turn is queued; a
 * setImmediate flush writes them with ONE `store.createMessages` call (one transaction, one
 * fsync) and resolves each request with its own result. While a flush is in flight, new
 * requests wait and form the next, larger batch — so under load batches grow instead of
 * commits multiplying. A store failure fails the requests of that batch only.
 */
export class MessageBatcher {
  private readonly maxBatch: number;
  private queue: Pending[] = [];
  private scheduled = false;
  private inFlight: Promise<void> | null = null;

  constructor(private readonly store: Store, options: MessageBatcherOptions = {}) {
    this.maxBatch = options.maxBatch ?? 500;
  }

  submit(input: NewMessage): Promise<CreateMessageResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      this.schedule();
    });
  }

  /** Resolves once everything submitted so far is written (graceful shutdown, tests). */
  async drain(): Promise<void> {
    while (this.queue.length > 0 || this.inFlight || this.scheduled) {
      await (this.inFlight ?? new Promise((r) => setImmediate(r)));
    }
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.inFlight = this.flush().finally(() => {
        this.inFlight = null;
        if (this.queue.length > 0) this.schedule();
      });
    });
  }

  private async flush(): Promise<void> {
    const batch = this.queue.splice(0, this.maxBatch);
    if (batch.length === 0) return;
    try {
      const results = await this.store.createMessages(batch.map((p) => p.input));
      batch.forEach((p, i) => p.resolve(results[i]));
    } catch (err) {
      for (const p of batch) p.reject(err);
    }
  }
}
