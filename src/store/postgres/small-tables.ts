import type { ConsumerOffset, IdempotentResponse, Page, PageQuery } from '../store.js';
import type { Db } from './db.js';
import { paginate } from './pagination.js';

/** Settings, idempotency keys and consumer offsets: small key-value tables (tokens: tokens.ts). */

export async function getSetting(db: Db, key: string): Promise<string | null> {
  const { rows } = await db.query<{ value: string }>('SELECT value FROM settings WHERE key = $1', [key]);
  return rows[0]?.value ?? null;
}

/** First writer wins, across processes: the losing INSERT does nothing and the next statement sees the winner's row. */
export async function setSettingIfAbsent(db: Db, key: string, value: string): Promise<string> {
  const inserted = await db.query<{ value: string }>(
    'INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING RETURNING value',
    [key, value],
  );
  if (inserted.rows[0]) return inserted.rows[0].value;
  return (await getSetting(db, key))!;
}

export async function putSetting(db: Db, key: string, value: string | null): Promise<void> {
  if (value === null) await db.query('DELETE FROM settings WHERE key = $1', [key]);
  else
    await db.query(
      'INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      [key, value],
    );
}

export async function getIdempotentResponse(
  db: Db,
  scope: string,
  key: string,
  now: number,
): Promise<IdempotentResponse | null> {
  const { rows } = await db.query(
    'SELECT status, body FROM idempotency_keys WHERE scope = $1 AND key = $2 AND expires_at > $3',
    [scope, key, now],
  );
  return rows[0] ? { status: rows[0].status, body: rows[0].body } : null;
}

export async function putIdempotentResponse(
  db: Db,
  scope: string,
  key: string,
  r: IdempotentResponse,
  expiresAt: number,
): Promise<void> {
  await db.query(
    `INSERT INTO idempotency_keys (scope, key, status, body, expires_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (scope, key) DO UPDATE SET status = excluded.status, body = excluded.body, expires_at = excluded.expires_at`,
    [scope, key, r.status, r.body, expiresAt],
  );
}

export async function getConsumerOffset(
  db: Db,
  endpointId: string,
  consumerId: string,
): Promise<ConsumerOffset | null> {
  const { rows } = await db.query('SELECT * FROM consumer_offsets WHERE endpoint_id = $1 AND consumer_id = $2', [
    endpointId,
    consumerId,
  ]);
  const r = rows[0];
  return r ? { endpointId: r.endpoint_id, consumerId: r.consumer_id, seq: r.seq, updatedAt: r.updated_at } : null;
}

/** Keyed by `c` + consumer ID (see Store.listConsumerOffsets); the endpoint's consumers are few, so sorting them is cheap. */
export function listConsumerOffsets(db: Db, endpointId: string, page: PageQuery): Promise<Page<ConsumerOffset>> {
  return paginate(
    db,
    {
      select: '*',
      from: 'consumer_offsets',
      where: ['endpoint_id = $1'],
      params: [endpointId],
      key: "('c' || consumer_id)",
      keyOf: (r) => 'c' + (r.consumer_id as string),
    },
    page,
    (r) => ({
      endpointId: r.endpoint_id as string,
      consumerId: r.consumer_id as string,
      seq: r.seq as number,
      updatedAt: r.updated_at as number,
    }),
  );
}

export async function commitConsumerOffset(
  db: Db,
  endpointId: string,
  consumerId: string,
  seq: number,
  now: number,
): Promise<void> {
  await db.query(
    `INSERT INTO consumer_offsets (endpoint_id, consumer_id, seq, updated_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (endpoint_id, consumer_id) DO UPDATE SET seq = excluded.seq, updated_at = excluded.updated_at`,
    [endpointId, consumerId, seq, now],
  );
}
