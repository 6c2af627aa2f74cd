import assert from 'node:assert/strict';
import { it } from 'node:test';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import {
  attemptsOf,
  headersOf,
  mkApp,
  mkEndpoint,
  page,
  sendMessage,
  sleep,
  startWorker,
  suiteFixture,
  waitFor,
  workerConfig,
} from './worker-harness.js';

/**
 * The worker acceptance suite's second half (worker-cases.ts runs it in the same describe): the
 * guards around a send — rate limit, deliverAt, the allow-list, the CloudEvents handshake — and
 * the engine's behaviour when the store fails, a payload expired, an endpoint is a poll endpoint
 * or nothing is due.
 */
export function workerGuardCases(
  fx: ReturnType<typeof suiteFixture>,
  worker: (
    config?: ReturnType<typeof workerConfig>,
    extra?: Parameters<typeof startWorker>[2],
  ) => ReturnType<typeof startWorker>,
): void {
  it('enforces the endpoint rate limit (loosely, over a window)', async (t) => {
    if (fx.skip) return t.skip('PostgreSQL unavailable');
    const r = await fx.receiver();
    const app = await mkApp(fx.store);
    await mkEndpoint(fx.store, app.id, r.url, { rateLimit: 5 });
    for (let i = 0; i < 15; i++) await sendMessage(fx.store, app.id, { i });
    const started = Date.now();
    worker();
    await waitFor(() => r.requests.length === 15, 10_000, 'all 15 deliveries');
    const took = Date.now() - started;
    // 5 of burst, then 5/s: the other 10 need about 2 s. Unlimited, 15 take milliseconds.
    assert.ok(took >= 1500, `15 messages at 5/s took only ${took} ms`);
    for (const q of r.requests) {
      const inWindow = r.requests.filter((o) => o.at >= q.at && o.at < q.at + 1000).length;
      assert.ok(inWindow <= 11, `${inWindow} deliveries within one second`);
    }
    const epId = (await fx.store.listEndpoints(app.id, page)).data[0].id;
    const attemptCount = async () => (await fx.store.listAttemptsByEndpoint(app.id, epId, page, {})).data.length;
    await waitFor(async () => (await attemptCount()) >= 15, 2000, 'attempts recorded');
    await sleep(100);
    assert.equal(await attemptCount(), 15, 'deferrals are not attempts');
  });

  it('does not deliver a message before its deliverAt', async (t) => {
    if (fx.skip) return t.skip('PostgreSQL unavailable');
    const r = await fx.receiver();
    const app = await mkApp(fx.store);
    await mkEndpoint(fx.store, app.id, r.url);
    worker();
    const deliverAt = Date.now() + 700;
    await sendMessage(fx.store, app.id, { later: true }, { deliverAt });
    await sleep(400);
    assert.equal(r.requests.length, 0, 'not yet');
    await waitFor(() => r.requests.length === 1, 5000, 'scheduled delivery');
    assert.ok(r.requests[0].at >= deliverAt - 5, `arrived ${deliverAt - r.requests[0].at} ms early`);
  });

  it('refuses a destination outside the allow-list without connecting, as a recorded failure', async (t) => {
    if (fx.skip) return t.skip('PostgreSQL unavailable');
    const neighbour = await fx.receiver(undefined, '127.0.0.2');
    const app = await mkApp(fx.store);
    await mkEndpoint(fx.store, app.id, neighbour.url);
    worker(workerConfig({ allowNetworks: ['127.0.0.1/32'], retrySchedule: [0] }));
    const msg = await sendMessage(fx.store, app.id);
    await waitFor(async () => (await attemptsOf(fx.store, app.id, msg.id)).length === 1, 5000, 'attempt');
    const [a] = await attemptsOf(fx.store, app.id, msg.id);
    assert.equal(a.responseStatusCode, 0);
    assert.match(a.response, /^blocked: .*loopback/);
    assert.equal(neighbour.requests.length, 0);
  });

  it('delivers CloudEvents after the OPTIONS handshake, once per endpoint', async (t) => {
    if (fx.skip) return t.skip('PostgreSQL unavailable');
    const r = await fx.receiver((req, res) => {
      if (req.method === 'OPTIONS') return res.writeHead(200, { 'webhook-allowed-origin': '*' }).end();
      res.end('ok');
    });
    const app = await mkApp(fx.store);
    const ep = await mkEndpoint(fx.store, app.id, r.url, {
      format: 'cloudevents-binary',
      cloudEventsHandshake: true,
    });
    worker();
    await sendMessage(fx.store, app.id, { a: 1 }, { eventType: 'invoice.paid' });
    await sendMessage(fx.store, app.id, { a: 2 }, { eventType: 'invoice.paid' });
    await waitFor(() => r.requests.filter((q) => q.method === 'POST').length === 2, 5000, 'two deliveries');
    assert.equal(r.requests[0].method, 'OPTIONS');
    assert.equal(r.requests.filter((q) => q.method === 'OPTIONS').length, 1);
    const post = r.requests.find((q) => q.method === 'POST')!;
    assert.equal(post.headers['ce-type'], 'invoice.paid');
    assert.equal(post.headers['ce-source'], `/hookrelay/app/${app.id}`);
    new StandardWebhook(ep.secrets[0].key).verify(post.body, headersOf(post));
  });

  it('survives a store outage: claim errors are logged, retried with backoff, and work resumes', async (t) => {
    if (fx.skip) return t.skip('PostgreSQL unavailable');
    const r = await fx.receiver();
    const app = await mkApp(fx.store);
    await mkEndpoint(fx.store, app.id, r.url);
    await sendMessage(fx.store, app.id);
    let failing = 2;
    // The real store with an injected outage in front of it (not a mock: calls go through once it is back).
    const flaky = new Proxy(fx.store, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver);
        if (prop === 'claimDeliveries') {
          return (...args: unknown[]) =>
            failing-- > 0
              ? Promise.reject(new Error('connection terminated (injected)'))
              : (v as (...a: unknown[]) => unknown).apply(target, args);
        }
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    const w = startWorker(flaky, workerConfig());
    fx.workers.push(w.worker);
    await waitFor(() => r.requests.length === 1, 5000, 'delivery after the outage');
    const errors = w.logger.errors();
    assert.equal(errors.length, 2);
    assert.match(errors[0].msg, /could not claim/);
  });

  it('fails a delivery whose payload has expired at once, without sending or retrying', async (t) => {
    if (fx.skip) return t.skip('PostgreSQL unavailable');
    const r = await fx.receiver();
    const app = await mkApp(fx.store);
    await mkEndpoint(fx.store, app.id, r.url);
    const msg = await sendMessage(fx.store, app.id);
    assert.equal(await fx.store.expungeMessageContent(app.id, msg.id), true);
    worker();
    await waitFor(
      async () => (await fx.store.listMessageDestinations(app.id, msg.id, page)).data[0]?.delivery.status === 2,
      5000,
      'failed row',
    );
    const attempts = await attemptsOf(fx.store, app.id, msg.id);
    assert.equal(attempts.length, 1);
    assert.match(attempts[0].response, /payload of .* has expired/);
    assert.equal(r.requests.length, 0);
  });

  it('never sends to a poll endpoint (the store writes no delivery rows for it)', async (t) => {
    if (fx.skip) return t.skip('PostgreSQL unavailable');
    const r = await fx.receiver();
    const app = await mkApp(fx.store);
    await mkEndpoint(fx.store, app.id, r.url, { kind: 'poll' });
    worker();
    const msg = await sendMessage(fx.store, app.id);
    await sleep(300);
    assert.equal(r.requests.length, 0);
    assert.equal((await fx.store.listMessageDestinations(app.id, msg.id, page)).data.length, 0);
  });

  it("records a receiver's answer with NUL bytes in its body, each as U+FFFD", async (t) => {
    if (fx.skip) return t.skip('PostgreSQL unavailable');
    const r = await fx.receiver((_req, res) => res.writeHead(200).end(Buffer.from('ok\u0000done\u0000', 'utf8')));
    const app = await mkApp(fx.store);
    await mkEndpoint(fx.store, app.id, r.url);
    const w = worker();
    const msg = await sendMessage(fx.store, app.id);
    await waitFor(async () => (await attemptsOf(fx.store, app.id, msg.id)).length > 0, 5000, 'the attempt recorded');
    const [attempt] = await attemptsOf(fx.store, app.id, msg.id);
    assert.deepEqual([attempt.status, attempt.response], [0, 'ok\uFFFDdone\uFFFD']);
    assert.equal(r.requests.length, 1);
    assert.deepEqual(w.logger.errors(), []);
  });

  it('idles without a busy loop: claims about once per poll interval when nothing is due', async (t) => {
    if (fx.skip) return t.skip('PostgreSQL unavailable');
    let claims = 0;
    // The real fx.store, counted (not mocked): every call goes through.
    const counted = new Proxy(fx.store, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver);
        if (prop === 'claimDeliveries')
          return (...args: unknown[]) => {
            claims++;
            return (v as (...a: unknown[]) => unknown).apply(target, args);
          };
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    const w = startWorker(counted, workerConfig({ pollIntervalMs: 50 }));
    fx.workers.push(w.worker);
    await sleep(500);
    assert.ok(claims >= 2 && claims <= 40, `${claims} claims in 500 ms with a 50 ms poll interval`);
    assert.deepEqual(w.logger.errors(), []);
  });
}
