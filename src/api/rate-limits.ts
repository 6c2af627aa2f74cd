import type { FastifyRequest } from 'fastify';
import { SharedRateBudget } from '../domain/shared-rate-budget.js';
import { RateLimitedError } from '../errors.js';
import type { Store } from '../store/store.js';
import { AppIdCache } from './app-id-cache.js';
import type { Principal } from './principal.js';
import { isStorableString } from './storable-strings.js';

/**
 * API rate limits (HOOKRELAY_API_RATE_LIMIT_PER_TOKEN, HOOKRELAY_API_RATE_LIMIT_PER_APP): a token
 * bucket per bearer token and per application, `limit` requests per second with one second of
 * burst, in the store's shared rate budgets, so every API process on one PostgreSQL database
 * counts against the same buckets. Checked by the authenticator once it knows the token, so
 * routes that need none are never counted. An app token counts against its own application; an
 * admin token against the application its route names, if any.
 */

export interface ApiRateLimitSettings {
  perToken: number | null;
  perApp: number | null;
}

export class ApiRateLimits {
  private readonly budget: SharedRateBudget;
  private readonly appIds = new AppIdCache();

  private constructor(
    private readonly store: Store,
    private readonly limits: ApiRateLimitSettings,
    private readonly clock: { now(): number },
  ) {
    this.budget = new SharedRateBudget({ store, spread: false, clock });
  }

  /** The limits to enforce, or null when both are off (requests then never reach the store for them). */
  static of(
    store: Store,
    limits: ApiRateLimitSettings,
    clock: { now(): number } = { now: () => Date.now() },
  ): ApiRateLimits | null {
    return limits.perToken === null && limits.perApp === null ? null : new ApiRateLimits(store, limits, clock);
  }

  /** Count one request of `principal`; throws RateLimitedError (429, Retry-After) over a limit. */
  async check(request: FastifyRequest, principal: Principal): Promise<void> {
    const { perToken, perApp } = this.limits;
    const appId = perApp === null ? null : await this.appOf(request, principal);
    const [token, app] = await Promise.all([
      perToken === null ? null : this.budget.take(`api:token:${principal.tokenId ?? 'admin'}`, perToken, perToken),
      appId === null ? null : this.budget.take(`api:app:${appId}`, perApp!, perApp!),
    ]);
    if (token !== null)
      throw this.refusal(token, `this token (at most ${perToken} per second: HOOKRELAY_API_RATE_LIMIT_PER_TOKEN)`);
    if (app !== null)
      throw this.refusal(app, `application ${appId} (at most ${perApp} per second: HOOKRELAY_API_RATE_LIMIT_PER_APP)`);
  }

  private refusal(retryAt: number, what: string): RateLimitedError {
    const seconds = Math.max(1, Math.ceil((retryAt - this.clock.now()) / 1000));
    return new RateLimitedError(`Too many requests for ${what}. Retry after ${seconds} s.`, seconds);
  }

  /** The application a request counts against: an app token's own; for an admin token, the route's `{app_id}` (an ID or uid) resolved to its ID. */
  private async appOf(request: FastifyRequest, principal: Principal): Promise<string | null> {
    if (principal.kind === 'app') return principal.appId;
    const param = (request.params as { app_id?: string } | undefined)?.app_id;
    if (param === undefined || !isStorableString(param)) return null; // the route refuses an unstorable one
    const cached = this.appIds.get(param);
    if (cached !== null) return cached;
    const app = await this.store.getApplication(param);
    if (!app) return null; // the route answers 404
    this.appIds.set(param, app.id);
    return app.id;
  }
}
