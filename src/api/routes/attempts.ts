import { Type } from '@sinclair/typebox';
import type { Attempt, Message } from '../../domain/model.js';
import { NotFoundError } from '../../errors.js';
import type { AttemptFilter } from '../../store/store.js';
import type { Api, ApiContext } from '../context.js';
import { requireEndpoint, requireMessage } from '../lookup.js';
import { idIterator, mapPage, pageQuery } from '../pagination.js';
import {
  EmptyResponse,
  EndpointParams,
  ERROR_RESPONSES,
  IdempotencyHeaders,
  MsgParams,
  PageQuerySchema,
  ref,
} from '../schemas/common.js';
import {
  ListResponseEndpointMessageOut,
  ListResponseMessageAttemptOut,
  ListResponseMessageEndpointOut,
  MessageAttemptOut,
} from '../schemas/message.js';
import { attemptOut, endpointMessageOut, messageEndpointOut } from '../serializers.js';
import { MessageFilterQuery, messageFilterOf } from './messages.js';
import type { AppId } from '../../ids.js';

const tags = ['Message Attempt'];

const AttemptQuery = Type.Composite([
  PageQuerySchema,
  MessageFilterQuery,
  Type.Object({
    status: Type.Optional(
      Type.Integer({ enum: [0, 1, 2, 3, 4], description: '0 success, 1 pending, 2 fail, 3 sending, 4 canceled.' }),
    ),
    status_code_class: Type.Optional(
      Type.Integer({ enum: [0, 100, 200, 300, 400, 500], description: 'Response status class; 0 = no response.' }),
    ),
    with_msg: Type.Optional(
      Type.Boolean({ default: false, description: 'Include the message in each attempt (Default: false).' }),
    ),
  }),
]);

function attemptFilterOf(
  q: { status?: number; status_code_class?: number } & Parameters<typeof messageFilterOf>[0],
): AttemptFilter {
  const filter: AttemptFilter = messageFilterOf(q);
  if (q.status !== undefined) filter.status = q.status as AttemptFilter['status'];
  if (q.status_code_class !== undefined) filter.statusCodeClass = q.status_code_class;
  return filter;
}

export function attemptRoutes(api: Api, { store }: ApiContext): void {
  /** Attempts → MessageAttemptOut, loading each distinct message once when with_msg is asked. */
  async function attemptsOut(appId: AppId, attempts: Attempt[], withContent: boolean, withMsg: boolean) {
    const msgs = new Map<string, Message | null>();
    if (withMsg) {
      for (const id of new Set(attempts.map((a) => a.msgId))) msgs.set(id, await store.getMessage(appId, id));
    }
    return attempts.map((a) => attemptOut(a, { withContent, ...(withMsg ? { msg: msgs.get(a.msgId) ?? null } : {}) }));
  }

  api.get(
    '/api/v1/app/:app_id/attempt/endpoint/:endpoint_id',
    {
      config: { capability: 'ViewBase' },
      schema: {
        operationId: 'v1.message-attempt.list-by-endpoint',
        tags,
        summary: "List an endpoint's attempts (newest first)",
        params: EndpointParams,
        querystring: AttemptQuery,
        response: { 200: ref(ListResponseMessageAttemptOut), ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const { app, endpoint } = await requireEndpoint(store, req.params.app_id, req.params.endpoint_id);
      const q = req.query;
      const page = await store.listAttemptsByEndpoint(
        app.id,
        endpoint.id,
        pageQuery(q, idIterator('attempt'), 'descending'),
        attemptFilterOf(q),
      );
      return { ...page, data: await attemptsOut(app.id, page.data, q.with_content ?? true, q.with_msg ?? false) };
    },
  );

  api.get(
    '/api/v1/app/:app_id/attempt/msg/:msg_id',
    {
      config: { capability: 'ViewBase' },
      schema: {
        operationId: 'v1.message-attempt.list-by-msg',
        tags,
        summary: "List a message's attempts (newest first)",
        params: MsgParams,
        querystring: Type.Composite([
          AttemptQuery,
          Type.Object({
            endpoint_id: Type.Optional(
              Type.String({ maxLength: 256, description: 'Only attempts to this endpoint (ID or uid).' }),
            ),
          }),
        ]),
        response: { 200: ref(ListResponseMessageAttemptOut), ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const { app, message } = await requireMessage(store, req.params.app_id, req.params.msg_id);
      const q = req.query;
      const filter = attemptFilterOf(q);
      if (q.endpoint_id) {
        const ep = await store.getEndpoint(app.id, q.endpoint_id);
        if (!ep) throw new NotFoundError('Endpoint', q.endpoint_id);
        filter.endpointId = ep.id;
      }
      const page = await store.listAttemptsByMessage(
        app.id,
        message.id,
        pageQuery(q, idIterator('attempt'), 'descending'),
        filter,
      );
      return { ...page, data: await attemptsOut(app.id, page.data, q.with_content ?? true, q.with_msg ?? false) };
    },
  );

  api.get(
    '/api/v1/app/:app_id/endpoint/:endpoint_id/msg',
    {
      config: { capability: 'ViewBase' },
      schema: {
        operationId: 'v1.message-attempt.list-attempted-messages',
        tags,
        summary: 'List the messages sent (or being sent) to an endpoint',
        params: EndpointParams,
        querystring: AttemptQuery,
        response: { 200: ref(ListResponseEndpointMessageOut), ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const { app, endpoint } = await requireEndpoint(store, req.params.app_id, req.params.endpoint_id);
      const q = req.query;
      const page = await store.listEndpointMessages(
        app.id,
        endpoint.id,
        pageQuery(q, idIterator('message'), 'descending'),
        attemptFilterOf(q),
      );
      const withContent = q.with_content ?? true;
      return mapPage(page, (v) => endpointMessageOut(v, withContent));
    },
  );

  api.get(
    '/api/v1/app/:app_id/msg/:msg_id/endpoint',
    {
      config: { capability: 'ViewBase' },
      schema: {
        operationId: 'v1.message-attempt.list-attempted-destinations',
        tags,
        summary: 'List the endpoints a message goes to, with their delivery status',
        params: MsgParams,
        querystring: PageQuerySchema,
        response: { 200: ref(ListResponseMessageEndpointOut), ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const { app, message } = await requireMessage(store, req.params.app_id, req.params.msg_id);
      const page = await store.listMessageDestinations(
        app.id,
        message.id,
        pageQuery(req.query, idIterator('endpoint'), 'ascending'),
      );
      return mapPage(page, messageEndpointOut);
    },
  );

  const AttemptParams = Type.Composite([
    MsgParams,
    Type.Object({ attempt_id: Type.String({ minLength: 1, maxLength: 256 }) }),
  ]);

  api.get(
    '/api/v1/app/:app_id/msg/:msg_id/attempt/:attempt_id',
    {
      config: { capability: 'ViewBase' },
      schema: {
        operationId: 'v1.message-attempt.get',
        tags,
        summary: 'Get an attempt',
        params: AttemptParams,
        response: { 200: ref(MessageAttemptOut), ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const { app, message } = await requireMessage(store, req.params.app_id, req.params.msg_id);
      const attempt = await store.getAttempt(app.id, message.id, req.params.attempt_id);
      if (!attempt) throw new NotFoundError('Attempt', req.params.attempt_id);
      return attemptOut(attempt);
    },
  );

  api.delete(
    '/api/v1/app/:app_id/msg/:msg_id/attempt/:attempt_id/content',
    {
      config: { capability: 'all' },
      schema: {
        operationId: 'v1.message-attempt.expunge-content',
        tags,
        summary: "Delete an attempt's response body",
        params: AttemptParams,
        response: { 204: Type.Null(), ...ERROR_RESPONSES },
      },
    },
    async (req, reply) => {
      const { app, message } = await requireMessage(store, req.params.app_id, req.params.msg_id);
      if (!(await store.expungeAttemptContent(app.id, message.id, req.params.attempt_id)))
        throw new NotFoundError('Attempt', req.params.attempt_id);
      return reply.code(204).send(null);
    },
  );

  api.post(
    '/api/v1/app/:app_id/msg/:msg_id/endpoint/:endpoint_id/resend',
    {
      config: { optionalBody: true, capability: 'CreateAttempts' },
      schema: {
        operationId: 'v1.message-attempt.resend',
        tags,
        summary: 'Send a message to an endpoint again now',
        params: Type.Composite([
          MsgParams,
          Type.Object({ endpoint_id: Type.String({ minLength: 1, maxLength: 256 }) }),
        ]),
        headers: IdempotencyHeaders,
        response: { 202: ref(EmptyResponse), ...ERROR_RESPONSES },
      },
    },
    async (req, reply) => {
      const { app, message } = await requireMessage(store, req.params.app_id, req.params.msg_id);
      const endpoint = await store.getEndpoint(app.id, req.params.endpoint_id);
      if (!endpoint) throw new NotFoundError('Endpoint', req.params.endpoint_id);
      if (!(await store.resendDelivery(app.id, message.id, endpoint.id, Date.now())))
        throw new NotFoundError('Message', req.params.msg_id);
      return reply.code(202).send({});
    },
  );
}
