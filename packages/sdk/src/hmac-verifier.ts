import { timingSafeEqual } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { WebhookVerificationError } from './webhook-verification-error.js';
import { signaturesOf, type SignedContent } from './signed-content.js';

/**
 * `v1` (HMAC-SHA256) signatures of `whsec_` secrets. The expected signature comes from the
 * Standard Webhooks reference library's signer, so the signed content and encoding are the
 * standard's, not our reading of it; the timestamp rule is applied before (timestamp-tolerance.ts)
 * because the library's own check cannot be given another tolerance.
 */
export function createHmacVerifier(secret: string): (content: SignedContent) => void {
  let webhook: Webhook;
  try {
    webhook = new Webhook(secret);
  } catch (error) {
    throw new WebhookVerificationError('invalid_secret', `not a usable whsec_ secret: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return ({ id, timestamp, body, signatures }) => {
    const expected = Buffer.from(webhook.sign(id, new Date(timestamp * 1000), body).slice('v1,'.length), 'base64');
    for (const signature of signaturesOf(signatures, 'v1')) {
      const presented = Buffer.from(signature, 'base64');
      if (presented.length === expected.length && timingSafeEqual(presented, expected)) return;
    }
    throw new WebhookVerificationError('invalid_signature', 'No matching signature found');
  };
}
