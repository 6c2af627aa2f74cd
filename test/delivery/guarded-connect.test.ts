import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  DeliveryBlockedError,
  DeliveryDnsError,
  resolveChecked,
  type Resolver,
} from '../../src/delivery/guarded-connect.js';
import { Sender } from '../../src/delivery/sender.js';
import { startReceiver, type Receiver } from './receiver.js';

const fixed =
  (...addresses: string[]): Resolver =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

describe('resolveChecked (no sockets)', () => {
  it('refuses a hostname that resolves to loopback unless allow-listed', async () => {
    await assert.rejects(resolveChecked('evil.test', [], fixed('127.0.0.1')), (err: unknown) => {
      assert.ok(err instanceof DeliveryBlockedError);
      assert.match(err.message, /^blocked: evil\.test resolves to 127\.0\.0\.1 is loopback/);
      return true;
    });
    assert.deepEqual(await resolveChecked('evil.test', ['127.0.0.0/8'], fixed('127.0.0.1')), {
      address: '127.0.0.1',
      family: 4,
    });
  });

  it('refuses the name when ANY address is blocked (mixed answers are an attack)', async () => {
    await assert.rejects(resolveChecked('mixed.test', [], fixed('8.8.8.8', '169.254.169.254')), /metadata/);
    await assert.rejects(
      resolveChecked('mixed.test', [], fixed('2606:4700:4700::1111', '::ffff:10.0.0.1')),
      /IPv4-mapped/,
    );
  });

  it('returns the first checked address of an all-public answer', async () => {
    assert.deepEqual(await resolveChecked('ok.test', [], fixed('8.8.8.8', '1.1.1.1')), {
      address: '8.8.8.8',
      family: 4,
    });
  });

  it('judges IP literals without resolving', async () => {
    let calls = 0;
    const counting: Resolver = async () => {
      calls++;
      return [];
    };
    await assert.rejects(resolveChecked('10.0.0.1', [], counting), DeliveryBlockedError);
    await assert.rejects(resolveChecked('[::1]', [], counting), DeliveryBlockedError);
    assert.equal(calls, 0);
  });

  it('reports DNS failures and empty answers as DeliveryDnsError', async () => {
    const failing: Resolver = async () => {
      throw Object.assign(new Error('nope'), { code: 'ENOTFOUND' });
    };
    await assert.rejects(
      resolveChecked('missing.test', [], failing),
      (err: unknown) => err instanceof DeliveryDnsError && /^dns: ENOTFOUND missing\.test/.test(err.message),
    );
    await assert.rejects(resolveChecked('empty.test', [], fixed()), /ENODATA/);
  });

  it('refuses localhost through the real system resolver when nothing is allow-listed', async () => {
    await assert.rejects(resolveChecked('localhost', [], undefined), DeliveryBlockedError);
  });
});

describe('guarded connections (loopback only)', () => {
  let a: Receiver;
  let b: Receiver;
  before(async () => {
    a = await startReceiver((req, res) => {
      if (req.url === '/redirect') {
        res.writeHead(302, { location: `http://127.0.0.2:${b.port}/stolen` }).end();
      } else {
        res.end('hello');
      }
    }, '127.0.0.1');
    b = await startReceiver((_req, res) => res.end('should never be reached'), '127.0.0.2');
  });
  after(async () => {
    await a.close();
    await b.close();
  });

  const sender = (allowNetworks: string[], resolver?: Resolver) =>
    new Sender({ allowNetworks, requestTimeoutMs: 2000, responseBodyLimitBytes: 1024, resolver });

  it('connects to an allow-listed address and refuses its neighbour', async () => {
    const s = sender(['127.0.0.1/32']);
    try {
      const ok = await s.send({ url: a.url, headers: {}, body: '{}' });
      assert.equal(ok.kind, 'response');
      assert.equal(ok.kind === 'response' && ok.statusCode, 200);
      const refused = await s.send({ url: b.url, headers: {}, body: '{}' });
      assert.equal(refused.kind, 'error');
      assert.match(refused.kind === 'error' ? refused.error : '', /^blocked: 127\.0\.0\.2 is loopback/);
      assert.equal(b.requests.length, 0);
    } finally {
      await s.close();
    }
  });

  it('refuses a hostname resolving to loopback when not allow-listed, and connects to the checked address when it is', async () => {
    let calls = 0;
    const resolver: Resolver = async () => {
      // A rebinding resolver: a second lookup would answer with the other loopback address.
      calls++;
      return [{ address: calls === 1 ? '127.0.0.1' : '127.0.0.2', family: 4 }];
    };
    const blocked = sender([], fixed('127.0.0.1'));
    try {
      const r = await blocked.send({ url: `http://receiver.test:${a.port}/x`, headers: {}, body: '{}' });
      assert.equal(r.kind === 'error' && r.error.startsWith('blocked: receiver.test resolves to 127.0.0.1'), true);
    } finally {
      await blocked.close();
    }
    const allowed = sender(['127.0.0.1/32'], resolver);
    try {
      const before = a.requests.length;
      const r = await allowed.send({ url: `http://receiver.test:${a.port}/named`, headers: {}, body: '{}' });
      assert.equal(r.kind === 'response' && r.statusCode, 200);
      assert.equal(calls, 1, 'resolved once per connection');
      assert.equal(a.requests.length, before + 1);
      assert.equal(a.requests.at(-1)!.headers.host, `receiver.test:${a.port}`);
    } finally {
      await allowed.close();
    }
  });

  it('does not follow a redirect to another loopback address (the 3xx is the answer)', async () => {
    const s = sender(['127.0.0.0/8']);
    try {
      const r = await s.send({ url: `http://127.0.0.1:${a.port}/redirect`, headers: {}, body: '{}' });
      assert.equal(r.kind, 'response');
      assert.equal(r.kind === 'response' && r.statusCode, 302);
      assert.equal(b.requests.length, 0);
    } finally {
      await s.close();
    }
  });
});
