import type { ClaimedDelivery, ClaimRequest, DeliveryOutcome, Store } from '../store/store.js';
import { coerceError, StoreUnavailableError } from '../errors.js';
import { settlingOf } from '../store/outcome-fold.js';
import { WakeSignal } from './wake-signal.js';

/**
 * Group commit of delivery outcomes: everything recorded within `lingerMs` (or until `maxBatch`
 * are waiting) is written with ONE `store.completeDeliveries` (one transaction). A commit, with the
 * claim it makes, has a fixed cost, so batches are made large: the first outcome lingers a moment,
 * and under load (outcomes arrived while the last commit ran) the next commit waits up to `fillMs`
 * for `fillBatch` of them, unless one is ordered. One commit at a time. When the store is down
 * the batch is kept and retried with backoff (the store applies an outcome only while our lease
 * holds, so a late write is safe).
 *
 * A batch that fails for another reason than the store being unavailable (a constraint, a bug)
 * is written again one outcome at a time, and an outcome that still fails is logged and dropped:
 * one bad outcome must not hold every later one back forever. Its row keeps its lease, which
 * expires, and the delivery is sent again (at-least-once).
 *
 * With `claimWith`, each commit also claims (store.completeAndClaim): the slots the outcomes
 * free are refilled in the same transaction, instead of a second commit for the claim.
 */

export interface OutcomeWriterLogger {
  error(obj: object, msg: string): void;
}

export interface OutcomeWriterOptions {
  /** First retry delay after a failed commit; doubles up to maxBackoffMs (Default: 100). */
  minBackoffMs?: number;
  /** (Default: 5000.) */
  maxBackoffMs?: number;
  /** How long the first outcome of a batch waits for company (Default: 2 ms). */
  lingerMs?: number;
  /** A batch this large is written at once, without lingering (Default: 256). */
  maxBatch?: number;
  /**
   * When outcomes were queued while the last commit ran, the next commit waits at most this long
   * for fillBatch of them, because a commit's cost barely depends on how many outcomes it holds.
   */
  fillMs?: number;
  /** Under load, the batch that starts the next commit without waiting out fillMs (Default: 100). */
  fillBatch?: number;
  /** The claim to make with each commit, or null for none now (Default: none). */
  claimWith?: () => ClaimRequest | null;
  /** Called after each successful commit, with what its claim leased (null: no claim was made). */
  onCommit?: (count: number, claimed: Claimed | null) => void;
}

export interface Claimed {
  rows: ClaimedDelivery[];
  request: ClaimRequest;
}

interface Pending {
  outcome: DeliveryOutcome;
  resolve: () => void;
}

export class OutcomeWriter {
  private queue: Pending[] = [];
  private scheduled = false;
  private running: Promise<void> | null = null;
  private backoffMs = 0;
  private closed = false;
  /** Ends fill()'s wait: a full batch or an ordered outcome is queued, or a flush or close wants them now. */
  private readonly filled = new WakeSignal();
  /** flush() is waiting: commits stop waiting for fuller batches. */
  private flushing = 0;

  constructor(
    private readonly store: Store,
    private readonly log: OutcomeWriterLogger,
    private readonly options: OutcomeWriterOptions = {},
  ) {}

  /** Queue an outcome; resolves once it is committed (never rejects). Ignored after close(). */
  add(outcome: DeliveryOutcome): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.queue.push({ outcome, resolve });
      if (outcome.ordered || this.queue.length >= this.fillBatch) this.filled.notify();
      if (this.queue.length >= (this.options.maxBatch ?? 256)) this.flushSoon();
      else this.schedule();
    });
  }

  /** Queued outcomes per endpoint (not yet in a commit): their requests are over (ClaimRequest.settling). None: undefined. */
  settling(): Map<string, number> | undefined {
    return this.queue.length === 0 ? undefined : settlingOf(this.queue.map((p) => p.outcome));
  }

  get pending(): number {
    return this.queue.length;
  }

  /** Nothing waiting and no commit in flight or scheduled: no commit of ours will claim soon. */
  get idle(): boolean {
    return this.queue.length === 0 && this.running === null && !this.scheduled;
  }

  private timer: NodeJS.Timeout | null = null;

  private schedule(): void {
    if (this.scheduled || this.running) return;
    this.scheduled = true;
    this.timer = setTimeout(() => this.start(), this.options.lingerMs ?? 2);
  }

  /** A full batch: skip the rest of the linger. */
  private flushSoon(): void {
    if (this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.scheduled = true;
    this.timer = null;
    setImmediate(() => this.start());
  }

  private start(): void {
    if (this.running || !this.scheduled) return;
    this.scheduled = false;
    this.timer = null;
    this.running = this.drain().finally(() => {
      this.running = null;
      if (this.queue.length > 0 && !this.closed) this.schedule();
    });
  }

  private async drain(): Promise<void> {
    let loaded = false;
    while (this.queue.length > 0) {
      if (loaded) await this.fill();
      const batch = this.queue;
      this.queue = [];
      try {
        const outcomes = batch.map((p) => p.outcome);
        const request = this.options.claimWith?.() ?? null;
        let claimed: Claimed | null = null;
        if (request) claimed = { rows: await this.store.completeAndClaim(outcomes, request), request };
        else await this.store.completeDeliveries(outcomes);
        this.backoffMs = 0;
        for (const p of batch) p.resolve();
        this.options.onCommit?.(batch.length, claimed);
        loaded = this.queue.length > 0;
      } catch (err) {
        if (!(err instanceof StoreUnavailableError)) {
          this.queue = (await this.writeOneByOne(batch)).concat(this.queue);
          continue;
        }
        this.queue = batch.concat(this.queue);
        this.backoffMs = Math.min(
          this.options.maxBackoffMs ?? 5000,
          Math.max(this.options.minBackoffMs ?? 100, this.backoffMs * 2),
        );
        this.log.error(
          { err: coerceError(err), outcomes: batch.length, retryInMs: this.backoffMs },
          'could not record delivery outcomes; retrying',
        );
        if (this.closed) return;
        await new Promise((r) => setTimeout(r, this.backoffMs));
      }
    }
  }

  private get fillBatch(): number {
    return this.options.fillBatch ?? 100;
  }

  /**
   * Resolves once fillBatch outcomes are queued, fillMs has passed, a flush or close wants them now,
   * or an ordered outcome is queued (its key's next message waits on this commit).
   */
  private fill(): Promise<void> {
    const full = this.queue.length >= this.fillBatch;
    if (full || this.flushing > 0 || this.closed || this.queue.some((p) => p.outcome.ordered)) return Promise.resolve();
    this.filled.clear(); // a notify from before this wait: its cause was checked just above
    return this.filled.wait(this.options.fillMs ?? 10);
  }

  /** The poison-isolating fallback: each outcome alone; returns what must wait for the store to come back. */
  private async writeOneByOne(batch: Pending[]): Promise<Pending[]> {
    for (let i = 0; i < batch.length; i++) {
      const p = batch[i];
      try {
        await this.store.completeDeliveries([p.outcome]);
      } catch (err) {
        if (err instanceof StoreUnavailableError) return batch.slice(i);
        this.log.error(
          { err: coerceError(err), deliveryId: p.outcome.deliveryId },
          'could not record a delivery outcome; dropping it (the delivery will be sent again when its lease expires)',
        );
      }
      p.resolve();
    }
    this.options.onCommit?.(batch.length, null);
    return [];
  }

  /** Write everything queued (retrying while the store is down, up to `timeoutMs`). */
  async flush(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    this.flushing++;
    this.filled.interrupt();
    try {
      while ((this.queue.length > 0 || this.running || this.scheduled) && Date.now() < deadline) {
        if (this.running) {
          let timer: NodeJS.Timeout | undefined;
          const timeout = new Promise((r) => (timer = setTimeout(r, Math.max(0, deadline - Date.now()))));
          await Promise.race([this.running, timeout]);
          clearTimeout(timer); // a pending timer would hold the process open at shutdown
        } else if (this.queue.length > 0 && !this.scheduled) this.schedule();
        else await new Promise((r) => setImmediate(r));
      }
    } finally {
      this.flushing--;
    }
  }

  /** Stop accepting outcomes (after the last flush at shutdown). */
  close(): void {
    this.closed = true;
    this.filled.interrupt();
  }
}
