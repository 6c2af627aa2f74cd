import { createWebhookVerifier, readWebhookHeaders, WebhookVerificationError } from '@hookrelay/sdk';
import { publicKeyOf } from '../domain/endpoint-secret.js';

/**
 * `hookrelay verify`: check a captured request's Standard Webhooks signature with the consumer
 * SDK's verifier, so the CLI and receivers accept exactly the same requests. What the CLI adds:
 * a `whsk_` private key stands for its public half (an operator holds the private one), and the
 * failure reasons are phrased for someone holding a capture.
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
  options: { toleranceSeconds?: number } = {},
): VerifyResult {
  const key = secret.startsWith('whsk_') ? publicKeyOf(secret) : secret;
  const scheme = key.startsWith('whpk_') ? 'v1a' : 'v1';
  const tolerance = options.toleranceSeconds ?? 300;
  const { id, timestamp } = readWebhookHeaders(req.headers);
  try {
    createWebhookVerifier(key, { parseJson: false, toleranceSeconds: tolerance })(req.body, req.headers);
    return { ok: true, msgId: id ?? '', scheme, timestamp: Number(timestamp) };
  } catch (error) {
    if (!(error instanceof WebhookVerificationError)) throw error;
    return { ok: false, reason: explain(error, scheme, Number(timestamp), tolerance) };
  }
}

function explain(error: WebhookVerificationError, scheme: 'v1' | 'v1a', timestamp: number, tolerance: number): string {
  switch (error.reason) {
    case 'missing_header':
      return 'missing webhook-id, webhook-timestamp or webhook-signature header';
    case 'timestamp_too_old':
    case 'timestamp_too_new':
      return `timestamp ${new Date(timestamp * 1000).toISOString()} is more than ${tolerance} s from now (use --tolerance 0 for an old capture)`;
    case 'invalid_signature':
      return error.message === 'No matching signature found'
        ? `no ${scheme} signature matches this ${scheme === 'v1' ? 'secret' : 'public key'} (is the body byte-for-byte what was received?)`
        : error.message;
    default:
      return `${error.reason}: ${error.message}`;
  }
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
