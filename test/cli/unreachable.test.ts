import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { apiCall } from '../../src/cli/cli-client.js';

test('a call to a closed port names the URL and the cause', async () => {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  const server = `http://127.0.0.1:${port}`;
  await assert.rejects(apiCall(server, 't', 'GET', '/api/v1/app'), (err: Error) => {
    assert.equal(err.message, `cannot reach ${server}: connect ECONNREFUSED 127.0.0.1:${port}`);
    return true;
  });
});
