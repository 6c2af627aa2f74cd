import { Type } from '@sinclair/typebox';
import { algorithmOf, displayedSecret } from '../../domain/endpoint-secret.js';
import { NotFoundError, ValidationError } from '../../errors.js';
import type { Api, ApiContext } from '../context.js';
import { resolveSecret } from '../endpoint-input.js';
import { requireEndpoint } from '../lookup.js';
import { newMessage, submitMessage } from '../message-input.js';
import { EndpointParams, ERROR_RESPONSES, IdempotencyHeaders, ref } from '../schemas/common.js';
import {
  EndpointHeadersIn,
  EndpointHeadersOut,
  EndpointHeadersPatchIn,
  EndpointSecretOut,
  EndpointSecretRotateIn,
  EndpointStats,
  EventExampleIn,
} from '../schemas/endpoint.js';
import { MessageOut } from '../schemas/message.js';
import { messageOut } from '../../domain/message-out.js';

const tags = ['Endpoint'];
const DEFAULT_GRACE_S = 86_400;

/** The endpoint sub-resources: headers, secret, stats, send-example (recover and replays: endpoint-replays.ts). */
export function endpointExtraRoutes(api: Api, ctx: ApiContext): void {
  const { store } = ctx;
  const base = '/api/v1/app/:app_id/endpoint/:endpoint_id';

  api.get(
    `${base}/headers`,
    {
      config: { capability: 'ViewBase' },
      schema: {
        operationId: 'v1.endpoint.get-headers',
        tags,
        summary: "Get the endpoint's custom headers",
        params: EndpointParams,
        response: { 200: ref(EndpointHeadersOut), ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const { endpoint } = await requireEndpoint(store, req.params.app_id, req.params.endpoint_id);
      return { headers: endpoint.headers, sensitive: [] };
    },
  );

  api.put(
    `${base}/headers`,
    {
      config: { capability: 'ManageEndpoint' },
      schema: {
        operationId: 'v1.endpoint.update-headers',
        tags,
        summary: "Replace the endpoint's custom headers",
        params: EndpointParams,
        body: ref(EndpointHeadersIn),
        response: { 204: Type.Null(), ...ERROR_RESPONSES },
      },
    },
    async (req, reply) => {
      const { app, endpoint } = await requireEndpoint(store, req.params.app_id, req.params.endpoint_id);
      if (!(await store.updateEndpoint(app.id, endpoint.id, { headers: req.body.headers }, Date.now())))
        throw new NotFoundError('Endpoint', endpoint.id);
      return reply.code(204).send(null);
    },
  );

  api.patch(
    `${base}/headers`,
    {
      config: { capability: 'ManageEndpoint' },
      schema: {
        operationId: 'v1.endpoint.patch-headers',
        tags,
        summary: 'Set or remove some custom headers',
        params: EndpointParams,
        body: ref(EndpointHeadersPatchIn),
        response: { 204: Type.Null(), ...ERROR_RESPONSES },
      },
    },
    async (req, reply) => {
      const { app, endpoint } = await requireEndpoint(store, req.params.app_id, req.params.endpoint_id);
      const headers = { ...endpoint.headers };
      for (const [name, value] of Object.entries(req.body.headers)) {
        if (value === null) delete headers[name];
        else headers[name] = value;
      }
      if (!(await store.updateEndpoint(app.id, endpoint.id, { headers }, Date.now())))
        throw new NotFoundError('Endpoint', endpoint.id);
      return reply.code(204).send(null);
    },
  );

  api.get(
    `${base}/secret`,
    {
      config: { capability: 'ViewEndpointSecret' },
      schema: {
        operationId: 'v1.endpoint.get-secret',
        tags,
        summary: "Get the endpoint's signing secret",
        params: EndpointParams,
        response: { 200: ref(EndpointSecretOut), ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const { endpoint } = await requireEndpoint(store, req.params.app_id, req.params.endpoint_id);
      return { key: displayedSecret(endpoint.secrets[0].key) };
    },
  );

  api.post(
    `${base}/secret/rotate`,
    {
      config: { optionalBody: true, capability: 'ManageEndpointSecret' },
      schema: {
        operationId: 'v1.endpoint.rotate-secret',
        tags,
        summary: "Rotate the endpoint's signing secret",
        description:
          'The new secret signs at once; the old one also signs (a second signature) for `gracePeriodSeconds`. Without `key`, a new secret of the same algorithm is generated.',
        params: EndpointParams,
        headers: IdempotencyHeaders,
        body: ref(EndpointSecretRotateIn),
        response: { 204: Type.Null(), ...ERROR_RESPONSES },
      },
    },
    async (req, reply) => {
      const { app, endpoint } = await requireEndpoint(store, req.params.app_id, req.params.endpoint_id);
      const newKey = resolveSecret(req.body.key, algorithmOf(endpoint.secrets[0].key), ['body', 'key']);
      const graceMs = (req.body.gracePeriodSeconds ?? DEFAULT_GRACE_S) * 1000;
      if (!(await store.rotateEndpointSecret(app.id, endpoint.id, newKey, graceMs, Date.now())))
        throw new NotFoundError('Endpoint', endpoint.id);
      return reply.code(204).send(null);
    },
  );

  api.get(
    `${base}/stats`,
    {
      config: { capability: 'ViewBase' },
      schema: {
        operationId: 'v1.endpoint.get-stats',
        tags,
        summary: 'Delivery counts of the endpoint by status',
        params: EndpointParams,
        querystring: Type.Object({
          since: Type.Optional(Type.String({ format: 'date-time' })),
          until: Type.Optional(Type.String({ format: 'date-time' })),
        }),
        response: { 200: ref(EndpointStats), ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const { app, endpoint } = await requireEndpoint(store, req.params.app_id, req.params.endpoint_id);
      const since = req.query.since ? Date.parse(req.query.since) : null;
      const until = req.query.until ? Date.parse(req.query.until) : null;
      return store.endpointStats(app.id, endpoint.id, since, until);
    },
  );

  api.post(
    `${base}/send-example`,
    {
      config: { capability: 'CreateAttempts' },
      schema: {
        operationId: 'v1.endpoint.send-example',
        tags,
        summary: 'Send an example message to this endpoint only',
        description:
          "The payload is the event type schema's `examples[exampleIndex]` (first schema version), or `{}` when it has none.",
        params: EndpointParams,
        headers: IdempotencyHeaders,
        body: ref(EventExampleIn),
        response: { 202: ref(MessageOut), ...ERROR_RESPONSES },
      },
    },
    async (req, reply) => {
      const { app, endpoint } = await requireEndpoint(store, req.params.app_id, req.params.endpoint_id);
      const eventType = await store.getEventType(req.body.eventType);
      if (!eventType) throw new NotFoundError('Event type', req.body.eventType);
      const payload = exampleOf(eventType.schemas, req.body.exampleIndex ?? 0);
      const input = {
        ...newMessage(app.id, { eventType: eventType.name, payload }, ctx.environment),
        onlyEndpointId: endpoint.id,
      };
      const message = await submitMessage(ctx.outbox, input);
      return reply.code(202).send(messageOut(message));
    },
  );
}

/** `schemas["1"].examples[i]` of the lowest schema version, when it is an object. */
function exampleOf(schemas: Record<string, unknown> | null, index: number): Record<string, unknown> {
  if (!schemas) return {};
  const versions = Object.keys(schemas).sort((a, b) => Number(a) - Number(b));
  const schema = versions.length ? (schemas[versions[0]] as { examples?: unknown }) : undefined;
  const examples = schema && Array.isArray(schema.examples) ? schema.examples : [];
  const ex = examples[index];
  if (ex === undefined && index > 0)
    throw ValidationError.single(
      ['body', 'exampleIndex'],
      `the event type has ${examples.length} example(s)`,
      'value_error',
    );
  return ex && typeof ex === 'object' && !Array.isArray(ex) ? (ex as Record<string, unknown>) : {};
}
