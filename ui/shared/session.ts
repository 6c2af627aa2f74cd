/**
 * A bearer token kept for the life of the browser tab: sessionStorage, never a cookie, so no
 * request is authenticated by the browser on its own (no CSRF surface) and closing the tab ends it.
 */
export interface StoredSession {
  token: string;
  /** Portal sessions: the application, its capabilities and when the session ends. */
  appId?: string;
  capabilities?: string[];
  expiresAt?: string | null;
}

export function loadSession(key: string): StoredSession | null {
  try {
    const raw = window.sessionStorage.getItem(key);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as StoredSession;
    return typeof parsed.token === 'string' && parsed.token ? parsed : null;
  } catch {
    return null;
  }
}

export function saveSession(key: string, session: StoredSession): void {
  try {
    window.sessionStorage.setItem(key, JSON.stringify(session));
  } catch {
    // Storage may be refused (a sandboxed frame): the session then lives in memory only.
  }
}

export function clearSession(key: string): void {
  try {
    window.sessionStorage.removeItem(key);
  } catch {
    // Nothing stored.
  }
}
