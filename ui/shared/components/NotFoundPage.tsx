import { Link } from 'wouter';
import { EmptyState } from './Loading.js';
import { PageHeader } from './PageHeader.js';

/** What an unknown hash route shows: which app it is not a page of, and a link to that app's home. */
export function NotFoundPage({
  of,
  homeLabel,
}: {
  /** Ends "This address is not a page of …", e.g. "the dashboard". */
  of: string;
  /** The text of the link to "/", e.g. "Go to the overview". */
  homeLabel: string;
}) {
  return (
    <>
      <PageHeader title="Page not found" />
      <EmptyState title="Nothing here">
        <p>{`This address is not a page of ${of}.`}</p>
        <Link href="/">{homeLabel}</Link>
      </EmptyState>
    </>
  );
}
