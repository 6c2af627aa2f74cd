import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';

/**
 * Endpoint signing secrets in Standard Webhooks form:
 * - `whsec_<base64>`: a symmetric HMAC-SHA256 key (24 random bytes, as Svix generates);
 * - `whsk_<base64>`: an ed25519 private key (the 32-byte seed); receivers verify with the
 *   matching `whpk_<base64>` public key (32 bytes).
 */

export type SigningAlgorithm = 'hmac-sha256' | 'ed25519';

/** What Svix accepts for a caller-chosen symmetric secret (EndpointIn.secret). */
const HMAC_SECRET = /^(whsec_)?[a-zA-Z0-9+/=]{32,100}$/;
const ED25519_SECRET = /^whsk_[a-zA-Z0-9+/=]{43,44}$/;

// DER prefixes that wrap a raw 32-byte ed25519 key as PKCS#8 / SPKI, so node:crypto can load it.
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export function algorithmOf(secret: string): SigningAlgorithm {
  return secret.startsWith('whsk_') ? 'ed25519' : 'hmac-sha256';
}

export function isValidSecret(secret: string): boolean {
  if (secret.startsWith('whsk_'))
    return ED25519_SECRET.test(secret) && Buffer.from(secret.slice(5), 'base64').length === 32;
  return HMAC_SECRET.test(secret);
}

/** Normalise a caller-given symmetric secret to carry the `whsec_` prefix. */
export function normaliseSecret(secret: string): string {
  if (secret.startsWith('whsk_') || secret.startsWith('whsec_')) return secret;
  return 'whsec_' + secret;
}

export function generateSecret(algorithm: SigningAlgorithm = 'hmac-sha256'): string {
  if (algorithm === 'hmac-sha256') return 'whsec_' + randomBytes(24).toString('base64');
  const { privateKey } = generateKeyPairSync('ed25519');
  const der = privateKey.export({ format: 'der', type: 'pkcs8' });
  return 'whsk_' + der.subarray(der.length - 32).toString('base64');
}

/** The raw HMAC key bytes of a `whsec_` secret. */
export function hmacKeyBytes(secret: string): Buffer {
  return Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');
}

export function ed25519PrivateKey(secret: string) {
  const seed = Buffer.from(secret.slice(5), 'base64');
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

/** `whpk_<base64>` for a `whsk_` secret: what a receiver needs to verify v1a signatures. */
export function publicKeyOf(secret: string): string {
  const spki = createPublicKey(ed25519PrivateKey(secret)).export({ format: 'der', type: 'spki' });
  return 'whpk_' + spki.subarray(spki.length - 32).toString('base64');
}

export function ed25519PublicKey(whpk: string) {
  const raw = Buffer.from(whpk.slice(5), 'base64');
  return createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, raw]), format: 'der', type: 'spki' });
}

/** What the API shows as an endpoint's secret: the key itself, or the public key for ed25519. */
export function displayedSecret(secret: string): string {
  return algorithmOf(secret) === 'ed25519' ? publicKeyOf(secret) : secret;
}
