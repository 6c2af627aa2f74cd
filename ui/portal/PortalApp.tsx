import { QueryClientProvider } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Router } from 'wouter';
import { useHashLocation } from 'wouter/use-hash-location';
import { createApi } from '../shared/api.js';
import { SessionProvider, type Session } from '../shared/api-context.js';
import { Capabilities } from '../shared/capabilities.js';
import { createQueryClient } from '../shared/query-client.js';
import { clearSession, type StoredSession } from '../shared/session.js';
import { PortalShell } from './PortalShell.js';
import { forgetLoginKey, readLoginKey, SESSION_KEY, signIn, type PortalState } from './sign-in.js';
import { SignInStatus } from './SignInStatus.js';

/** The consumer portal: signs in with the link's one-time key, then shows the application. */
/** `initial` comes from initialState(), read once per page load (it consumes the link's key). */
export function PortalApp({ initial }: { initial: PortalState }) {
  const [state, setState] = useState<PortalState>(initial);

  useEffect(() => {
    if (state.kind !== 'signing-in') return;
    let current = true;
    void signIn(state.key).then((next) => {
      if (current) setState(next);
    });
    return () => {
      current = false;
    };
  }, [state]);

  // A new link opened in this tab changes only the fragment: no page load, so sign in from here.
  useEffect(() => {
    const onHashChange = () => {
      const key = readLoginKey(window.location.hash);
      if (!key) return;
      forgetLoginKey();
      setState({ kind: 'signing-in', key });
    };
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);

  const end = useCallback((next: 'ended' | 'signed-out') => {
    clearSession(SESSION_KEY);
    setState({ kind: next });
  }, []);

  if (state.kind !== 'ready') {
    return (
      <SignInStatus
        state={state}
        onRetry={() => state.kind === 'failed' && setState({ kind: 'signing-in', key: state.key })}
      />
    );
  }
  return <SignedIn session={state.session} onEnd={end} />;
}

function SignedIn({
  session,
  onEnd,
}: {
  session: StoredSession & { appId: string };
  onEnd: (next: 'ended' | 'signed-out') => void;
}) {
  // One client and cache per session: nothing read under one session is shown under the next.
  const queryClient = useMemo(() => createQueryClient(), [session.token]);
  // Once signing out has begun, the 401s of requests still in flight are expected, not a lost session.
  const signingOut = useRef(false);
  const value = useMemo<Session>(
    () => ({
      api: createApi({
        token: session.token,
        onUnauthorized: () => {
          if (!signingOut.current) onEnd('ended');
        },
      }),
      capabilities: new Capabilities(session.capabilities),
      operator: false,
    }),
    [session, onEnd],
  );

  const signOut = useCallback(async () => {
    signingOut.current = true;
    // The server forgets the token first; a failure (already expired, offline) still ends the session here.
    await value.api.POST('/api/v1/auth/logout').catch(() => undefined);
    queryClient.clear();
    onEnd('signed-out');
  }, [value, queryClient, onEnd]);

  return (
    <QueryClientProvider client={queryClient}>
      <SessionProvider session={value}>
        <Router hook={useHashLocation}>
          <PortalShell appId={session.appId} onSignOut={signOut} />
        </Router>
      </SessionProvider>
    </QueryClientProvider>
  );
}
