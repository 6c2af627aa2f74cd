// Tokens and idempotency records as the Store keeps them (store.ts re-exports them).
import type { Capability } from '../domain/capabilities.js';

/**
 * What a token is for. `api`: a long-lived token (admin tokens in the store, `hookrelay token`);
 * `portal`: the bearer an app-portal-access call returns; `login_key`: the one-time key of a
 * portal login link, never a bearer itself (findToken does not return it), only exchanged once
 * (exchangeLoginKey); `session`: the bearer such an exchange opens.
 */
export type TokenKind = 'api' | 'portal' | 'session' | 'login_key';

export interface NewToken {
  id: string;
  /** sha256 hex of the token; the token itself is never stored. */
  hash: string;
  /** null = admin token. */
  appId: string | null;
  expiresAt: number | null;
  now: number;
  /** (Default: 'api') */
  kind?: TokenKind;
  /** The app token's capabilities; null = all of them (domain/capabilities.ts). (Default: null) */
  capabilities?: Capability[] | null;
  /** The caller's label for the portal session, which `expireAppTokens` can select by. (Default: null) */
  sessionId?: string | null;
  /** Login keys only: when the session the key opens will end. */
  sessionExpiresAt?: number | null;
}

export interface TokenRecord {
  id: string;
  appId: string | null;
  expiresAt: number | null;
  kind: TokenKind;
  capabilities: Capability[] | null;
  sessionId: string | null;
}

/** What exchanging a login key gave: the new session, or why the key was refused. */
export type LoginKeyExchange =
  { ok: true; session: TokenRecord } | { ok: false; reason: 'used' | 'expired' | 'unknown' };

export interface IdempotentResponse {
  status: number;
  body: string;
}
