import type { Client } from 'openapi-fetch';
import type { Api, paths } from '../shared/api.js';
import type { ThemeSettings } from '../shared/theme.js';

/**
 * Routes of issue 17's contract that the generated client does not know yet, typed by hand in
 * openapi-typescript's shape. Drop each once `npm run generate -w packages/sdk` includes it.
 */
export interface PortalSettings extends ThemeSettings {
  logoUrl?: string | null;
  displayName?: string | null;
}

interface JsonResponse<T> {
  headers: Record<string, unknown>;
  content: { 'application/json': T };
}
type NoParameters = { query?: never; header?: never; path?: never; cookie?: never };

interface PortalPaths {
  '/api/v1/app/{app_id}/portal-settings': {
    parameters: NoParameters;
    get: {
      parameters: { query?: never; header?: never; path: { app_id: string }; cookie?: never };
      requestBody?: never;
      responses: { 200: JsonResponse<PortalSettings> };
    };
  };
  '/api/v1/auth/logout': {
    parameters: NoParameters;
    post: {
      parameters: NoParameters;
      requestBody?: never;
      responses: { 204: { headers: Record<string, unknown>; content?: never } };
    };
  };
}

export type PortalApi = Client<paths & PortalPaths>;

export function portalApi(api: Api): PortalApi {
  return api as unknown as PortalApi;
}
