import type { Expression, SelectQueryBuilder, SqlBool } from 'kysely';
import type { Message } from '../../domain/model.js';
import type { MessageFilter, NewMessage, Page, PageQuery } from '../store.js';
import type { CatalogContext, ValueCodec } from './catalog-context.js';
import { endpointFilterWhere, messageFilterWhere } from './log-filters.js';
import { paginate } from './paginate.js';
import { rowsByIds } from './rows-by-ids.js';
import type { CatalogSchema, MessageRow } from './schema.js';
import { all, changed, first, type Steps } from './steps.js';
import type { AppId, MessageId } from '../../ids.js';

/** Reads of the message log. Writing it is the outbox's, per adapter. */

export function toMessage(values: ValueCodec, r: MessageRow): Message {
  return {
    id: r.id as MessageId,
    appId: r.app_id as AppId,
    eventType: r.event_type,
    eventId: r.event_id,
    channels: r.channels === null ? null : values.readList(r.channels),
    tags: r.tags === null ? null : values.readList(r.tags),
    payload: r.payload,
    seq: r.seq,
    createdAt: r.created_at,
    deliverAt: r.deliver_at,
    payloadExpiresAt: r.payload_expires_at,
    traceContext: r.trace_context,
  };
}

/** The stored message an accepted input became, with the seq the outbox gave it. */
export function acceptedMessage(input: NewMessage, seq: number): Message {
  return {
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
}

/** Adds each condition to the query's WHERE. */
export function whereAll<Q extends SelectQueryBuilder<CatalogSchema, any, any>>(
  q: Q,
  conditions: Array<Expression<SqlBool>>,
): Q {
  return conditions.reduce((acc, w) => acc.where(w) as Q, q);
}

/** By ID first, then by eventId, within one app. */
export function* getMessage(c: CatalogContext, appId: AppId, idOrEventId: string): Steps<Message | null> {
  const byId = yield* first(
    c.qb.selectFrom('messages').selectAll().where('app_id', '=', appId).where('id', '=', idOrEventId),
  );
  const row =
    byId ??
    (yield* first(
      c.qb.selectFrom('messages').selectAll().where('app_id', '=', appId).where('event_id', '=', idOrEventId),
    ));
  return row ? toMessage(c.values, row) : null;
}

/** Messages by ID (any app), for joining onto deliveries: one statement whatever the count. */
export function* messagesByIds(c: CatalogContext, ids: string[]): Steps<Map<string, Message>> {
  const rows = yield* rowsByIds(c, 'messages', ids);
  return new Map(rows.map((r) => [r.id, toMessage(c.values, r)]));
}

export function listMessages(
  c: CatalogContext,
  appId: AppId,
  page: PageQuery,
  filter: MessageFilter,
): Steps<Page<Message>> {
  const q = c.qb.selectFrom('messages as m').selectAll('m').where('m.app_id', '=', appId);
  const conditions = messageFilterWhere(c, 'm', filter, { id: { columns: ['m.id'], kind: 'message' } });
  return paginate(whereAll(q, conditions), page, {
    key: 'm.id',
    keyOf: (r) => r.id,
    map: (r) => toMessage(c.values, r),
  });
}

export function* expungeMessageContent(c: CatalogContext, appId: AppId, msgId: MessageId): Steps<boolean> {
  const q = c.qb.updateTable('messages').set({ payload: null }).where('app_id', '=', appId).where('id', '=', msgId);
  return (yield* changed(q)) > 0;
}

/**
 * The pull API's read: seq order, the poll endpoint's filter applied in SQL. A cursor never
 * skips a message because seq N+1 is never visible before seq N: SQLite has one writer, and
 * PostgreSQL assigns seqs under a lock held to COMMIT (hookrelay_reserve_seqs).
 */
export function* listMessagesAfter(
  c: CatalogContext,
  appId: AppId,
  afterSeq: number,
  limit: number,
  filter: { filterTypes: string[] | null; channels: string[] | null },
): Steps<Message[]> {
  const q = c.qb.selectFrom('messages as m').selectAll('m').where('m.app_id', '=', appId).where('m.seq', '>', afterSeq);
  const rows = yield* all(
    whereAll(q, endpointFilterWhere(c, 'm', filter))
      .orderBy('m.seq')
      .limit(limit),
  );
  return rows.map((r) => toMessage(c.values, r));
}
