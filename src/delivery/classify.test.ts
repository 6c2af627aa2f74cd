import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { classify, parseRetryAfter } from './classify.js';
import type { SendResult } from './sender.js';

const now = Date.UTC(2024, 5, 1, 12, 0, 0);
const response = (statusCode: number, retryAfter: string | null = null, body = 'b'): SendResult => ({
  kind: 'response',
  statusCode,
  body,
  headers: {},
  retryAfter,
  durationMs: 12,
});

describe('classify', () => {
  it('any 2xx is a success', () => {
    for (const code of [200, 201, 202, 204, 299])
      assert.equal(classify(response(code), now).success, true, String(code));
  });

  it('3xx, 4xx, 5xx are failures; 410 also disables the endpoint', () => {
    for (const code of [100, 301, 302, 307, 400, 401, 404, 410, 429, 500, 502, 503]) {
      const c = classify(response(code), now);
      assert.equal(c.success, false, String(code));
      assert.equal(c.disableEndpoint, code === 410, String(code));
      assert.equal(c.statusCode, code);
    }
  });

  it('network errors are failures with status 0 and the reason as response', () => {
    const c = classify({ kind: 'error', error: 'timeout', durationMs: 15000 }, now);
    assert.deepEqual(c, {
      success: false,
      statusCode: 0,
      response: 'timeout',
      durationMs: 15000,
      disableEndpoint: false,
      retryAfterMs: null,
      reason: 'timeout',
    });
    const reasons = [
      'blocked: 10.0.0.1 is private',
      'dns: ENOTFOUND x.test',
      'tls: CERT_HAS_EXPIRED',
      'connection_refused',
    ].map((error) => classify({ kind: 'error', error, durationMs: 1 }, now).reason);
    assert.deepEqual(reasons, ['blocked', 'dns', 'tls', 'connection']);
    assert.equal(
      classify({ kind: 'response', statusCode: 502, body: '', headers: {}, retryAfter: null, durationMs: 1 }, now)
        .reason,
      'http_status',
    );
  });

  it('reads Retry-After only on 429 and 503', () => {
    assert.equal(classify(response(429, '30'), now).retryAfterMs, 30_000);
    assert.equal(classify(response(503, '2'), now).retryAfterMs, 2_000);
    assert.equal(classify(response(500, '30'), now).retryAfterMs, null);
    assert.equal(classify(response(200, '30'), now).retryAfterMs, null);
  });
});

describe('parseRetryAfter', () => {
  it('parses delta-seconds and HTTP dates', () => {
    assert.equal(parseRetryAfter('0', now), 0);
    assert.equal(parseRetryAfter(' 120 ', now), 120_000);
    assert.equal(parseRetryAfter(new Date(now + 90_000).toUTCString(), now), 90_000);
    assert.equal(parseRetryAfter('Sat, 01 Jun 2024 12:01:00 GMT', now), 60_000);
    assert.equal(parseRetryAfter(new Date(now - 90_000).toUTCString(), now), 0);
  });

  it('returns null for absent or garbage values', () => {
    for (const v of [null, '', '-5', '1.5', 'soon', '2024-13-45', 'NaN'])
      assert.equal(parseRetryAfter(v, now), null, String(v));
  });
});
