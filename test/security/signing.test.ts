import assert from 'node:assert/strict';
import { syncBuiltinESMExports } from 'node:module';
import crypto, { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { verifyWebhook, WebhookVerificationError } from '../../packages/sdk/src/index.js';
import { Authenticator, sha256Hex } from '../../src/api/auth.js';
import { DeliveryWorker } from '../../src/delivery/worker.js';
import { verifyCaptured } from '../../src/cli/verify-captured.js';
import { apiInstance } from '../support/api-instance.js';
import { waitUntil } from '../support/api-client.js';
import { startRecorder } from '../support/webhook-recorder.js';

/**
 * Signing: comparisons of secrets and signatures are constant-time (observed by spying on the
 * comparison functions the code paths call), a rotation's grace period sends both signatures and
 * then only the new one (real deliveries), and replays outside the 5-minute window are refused
 * by the consumer SDK and by standardwebhooks.
 */

function sign(secret: string, id: string, ts: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return 'v1,' + createHmac('sha256', key).update(`${id}.${ts}.${body}`).digest('base64');
}

const SECRET = 'whsec_' + randomBytes(32).toString('base64');

describe('signing', { timeout: 60_000 }, () => {
  test('verification paths compare in constant time (spied at run time)', async () => {
    // node:crypto.timingSafeEqual, as seen by ESM importers after syncBuiltinESMExports().
    const original = crypto.timingSafeEqual;
    let nodeCalls = 0;
    crypto.timingSafeEqual = ((a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
      nodeCalls++;
      return original(a, b);
    }) as typeof original;
    syncBuiltinESMExports();
    try {
      const ts = Math.floor(Date.now() / 1000);
      const body = '{"a":1}';
      const headers = {
        'webhook-id': 'msg_1',
        'webhook-timestamp': String(ts),
        'webhook-signature': sign(SECRET, 'msg_1', ts, body),
      };

      // The consumer SDK's verifier, which `hookrelay verify` also uses: node's timingSafeEqual.
      assert.deepEqual(verifyWebhook(body, headers, SECRET), { a: 1 });
      assert.ok(nodeCalls >= 1, 'the SDK compared with crypto.timingSafeEqual');
      assert.equal(verifyCaptured(SECRET, { headers, body: Buffer.from(body) }).ok, true);
      const before = nodeCalls;
      const forged = { ...headers, 'webhook-signature': 'v1,' + Buffer.alloc(32).toString('base64') };
      assert.throws(() => verifyWebhook(body, forged, SECRET), WebhookVerificationError);
      assert.ok(nodeCalls > before, 'a forged signature of the right length is compared in constant time too');

      // The admin token (src/api/auth.ts): compared by hash with crypto.timingSafeEqual.
      nodeCalls = 0;
      const auth = new Authenticator({ findToken: async () => null } as never, sha256Hex('the-admin-token'));
      assert.deepEqual(await auth.principalOf({ headers: { authorization: 'Bearer the-admin-token' } } as never), {
        kind: 'admin',
        tokenId: null,
      });
      await assert.rejects(auth.principalOf({ headers: { authorization: 'Bearer the-admin-tokeX' } } as never));
      assert.ok(nodeCalls >= 2, 'admin token compared with crypto.timingSafeEqual');
    } finally {
      crypto.timingSafeEqual = original;
      syncBuiltinESMExports();
    }
    // And the paths hold no plain string comparison of signatures.
    for (const file of [
      'packages/sdk/src/ed25519-verifier.ts',
      'packages/sdk/src/hmac-verifier.ts',
      'src/api/auth.ts',
    ]) {
      const src = readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
      assert.doesNotMatch(
        src,
        /(signature|expected|want|hash)\s*===?\s*(sig|got|b64|presented|signature)/i,
        `${file}: a plain comparison of signatures`,
      );
    }
  });

  test('rotation: both signatures during the grace period, only the new one after it', async () => {
    const recorder = await startRecorder((_q, res) => res.end('ok'), '127.0.0.1', true);
    const api = await apiInstance({
      allowNetworks: ['127.0.0.0/8'],
      retrySchedule: [0],
      pollIntervalMs: 50,
      requestTimeoutMs: 2000,
      leaseMs: 10_000,
    });
    const silent = { debug() {}, info() {}, warn() {}, error() {} };
    const worker = new DeliveryWorker({ store: api.store, config: api.config, logger: silent });
    worker.start();
    try {
      const oldSecret = SECRET;
      const newSecret = 'whsec_' + randomBytes(32).toString('base64');
      assert.equal(
        (await api.call({ method: 'POST', url: '/api/v1/app', payload: { name: 'Sig', uid: 'sig' } })).statusCode,
        201,
      );
      const ep = JSON.parse(
        (
          await api.call({
            method: 'POST',
            url: '/api/v1/app/sig/endpoint',
            payload: { url: recorder.url, secret: oldSecret },
          })
        ).body,
      );
      const send = async (n: number) => {
        assert.equal(
          (
            await api.call({
              method: 'POST',
              url: '/api/v1/app/sig/msg',
              payload: { eventType: 'sig.test', payload: { n } },
            })
          ).statusCode,
          202,
        );
        await waitUntil(() => recorder.requests.length >= n, 10_000, `delivery ${n}`);
        return recorder.requests[n - 1];
      };
      const verifies = (secret: string, r: { headers: Record<string, unknown>; body: string }) => {
        try {
          new Webhook(secret).verify(r.body, r.headers as Record<string, string>);
          verifyWebhook(r.body, r.headers as Record<string, string>, secret);
          return true;
        } catch {
          return false;
        }
      };

      const first = await send(1);
      assert.equal(String(first.headers['webhook-signature']).split(' ').length, 1);
      assert.ok(verifies(oldSecret, first));

      const rotated = await api.call({
        method: 'POST',
        url: `/api/v1/app/sig/endpoint/${ep.id}/secret/rotate`,
        payload: { key: newSecret, gracePeriodSeconds: 2 },
      });
      assert.equal(rotated.statusCode, 204, rotated.body);
      const during = await send(2);
      assert.equal(
        String(during.headers['webhook-signature']).split(' ').length,
        2,
        'two signatures during the grace period',
      );
      assert.ok(verifies(oldSecret, during), 'a receiver still holding the old secret verifies');
      assert.ok(verifies(newSecret, during), 'a receiver already holding the new secret verifies');

      await new Promise((r) => setTimeout(r, 2300));
      const afterGrace = await send(3);
      assert.equal(
        String(afterGrace.headers['webhook-signature']).split(' ').length,
        1,
        'one signature after the grace period',
      );
      assert.ok(verifies(newSecret, afterGrace));
      assert.equal(verifies(oldSecret, afterGrace), false, 'the old secret no longer verifies');
    } finally {
      await worker.stop();
      await api.close();
      await recorder.close();
    }
  });

  test('replays outside the 5-minute window are refused by the SDK and by standardwebhooks', () => {
    const body = '{"replay":true}';
    const now = Math.floor(Date.now() / 1000);
    const at = (ts: number) => ({
      'webhook-id': 'msg_replay',
      'webhook-timestamp': String(ts),
      'webhook-signature': sign(SECRET, 'msg_replay', ts, body),
    });
    for (const [offset, ok, reason] of [
      [-299, true, null],
      [0, true, null],
      [299, true, null],
      [-301, false, 'timestamp_too_old'],
      [-3600, false, 'timestamp_too_old'],
      [-86_400 * 30, false, 'timestamp_too_old'],
      [301, false, 'timestamp_too_new'],
      [3600, false, 'timestamp_too_new'],
    ] as const) {
      const headers = at(now + offset);
      if (ok) {
        assert.deepEqual(verifyWebhook(body, headers, SECRET), { replay: true }, `offset ${offset}`);
        new Webhook(SECRET).verify(body, headers);
      } else {
        assert.throws(
          () => verifyWebhook(body, headers, SECRET),
          (e: unknown) => e instanceof WebhookVerificationError && e.reason === reason,
          `SDK, offset ${offset}`,
        );
        assert.throws(
          () => new Webhook(SECRET).verify(body, headers),
          /timestamp too (old|new)/,
          `standardwebhooks, offset ${offset}`,
        );
      }
    }
    // A correct signature under a replaced timestamp does not verify either (the timestamp is signed).
    const good = at(now - 400);
    assert.throws(
      () => verifyWebhook(body, { ...good, 'webhook-timestamp': String(now) }, SECRET),
      WebhookVerificationError,
    );
  });
});
