import { Link } from 'wouter';
import { EmptyState } from '../shared/components/Loading.js';

/** Shown instead of a page the session has no capability for (the server would refuse it anyway). */
export function NotAllowed({ what, backHref = '/' }: { what: string; backHref?: string }) {
  return (
    <EmptyState title="Not available to you">
      <p>Your access does not include {what}. Ask the team that gave you this page for more access.</p>
      <Link href={backHref}>Back to endpoints</Link>
    </EmptyState>
  );
}
