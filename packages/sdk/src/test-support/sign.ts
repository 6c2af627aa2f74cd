import { createHmac, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

/**
 * An independent signer for tests: plain node:crypto, no standardwebhooks, so a test passing
 * means the SDK agrees with the format as written, not with itself.
 */

export interface Signer {
  /** What the receiver is configured with: `whsec_...` or `whpk_...`. */
  verificationKey: string;
  /** One `version,base64` signature over `id.timestamp.body`. */
  sign(id: string, timestamp: number, body: string | Buffer): string;
}

export function hmacSigner(): Signer {
  const key = randomBytes(24);
  return {
    verificationKey: 'whsec_' + key.toString('base64'),
    sign: (id, timestamp, body) =>
      'v1,' + createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest('base64'),
  };
}

export function ed25519Signer(): Signer {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  return {
    verificationKey: 'whpk_' + spki.subarray(spki.length - 32).toString('base64'),
    sign: (id, timestamp, body) => 'v1a,' + signEd25519(privateKey, id, timestamp, body),
  };
}

function signEd25519(key: KeyObject, id: string, timestamp: number, body: string | Buffer): string {
  const content = Buffer.concat([Buffer.from(`${id}.${timestamp}.`), Buffer.from(body)]);
  return sign(null, content, key).toString('base64');
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** Headers for one delivery, signed now (or at `timestamp`). */
export function signedHeaders(
  signer: Signer,
  body: string,
  { id = 'msg_' + randomBytes(8).toString('hex'), timestamp = nowSeconds() }: { id?: string; timestamp?: number } = {},
): Record<string, string> {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signer.sign(id, timestamp, body),
  };
}
