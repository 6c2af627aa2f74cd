import { Type } from '@sinclair/typebox';
import type { Application, Endpoint } from '../../domain/model.js';
import type { OperationalEventType } from '../../domain/operational-webhooks.js';
import { NotFoundError } from '../../errors.js';
import { newId } from '../../ids.js';
import type { EndpointUpdate as StoreEndpointUpdate } from '../../store/store.js';
import type { Api, ApiContext } from '../context.js';
import { aliases, checkEndpointUrl, resolveSecret } from '../endpoint-input.js';
import { checkFilterTypes } from '../filter-types.js';
import { requireApp, requireEndpoint } from '../lookup.js';
import { idIterator, mapPage, pageQuery } from '../pagination.js';
import {
  AppIdParams,
  ERROR_RESPONSES,
  EndpointParams,
  IdempotencyHeaders,
  OrderedPageQuery,
  ref,
} from '../schemas/common.js';
import {
  EndpointIn,
  EndpointOut,
  EndpointPatch,
  EndpointUpdate,
  ListResponseEndpointOut,
} from '../schemas/endpoint.js';
import { endpointOut } from '../serializers.js';

const tags = ['Endpoint'];

export function endpointRoutes(api: Api, ctx: ApiContext): void {
  const { store, config } = ctx;

  const emit = async (type: OperationalEventType, app: Application, ep: Endpoint) => {
    await ctx.operational?.emit(type, { appId: app.id, appUid: app.uid, endpointId: ep.id, endpointUid: ep.uid });
  };

  api.get(
    '/api/v1/app/:app_id/endpoint',
    {
      config: { capability: 'ViewBase' },
      schema: {
        operationId: 'v1.endpoint.list',
        tags,
        summary: 'List endpoints',
        params: AppIdParams,
        querystring: OrderedPageQuery,
        response: { 200: ref(ListResponseEndpointOut), ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const app = await requireApp(store, req.params.app_id);
      const page = await store.listEndpoints(app.id, pageQuery(req.query, idIterator('endpoint'), 'ascending'));
      return mapPage(page, endpointOut);
    },
  );

  api.post(
    '/api/v1/app/:app_id/endpoint',
    {
      config: { capability: 'ManageEndpoint' },
      schema: {
        operationId: 'v1.endpoint.create',
        tags,
        summary: 'Create an endpoint',
        description:
          'Hookrelay extensions: `kind`, `format`, `cloudEventsHandshake`, `svixHeaders`, `ordered`, `signingAlgorithm`, and ed25519 `whsk_` secrets.',
        params: AppIdParams,
        headers: IdempotencyHeaders,
        body: ref(EndpointIn),
        response: { 201: ref(EndpointOut), ...ERROR_RESPONSES },
      },
    },
    async (req, reply) => {
      const app = await requireApp(store, req.params.app_id);
      const b = req.body;
      const kind = b.kind ?? 'url';
      const url = checkEndpointUrl(kind, b.url, config.allowNetworks);
      const secret = resolveSecret(b.secret, b.signingAlgorithm);
      const { filterTypes, rateLimit } = aliases(b);
      await checkFilterTypes(store, app, filterTypes, config.operationalApp);
      const endpoint = await store.createEndpoint({
        id: newId('endpoint'),
        appId: app.id,
        uid: b.uid ?? null,
        kind,
        url,
        description: b.description ?? '',
        version: b.version ?? 1,
        filterTypes: filterTypes ?? null,
        channels: b.channels ?? null,
        rateLimit: rateLimit ?? null,
        disabled: b.disabled ?? false,
        metadata: b.metadata ?? {},
        headers: b.headers ?? {},
        format: b.format ?? 'standard',
        cloudEventsHandshake: b.cloudEventsHandshake ?? false,
        ordered: b.ordered ?? false,
        svixHeaders: b.svixHeaders ?? null,
        secret,
        now: Date.now(),
      });
      await emit('endpoint.created', app, endpoint);
      return reply.code(201).send(endpointOut(endpoint));
    },
  );

  api.get(
    '/api/v1/app/:app_id/endpoint/:endpoint_id',
    {
      config: { capability: 'ViewBase' },
      schema: {
        operationId: 'v1.endpoint.get',
        tags,
        summary: 'Get an endpoint',
        params: EndpointParams,
        response: { 200: ref(EndpointOut), ...ERROR_RESPONSES },
      },
    },
    async (req) => endpointOut((await requireEndpoint(store, req.params.app_id, req.params.endpoint_id)).endpoint),
  );

  const save = async (app: Application, endpoint: Endpoint, update: StoreEndpointUpdate) => {
    const updated = await store.updateEndpoint(app.id, endpoint.id, update, Date.now());
    if (!updated) throw new NotFoundError('Endpoint', endpoint.id);
    await emit('endpoint.updated', app, updated);
    return endpointOut(updated);
  };

  api.put(
    '/api/v1/app/:app_id/endpoint/:endpoint_id',
    {
      config: { capability: 'ManageEndpoint' },
      schema: {
        operationId: 'v1.endpoint.update',
        tags,
        summary: 'Update an endpoint',
        params: EndpointParams,
        body: ref(EndpointUpdate),
        response: { 200: ref(EndpointOut), ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const { app, endpoint } = await requireEndpoint(store, req.params.app_id, req.params.endpoint_id);
      const b = req.body;
      const { filterTypes, rateLimit } = aliases(b);
      await checkFilterTypes(store, app, filterTypes, config.operationalApp);
      const update: StoreEndpointUpdate = {
        url: checkEndpointUrl(endpoint.kind, b.url, config.allowNetworks),
        description: b.description ?? '',
        version: b.version ?? 1,
        filterTypes: filterTypes ?? null,
        channels: b.channels ?? null,
        rateLimit: rateLimit ?? null,
        disabled: b.disabled ?? false,
        metadata: b.metadata ?? {},
      };
      if (b.uid !== undefined) update.uid = b.uid;
      applyExtensions(b, update);
      if (!update.disabled) update.failingSince = null; // re-enabling starts a fresh failure window
      return save(app, endpoint, update);
    },
  );

  api.patch(
    '/api/v1/app/:app_id/endpoint/:endpoint_id',
    {
      config: { capability: 'ManageEndpoint' },
      schema: {
        operationId: 'v1.endpoint.patch',
        tags,
        summary: 'Patch an endpoint',
        params: EndpointParams,
        body: ref(EndpointPatch),
        response: { 200: ref(EndpointOut), ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const { app, endpoint } = await requireEndpoint(store, req.params.app_id, req.params.endpoint_id);
      const b = req.body;
      const { filterTypes, rateLimit } = aliases(b);
      await checkFilterTypes(store, app, filterTypes, config.operationalApp);
      const update: StoreEndpointUpdate = {};
      if (b.url !== undefined) update.url = checkEndpointUrl(endpoint.kind, b.url, config.allowNetworks);
      if (b.uid !== undefined) update.uid = b.uid;
      if (b.description !== undefined) update.description = b.description;
      if (b.version !== undefined) update.version = b.version ?? 1;
      if (filterTypes !== undefined) update.filterTypes = filterTypes;
      if (b.channels !== undefined) update.channels = b.channels;
      if (rateLimit !== undefined) update.rateLimit = rateLimit;
      if (b.disabled !== undefined) update.disabled = b.disabled;
      if (b.disabled === false) update.failingSince = null;
      if (b.metadata !== undefined) update.metadata = b.metadata;
      applyExtensions(b, update);
      return save(app, endpoint, update);
    },
  );

  api.delete(
    '/api/v1/app/:app_id/endpoint/:endpoint_id',
    {
      config: { capability: 'ManageEndpoint' },
      schema: {
        operationId: 'v1.endpoint.delete',
        tags,
        summary: 'Delete an endpoint',
        params: EndpointParams,
        response: { 204: Type.Null(), ...ERROR_RESPONSES },
      },
    },
    async (req, reply) => {
      const { app, endpoint } = await requireEndpoint(store, req.params.app_id, req.params.endpoint_id);
      if (!(await store.deleteEndpoint(app.id, endpoint.id)))
        throw new NotFoundError('Endpoint', req.params.endpoint_id);
      await emit('endpoint.deleted', app, endpoint);
      return reply.code(204).send(null);
    },
  );
}

/** Hookrelay's endpoint extensions, when given, in PUT and PATCH alike. */
function applyExtensions(
  b: {
    format?: StoreEndpointUpdate['format'];
    cloudEventsHandshake?: boolean;
    svixHeaders?: boolean | null;
    ordered?: boolean;
  },
  update: StoreEndpointUpdate,
): void {
  if (b.format !== undefined) update.format = b.format;
  if (b.cloudEventsHandshake !== undefined) update.cloudEventsHandshake = b.cloudEventsHandshake;
  if (b.svixHeaders !== undefined) update.svixHeaders = b.svixHeaders;
  if (b.ordered !== undefined) update.ordered = b.ordered;
}
