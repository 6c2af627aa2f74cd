import type { MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { rejectionOf } from './rejection.js';
import { createWebhookVerifier, type VerifyOptions } from './verify.js';
import { readWebhookHeaders } from './webhook-headers.js';

/** Variables the middleware sets: `c.var.webhook` (the payload) and `c.var.webhookId`. */
export interface HookrelayHonoEnv {
  Variables: {
    webhook: unknown;
    webhookId: string;
  };
}

/**
 * Hono (4) middleware that verifies a Hookrelay / Standard Webhooks delivery.
 *
 * It reads the raw bytes (`c.req.arrayBuffer()`; Hono caches the body, so the handler can still
 * call `c.req.json()`), and on success sets `c.var.webhook` to the parsed payload and
 * `c.var.webhookId` to the `webhook-id`. On failure it answers 401 `{code, detail}`.
 */
export function hookrelayHono(secret: string, options: VerifyOptions = {}): MiddlewareHandler<HookrelayHonoEnv> {
  const verify = createWebhookVerifier(secret, options);
  return async (c, next) => {
    const raw = Buffer.from(await c.req.arrayBuffer());
    const headers = c.req.raw.headers;
    let payload: unknown;
    try {
      payload = verify(raw, headers);
    } catch (error) {
      const rejection = rejectionOf(error);
      if (!rejection) throw error;
      return c.json(rejection.body, rejection.status as ContentfulStatusCode);
    }
    c.set('webhook', payload);
    c.set('webhookId', readWebhookHeaders(headers).id ?? '');
    await next();
  };
}
