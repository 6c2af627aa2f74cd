import { createEd25519Verifier } from './ed25519-verifier.js';
import { createHmacVerifier } from './hmac-verifier.js';
import { checkTimestamp, TOLERANCE_SECONDS } from './timestamp-tolerance.js';
import { readWebhookHeaders, type IncomingHeaders } from './webhook-headers.js';
import { WebhookVerificationError } from './webhook-verification-error.js';

export interface VerifyOptions {
  /**
   * Parse the verified body as JSON and return it; `false` returns the body as a string.
   * An empty body verifies to `undefined` either way. (Default: true)
   */
  parseJson?: boolean;
  /**
   * Largest distance in seconds between `webhook-timestamp` and now; further is refused as a
   * replay. 0 skips the check, for re-checking a stored capture, never for live traffic. (Default: 300)
   */
  toleranceSeconds?: number;
}

/** Checks one delivery's raw body and headers; returns the payload or throws WebhookVerificationError. */
export type WebhookVerifier = (payload: string | Buffer | Uint8Array, headers: IncomingHeaders) => unknown;

/**
 * Builds a verifier for one key, checking the key once (so middleware fails at start-up, not on
 * the first delivery):
 * - `whsec_...` (or bare base64, as Svix accepts): `v1` HMAC-SHA256 via standardwebhooks;
 * - `whpk_...`: `v1a` ed25519 with the endpoint's public key.
 * A `whsk_` private key is refused: receivers only ever need the public half.
 */
export function createWebhookVerifier(secret: string, options: VerifyOptions = {}): WebhookVerifier {
  const parseJson = options.parseJson ?? true;
  const tolerance = options.toleranceSeconds ?? TOLERANCE_SECONDS;
  if (!Number.isInteger(tolerance) || tolerance < 0)
    throw new RangeError(`toleranceSeconds must be a non-negative integer, not ${tolerance}`);
  if (typeof secret !== 'string' || secret === '')
    throw new WebhookVerificationError('invalid_secret', 'no secret given');
  if (secret.startsWith('whsk_')) {
    throw new WebhookVerificationError(
      'invalid_secret',
      "whsk_ is the sender's private key; verify with the endpoint's whpk_ public key",
    );
  }
  const check = secret.startsWith('whpk_') ? createEd25519Verifier(secret) : createHmacVerifier(secret);

  return (payload, headers) => {
    const body =
      typeof payload === 'string' || Buffer.isBuffer(payload)
        ? payload
        : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
    const { id, timestamp, signature } = readWebhookHeaders(headers);
    if (!id || !timestamp || !signature)
      throw new WebhookVerificationError('missing_header', 'Missing required headers');
    check({ id, timestamp: checkTimestamp(timestamp, tolerance), body, signatures: signature });
    const text = body.toString();
    if (text === '') return undefined;
    if (!parseJson) return text;
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new WebhookVerificationError('invalid_payload', 'the signature is valid but the body is not JSON', {
        cause: error,
      });
    }
  };
}

/**
 * Verifies a Standard Webhooks delivery and returns its parsed JSON payload.
 *
 * `payload` must be the raw body exactly as received (re-serialised JSON will not match the
 * signature). `headers` may be a `Headers` object or Node-style `req.headers`; `svix-*` names
 * are accepted too. Timestamps more than 5 minutes away from now are refused, as the standard
 * requires (`toleranceSeconds` changes that). Throws WebhookVerificationError whose `reason` says why.
 */
export function verifyWebhook(
  payload: string | Buffer | Uint8Array,
  headers: IncomingHeaders,
  secret: string,
  options?: VerifyOptions,
): unknown {
  return createWebhookVerifier(secret, options)(payload, headers);
}
