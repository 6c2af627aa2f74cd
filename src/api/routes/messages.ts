import type { AppId } from '../../ids.js';
import { Type } from '@sinclair/typebox';
import { NotFoundError } from '../../errors.js';
import type { MessageFilter } from '../../store/store.js';
import type { Api, ApiContext } from '../context.js';
import { queryTime } from '../time-range.js';
import { requireApp, requireAppOrCreate, requireMessage, type ApplicationToCreate } from '../lookup.js';
import { submitTraced } from '../ingest-span.js';
import { newMessage, submitMessage } from '../message-input.js';
import { idIterator, pageJson, pageQuery } from '../pagination.js';
import {
  AppIdParams,
  ERROR_RESPONSES,
  EventTypesQuery,
  IdempotencyHeaders,
  MsgParams,
  PageQuerySchema,
  ref,
} from '../schemas/common.js';
import { ListResponseMessageOut, MessageIn, MessageOut } from '../schemas/message.js';
import { messageOutJson } from '../../domain/message-out.js';
import { sendJsonText } from '../send-json-text.js';

const tags = ['Message'];
const WithContent = Type.Optional(Type.Boolean({ default: true, description: 'Include the payload (Default: true).' }));

/** `?event_types=a,b&event_types=c` → ['a', 'b', 'c']. */
export function eventTypesOf(value: string[] | undefined): string[] | undefined {
  if (!value) return undefined;
  const list = value
    .flatMap((v) => v.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  return list.length ? list : undefined;
}

/** The list filters shared by messages and attempts. */
export const MessageFilterQuery = Type.Object({
  event_types: EventTypesQuery,
  channel: Type.Optional(Type.String({ maxLength: 128 })),
  tag: Type.Optional(Type.String({ maxLength: 128, description: 'Only messages carrying this tag.' })),
  before: Type.Optional(Type.String({ format: 'date-time', description: 'Only items created before this time.' })),
  after: Type.Optional(Type.String({ format: 'date-time', description: 'Only items created after this time.' })),
  with_content: WithContent,
});

export function messageFilterOf(q: {
  event_types?: string[];
  channel?: string;
  tag?: string;
  before?: string;
  after?: string;
}): MessageFilter {
  const filter: MessageFilter = {};
  const types = eventTypesOf(q.event_types);
  if (types) filter.eventTypes = types;
  if (q.channel) filter.channel = q.channel;
  if (q.tag) filter.tag = q.tag;
  if (q.before) filter.before = queryTime(q.before, 'before');
  if (q.after) filter.after = queryTime(q.after, 'after');
  return filter;
}

export function messageRoutes(api: Api, ctx: ApiContext): void {
  const { store } = ctx;

  /** The path's app, or — when the body carries `application` — one created on the fly. */
  async function appIdForMessage(appParam: string, appIn: ApplicationToCreate | null | undefined): Promise<AppId> {
    const cached = ctx.appIds.get(appParam);
    if (cached) return cached;
    const app = await requireAppOrCreate(store, appParam, appIn);
    ctx.appIds.set(appParam, app.id);
    return app.id;
  }

  api.post(
    '/api/v1/app/:app_id/msg',
    {
      config: { capability: 'all', opaqueBodyFields: ['payload'] },
      schema: {
        operationId: 'v1.message.create',
        tags,
        summary: 'Send a message',
        description:
          'Accepted messages are durable: the message and one delivery per matching endpoint are committed before the 202. Concurrent creates are written together in one transaction (group commit). A repeated `eventId` is refused with 409.',
        params: AppIdParams,
        querystring: Type.Object({ with_content: WithContent }),
        headers: IdempotencyHeaders,
        body: ref(MessageIn),
        response: { 202: ref(MessageOut), ...ERROR_RESPONSES },
      },
    },
    async (req, reply) => {
      const appId = await appIdForMessage(req.params.app_id, req.body.application);
      const input = newMessage(appId, req.body, ctx.environment);
      const message = await (ctx.tracer
        ? submitTraced(ctx.tracer, req.headers, ctx.outbox, input)
        : submitMessage(ctx.outbox, input));
      return sendJsonText(reply, 202, messageOutJson(message, req.query.with_content ?? true));
    },
  );

  api.get(
    '/api/v1/app/:app_id/msg',
    {
      config: { capability: 'ViewBase' },
      schema: {
        operationId: 'v1.message.list',
        tags,
        summary: 'List messages (newest first)',
        params: AppIdParams,
        querystring: Type.Composite([PageQuerySchema, MessageFilterQuery]),
        response: { 200: ref(ListResponseMessageOut), ...ERROR_RESPONSES },
      },
    },
    async (req, reply) => {
      const app = await requireApp(store, req.params.app_id);
      const page = await store.listMessages(
        app.id,
        pageQuery(req.query, idIterator('message'), 'descending'),
        messageFilterOf(req.query),
      );
      const withContent = req.query.with_content ?? true;
      return sendJsonText(
        reply,
        200,
        pageJson(page, (m) => messageOutJson(m, withContent)),
      );
    },
  );

  api.get(
    '/api/v1/app/:app_id/msg/:msg_id',
    {
      config: { capability: 'ViewBase' },
      schema: {
        operationId: 'v1.message.get',
        tags,
        summary: 'Get a message by ID or eventId',
        params: MsgParams,
        querystring: Type.Object({ with_content: WithContent }),
        response: { 200: ref(MessageOut), ...ERROR_RESPONSES },
      },
    },
    async (req, reply) => {
      const { message } = await requireMessage(store, req.params.app_id, req.params.msg_id);
      return sendJsonText(reply, 200, messageOutJson(message, req.query.with_content ?? true));
    },
  );

  api.delete(
    '/api/v1/app/:app_id/msg/:msg_id/content',
    {
      config: { capability: 'all' },
      schema: {
        operationId: 'v1.message.expunge-content',
        tags,
        summary: "Delete a message's payload",
        params: MsgParams,
        response: { 204: Type.Null(), ...ERROR_RESPONSES },
      },
    },
    async (req, reply) => {
      const { app, message } = await requireMessage(store, req.params.app_id, req.params.msg_id);
      if (!(await store.expungeMessageContent(app.id, message.id)))
        throw new NotFoundError('Message', req.params.msg_id);
      return reply.code(204).send(null);
    },
  );
}
