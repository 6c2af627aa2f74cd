import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual, verify as cryptoVerify } from 'node:crypto';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import { ed25519PublicKey, generateSecret, publicKeyOf } from '../../src/domain/endpoint-secret.js';
import { reset, type ReceivedRequest } from './receiver.js';
import {
  mkApp,
  mkEndpoint,
  sendMessage,
  sleep,
  startWorker,
  suiteFixture,
  waitFor,
  workerConfig,
  attemptsOf,
  page,
  headersOf,
  type OpenStore,
} from './worker-harness.js';
import { workerGuardCases } from './worker-guard-cases.js';

/** The delivery engine's acceptance suite; each adapter's test file runs it (Kysely style). */

function hmacOk(secret: string, r: ReceivedRequest): boolean {
  const id = String(r.headers['webhook-id']);
  const ts = String(r.headers['webhook-timestamp']);
  const expected = createHmac('sha256', Buffer.from(secret.slice('whsec_'.length), 'base64'))
    .update(`${id}.${ts}.${r.body}`)
    .digest();
  return String(r.headers['webhook-signature'])
    .split(' ')
    .some((sig) => {
      const [version, b64] = sig.split(',');
      const got = Buffer.from(b64 ?? '', 'base64');
      return version === 'v1' && got.length === expected.length && timingSafeEqual(got, expected);
    });
}

export function workerSuite(
  dialect: string,
  open: OpenStore,
  available: () => Promise<boolean> = async () => true,
): void {
  describe(`delivery worker on ${dialect}`, () => {
    const fx = suiteFixture(open, available);

    const worker = (config = workerConfig(), extra: Parameters<typeof startWorker>[2] = {}) => {
      const w = startWorker(fx.store, config, extra);
      fx.workers.push(w.worker);
      return w;
    };

    it('signs every delivery so standardwebhooks, node:crypto and the svix SDK all verify it', async (t) => {
      if (fx.skip) return t.skip('PostgreSQL unavailable');
      const r = await fx.receiver();
      const app = await mkApp(fx.store);
      const hmac = await mkEndpoint(fx.store, app.id, r.url + '/hmac', { svixHeaders: true });
      const ed = await mkEndpoint(fx.store, app.id, r.url + '/ed', { secret: generateSecret('ed25519') });
      const { logger } = worker();
      const payloads = [{ n: 1, text: 'héllo ✓' }, { n: 2, nested: { list: [1, 2, 3] } }, { n: 3 }];
      const msgs = [];
      for (const p of payloads) msgs.push(await sendMessage(fx.store, app.id, p));
      await waitFor(() => r.requests.length === 6, 5000, 'six deliveries');

      const hmacSecret = hmac.secrets[0].key;
      for (const req of r.requests.filter((q) => q.url.endsWith('/hmac'))) {
        const h = headersOf(req);
        assert.deepEqual(new StandardWebhook(hmacSecret).verify(req.body, h), JSON.parse(req.body));
        assert.ok(hmacOk(hmacSecret, req), 'independent HMAC check');
        const svix = new SvixWebhook(hmacSecret);
        svix.verify(req.body, {
          'svix-id': h['svix-id'],
          'svix-timestamp': h['svix-timestamp'],
          'svix-signature': h['svix-signature'],
        });
        svix.verify(req.body, {
          'webhook-id': h['webhook-id'],
          'webhook-timestamp': h['webhook-timestamp'],
          'webhook-signature': h['webhook-signature'],
        });
        assert.equal(h['content-type'], 'application/json');
        assert.match(h['user-agent'], /^Hookrelay\//);
        assert.ok(msgs.some((m) => m.id === h['webhook-id']));
      }
      const publicKey = ed25519PublicKey(publicKeyOf(ed.secrets[0].key));
      for (const req of r.requests.filter((q) => q.url.endsWith('/ed'))) {
        const h = headersOf(req);
        assert.equal(h['svix-signature'], undefined);
        assert.ok(h['webhook-signature'].startsWith('v1a,'));
        const signed = Buffer.from(`${h['webhook-id']}.${h['webhook-timestamp']}.${req.body}`);
        assert.equal(
          cryptoVerify(null, signed, publicKey, Buffer.from(h['webhook-signature'].slice(4), 'base64')),
          true,
        );
      }
      assert.deepEqual(logger.errors(), []);
    });

    it('retries a scripted receiver (reset, 500, 429 + Retry-After, 200) on the policy schedule, read from an injected clock', async (t) => {
      if (fx.skip) return t.skip('PostgreSQL unavailable');
      const r = await fx.receiver((_req, res, i) => {
        if (i === 0) return reset(res);
        if (i === 1) return res.writeHead(500).end('boom');
        if (i === 2) return res.writeHead(429, { 'retry-after': '900' }).end('slow down');
        return res.writeHead(200).end('thanks');
      });
      const app = await mkApp(fx.store);
      await mkEndpoint(fx.store, app.id, r.url);
      // Minutes apart: only the injected clock can reach them. Ahead of the wall clock, so the message is due.
      const clock = { at: Date.now() + 1000, now: () => clock.at };
      worker(workerConfig({ retrySchedule: [0, 60, 120, 180] }), { clock });
      const msg = await sendMessage(fx.store, app.id);
      const delivery = async () => (await fx.store.listMessageDestinations(app.id, msg.id, page)).data[0].delivery;
      const attemptRecorded = (n: number) =>
        waitFor(async () => (await delivery()).attemptCount === n, 5000, `attempt ${n} recorded`);

      // After attempt n the next is due at the clock's time + the schedule's delay; the 429 asked
      // for 900 s, clamped to 2 × 180 s. Nothing is sent before the clock gets there.
      const delays = [60_000, 120_000, 360_000];
      await attemptRecorded(1);
      for (const [i, delay] of delays.entries()) {
        assert.equal((await delivery()).nextAttemptAt, clock.at + delay, `attempt ${i + 2} scheduled`);
        await sleep(200);
        assert.equal(r.requests.length, i + 1, `attempt ${i + 2} not sent before it is due`);
        clock.at += delay;
        await attemptRecorded(i + 2);
      }
      const done = await delivery();
      assert.equal(done.status, 0);
      assert.equal(done.nextAttemptAt, null);
      assert.equal(r.requests.length, 4, 'no attempt after the success');
      assert.deepEqual(
        [...new Set(r.requests.map((q) => q.headers['webhook-id']))],
        [msg.id],
        'webhook-id is stable across retries',
      );

      const attempts = await attemptsOf(fx.store, app.id, msg.id);
      assert.deepEqual(
        attempts.map((a) => a.responseStatusCode),
        [0, 500, 429, 200],
      );
      assert.deepEqual(
        attempts.map((a) => a.status),
        [2, 2, 2, 0],
      );
      assert.deepEqual(
        attempts.map((a) => a.createdAt),
        [clock.at - 540_000, clock.at - 480_000, clock.at - 360_000, clock.at],
        'each attempt stamped with the clock',
      );
      assert.equal(attempts[0].response, 'connection_reset');
      assert.equal(attempts[1].response, 'boom');
      assert.equal(attempts[3].response, 'thanks');
    });

    it('gives up after the last scheduled attempt and reports failing and exhausted operational webhooks', async (t) => {
      if (fx.skip) return t.skip('PostgreSQL unavailable');
      const r = await fx.receiver((_req, res) => res.writeHead(503).end('down'));
      const ops = await fx.receiver();
      const config = workerConfig({ retrySchedule: [0, 0.05, 0.05, 0.05] });
      const opsApp = await mkApp(fx.store, config.operationalApp + '-' + dialect);
      const cfg = { ...config, operationalApp: opsApp.uid! };
      await mkEndpoint(fx.store, opsApp.id, ops.url);
      const app = await mkApp(fx.store);
      const ep = await mkEndpoint(fx.store, app.id, r.url);
      const { logger } = worker(cfg, { operational: true });
      const msg = await sendMessage(fx.store, app.id);
      await waitFor(() => ops.requests.length >= 2, 5000, 'operational webhooks');
      assert.equal(r.requests.length, 4);

      // One info line per failed attempt, with what an operator needs to find it.
      const failed = logger.lines.filter(
        (l) =>
          l.level === 'info' &&
          l.msg.startsWith('delivery attempt failed') &&
          (l.obj as { msgId?: string }).msgId === msg.id,
      );
      assert.deepEqual(
        failed.map((l) => l.msg),
        [...Array(3).fill('delivery attempt failed; will retry'), 'delivery attempt failed; no attempts left'],
      );
      failed.forEach((l, i) => {
        const o = l.obj as Record<string, unknown>;
        assert.deepEqual(
          { appId: o.appId, endpointId: o.endpointId, attempt: o.attempt, statusCode: o.statusCode, reason: o.reason },
          { appId: app.id, endpointId: ep.id, attempt: i + 1, statusCode: 503, reason: 'down' },
        );
        if (i < 3) assert.match(String(o.nextAttemptAt), /^\d{4}-\d\d-\d\dT/);
        else assert.equal(o.nextAttemptAt, null);
      });
      const events = ops.requests.map((q) => JSON.parse(q.body));
      assert.deepEqual(events.map((e) => e.type).sort(), ['message.attempt.exhausted', 'message.attempt.failing']);
      const exhausted = events.find((e) => e.type === 'message.attempt.exhausted');
      assert.equal(exhausted.data.msgId, msg.id);
      assert.equal(exhausted.data.endpointId, ep.id);
      assert.equal(exhausted.data.lastAttempt.responseStatusCode, 503);
      assert.deepEqual([exhausted.data.reason, exhausted.data.reasonClass], ['http_status', 'endpoint']);
      const dest = await fx.store.listMessageDestinations(app.id, msg.id, page);
      assert.equal(dest.data[0].delivery.status, 2, 'failed for good');
      assert.equal((await fx.store.getEndpoint(app.id, ep.id))!.failingSince !== null, true);
      const dead = await fx.store.listDeadLetters(page, { appId: app.id });
      assert.deepEqual(
        dead.data.map((d) => [d.msgId, d.reason, d.reasonClass, d.attempts, d.lastStatusCode]),
        [[msg.id, 'http_status', 'endpoint', 4, 503]],
      );
    });

    it('a destination the SSRF guard blocks is a dead letter by platform fault once its retries run out', async (t) => {
      if (fx.skip) return t.skip('PostgreSQL unavailable');
      const ops = await fx.receiver();
      // Only 127.0.0.1 is allowed: 127.0.0.2 is loopback outside the allow-list, refused before any socket.
      const config = workerConfig({ allowNetworks: ['127.0.0.1/32'], retrySchedule: [0, 0.05, 0.05] });
      const opsApp = await mkApp(fx.store, 'ops-blocked-' + dialect);
      await mkEndpoint(fx.store, opsApp.id, ops.url);
      const app = await mkApp(fx.store);
      await mkEndpoint(fx.store, app.id, `http://127.0.0.2:${new URL(ops.url).port}/hook`);
      worker({ ...config, operationalApp: opsApp.uid! }, { operational: true });
      const msg = await sendMessage(fx.store, app.id);
      await waitFor(
        () => ops.requests.some((q) => JSON.parse(q.body).type === 'message.attempt.exhausted'),
        5000,
        'exhausted',
      );
      const exhausted = ops.requests.map((q) => JSON.parse(q.body)).find((e) => e.type === 'message.attempt.exhausted');
      assert.deepEqual(
        [exhausted.data.msgId, exhausted.data.reason, exhausted.data.reasonClass],
        [msg.id, 'blocked', 'platform'],
      );
      const dead = await fx.store.listDeadLetters(page, { appId: app.id, reasonClass: 'platform' });
      assert.deepEqual(
        dead.data.map((d) => [d.msgId, d.reason, d.lastStatusCode]),
        [[msg.id, 'blocked', 0]],
      );
    });

    it('a success after failures reports message.attempt.recovered and clears failingSince', async (t) => {
      if (fx.skip) return t.skip('PostgreSQL unavailable');
      const r = await fx.receiver((_req, res, i) => res.writeHead(i === 0 ? 500 : 204).end());
      const ops = await fx.receiver();
      const config = workerConfig({ retrySchedule: [0, 0.05] });
      const opsApp = await mkApp(fx.store, 'ops-recovered-' + dialect);
      await mkEndpoint(fx.store, opsApp.id, ops.url);
      const app = await mkApp(fx.store);
      const ep = await mkEndpoint(fx.store, app.id, r.url);
      worker({ ...config, operationalApp: opsApp.uid! }, { operational: true });
      await sendMessage(fx.store, app.id);
      await waitFor(() => ops.requests.length === 1, 5000, 'recovered webhook');
      assert.equal(JSON.parse(ops.requests[0].body).type, 'message.attempt.recovered');
      assert.equal((await fx.store.getEndpoint(app.id, ep.id))!.failingSince, null);
    });

    it('a hanging endpoint does not delay a healthy one, and stop() releases the rows still in flight', async (t) => {
      if (fx.skip) return t.skip('PostgreSQL unavailable');
      const hanging = await fx.receiver(() => {
        /* never answers */
      });
      const healthy = await fx.receiver();
      const app = await mkApp(fx.store);
      const slow = await mkEndpoint(fx.store, app.id, hanging.url);
      await mkEndpoint(fx.store, app.id, healthy.url);
      const config = workerConfig({ requestTimeoutMs: 10_000, leaseMs: 30_000, endpointConcurrency: 4 });
      const { worker: w } = worker(config, { shutdownTimeoutMs: 100 });
      const started = Date.now();
      for (let i = 0; i < 20; i++) await sendMessage(fx.store, app.id, { i });
      await waitFor(() => healthy.requests.length === 20, 5000, 'healthy endpoint deliveries');
      const took = Date.now() - started;
      assert.ok(took < 5000, `healthy endpoint took ${took} ms with a hanging neighbour (timeout 10 s)`);
      await waitFor(() => hanging.requests.length === 4, 2000, 'hanging endpoint at its cap');
      assert.equal(hanging.requests.length, 4, 'per-endpoint cap holds');

      await w.stop();
      fx.workers.splice(fx.workers.indexOf(w), 1);
      const rows = await fx.store.listEndpointMessages(app.id, slow.id, page, {});
      assert.equal(rows.data.length, 20);
      for (const row of rows.data) {
        assert.equal(row.delivery.status, 1, 'pending again, not left leased');
        assert.equal(row.delivery.attemptCount, 0, 'a release is not an attempt');
      }
      // A new worker picks the released rows up at once (no lease to wait out).
      const again = await fx.store.claimDeliveries({
        owner: 'probe',
        limit: 100,
        leaseMs: 1000,
        now: Date.now(),
        perEndpointLimit: 100,
      });
      assert.equal(again.filter((c) => c.endpoint.id === slow.id).length, 20);
      await fx.store.releaseDeliveries(
        again.map((c) => c.delivery.id),
        'probe',
      );
      await fx.store.updateEndpoint(app.id, slow.id, { disabled: true }, Date.now());
    });

    it('410 Gone disables the endpoint and later messages are not sent to it', async (t) => {
      if (fx.skip) return t.skip('PostgreSQL unavailable');
      const r = await fx.receiver((_req, res) => res.writeHead(410).end('gone'));
      const ops = await fx.receiver();
      const opsApp = await mkApp(fx.store, 'ops-410-' + dialect);
      await mkEndpoint(fx.store, opsApp.id, ops.url);
      const app = await mkApp(fx.store);
      const ep = await mkEndpoint(fx.store, app.id, r.url);
      worker({ ...workerConfig(), operationalApp: opsApp.uid! }, { operational: true });
      const msg = await sendMessage(fx.store, app.id);
      await waitFor(async () => (await fx.store.getEndpoint(app.id, ep.id))!.disabled, 5000, 'endpoint disabled');
      const disabledEvent = () =>
        ops.requests.map((q) => JSON.parse(q.body)).find((e) => e.type === 'endpoint.disabled');
      await waitFor(() => disabledEvent() !== undefined, 5000, 'endpoint.disabled webhook');
      const event = disabledEvent();
      assert.equal(event.data.endpointId, ep.id);
      assert.equal(event.data.trigger, 'automatic');
      const attempts = await attemptsOf(fx.store, app.id, msg.id);
      assert.deepEqual(
        attempts.map((a) => a.responseStatusCode),
        [410],
      );
      await sendMessage(fx.store, app.id);
      await sleep(400);
      assert.equal(r.requests.length, 1, 'nothing more sent to a disabled endpoint');
    });

    it('signs with both secrets during a rotation grace period', async (t) => {
      if (fx.skip) return t.skip('PostgreSQL unavailable');
      const r = await fx.receiver();
      const app = await mkApp(fx.store);
      const ep = await mkEndpoint(fx.store, app.id, r.url);
      const oldSecret = ep.secrets[0].key;
      const newSecret = generateSecret();
      await fx.store.rotateEndpointSecret(app.id, ep.id, newSecret, 60_000, Date.now());
      worker();
      await sendMessage(fx.store, app.id);
      await waitFor(() => r.requests.length === 1, 5000, 'delivery');
      const h = headersOf(r.requests[0]);
      assert.equal(h['webhook-signature'].split(' ').length, 2);
      new StandardWebhook(oldSecret).verify(r.requests[0].body, h);
      new StandardWebhook(newSecret).verify(r.requests[0].body, h);
      assert.ok(hmacOk(oldSecret, r.requests[0]) && hmacOk(newSecret, r.requests[0]));
    });

    workerGuardCases(fx, worker);
  });
}
