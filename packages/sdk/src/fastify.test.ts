import { test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { hookrelayFastify } from './fastify.js';
import { runMiddlewareCases, type StartedApp } from './test-support/middleware-cases.js';
import { hmacSigner, signedHeaders } from './test-support/sign.js';

async function startFastify(secret: string): Promise<StartedApp> {
  const received: StartedApp['received'] = [];
  const app = Fastify();
  app.register(async (webhooks) => {
    await webhooks.register(hookrelayFastify, { secret });
    webhooks.post('/webhook', async (request) => {
      received.push({ payload: request.body, webhookId: request.headers['webhook-id'] });
      return { ok: true };
    });
  });
  // Outside the scope: ordinary JSON parsing, no verification.
  app.post('/other', async (request) => ({ echo: request.body }));
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url, received, close: () => app.close() };
}

runMiddlewareCases('fastify plugin', startFastify);

test('fastify: routes outside the plugin scope keep normal JSON parsing and no verification', async () => {
  const app = await startFastify(hmacSigner().verificationKey);
  try {
    const response = await fetch(`${app.url}/other`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { echo: { a: 1 } });
  } finally {
    await app.close();
  }
});

test('fastify: route body schemas validate the verified payload', async () => {
  const signer = hmacSigner();
  const app = Fastify();
  app.register(async (webhooks) => {
    await webhooks.register(hookrelayFastify, { secret: signer.verificationKey });
    webhooks.post(
      '/webhook',
      { schema: { body: { type: 'object', required: ['type'] } } },
      async (request) => request.body,
    );
  });
  await app.ready();
  try {
    const good = '{"type":"a.b"}';
    const ok = await app.inject({
      method: 'POST',
      url: '/webhook',
      headers: { 'content-type': 'application/json', ...signedHeaders(signer, good) },
      payload: good,
    });
    assert.equal(ok.statusCode, 200);
    assert.deepEqual(ok.json(), { type: 'a.b' });
    const bad = '{"kind":"a.b"}';
    const rejected = await app.inject({
      method: 'POST',
      url: '/webhook',
      headers: { 'content-type': 'application/json', ...signedHeaders(signer, bad) },
      payload: bad,
    });
    assert.equal(rejected.statusCode, 400);
  } finally {
    await app.close();
  }
});
