import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { WebhookVerificationError } from './webhook-verification-error.js';
import { signaturesOf, type SignedContent } from './signed-content.js';

/**
 * `v1a` (ed25519) signatures of `whpk_` public keys. The standardwebhooks JS library only knows
 * `v1`, so this follows the same rules by hand: signed content `id.timestamp.body`, several
 * space-separated `version,signature` entries of which one must match.
 */

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

export function createEd25519Verifier(whpk: string): (content: SignedContent) => void {
  const key = publicKeyFrom(whpk);
  return ({ id, timestamp, body, signatures }) => {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    const signed = Buffer.concat([Buffer.from(`${id}.${timestamp}.`, 'utf8'), bytes]);
    for (const signature of signaturesOf(signatures, 'v1a')) {
      if (!BASE64.test(signature)) continue;
      const presented = Buffer.from(signature, 'base64');
      if (presented.length === 64 && verify(null, signed, key, presented)) return;
    }
    throw new WebhookVerificationError('invalid_signature', 'No matching signature found');
  };
}
