import { filterReadsMessage } from '../filter-reads-message.js';
import type { AttemptFilter, DeliveryView, EndpointStats, Page, PageQuery } from '../store.js';
import type { Db } from './db.js';
import { endpointsByIds } from './endpoints.js';
import { messageFilterSql } from './filters.js';
import { messagesByIds } from './messages.js';
import { paginate } from './pagination.js';
import { toDelivery, type Row } from './row-mappers.js';

/** Join a page of delivery rows with their endpoints and messages (two batched reads). */
async function withParents(db: Db, page: Page<Row>): Promise<Page<DeliveryView>> {
  const [endpoints, messages] = await Promise.all([
    endpointsByIds(
      db,
      page.data.map((r) => r.endpoint_id as string),
    ),
    messagesByIds(
      db,
      page.data.map((r) => r.msg_id as string),
    ),
  ]);
  // A row whose endpoint or message was deleted between the two reads is dropped.
  const data = page.data
    .filter((r) => endpoints.has(r.endpoint_id as string) && messages.has(r.msg_id as string))
    .map((r) => ({
      delivery: toDelivery(r),
      endpoint: endpoints.get(r.endpoint_id as string)!,
      message: messages.get(r.msg_id as string)!,
    }));
  return { ...page, data };
}

/** Destinations of a message: one per delivery row, paged by endpoint ID. */
export async function listMessageDestinations(
  db: Db,
  appId: string,
  msgId: string,
  page: PageQuery,
): Promise<Page<DeliveryView>> {
  const rows = await paginate(
    db,
    {
      select: 'd.*',
      from: 'deliveries d',
      where: ['d.msg_id = $1', 'd.app_id = $2'],
      params: [msgId, appId],
      key: 'd.endpoint_id',
      keyOf: (r) => r.endpoint_id as string,
    },
    page,
    (r) => r,
  );
  return withParents(db, rows);
}

/** Messages of an endpoint (one per delivery row), paged by message ID; `status` is the delivery's. */
export async function listEndpointMessages(
  db: Db,
  appId: string,
  endpointId: string,
  page: PageQuery,
  filter: AttemptFilter,
): Promise<Page<DeliveryView>> {
  const joined = filterReadsMessage(filter, true);
  const params: unknown[] = [endpointId, appId];
  const ids = { columns: joined ? ['d.msg_id', 'm.id'] : ['d.msg_id'], kind: 'message' as const };
  const where = ['d.endpoint_id = $1', 'd.app_id = $2', ...messageFilterSql('m', filter, params, { id: ids })];
  if (filter.status !== undefined) {
    params.push(filter.status);
    where.push(`d.status = $${params.length}`);
  }
  const rows = await paginate(
    db,
    {
      select: 'd.*',
      from: joined ? 'deliveries d JOIN messages m ON m.id = d.msg_id' : 'deliveries d',
      where,
      params,
      key: 'd.msg_id',
      ...(joined ? { keyAlso: 'm.id' } : {}),
      keyOf: (r) => r.msg_id as string,
    },
    page,
    (r) => r,
  );
  return withParents(db, rows);
}

/** Delivery rows of the endpoint created in [since, until), counted by status. */
export async function endpointStats(
  db: Db,
  appId: string,
  endpointId: string,
  since: number | null,
  until: number | null,
): Promise<EndpointStats> {
  const { rows } = await db.query<{ status: number; n: number }>(
    `SELECT status, count(*) AS n FROM deliveries
     WHERE endpoint_id = $1 AND app_id = $2 AND ($3::bigint IS NULL OR created_at >= $3) AND ($4::bigint IS NULL OR created_at < $4)
     GROUP BY status`,
    [endpointId, appId, since, until],
  );
  const count = (s: number) => rows.find((r) => r.status === s)?.n ?? 0;
  return { success: count(0), pending: count(1), fail: count(2), sending: count(3), canceled: 0 };
}
