import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ErrorState } from './ErrorState.js';
import { Loading } from './Loading.js';

/**
 * The part of a page that one query fills: a spinner while it loads, the error with a retry when
 * it failed, `empty` when `isEmpty` says there is nothing to show, else `children` with the data.
 */
export function QueryView<T>({
  query,
  loadingLabel,
  errorTitle,
  isEmpty,
  empty,
  children,
}: {
  query: UseQueryResult<T, unknown>;
  /** What the spinner says (Default: "Loading…"). */
  loadingLabel?: string;
  /** The error's heading (Default: from its status, e.g. "Not found"). */
  errorTitle?: string;
  /** Whether the data has nothing to show (Default: never). */
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <Loading label={loadingLabel} />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => query.refetch()} title={errorTitle} />;
  if (isEmpty?.(query.data)) return <>{empty}</>;
  return <>{children(query.data)}</>;
}
