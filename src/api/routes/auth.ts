import type { FastifyRequest } from 'fastify';
import { listed, type Capability } from '../../domain/capabilities.js';
import { UnauthorizedError, ValidationError } from '../../errors.js';
import { newId } from '../../ids.js';
import { generateAppToken, generateLoginKey, sha256Hex } from '../auth.js';
import type { Api, ApiContext } from '../context.js';
import { AppPortalAccessIn, AppPortalAccessOut, OneTimeTokenIn, OneTimeTokenOut } from '../schemas/auth.js';
import { AppIdParams, ERROR_RESPONSES, IdempotencyHeaders, ref } from '../schemas/common.js';
import { requireAppOrCreate } from '../lookup.js';
import { iso } from '../../domain/iso-time.js';

/**
 * The portal login: an admin mints access for one application (a bearer token and a link that
 * carries a one-time key in its fragment, which browsers never send to a server or put in a
 * Referer); the portal page exchanges the key, once, for a session token of its own.
 */

const tags = ['Authentication'];
const DEFAULT_EXPIRY_S = 604_800;

/** The capability list a portal access asks for; null = every capability. */
function requestedCapabilities(body: {
  capabilities?: Capability[] | null;
  readOnly?: boolean | null;
}): Capability[] | null {
  if (body.readOnly) return ['ViewBase'];
  if (body.capabilities === undefined || body.capabilities === null) return null;
  if (!body.capabilities.includes('ViewBase')) {
    throw ValidationError.single(
      ['body', 'capabilities'],
      'must include ViewBase (every portal session can see its application)',
      'value_error',
    );
  }
  return body.capabilities;
}

function publicBase(req: FastifyRequest, publicUrl: string | null): string {
  return (publicUrl ?? `${req.protocol}://${req.host}`).replace(/\/+$/, '');
}

const REFUSALS = {
  used: () => new UnauthorizedError('This login link was already used. Ask for a new one.', 'login_link_used'),
  expired: () => new UnauthorizedError('This login link has expired. Ask for a new one.', 'login_link_expired'),
  unknown: () => new UnauthorizedError('Unknown login key.'),
};

export function authRoutes(api: Api, { store, config }: ApiContext): void {
  api.post(
    '/api/v1/auth/app-portal-access/:app_id',
    {
      config: { access: 'admin', optionalBody: true },
      schema: {
        operationId: 'v1.authentication.app-portal-access',
        tags,
        summary: 'Get a consumer-portal login for an application',
        description:
          "Mints an app-scoped bearer token (that application's routes only, within `capabilities`) and a portal link carrying a one-time login key. " +
          'The key works once, until the token expires or HOOKRELAY_PORTAL_LINK_TTL_SECONDS pass, whichever is sooner; the session it opens ends with the token. ' +
          'With `application`, the application is created when it does not exist.',
        params: AppIdParams,
        headers: IdempotencyHeaders,
        body: ref(AppPortalAccessIn),
        response: { 200: ref(AppPortalAccessOut), ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const body = req.body;
      const capabilities = requestedCapabilities(body);
      const app = await requireAppOrCreate(store, req.params.app_id, body.application);
      const now = Date.now();
      const expiresAt = now + (body.expiry ?? DEFAULT_EXPIRY_S) * 1000;
      const grant = { appId: app.id, capabilities, sessionId: body.sessionId ?? null, now };
      const token = generateAppToken();
      await store.createToken({ ...grant, id: newId('token', now), hash: sha256Hex(token), kind: 'portal', expiresAt });
      const key = generateLoginKey();
      await store.createToken({
        ...grant,
        id: newId('token', now),
        hash: sha256Hex(key),
        kind: 'login_key',
        expiresAt: Math.min(expiresAt, now + config.portalLinkTtlSeconds * 1000),
        sessionExpiresAt: expiresAt,
      });
      return {
        url: `${publicBase(req, config.publicUrl)}/portal/?app=${encodeURIComponent(app.id)}#key=${key}`,
        token,
      };
    },
  );

  api.post(
    '/api/v1/auth/one-time-token',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'v1.authentication.exchange-one-time-token',
        tags,
        summary: "Exchange a portal link's one-time key for a session",
        description:
          'No bearer token needed: the key is the credential. It works once: a second exchange is 401 `login_link_used`, ' +
          'an expired key 401 `login_link_expired`, an unknown one 401 `authentication_failed`.',
        security: [],
        body: ref(OneTimeTokenIn),
        response: { 200: ref(OneTimeTokenOut), ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const now = Date.now();
      const token = generateAppToken();
      const result = await store.exchangeLoginKey(
        sha256Hex(req.body.oneTimeToken),
        { id: newId('token', now), hash: sha256Hex(token) },
        now,
      );
      if (!result.ok) throw REFUSALS[result.reason]();
      const { session } = result;
      return {
        token,
        capabilities: listed(session.capabilities),
        appId: session.appId!,
        expiresAt: session.expiresAt === null ? null : iso(session.expiresAt),
      };
    },
  );
}
