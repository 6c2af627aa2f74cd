import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { data, type components } from '../shared/api.js';
import { useApi } from '../shared/api-context.js';
import { applyTheme } from '../shared/theme.js';

/** Every field optional: before the settings arrive, or when they cannot be read, the defaults apply. */
export type PortalSettings = Partial<components['schemas']['AppPortalSettingsOut']>;

/**
 * The app's portal look (environment settings merged with the app's overrides), applied to the
 * page; the query string's `theme`, `primaryColor` and `fontFamily` win. Without settings (an
 * error, an older server) the portal keeps its default look: it is still usable.
 */
export function usePortalSettings(appId: string): { settings: PortalSettings; ready: boolean } {
  const api = useApi();
  const query = useQuery({
    queryKey: ['app', appId, 'portal-settings'],
    retry: false,
    staleTime: Infinity,
    queryFn: () => data(api.GET('/api/v1/app/{app_id}/portal-settings', { params: { path: { app_id: appId } } })),
  });
  const settings: PortalSettings = query.data ?? {};
  useEffect(() => {
    if (!query.isPending) applyTheme(query.data ?? {});
  }, [query.isPending, query.data]);
  return { settings, ready: !query.isPending };
}
