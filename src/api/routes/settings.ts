import type { SettingsPatch } from '../../domain/portal-settings.js';
import type { Api, ApiContext } from '../context.js';
import { requireApp } from '../lookup.js';
import { AppIdParams, ERROR_RESPONSES, ref } from '../schemas/common.js';
import {
  AppPortalSettingsIn,
  AppPortalSettingsOut,
  EnvironmentSettingsOut,
  EnvironmentSettingsPatch,
} from '../schemas/settings.js';

/**
 * Environment settings (Svix's routes) and an application's portal overrides (our extension).
 * Reads go to the store, so a change another process made shows at once; the in-memory copy
 * (EnvironmentSettingsCache) is refreshed on the way.
 */

const tags = ['Environment'];

export function settingsRoutes(api: Api, { store, environment }: ApiContext): void {
  api.get(
    '/api/v1/environment/settings',
    {
      config: { access: 'any', capability: 'ViewBase' },
      schema: {
        operationId: 'v1.environment.get-settings',
        tags,
        summary: 'Get the environment settings',
        description:
          "The portal's look and features, who may frame it, and the retention new messages get (effective values). Any token may read them.",
        response: { 200: ref(EnvironmentSettingsOut), ...ERROR_RESPONSES },
      },
    },
    async () => environment.refresh(),
  );

  api.patch(
    '/api/v1/management/environment-settings',
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'v1.management.environment-settings.patch',
        tags,
        summary: 'Change the environment settings',
        description:
          'Only the fields given change; null resets a field to its default. `retentionDays` applies to messages created from now on.',
        body: ref(EnvironmentSettingsPatch),
        response: { 200: ref(EnvironmentSettingsOut), ...ERROR_RESPONSES },
      },
    },
    async (req) => environment.patch(req.body as SettingsPatch),
  );

  api.get(
    '/api/v1/app/:app_id/portal-settings',
    {
      config: { capability: 'ViewBase' },
      schema: {
        operationId: 'v1.application.get-portal-settings',
        tags,
        summary: "Get the settings of an application's portal (extension)",
        description:
          'Hookrelay extension: the environment settings merged with what the application sets itself, and those overrides.',
        params: AppIdParams,
        response: { 200: ref(AppPortalSettingsOut), ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const app = await requireApp(store, req.params.app_id);
      await environment.refresh();
      const { settings, overrides } = await environment.forApp(app.id);
      return { ...settings, overrides };
    },
  );

  api.put(
    '/api/v1/app/:app_id/portal-settings',
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'v1.application.update-portal-settings',
        tags,
        summary: "Set an application's portal overrides (extension)",
        description:
          "Hookrelay extension: replaces the application's overrides; a field absent or null inherits the environment's.",
        params: AppIdParams,
        body: ref(AppPortalSettingsIn),
        response: { 200: ref(AppPortalSettingsOut), ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const app = await requireApp(store, req.params.app_id);
      await environment.putAppOverrides(app.id, req.body);
      await environment.refresh();
      const { settings, overrides } = await environment.forApp(app.id);
      return { ...settings, overrides };
    },
  );
}
