import { endpointWantsMessage } from '../../domain/endpoint-filter.js';
import type { Message } from '../../domain/model.js';
import { newId } from '../../ids.js';
import type { CreateMessageResult, MessageFilter, NewMessage, Page, PageQuery } from '../store.js';
import { endpointFilterSql, messageFilterSql } from './filters.js';
import { paginate } from './pagination.js';
import { toMessage } from './row-mappers.js';
import { json, jsonOrNull, type Row, type SqliteContext } from './sqlite-context.js';

interface Target {
  id: string;
  filterTypes: string[] | null;
  channels: string[] | null;
}

/**
 * The outbox, as a group commit: every message of the batch and one pending delivery row per
 * matching enabled `url` endpoint in ONE transaction (one fsync for the whole batch).
 * A refused item (unknown app, duplicate eventId) does not affect the others.
 */
export function createMessages(ctx: SqliteContext, inputs: NewMessage[]): CreateMessageResult[] {
  const appExists = ctx.stmt('SELECT 1 FROM applications WHERE id = ?');
  const targetsOf = ctx.stmt(
    "SELECT id, filter_types, channels FROM endpoints WHERE app_id = ? AND kind = 'url' AND disabled = 0",
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
     VALUES (?, ?, ?, ?, 1, 0, ?, 0, ?, ?)`,
  );

  return ctx.db.transaction((): CreateMessageResult[] => {
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
            }))
          : null;
        targets.set(input.appId, eps);
      }
      if (eps === null) return { ok: false, reason: 'app_not_found' };
      if (input.eventId !== null) {
        // Earlier items of this batch are already inserted, so this also catches in-batch duplicates.
        const existing = byEventId.get(input.appId, input.eventId) as Row | undefined;
        if (existing) return { ok: false, reason: 'duplicate_event_id', existing: toMessage(existing) };
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
        insertDelivery.run(
          newId('delivery', input.now),
          input.appId,
          input.id,
          ep.id,
          input.deliverAt,
          input.now,
          input.now,
        );
        deliveryCount++;
      }
      const message: Message = {
        id: input.id,
        appId: input.appId,
        eventType: input.eventType,
        eventId: input.eventId,
        channels: input.channels,
        tags: input.tags,
        payload: input.payload,
        seq,
        createdAt: input.now,
        deliverAt: input.deliverAt,
        payloadExpiresAt: input.payloadExpiresAt,
        traceContext: input.traceContext ?? null,
      };
      return { ok: true, message, deliveryCount };
    });
  })();
}

export function getMessage(ctx: SqliteContext, appId: string, idOrEventId: string): Message | null {
  const row = (ctx.stmt('SELECT * FROM messages WHERE app_id = ? AND id = ?').get(appId, idOrEventId) ??
    ctx.stmt('SELECT * FROM messages WHERE app_id = ? AND event_id = ?').get(appId, idOrEventId)) as Row | undefined;
  return row ? toMessage(row) : null;
}

/** Messages by ID (any app), for joining onto deliveries. */
export function messagesByIds(ctx: SqliteContext, ids: string[]): Map<string, Message> {
  const rows = ctx
    .stmt('SELECT * FROM messages WHERE id IN (SELECT value FROM json_each(?))')
    .all(json([...new Set(ids)])) as Row[];
  return new Map(rows.map((r) => [r.id as string, toMessage(r)]));
}

export function listMessages(ctx: SqliteContext, appId: string, page: PageQuery, filter: MessageFilter): Page<Message> {
  const f = messageFilterSql('m', filter, { id: { columns: ['m.id'], kind: 'message' } });
  return paginate(
    ctx,
    {
      select: 'm.*',
      from: 'messages m',
      where: ['m.app_id = ?', ...f.where],
      params: [appId, ...f.params],
      key: 'm.id',
      keyOf: (r) => r.id as string,
    },
    page,
    toMessage,
  );
}

export function expungeMessageContent(ctx: SqliteContext, appId: string, msgId: string): boolean {
  return ctx.stmt('UPDATE messages SET payload = NULL WHERE app_id = ? AND id = ?').run(appId, msgId).changes > 0;
}

/** The pull API's read: seq order, the poll endpoint's filter applied in SQL. */
export function listMessagesAfter(
  ctx: SqliteContext,
  appId: string,
  afterSeq: number,
  limit: number,
  filter: { filterTypes: string[] | null; channels: string[] | null },
): Message[] {
  // SQLite has one writer, and a reader sees only committed transactions: seq N+1 is never
  // visible while seq N is still uncommitted, so a cursor cannot skip a message.
  const f = endpointFilterSql('m', filter);
  const where = ['m.app_id = ?', 'm.seq > ?', ...f.where].join(' AND ');
  const rows = ctx
    .stmt(`SELECT m.* FROM messages m WHERE ${where} ORDER BY m.seq LIMIT ?`)
    .all(appId, afterSeq, ...f.params, limit) as Row[];
  return rows.map(toMessage);
}
