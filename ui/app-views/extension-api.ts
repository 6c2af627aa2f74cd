import type { Client } from 'openapi-fetch';
import type { Api, paths } from '../shared/api.js';

/**
 * Routes of issue 17's contract (/work/contract-17.md) that the generated client does not know
 * yet, typed by hand in openapi-typescript's shape. Drop each one once `npm run generate -w
 * packages/sdk` includes it.
 */
export type StatisticsPeriod = 'OneDay' | 'OneHour' | 'FiveMinutes';

/** Svix `AttemptStatisticsResponse`: one entry per period bucket from `startDate`. */
export interface AttemptStatisticsResponse {
  startDate: string;
  endDate: string;
  period: StatisticsPeriod;
  data: { successCount?: number[] | null; failureCount?: number[] | null; canceledCount?: number[] | null };
}

export interface PollerConsumerOut {
  consumerId: string;
  position: string | null;
  updatedAt: string | null;
}

export interface PollerConsumerList {
  data: PollerConsumerOut[];
}

interface JsonResponse<T> {
  headers: Record<string, unknown>;
  content: { 'application/json': T };
}

interface ExtensionPaths {
  '/api/v1/stats/app/{app_id}/attempt': {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: {
        query?: {
          startDate?: string;
          endDate?: string;
          period?: StatisticsPeriod;
          event_types?: string[];
          endpointId?: string;
        };
        header?: never;
        path: { app_id: string };
        cookie?: never;
      };
      requestBody?: never;
      responses: { 200: JsonResponse<AttemptStatisticsResponse> };
    };
  };
  '/api/v1/app/{app_id}/poller/{sink_id}/consumer': {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: { query?: never; header?: never; path: { app_id: string; sink_id: string }; cookie?: never };
      requestBody?: never;
      responses: { 200: JsonResponse<PollerConsumerList> };
    };
  };
}

export type ExtendedApi = Client<paths & ExtensionPaths>;

/** The same client, also typed for the routes above. */
export function extended(api: Api): ExtendedApi {
  return api as unknown as ExtendedApi;
}
