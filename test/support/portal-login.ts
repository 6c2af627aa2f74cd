import assert from 'node:assert/strict';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';

/**
 * The portal login as a browser does it: an admin mints access for an app, the portal page reads
 * the one-time key from the link's fragment and exchanges it for a session token.
 */

type Call = (opts: InjectOptions & { token?: string | null }) => Promise<LightMyRequestResponse>;

export interface PortalLogin {
  /** The `token` of the access (an app-scoped bearer, kind portal). */
  accessToken: string;
  url: string;
  /** The one-time key from the url's fragment. */
  key: string;
}

/** POST app-portal-access as admin; asserts 200 and splits the key out of the url. */
export async function portalAccess(
  call: Call,
  appId: string,
  body: Record<string, unknown> = {},
): Promise<PortalLogin> {
  const res = await call({ method: 'POST', url: `/api/v1/auth/app-portal-access/${appId}`, payload: body });
  assert.equal(res.statusCode, 200, res.body);
  const { url, token } = res.json() as { url: string; token: string };
  const key = new URL(url).hash.match(/^#key=(.+)$/)?.[1];
  assert.ok(key, `no #key= in ${url}`);
  return { accessToken: token, url, key };
}

export function exchange(call: Call, key: string): Promise<LightMyRequestResponse> {
  return call({ method: 'POST', url: '/api/v1/auth/one-time-token', token: null, payload: { oneTimeToken: key } });
}

/** A portal session token for the app with these access options (the whole flow; asserts each step). */
export async function portalSession(call: Call, appId: string, body: Record<string, unknown> = {}): Promise<string> {
  const { key } = await portalAccess(call, appId, body);
  const res = await exchange(call, key);
  assert.equal(res.statusCode, 200, res.body);
  return (res.json() as { token: string }).token;
}
