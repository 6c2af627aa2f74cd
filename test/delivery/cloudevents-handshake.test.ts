import type { EndpointId } from '../../src/ids.js';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CloudEventsHandshake } from '../../src/delivery/cloudevents-handshake.js';
import { Sender } from '../../src/delivery/sender.js';
import { startReceiver, type Receiver } from './receiver.js';

describe('CloudEventsHandshake (real receiver)', () => {
  let r: Receiver;
  let sender: Sender;
  before(async () => {
    r = await startReceiver((req, res) => {
      if (req.method !== 'OPTIONS') return res.end('ok');
      if (req.url === '/yes')
        return res.writeHead(200, { 'webhook-allowed-origin': String(req.headers['webhook-request-origin']) }).end();
      if (req.url === '/star') return res.writeHead(200, { 'webhook-allowed-origin': '*' }).end();
      if (req.url === '/other') return res.writeHead(200, { 'webhook-allowed-origin': 'someone-else' }).end();
      return res.writeHead(405).end();
    });
    sender = new Sender({ allowNetworks: ['127.0.0.0/8'], requestTimeoutMs: 2000, responseBodyLimitBytes: 1024 });
  });
  after(async () => {
    await sender.close();
    await r.close();
  });

  const ep = (path: string, id = 'ep_' + path.slice(1)) => ({
    id: id as EndpointId,
    url: `http://127.0.0.1:${r.port}${path}`,
    cloudEventsHandshake: true,
  });

  it('sends OPTIONS with our origin, accepts an echo of it, and asks only once per endpoint', async () => {
    const hs = new CloudEventsHandshake(sender, 'hooks.example');
    assert.deepEqual(await hs.ensure(ep('/yes')), { ok: true });
    assert.deepEqual(await hs.ensure(ep('/yes')), { ok: true });
    const options = r.requests.filter((q) => q.method === 'OPTIONS' && q.url === '/yes');
    assert.equal(options.length, 1);
    assert.equal(options[0].headers['webhook-request-origin'], 'hooks.example');
  });

  it('accepts *', async () => {
    assert.deepEqual(await new CloudEventsHandshake(sender).ensure(ep('/star')), { ok: true });
  });

  it('refuses another origin or a non-2xx answer, and asks again next time', async () => {
    const hs = new CloudEventsHandshake(sender);
    const other = await hs.ensure(ep('/other'));
    assert.equal(other.ok, false);
    assert.match(!other.ok ? other.reason : '', /someone-else/);
    const denied = await hs.ensure(ep('/nope'));
    assert.equal(!denied.ok && denied.statusCode, 405);
    await hs.ensure(ep('/nope'));
    assert.equal(r.requests.filter((q) => q.url === '/nope').length, 2);
  });

  it('does nothing for endpoints that did not ask for it', async () => {
    const before = r.requests.length;
    assert.deepEqual(await new CloudEventsHandshake(sender).ensure({ ...ep('/nope'), cloudEventsHandshake: false }), {
      ok: true,
    });
    assert.equal(r.requests.length, before);
  });
});

describe('CloudEventsHandshake concurrency', () => {
  it('concurrent deliveries share one OPTIONS request', async () => {
    const r = await startReceiver((_req, res) =>
      setTimeout(() => res.writeHead(200, { 'webhook-allowed-origin': '*' }).end(), 50),
    );
    const sender = new Sender({ allowNetworks: ['127.0.0.0/8'], requestTimeoutMs: 2000, responseBodyLimitBytes: 1024 });
    try {
      const hs = new CloudEventsHandshake(sender);
      const ep = { id: 'ep_c' as EndpointId, url: r.url, cloudEventsHandshake: true };
      const results = await Promise.all([hs.ensure(ep), hs.ensure(ep), hs.ensure(ep)]);
      assert.deepEqual(results, [{ ok: true }, { ok: true }, { ok: true }]);
      assert.equal(r.requests.length, 1);
    } finally {
      await sender.close();
      await r.close();
    }
  });
});
