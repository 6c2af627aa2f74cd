import { timingSafeEqual, verify as cryptoVerify } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { ed25519PublicKey, publicKeyOf } from '../domain/endpoint-secret.js';

/**
 * `hookrelay verify`: check a captured request's Standard Webhooks signature. `whsec_` secrets
 * are checked with the standardwebhooks library's signer (v1, HMAC-SHA256); `whpk_` public keys
 * (or the `whsk_` private key) check v1a ed25519 signatures. Headers may be `webhook-*` or
 * `svix-*`. The timestamp tolerance is separate from the signature so an old capture can still
 * be checked (`toleranceSeconds: 0`).
 */
export interface CapturedRequest {
  headers: Record<string, string>;
  body: Buffer;
}

export type VerifyResult =
  { ok: true; msgId: string; scheme: 'v1' | 'v1a'; timestamp: number } | { ok: false; reason: string };

export function verifyCaptured(
  secret: string,
  req: CapturedRequest,
  options: { toleranceSeconds?: number; now?: number } = {},
): VerifyResult {
  const h = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
  const msgId = h['webhook-id'] ?? h['svix-id'];
  const ts = h['webhook-timestamp'] ?? h['svix-timestamp'];
  const signatures = h['webhook-signature'] ?? h['svix-signature'];
  if (!msgId || !ts || !signatures)
    return { ok: false, reason: 'missing webhook-id, webhook-timestamp or webhook-signature header' };
  const timestamp = Number(ts);
  if (!Number.isInteger(timestamp))
    return { ok: false, reason: `webhook-timestamp '${ts}' is not a Unix time in seconds` };
  const tolerance = options.toleranceSeconds ?? 300;
  const now = Math.floor((options.now ?? Date.now()) / 1000);
  if (tolerance > 0 && Math.abs(now - timestamp) > tolerance) {
    return {
      ok: false,
      reason: `timestamp ${new Date(timestamp * 1000).toISOString()} is more than ${tolerance} s from now (use --tolerance 0 for an old capture)`,
    };
  }
  const list = signatures.split(' ').filter(Boolean);

  if (secret.startsWith('whpk_') || secret.startsWith('whsk_')) {
    const key = ed25519PublicKey(secret.startsWith('whsk_') ? publicKeyOf(secret) : secret);
    const signed = Buffer.concat([Buffer.from(`${msgId}.${timestamp}.`), req.body]);
    for (const sig of list) {
      const [version, b64] = sig.split(',', 2);
      if (version !== 'v1a' || !b64) continue;
      if (cryptoVerify(null, signed, key, Buffer.from(b64, 'base64')))
        return { ok: true, msgId, scheme: 'v1a', timestamp };
    }
    return { ok: false, reason: 'no v1a signature matches this public key' };
  }

  const expected = new Webhook(secret).sign(msgId, new Date(timestamp * 1000), req.body).split(',')[1];
  const want = Buffer.from(expected, 'base64');
  for (const sig of list) {
    const [version, b64] = sig.split(',', 2);
    if (version !== 'v1' || !b64) continue;
    const got = Buffer.from(b64, 'base64');
    if (got.length === want.length && timingSafeEqual(got, want)) return { ok: true, msgId, scheme: 'v1', timestamp };
  }
  return { ok: false, reason: 'no v1 signature matches this secret (is the body byte-for-byte what was received?)' };
}

/** Headers from JSON (`{"webhook-id": ...}`) or raw HTTP header lines (`Name: value`). */
export function parseHeaders(text: string): Record<string, string> {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    const parsed = JSON.parse(trimmed) as Record<string, unknown>;
    return Object.fromEntries(
      Object.entries(parsed).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(', ') : String(v)]),
    );
  }
  const out: Record<string, string> = {};
  for (const line of trimmed.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i <= 0) continue; // the request line or a blank line
    out[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return out;
}
