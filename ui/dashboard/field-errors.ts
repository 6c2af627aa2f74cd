import { ApiError } from '../shared/api-error.js';

/**
 * A server 422's messages grouped by the form field they belong to. `fieldOf` maps the error's
 * `loc` (dotted, without `body`) to a field name, or null for an error of the whole form.
 */
export function groupFieldErrors<F extends string>(
  error: unknown,
  fieldOf: (loc: string) => F | null,
): { fields: Partial<Record<F, string>>; rest: string[] } {
  const fields: Partial<Record<F, string>> = {};
  const rest: string[] = [];
  if (!(error instanceof ApiError)) return { fields, rest };
  for (const issue of error.fieldErrors) {
    const field = fieldOf(issue.field);
    if (field === null) rest.push(issue.field ? `${issue.field}: ${issue.message}` : issue.message);
    else fields[field] = fields[field] ? `${fields[field]} ${issue.message}` : issue.message;
  }
  return { fields, rest };
}

/**
 * The loc's first segment as a field when it is one of `names` (`url`, `eventTypes.0` → `eventTypes`).
 */
export function topLevelField<F extends string>(names: readonly F[]): (loc: string) => F | null {
  return (loc) => {
    const head = loc.split('.')[0];
    return (names as readonly string[]).includes(head) ? (head as F) : null;
  };
}

/** The error to show beside the form's button: everything not already shown at a field. */
export function formLevelError(error: unknown, rest: string[]): unknown {
  if (!(error instanceof ApiError)) return error;
  if (error.fieldErrors.length === 0) return error;
  return rest.length > 0 ? new ApiError(error.status, error.code, rest.join('; ')) : null;
}
