import type { FailureReason } from '../domain/failure-reason.js';
// What the delivery engine and the delivery views exchange with the Store (store.ts re-exports them).
import type { Attempt, Delivery, Endpoint, Message, TriggerType } from '../domain/model.js';
import type { EndpointId, MessageId } from '../ids.js';

/** The delivery queue as the metrics read it. */
export interface QueueStats {
  /** Pending plus sending rows. */
  depth: number;
  /** The earliest due time among pending rows already due; null when none is. */
  oldestDueAt: number | null;
  /** Sending rows whose lease ran out unfinished: a worker died or stalled holding them. */
  expiredLeases: number;
}

/** A delivery row joined with what the engine needs to send it. */
export interface ClaimedDelivery {
  delivery: Delivery;
  triggerType: TriggerType;
  /** traceContext may be absent where no store read it (built by hand). */
  message: Pick<Message, 'id' | 'eventType' | 'eventId' | 'channels' | 'payload' | 'createdAt'> &
    Partial<Pick<Message, 'traceContext'>>;
  endpoint: Endpoint;
}

export interface ClaimRequest {
  /** Unique per worker process; a row's lease belongs to it until `now + leaseMs`. */
  owner: string;
  limit: number;
  leaseMs: number;
  now: number;
  /** No more than this many rows of one endpoint may be leased at once (counting already-leased rows). */
  perEndpointLimit: number;
  /**
   * Rows of this owner per endpoint whose request is over and whose outcome waits for a commit:
   * not counted against perEndpointLimit, since no request of theirs is in flight any more.
   * PostgreSQL's ingest hand-off counts them still (its room is read in SQL): it leases less, never more.
   */
  settling?: ReadonlyMap<string, number>;
}

/** An attempt as the worker records it: the store adds the delivery's IDs. */
export interface NewAttempt extends Pick<
  Attempt,
  'id' | 'url' | 'status' | 'responseStatusCode' | 'response' | 'responseDurationMs' | 'triggerType'
> {
  now: number;
}

/** What became of one claimed delivery. Applied only while `owner` still holds the lease. */
export interface DeliveryOutcome {
  deliveryId: string;
  owner: string;
  /** The attempt to record; absent for a deferral (rate limit), which is not an attempt. */
  attempt?: NewAttempt;
  next:
    | { kind: 'success' }
    | { kind: 'retry'; at: number }
    /** Failed for good: a dead letter, kept with its reason. */
    | { kind: 'fail'; reason?: FailureReason }
    /** Put back untouched (rate limit, shutdown): attemptCount unchanged. */
    | { kind: 'defer'; at: number };
  /** The endpoint delivers in order per key: a success may let the key's next message go (ordering.ts). */
  ordered?: boolean;
  /** Endpoint health bookkeeping: success clears failingSince, failure starts it if unset. */
  endpointUpdate?: { endpointId: EndpointId; failed: boolean; disable: boolean; now: number };
}

/** One take from a shared rate budget (a token bucket per key; src/store/rate-budget.ts). */
export interface EndpointStats {
  success: number;
  fail: number;
  pending: number;
  sending: number;
  canceled: number;
}

/** A destination of one message (`/msg/{id}/endpoint`), or a message of one endpoint (`/endpoint/{id}/msg`). */
export interface DeliveryView {
  delivery: Delivery;
  endpoint: Endpoint;
  message: Message;
}

/**
 * The due time of an ordered endpoint's delivery that waits for its key's turn (about the year
 * 2223): no claim reaches it, and — unlike NULL — it sorts after every real due time in the
 * pending index, so a claim's seek for an endpoint's due rows stops before the waiting ones.
 */
export const WAITING_DUE = 8_000_000_000_000_000;

/** An ordered endpoint's sequence: (endpoint, ordering key; '' for messages without one). */
export interface OrderKey {
  endpointId: string;
  key: string;
}

/** A lease for the next rows an outcome commit's promotion hands straight to the worker committing it. */
export interface PromotionLease {
  owner: string;
  expiresAt: number;
  /** At most this many rows are leased (the worker's free slots); the others are made due. */
  limit: number;
}

/** What an operator's action on a key's head did: the head's message, or why nothing was done. */
export type HeadAction = { ok: true; msgId: MessageId } | { ok: false; reason: 'no_head' | 'sending' };
