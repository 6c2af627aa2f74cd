import { Button } from '../shared/components/Button.js';
import { Loading } from '../shared/components/Loading.js';
import type { PortalState } from './sign-in.js';
import { StatusPage } from './StatusPage.js';

const ASK_AGAIN =
  'Ask for a new sign-in link from the service that sent you here: it is usually under "Webhooks" in its settings.';

/** The page for every portal state but `ready`: what happened and what to do next. */
export function SignInStatus({
  state,
  onRetry,
}: {
  state: Exclude<PortalState, { kind: 'ready' }>;
  onRetry: () => void;
}) {
  switch (state.kind) {
    case 'signing-in':
      return (
        <main className="centered">
          <Loading label="Signing you in…" />
        </main>
      );
    case 'link-used':
      return (
        <StatusPage title="This link was already used">
          <p>Each sign-in link works once, so that nobody else can reuse it. {ASK_AGAIN}</p>
        </StatusPage>
      );
    case 'link-expired':
      return (
        <StatusPage title="This link has expired">
          <p>Sign-in links are only valid for a short time after they are made. {ASK_AGAIN}</p>
        </StatusPage>
      );
    case 'link-invalid':
      return (
        <StatusPage title="This link is not valid">
          <p>It may have been cut short or copied with a typo. {ASK_AGAIN}</p>
        </StatusPage>
      );
    case 'no-link':
      return (
        <StatusPage title="Sign-in link needed">
          <p>This page manages your webhooks, and you reach it through a personal sign-in link. {ASK_AGAIN}</p>
        </StatusPage>
      );
    case 'ended':
      return (
        <StatusPage title="Your session has ended">
          <p>Your access expired or was withdrawn. To continue, open a new sign-in link. {ASK_AGAIN}</p>
        </StatusPage>
      );
    case 'signed-out':
      return (
        <StatusPage title="You have signed out">
          <p>Your session is closed. To come back, open a new sign-in link.</p>
        </StatusPage>
      );
    case 'failed':
      return (
        <StatusPage title="We could not sign you in">
          <p>{state.error.detail}</p>
          <Button variant="primary" onClick={onRetry}>
            Try again
          </Button>
        </StatusPage>
      );
  }
}
