import type { Config } from '../config.js';
import { newId } from '../ids.js';
import type { Application, CreateMessageResult, NewMessage } from './model.js';

/** What emitting needs: find the operator's application (the Store), write a message (the outbox). */
export interface OperationalApps {
  getApplication(idOrUid: string): Promise<Application | null>;
}
export interface OperationalOutbox {
  submit(input: NewMessage): Promise<CreateMessageResult>;
}

/**
 * Operational webhooks tell the operator what happened to endpoints and deliveries. They are
 * ordinary messages in the operator's application (HOOKRELAY_OPERATIONAL_APP, by uid or id),
 * so they are stored, signed, retried and logged by the same engine. When that application
 * does not exist nothing is sent. Emitting never throws: a failure to emit is logged, it must
 * not fail the API call or the delivery that caused it.
 */
export type OperationalEventType =
  | 'endpoint.created'
  | 'endpoint.updated'
  | 'endpoint.deleted'
  | 'endpoint.disabled'
  | 'message.attempt.failing'
  | 'message.attempt.exhausted'
  | 'message.attempt.recovered'
  /** Hookrelay's: an ordered endpoint's key has been blocked by its head longer than a set time. */
  | 'message.ordering.blocked';

export const OPERATIONAL_EVENT_TYPES: readonly OperationalEventType[] = [
  'endpoint.created',
  'endpoint.updated',
  'endpoint.deleted',
  'endpoint.disabled',
  'message.attempt.failing',
  'message.attempt.exhausted',
  'message.attempt.recovered',
  'message.ordering.blocked',
];

export interface OperationalLogger {
  warn(obj: object, msg: string): void;
}

export class OperationalWebhooks {
  constructor(
    private readonly apps: OperationalApps,
    private readonly outbox: OperationalOutbox,
    private readonly config: Pick<Config, 'operationalApp' | 'retentionDays'>,
    private readonly log: OperationalLogger,
  ) {}

  /** `eventId`: sent at most once per ID (a second emit with it is refused as a duplicate, quietly). */
  async emit(
    type: OperationalEventType,
    data: Record<string, unknown>,
    now = Date.now(),
    eventId: string | null = null,
  ): Promise<void> {
    try {
      const app = await this.apps.getApplication(this.config.operationalApp);
      // Never report on the operational app itself: a failing operator endpoint would loop.
      if (!app || app.id === data.appId) return;
      const result = await this.outbox.submit({
        id: newId('message', now),
        appId: app.id,
        eventType: type,
        eventId,
        channels: null,
        tags: null,
        payload: JSON.stringify({ type, timestamp: new Date(now).toISOString(), data }),
        now,
        deliverAt: now,
        payloadExpiresAt: now + this.config.retentionDays * 86_400_000,
      });
      if (!result.ok && !(eventId !== null && result.reason === 'duplicate_event_id'))
        this.log.warn({ type, reason: result.reason }, 'operational webhook refused by the outbox');
    } catch (err) {
      this.log.warn({ err, type }, 'could not emit operational webhook');
    }
  }
}
