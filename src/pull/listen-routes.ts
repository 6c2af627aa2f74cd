import type { FastifyReply, FastifyRequest } from 'fastify';
import { NotFoundError } from '../errors.js';
import { principalKey } from '../api/auth.js';
import type { Api } from '../api/context.js';
import { ERROR_RESPONSES } from '../api/schemas/common.js';
import type { ListenChannels, ListenEvent } from './listen-channels.js';
import { formatListenEvent, relayableHeaders, type ListenFormat } from './listen-event-format.js';
import { ChannelParams, ListenIn, ListenOut } from './pull-schemas.js';
import { SseConnection, type OpenConnections } from './sse-connection.js';

export interface ListenRouteOptions {
  channels: ListenChannels;
  connections: OpenConnections;
  publicUrl: string | null;
  maxPayloadBytes: number;
  heartbeatMs: number;
}

const tags = ['Listen channel'];
const MAX_PENDING_PER_SUBSCRIBER = 1000;

function baseUrl(req: FastifyRequest, publicUrl: string | null): string {
  return (publicUrl ?? `${req.protocol}://${req.host}`).replace(/\/+$/, '');
}

/**
 * `POST /api/v1/listen` creates (or, with a uid, reuses) a channel; `/in/{channel}` takes any
 * request and relays it to the channel's SSE subscribers (`GET /in/{channel}`).
 */
export async function listenRoutes(api: Api, opts: ListenRouteOptions): Promise<void> {
  const { channels } = opts;

  api.post(
    '/api/v1/listen',
    {
      config: { access: 'any', optionalBody: true, capability: 'all' },
      schema: {
        operationId: 'v1.listen.create',
        tags,
        summary: 'Create a listen channel (extension)',
        description:
          "Hookrelay extension. Everything sent to `url` is relayed to subscribers of its stream: `hookrelay listen`, or smee-client pointed at `url`. On PostgreSQL a channel is shared by every API process; on SQLite it lives in the server's memory.",
        body: ListenIn,
        response: { 200: ListenOut, 201: ListenOut, ...ERROR_RESPONSES },
      },
    },
    async (req, reply) => {
      const channel = await channels.create(req.body?.uid ?? null, principalKey(req.principal));
      const base = baseUrl(req, opts.publicUrl);
      return reply.code(channel.created ? 201 : 200).send({
        id: channel.id,
        uid: channel.uid,
        url: `${base}/in/${channel.id}`,
        streamUrl: `${base}/in/${channel.id}?format=raw`,
      });
    },
  );

  // The inbound side takes any body as bytes: a child context with only a catch-all raw parser.
  await api.register(async (inbound: Api) => {
    inbound.removeAllContentTypeParsers();
    inbound.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: opts.maxPayloadBytes }, (_req, body, done) =>
      done(null, body),
    );

    inbound.route({
      method: ['POST', 'PUT', 'PATCH'],
      url: '/in/:channel_id',
      config: { access: 'public' },
      schema: { tags, summary: 'Send a request to a listen channel (extension)', params: ChannelParams },
      handler: async (req, reply) => {
        const { channel_id } = req.params as { channel_id: string };
        const url = new URL(req.url, 'http://x');
        const published = await channels.publish(channel_id, {
          method: req.method,
          headers: relayableHeaders(req.headers),
          query: Object.fromEntries(url.searchParams),
          body: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
          timestamp: Date.now(),
        });
        if (!published) throw new NotFoundError('Listen channel', channel_id);
        return reply.code(200).send({ ok: true, subscribers: published.subscribers });
      },
    });

    inbound.get(
      '/in/:channel_id',
      {
        config: { access: 'public' },
        schema: {
          tags,
          summary: 'Subscribe to a listen channel (extension)',
          description:
            "With `Accept: text/event-stream`: the channel's events as SSE (smee.io format; `?format=raw` for method and exact body bytes). Resumes after `Last-Event-ID` from the last 100 events.",
          params: ChannelParams,
        },
      },
      async (req, reply) => {
        const { channel_id } = req.params as { channel_id: string };
        const query = req.query as { format?: string };
        const format: ListenFormat = query.format === 'raw' ? 'raw' : 'smee';
        const wantsStream =
          String(req.headers.accept ?? '').includes('text/event-stream') || query.format !== undefined;
        if (!wantsStream) {
          const channel = await channels.describe(channel_id);
          if (!channel) throw new NotFoundError('Listen channel', channel_id);
          return {
            id: channel.id,
            url: `${baseUrl(req, opts.publicUrl)}/in/${channel.id}`,
            subscribers: channel.subscribers,
          };
        }
        const lastEventId = req.headers['last-event-id'];
        await streamChannel(req, reply, opts, channel_id, typeof lastEventId === 'string' ? lastEventId : null, format);
        return reply;
      },
    );
  });
}

async function streamChannel(
  req: FastifyRequest,
  reply: FastifyReply,
  opts: ListenRouteOptions,
  channelId: string,
  lastEventId: string | null,
  format: ListenFormat,
): Promise<void> {
  // Events are queued and written in order; a slow reader holds the queue, not the publisher.
  // A reader that falls too far behind is disconnected: it reconnects with Last-Event-ID and
  // catches up from what the channel retains instead of growing this queue without bound.
  let conn: SseConnection | null = null;
  const early: ListenEvent[] = [];
  let chain = Promise.resolve();
  let pending = 0;
  const forward = (event: ListenEvent) => {
    if (!conn) {
      early.push(event);
      return;
    }
    if (++pending > MAX_PENDING_PER_SUBSCRIBER) {
      conn.close();
      return;
    }
    const c = conn;
    chain = chain
      .then(() => c.send({ id: String(event.seq), data: formatListenEvent(event, format) }))
      .finally(() => {
        pending--;
      });
  };
  const unsubscribe = await opts.channels.subscribe(channelId, lastEventId, forward);
  if (!unsubscribe) throw new NotFoundError('Listen channel', channelId);
  reply.hijack();
  conn = new SseConnection(reply.raw);
  // smee.io names its keep-alives `ping` and its greeting `ready`; clients listening to
  // plain messages ignore both.
  conn.open({ heartbeatMs: opts.heartbeatMs, heartbeat: () => 'event: ping\ndata: {}\n\n', retryMs: 1000 });
  opts.connections.track(conn);
  void conn.send({ event: 'ready', data: '{}' });
  for (const event of early.splice(0)) forward(event);
  conn.signal.addEventListener('abort', unsubscribe, { once: true });
}
