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
