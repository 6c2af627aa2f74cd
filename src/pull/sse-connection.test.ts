import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { OpenConnections, SseConnection } from './sse-connection.js';

test('an SSE connection sends retry, events (multi-line data split), heartbeats, and ends on closeAll', async () => {
  const connections = new OpenConnections();
  const server = createServer((_req, res) => {
    const conn = new SseConnection(res);
    conn.open({ heartbeatMs: 50, retryMs: 1000 });
    connections.track(conn);
    void conn.send({ id: 'i1', event: 'x', data: 'line1\nline2' });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as { port: number }).port}/`);
    assert.equal(res.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    setTimeout(() => connections.closeAll(), 300);
    const text = await res.text(); // ends only because closeAll ended the response
    assert.ok(text.startsWith('retry: 1000\n\nid: i1\nevent: x\ndata: line1\ndata: line2\n\n'), text);
    assert.ok((text.match(/: heartbeat\n\n/g) ?? []).length >= 2, `heartbeats every 50 ms: ${JSON.stringify(text)}`);
    assert.equal(connections.size, 0);
  } finally {
    server.closeAllConnections();
    server.close();
  }
});
