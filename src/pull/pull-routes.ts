import type { FastifyReply } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Config } from '../config.js';
import type { Endpoint } from '../domain/model.js';
import { NotFoundError } from '../errors.js';
import type { Api } from '../api/context.js';
import { requireEndpoint } from '../api/lookup.js';
import { sendJsonText } from '../api/send-json-text.js';
import { ERROR_RESPONSES } from '../api/schemas/common.js';
import type { Store } from '../store/store.js';
import { consumerListRoute } from './consumer-list-route.js';
import { ListenChannels } from './listen-channels.js';
import { listenRoutes } from './listen-routes.js';
import { MessageWakeups } from './message-wakeups.js';
import { decodeIterator, encodeIterator } from './poll-iterator.js';
import { PollReader, type PollFilter } from './poll-reader.js';
import { runPollStream } from './poll-stream.js';
import { listJson, messageOutJson } from '../domain/message-out.js';
import {
  ConsumerCommitIn,
  ConsumerParams,
  ConsumerPollQuery,
  ConsumerSeekIn,
  IteratorOut,
  PollerParams,
  PollingEndpointOut,
  PollQuery,
  StreamQuery,
} from './pull-schemas.js';
import { OpenConnections, SseConnection } from './sse-connection.js';

export interface PullRoutesOptions {
  store: Store;
  config: Pick<Config, 'publicUrl' | 'maxPayloadBytes'>;
  /** Heartbeat of SSE streams (poller stream and listen channels). (Default: 15000 ms) */
  heartbeatMs?: number;
  /** Key of named listen channel IDs; pass something stable (the admin token hash) so names survive restarts. (Default: random) */
  listenSecret?: string;
}

const tags = ['Message Poller'];

/**
 * The pull half: Svix's MessagePoller routes over the same message log the delivery engine
 * pushes from, our extensions (long-poll `wait`, explicit commit, SSE stream) and the listen
 * channels. Registered by buildApi, inside the API's auth and error handling.
 */
export async function pullRoutes(api: Api, opts: PullRoutesOptions): Promise<void> {
  const { store } = opts;
  const heartbeatMs = opts.heartbeatMs ?? 15_000;
  const wakeups = new MessageWakeups(store);
  const reader = new PollReader(store, wakeups);
  const connections = new OpenConnections();

  // Streams and long-polls never finish by themselves: end them before the server waits for requests.
  api.addHook('preClose', async () => connections.closeAll());
  api.addHook('onClose', async () => wakeups.close());

  async function pollEndpoint(appId: string, sinkId: string): Promise<Endpoint> {
    const { endpoint } = await requireEndpoint(store, appId, sinkId);
    if (endpoint.kind !== 'poll') throw new NotFoundError('Polling endpoint', sinkId);
    return endpoint;
  }

  async function page(
    reply: FastifyReply,
    endpoint: Endpoint,
    afterSeq: number,
    limit: number,
    waitSeconds: number,
    filter: PollFilter = {},
  ) {
    const { signal, release } = connections.waitSignal(reply.raw);
    try {
      const result = await reader.read({ endpoint, afterSeq, limit, filter, waitMs: waitSeconds * 1000, signal });
      const json = listJson(
        result.messages.map((m) => messageOutJson(m)),
        {
          iterator: encodeIterator({ seq: result.seq }),
          done: result.done,
        },
      );
      return sendJsonText(reply, 200, json);
    } finally {
      release();
    }
  }

  api.get(
    '/api/v1/app/:app_id/poller/:sink_id',
    {
      config: { capability: 'ViewBase' },
      schema: {
        operationId: 'v1.message.poller.poll',
        tags,
        summary: 'Poll a polling endpoint',
        description:
          'Messages of a `kind: "poll"` endpoint in the order they were accepted, with the same IDs as pushed messages. Without `iterator`: from the endpoint\'s creation (or `after`). Extension: `wait` long-polls.',
        params: PollerParams,
        querystring: PollQuery,
        response: { 200: PollingEndpointOut, ...ERROR_RESPONSES },
      },
    },
    async (req, reply) => {
      const q = req.query;
      const endpoint = await pollEndpoint(req.params.app_id, req.params.sink_id);
      const after = q.after === undefined ? undefined : Date.parse(q.after);
      let seq: number;
      if (q.iterator) seq = decodeIterator(q.iterator).seq;
      else seq = after === undefined ? await reader.startSeq(endpoint) : await reader.seekSeq(endpoint.appId, after);
      return page(reply, endpoint, seq, q.limit ?? 50, q.wait ?? 0, {
        eventType: q.event_type,
        channel: q.channel,
        after,
      });
    },
  );

  api.get(
    '/api/v1/app/:app_id/poller/:sink_id/consumer/:consumer_id',
    {
      config: { capability: 'ViewBase' },
      schema: {
        operationId: 'v1.message.poller.consumer-poll',
        tags,
        summary: 'Poll as a named consumer',
        description:
          "The server keeps each consumer's position. Without `iterator`: read from the committed position. With the `iterator` the previous poll returned: commit it (acknowledging that page), then read after it — at-least-once. Extension: `wait` long-polls.",
        params: ConsumerParams,
        querystring: ConsumerPollQuery,
        response: { 200: PollingEndpointOut, ...ERROR_RESPONSES },
      },
    },
    async (req, reply) => {
      const { consumer_id } = req.params;
      const endpoint = await pollEndpoint(req.params.app_id, req.params.sink_id);
      let seq: number;
      if (req.query.iterator) {
        seq = decodeIterator(req.query.iterator).seq;
        await store.commitConsumerOffset(endpoint.id, consumer_id, seq, Date.now());
      } else {
        const offset = await store.getConsumerOffset(endpoint.id, consumer_id);
        seq = offset ? offset.seq : await reader.startSeq(endpoint);
      }
      return page(reply, endpoint, seq, req.query.limit ?? 50, req.query.wait ?? 0);
    },
  );

  api.post(
    '/api/v1/app/:app_id/poller/:sink_id/consumer/:consumer_id/commit',
    {
      config: { capability: 'ManageEndpoint' },
      schema: {
        operationId: 'v1.message.poller.consumer-commit',
        tags,
        summary: 'Commit a consumer position (extension)',
        description: "Hookrelay extension: store `iterator` as the consumer's position without reading.",
        params: ConsumerParams,
        body: ConsumerCommitIn,
        response: { 204: Type.Null(), ...ERROR_RESPONSES },
      },
    },
    async (req, reply) => {
      const endpoint = await pollEndpoint(req.params.app_id, req.params.sink_id);
      const { seq } = decodeIterator(req.body.iterator);
      await store.commitConsumerOffset(endpoint.id, req.params.consumer_id, seq, Date.now());
      return reply.code(204).send(null);
    },
  );

  api.post(
    '/api/v1/app/:app_id/poller/:sink_id/consumer/:consumer_id/seek',
    {
      config: { capability: 'ManageEndpoint' },
      schema: {
        operationId: 'v1.message.poller.consumer-seek',
        tags,
        summary: 'Move a consumer to a point in time',
        description:
          'The consumer continues with the first message created after `after`; returns the iterator of that position.',
        params: ConsumerParams,
        body: ConsumerSeekIn,
        response: { 200: IteratorOut, ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const endpoint = await pollEndpoint(req.params.app_id, req.params.sink_id);
      const seq = await reader.seekSeq(endpoint.appId, Date.parse(req.body.after));
      await store.commitConsumerOffset(endpoint.id, req.params.consumer_id, seq, Date.now());
      return { iterator: encodeIterator({ seq }) };
    },
  );

  api.get(
    '/api/v1/app/:app_id/poller/:sink_id/stream',
    {
      config: { capability: 'ViewBase' },
      schema: {
        operationId: 'v1.message.poller.stream',
        tags,
        summary: 'Stream a polling endpoint (extension, SSE)',
        description:
          "Hookrelay extension: Server-Sent Events of the same messages as the poller. Each event's `id` is the iterator after it: reconnect with `Last-Event-ID` (or `?iterator=`) to continue without gaps or duplicates; the iterator also works with the poller. A comment line is sent every 15 s.",
        params: PollerParams,
        querystring: StreamQuery,
      },
    },
    async (req, reply) => {
      const endpoint = await pollEndpoint(req.params.app_id, req.params.sink_id);
      const lastEventId = req.headers['last-event-id'];
      const from = typeof lastEventId === 'string' && lastEventId !== '' ? lastEventId : req.query.iterator;
      const seq = from ? decodeIterator(from).seq : await reader.startSeq(endpoint);
      reply.hijack();
      const conn = new SseConnection(reply.raw);
      conn.open({ heartbeatMs, retryMs: 1000 });
      connections.track(conn);
      void runPollStream(conn, reader, endpoint, seq, (err) => req.log.error({ err }, 'poller stream failed'));
      return reply;
    },
  );

  consumerListRoute(api, store, tags);

  // Named channels keep their URL across processes and restarts under a key every process shares (the admin token's hash).
  const channels = new ListenChannels(store, { secret: opts.listenSecret });
  api.addHook('onClose', async () => channels.close());
  await listenRoutes(api, {
    channels,
    connections,
    publicUrl: opts.config.publicUrl,
    maxPayloadBytes: opts.config.maxPayloadBytes,
    heartbeatMs,
  });
}
