import { QueryClientProvider } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import { Router } from 'wouter';
import { useHashLocation } from 'wouter/use-hash-location';
import { createApi } from '../shared/api.js';
import { SessionProvider, type Session } from '../shared/api-context.js';
import { Capabilities } from '../shared/capabilities.js';
import { createQueryClient } from '../shared/query-client.js';
import { clearSession, loadSession, saveSession } from '../shared/session.js';
import { DashboardShell } from './DashboardShell.js';
import { LoginPage } from './LoginPage.js';

const SESSION_KEY = 'hookrelay.dashboard';

const SESSION_ENDED = 'Your session has ended: the server no longer accepts this token. Sign in again.';

/**
 * The dashboard's root: the admin token (kept in sessionStorage for this tab), the query cache
 * and the hash router. Any 401 ends the session and shows the sign-in page with a message.
 */
export function DashboardApp() {
  const [queryClient] = useState(createQueryClient);
  const [token, setToken] = useState<string | null>(() => loadSession(SESSION_KEY)?.token ?? null);
  const [notice, setNotice] = useState<string | null>(null);

  const endSession = useCallback(
    (message: string | null) => {
      clearSession(SESSION_KEY);
      queryClient.clear();
      setNotice(message);
      setToken(null);
    },
    [queryClient],
  );

  const session = useMemo<Session | null>(
    () =>
      token
        ? {
            api: createApi({ token, onUnauthorized: () => endSession(SESSION_ENDED) }),
            capabilities: new Capabilities(null),
            operator: true,
          }
        : null,
    [token, endSession],
  );

  const signIn = (newToken: string) => {
    saveSession(SESSION_KEY, { token: newToken });
    setNotice(null);
    setToken(newToken);
  };

  return (
    <QueryClientProvider client={queryClient}>
      <Router hook={useHashLocation}>
        {session ? (
          <SessionProvider session={session}>
            <DashboardShell onSignOut={() => endSession('You signed out.')} />
          </SessionProvider>
        ) : (
          <LoginPage notice={notice} onSignedIn={signIn} />
        )}
      </Router>
    </QueryClientProvider>
  );
}
