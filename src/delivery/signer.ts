import { createHmac, sign } from 'node:crypto';
import type { EndpointSecret } from '../domain/model.js';
import { algorithmOf, ed25519PrivateKey, hmacKeyBytes } from '../domain/endpoint-secret.js';
import { memoize } from '../memoize.js';

/**
 * Standard Webhooks signatures. The signed content is `${msgId}.${timestamp}.${body}` over the
 * exact bytes sent. `whsec_` secrets give `v1,<base64 HMAC-SHA256>`, `whsk_` keys give
 * `v1a,<base64 ed25519>`. During a rotation's grace period every active secret signs and the
 * signatures are space-separated, so receivers holding either secret verify.
 */

export interface SignatureOptions {
  /** Also emit svix-id / svix-timestamp / svix-signature copies (Default: false). */
  svixHeaders?: boolean;
}

// Loading a KeyObject from DER is the slow part of ed25519 signing, and an HMAC key is
// base64 to decode: both are done once per secret, not per signature.
const privateKeyFor = memoize(ed25519PrivateKey);
const hmacKeyFor = memoize(hmacKeyBytes);

/** One signature (`v1,...` or `v1a,...`) of the signed content with one secret. */
export function signOne(secret: string, content: string): string {
  if (algorithmOf(secret) === 'ed25519') {
    return 'v1a,' + sign(null, Buffer.from(content, 'utf8'), privateKeyFor(secret)).toString('base64');
  }
  return 'v1,' + createHmac('sha256', hmacKeyFor(secret)).update(content, 'utf8').digest('base64');
}

/** The secrets that sign now: the current one, and rotated-out ones whose grace period has not ended. */
export function activeSecrets(secrets: EndpointSecret[], now: number): string[] {
  return secrets.filter((s) => s.expiresAt === null || s.expiresAt > now).map((s) => s.key);
}

export function signatureHeaders(
  msgId: string,
  timestampSeconds: number,
  body: string,
  secrets: string[],
  options: SignatureOptions = {},
): Record<string, string> {
  const timestamp = String(Math.floor(timestampSeconds));
  const content = `${msgId}.${timestamp}.${body}`;
  const signature = secrets.map((s) => signOne(s, content)).join(' ');
  const headers: Record<string, string> = {
    'webhook-id': msgId,
    'webhook-timestamp': timestamp,
    'webhook-signature': signature,
  };
  if (options.svixHeaders) {
    headers['svix-id'] = msgId;
    headers['svix-timestamp'] = timestamp;
    headers['svix-signature'] = signature;
  }
  return headers;
}
