import { Type } from '@sinclair/typebox';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import type { Api, ApiContext } from '../context.js';
import { requireEndpoint } from '../lookup.js';
import { EndpointParams, ERROR_RESPONSES } from '../schemas/common.js';

const tags = ['Endpoint'];

const KeyIn = Type.Object({
  key: Type.String({
    maxLength: 256,
    description: "The ordering key ('' for the messages sent without one).",
  }),
});
const HeadOut = Type.Object({ msgId: Type.String({ description: "The head's message." }) });
const BlockedOut = Type.Object({
  data: Type.Array(
    Type.Object({
      key: Type.String(),
      msgId: Type.String({ description: "The head's message." }),
      failed: Type.Boolean({ description: 'Failed for good (true) or retrying (false).' }),
      attempts: Type.Integer(),
      blockedSince: Type.String({ format: 'date-time', description: "The head's first attempt." }),
    }),
  ),
});

/**
 * An ordered endpoint's operator controls (Hookrelay extension; docs/recovery.md): skip the
 * head of a key that cannot get through, so the next message goes; or retry the head now.
 */
export function endpointOrderingRoutes(api: Api, { store }: ApiContext): void {
  const base = '/api/v1/app/:app_id/endpoint/:endpoint_id/ordering';
  const endpointOf = async (params: { app_id: string; endpoint_id: string }) => {
    const { endpoint } = await requireEndpoint(store, params.app_id, params.endpoint_id);
    if (!endpoint.ordered)
      throw ValidationError.single(['path', 'endpoint_id'], 'this endpoint does not deliver in order', 'value_error');
    return endpoint;
  };

  api.post(
    `${base}/skip-head`,
    {
      config: { capability: 'ManageEndpoint' },
      schema: {
        operationId: 'v1.endpoint.ordering.skip-head',
        tags,
        summary: 'Skip the head of an ordering key (extension)',
        description:
          "Hookrelay extension. The key's current message leaves the sequence (its delivery ends failed, reason " +
          '`skipped`; it can be resent like any dead letter) and the next message of the key is sent.',
        params: EndpointParams,
        body: KeyIn,
        response: { 200: HeadOut, ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const endpoint = await endpointOf(req.params);
      const r = await store.skipOrderHead(endpoint.id, req.body.key, Date.now());
      if (!r.ok) throw new NotFoundError('Ordering key with a message waiting', req.body.key);
      return { msgId: r.msgId };
    },
  );

  api.post(
    `${base}/retry-head`,
    {
      config: { capability: 'ManageEndpoint' },
      schema: {
        operationId: 'v1.endpoint.ordering.retry-head',
        tags,
        summary: 'Retry the head of an ordering key now (extension)',
        description:
          "Hookrelay extension. The key's current message is sent now: a failed one with its retry schedule started " +
          'over, a retrying one without waiting for its next attempt. 409 while it is being sent.',
        params: EndpointParams,
        body: KeyIn,
        response: { 200: HeadOut, ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const endpoint = await endpointOf(req.params);
      const r = await store.retryOrderHead(endpoint.id, req.body.key, Date.now());
      if (r.ok) return { msgId: r.msgId };
      if (r.reason === 'sending') throw new ConflictError("The key's head is being sent right now.");
      throw new NotFoundError('Ordering key with a message waiting', req.body.key);
    },
  );
  api.get(
    `${base}/blocked`,
    {
      config: { capability: 'ViewBase' },
      schema: {
        operationId: 'v1.endpoint.ordering.blocked',
        tags,
        summary: 'List the keys held by a failing head (extension)',
        description:
          "Hookrelay extension. The endpoint's ordering keys whose head has been attempted and is retrying, or " +
          'failed for good, oldest first: each holds its later messages until it succeeds, is retried or skipped.',
        params: EndpointParams,
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 250, default: 50 })) }),
        response: { 200: BlockedOut, ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const endpoint = await endpointOf(req.params);
      const heads = await store.blockedOrderHeads(Date.now(), req.query.limit ?? 50, endpoint.id);
      return {
        data: heads.map((h) => ({
          key: h.key,
          msgId: h.msgId,
          failed: h.failed,
          attempts: h.attempts,
          blockedSince: new Date(h.since).toISOString(),
        })),
      };
    },
  );
}
