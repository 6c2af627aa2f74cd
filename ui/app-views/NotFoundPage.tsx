import { Link } from 'wouter';
import { EmptyState } from '../shared/components/Loading.js';
import { PageHeader } from '../shared/components/PageHeader.js';

export function NotFoundPage() {
  return (
    <>
      <PageHeader title="Page not found" />
      <EmptyState title="Nothing here">
        <p>This address is not a page of this application.</p>
        <Link href="/">Go to the endpoints</Link>
      </EmptyState>
    </>
  );
}
