import { DeliveryStatus } from '../../domain/model.js';
import { endpointWantsMessage } from '../../domain/endpoint-filter.js';
import { newId } from '../../ids.js';
import type { CreateMessageResult, NewMessage } from '../store.js';
import { acceptedMessage, toMessage } from '../catalog/messages.js';
import { sqliteValues } from './catalog-values.js';
import { WAITING_DUE } from '../delivery-types.js';
import { promoteHeads, type OrderKey } from './ordering.js';
import { jsonOrNull, type Row, type SqliteContext } from './sqlite-context.js';

interface Target {
  id: string;
  filterTypes: string[] | null;
  channels: string[] | null;
  ordered: boolean;
}

/**
 * The outbox, as a group commit: every message of the batch and one pending delivery row per
 * matching enabled `url` endpoint in ONE transaction (one fsync for the whole batch).
 * A refused item (unknown app, duplicate eventId) does not affect the others. An ordered
 * endpoint's rows are written waiting, and each key touched gets its head (ordering.ts).
 */
export function createMessages(ctx: SqliteContext, inputs: NewMessage[]): CreateMessageResult[] {
  const appExists = ctx.stmt('SELECT 1 FROM applications WHERE id = ?');
  const targetsOf = ctx.stmt(
    "SELECT id, filter_types, channels, ordered FROM endpoints WHERE app_id = ? AND kind = 'url' AND disabled = 0",
  );
  const byEventId = ctx.stmt('SELECT * FROM messages WHERE app_id = ? AND event_id = ?');
  const columns =
    'id, app_id, event_type, event_id, channels, tags, payload, created_at, deliver_at, payload_expires_at';
  const insertMessage = ctx.stmt(
    `INSERT INTO messages (${columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq`,
  );
  // Only a traced message names trace_context: with tracing off, ingest runs the statement it always did.
  const insertTraced = () =>
    ctx.stmt(`INSERT INTO messages (${columns}, trace_context) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq`);
  const insertDelivery = ctx.stmt(
    `INSERT INTO deliveries (id, app_id, msg_id, endpoint_id, status, attempt_count, next_attempt_at, trigger_type, created_at, updated_at)
     VALUES (?, ?, ?, ?, ${DeliveryStatus.Pending}, 0, ?, 0, ?, ?)`,
  );
  const insertWaiting = () =>
    ctx.stmt(
      `INSERT INTO deliveries (id, app_id, msg_id, endpoint_id, status, attempt_count, next_attempt_at, trigger_type,
         created_at, updated_at, order_key, order_seq)
       VALUES (?, ?, ?, ?, ${DeliveryStatus.Pending}, 0, ${WAITING_DUE}, 0, ?, ?, ?, ?)`,
    );
  const touched = new Map<string, OrderKey>();

  return ctx.db.transaction((): CreateMessageResult[] => {
    const results = write();
    if (touched.size > 0) promoteHeads(ctx, [...touched.values()], inputs[0].now);
    return results;
  })();

  function write(): CreateMessageResult[] {
    // An app's endpoints are loaded once per batch (null = the app does not exist).
    const targets = new Map<string, Target[] | null>();
    return inputs.map((input): CreateMessageResult => {
      let eps = targets.get(input.appId);
      if (eps === undefined) {
        eps = appExists.get(input.appId)
          ? (targetsOf.all(input.appId) as Row[]).map((r) => ({
              id: r.id as string,
              filterTypes: r.filter_types === null ? null : JSON.parse(r.filter_types as string),
              channels: r.channels === null ? null : JSON.parse(r.channels as string),
              ordered: r.ordered === 1,
            }))
          : null;
        targets.set(input.appId, eps);
      }
      if (eps === null) return { ok: false, reason: 'app_not_found' };
      if (input.eventId !== null) {
        // Earlier items of this batch are already inserted, so this also catches in-batch duplicates.
        const existing = byEventId.get(input.appId, input.eventId) as Row | undefined;
        if (existing)
          return { ok: false, reason: 'duplicate_event_id', existing: toMessage(sqliteValues, existing as never) };
      }
      const values = [
        input.id,
        input.appId,
        input.eventType,
        input.eventId,
        jsonOrNull(input.channels),
        jsonOrNull(input.tags),
        input.payload,
        input.now,
        input.deliverAt,
        input.payloadExpiresAt,
      ];
      const { seq } = (
        input.traceContext ? insertTraced().get(...values, input.traceContext) : insertMessage.get(...values)
      ) as { seq: number };
      let deliveryCount = 0;
      for (const ep of eps) {
        if (input.onlyEndpointId ? ep.id !== input.onlyEndpointId : !endpointWantsMessage(ep, input)) continue; // send-example: one endpoint
        deliveryCount++;
        if (ep.ordered) {
          const key = input.orderingKey ?? '';
          insertWaiting().run(
            newId('delivery', input.now),
            input.appId,
            input.id,
            ep.id,
            input.now,
            input.now,
            key,
            seq,
          );
          touched.set(`${ep.id}\u0000${key}`, { endpointId: ep.id, key });
          continue;
        }
        insertDelivery.run(
          newId('delivery', input.now),
          input.appId,
          input.id,
          ep.id,
          input.deliverAt,
          input.now,
          input.now,
        );
      }
      return { ok: true, message: acceptedMessage(input, seq), deliveryCount };
    });
  }
}
