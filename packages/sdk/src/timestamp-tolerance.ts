import { WebhookVerificationError } from './webhook-verification-error.js';

/** Standard Webhooks' tolerance: a timestamp further than this from now is refused. */
export const TOLERANCE_SECONDS = 5 * 60;

/**
 * Parses `webhook-timestamp` and checks it lies within `toleranceSeconds` of now, with the same
 * outcomes as the standardwebhooks library for the default tolerance. 0 skips the range check
 * (re-checking a stored capture) but the header must still be a number: it is signed content.
 */
export function checkTimestamp(header: string, toleranceSeconds = TOLERANCE_SECONDS, nowMs = Date.now()): number {
  const timestamp = /^\d+$/.test(header) ? Number(header) : Number.NaN;
  if (!Number.isSafeInteger(timestamp))
    throw new WebhookVerificationError('invalid_signature', 'webhook-timestamp is not a number');
  if (toleranceSeconds === 0) return timestamp;
  const now = Math.floor(nowMs / 1000);
  if (now - timestamp > toleranceSeconds)
    throw new WebhookVerificationError('timestamp_too_old', 'Message timestamp too old');
  if (timestamp > now + toleranceSeconds)
    throw new WebhookVerificationError('timestamp_too_new', 'Message timestamp too new');
  return timestamp;
}
