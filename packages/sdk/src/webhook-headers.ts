/** Anything with a `get(name)` like the WHATWG `Headers` (fetch, Hono, undici). */
export interface HeadersLike {
  get(name: string): string | null;
}

/** Node-style headers (`req.headers` in node:http, Express, Fastify): any key case, arrays for repeats. */
export type HeaderRecord = Record<string, string | string[] | undefined>;

export type IncomingHeaders = HeadersLike | HeaderRecord;

/** The three Standard Webhooks headers, each possibly absent. */
export interface WebhookHeaders {
  id: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
}

function isHeadersLike(headers: IncomingHeaders): headers is HeadersLike {
  return typeof (headers as HeadersLike).get === 'function';
}

function lookup(headers: IncomingHeaders, name: string): string | string[] | undefined {
  if (isHeadersLike(headers)) return headers.get(name) ?? undefined;
  if (name in headers) return headers[name];
  for (const key of Object.keys(headers)) if (key.toLowerCase() === name) return headers[key];
  return undefined;
}

function single(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === '' ? undefined : first;
}

/**
 * Reads `webhook-*` headers, falling back to the `svix-*` names (Svix and Hookrelay endpoints
 * configured for Svix compatibility send those). A repeated signature header is joined with
 * spaces, which is how Standard Webhooks lists several signatures in one header.
 */
export function readWebhookHeaders(headers: IncomingHeaders): WebhookHeaders {
  const get = (suffix: string) => lookup(headers, `webhook-${suffix}`) ?? lookup(headers, `svix-${suffix}`);
  const signature = get('signature');
  return {
    id: single(get('id')),
    timestamp: single(get('timestamp')),
    signature: Array.isArray(signature) ? single(signature.join(' ')) : single(signature),
  };
}
