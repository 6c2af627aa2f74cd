import { ApiError } from '../api.js';
import { Button } from './Button.js';

/**
 * What a page shows instead of its content when loading failed: the server's `detail`, and a
 * retry button — never a blank page.
 */
export function ErrorState({ error, onRetry, title }: { error: unknown; onRetry?: () => void; title?: string }) {
  const apiError = error instanceof ApiError ? error : null;
  const heading =
    title ??
    (apiError?.status === 404 ? 'Not found' : apiError?.status === 403 ? 'Not allowed' : 'Something went wrong');
  const detail = apiError?.detail ?? (error instanceof Error ? error.message : 'An unexpected error occurred.');
  return (
    <div className="state state-error" role="alert">
      <h2>{heading}</h2>
      <p>{detail}</p>
      {apiError?.code ? (
        <p className="muted small">
          Error code: <code>{apiError.code}</code>
        </p>
      ) : null}
      {onRetry ? (
        <Button variant="primary" onClick={onRetry}>
          Try again
        </Button>
      ) : null}
    </div>
  );
}

/** A failed action's message, inline beside the form or button that caused it. */
export function InlineError({ error }: { error: unknown }) {
  if (!error) return null;
  const text = error instanceof ApiError ? error.detail : error instanceof Error ? error.message : String(error);
  return (
    <div className="inline-error" role="alert">
      {text}
    </div>
  );
}
