import { reasonClassOf, type FailureReason } from '../domain/failure-reason.js';
import type { OperationalEventType, OperationalWebhooks } from '../domain/operational-webhooks.js';
import type { ClaimedDelivery, DeliveryOutcome, Store } from '../store/store.js';

/**
 * What one attempt means for the endpoint and for the operator:
 * - the endpoint's failure run (`failingSince`) starts on a failure and ends on a success
 *   (the store applies `endpointUpdate`);
 * - the endpoint is disabled on 410 Gone, or when it has failed without a break for
 *   `disableAfterFailingMs` (5 days by default) — so dead endpoints stop costing retries;
 * - operational webhooks (Svix's event shapes): `endpoint.disabled`, `message.attempt.failing`
 *   on the 4th failed attempt, `message.attempt.exhausted` when retries run out,
 *   `message.attempt.recovered` on a success after at least one failure.
 */

/** The attempt count at which `message.attempt.failing` is sent (Svix: the 4th). */
export const FAILING_AT_ATTEMPT = 4;

export interface AttemptFacts {
  claimed: ClaimedDelivery;
  success: boolean;
  /** The receiver answered 410. */
  gone: boolean;
  /** No retry left (only meaningful on failure). */
  exhausted: boolean;
  /** Attempts made so far, this one included. */
  attemptsMade: number;
  attemptId: string;
  statusCode: number;
  /** Why it failed (null on success); `message.attempt.exhausted` carries it and its class. */
  reason: FailureReason | null;
  now: number;
}

export interface OperationalEvent {
  type: OperationalEventType;
  data: Record<string, unknown>;
}

export interface HealthDecision {
  endpointUpdate: NonNullable<DeliveryOutcome['endpointUpdate']>;
  /** Emit after the outcome is committed. */
  events: OperationalEvent[];
}

export function assessHealth(f: AttemptFacts, disableAfterFailingMs: number): HealthDecision {
  const { delivery, endpoint, message } = f.claimed;
  const longFailing =
    !f.success && endpoint.failingSince !== null && f.now - endpoint.failingSince >= disableAfterFailingMs;
  const disable = !f.success && !endpoint.disabled && (f.gone || longFailing);
  const events: OperationalEvent[] = [];
  const attemptData = () => ({
    appId: endpoint.appId,
    msgId: message.id,
    msgEventId: message.eventId,
    endpointId: endpoint.id,
    lastAttempt: { id: f.attemptId, responseStatusCode: f.statusCode, timestamp: new Date(f.now).toISOString() },
  });
  if (f.success) {
    if (delivery.attemptCount >= 1) events.push({ type: 'message.attempt.recovered', data: attemptData() });
  } else {
    if (f.attemptsMade === FAILING_AT_ATTEMPT) events.push({ type: 'message.attempt.failing', data: attemptData() });
    if (f.exhausted) {
      const reason = f.reason ?? 'connection';
      events.push({
        type: 'message.attempt.exhausted',
        data: { ...attemptData(), reason, reasonClass: reasonClassOf(reason) },
      });
    }
    if (disable) {
      events.push({
        type: 'endpoint.disabled',
        data: {
          appId: endpoint.appId,
          endpointId: endpoint.id,
          endpointUid: endpoint.uid,
          failSince: new Date(endpoint.failingSince ?? f.now).toISOString(),
          trigger: 'automatic',
        },
      });
    }
  }
  return { endpointUpdate: { endpointId: endpoint.id, failed: !f.success, disable, now: f.now }, events };
}

/** Sends the events of a decision; adds `appUid` (Svix's shape). Never throws. */
export class HealthReporter {
  constructor(
    private readonly store: Store,
    private readonly operational: OperationalWebhooks | undefined,
  ) {}

  async report(events: OperationalEvent[], now: number): Promise<void> {
    if (!this.operational || events.length === 0) return;
    let appUid: string | null = null;
    try {
      appUid = (await this.store.getApplication(String(events[0].data.appId)))?.uid ?? null;
    } catch {
      // the uid is a courtesy; send without it
    }
    for (const e of events) await this.operational.emit(e.type, { appUid, ...e.data }, now);
  }
}
