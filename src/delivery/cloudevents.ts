import type { ClaimedDelivery } from '../store/store.js';

/**
 * CloudEvents 1.0 over HTTP, as an optional per-endpoint format.
 * - binary mode: the payload is the body unchanged; the event attributes travel as `ce-*` headers;
 * - structured mode: the body is the whole event (`application/cloudevents+json`), payload in `data`.
 * The Standard Webhooks signature is computed over whichever body is sent.
 */

export const CLOUDEVENTS_SPEC_VERSION = '1.0';

export interface CloudEventAttributes {
  id: string;
  type: string;
  source: string;
  time: string;
}

export function cloudEventAttributes(claimed: Pick<ClaimedDelivery, 'message' | 'endpoint'>): CloudEventAttributes {
  return {
    id: claimed.message.id,
    type: claimed.message.eventType,
    source: `/hookrelay/app/${claimed.endpoint.appId}`,
    time: new Date(claimed.message.createdAt).toISOString(),
  };
}

export function binaryModeHeaders(attrs: CloudEventAttributes): Record<string, string> {
  return {
    'content-type': 'application/json',
    'ce-specversion': CLOUDEVENTS_SPEC_VERSION,
    'ce-id': attrs.id,
    'ce-type': attrs.type,
    'ce-source': attrs.source,
    'ce-time': attrs.time,
  };
}

/**
 * The structured-mode envelope. The payload is already serialised JSON, so it is spliced in
 * as `data` rather than parsed and serialised again (same bytes the sender gave us).
 */
export function structuredModeBody(attrs: CloudEventAttributes, payload: string): string {
  const head = JSON.stringify({
    specversion: CLOUDEVENTS_SPEC_VERSION,
    id: attrs.id,
    type: attrs.type,
    source: attrs.source,
    time: attrs.time,
    datacontenttype: 'application/json',
  });
  return `${head.slice(0, -1)},"data":${payload}}`;
}
