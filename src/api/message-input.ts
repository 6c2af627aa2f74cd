import type { Config } from '../config.js';
import type { Message } from '../domain/model.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { newId, type AppId } from '../ids.js';
import type { NewMessage } from '../store/store.js';
import type { Outbox } from '../outbox/outbox.js';

export interface MessageFields {
  eventType: string;
  payload: unknown;
  eventId?: string | null;
  channels?: string[] | null;
  tags?: string[] | null;
  deliverAt?: string | null;
  payloadRetentionPeriod?: number | null;
  payloadRetentionHours?: number | null;
  orderingKey?: string | null;
}

/** An ordering key's limit in UTF-8 bytes (it is an index key). */
const ORDERING_KEY_BYTES = 256;

const HOUR = 3_600_000;

/** MessageIn → the store's NewMessage: IDs, times, the serialised payload and its expiry. */
export function newMessage(
  appId: AppId,
  b: MessageFields,
  config: Pick<Config, 'retentionDays'>,
  now = Date.now(),
): NewMessage {
  let deliverAt = now;
  if (b.deliverAt) {
    const at = Date.parse(b.deliverAt);
    if (Number.isNaN(at))
      throw ValidationError.single(['body', 'deliverAt'], 'invalid date-time', 'value_error.datetime');
    deliverAt = Math.max(now, at);
  }
  if (b.orderingKey != null && Buffer.byteLength(b.orderingKey) > ORDERING_KEY_BYTES)
    throw ValidationError.single(
      ['body', 'orderingKey'],
      `an ordering key is at most ${ORDERING_KEY_BYTES} bytes (UTF-8); this one is ${Buffer.byteLength(b.orderingKey)}`,
      'value_error',
    );
  const retentionMs = b.payloadRetentionHours
    ? b.payloadRetentionHours * HOUR
    : (b.payloadRetentionPeriod ?? config.retentionDays) * 24 * HOUR;
  return {
    id: newId('message', now),
    appId,
    eventType: b.eventType,
    eventId: b.eventId ?? null,
    channels: b.channels ?? null,
    tags: b.tags ?? null,
    payload: JSON.stringify(b.payload),
    now,
    deliverAt,
    // Never expire the payload before it has had its first chance to be delivered.
    payloadExpiresAt: Math.max(now + retentionMs, deliverAt + retentionMs),
    ...(b.orderingKey != null ? { orderingKey: b.orderingKey } : {}),
  };
}

/** Write one message through the group-commit outbox; refusals become 409 / 404. */
export async function submitMessage(outbox: Outbox, input: NewMessage): Promise<Message> {
  const result = await outbox.submit(input);
  if (result.ok) return result.message;
  if (result.reason === 'duplicate_event_id') {
    throw new ConflictError(`A message with eventId '${input.eventId}' already exists (${result.existing.id}).`);
  }
  throw new NotFoundError('Application', input.appId);
}
