import { Type } from '@sinclair/typebox';
import { listed } from '../../domain/capabilities.js';
import { BadRequestError } from '../../errors.js';
import type { Api, ApiContext } from '../context.js';
import { requireApp } from '../lookup.js';
import { ApplicationTokenExpireIn, WhoamiOut } from '../schemas/auth.js';
import { AppIdParams, ERROR_RESPONSES, IdempotencyHeaders, ref } from '../schemas/common.js';
import { iso } from '../../domain/iso-time.js';

/** What a token can learn about itself, and the two ways tokens end early: logout, and expire-all. */

const tags = ['Authentication'];

export function sessionRoutes(api: Api, { store }: ApiContext): void {
  api.get(
    '/api/v1/auth/whoami',
    {
      config: { access: 'any', capability: 'ViewBase' },
      schema: {
        operationId: 'v1.authentication.whoami',
        tags,
        summary: 'Describe the presented token',
        response: { 200: ref(WhoamiOut), ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const p = req.principal!;
      const expiresAt = p.expiresAt ?? null;
      const app = p.kind === 'app' ? p : null;
      return {
        envId: null,
        appId: app?.appId ?? null,
        permissionSource: app ? 'SvixJwt' : 'GlobalAuthToken',
        sessionId: app?.sessionId ?? null,
        capabilities: listed(app?.capabilities ?? null),
        expiresAt: expiresAt === null ? null : iso(expiresAt),
        admin: p.kind === 'admin',
      };
    },
  );

  api.post(
    '/api/v1/auth/logout',
    {
      config: { access: 'any', capability: 'ViewBase' },
      schema: {
        operationId: 'v1.authentication.logout',
        tags,
        summary: 'End the presented token',
        description:
          'The token stops working at once. The configured admin token is not a session: 400 `not_a_session`.',
        headers: IdempotencyHeaders,
        response: { 204: Type.Null(), ...ERROR_RESPONSES },
      },
    },
    async (req, reply) => {
      const p = req.principal!;
      if (p.tokenId === null) {
        throw new BadRequestError('The configured admin token is not a session: it cannot log out.', 'not_a_session');
      }
      await store.expireToken(p.tokenId, Date.now());
      return reply.code(204).send(null);
    },
  );

  api.post(
    '/api/v1/auth/app/:app_id/expire-all',
    {
      config: { access: 'admin', optionalBody: true },
      schema: {
        operationId: 'v1.authentication.expire-all',
        tags,
        summary: "Expire an application's tokens, sessions and login links",
        description:
          'Every token of the application (or only those minted with one of `sessionIds`), portal sessions and unused login links included, ' +
          'stops working `expiry` seconds from now. A token due to expire sooner keeps its own expiry.',
        params: AppIdParams,
        headers: IdempotencyHeaders,
        body: ref(ApplicationTokenExpireIn),
        response: { 204: Type.Null(), ...ERROR_RESPONSES },
      },
    },
    async (req, reply) => {
      const app = await requireApp(store, req.params.app_id);
      const sessionIds = req.body.sessionIds?.length ? req.body.sessionIds : null;
      await store.expireAppTokens(app.id, Date.now() + (req.body.expiry ?? 0) * 1000, sessionIds);
      return reply.code(204).send(null);
    },
  );
}
