import { filterReadsMessage } from '../filter-reads-message.js';
import type { AttemptFilter, DeliveryView, EndpointStats, Page, PageQuery } from '../store.js';
import { endpointsByIds } from './endpoints.js';
import { messageFilterSql } from './filters.js';
import { messagesByIds } from './messages.js';
import { paginate } from './pagination.js';
import { toDelivery } from './row-mappers.js';
import type { Row, SqliteContext } from './sqlite-context.js';

/** Join a page of delivery rows with their endpoints and messages (two batched reads). */
function withParents(ctx: SqliteContext, page: Page<Row>): Page<DeliveryView> {
  const endpoints = endpointsByIds(
    ctx,
    page.data.map((r) => r.endpoint_id as string),
  );
  const messages = messagesByIds(
    ctx,
    page.data.map((r) => r.msg_id as string),
  );
  return {
    ...page,
    data: page.data.map((r) => ({
      delivery: toDelivery(r),
      endpoint: endpoints.get(r.endpoint_id as string)!,
      message: messages.get(r.msg_id as string)!,
    })),
  };
}

/** Destinations of a message: one per delivery row, paged by endpoint ID. */
export function listMessageDestinations(
  ctx: SqliteContext,
  appId: string,
  msgId: string,
  page: PageQuery,
): Page<DeliveryView> {
  const rows = paginate(
    ctx,
    {
      select: 'd.*',
      from: 'deliveries d',
      where: ['d.msg_id = ?', 'd.app_id = ?'],
      params: [msgId, appId],
      key: 'd.endpoint_id',
      keyOf: (r) => r.endpoint_id as string,
    },
    page,
    (r) => r,
  );
  return withParents(ctx, rows);
}

/** Messages of an endpoint (one per delivery row), paged by message ID; `status` is the delivery's. */
export function listEndpointMessages(
  ctx: SqliteContext,
  appId: string,
  endpointId: string,
  page: PageQuery,
  filter: AttemptFilter,
): Page<DeliveryView> {
  const f = messageFilterSql('m', filter, { id: { columns: ['d.msg_id'], kind: 'message' } });
  const where = ['d.endpoint_id = ?', 'd.app_id = ?', ...f.where];
  const params: unknown[] = [endpointId, appId, ...f.params];
  if (filter.status !== undefined) {
    where.push('d.status = ?');
    params.push(filter.status);
  }
  const rows = paginate(
    ctx,
    {
      select: 'd.*',
      from: filterReadsMessage(filter, true) ? 'deliveries d JOIN messages m ON m.id = d.msg_id' : 'deliveries d',
      where,
      params,
      key: 'd.msg_id',
      keyOf: (r) => r.msg_id as string,
    },
    page,
    (r) => r,
  );
  return withParents(ctx, rows);
}

/** Delivery rows of the endpoint created in [since, until), counted by status. */
export function endpointStats(
  ctx: SqliteContext,
  appId: string,
  endpointId: string,
  since: number | null,
  until: number | null,
): EndpointStats {
  const rows = ctx
    .stmt(
      `SELECT status, COUNT(*) AS n FROM deliveries
     WHERE endpoint_id = @endpointId AND app_id = @appId AND (@since IS NULL OR created_at >= @since) AND (@until IS NULL OR created_at < @until)
     GROUP BY status`,
    )
    .all({ endpointId, appId, since, until }) as Array<{ status: number; n: number }>;
  const count = (s: number) => rows.find((r) => r.status === s)?.n ?? 0;
  return { success: count(0), pending: count(1), fail: count(2), sending: count(3), canceled: 0 };
}
