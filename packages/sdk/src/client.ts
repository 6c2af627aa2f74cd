import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { paths } from './generated/api.js';

export type { components, operations, paths } from './generated/api.js';

export interface HookrelayClientOptions {
  /** Where the server listens, e.g. `http://localhost:8071`; API paths already start with `/api/v1`. */
  serverUrl: string;
  /** An API token; sent as `Authorization: Bearer <token>` on every request. */
  token: string;
  /** Extra headers on every request (Default: none). */
  headers?: Record<string, string>;
  /** The fetch to use, e.g. one with a proxy or a test double (Default: globalThis.fetch). */
  fetch?: ClientOptions['fetch'];
}

/** openapi-fetch's client typed by Hookrelay's OpenAPI document: paths, params and bodies are checked. */
export type HookrelayClient = Client<paths>;

/**
 * A typed client for the Hookrelay API. The types come from `src/generated/api.ts`, generated
 * from the server's `docs/openapi.json` (`npm run generate`), so they follow the real API.
 *
 *   const hookrelay = createHookrelayClient({ serverUrl, token });
 *   const { data, error } = await hookrelay.GET('/api/v1/app', { params: { query: { limit: 10 } } });
 */
export function createHookrelayClient(options: HookrelayClientOptions): HookrelayClient {
  return createClient<paths>({
    baseUrl: options.serverUrl.replace(/\/+$/, ''),
    headers: { ...options.headers, Authorization: `Bearer ${options.token}` },
    fetch: options.fetch,
  });
}
