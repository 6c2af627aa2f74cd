import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { holds, type CapabilityNeed } from '../domain/capabilities.js';
import { memoize } from '../memoize.js';
import { ForbiddenError, UnauthorizedError } from '../errors.js';
import type { Store } from '../store/store.js';
import type { Principal } from './principal.js';
import type { ApiRateLimits } from './rate-limits.js';

export type { Principal } from './principal.js';

/**
 * Bearer-token authentication. The admin token is compared by its sha256 (timing-safe) with the
 * configured hash; every other token is looked up by its sha256 in the store. Tokens bound to an
 * application (portal tokens, portal sessions, `hookrelay token --app`) may only use that
 * application's routes, and only as far as their capabilities reach.
 *
 * Each route says who may call it (`config.access`):
 * - `public`: nobody needs a token (health, OpenAPI document, the one-time-key exchange);
 * - `admin`: admin tokens only (list/create/delete apps, event-type writes, minting and expiring tokens);
 * - `any`: any valid token (reading event types, whoami, logout);
 * - `app` (default): admin, or an app token whose application is the route's `{app_id}`.
 *
 * and what an app token needs to call it (`config.capability`, domain/capabilities.ts). A route
 * that does not say needs `'all'`: a route added without a decision is closed to tokens minted
 * with a capability list rather than open to them. Admin tokens pass every capability check.
 */
export type Access = 'public' | 'admin' | 'any' | 'app';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /** What an app token needs here. (Default: 'all') */
    capability?: CapabilityNeed;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** A new app-scoped token, prefixed like Svix's portal tokens. */
export function generateAppToken(): string {
  return 'appsk_' + randomBytes(32).toString('base64url');
}

/** A new one-time login key (the `#key=` of a portal link); never accepted as a bearer token. */
export function generateLoginKey(): string {
  return 'hrlk_' + randomBytes(32).toString('base64url');
}

function bearer(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1] : null;
}

function capabilityRefusal(need: CapabilityNeed): ForbiddenError {
  const detail =
    need === 'all'
      ? 'This session lacks the capabilities this route needs: only a token minted without a capabilities list may call it.'
      : `This session lacks the ${need} capability.`;
  return new ForbiddenError(detail, 'insufficient_capability');
}

export class Authenticator {
  private readonly adminHash: Buffer;
  /** A bearer token's SHA-256: the same few tokens call again and again, and only the store decides whether one is valid. */
  private readonly digestOf = memoize((token: string) => {
    const bytes = createHash('sha256').update(token).digest();
    return { bytes, hex: bytes.toString('hex') };
  });

  /** `limits`: the API rate limits (rate-limits.ts), counted once the token is known. (Default: none) */
  constructor(
    private readonly store: Store,
    adminTokenHash: string,
    private readonly limits: ApiRateLimits | null = null,
  ) {
    this.adminHash = Buffer.from(adminTokenHash, 'hex');
  }

  async principalOf(request: FastifyRequest, now = Date.now()): Promise<Principal> {
    const token = bearer(request);
    if (!token) throw new UnauthorizedError('Missing bearer token: send `Authorization: Bearer <token>`.');
    const presented = this.digestOf(token);
    if (this.adminHash.length === presented.bytes.length && timingSafeEqual(this.adminHash, presented.bytes))
      return { kind: 'admin', tokenId: null };
    const record = await this.store.findToken(presented.hex, now);
    if (!record) throw new UnauthorizedError();
    if (record.appId === null) return { kind: 'admin', tokenId: record.id, expiresAt: record.expiresAt };
    return {
      kind: 'app',
      tokenId: record.id,
      appId: record.appId,
      tokenKind: record.kind,
      capabilities: record.capabilities,
      sessionId: record.sessionId,
      expiresAt: record.expiresAt,
    };
  }

  /** onRequest hook body: authenticate, count the request against the rate limits, then check the route's access rule and capability. */
  async authorize(request: FastifyRequest): Promise<void> {
    request.principal = null;
    const config = request.routeOptions.config;
    const access = config?.access ?? 'app';
    if (access === 'public' || request.is404) return;
    const principal = await this.principalOf(request);
    request.principal = principal;
    if (this.limits) await this.limits.check(request, principal);
    if (principal.kind === 'admin') return;
    if (access === 'admin') throw new ForbiddenError('This route needs an admin token.');
    if (access === 'app') await this.requireOwnApp(request, principal.appId);
    const need = config?.capability ?? 'all';
    if (!holds(principal.capabilities, need)) throw capabilityRefusal(need);
  }

  private async requireOwnApp(request: FastifyRequest, appId: string): Promise<void> {
    const appParam = (request.params as { app_id?: string } | undefined)?.app_id;
    if (appParam === undefined) throw new ForbiddenError('This route needs an admin token.');
    if (appParam === appId) return;
    const app = await this.store.getApplication(appParam);
    if (!app || app.id !== appId) throw new ForbiddenError();
  }
}

/** The key idempotent responses and logs are scoped by: one per token. */
export function principalKey(p: Principal | null): string {
  if (!p) return 'anonymous';
  return p.kind === 'admin' ? `admin:${p.tokenId ?? 'root'}` : `app:${p.tokenId}`;
}
