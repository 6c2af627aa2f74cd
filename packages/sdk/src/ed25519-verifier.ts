import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { WebhookVerificationError } from './webhook-verification-error.js';
import type { WebhookHeaders } from './webhook-headers.js';

/**
 * `v1a` (ed25519) verification for `whpk_` public keys. The standardwebhooks JS library only
 * knows `v1`, so this follows the same rules by hand: signed content `id.timestamp.body`,
 * several space-separated `version,signature` entries of which one must match, and the
 * 5-minute timestamp tolerance checked before any signature.
 */

/** Standard Webhooks' tolerance, the same the HMAC library applies. */
export const TOLERANCE_SECONDS = 5 * 60;

// DER header that wraps a raw 32-byte ed25519 public key as SPKI, so node:crypto can load it.
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function publicKeyFrom(whpk: string): KeyObject {
  const encoded = whpk.slice('whpk_'.length);
  const raw = BASE64.test(encoded) ? Buffer.from(encoded, 'base64') : Buffer.alloc(0);
  if (raw.length !== 32) {
    throw new WebhookVerificationError(
      'invalid_secret',
      `a whpk_ key holds 32 base64 bytes, this one holds ${raw.length}`,
    );
  }
  return createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, raw]), format: 'der', type: 'spki' });
}

/** Same outcomes as the HMAC library for the same timestamps, so both key kinds behave alike. */
export function checkTimestamp(header: string, nowMs = Date.now()): void {
  const now = Math.floor(nowMs / 1000);
  const timestamp = Number.parseInt(header, 10);
  if (Number.isNaN(timestamp))
    throw new WebhookVerificationError('invalid_signature', 'webhook-timestamp is not a number');
  if (now - timestamp > TOLERANCE_SECONDS)
    throw new WebhookVerificationError('timestamp_too_old', 'Message timestamp too old');
  if (timestamp > now + TOLERANCE_SECONDS)
    throw new WebhookVerificationError('timestamp_too_new', 'Message timestamp too new');
}

export function createEd25519Verifier(whpk: string): (payload: string | Buffer, headers: WebhookHeaders) => void {
  const key = publicKeyFrom(whpk);
  return (payload, headers) => {
    if (!headers.id || !headers.timestamp || !headers.signature) {
      throw new WebhookVerificationError('missing_header', 'Missing required headers');
    }
    checkTimestamp(headers.timestamp);
    const timestamp = Number.parseInt(headers.timestamp, 10);
    const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
    const signed = Buffer.concat([Buffer.from(`${headers.id}.${timestamp}.`, 'utf8'), body]);
    for (const entry of headers.signature.split(' ')) {
      const [version, signature] = entry.split(',');
      if (version !== 'v1a' || !signature || !BASE64.test(signature)) continue;
      const bytes = Buffer.from(signature, 'base64');
      if (bytes.length === 64 && verify(null, signed, key, bytes)) return;
    }
    throw new WebhookVerificationError('invalid_signature', 'No matching signature found');
  };
}
