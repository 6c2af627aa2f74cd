import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { Hono } from 'hono';
import { serve } from '@hono/node-server';
import { hookrelayHono, type HookrelayHonoEnv } from './hono.js';
import { runMiddlewareCases, type StartedApp } from './test-support/middleware-cases.js';
import { hmacSigner, signedHeaders } from './test-support/sign.js';

async function startHono(secret: string): Promise<StartedApp> {
  const received: StartedApp['received'] = [];
  const app = new Hono<HookrelayHonoEnv>();
  app.post('/webhook', hookrelayHono(secret), (c) => {
    received.push({ payload: c.var.webhook, webhookId: c.var.webhookId });
    return c.json({ ok: true });
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

runMiddlewareCases('hono middleware', startHono);

test('hono: the handler can still read the body after verification', async () => {
  const signer = hmacSigner();
  const app = new Hono<HookrelayHonoEnv>();
  app.post('/webhook', hookrelayHono(signer.verificationKey), async (c) =>
    c.json({ json: await c.req.json(), text: await c.req.text() }),
  );
  const body = '{"type":"a.b"}';
  const response = await app.request('/webhook', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signedHeaders(signer, body) },
    body,
  });
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { json: { type: 'a.b' }, text: body });
});
