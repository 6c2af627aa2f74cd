/**
 * React-query keys of the operator pages. `['app', id]` and `['event-types']` are the prefixes the
 * app views use too, so a change made here refreshes what they show (and the reverse).
 */
export const dashboardKeys = {
  overview: (minutes: number) => ['stats', 'overview', minutes] as const,
  apps: (search: string, iterator: string | null) => ['apps', 'list', search, iterator] as const,
  appsAll: () => ['apps'] as const,
  appHealth: (appIds: readonly string[]) => ['apps', 'health', appIds.join(',')] as const,
  app: (appId: string) => ['app', appId, 'application'] as const,
  failing: (iterator: string | null) => ['stats', 'failing-endpoints', iterator] as const,
  failingAll: () => ['stats'] as const,
  eventTypes: (archived: boolean, iterator: string | null) =>
    ['event-types', 'admin-list', archived, iterator] as const,
  eventTypesAll: () => ['event-types'] as const,
  eventType: (name: string) => ['event-types', 'one', name] as const,
  operationalEndpoints: (iterator: string | null) => ['operational-webhooks', iterator] as const,
  operationalAll: () => ['operational-webhooks'] as const,
  operationalSecret: (endpointId: string) => ['operational-webhooks', 'secret', endpointId] as const,
  settings: () => ['environment-settings'] as const,
};
