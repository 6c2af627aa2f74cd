import type { FastifyInstance } from 'fastify';

/**
 * Once the API starts closing, every response still being answered says `Connection: close`.
 * The server's close() ends only the connections idle at that moment; a request answered a little
 * later (a long-poll woken by the close, waiting for one more store read) would otherwise leave
 * its connection open as keep-alive, and close() would wait for Fastify's keep-alive timeout (72 s).
 */
export function closeConnectionsWhenClosing(app: FastifyInstance): void {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_req, reply, payload) => {
    if (closing) reply.header('connection', 'close');
    return payload;
  });
}
