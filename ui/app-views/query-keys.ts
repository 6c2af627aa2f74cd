/**
 * React-query keys of the app pages. Keys nest (app → endpoint → its lists), so invalidating a
 * prefix refreshes everything under it: after changing an endpoint, `endpoint(app, ep)` covers
 * its stats, messages and secret.
 */
export const queryKeys = {
  app: (appId: string) => ['app', appId] as const,
  endpoints: (appId: string) => ['app', appId, 'endpoints'] as const,
  endpoint: (appId: string, endpointId: string) => ['app', appId, 'endpoint', endpointId] as const,
  endpointPart: (appId: string, endpointId: string, part: string, ...rest: unknown[]) =>
    ['app', appId, 'endpoint', endpointId, part, ...rest] as const,
  messages: (appId: string) => ['app', appId, 'messages'] as const,
  message: (appId: string, messageId: string) => ['app', appId, 'message', messageId] as const,
  messagePart: (appId: string, messageId: string, part: string, ...rest: unknown[]) =>
    ['app', appId, 'message', messageId, part, ...rest] as const,
  eventTypes: () => ['event-types'] as const,
};
