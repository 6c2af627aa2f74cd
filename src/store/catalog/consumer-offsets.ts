import { sql, type Selectable } from 'kysely';
import type { ConsumerOffset, Page, PageQuery } from '../store.js';
import type { CatalogContext } from './catalog-context.js';
import { paginate } from './paginate.js';
import type { ConsumerOffsetsTable } from './schema.js';
import { changed, first, type Steps } from './steps.js';
import type { EndpointId } from '../../ids.js';

/** Where each named consumer of a polling endpoint has read up to (a message seq). */

const toOffset = (r: Selectable<ConsumerOffsetsTable>): ConsumerOffset => ({
  endpointId: r.endpoint_id as EndpointId,
  consumerId: r.consumer_id,
  seq: r.seq,
  updatedAt: r.updated_at,
});

export function* getConsumerOffset(
  c: CatalogContext,
  endpointId: EndpointId,
  consumerId: string,
): Steps<ConsumerOffset | null> {
  const row = yield* first(
    c.qb
      .selectFrom('consumer_offsets')
      .selectAll()
      .where('endpoint_id', '=', endpointId)
      .where('consumer_id', '=', consumerId),
  );
  return row ? toOffset(row) : null;
}

/** Keyed by `c` + consumer ID (see Store.listConsumerOffsets); an endpoint's consumers are few, so sorting them is cheap. */
export function listConsumerOffsets(
  c: CatalogContext,
  endpointId: EndpointId,
  page: PageQuery,
): Steps<Page<ConsumerOffset>> {
  return paginate(c.qb.selectFrom('consumer_offsets').selectAll().where('endpoint_id', '=', endpointId), page, {
    key: sql<string>`('c' || consumer_id)`,
    keyOf: (r) => 'c' + r.consumer_id,
    map: toOffset,
  });
}

export function* commitConsumerOffset(
  c: CatalogContext,
  endpointId: EndpointId,
  consumerId: string,
  seq: number,
  now: number,
): Steps<void> {
  yield* changed(
    c.qb
      .insertInto('consumer_offsets')
      .values({ endpoint_id: endpointId, consumer_id: consumerId, seq, updated_at: now })
      .onConflict((oc) =>
        oc.columns(['endpoint_id', 'consumer_id']).doUpdateSet((eb) => ({
          seq: eb.ref('excluded.seq'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      ),
  );
}
