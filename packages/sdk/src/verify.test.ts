import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createWebhookVerifier, verifyWebhook } from './verify.js';
import { WebhookVerificationError, type VerificationFailureReason } from './webhook-verification-error.js';
import { ed25519Signer, hmacSigner, nowSeconds, signedHeaders, type Signer } from './test-support/sign.js';

const body = JSON.stringify({ type: 'user.created', data: { id: 'u_1', name: 'Zoë' } });

function rejects(fn: () => unknown, reason: VerificationFailureReason): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof WebhookVerificationError, `expected WebhookVerificationError, got ${String(error)}`);
    assert.equal(error.reason, reason, error.message);
    assert.equal(error.code, reason);
    return true;
  });
}

for (const [kind, makeSigner] of [
  ['whsec_ (v1 HMAC)', hmacSigner],
  ['whpk_ (v1a ed25519)', ed25519Signer],
] as const) {
  describe(`verifyWebhook with ${kind}`, () => {
    const signer: Signer = makeSigner();
    const key = signer.verificationKey;

    test('a valid delivery returns the parsed payload (string, Buffer, Uint8Array bodies)', () => {
      const headers = signedHeaders(signer, body);
      assert.deepEqual(verifyWebhook(body, headers, key), JSON.parse(body));
      assert.deepEqual(verifyWebhook(Buffer.from(body), headers, key), JSON.parse(body));
      assert.deepEqual(verifyWebhook(new TextEncoder().encode(body), headers, key), JSON.parse(body));
    });

    test('headers may be a Headers object, any case, or svix-* names', () => {
      const headers = signedHeaders(signer, body);
      assert.deepEqual(verifyWebhook(body, new Headers(headers), key), JSON.parse(body));
      const upper = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toUpperCase(), v]));
      assert.deepEqual(verifyWebhook(body, upper, key), JSON.parse(body));
      const svix = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.replace('webhook-', 'svix-'), v]));
      assert.deepEqual(verifyWebhook(body, svix, key), JSON.parse(body));
    });

    test('a timestamp 4 minutes off either way is still inside the tolerance', () => {
      assert.ok(verifyWebhook(body, signedHeaders(signer, body, { timestamp: nowSeconds() - 240 }), key));
      assert.ok(verifyWebhook(body, signedHeaders(signer, body, { timestamp: nowSeconds() + 240 }), key));
    });

    test('toleranceSeconds: 0 checks an old capture by its signature alone; a smaller window refuses sooner', () => {
      const old = signedHeaders(signer, body, { timestamp: nowSeconds() - 30 * 24 * 3600 });
      assert.deepEqual(verifyWebhook(body, old, key, { toleranceSeconds: 0 }), JSON.parse(body));
      rejects(() => verifyWebhook(body.replace('u_1', 'u_2'), old, key, { toleranceSeconds: 0 }), 'invalid_signature');
      rejects(
        () => verifyWebhook(body, { ...old, 'webhook-timestamp': 'soon' }, key, { toleranceSeconds: 0 }),
        'invalid_signature',
      );
      const twoMinutes = signedHeaders(signer, body, { timestamp: nowSeconds() - 120 });
      assert.ok(verifyWebhook(body, twoMinutes, key));
      rejects(() => verifyWebhook(body, twoMinutes, key, { toleranceSeconds: 60 }), 'timestamp_too_old');
      for (const toleranceSeconds of [-1, 1.5, Number.NaN])
        assert.throws(() => createWebhookVerifier(key, { toleranceSeconds }), RangeError);
    });

    test('a tampered body is rejected: invalid_signature', () => {
      const headers = signedHeaders(signer, body);
      rejects(() => verifyWebhook(body.replace('u_1', 'u_2'), headers, key), 'invalid_signature');
    });

    test('a tampered id or timestamp is rejected: invalid_signature', () => {
      const headers = signedHeaders(signer, body);
      rejects(() => verifyWebhook(body, { ...headers, 'webhook-id': 'msg_other' }, key), 'invalid_signature');
      const moved = String(Number(headers['webhook-timestamp']) - 1);
      rejects(() => verifyWebhook(body, { ...headers, 'webhook-timestamp': moved }, key), 'invalid_signature');
    });

    test('a timestamp more than 5 minutes old is rejected: timestamp_too_old', () => {
      const headers = signedHeaders(signer, body, { timestamp: nowSeconds() - 10 * 60 });
      rejects(() => verifyWebhook(body, headers, key), 'timestamp_too_old');
    });

    test('a timestamp more than 5 minutes ahead is rejected: timestamp_too_new', () => {
      const headers = signedHeaders(signer, body, { timestamp: nowSeconds() + 10 * 60 });
      rejects(() => verifyWebhook(body, headers, key), 'timestamp_too_new');
    });

    test('a delivery signed with another key is rejected: invalid_signature', () => {
      const headers = signedHeaders(makeSigner(), body);
      rejects(() => verifyWebhook(body, headers, key), 'invalid_signature');
    });

    for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
      test(`a missing ${name} is rejected: missing_header`, () => {
        const headers: Record<string, string> = signedHeaders(signer, body);
        delete headers[name];
        rejects(() => verifyWebhook(body, headers, key), 'missing_header');
        rejects(() => verifyWebhook(body, { ...headers, [name]: '' }, key), 'missing_header');
      });
    }

    test('several signatures pass if one matches (secret rotation), in any position', () => {
      const headers = signedHeaders(signer, body);
      const id = headers['webhook-id']!;
      const ts = Number(headers['webhook-timestamp']);
      const stale = makeSigner().sign(id, ts, body);
      for (const list of [
        `${stale} ${headers['webhook-signature']}`,
        `${headers['webhook-signature']} ${stale}`,
        `v2,abc ${stale} ${headers['webhook-signature']}`,
      ]) {
        assert.deepEqual(verifyWebhook(body, { ...headers, 'webhook-signature': list }, key), JSON.parse(body));
      }
      rejects(
        () =>
          verifyWebhook(body, { ...headers, 'webhook-signature': `${stale} ${makeSigner().sign(id, ts, body)}` }, key),
        'invalid_signature',
      );
    });

    test('a repeated signature header (Node array) counts as a list', () => {
      const headers = signedHeaders(signer, body);
      const stale = makeSigner().sign(headers['webhook-id']!, Number(headers['webhook-timestamp']), body);
      const node = { ...headers, 'webhook-signature': [stale, headers['webhook-signature']!] };
      assert.deepEqual(verifyWebhook(body, node, key), JSON.parse(body));
    });

    test('a non-numeric timestamp is rejected: invalid_signature', () => {
      const headers = signedHeaders(signer, body);
      rejects(() => verifyWebhook(body, { ...headers, 'webhook-timestamp': 'yesterday' }, key), 'invalid_signature');
    });

    test('a signed body that is not JSON: invalid_payload, or the string with parseJson false', () => {
      const text = 'not json';
      const headers = signedHeaders(signer, text);
      rejects(() => verifyWebhook(text, headers, key), 'invalid_payload');
      assert.equal(verifyWebhook(text, headers, key, { parseJson: false }), text);
    });
  });
}

describe('verifyWebhook key handling', () => {
  test('v1 signatures do not satisfy a whpk_ key, nor v1a a whsec_ key', () => {
    const hmac = hmacSigner();
    const ed = ed25519Signer();
    const headers = signedHeaders(hmac, body);
    rejects(
      () =>
        verifyWebhook(
          body,
          {
            ...headers,
            'webhook-signature': ed.sign(headers['webhook-id']!, Number(headers['webhook-timestamp']), body),
          },
          hmac.verificationKey,
        ),
      'invalid_signature',
    );
    rejects(() => verifyWebhook(body, headers, ed.verificationKey), 'invalid_signature');
  });

  test('unusable keys are rejected up front: invalid_secret', () => {
    for (const key of [
      '',
      'whsec_',
      'whsec_!!!!',
      'whpk_',
      'whpk_AAAA',
      'whpk_' + Buffer.alloc(31).toString('base64'),
      'whsk_' + Buffer.alloc(32).toString('base64'),
    ]) {
      rejects(() => createWebhookVerifier(key), 'invalid_secret');
      rejects(() => verifyWebhook(body, {}, key), 'invalid_secret');
    }
  });

  test('a bare base64 secret (as Svix accepts) works like its whsec_ form', () => {
    const signer = hmacSigner();
    const bare = signer.verificationKey.slice('whsec_'.length);
    assert.deepEqual(verifyWebhook(body, signedHeaders(signer, body), bare), JSON.parse(body));
  });

  test('an empty signed body verifies to undefined', () => {
    const signer = hmacSigner();
    assert.equal(verifyWebhook('', signedHeaders(signer, ''), signer.verificationKey), undefined);
  });
});
