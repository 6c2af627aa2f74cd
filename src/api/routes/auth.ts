import { ConflictError, NotFoundError } from '../../errors.js';
import { looksLikeId, newId } from '../../ids.js';
import type { Application } from '../../domain/model.js';
import { generateAppToken, sha256Hex } from '../auth.js';
import type { Api, ApiContext } from '../context.js';
import { AppIdParams, ERROR_RESPONSES, IdempotencyHeaders, ref } from '../schemas/common.js';
import { AppPortalAccessIn, AppPortalAccessOut } from '../schemas/message.js';

const tags = ['Authentication'];
const DEFAULT_EXPIRY_S = 7 * 86_400;

export function authRoutes(api: Api, { store, config }: ApiContext): void {
  api.post('/api/v1/auth/app-portal-access/:app_id', {
    config: { access: 'admin', optionalBody: true },
    schema: {
      operationId: 'v1.authentication.app-portal-access', tags, summary: 'Get a consumer-portal login for an application',
      description: 'Mints an app-scoped bearer token (only that application\'s routes; default lifetime 7 days) and the portal URL that logs in with it. With `application`, the application is created when it does not exist.',
      params: AppIdParams, headers: IdempotencyHeaders, body: ref(AppPortalAccessIn),
      response: { 200: ref(AppPortalAccessOut), ...ERROR_RESPONSES },
    },
  }, async (req) => {
    let app: Application | null = await store.getApplication(req.params.app_id);
    const appIn = req.body.application;
    if (!app && appIn) {
      try {
        app = await store.createApplication({
          id: newId('application'),
          uid: appIn.uid ?? (looksLikeId('application', req.params.app_id) ? null : req.params.app_id),
          name: appIn.name,
          rateLimit: appIn.rateLimit ?? appIn.throttleRate ?? null,
          metadata: appIn.metadata ?? {},
          now: Date.now(),
        });
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
        app = await store.getApplication(appIn.uid ?? req.params.app_id);
      }
    }
    if (!app) throw new NotFoundError('Application', req.params.app_id);
    const now = Date.now();
    const token = generateAppToken();
    await store.createToken({
      id: newId('token', now),
      hash: sha256Hex(token),
      appId: app.id,
      expiresAt: now + (req.body.expiry ?? DEFAULT_EXPIRY_S) * 1000,
      now,
    });
    const base = (config.publicUrl ?? `${req.protocol}://${req.host}`).replace(/\/+$/, '');
    return { url: `${base}/portal?token=${encodeURIComponent(token)}`, token };
  });
}
