import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Webhook } from 'standardwebhooks';
import { claimedFixture } from './fixtures.js';
import { buildRequest, PayloadExpiredError, USER_AGENT } from '../../src/delivery/request-builder.js';

const now = Date.now();
const opts = { now, svixHeadersDefault: false };

describe('buildRequest', () => {
  it('standard format: JSON payload as given, our user agent, a verifiable signature', () => {
    const c = claimedFixture();
    const req = buildRequest(c, opts);
    assert.equal(req.method, 'POST');
    assert.equal(req.url, c.endpoint.url);
    assert.equal(req.body, c.message.payload);
    assert.equal(req.headers['content-type'], 'application/json');
    assert.match(USER_AGENT, /^Hookrelay\/\d+\.\d+\.\d+/);
    assert.equal(req.headers['user-agent'], USER_AGENT);
    assert.equal(req.headers['webhook-id'], 'msg_1');
    assert.equal(req.headers['webhook-timestamp'], String(Math.floor(now / 1000)));
    new Webhook(c.endpoint.secrets[0].key).verify(req.body!, req.headers);
    assert.equal(req.headers['svix-id'], undefined);
  });

  it('custom headers are sent but never override ours; hop-by-hop headers are dropped', () => {
    const c = claimedFixture({
      endpoint: {
        headers: {
          'X-Tenant': 'acme',
          'Webhook-Signature': 'v1,forged',
          'content-type': 'text/plain',
          'svix-id': 'x',
          'User-Agent': 'spoof',
          Host: 'evil',
          'Transfer-Encoding': 'chunked',
          Connection: 'upgrade',
        },
        svixHeaders: true,
      },
    });
    const req = buildRequest(c, opts);
    assert.equal(req.headers['x-tenant'], 'acme');
    assert.notEqual(req.headers['webhook-signature'], 'v1,forged');
    assert.equal(req.headers['content-type'], 'application/json');
    assert.equal(req.headers['svix-id'], 'msg_1');
    assert.equal(req.headers['user-agent'], USER_AGENT);
    for (const h of ['host', 'transfer-encoding', 'connection', 'Host', 'Webhook-Signature'])
      assert.equal(req.headers[h], undefined, h);
  });

  it('svix headers follow the endpoint, else the server default', () => {
    assert.ok(buildRequest(claimedFixture(), { ...opts, svixHeadersDefault: true }).headers['svix-signature']);
    assert.equal(
      buildRequest(claimedFixture({ endpoint: { svixHeaders: false } }), { ...opts, svixHeadersDefault: true }).headers[
        'svix-signature'
      ],
      undefined,
    );
  });

  it('signs with every secret still in its grace period', () => {
    const key2 = 'whsec_' + Buffer.alloc(24, 9).toString('base64');
    const key3 = 'whsec_' + Buffer.alloc(24, 3).toString('base64');
    const c = claimedFixture({
      endpoint: {
        secrets: [
          { key: 'whsec_' + Buffer.alloc(24, 7).toString('base64'), expiresAt: null },
          { key: key2, expiresAt: now + 60_000 },
          { key: key3, expiresAt: now - 1 },
        ],
      },
    });
    const req = buildRequest(c, opts);
    assert.equal(req.headers['webhook-signature'].split(' ').length, 2);
    new Webhook(key2).verify(req.body!, req.headers);
    assert.throws(() => new Webhook(key3).verify(req.body!, req.headers));
  });

  it('CloudEvents binary mode: ce-* headers, the payload as body', () => {
    const c = claimedFixture({ endpoint: { format: 'cloudevents-binary' } });
    const req = buildRequest(c, opts);
    assert.equal(req.body, c.message.payload);
    assert.equal(req.headers['content-type'], 'application/json');
    assert.equal(req.headers['ce-specversion'], '1.0');
    assert.equal(req.headers['ce-id'], 'msg_1');
    assert.equal(req.headers['ce-type'], 'user.created');
    assert.equal(req.headers['ce-source'], '/hookrelay/app/app_1');
    assert.equal(req.headers['ce-time'], new Date(c.message.createdAt).toISOString());
    new Webhook(c.endpoint.secrets[0].key).verify(req.body!, req.headers);
  });

  it('CloudEvents structured mode: the envelope is the body and the signature covers it', () => {
    const c = claimedFixture({ endpoint: { format: 'cloudevents-structured' } });
    const req = buildRequest(c, opts);
    assert.equal(req.headers['content-type'], 'application/cloudevents+json');
    assert.equal(req.headers['ce-id'], undefined);
    const event = JSON.parse(req.body!);
    assert.deepEqual(event, {
      specversion: '1.0',
      id: 'msg_1',
      type: 'user.created',
      source: '/hookrelay/app/app_1',
      time: new Date(c.message.createdAt).toISOString(),
      datacontenttype: 'application/json',
      data: JSON.parse(c.message.payload!),
    });
    new Webhook(c.endpoint.secrets[0].key).verify(req.body!, req.headers);
  });

  it('refuses to build a delivery whose payload has been expunged', () => {
    assert.throws(() => buildRequest(claimedFixture({ payload: null }), opts), PayloadExpiredError);
  });
});
