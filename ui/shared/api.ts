import { createHookrelayClient, type HookrelayClient } from '@hookrelay/sdk/client';
import { ApiError } from './api-error.js';

export type { components, paths } from '@hookrelay/sdk/client';
export { ApiError, type FieldError } from './api-error.js';

/** What the pages call the API with: the SDK's typed client, bound to one bearer token. */
export type Api = HookrelayClient;

export interface ApiOptions {
  token: string;
  /** Called when the server refuses the token (401): the session is over. */
  onUnauthorized?: (error: ApiError) => void;
}

/**
 * The typed client over the same-origin API. Every non-2xx answer becomes a thrown ApiError (so
 * react-query sees failures), and a network failure an ApiError with status 0.
 */
export function createApi({ token, onUnauthorized }: ApiOptions): Api {
  const fetchWithErrors = async (input: Request): Promise<Response> => {
    let response: Response;
    try {
      response = await fetch(input);
    } catch {
      throw new ApiError(0, 'network', 'The server could not be reached. Check your connection and try again.');
    }
    if (response.ok) return response;
    const error = await ApiError.from(response);
    if (response.status === 401) onUnauthorized?.(error);
    throw error;
  };
  return createHookrelayClient({ serverUrl: window.location.origin, token, fetch: fetchWithErrors });
}

/** The data of an openapi-fetch answer (errors were already thrown by createApi's fetch). */
export async function data<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const result = await call;
  if (result.data === undefined) {
    if (result.response.status === 204) return undefined as T;
    throw await ApiError.from(result.response);
  }
  return result.data;
}

/** Exchanges a portal login link's one-time key for a session token (no bearer needed). */
export async function exchangeOneTimeKey(
  key: string,
): Promise<{ token: string; capabilities: string[]; appId: string; expiresAt: string | null }> {
  let response: Response;
  try {
    response = await fetch('/api/v1/auth/one-time-token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ oneTimeToken: key }),
    });
  } catch {
    throw new ApiError(0, 'network', 'The server could not be reached. Check your connection and try again.');
  }
  if (!response.ok) throw await ApiError.from(response);
  return response.json();
}
