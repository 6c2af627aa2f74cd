import { createContext, useContext, type ReactNode } from 'react';
import type { Api } from './api.js';
import { Capabilities, type Capability } from './capabilities.js';

/** Who the pages act as: the typed API client and what the session may do. */
export interface Session {
  api: Api;
  capabilities: Capabilities;
  /** The operator (admin token): app pages show operator-only actions and links back to the dashboard. */
  operator: boolean;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ session, children }: { session: Session; children: ReactNode }) {
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

export function useApi(): Api {
  return useSession().api;
}

/** Whether the session may do this; pages hide what it may not (the server refuses it anyway). */
export function useCan(capability: Capability): boolean {
  return useSession().capabilities.has(capability);
}
