import { DeliveryStatus, type Message } from '../../domain/model.js';
import type { CreateMessageResult, NewMessage, OrderKey } from '../store.js';
import { toMessage } from '../catalog/messages.js';
import { eventKey, planBatch, settle, toTarget, type BatchFacts, type Target, type TargetRow } from '../outbox-plan.js';
import type { MessageRow } from '../catalog/schema.js';
import { sqliteValues } from './catalog-values.js';
import { promoteHeads } from './ordering.js';
import { jsonOrNull, type SqliteContext } from './sqlite-context.js';

/**
 * A group commit: the batch's messages and their delivery rows in one transaction (one fsync); a
 * refused item leaves the others be, and each ordered key touched gets its head (ordering.ts).
 */
export function createMessages(ctx: SqliteContext, inputs: NewMessage[]): CreateMessageResult[] {
  const appExists = ctx.stmt('SELECT 1 FROM applications WHERE id = ?');
  const targetsOf = ctx.stmt(
    "SELECT id, filter_types, channels, ordered FROM endpoints WHERE app_id = ? AND kind = 'url' AND disabled = 0",
  );
  const byEventId = ctx.stmt('SELECT * FROM messages WHERE app_id = ? AND event_id = ?');
  const insertMessage = ctx.stmt(
    `INSERT INTO messages (id, app_id, event_type, event_id, channels, tags, payload, created_at, deliver_at, payload_expires_at,
       trace_context)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq`,
  );
  const insertDelivery = ctx.stmt(
    `INSERT INTO deliveries (id, app_id, msg_id, endpoint_id, status, attempt_count, next_attempt_at, trigger_type,
       created_at, updated_at, order_key, order_seq)
     VALUES (?, ?, ?, ?, ${DeliveryStatus.Pending}, 0, ?, 0, ?, ?, ?, ?)`,
  );

  return ctx.db.transaction((): CreateMessageResult[] => {
    const plan = planBatch(inputs, read());
    const touched = new Map<string, OrderKey>();
    const seqs = plan.accepted.map(({ index, deliveries }) => {
      const input = inputs[index];
      const { seq } = insertMessage.get(
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
        input.traceContext ?? null,
      ) as { seq: number };
      for (const d of deliveries) {
        const ordered = d.orderKey !== null;
        insertDelivery.run(
          d.id,
          input.appId,
          d.msgId,
          d.endpointId,
          d.dueAt,
          d.now,
          d.now,
          d.orderKey,
          ordered ? seq : null,
        );
        if (ordered) touched.set(`${d.endpointId}\u0000${d.orderKey}`, { endpointId: d.endpointId, key: d.orderKey! });
      }
      return seq;
    });
    if (touched.size > 0) promoteHeads(ctx, [...touched.values()], inputs[0].now);
    return settle(inputs, plan, seqs);
  })();

  /** The batch's apps (each once), their targets and the stored messages with its eventIds. */
  function read(): BatchFacts {
    const apps = new Set<string>();
    const targets = new Map<string, Target[]>();
    const existing = new Map<string, Message>();
    for (const appId of new Set(inputs.map((i) => i.appId))) {
      if (!appExists.get(appId)) continue;
      apps.add(appId);
      targets.set(
        appId,
        (targetsOf.all(appId) as TargetRow[]).map((r) => toTarget(sqliteValues, r)),
      );
    }
    for (const { appId, eventId } of inputs) {
      if (eventId === null || !apps.has(appId)) continue;
      const row = byEventId.get(appId, eventId) as MessageRow | undefined;
      if (row) existing.set(eventKey(appId, eventId), toMessage(sqliteValues, row));
    }
    return { apps, targets, existing };
  }
}
