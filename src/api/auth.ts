import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { ForbiddenError, UnauthorizedError } from '../errors.js';
import type { Store } from '../store/store.js';

/**
 * Bearer-token authentication. The admin token is compared by its sha256 (timing-safe) with the
 * configured hash; every other token is looked up by its sha256 in the store. Tokens bound to an
 * application (portal tokens) may only use that application's routes.
 *
 * Each route says who may call it (`config.access`):
 * - `public`: nobody needs a token (health, OpenAPI document);
 * - `admin`: admin tokens only (list/create apps, event-type writes, portal tokens);
 * - `any`: any valid token (reading event types, which the portal shows);
 * - `app` (default): admin, or an app token whose application is the route's `{app_id}`.
 */
export type Access = 'public' | 'admin' | 'any' | 'app';

export type Principal =
  | { kind: 'admin'; tokenId: string | null }
  | { kind: 'app'; tokenId: string; appId: string };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
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

function bearer(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1] : null;
}

export class Authenticator {
  private readonly adminHash: Buffer;

  constructor(private readonly store: Store, adminTokenHash: string) {
    this.adminHash = Buffer.from(adminTokenHash, 'hex');
  }

  async principalOf(request: FastifyRequest, now = Date.now()): Promise<Principal> {
    const token = bearer(request);
    if (!token) throw new UnauthorizedError('Missing bearer token: send `Authorization: Bearer <token>`.');
    const hash = sha256Hex(token);
    const presented = Buffer.from(hash, 'hex');
    if (this.adminHash.length === presented.length && timingSafeEqual(this.adminHash, presented)) return { kind: 'admin', tokenId: null };
    const record = await this.store.findToken(hash, now);
    if (!record) throw new UnauthorizedError();
    if (record.appId === null) return { kind: 'admin', tokenId: record.id };
    return { kind: 'app', tokenId: record.id, appId: record.appId };
  }

  /** onRequest hook body: authenticate, then check the route's access rule. */
  async authorize(request: FastifyRequest): Promise<void> {
    request.principal = null;
    const access = request.routeOptions.config?.access ?? 'app';
    if (access === 'public' || request.is404) return;
    const principal = await this.principalOf(request);
    request.principal = principal;
    if (principal.kind === 'admin' || access === 'any') return;
    if (access === 'admin') throw new ForbiddenError('This route needs an admin token.');
    const appParam = (request.params as { app_id?: string } | undefined)?.app_id;
    if (appParam === undefined) throw new ForbiddenError('This route needs an admin token.');
    if (appParam === principal.appId) return;
    const app = await this.store.getApplication(appParam);
    if (!app || app.id !== principal.appId) throw new ForbiddenError();
  }
}

/** The key idempotent responses and logs are scoped by: one per token. */
export function principalKey(p: Principal | null): string {
  if (!p) return 'anonymous';
  return p.kind === 'admin' ? `admin:${p.tokenId ?? 'root'}` : `app:${p.tokenId}`;
}
