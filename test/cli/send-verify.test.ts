import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sign } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { ed25519PrivateKey, generateSecret, publicKeyOf } from '../../src/domain/endpoint-secret.js';
import { call, pollSetup, startPullApi, type PullApi } from '../pull/pull-harness.js';
import { runCli } from './cli-process.js';

let api: PullApi;
const dir = mkdtempSync(join(tmpdir(), 'hr-cli-'));
before(async () => {
  api = await startPullApi();
});
after(async () => {
  await api.close();
});

async function run(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; out: string; err: string }> {
  const cli = runCli(args, env);
  const code = await cli.exited;
  return { code, out: cli.stdout(), err: cli.stderr() };
}

test('`hookrelay send` posts a message (payload from @file, token from HOOKRELAY_TOKEN) and prints its ID', async () => {
  const { appId, sinkId } = await pollSetup(api);
  const file = join(dir, 'payload.json');
  writeFileSync(file, JSON.stringify({ userId: 'u_1', email: 'ada@example.com' }));
  const r = await run(
    ['send', '--app', appId, '--type', 'user.registered', '--data', `@${file}`, '--server', api.url],
    { HOOKRELAY_TOKEN: api.token },
  );
  assert.equal(r.code, 0, r.err);
  const id = r.out.trim();
  assert.match(id, /^msg_[0-9A-Za-z]{27}$/);
  const page = (await call(api, 'GET', `/api/v1/app/${appId}/poller/${sinkId}`, undefined, 200)).body;
  assert.deepEqual(
    page.data.map((m: { id: string }) => m.id),
    [id],
  );
  assert.deepEqual(page.data[0].payload, { userId: 'u_1', email: 'ada@example.com' });

  const bad = await run([
    'send',
    '--app',
    appId,
    '--type',
    'x',
    '--data',
    '[1]',
    '--server',
    api.url,
    '--token',
    api.token,
  ]);
  assert.equal(bad.code, 1);
  assert.match(bad.err, /must be a JSON object/);
  const denied = await run([
    'send',
    '--app',
    appId,
    '--type',
    'x',
    '--data',
    '{}',
    '--server',
    api.url,
    '--token',
    'wrong',
  ]);
  assert.equal(denied.code, 1);
  assert.match(denied.err, /HTTP 401/);
});

test('`hookrelay verify` accepts a valid whsec_ signature and rejects a tampered body', async () => {
  const secret = generateSecret('hmac-sha256');
  const body = '{"type":"payment.succeeded","data":{"amount":1200}}';
  const ts = new Date();
  const signature = new Webhook(secret).sign('msg_abc', ts, body);
  const headersFile = join(dir, 'headers.txt');
  writeFileSync(
    headersFile,
    `POST /webhook HTTP/1.1\nwebhook-id: msg_abc\nwebhook-timestamp: ${Math.floor(ts.getTime() / 1000)}\nwebhook-signature: v1,bm9wZQ== ${signature}\n`,
  );
  const bodyFile = join(dir, 'body.json');
  writeFileSync(bodyFile, body);
  const ok = await run(['verify', '--secret', secret, '--headers', headersFile, '--body', bodyFile]);
  assert.equal(ok.code, 0, ok.out + ok.err);
  assert.match(ok.out, /^valid: v1 signature of msg_abc/);

  const tampered = join(dir, 'tampered.json');
  writeFileSync(tampered, body.replace('1200', '9999'));
  const bad = await run(['verify', '--secret', secret, '--headers', headersFile, '--body', tampered]);
  assert.equal(bad.code, 1);
  assert.match(bad.out, /^invalid: no v1 signature matches/);
});

test('`hookrelay verify` checks v1a ed25519 signatures with the whpk_ key; old captures need --tolerance 0', async () => {
  const whsk = generateSecret('ed25519');
  const body = '{"type":"auth.login"}';
  const ts = Math.floor(Date.now() / 1000) - 3600; // captured an hour ago
  const sig = sign(null, Buffer.from(`msg_ed.${ts}.${body}`), ed25519PrivateKey(whsk)).toString('base64');
  const headers = JSON.stringify({ 'svix-id': 'msg_ed', 'svix-timestamp': String(ts), 'svix-signature': `v1a,${sig}` });
  const bodyFile = join(dir, 'ed-body.json');
  writeFileSync(bodyFile, body);
  const stale = await run(['verify', '--secret', publicKeyOf(whsk), '--headers', headers, '--body', bodyFile]);
  assert.equal(stale.code, 1);
  assert.match(stale.out, /more than 300 s from now/);
  const old = (secret: string) =>
    run(['verify', '--secret', secret, '--headers', headers, '--body', bodyFile, '--tolerance', '0']);
  for (const secret of [publicKeyOf(whsk), whsk]) {
    const ok = await old(secret);
    assert.equal(ok.code, 0, ok.out + ok.err);
    assert.match(ok.out, /^valid: v1a signature of msg_ed/);
  }
  assert.equal((await old(publicKeyOf(generateSecret('ed25519')))).code, 1, 'another key');
});
