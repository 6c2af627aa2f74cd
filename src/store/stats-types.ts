// The operator statistics the Store answers (store.ts re-exports them).
import type { Attempt, Endpoint, Application } from '../domain/model.js';
import type { AppId, EndpointId } from '../ids.js';

/** `search` on the application list: the ID exactly, or a case-insensitive substring of the uid or name. */
export interface ApplicationFilter {
  search?: string;
}

/** [since, until) in epoch ms. */
export interface TimeRange {
  since: number;
  until: number;
}

/**
 * Attempts of one app made in a time range. Reads seek the attempts' IDs by time
 * (src/store/id-range.ts), so their cost follows the attempts in the range, not the table.
 */
export interface AttemptCountQuery extends TimeRange {
  endpointId?: EndpointId;
  /** Only attempts of messages of these event types. */
  eventTypes?: string[];
}

export interface AttemptCounts {
  success: number;
  failure: number;
}

/** Deliveries of every app in one minute, by what the attempt meant for its delivery. */
export interface DeliveryMinute {
  /** Start of the minute, epoch ms. */
  minute: number;
  succeeded: number;
  /** Failed attempts after which the delivery gave up (it is failed and this was its last attempt). */
  failed: number;
  /** Other failed attempts: a retry followed or is scheduled. */
  retrying: number;
}

export interface CatalogTotals {
  apps: number;
  endpoints: number;
  disabledEndpoints: number;
  /** Endpoints with `failingSince` set (disabled or not). */
  failingEndpoints: number;
}

export interface AppHealth extends AttemptCounts {
  appId: AppId;
  failingEndpoints: number;
  disabledEndpoints: number;
}

/** An endpoint whose current run of failures has not ended (`failingSince` set). */
export interface FailingEndpoint {
  app: Application;
  endpoint: Endpoint;
  /** The endpoint's latest attempt. */
  lastAttempt: Attempt | null;
  /** The latest attempt's delivery is failed for good: its retries are used up. */
  exhausted: boolean;
}
