import type { components } from '../shared/api.js';

/** How an endpoint is named on screen: its URL; a poll endpoint has none, so its ID. */
export function endpointTitle(endpoint: Pick<components['schemas']['EndpointOut'], 'id' | 'url' | 'kind'>): string {
  return endpoint.kind === 'poll' || !endpoint.url ? `Poll endpoint ${endpoint.id}` : endpoint.url;
}
