import type { AppId, EndpointId, MessageId } from '../../src/ids.js';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { request } from 'undici';
import { loadConfig, type Config } from '../../src/config.js';
import { startServer, type RunningServer } from '../../src/server/hookrelay-server.js';
import { createTestDatabase, postgresAvailable } from '../support/postgres.js';
import { CHILD_ADMIN_TOKEN, CHILD_ENCRYPTION_KEY, spawnServer, type ServerProcess } from '../support/server-process.js';
import { startReceiver, type Receiver } from '../delivery/receiver.js';
import { startCollector, type CollectedSpan, type Collector } from './otlp-collector.js';

/**
 * OpenTelemetry traces end to end (issue 20): a producer's request carries `traceparent`;
 * Hookrelay's ingest span joins that trace, the message keeps the ingest span's context, and
 * every delivery attempt — a receiver that fails once, then succeeds — is a child of it, as
 * exported over OTLP/HTTP to a collector double on loopback. With the opt-in, the receiver sees
 * each attempt's own `traceparent`; with tracing off nothing is exported and nothing is stored.
 */

const TOKEN = 'hr_admin_tracing_0123456789abcdef';
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';
const INCOMING = `00-${TRACE_ID}-${CALLER_SPAN}-01`;
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;

async function call(
  base: string,
  token: string,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const res = await request(base + path, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.body.text();
  return { status: res.statusCode, body: text ? (JSON.parse(text) as Record<string, unknown>) : null };
}

async function until(cond: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A receiver that answers 500 to the first delivery and 200 to the rest. */
const failOnce = () =>
  startReceiver((_r, res, i) => {
    res.statusCode = i === 0 ? 500 : 200;
    res.end(i === 0 ? 'not yet' : 'ok');
  });

/** App, endpoint at `receiver`, and one message posted with the caller's `traceparent`. */
async function postTracedMessage(
  base: string,
  token: string,
  receiver: Receiver,
): Promise<{ appId: AppId; endpointId: EndpointId; msgId: MessageId }> {
  const app = await call(base, token, 'POST', '/api/v1/app', { name: 'Traced' });
  assert.equal(app.status, 201, JSON.stringify(app.body));
  const appId = app.body!.id as string;
  const ep = await call(base, token, 'POST', `/api/v1/app/${appId}/endpoint`, { url: receiver.url });
  assert.equal(ep.status, 201, JSON.stringify(ep.body));
  const msg = await call(
    base,
    token,
    'POST',
    `/api/v1/app/${appId}/msg`,
    { eventType: 'invoice.paid', payload: { n: 1 } },
    { traceparent: INCOMING },
  );
  assert.equal(msg.status, 202, JSON.stringify(msg.body));
  return { appId: appId as AppId, endpointId: ep.body!.id as EndpointId, msgId: msg.body!.id as MessageId };
}

/**
 * The ingest span and the two attempt spans, checked as one trace: the ingest span is the
 * caller's child, and each attempt's parent chain, followed through the exported spans, reaches it.
 */
function assertLinkedTrace(spans: CollectedSpan[], ids: { appId: AppId; endpointId: EndpointId; msgId: MessageId }) {
  const ingest = spans.filter((s) => s.name === 'message.create');
  assert.equal(ingest.length, 1, 'one ingest span');
  assert.equal(ingest[0].traceId, TRACE_ID, 'the ingest span is in the incoming trace');
  assert.equal(ingest[0].parentSpanId, CALLER_SPAN, "a child of the caller's span");
  assert.equal(ingest[0].attributes['hookrelay.message_id'], ids.msgId);

  const attempts = spans
    .filter((s) => s.name === 'message.attempt')
    .sort((a, b) => Number(a.attributes['hookrelay.attempt']) - Number(b.attributes['hookrelay.attempt']));
  assert.equal(attempts.length, 2, 'one span per attempt');
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  for (const a of attempts) {
    assert.equal(a.traceId, TRACE_ID, 'the attempt is in the same trace');
    let hop: CollectedSpan | undefined = a;
    for (let i = 0; i < 10 && hop && hop !== ingest[0]; i++) hop = byId.get(hop.parentSpanId);
    assert.equal(
      hop,
      ingest[0],
      'the parent chain of attempt ' + a.attributes['hookrelay.attempt'] + ' leads to the ingest span',
    );
    assert.equal(a.attributes['hookrelay.app_id'], ids.appId);
    assert.equal(a.attributes['hookrelay.endpoint_id'], ids.endpointId);
    assert.equal(a.attributes['hookrelay.message_id'], ids.msgId);
  }
  assert.deepEqual(
    attempts.map((a) => [
      a.attributes['hookrelay.attempt'],
      a.attributes['http.response.status_code'],
      a.attributes['hookrelay.outcome'],
      a.statusCode,
    ]),
    [
      [1, 500, 'retry', 2],
      [2, 200, 'success', 0],
    ],
  );
  return { ingest: ingest[0], attempts };
}

describe('OpenTelemetry traces, one process on SQLite', () => {
  let collector: Collector;
  let dataDir: string;
  before(async () => {
    collector = await startCollector();
    // The exporter and the batch processor read the standard variables when a server starts.
    process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT = collector.tracesUrl;
    process.env.OTEL_BSP_SCHEDULE_DELAY = '50';
    dataDir = mkdtempSync(join(tmpdir(), 'hr-tracing-'));
  });
  after(async () => {
    await collector.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const config = (name: string, over: Partial<Config>): Config =>
    loadConfig(
      {},
      {
        dataDir: join(dataDir, name),
        encryptionKey: CHILD_ENCRYPTION_KEY,
        port: 0,
        host: '127.0.0.1',
        adminToken: TOKEN,
        allowNetworks: ['127.0.0.1/32'],
        retrySchedule: [0, 0.2],
        pollIntervalMs: 100,
        logLevel: 'silent',
        ...over,
      },
    );

  it("links the ingest span to both attempt spans, and sends each attempt's traceparent to the receiver when asked", async () => {
    const receiver = await failOnce();
    let server: RunningServer | null = null;
    try {
      server = await startServer(config('on', { tracing: 'otlp', traceparentToReceiver: true }));
      const ids = await postTracedMessage(server.url!, TOKEN, receiver);
      await until(() => receiver.requests.length >= 2, 'the retry to succeed');
      const stored = await server.store.getMessage(ids.appId, ids.msgId);
      await server.close(); // flushes the spans still batched
      const { ingest, attempts } = assertLinkedTrace(collector.spans, ids);

      assert.equal(
        stored?.traceContext,
        `00-${TRACE_ID}-${ingest.spanId}-01`,
        "the message keeps the ingest span's context",
      );
      const seen = receiver.requests.map((r) => r.headers.traceparent);
      assert.deepEqual(
        seen,
        attempts.map((a) => `00-${TRACE_ID}-${a.spanId}-01`),
        'each request carries its own attempt span',
      );
      assert.equal(ingest.resource['service.name'], 'hookrelay');
      assert.ok(collector.requests.every((r) => r.contentType.startsWith('application/json')));
    } finally {
      await server?.close();
      await receiver.close();
    }
  });

  it('with tracing off exports nothing, stores no trace context and sends no traceparent', async () => {
    const receiver = await failOnce();
    const exportsBefore = collector.requests.length;
    let server: RunningServer | null = null;
    try {
      // The receiver opt-in alone does nothing while tracing is off.
      server = await startServer(config('off', { tracing: 'off', traceparentToReceiver: true }));
      const ids = await postTracedMessage(server.url!, TOKEN, receiver);
      await until(() => receiver.requests.length >= 2, 'the retry to succeed');
      const stored = await server.store.getMessage(ids.appId, ids.msgId);
      assert.equal(stored?.traceContext, null, 'no trace context written');
      await server.close();
      await new Promise((r) => setTimeout(r, 200)); // past OTEL_BSP_SCHEDULE_DELAY: an exporter would have sent by now
      assert.equal(collector.requests.length, exportsBefore, 'nothing exported');
      assert.deepEqual(
        receiver.requests.map((r) => r.headers.traceparent),
        [undefined, undefined],
      );
    } finally {
      await server?.close();
      await receiver.close();
    }
  });
});

describe('OpenTelemetry traces across an API and a worker process (PostgreSQL)', () => {
  let skip = false;
  let db: { url: string; drop: () => Promise<void> } | undefined;
  before(async () => {
    skip = !(await postgresAvailable());
    if (!skip) db = await createTestDatabase('hr_tracing');
  });
  after(async () => {
    await db?.drop();
  });

  it('continues the ingest trace in the worker process from the stored context; no traceparent to the receiver without the opt-in', async (t) => {
    if (skip) return t.skip('PostgreSQL unavailable');
    const collector = await startCollector();
    const receiver = await failOnce();
    const procs: ServerProcess[] = [];
    const env = (role: string) => ({
      HOOKRELAY_DATABASE_URL: db!.url,
      HOOKRELAY_ROLE: role,
      HOOKRELAY_TRACING: 'otlp',
      HOOKRELAY_ALLOW_NETWORKS: '127.0.0.1/32',
      HOOKRELAY_RETRY_SCHEDULE: '0,0.2',
      HOOKRELAY_POLL_INTERVAL_MS: '100',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: collector.tracesUrl,
      OTEL_BSP_SCHEDULE_DELAY: '50',
    });
    try {
      const api = await spawnServer({ env: env('api') });
      procs.push(api);
      procs.push(await spawnServer({ env: env('worker') }));
      const ids = await postTracedMessage(api.url!, CHILD_ADMIN_TOKEN, receiver);
      await until(() => receiver.requests.length >= 2, 'the worker process to deliver and retry', 30_000);
      await Promise.all(procs.map((p) => p.stop())); // SIGTERM: each flushes its spans on close
      const { ingest, attempts } = assertLinkedTrace(collector.spans, ids);
      assert.equal(ingest.resource['hookrelay.role'], 'api');
      assert.deepEqual(
        attempts.map((a) => a.resource['hookrelay.role']),
        ['worker', 'worker'],
        'the attempts were made by the other process',
      );
      assert.deepEqual(
        receiver.requests.map((r) => r.headers.traceparent),
        [undefined, undefined],
        'no traceparent without HOOKRELAY_TRACEPARENT_TO_RECEIVER',
      );
      assert.ok(receiver.requests.every((r) => !TRACEPARENT.test(String(r.headers.traceparent))));
    } catch (err) {
      for (const p of procs) t.diagnostic(p.output().slice(-2000));
      throw err;
    } finally {
      await Promise.all(procs.map((p) => p.kill9()));
      await receiver.close();
      await collector.close();
    }
  });
});
