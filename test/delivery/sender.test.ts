import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Sender } from '../../src/delivery/sender.js';
import { reset, startReceiver, type Receiver } from './receiver.js';

describe('Sender (real receivers on loopback)', () => {
  let r: Receiver;
  let bigBytesWritten = 0;
  let bigClosed: Promise<void>;
  let markBigClosed: () => void;
  before(async () => {
    bigClosed = new Promise((resolve) => {
      markBigClosed = resolve;
    });
    r = await startReceiver(async (req, res) => {
      switch (req.url) {
        case '/echo':
          res
            .writeHead(201, { 'content-type': 'text/plain', 'x-echo': String(req.headers['x-test']) })
            .end(`got ${req.body}`);
          return;
        case '/hang':
          return; // never answer
        case '/stall':
          res.writeHead(200, { 'content-type': 'text/plain' }).write('partial');
          return; // the body never ends
        case '/reset':
          reset(res);
          return;
        case '/busy':
          res.writeHead(429, { 'retry-after': '7' }).end('slow down');
          return;
        case '/big': {
          // 50 MB, written as fast as the client reads: it must stop reading after the limit.
          res.writeHead(200, { 'content-type': 'application/octet-stream' });
          const chunk = Buffer.alloc(64 * 1024, 'a');
          res.on('close', () => markBigClosed());
          const pump = () => {
            while (bigBytesWritten < 50 * 1024 * 1024) {
              bigBytesWritten += chunk.length;
              if (!res.write(chunk)) return void res.once('drain', pump);
            }
            res.end();
          };
          pump();
          return;
        }
        default:
          res.end('ok');
      }
    });
  });
  after(() => r.close());

  const make = (timeoutMs = 2000, limit = 1024) =>
    new Sender({ allowNetworks: ['127.0.0.0/8'], requestTimeoutMs: timeoutMs, responseBodyLimitBytes: limit });

  it('sends method, headers and body, and returns status, body, headers', async () => {
    const s = make();
    try {
      const res = await s.send({
        url: `http://127.0.0.1:${r.port}/echo`,
        headers: { 'x-test': 'yes', 'content-type': 'application/json' },
        body: '{"a":1}',
      });
      assert.equal(res.kind, 'response');
      if (res.kind !== 'response') return;
      assert.equal(res.statusCode, 201);
      assert.equal(res.body, 'got {"a":1}');
      assert.equal(res.headers['x-echo'], 'yes');
      assert.equal(res.retryAfter, null);
      assert.ok(res.durationMs >= 0 && res.durationMs < 2000);
      const seen = r.requests.find((q) => q.url === '/echo')!;
      assert.equal(seen.method, 'POST');
    } finally {
      await s.close();
    }
  });

  it('returns the Retry-After header raw', async () => {
    const s = make();
    try {
      const res = await s.send({ url: `http://127.0.0.1:${r.port}/busy`, headers: {}, body: '{}' });
      assert.equal(res.kind === 'response' && res.retryAfter, '7');
      assert.equal(res.kind === 'response' && res.statusCode, 429);
    } finally {
      await s.close();
    }
  });

  it('times out a hanging receiver as a value, near the configured timeout', async () => {
    const s = make(300);
    try {
      const res = await s.send({ url: `http://127.0.0.1:${r.port}/hang`, headers: {}, body: '{}' });
      assert.deepEqual(res.kind === 'error' && res.error, 'timeout');
      assert.ok(res.durationMs >= 250 && res.durationMs < 3000, `took ${res.durationMs} ms`);
    } finally {
      await s.close();
    }
  });

  it('keeps the status and the body so far when the body stalls past the timeout', async () => {
    const s = make(300);
    try {
      const res = await s.send({ url: `http://127.0.0.1:${r.port}/stall`, headers: {}, body: '{}' });
      assert.equal(res.kind, 'response');
      if (res.kind !== 'response') return;
      assert.equal(res.statusCode, 200);
      assert.equal(res.body, 'partial');
      assert.ok(res.durationMs >= 250 && res.durationMs < 3000, `took ${res.durationMs} ms`);
    } finally {
      await s.close();
    }
  });

  it('reports a reset connection', async () => {
    const s = make();
    try {
      const res = await s.send({ url: `http://127.0.0.1:${r.port}/reset`, headers: {}, body: '{}' });
      assert.equal(res.kind === 'error' && res.error, 'connection_reset');
    } finally {
      await s.close();
    }
  });

  it('reports a refused connection', async () => {
    // Grab a free port, then close it so nothing listens there.
    const tmp: Server = createServer();
    await new Promise<void>((resolve) => tmp.listen(0, '127.0.0.1', resolve));
    const { port } = tmp.address() as AddressInfo;
    await new Promise<void>((resolve) => tmp.close(() => resolve()));
    const s = make();
    try {
      const res = await s.send({ url: `http://127.0.0.1:${port}/`, headers: {}, body: '{}' });
      assert.equal(res.kind === 'error' && res.error, 'connection_refused');
    } finally {
      await s.close();
    }
  });

  it('reads at most the limit of a 50 MB body and closes the connection', async () => {
    const s = make(5000, 20 * 1024);
    try {
      const res = await s.send({ url: `http://127.0.0.1:${r.port}/big`, headers: {}, body: '{}' });
      assert.equal(res.kind, 'response');
      assert.equal(res.kind === 'response' && res.body.length, 20 * 1024);
      await bigClosed;
      assert.ok(bigBytesWritten < 20 * 1024 * 1024, `server wrote ${bigBytesWritten} bytes before the client hung up`);
    } finally {
      await s.close();
    }
  });

  it('never throws for an invalid URL', async () => {
    const s = make();
    try {
      const res = await s.send({ url: 'http://', headers: {}, body: '{}' });
      assert.equal(res.kind, 'error');
    } finally {
      await s.close();
    }
  });
});
