import { WebhookVerificationError, type VerificationFailureReason } from './webhook-verification-error.js';

/** The JSON body every middleware answers a rejected delivery with, shaped like Hookrelay's API errors. */
export interface RejectionBody {
  code: VerificationFailureReason | 'payload_too_large';
  detail: string;
}

export interface Rejection {
  status: 400 | 401 | 413 | 500;
  body: RejectionBody;
}

/**
 * Maps a verification failure to an HTTP answer: 401 for anything about the signature or its
 * headers (the sender will retry, which is right if a secret rotation is in flight), 400 for a
 * signed body that is not JSON, 500 for a key the receiver itself misconfigured. Anything that
 * is not a WebhookVerificationError is not ours to answer and gives undefined.
 */
export function rejectionOf(error: unknown): Rejection | undefined {
  if (!(error instanceof WebhookVerificationError)) return undefined;
  const status = error.reason === 'invalid_payload' ? 400 : error.reason === 'invalid_secret' ? 500 : 401;
  return { status, body: { code: error.reason, detail: error.message } };
}
