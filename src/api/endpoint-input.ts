import { checkUrlLiteral } from '../delivery/ssrf-guard.js';
import type { EndpointKind } from '../domain/model.js';
import { generateSecret, isValidSecret, normaliseSecret, type SigningAlgorithm } from '../domain/endpoint-secret.js';
import { ValidationError } from '../errors.js';

/**
 * Checks on endpoint input that JSON Schema cannot express: the URL (http/https, and an IP
 * literal host must pass the SSRF guard unless HOOKRELAY_ALLOW_NETWORKS opens it), and the
 * secret format. Hostnames are judged again at connect time by the delivery engine.
 */
export function checkEndpointUrl(
  kind: EndpointKind,
  url: string | undefined,
  allowNetworks: string[],
  field = 'url',
): string {
  if (kind === 'poll') {
    if (url !== undefined && url !== '') checkUrl(url, allowNetworks, field);
    return url ?? '';
  }
  if (url === undefined || url === '')
    throw ValidationError.single(['body', field], 'field required', 'value_error.missing');
  checkUrl(url, allowNetworks, field);
  return url;
}

function checkUrl(url: string, allowNetworks: string[], field: string): void {
  const decision = checkUrlLiteral(url, allowNetworks);
  if (!decision.ok)
    throw ValidationError.single(['body', field], `URL not allowed: ${decision.reason}`, 'value_error.url');
}

/** A caller-given secret in its stored form, or a fresh one of the requested algorithm. */
export function resolveSecret(
  secret: string | null | undefined,
  algorithm: SigningAlgorithm | undefined,
  field: Array<string> = ['body', 'secret'],
): string {
  if (secret === undefined || secret === null) return generateSecret(algorithm ?? 'hmac-sha256');
  if (!isValidSecret(secret)) {
    throw ValidationError.single(
      field,
      'secret must be whsec_ + 32–100 base64 characters (or bare base64), or whsk_ + a 32-byte base64 ed25519 seed',
      'value_error.secret',
    );
  }
  return normaliseSecret(secret);
}

/** `filterTypes` wins over its alias `eventTypes`; `rateLimit` over `throttleRate`. */
export function aliases(b: {
  filterTypes?: string[] | null;
  eventTypes?: string[] | null;
  rateLimit?: number | null;
  throttleRate?: number | null;
}) {
  return {
    filterTypes: b.filterTypes !== undefined ? b.filterTypes : b.eventTypes,
    rateLimit: b.rateLimit !== undefined ? b.rateLimit : b.throttleRate,
  };
}
