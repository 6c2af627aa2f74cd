import type { Attempt } from '../../domain/model.js';
import { filterReadsMessage } from '../filter-reads-message.js';
import type { AttemptFilter, Page, PageQuery } from '../store.js';
import { messageFilterSql } from './filters.js';
import { paginate } from './pagination.js';
import { toAttempt } from './row-mappers.js';
import type { Row, SqliteContext } from './sqlite-context.js';

/** FROM and WHERE for an attempt list; joins messages only when a filter needs the message's columns. */
function attemptQuery(base: string, baseParams: unknown[], filter: AttemptFilter) {
  const f = messageFilterSql('m', filter, { createdAt: 'a.created_at', id: { columns: ['a.id'], kind: 'attempt' } });
  const where = [base, ...f.where];
  const params = [...baseParams, ...f.params];
  if (filter.status !== undefined) {
    where.push('a.status = ?');
    params.push(filter.status);
  }
  if (filter.statusCodeClass !== undefined) {
    // 0 = no response (code 0), else the hundred: 200 → 200..299.
    where.push('a.response_status_code >= ? AND a.response_status_code < ?');
    params.push(filter.statusCodeClass, filter.statusCodeClass + 100);
  }
  if (filter.endpointId !== undefined) {
    where.push('a.endpoint_id = ?');
    params.push(filter.endpointId);
  }
  return {
    select: 'a.*',
    from: filterReadsMessage(filter, false) ? 'attempts a JOIN messages m ON m.id = a.msg_id' : 'attempts a',
    where,
    params,
    key: 'a.id',
    keyOf: (r: Row) => r.id as string,
  };
}

export function listAttemptsByEndpoint(
  ctx: SqliteContext,
  appId: string,
  endpointId: string,
  page: PageQuery,
  filter: AttemptFilter,
): Page<Attempt> {
  const q = attemptQuery('a.endpoint_id = ? AND a.app_id = ?', [endpointId, appId], {
    ...filter,
    endpointId: undefined,
  });
  return paginate(ctx, q, page, toAttempt);
}

export function listAttemptsByMessage(
  ctx: SqliteContext,
  appId: string,
  msgId: string,
  page: PageQuery,
  filter: AttemptFilter,
): Page<Attempt> {
  return paginate(ctx, attemptQuery('a.msg_id = ? AND a.app_id = ?', [msgId, appId], filter), page, toAttempt);
}

export function getAttempt(ctx: SqliteContext, appId: string, msgId: string, attemptId: string): Attempt | null {
  const row = ctx
    .stmt('SELECT * FROM attempts WHERE id = ? AND app_id = ? AND msg_id = ?')
    .get(attemptId, appId, msgId) as Row | undefined;
  return row ? toAttempt(row) : null;
}

export function expungeAttemptContent(ctx: SqliteContext, appId: string, msgId: string, attemptId: string): boolean {
  return (
    ctx
      .stmt("UPDATE attempts SET response = '' WHERE id = ? AND app_id = ? AND msg_id = ?")
      .run(attemptId, appId, msgId).changes > 0
  );
}
