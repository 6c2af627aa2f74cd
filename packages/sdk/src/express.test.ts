import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import express, { type RequestHandler } from 'express';
import { hookrelayExpress } from './express.js';
import { WebhookVerificationError } from './webhook-verification-error.js';
import { runMiddlewareCases, type StartedApp } from './test-support/middleware-cases.js';
import { hmacSigner, signedHeaders } from './test-support/sign.js';

async function startExpress(secret: string, parser?: RequestHandler): Promise<StartedApp> {
  const received: StartedApp['received'] = [];
  const app = express();
  const chain: RequestHandler[] = parser ? [parser] : [];
  app.post('/webhook', ...chain, hookrelayExpress(secret), (req, res) => {
    received.push({ payload: req.body, webhookId: res.locals.webhookId });
    res.json({ ok: true });
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

runMiddlewareCases('express with express.raw()', (secret) =>
  startExpress(secret, express.raw({ type: 'application/json' })),
);
runMiddlewareCases('express reading the body itself', (secret) => startExpress(secret));

test('express: express.json() before the middleware is a setup error, not a silent pass', async () => {
  const signer = hmacSigner();
  const app = await startExpress(signer.verificationKey, express.json());
  try {
    const body = '{"a":1}';
    const response = await fetch(`${app.url}/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signedHeaders(signer, body) },
      body,
    });
    assert.equal(response.status, 500);
    assert.equal(app.received.length, 0);
  } finally {
    await app.close();
  }
});

test('express: an unusable secret fails when the middleware is created', () => {
  assert.throws(() => hookrelayExpress('whsec_!!!'), WebhookVerificationError);
});

test('express: a body over limitBytes gets 413 without reaching the handler', async () => {
  const signer = hmacSigner();
  const app = express();
  let called = false;
  app.post('/webhook', hookrelayExpress(signer.verificationKey, { limitBytes: 1024 }), (_req, res) => {
    called = true;
    res.json({ ok: true });
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const body = JSON.stringify({ blob: 'x'.repeat(4096) });
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signedHeaders(signer, body) },
      body,
    });
    assert.equal(response.status, 413);
    assert.equal(((await response.json()) as { code: string }).code, 'payload_too_large');
    assert.equal(called, false);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});
