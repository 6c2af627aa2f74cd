import { failureReasonOf, type FailureReason } from '../domain/failure-reason.js';
import type { SendResult } from './sender.js';

/**
 * What one attempt's result means: any 2xx is a success; everything else — 3xx (never
 * followed), 4xx, 5xx, timeouts, resets, blocked destinations — is a failure. 410 Gone also
 * disables the endpoint (the receiver said it is gone for good). On 429 and 503 a
 * Retry-After header (seconds or an HTTP date) is passed on to the retry policy.
 */

export interface Classification {
  success: boolean;
  /** 0 when no response arrived. */
  statusCode: number;
  /** The response body (already limited), or the failure reason. */
  response: string;
  durationMs: number;
  disableEndpoint: boolean;
  /** Delay the receiver asked for, in ms; null when absent, invalid or not a 429/503. */
  retryAfterMs: number | null;
  /** No retry can succeed (the payload is gone): fail without using up the schedule. */
  permanent?: boolean;
  /** Why it failed (failure-reason.ts); null on success. */
  reason: FailureReason | null;
}

/** Retry-After as delay in ms: delta-seconds or an HTTP date (a past date is 0); null if unparseable. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (value === null) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  // HTTP-date (IMF-fixdate and the obsolete forms Date.parse also reads); require a weekday or month name.
  if (!/[a-z]{3}/i.test(v)) return null;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now);
}

export function classify(result: SendResult, now: number): Classification {
  if (result.kind === 'error') {
    return {
      success: false,
      statusCode: 0,
      response: result.error,
      durationMs: result.durationMs,
      disableEndpoint: false,
      retryAfterMs: null,
      reason: failureReasonOf(0, result.error),
    };
  }
  const code = result.statusCode;
  const success = code >= 200 && code < 300;
  return {
    success,
    statusCode: code,
    response: result.body,
    durationMs: result.durationMs,
    disableEndpoint: code === 410,
    retryAfterMs: code === 429 || code === 503 ? parseRetryAfter(result.retryAfter, now) : null,
    reason: success ? null : 'http_status',
  };
}
