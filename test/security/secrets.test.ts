import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ApiClient, waitUntil } from '../support/api-client.js';
import { CHILD_ADMIN_TOKEN, CHILD_ENCRYPTION_KEY, spawnServer } from '../support/server-process.js';
import { startRecorder } from '../support/webhook-recorder.js';

/**
 * Secrets never reach the logs or list responses. A real server child process logs at `trace`
 * (pino JSON on stdout, captured) while it creates endpoints with known secrets and custom
 * credential headers, mints a portal token, delivers (successes and failures), rotates a secret
 * and serves portal-style URLs carrying the token; then no secret may appear in its output, nor
 * in endpoint list/get or message/attempt responses.
 */

describe('secrets stay out of logs and listings', { timeout: 90_000 }, () => {
  test('a server run that creates endpoints and delivers logs no secret', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hookrelay-secrets-'));
    let fail = true;
    const recorder = await startRecorder((_req, res) => {
      fail = !fail;
      res.statusCode = fail ? 500 : 200;
      res.end(fail ? 'nope' : 'ok');
    });
    const server = await spawnServer({
      env: {
        HOOKRELAY_DATA_DIR: dir,
        HOOKRELAY_LOG_LEVEL: 'trace',
        HOOKRELAY_ALLOW_NETWORKS: '127.0.0.0/8',
        HOOKRELAY_RETRY_SCHEDULE: '0,0.2,0.2',
        HOOKRELAY_POLL_INTERVAL_MS: '50',
      },
    });
    const client = new ApiClient(server.url!, CHILD_ADMIN_TOKEN);
    try {
      const chosenSecret = 'whsec_' + randomBytes(32).toString('base64');
      const headerCredential = 'receiver-credential-' + randomBytes(12).toString('hex');
      await client.expect(201, 'POST', '/api/v1/app', { name: 'Secrets', uid: 'secrets' });
      const ep1 = await client.expect(201, 'POST', '/api/v1/app/secrets/endpoint', {
        url: recorder.url,
        secret: chosenSecret,
        headers: { 'x-receiver-key': headerCredential },
      });
      const ep2 = await client.expect(201, 'POST', '/api/v1/app/secrets/endpoint', { url: recorder.url });
      const ed = await client.expect(201, 'POST', '/api/v1/app/secrets/endpoint', {
        url: recorder.url,
        signingAlgorithm: 'ed25519',
      });
      const generated = (await client.expect(200, 'GET', `/api/v1/app/secrets/endpoint/${ep2.id}/secret`))
        .key as string;
      const edKey = (await client.expect(200, 'GET', `/api/v1/app/secrets/endpoint/${ed.id}/secret`)).key as string;
      await client.expect(204, 'POST', `/api/v1/app/secrets/endpoint/${ep2.id}/secret/rotate`, {});
      const rotated = (await client.expect(200, 'GET', `/api/v1/app/secrets/endpoint/${ep2.id}/secret`)).key as string;
      const portal = await client.expect(200, 'POST', '/api/v1/auth/app-portal-access/secrets', {});
      const appToken = portal.token as string;

      for (let i = 0; i < 10; i++)
        await client.expect(202, 'POST', '/api/v1/app/secrets/msg', { eventType: 'secret.test', payload: { i } });
      // The portal link carries the token in its query string; a request to it must not log it.
      await new ApiClient(server.url!, appToken).call('GET', `/portal?token=${encodeURIComponent(appToken)}`);
      const appClient = new ApiClient(server.url!, appToken);
      const listed = await appClient.call('GET', '/api/v1/app/secrets/endpoint');
      assert.equal(listed.status, 200);
      await appClient.close();
      await waitUntil(() => recorder.total() >= 30, 20_000, 'deliveries to all three endpoints');

      // List and get responses: no secret in any of them.
      const secrets: Record<string, string> = {
        chosenSecret,
        generated,
        rotated,
        edKey,
        headerCredential,
        appToken,
        adminToken: CHILD_ADMIN_TOKEN,
        encryptionKey: CHILD_ENCRYPTION_KEY,
      };
      const secretKeyBodies = [chosenSecret, generated, rotated, edKey].map((s) => s.replace(/^wh(sec|sk)_/, ''));
      const views = [
        JSON.stringify(listed.body),
        JSON.stringify(await client.listAll('/api/v1/app/secrets/endpoint')),
        JSON.stringify(await client.expect(200, 'GET', `/api/v1/app/secrets/endpoint/${ep1.id}`)),
        JSON.stringify(await client.expect(200, 'GET', `/api/v1/app/secrets/endpoint/${ep2.id}`)),
        JSON.stringify(await client.listAll('/api/v1/app/secrets/msg')),
        JSON.stringify(await client.listAll(`/api/v1/app/secrets/attempt/endpoint/${ep1.id}`)),
        JSON.stringify(await client.listAll('/api/v1/app')),
      ];
      for (const view of views) {
        for (const s of [chosenSecret, generated, rotated, edKey, ...secretKeyBodies])
          assert.ok(!view.includes(s), `a secret appears in a list/get response: ${view.slice(0, 200)}`);
      }

      await server.stop();
      const log = server.output();
      // The capture is real: requests and deliveries were logged at trace level.
      assert.ok(
        log.split('\n').filter((l) => l.startsWith('{')).length >= 20,
        `too little log output to judge:\n${log.slice(0, 2000)}`,
      );
      assert.match(log, /"url":"\/api\/v1\/app\/secrets\/endpoint/);
      const leaks = Object.entries(secrets)
        .filter(([, v]) => log.includes(v))
        .map(([k]) => k);
      const keyLeaks = secretKeyBodies.filter((s) => log.includes(s));
      assert.deepEqual(
        leaks,
        [],
        `secrets in the log: ${leaks.join(', ')}\n${log
          .split('\n')
          .filter((l) => leaks.some((k) => l.includes(secrets[k])))
          .slice(0, 3)
          .join('\n')
          .slice(0, 1500)}`,
      );
      assert.deepEqual(keyLeaks, [], 'an endpoint key (without its prefix) appears in the log');
      console.log(
        `# secrets: log lines=${log.split('\n').length} secrets checked=${Object.keys(secrets).length + secretKeyBodies.length} leaks=0`,
      );
    } finally {
      await server.kill9();
      await client.close();
      await recorder.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
