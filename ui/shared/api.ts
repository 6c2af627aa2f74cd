import { createHookrelayClient, type HookrelayClient } from '@hookrelay/sdk/client';

export type { components, paths } from '@hookrelay/sdk/client';

/** One failed field of a 422, as the server reports it (`loc` joined by dots, without `body`). */
export interface FieldError {
  field: string;
  message: string;
}

/**
 * An API answer that is not 2xx, or no answer at all (status 0). Pages show `detail`; forms
 * put `fieldErrors` next to their fields; `retryable` errors get a retry button.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly fieldErrors: FieldError[] = [],
  ) {
    super(detail);
    this.name = 'ApiError';
  }

  get retryable(): boolean {
    return this.status === 0 || this.status >= 500 || this.status === 429;
  }

  static async from(response: Response): Promise<ApiError> {
    let body: unknown = null;
    try {
      body = await response.clone().json();
    } catch {
      body = null;
    }
    const record = (body ?? {}) as { code?: unknown; detail?: unknown };
    if (Array.isArray(record.detail)) {
      const fieldErrors = (record.detail as Array<{ loc?: unknown[]; msg?: string }>).map((issue) => ({
        field: (issue.loc ?? []).filter((part) => part !== 'body').join('.'),
        message: issue.msg ?? 'Invalid value',
      }));
      const summary = fieldErrors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join('; ');
      return new ApiError(response.status, 'validation', summary || 'Some values are not valid.', fieldErrors);
    }
    const detail = typeof record.detail === 'string' ? record.detail : `The server answered ${response.status}.`;
    const code = typeof record.code === 'string' ? record.code : `http_${response.status}`;
    return new ApiError(response.status, code, detail);
  }
}

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
export async function exchangeOneTimeKey(key: string): Promise<{ token: string; capabilities: string[]; appId: string; expiresAt: string | null }> {
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
