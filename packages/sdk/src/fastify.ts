import type { FastifyInstance, FastifyPluginCallback } from 'fastify';
import { rejectionOf } from './rejection.js';
import { createWebhookVerifier, type VerifyOptions } from './verify.js';

export interface HookrelayFastifyOptions extends VerifyOptions {
  /** The endpoint's `whsec_` secret or `whpk_` public key. */
  secret: string;
}

/**
 * Fastify (5) plugin that verifies Hookrelay / Standard Webhooks deliveries on every route of
 * the scope it is registered in. Register it inside your own scope for the webhook routes:
 *
 *   app.register(async (webhooks) => {
 *     await webhooks.register(hookrelayFastify, { secret });
 *     webhooks.post('/webhooks', async (request) => { request.body; // verified payload });
 *   });
 *
 * In that scope it replaces the JSON parser with one that keeps the raw bytes (the signature
 * covers those, not re-serialised JSON), verifies them in `preValidation`, and puts the parsed
 * payload in `request.body` — so route body schemas validate the payload. A failure answers
 * 401 `{code, detail}` with the reason. Routes outside the scope are untouched.
 */
export const hookrelayFastify: FastifyPluginCallback<HookrelayFastifyOptions> = (
  instance: FastifyInstance,
  options: HookrelayFastifyOptions,
  done: (error?: Error) => void,
) => {
  const verify = createWebhookVerifier(options.secret, options);

  instance.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, parsed) => {
    parsed(null, body);
  });

  instance.addHook('preValidation', async (request, reply) => {
    const body = request.body;
    const raw = Buffer.isBuffer(body) || typeof body === 'string' ? body : '';
    try {
      request.body = verify(raw, request.headers);
    } catch (error) {
      const rejection = rejectionOf(error);
      if (!rejection) throw error;
      return reply.code(rejection.status).send(rejection.body);
    }
  });
  done();
};

// What fastify-plugin would set: apply to the scope that registers us, not to a child scope
// of our own (where the caller's routes could not see the parser and hook).
Object.assign(hookrelayFastify, {
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: 'hookrelay-verify',
});
