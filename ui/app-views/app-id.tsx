import { createContext, useContext, type ReactNode } from 'react';

const AppIdContext = createContext<string | null>(null);

/** The application every page under AppViews reads and changes. */
export function AppIdProvider({ appId, children }: { appId: string; children: ReactNode }) {
  return <AppIdContext.Provider value={appId}>{children}</AppIdContext.Provider>;
}

export function useAppId(): string {
  const appId = useContext(AppIdContext);
  if (!appId) throw new Error('useAppId outside AppIdProvider');
  return appId;
}
