/** What a Standard Webhooks signature covers: one delivery's id, its timestamp and the raw body. */
export interface SignedContent {
  id: string;
  timestamp: number;
  body: string | Buffer;
  /** The space-separated `version,signature` entries of `webhook-signature`; one must match. */
  signatures: string;
}

/** The base64 signatures of one version (`v1`, `v1a`) in a `webhook-signature` list, others skipped. */
export function signaturesOf(list: string, version: string): string[] {
  const out: string[] = [];
  for (const entry of list.split(' ')) {
    const [v, signature] = entry.split(',');
    if (v === version && signature) out.push(signature);
  }
  return out;
}
