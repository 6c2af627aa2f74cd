import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPullApi, startReceiver, waitUntil, type PullApi } from '../pull/pull-harness.js';
import { runCli } from './cli-process.js';

let api: PullApi;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
before(async () => {
  api = await startPullApi();
  receiver = await startReceiver(201);
});
after(async () => {
  await receiver.close();
  await api.close();
});

test('`hookrelay listen <port>` forwards requests to a local receiver, survives a server restart, stops on SIGINT', async () => {
  const cli = runCli(['listen', String(receiver.port), '--server', api.url, '--token', api.token]);
  try {
    const [, inbound] = await cli.waitFor(/Forwarding (\S+) -> /, 20_000);
    assert.ok(inbound.startsWith(`${api.url}/in/lc_`));

    const body = '{"type":"payment.succeeded","data":{"amount":1200}}  '; // exact bytes matter for signatures
    const res = await fetch(`${inbound}?attempt=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'webhook-id': 'msg_1', 'webhook-signature': 'v1,abc' },
      body,
    });
    assert.equal(res.status, 200);
    await waitUntil(() => receiver.requests.length === 1, 10_000, 'the forwarded request');
    const got = receiver.requests[0];
    assert.equal(got.method, 'POST');
    assert.equal(got.url, '/?attempt=1');
    assert.equal(got.body.toString(), body);
    assert.equal(got.headers['webhook-id'], 'msg_1');
    assert.equal(got.headers['webhook-signature'], 'v1,abc');
    assert.equal(got.headers.host, `127.0.0.1:${receiver.port}`, 'the target gets its own Host');
    await cli.waitFor(/\d\d:\d\d:\d\d\.\d{3} payment\.succeeded -> 201 \(\d+ ms\)/, 5000);

    // The server restarts: the CLI reconnects to the same channel URL and keeps forwarding.
    await api.restart();
    await cli.waitFor(/reconnected/, 15_000);
    await fetch(inbound, { method: 'PUT', headers: { 'content-type': 'text/plain' }, body: 'second' });
    await waitUntil(() => receiver.requests.length === 2, 10_000, 'the request after the restart');
    assert.equal(receiver.requests[1].method, 'PUT');
    assert.equal(receiver.requests[1].body.toString(), 'second');
    await cli.waitFor(/PUT -> 201/, 5000);

    cli.child.kill('SIGINT');
    const code = await Promise.race([cli.exited, new Promise((r) => setTimeout(() => r('timeout'), 5000))]);
    assert.equal(code, 0, `exits 0 on SIGINT; stderr: ${cli.stderr()}`);
    assert.match(cli.stdout(), /stopped \(SIGINT\)/);
  } finally {
    if (cli.child.exitCode === null) cli.child.kill('SIGKILL');
  }
});
