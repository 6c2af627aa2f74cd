import { Type } from '@sinclair/typebox';
import type { Application, Endpoint } from '../../domain/model.js';
import { algorithmOf, displayedSecret } from '../../domain/endpoint-secret.js';
import { ConflictError, NotFoundError } from '../../errors.js';
import { looksLikeId, newId } from '../../ids.js';
import type { EndpointUpdate } from '../../store/store.js';
import type { Api, ApiContext } from '../context.js';
import { checkEndpointUrl, resolveSecret } from '../endpoint-input.js';
import { idIterator, mapPage, pageQuery } from '../pagination.js';
import { ERROR_RESPONSES, IdempotencyHeaders, OrderedPageQuery, ref } from '../schemas/common.js';
import {
  ListResponseOperationalWebhookEndpointOut,
  OperationalWebhookEndpointHeadersIn,
  OperationalWebhookEndpointHeadersOut,
  OperationalWebhookEndpointIn,
  OperationalWebhookEndpointOut,
  OperationalWebhookEndpointSecretIn,
  OperationalWebhookEndpointSecretOut,
  OperationalWebhookEndpointUpsertIn,
} from '../schemas/operational-webhook.js';
import { iso } from '../../domain/iso-time.js';

const tags = ['Operational Webhook Endpoint'];
const DEFAULT_GRACE_S = 86_400;
const Params = Type.Object({
  endpoint_id: Type.String({ minLength: 1, maxLength: 256, description: 'The endpoint ID or uid.' }),
});

/** The hosted API's names first (`eventTypes`, `throttleRate`), then the svix SDK 1.x's. */
function fieldsOf(b: {
  eventTypes?: string[] | null;
  filterTypes?: string[] | null;
  throttleRate?: number | null;
  rateLimit?: number | null;
}) {
  return {
    filterTypes: (b.eventTypes !== undefined ? b.eventTypes : b.filterTypes) ?? null,
    rateLimit: (b.throttleRate !== undefined ? b.throttleRate : b.rateLimit) ?? null,
  };
}

function operationalEndpointOut(ep: Endpoint) {
  return {
    id: ep.id,
    url: ep.url,
    description: ep.description,
    throttleRate: ep.rateLimit,
    rateLimit: ep.rateLimit,
    uid: ep.uid,
    disabled: ep.disabled,
    eventTypes: ep.filterTypes,
    filterTypes: ep.filterTypes,
    createdAt: iso(ep.createdAt),
    updatedAt: iso(ep.updatedAt),
    metadata: ep.metadata,
  };
}

/**
 * Svix's operational webhook endpoints: the endpoints of the operational application
 * (HOOKRELAY_OPERATIONAL_APP), which receives `endpoint.*` and `message.attempt.*` events
 * (domain/operational-webhooks.ts). The application is created by the first endpoint created
 * here; until then the list is empty and every endpoint is unknown. Admin only.
 */
export function operationalWebhookEndpointRoutes(api: Api, ctx: ApiContext): void {
  const { store, config } = ctx;
  const base = '/api/v1/operational-webhook/endpoint';

  const existingApp = () => store.getApplication(config.operationalApp);

  /** The operational application, created under the configured uid (or ID) when missing. */
  async function ensureApp(): Promise<Application> {
    const found = await existingApp();
    if (found) return found;
    const asId = looksLikeId('application', config.operationalApp);
    try {
      return await store.createApplication({
        id: asId ? config.operationalApp : newId('application'),
        uid: asId ? null : config.operationalApp,
        name: 'Operational webhooks',
        rateLimit: null,
        metadata: {},
        now: Date.now(),
      });
    } catch (err) {
      // Another request created it first.
      if (err instanceof ConflictError) {
        const raced = await existingApp();
        if (raced) return raced;
      }
      throw err;
    }
  }

  async function requireOperationalEndpoint(idOrUid: string): Promise<{ app: Application; endpoint: Endpoint }> {
    const app = await existingApp();
    const endpoint = app && (await store.getEndpoint(app.id, idOrUid));
    if (!app || !endpoint) throw new NotFoundError('Operational webhook endpoint', idOrUid);
    return { app, endpoint };
  }

  api.get(
    base,
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'v1.operational-webhook.endpoint.list',
        tags,
        summary: 'List operational webhook endpoints',
        querystring: OrderedPageQuery,
        response: { 200: ref(ListResponseOperationalWebhookEndpointOut), ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const query = pageQuery(req.query, idIterator('endpoint'), 'ascending');
      const app = await existingApp();
      if (!app) return { data: [], iterator: null, prevIterator: null, done: true };
      return mapPage(await store.listEndpoints(app.id, query), operationalEndpointOut);
    },
  );

  api.post(
    base,
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'v1.operational-webhook.endpoint.create',
        tags,
        summary: 'Create an operational webhook endpoint',
        description: 'Creates the operational application first when it does not exist yet.',
        headers: IdempotencyHeaders,
        body: ref(OperationalWebhookEndpointIn),
        response: { 201: ref(OperationalWebhookEndpointOut), ...ERROR_RESPONSES },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const url = checkEndpointUrl('url', b.url, config.allowNetworks);
      const secret = resolveSecret(b.secret, 'hmac-sha256');
      const app = await ensureApp();
      const endpoint = await store.createEndpoint({
        id: newId('endpoint'),
        appId: app.id,
        uid: b.uid ?? null,
        kind: 'url',
        url,
        description: b.description ?? '',
        version: 1,
        ...fieldsOf(b),
        channels: null,
        disabled: b.disabled ?? false,
        metadata: b.metadata ?? {},
        headers: b.headers ?? {},
        format: 'standard',
        cloudEventsHandshake: false,
        svixHeaders: null,
        secret,
        now: Date.now(),
      });
      return reply.code(201).send(operationalEndpointOut(endpoint));
    },
  );

  api.get(
    `${base}/:endpoint_id`,
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'v1.operational-webhook.endpoint.get',
        tags,
        summary: 'Get an operational webhook endpoint',
        params: Params,
        response: { 200: ref(OperationalWebhookEndpointOut), ...ERROR_RESPONSES },
      },
    },
    async (req) => operationalEndpointOut((await requireOperationalEndpoint(req.params.endpoint_id)).endpoint),
  );

  api.put(
    `${base}/:endpoint_id`,
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'v1.operational-webhook.endpoint.upsert',
        tags,
        summary: 'Create or update an operational webhook endpoint',
        description:
          "Replaces the endpoint's settings (omitted fields take their defaults). An unknown uid in the path creates the endpoint with that uid (201); an unknown ID is a 404.",
        params: Params,
        body: ref(OperationalWebhookEndpointUpsertIn),
        response: {
          200: ref(OperationalWebhookEndpointOut),
          201: ref(OperationalWebhookEndpointOut),
          ...ERROR_RESPONSES,
        },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const pathId = req.params.endpoint_id;
      const url = checkEndpointUrl('url', b.url, config.allowNetworks);
      const app = await existingApp();
      const current = app && (await store.getEndpoint(app.id, pathId));
      if (app && current) {
        const update: EndpointUpdate = {
          url,
          description: b.description ?? '',
          ...fieldsOf(b),
          disabled: b.disabled ?? false,
          metadata: b.metadata ?? {},
        };
        if (b.uid !== undefined) update.uid = b.uid;
        if (!update.disabled) update.failingSince = null; // re-enabling starts a fresh failure window
        const updated = await store.updateEndpoint(app.id, current.id, update, Date.now());
        if (!updated) throw new NotFoundError('Operational webhook endpoint', pathId);
        return operationalEndpointOut(updated);
      }
      if (looksLikeId('endpoint', pathId)) throw new NotFoundError('Operational webhook endpoint', pathId);
      const created = await store.createEndpoint({
        id: newId('endpoint'),
        appId: (await ensureApp()).id,
        uid: b.uid ?? pathId,
        kind: 'url',
        url,
        description: b.description ?? '',
        version: 1,
        ...fieldsOf(b),
        channels: null,
        disabled: b.disabled ?? false,
        metadata: b.metadata ?? {},
        headers: {},
        format: 'standard',
        cloudEventsHandshake: false,
        svixHeaders: null,
        secret: resolveSecret(null, 'hmac-sha256'),
        now: Date.now(),
      });
      return reply.code(201).send(operationalEndpointOut(created));
    },
  );

  api.delete(
    `${base}/:endpoint_id`,
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'v1.operational-webhook.endpoint.delete',
        tags,
        summary: 'Delete an operational webhook endpoint',
        params: Params,
        response: { 204: Type.Null(), ...ERROR_RESPONSES },
      },
    },
    async (req, reply) => {
      const { app, endpoint } = await requireOperationalEndpoint(req.params.endpoint_id);
      if (!(await store.deleteEndpoint(app.id, endpoint.id)))
        throw new NotFoundError('Operational webhook endpoint', req.params.endpoint_id);
      return reply.code(204).send(null);
    },
  );

  api.get(
    `${base}/:endpoint_id/secret`,
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'v1.operational-webhook.endpoint.get-secret',
        tags,
        summary: "Get an operational webhook endpoint's signing secret",
        params: Params,
        response: { 200: ref(OperationalWebhookEndpointSecretOut), ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const { endpoint } = await requireOperationalEndpoint(req.params.endpoint_id);
      return { key: displayedSecret(endpoint.secrets[0].key) };
    },
  );

  api.post(
    `${base}/:endpoint_id/secret/rotate`,
    {
      config: { access: 'admin', optionalBody: true },
      schema: {
        operationId: 'v1.operational-webhook.endpoint.rotate-secret',
        tags,
        summary: "Rotate an operational webhook endpoint's signing secret",
        description:
          'The new secret signs at once; the old one also signs for `gracePeriodSeconds` (Default: 86400). Without `key`, a new secret is generated.',
        params: Params,
        headers: IdempotencyHeaders,
        body: ref(OperationalWebhookEndpointSecretIn),
        response: { 204: Type.Null(), ...ERROR_RESPONSES },
      },
    },
    async (req, reply) => {
      const { app, endpoint } = await requireOperationalEndpoint(req.params.endpoint_id);
      const newKey = resolveSecret(req.body.key, algorithmOf(endpoint.secrets[0].key), ['body', 'key']);
      const graceMs = (req.body.gracePeriodSeconds ?? DEFAULT_GRACE_S) * 1000;
      if (!(await store.rotateEndpointSecret(app.id, endpoint.id, newKey, graceMs, Date.now())))
        throw new NotFoundError('Operational webhook endpoint', endpoint.id);
      return reply.code(204).send(null);
    },
  );

  api.get(
    `${base}/:endpoint_id/headers`,
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'v1.operational-webhook.endpoint.get-headers',
        tags,
        summary: "Get an operational webhook endpoint's custom headers",
        params: Params,
        response: { 200: ref(OperationalWebhookEndpointHeadersOut), ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const { endpoint } = await requireOperationalEndpoint(req.params.endpoint_id);
      return { headers: endpoint.headers, sensitive: [] };
    },
  );

  api.put(
    `${base}/:endpoint_id/headers`,
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'v1.operational-webhook.endpoint.set-headers',
        tags,
        summary: "Replace an operational webhook endpoint's custom headers",
        params: Params,
        body: ref(OperationalWebhookEndpointHeadersIn),
        response: { 204: Type.Null(), ...ERROR_RESPONSES },
      },
    },
    async (req, reply) => {
      const { app, endpoint } = await requireOperationalEndpoint(req.params.endpoint_id);
      if (!(await store.updateEndpoint(app.id, endpoint.id, { headers: req.body.headers }, Date.now()))) {
        throw new NotFoundError('Operational webhook endpoint', req.params.endpoint_id);
      }
      return reply.code(204).send(null);
    },
  );
}
