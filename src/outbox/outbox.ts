import { GroupCommit } from './group-commit.js';
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

/** What the outbox needs of the Store: the ingest write, and the hand-off where the store has one. */
export type OutboxStore = Pick<Store, 'createMessages' | 'createMessagesAndClaim'>;

/**
 * The one door into the message log: every producer (the API's routes, operational webhooks,
 * usage reports) calls `submit`. Group commit (group-commit.ts): the messages of one event-loop
 * turn are written with ONE `store.createMessages` call, each request resolved with its own result.
 * With a worker in this process that wants it, and a store that can (PostgreSQL), a batch also
 * claims for it in the same transaction.
 *
 * On PostgreSQL two claim paths stay: a worker's own (with its outcome commit) and this hand-off,
 * which spares an idle worker a claim transaction per new message; SQLite has the first only
 * (docs/decisions/0001).
 */
export class Outbox {
  private worker: ClaimingWorker | null;
  private readonly commits: GroupCommit<NewMessage, CreateMessageResult>;

  constructor(
    private readonly store: OutboxStore,
    options: OutboxOptions = {},
  ) {
    this.worker = options.worker ?? null;
    this.commits = new GroupCommit((inputs) => this.write(inputs), options);
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
    return this.commits.submit(input);
  }

  /** Resolves once everything submitted so far is written (graceful shutdown, tests). */
  drain(): Promise<void> {
    return this.commits.drain();
  }

  private async write(inputs: NewMessage[]): Promise<CreateMessageResult[]> {
    const handOff = this.store.createMessagesAndClaim?.bind(this.store);
    const claim = handOff ? (this.worker?.ingestClaimRequest() ?? null) : null;
    if (!handOff || !claim) return this.store.createMessages(inputs);
    const written = await handOff(inputs, claim);
    this.worker!.takeClaimed(written.claimed, claim);
    return written.results;
  }
}
