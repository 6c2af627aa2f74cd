import type { Message } from '../../domain/model.js';
import type { MessageFilter, Page, PageQuery } from '../store.js';
import type { Db } from './db.js';
import { endpointFilterSql, messageFilterSql } from './filters.js';
import { paginate } from './pagination.js';
import { toMessage } from './row-mappers.js';

/** Reads of the message log. The write side (the outbox) is messages-write.ts. */

/** By ID first, then by eventId, within one app. */
export async function getMessage(db: Db, appId: string, idOrEventId: string): Promise<Message | null> {
  const { rows } = await db.query(
    'SELECT * FROM messages WHERE app_id = $1 AND (id = $2 OR event_id = $2) ORDER BY (id = $2) DESC LIMIT 1',
    [appId, idOrEventId],
  );
  return rows[0] ? toMessage(rows[0]) : null;
}

/** Messages by ID (any app), for joining onto deliveries. */
export async function messagesByIds(db: Db, ids: string[]): Promise<Map<string, Message>> {
  if (ids.length === 0) return new Map();
  const { rows } = await db.query('SELECT * FROM messages WHERE id = ANY($1::text[])', [[...new Set(ids)]]);
  return new Map(rows.map((r) => [r.id as string, toMessage(r)]));
}

export function listMessages(db: Db, appId: string, page: PageQuery, filter: MessageFilter): Promise<Page<Message>> {
  const params: unknown[] = [appId];
  const where = [
    'm.app_id = $1',
    ...messageFilterSql('m', filter, params, { id: { columns: ['m.id'], kind: 'message' } }),
  ];
  return paginate(
    db,
    { select: 'm.*', from: 'messages m', where, params, key: 'm.id', keyOf: (r) => r.id as string },
    page,
    (r) => toMessage(r),
  );
}

export async function expungeMessageContent(db: Db, appId: string, msgId: string): Promise<boolean> {
  const { rowCount } = await db.query('UPDATE messages SET payload = NULL WHERE app_id = $1 AND id = $2', [
    appId,
    msgId,
  ]);
  return (rowCount ?? 0) > 0;
}

/**
 * The pull API's read: seq order, the poll endpoint's filter applied in SQL. A plain read is
 * enough because seqs are assigned under a lock held to COMMIT (hookrelay_reserve_seqs): once
 * seq N+1 is visible, every smaller seq is either visible or will never exist.
 */
export async function listMessagesAfter(
  db: Db,
  appId: string,
  afterSeq: number,
  limit: number,
  filter: { filterTypes: string[] | null; channels: string[] | null },
): Promise<Message[]> {
  const params: unknown[] = [appId, afterSeq];
  const where = ['m.app_id = $1', 'm.seq > $2', ...endpointFilterSql('m', filter, params)];
  params.push(limit);
  const { rows } = await db.query(
    `SELECT m.* FROM messages m WHERE ${where.join(' AND ')} ORDER BY m.seq LIMIT $${params.length}`,
    params,
  );
  return rows.map((r) => toMessage(r));
}
