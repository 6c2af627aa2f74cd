import type { ClaimRequest, ClaimedDelivery, CreateMessageResult, NewMessage, Store } from '../store/store.js';

/** This process's delivery worker, as ingest sees it: a batch may claim for it (store.createMessagesAndClaim). */
export interface ClaimingWorker {
  /** The claim to make with the next batch; null when the worker does not want one (busy, or stopping). */
  ingestClaimRequest(): ClaimRequest | null;
  /** Rows claimed with a batch, handed over once the batch is durable. */
  takeClaimed(rows: ClaimedDelivery[], request: ClaimRequest): void;
}

export interface OutboxOptions {
  /** Largest number of messages written in one transaction (Default: 500). */
  maxBatch?: number;
  /** Batches written at once (Default: 2: one commits while the one before waits for its fsync). */
  maxInFlight?: number;
  /** The worker in this process, if any (see handOffTo). (Default: none) */
  worker?: ClaimingWorker | null;
}

/** What the outbox needs of the Store: the two ingest writes. */
export type OutboxStore = Pick<Store, 'createMessages' | 'createMessagesAndClaim'>;

interface Pending {
  input: NewMessage;
  resolve: (r: CreateMessageResult) => void;
  reject: (e: unknown) => void;
}

/**
 * The one door into the message log: every producer (the API's routes, operational webhooks,
 * and later meters) calls `submit`. Group commit: every message of one event-loop turn is queued; a
 * setImmediate flush writes them with ONE `store.createMessages` call (one transaction, one
 * fsync) and resolves each request with its own result. At most `maxInFlight` flushes run at
 * once; new requests wait and form the next, larger batch — so under load batches grow instead
 * of commits multiplying. Two in flight let one batch commit while the one before waits for
 * the disk (SQLite syncs the WAL after the commit, shared by every commit before it: wal-sync.ts),
 * instead of the API idling through every fsync. A store failure fails the requests of that batch only.
 * With a worker in this process that wants it, a batch also claims for it in the same transaction.
 *
 * Two claim paths stay: a worker's own claim (with its outcome commit) and this hand-off. The
 * hand-off spares an idle worker a claim round trip per new message (docs/decisions/0001).
 */
export class Outbox {
  private readonly maxBatch: number;
  private readonly maxInFlight: number;
  private worker: ClaimingWorker | null;
  private queue: Pending[] = [];
  private scheduled = false;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly store: OutboxStore,
    options: OutboxOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 500;
    this.maxInFlight = options.maxInFlight ?? 2;
    this.worker = options.worker ?? null;
  }

  /**
   * The worker in this process: when it asks (no outcome commit of its own on the way), a batch's
   * deliveries are leased to it with the batch, so a new message is sent without waiting for a
   * claim of its own. Set after construction because the worker itself emits through the outbox.
   */
  handOffTo(worker: ClaimingWorker | null): void {
    this.worker = worker;
  }

  submit(input: NewMessage): Promise<CreateMessageResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
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

  private async flush(): Promise<void> {
    const batch = this.queue.splice(0, this.maxBatch);
    if (batch.length === 0) return;
    try {
      const inputs = batch.map((p) => p.input);
      const claim = this.worker?.ingestClaimRequest() ?? null;
      let results: CreateMessageResult[];
      if (claim) {
        const written = await this.store.createMessagesAndClaim(inputs, claim);
        this.worker!.takeClaimed(written.claimed, claim);
        results = written.results;
      } else {
        results = await this.store.createMessages(inputs);
      }
      batch.forEach((p, i) => p.resolve(results[i]));
    } catch (err) {
      for (const p of batch) p.reject(err);
    }
  }
}
