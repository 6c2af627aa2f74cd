import type { Attempt } from '../../domain/model.js';
import { filterReadsMessage } from '../filter-reads-message.js';
import type { AttemptFilter, Page, PageQuery } from '../store.js';
import type { Db } from './db.js';
import { messageFilterSql } from './filters.js';
import { paginate, type PagedQuery } from './pagination.js';
import { toAttempt } from './row-mappers.js';

/** FROM and WHERE for an attempt list; joins messages only when a filter needs the message's columns. */
function attemptQuery(base: string[], params: unknown[], filter: AttemptFilter): PagedQuery {
  const where = [
    ...base,
    ...messageFilterSql('m', filter, params, { createdAt: 'a.created_at', id: { columns: ['a.id'], kind: 'attempt' } }),
  ];
  if (filter.status !== undefined) {
    params.push(filter.status);
    where.push(`a.status = $${params.length}`);
  }
  if (filter.statusCodeClass !== undefined) {
    // 0 = no response (code 0), else the hundred: 200 → 200..299.
    params.push(filter.statusCodeClass, filter.statusCodeClass + 100);
    where.push(`a.response_status_code >= $${params.length - 1} AND a.response_status_code < $${params.length}`);
  }
  if (filter.endpointId !== undefined) {
    params.push(filter.endpointId);
    where.push(`a.endpoint_id = $${params.length}`);
  }
  return {
    select: 'a.*',
    from: filterReadsMessage(filter, false) ? 'attempts a JOIN messages m ON m.id = a.msg_id' : 'attempts a',
    where,
    params,
    key: 'a.id',
    keyOf: (r) => r.id as string,
  };
}

export function listAttemptsByEndpoint(
  db: Db,
  appId: string,
  endpointId: string,
  page: PageQuery,
  filter: AttemptFilter,
): Promise<Page<Attempt>> {
  const q = attemptQuery(['a.endpoint_id = $1', 'a.app_id = $2'], [endpointId, appId], {
    ...filter,
    endpointId: undefined,
  });
  return paginate(db, q, page, toAttempt);
}

export function listAttemptsByMessage(
  db: Db,
  appId: string,
  msgId: string,
  page: PageQuery,
  filter: AttemptFilter,
): Promise<Page<Attempt>> {
  return paginate(db, attemptQuery(['a.msg_id = $1', 'a.app_id = $2'], [msgId, appId], filter), page, toAttempt);
}

export async function getAttempt(db: Db, appId: string, msgId: string, attemptId: string): Promise<Attempt | null> {
  const { rows } = await db.query('SELECT * FROM attempts WHERE id = $1 AND app_id = $2 AND msg_id = $3', [
    attemptId,
    appId,
    msgId,
  ]);
  return rows[0] ? toAttempt(rows[0]) : null;
}

export async function expungeAttemptContent(db: Db, appId: string, msgId: string, attemptId: string): Promise<boolean> {
  const { rowCount } = await db.query(
    "UPDATE attempts SET response = '' WHERE id = $1 AND app_id = $2 AND msg_id = $3",
    [attemptId, appId, msgId],
  );
  return (rowCount ?? 0) > 0;
}
