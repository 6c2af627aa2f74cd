import type { ConsumerOffset, IdempotentResponse, Page, PageQuery } from '../store.js';
import { paginate } from './pagination.js';
import type { Row, SqliteContext } from './sqlite-context.js';

/** Settings, idempotency keys and consumer offsets: small key-value tables (tokens: tokens.ts). */

export function getSetting(ctx: SqliteContext, key: string): string | null {
  const row = ctx.stmt('SELECT value FROM settings WHERE key = ?').get(key) as Row | undefined;
  return row ? (row.value as string) : null;
}

export function setSettingIfAbsent(ctx: SqliteContext, key: string, value: string): string {
  ctx.stmt('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING').run(key, value);
  return getSetting(ctx, key)!;
}

export function putSetting(ctx: SqliteContext, key: string, value: string | null): void {
  if (value === null) ctx.stmt('DELETE FROM settings WHERE key = ?').run(key);
  else
    ctx
      .stmt('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
      .run(key, value);
}

export function getIdempotentResponse(
  ctx: SqliteContext,
  scope: string,
  key: string,
  now: number,
): IdempotentResponse | null {
  const row = ctx
    .stmt('SELECT status, body FROM idempotency WHERE scope = ? AND key = ? AND expires_at > ?')
    .get(scope, key, now) as Row | undefined;
  return row ? { status: row.status as number, body: row.body as string } : null;
}

export function putIdempotentResponse(
  ctx: SqliteContext,
  scope: string,
  key: string,
  r: IdempotentResponse,
  expiresAt: number,
): void {
  ctx
    .stmt(
      `INSERT INTO idempotency (scope, key, status, body, expires_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (scope, key) DO UPDATE SET status = excluded.status, body = excluded.body, expires_at = excluded.expires_at`,
    )
    .run(scope, key, r.status, r.body, expiresAt);
}

export function getConsumerOffset(ctx: SqliteContext, endpointId: string, consumerId: string): ConsumerOffset | null {
  const row = ctx
    .stmt('SELECT * FROM consumer_offsets WHERE endpoint_id = ? AND consumer_id = ?')
    .get(endpointId, consumerId) as Row | undefined;
  return row
    ? {
        endpointId: row.endpoint_id as string,
        consumerId: row.consumer_id as string,
        seq: row.seq as number,
        updatedAt: row.updated_at as number,
      }
    : null;
}

/** Keyed by `c` + consumer ID (see Store.listConsumerOffsets); the endpoint's consumers are few, so sorting them is cheap. */
export function listConsumerOffsets(ctx: SqliteContext, endpointId: string, page: PageQuery): Page<ConsumerOffset> {
  return paginate(
    ctx,
    {
      select: '*',
      from: 'consumer_offsets',
      where: ['endpoint_id = ?'],
      params: [endpointId],
      key: "('c' || consumer_id)",
      keyOf: (r) => 'c' + (r.consumer_id as string),
    },
    page,
    (row) => ({
      endpointId: row.endpoint_id as string,
      consumerId: row.consumer_id as string,
      seq: row.seq as number,
      updatedAt: row.updated_at as number,
    }),
  );
}

export function commitConsumerOffset(
  ctx: SqliteContext,
  endpointId: string,
  consumerId: string,
  seq: number,
  now: number,
): void {
  ctx
    .stmt(
      `INSERT INTO consumer_offsets (endpoint_id, consumer_id, seq, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (endpoint_id, consumer_id) DO UPDATE SET seq = excluded.seq, updated_at = excluded.updated_at`,
    )
    .run(endpointId, consumerId, seq, now);
}
