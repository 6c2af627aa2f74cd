import { Webhook, WebhookVerificationError as LibraryError } from 'standardwebhooks';
import { WebhookVerificationError, type VerificationFailureReason } from './webhook-verification-error.js';
import type { WebhookHeaders } from './webhook-headers.js';

/**
 * `v1` (HMAC-SHA256) verification for `whsec_` secrets, delegated to the Standard Webhooks
 * reference library so the wire format (signed content, base64, space-separated signatures,
 * 5-minute tolerance, constant-time compare) is exactly the standard's, not our reading of it.
 * What this file adds is turning the library's message-only errors into stable reason codes.
 */

// The library's messages (standardwebhooks 1.x) and what each means for a receiver.
const LIBRARY_REASONS: Record<string, VerificationFailureReason> = {
  'Missing required headers': 'missing_header',
  'Invalid Signature Headers': 'invalid_signature',
  'Message timestamp too old': 'timestamp_too_old',
  'Message timestamp too new': 'timestamp_too_new',
  'No matching signature found': 'invalid_signature',
};

export function createHmacVerifier(secret: string): (payload: string | Buffer, headers: WebhookHeaders) => void {
  let webhook: Webhook;
  try {
    webhook = new Webhook(secret);
  } catch (error) {
    throw new WebhookVerificationError('invalid_secret', `not a usable whsec_ secret: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return (payload, headers) => {
    try {
      // jsonParse off: parsing is the caller's business (and must not be mistaken for a bad signature).
      webhook.verify(
        payload,
        {
          'webhook-id': headers.id ?? '',
          'webhook-timestamp': headers.timestamp ?? '',
          'webhook-signature': headers.signature ?? '',
        },
        { jsonParse: false },
      );
    } catch (error) {
      const reason = error instanceof LibraryError ? LIBRARY_REASONS[error.message] : undefined;
      throw new WebhookVerificationError(reason ?? 'invalid_signature', (error as Error).message, { cause: error });
    }
  };
}
