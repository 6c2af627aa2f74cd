import type { ListenEvent, ListenRequest } from './listen-channels.js';

/**
 * The two shapes a listen channel's stream can speak.
 *
 * `smee` (default, what smee-client consumes): one JSON object per event with every request
 * header as a top-level key, plus `body` (parsed JSON / form fields, else the text), `query` and
 * `timestamp`. smee-client forwards the keys other than body/query as headers and re-serialises
 * the body, so it is not byte-exact.
 *
 * `raw` (what `hookrelay listen` reads): `{method, headers, query, body: <base64>, timestamp}`,
 * so the forwarded body is byte-for-byte what the sender signed.
 */
export type ListenFormat = 'smee' | 'raw';

/** Hop-by-hop headers describe one connection, not the request; relaying them breaks the next hop. */
export const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

export function relayableHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name.toLowerCase())) continue;
    out[name.toLowerCase()] = value;
  }
  return out;
}

/** The body as smee.io's body parsers would give it: JSON, urlencoded fields, or text; `{}` when empty. */
export function smeeBody(request: Pick<ListenRequest, 'headers' | 'body'>): unknown {
  if (request.body.length === 0) return {};
  const contentType = String(request.headers['content-type'] ?? '').toLowerCase();
  const text = request.body.toString('utf8');
  if (/[/+]json\b/.test(contentType)) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  if (contentType.startsWith('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(text));
  return text;
}

export function formatListenEvent(event: ListenEvent, format: ListenFormat): string {
  if (format === 'raw') {
    return JSON.stringify({
      method: event.method,
      headers: event.headers,
      query: event.query,
      body: event.body.toString('base64'),
      timestamp: event.timestamp,
    });
  }
  return JSON.stringify({ ...event.headers, body: smeeBody(event), query: event.query, timestamp: event.timestamp });
}

/** A raw-format event as the listen client receives it. */
export interface RawListenEvent {
  method: string;
  headers: Record<string, string | string[]>;
  query: Record<string, string>;
  body: string;
  timestamp: number;
}
