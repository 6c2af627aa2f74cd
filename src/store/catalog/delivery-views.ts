import { sql } from 'kysely';
import { DeliveryStatus, type Delivery } from '../../domain/model.js';
import { filterReadsMessage } from '../filter-reads-message.js';
import type { AttemptFilter, DeliveryView, EndpointStats, Page, PageQuery } from '../store.js';
import type { CatalogContext } from './catalog-context.js';
import { endpointsByIds } from './endpoints.js';
import { messageFilterWhere } from './log-filters.js';
import { messagesByIds, whereAll } from './messages.js';
import { paginate } from './paginate.js';
import type { DeliveryColumns, DeliveryRow } from './schema.js';
import { all, type Steps } from './steps.js';
import type { AppId, EndpointId, MessageId } from '../../ids.js';

/** Reads of delivery rows with their endpoint and message: a message's destinations, an endpoint's messages. */

export function toDelivery(r: DeliveryColumns): Delivery {
  return {
    id: r.id,
    appId: r.app_id as AppId,
    msgId: r.msg_id as MessageId,
    endpointId: r.endpoint_id as EndpointId,
    status: r.status,
    attemptCount: r.attempt_count,
    nextAttemptAt: r.next_attempt_at,
    lastAttemptAt: r.last_attempt_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** Joins a page of delivery rows with their endpoints and messages (two batched reads); a row whose parent is gone is dropped. */
function* withParents(c: CatalogContext, page: Page<DeliveryRow>): Steps<Page<DeliveryView>> {
  const endpoints = yield* endpointsByIds(
    c,
    page.data.map((r) => r.endpoint_id),
  );
  const messages = yield* messagesByIds(
    c,
    page.data.map((r) => r.msg_id),
  );
  const data = page.data.flatMap((r) => {
    const endpoint = endpoints.get(r.endpoint_id);
    const message = messages.get(r.msg_id);
    return endpoint && message ? [{ delivery: toDelivery(r), endpoint, message }] : [];
  });
  return { ...page, data };
}

/** Destinations of a message: one per delivery row, paged by endpoint ID. */
export function* listMessageDestinations(
  c: CatalogContext,
  appId: AppId,
  msgId: MessageId,
  page: PageQuery,
): Steps<Page<DeliveryView>> {
  const q = c.qb
    .selectFrom('deliveries as d')
    .selectAll('d')
    .where('d.msg_id', '=', msgId)
    .where('d.app_id', '=', appId);
  const rows = yield* paginate(q, page, { key: 'd.endpoint_id', keyOf: (r) => r.endpoint_id, map: (r) => r });
  return yield* withParents(c, rows);
}

/** Messages of an endpoint (one per delivery row), paged by message ID; `status` is the delivery's. */
export function* listEndpointMessages(
  c: CatalogContext,
  appId: AppId,
  endpointId: EndpointId,
  page: PageQuery,
  filter: AttemptFilter,
): Steps<Page<DeliveryView>> {
  const joined = filterReadsMessage(filter, true);
  let q = c.qb
    .selectFrom('deliveries as d')
    .selectAll('d')
    .where('d.endpoint_id', '=', endpointId)
    .where('d.app_id', '=', appId);
  if (joined) q = q.innerJoin('messages as m', 'm.id', 'd.msg_id');
  const ids = { columns: joined ? ['d.msg_id', 'm.id'] : ['d.msg_id'], kind: 'message' as const };
  q = whereAll(q, messageFilterWhere(c, 'm', filter, { id: ids }));
  if (filter.status !== undefined) q = q.where('d.status', '=', filter.status);
  const rows = yield* paginate(q, page, {
    key: 'd.msg_id',
    keyAlso: joined ? 'm.id' : undefined,
    keyOf: (r) => r.msg_id,
    map: (r) => r,
  });
  return yield* withParents(c, rows);
}

/** Delivery rows of the endpoint created in [since, until), counted by status. */
export function* endpointStats(
  c: CatalogContext,
  appId: AppId,
  endpointId: EndpointId,
  since: number | null,
  until: number | null,
): Steps<EndpointStats> {
  let q = c.qb
    .selectFrom('deliveries')
    .select(['status', sql<number>`count(*)`.as('n')])
    .where('endpoint_id', '=', endpointId)
    .where('app_id', '=', appId)
    .groupBy('status');
  if (since !== null) q = q.where('created_at', '>=', since);
  if (until !== null) q = q.where('created_at', '<', until);
  const rows = yield* all(q);
  const count = (s: DeliveryStatus) => rows.find((r) => r.status === s)?.n ?? 0;
  return {
    success: count(DeliveryStatus.Success),
    pending: count(DeliveryStatus.Pending),
    fail: count(DeliveryStatus.Fail),
    sending: count(DeliveryStatus.Sending),
    canceled: 0,
  };
}
