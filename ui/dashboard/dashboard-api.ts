import type { Client } from 'openapi-fetch';
import type { Api, paths } from '../shared/api.js';
import { useApi } from '../shared/api-context.js';

/**
 * Operator routes of issue 17's contract (/work/contract-17.md, section B) that the generated
 * client does not know yet, typed by hand in openapi-typescript's shape. Drop each one once
 * `npm run generate -w packages/sdk` includes it.
 */

/** `GET /stats/overview`: the last `minutes` of deliveries, latency, queue and endpoint health. */
export interface StatsOverview {
  since: string;
  until: string;
  /** Every minute of the window, oldest first (the last one is the current, partial minute). */
  perMinute: Array<{ minute: string; succeeded: number; failed: number; retrying: number }>;
  /** First attempt minus the time the message was due, over the deliveries first attempted in the window. */
  latencyMs: { p50: number | null; p99: number | null; count: number };
  /** `oldestPendingAgeMs` 0: nothing is due. */
  queue: { depth: number; oldestPendingAgeMs: number };
  endpoints: { total: number; disabled: number; failing: number };
  apps: { total: number };
}

export interface AppHealth {
  appId: string;
  success: number;
  failure: number;
  /** success ÷ (success + failure); null without attempts. */
  successRate: number | null;
  failingEndpoints: number;
  disabledEndpoints: number;
}

export interface FailingEndpoint {
  appId: string;
  appUid: string | null;
  appName: string;
  endpointId: string;
  endpointUid: string | null;
  url: string;
  disabled: boolean;
  failingSince: string;
  /** The latest attempt's delivery has no retry left. */
  exhausted: boolean;
  lastAttempt: { id: string; msgId: string; responseStatusCode: number; response: string; timestamp: string } | null;
}

/** The events an operational webhook can subscribe to (Svix's list). */
export const OPERATIONAL_EVENT_TYPES = [
  'endpoint.created', 'endpoint.updated', 'endpoint.deleted', 'endpoint.disabled',
  'message.attempt.failing', 'message.attempt.exhausted', 'message.attempt.recovered',
] as const;

export type OperationalEventType = (typeof OPERATIONAL_EVENT_TYPES)[number];

export interface OperationalWebhookEndpointOut {
  id: string;
  url: string;
  description: string;
  throttleRate: number | null;
  uid: string | null;
  disabled: boolean;
  eventTypes: string[] | null;
  createdAt: string;
  updatedAt: string;
  metadata: Record<string, string>;
}

export interface OperationalWebhookEndpointIn {
  url: string;
  description: string;
  throttleRate?: number | null;
  disabled: boolean;
  /** null: every event type. */
  eventTypes?: OperationalEventType[] | null;
}

interface ListResponse<T> {
  data: T[];
  iterator: string | null;
  prevIterator?: string | null;
  done: boolean;
}

type ListQuery = { limit?: number; iterator?: string | null };

interface JsonResponse<T> {
  headers: Record<string, unknown>;
  content: { 'application/json': T };
}

interface NoContent {
  headers: Record<string, unknown>;
  content?: never;
}

/** An operation in openapi-typescript's shape: path parameters (or none), query, JSON body. */
interface Operation<Path, Query, Responses> {
  parameters: { query?: Query; header?: never; cookie?: never } & (Path extends NoPath ? { path?: never } : { path: Path });
  responses: Responses;
}
/** An operation without a request body. */
type Read<Path, Query, Responses> = Operation<Path, Query, Responses> & { requestBody?: never };
/** An operation with a JSON request body. */
type Write<Path, Body, Responses> = Operation<Path, never, Responses> & { requestBody: { content: { 'application/json': Body } } };
type NoPath = 'none';
type NoParams = { query?: never; header?: never; path?: never; cookie?: never };
type OpPath = { endpoint_id: string };

interface DashboardPaths {
  '/api/v1/stats/overview': {
    parameters: NoParams;
    get: Read<NoPath, { minutes?: number }, { 200: JsonResponse<StatsOverview> }>;
  };
  '/api/v1/stats/app-health': {
    parameters: NoParams;
    get: Read<NoPath, { appIds: string; since?: string }, { 200: JsonResponse<{ data: AppHealth[] }> }>;
  };
  '/api/v1/stats/failing-endpoints': {
    parameters: NoParams;
    get: Read<NoPath, ListQuery & { appId?: string }, { 200: JsonResponse<ListResponse<FailingEndpoint>> }>;
  };
  '/api/v1/operational-webhook/endpoint': {
    parameters: NoParams;
    get: Read<NoPath, ListQuery, { 200: JsonResponse<ListResponse<OperationalWebhookEndpointOut>> }>;
    post: Write<NoPath, OperationalWebhookEndpointIn, { 201: JsonResponse<OperationalWebhookEndpointOut> }>;
  };
  '/api/v1/operational-webhook/endpoint/{endpoint_id}': {
    parameters: NoParams;
    put: Write<OpPath, OperationalWebhookEndpointIn, { 200: JsonResponse<OperationalWebhookEndpointOut> }>;
    delete: Read<OpPath, undefined, { 204: NoContent }>;
  };
  '/api/v1/operational-webhook/endpoint/{endpoint_id}/secret': {
    parameters: NoParams;
    get: Read<OpPath, undefined, { 200: JsonResponse<{ key: string }> }>;
  };
}

/** Hookrelay's `search` on Svix's application list (id exact, uid/name substring). */
interface ApplicationSearch {
  '/api/v1/app': {
    get: { parameters: { query?: { search?: string } } };
  };
}

export type DashboardApi = Client<paths & DashboardPaths & ApplicationSearch>;

/** The session's client, also typed for the operator routes above. */
export function dashboardApi(api: Api): DashboardApi {
  return api as unknown as DashboardApi;
}

export function useDashboardApi(): DashboardApi {
  return dashboardApi(useApi());
}
