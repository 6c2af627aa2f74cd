import type { components } from '../shared/api.js';

type Schemas = components['schemas'];

/** `GET /stats/overview`: the last `minutes` of deliveries, latency, queue and endpoint health. */
export type StatsOverview = Schemas['StatsOverviewOut'];
export type AppHealth = Schemas['AppHealthOut'];
export type FailingEndpoint = Schemas['FailingEndpointOut'];
export type OperationalWebhookEndpointOut = Schemas['OperationalWebhookEndpointOut'];
export type OperationalWebhookEndpointIn = Schemas['OperationalWebhookEndpointIn'];
export type OperationalEventType = NonNullable<OperationalWebhookEndpointIn['eventTypes']>[number];

/** The events an operational webhook can subscribe to (Svix's list and Hookrelay's `message.ordering.blocked`), in the order the form shows them. */
export const OPERATIONAL_EVENT_TYPES: readonly OperationalEventType[] = [
  'endpoint.created',
  'endpoint.updated',
  'endpoint.deleted',
  'endpoint.disabled',
  'message.attempt.failing',
  'message.attempt.exhausted',
  'message.attempt.recovered',
  'message.ordering.blocked',
];
