import { ApiError, exchangeOneTimeKey } from '../shared/api.js';
import { clearSession, loadSession, saveSession, type StoredSession } from '../shared/session.js';

/** Where the portal keeps its session in sessionStorage. */
export const SESSION_KEY = 'hookrelay.portal';

/** What the portal shows: one state per page of the sign-in flow, then the app itself. */
export type PortalState =
  | { kind: 'signing-in'; key: string }
  | { kind: 'ready'; session: StoredSession & { appId: string } }
  | { kind: 'failed'; key: string; error: ApiError }
  | { kind: 'link-used' }
  | { kind: 'link-expired' }
  | { kind: 'link-invalid' }
  | { kind: 'no-link' }
  | { kind: 'ended' }
  | { kind: 'signed-out' };

/** The one-time key of a login link: `#key=…` (the fragment never reaches a server or a Referer). */
export function readLoginKey(hash: string): string | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  return params.get('key') || null;
}

/** Drops the key from the address bar and history, so a reload or a shared screenshot cannot reuse it. */
export function forgetLoginKey(): void {
  window.history.replaceState(window.history.state, '', `${window.location.pathname}${window.location.search}#/`);
}

/** The state a page load starts in: a link to exchange, a session of this tab, or neither. */
export function initialState(): PortalState {
  const key = readLoginKey(window.location.hash);
  if (key) {
    forgetLoginKey();
    return { kind: 'signing-in', key };
  }
  const session = loadSession(SESSION_KEY);
  if (!session?.appId) return { kind: 'no-link' };
  if (session.expiresAt && Date.parse(session.expiresAt) <= Date.now()) {
    clearSession(SESSION_KEY);
    return { kind: 'ended' };
  }
  const wanted = new URLSearchParams(window.location.search).get('app');
  if (wanted && wanted !== session.appId) return { kind: 'no-link' };
  return { kind: 'ready', session: { ...session, appId: session.appId } };
}

/**
 * Exchanges a key once per page: the same key asked twice (React's effects may run twice) shares
 * one request, since the server accepts each key only once.
 */
const exchanges = new Map<string, Promise<PortalState>>();

export function signIn(key: string): Promise<PortalState> {
  let exchange = exchanges.get(key);
  if (!exchange) {
    exchange = exchangeOnce(key);
    exchanges.set(key, exchange);
    // A failure that may pass (network, 5xx) can be retried with the same key.
    exchange.then(
      (state) => {
        if (state.kind === 'failed') exchanges.delete(key);
      },
      () => exchanges.delete(key),
    );
  }
  return exchange;
}

async function exchangeOnce(key: string): Promise<PortalState> {
  try {
    const result = await exchangeOneTimeKey(key);
    const session = {
      token: result.token,
      appId: result.appId,
      capabilities: result.capabilities,
      expiresAt: result.expiresAt,
    };
    saveSession(SESSION_KEY, session);
    return { kind: 'ready', session };
  } catch (error) {
    const apiError = error instanceof ApiError ? error : new ApiError(0, 'network', 'The sign-in failed unexpectedly.');
    clearSession(SESSION_KEY);
    if (apiError.code === 'login_link_used') return { kind: 'link-used' };
    if (apiError.code === 'login_link_expired') return { kind: 'link-expired' };
    if (apiError.status === 401 || apiError.status === 422 || apiError.status === 400) return { kind: 'link-invalid' };
    return { kind: 'failed', key, error: apiError };
  }
}
