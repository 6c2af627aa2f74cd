import { formatDateTime, formatRelative } from '../format.js';

/** A timestamp shown relative ("3 minutes ago") with the exact time on hover and for screen readers. */
export function Time({ value }: { value: string | number | null | undefined }) {
  if (value === null || value === undefined) return <span>—</span>;
  const iso = new Date(value).toISOString();
  return (
    <time dateTime={iso} title={formatDateTime(value)}>
      {formatRelative(value)}
    </time>
  );
}
