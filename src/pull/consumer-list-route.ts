import type { Api } from '../api/context.js';
import { requireEndpoint } from '../api/lookup.js';
import { mapPage, pageQuery } from '../api/pagination.js';
import { ERROR_RESPONSES } from '../api/schemas/common.js';
import { NotFoundError } from '../errors.js';
import type { Store } from '../store/store.js';
import { encodeIterator } from './poll-iterator.js';
import { ConsumerPageQuery, ListResponseConsumerOut, PollerParams } from './pull-schemas.js';

/** Iterators of this list are `c` + a consumer ID (Store.listConsumerOffsets). */
const consumerIterator = (cursor: string) => /^c[a-zA-Z0-9\-_.]{1,128}$/.test(cursor);

/** The named consumers of a poll endpoint and where each stands (extension), for the portal. */
export function consumerListRoute(api: Api, store: Store, tags: string[]): void {
  api.get(
    '/api/v1/app/:app_id/poller/:sink_id/consumer',
    {
      config: { capability: 'ViewBase' },
      schema: {
        operationId: 'v1.message.poller.list-consumers',
        tags,
        summary: "List a polling endpoint's consumers (extension)",
        description:
          'Hookrelay extension: every consumer that has committed a position on this `kind: "poll"` endpoint, by ' +
          'consumer ID, with that position as the iterator the poller takes and when it was last committed.',
        params: PollerParams,
        querystring: ConsumerPageQuery,
        response: { 200: ListResponseConsumerOut, ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const { endpoint } = await requireEndpoint(store, req.params.app_id, req.params.sink_id);
      if (endpoint.kind !== 'poll') throw new NotFoundError('Polling endpoint', req.params.sink_id);
      const page = await store.listConsumerOffsets(endpoint.id, pageQuery(req.query, consumerIterator, 'ascending'));
      return mapPage(page, (o) => ({
        consumerId: o.consumerId,
        position: encodeIterator({ seq: o.seq }),
        updatedAt: new Date(o.updatedAt).toISOString(),
      }));
    },
  );
}
