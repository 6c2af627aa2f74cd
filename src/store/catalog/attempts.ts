import type { Selectable } from 'kysely';
import type { Attempt } from '../../domain/model.js';
import { filterReadsMessage } from '../filter-reads-message.js';
import type { AttemptFilter, Page, PageQuery } from '../store.js';
import type { CatalogContext } from './catalog-context.js';
import { messageFilterWhere } from './log-filters.js';
import { whereAll } from './messages.js';
import { paginate } from './paginate.js';
import type { AttemptsTable } from './schema.js';
import { changed, first, type Steps } from './steps.js';
import type { AppId, EndpointId, MessageId } from '../../ids.js';

/** Reads of delivery attempts. Writing them is the outbox's, per adapter (each outcome commit). */

export function toAttempt(r: Selectable<AttemptsTable>): Attempt {
  return {
    id: r.id,
    appId: r.app_id as AppId,
    msgId: r.msg_id as MessageId,
    endpointId: r.endpoint_id as EndpointId,
    deliveryId: r.delivery_id,
    url: r.url,
    status: r.status,
    responseStatusCode: r.response_status_code,
    response: r.response,
    responseDurationMs: r.response_duration_ms,
    triggerType: r.trigger_type,
    createdAt: r.created_at,
  };
}

/** An attempt list of one app, by `by` (an endpoint or a message); joins messages only when a filter reads them. */
function listAttempts(
  c: CatalogContext,
  appId: AppId,
  by: { column: 'a.endpoint_id' | 'a.msg_id'; id: string },
  page: PageQuery,
  filter: AttemptFilter,
): Steps<Page<Attempt>> {
  let q = c.qb.selectFrom('attempts as a').selectAll('a').where(by.column, '=', by.id).where('a.app_id', '=', appId);
  if (filterReadsMessage(filter, false)) q = q.innerJoin('messages as m', 'm.id', 'a.msg_id');
  q = whereAll(
    q,
    messageFilterWhere(c, 'm', filter, { createdAt: 'a.created_at', id: { columns: ['a.id'], kind: 'attempt' } }),
  );
  if (filter.status !== undefined) q = q.where('a.status', '=', filter.status as AttemptsTable['status']);
  if (filter.statusCodeClass !== undefined)
    // 0 = no response (code 0), else the hundred: 200 → 200..299.
    q = q
      .where('a.response_status_code', '>=', filter.statusCodeClass)
      .where('a.response_status_code', '<', filter.statusCodeClass + 100);
  if (filter.endpointId !== undefined && by.column !== 'a.endpoint_id')
    q = q.where('a.endpoint_id', '=', filter.endpointId);
  return paginate(q, page, { key: 'a.id', keyOf: (r) => r.id, map: toAttempt });
}

export function listAttemptsByEndpoint(
  c: CatalogContext,
  appId: AppId,
  endpointId: EndpointId,
  page: PageQuery,
  filter: AttemptFilter,
): Steps<Page<Attempt>> {
  return listAttempts(c, appId, { column: 'a.endpoint_id', id: endpointId }, page, filter);
}

export function listAttemptsByMessage(
  c: CatalogContext,
  appId: AppId,
  msgId: MessageId,
  page: PageQuery,
  filter: AttemptFilter,
): Steps<Page<Attempt>> {
  return listAttempts(c, appId, { column: 'a.msg_id', id: msgId }, page, filter);
}

export function* getAttempt(
  c: CatalogContext,
  appId: AppId,
  msgId: MessageId,
  attemptId: string,
): Steps<Attempt | null> {
  const row = yield* first(
    c.qb
      .selectFrom('attempts')
      .selectAll()
      .where('id', '=', attemptId)
      .where('app_id', '=', appId)
      .where('msg_id', '=', msgId),
  );
  return row ? toAttempt(row) : null;
}

export function* expungeAttemptContent(
  c: CatalogContext,
  appId: AppId,
  msgId: MessageId,
  attemptId: string,
): Steps<boolean> {
  const q = c.qb
    .updateTable('attempts')
    .set({ response: '' })
    .where('id', '=', attemptId)
    .where('app_id', '=', appId)
    .where('msg_id', '=', msgId);
  return (yield* changed(q)) > 0;
}
