import type { AppId, EndpointId } from '../ids.js';
import { Listeners } from '../listeners.js';
import { CatalogStore } from './catalog/catalog-store.js';
import { retryOrderHead, skipOrderHead, type OrderedKeys } from './catalog/order-heads.js';
import { ingestNews } from './ingest-news.js';
import { outcomesMakeWork } from './outcome-fold.js';
import type {
  ClaimedDelivery,
  ClaimRequest,
  CreateMessageResult,
  DeliveryOutcome,
  HeadAction,
  NewMessage,
} from './store.js';

/**
 * What each dialect's outbox does, in files of the same names in sqlite/ and postgres/
 * (outbox-write, outbox-claim, outbox-complete, next-due; ordering.ts moves ordered keys' heads
 * within them); each call is one transaction
 * unless the dialect's file says otherwise.
 */
export interface OutboxPort {
  /** A batch of messages and their delivery rows. */
  write(inputs: NewMessage[]): Promise<CreateMessageResult[]>;
  claim(req: ClaimRequest): Promise<ClaimedDelivery[]>;
  complete(outcomes: DeliveryOutcome[]): Promise<void>;
  completeAndClaim(outcomes: DeliveryOutcome[], claim: ClaimRequest): Promise<ClaimedDelivery[]>;
  nextDueAt(): Promise<number | null>;
  /** Statements of its ordering that the operator's moves on a head (catalog/order-heads.ts) run. */
  orderedKeys: OrderedKeys;
}

/**
 * The Store's outbox methods over a dialect's port, written once: who is woken after which
 * commit. Listeners run after the commit (on SQLite after its fsync), so whoever they wake sees
 * the rows; other processes hear of them from the dialect (PostgreSQL's NOTIFY), which passes
 * them to workQueued and messagesCommitted too.
 */
export abstract class OutboxStore extends CatalogStore {
  protected abstract readonly outbox: OutboxPort;
  private readonly work = new Listeners<[]>();
  private readonly committed = new Listeners<[AppId]>();

  onWork(listener: () => void): () => void {
    return this.work.add(listener);
  }
  onMessages(listener: (appId: AppId) => void): () => void {
    return this.committed.add(listener);
  }
  /** Rows became due or were released: wake this process's workers. */
  protected workQueued(): void {
    this.work.fire();
  }
  /** Messages of these apps were committed: tell this process's readers. */
  protected messagesCommitted(appIds: Iterable<AppId>): void {
    for (const appId of appIds) this.committed.fire(appId);
  }

  async createMessages(inputs: NewMessage[]): Promise<CreateMessageResult[]> {
    const results = await this.outbox.write(inputs);
    this.announce(results, 0);
    return results;
  }
  /** After an ingest commit: pull readers hear of the apps, the worker of rows `claimed` did not take. */
  protected announce(results: CreateMessageResult[], claimed: number): void {
    const { appIds, work } = ingestNews(results, claimed);
    if (work) this.workQueued();
    this.messagesCommitted(appIds);
  }

  claimDeliveries(req: ClaimRequest): Promise<ClaimedDelivery[]> {
    return this.outbox.claim(req);
  }
  async completeDeliveries(outcomes: DeliveryOutcome[]): Promise<void> {
    await this.outbox.complete(outcomes);
    if (outcomesMakeWork(outcomes, false)) this.workQueued();
  }
  async completeAndClaim(outcomes: DeliveryOutcome[], claim: ClaimRequest): Promise<ClaimedDelivery[]> {
    const claimed = await this.outbox.completeAndClaim(outcomes, claim);
    if (outcomesMakeWork(outcomes, true)) this.workQueued();
    return claimed;
  }
  skipOrderHead(endpointId: EndpointId, key: string, now: number): Promise<HeadAction> {
    return this.headMoved(
      this.catalog((c) => skipOrderHead(c, this.outbox.orderedKeys, endpointId, key, now), 'write'),
    );
  }
  retryOrderHead(endpointId: EndpointId, key: string, now: number): Promise<HeadAction> {
    return this.headMoved(
      this.catalog((c) => retryOrderHead(c, this.outbox.orderedKeys, endpointId, key, now), 'write'),
    );
  }
  /** A head that moved made the key's next row due. */
  private async headMoved(action: Promise<HeadAction>): Promise<HeadAction> {
    const r = await action;
    if (r.ok) this.workQueued();
    return r;
  }
  nextDueAt(): Promise<number | null> {
    return this.outbox.nextDueAt();
  }
}
