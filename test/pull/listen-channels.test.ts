import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SmeeClient } from 'smee-client';
import { call, startPullApi, startReceiver, waitUntil, type PullApi } from './pull-harness.js';

const silent = { info: () => {}, error: () => {} };

/** Read SSE `data:` payloads from a stream until `count` events of the default type arrived. */
async function readEvents(
  url: string,
  count: number,
  headers: Record<string, string> = {},
): Promise<Array<{ id: string; data: any }>> {
  const ac = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: ac.signal });
  assert.equal(res.status, 200);
  const events: Array<{ id: string; data: any }> = [];
  const decoder = new TextDecoder();
  let buf = '';
  const reader = res.body!.getReader();
  const timer = setTimeout(() => ac.abort(), 5000);
  try {
    while (events.length < count) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += decoder.decode(value, { stream: true });
      let i: number;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const lines = block.split('\n');
        if (lines.some((l) => l.startsWith('event:')) || !lines.some((l) => l.startsWith('data:'))) continue; // ready / ping / retry
        events.push({
          id: lines.find((l) => l.startsWith('id: '))?.slice(4) ?? '',
          data: JSON.parse(
            lines
              .filter((l) => l.startsWith('data: '))
              .map((l) => l.slice(6))
              .join('\n'),
          ),
        });
      }
    }
  } finally {
    clearTimeout(timer);
    ac.abort();
  }
  return events;
}

describe('listen channels', () => {
  let api: PullApi;
  before(async () => {
    api = await startPullApi();
  });
  after(async () => {
    await api.close();
  });

  test('create, reuse by uid, and the smee.io event format', async () => {
    const created = await call(api, 'POST', '/api/v1/listen', {}, 201);
    assert.match(created.body.id, /^lc_[A-Za-z0-9_-]{22}$/);
    assert.equal(created.body.url, `${api.url}/in/${created.body.id}`);
    const named = await call(api, 'POST', '/api/v1/listen', { uid: 'dev-laptop' }, 201);
    const again = await call(api, 'POST', '/api/v1/listen', { uid: 'dev-laptop' }, 200);
    assert.equal(again.body.id, named.body.id);
    assert.notEqual(named.body.id, created.body.id);
    assert.equal((await fetch(`${api.url}/api/v1/listen`, { method: 'POST' })).status, 401);
    const noBody = await fetch(`${api.url}/api/v1/listen`, {
      method: 'POST',
      headers: { authorization: `Bearer ${api.token}` },
    });
    assert.equal(noBody.status, 201, 'the body is optional');

    const url = created.body.url as string;
    const sent = await fetch(`${url}?a=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-custom': 'yes' },
      body: '{"type":"user.registered","n":1}',
    });
    assert.equal(sent.status, 200);
    await fetch(url, { method: 'PUT', headers: { 'content-type': 'text/plain' }, body: 'plain words' });
    await fetch(url, {
      method: 'PATCH',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'payload=%7B%7D&x=2',
    });
    // Subscribing after the fact replays the ring buffer.
    const events = await readEvents(url, 3);
    assert.equal(events.length, 3);
    const [json, text, form] = events.map((e) => e.data);
    assert.deepEqual(json.body, { type: 'user.registered', n: 1 });
    assert.deepEqual(json.query, { a: '1' });
    assert.equal(json['x-custom'], 'yes');
    assert.equal(json['content-type'], 'application/json');
    assert.equal(typeof json.timestamp, 'number');
    assert.equal(json.connection, undefined, 'hop-by-hop headers are not relayed');
    assert.equal(text.body, 'plain words');
    assert.deepEqual(form.body, { payload: '{}', x: '2' });

    // Last-Event-ID resumes after the first event.
    const resumed = await readEvents(url, 2, { 'last-event-id': events[0].id });
    assert.deepEqual(
      resumed.map((e) => e.id),
      [events[1].id, events[2].id],
    );
    // The raw format carries method and exact bytes.
    const raw = await readEvents(`${url}?format=raw`, 1);
    assert.equal(raw[0].data.method, 'POST');
    assert.equal(Buffer.from(raw[0].data.body, 'base64').toString(), '{"type":"user.registered","n":1}');
  });

  test('unknown channel: POST is 404; a body over the limit is 413', async () => {
    const res = await fetch(`${api.url}/in/lc_AAAAAAAAAAAAAAAAAAAAAA`, { method: 'POST', body: '{}' });
    assert.equal(res.status, 404);
    assert.equal((await res.json()).code, 'not_found');
    const { body } = await call(api, 'POST', '/api/v1/listen', {}, 201);
    const big = await fetch(body.url, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: Buffer.alloc(api.config.maxPayloadBytes + 10),
    });
    assert.equal(big.status, 413);
  });

  test('smee-client forwards channel events to a local target', async () => {
    const receiver = await startReceiver();
    const { body: channel } = await call(api, 'POST', '/api/v1/listen', {}, 201);
    const smee = new SmeeClient({ source: channel.url, target: `${receiver.url}/hook`, logger: silent });
    await smee.start();
    try {
      const res = await fetch(`${channel.url}?delivery=7`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': 'issues',
          'x-hub-signature-256': 'sha256=abc',
        },
        body: JSON.stringify({ action: 'opened', issue: { number: 1 } }),
      });
      assert.equal(res.status, 200);
      await waitUntil(() => receiver.requests.length === 1, 5000, 'smee-client to forward');
      const got = receiver.requests[0];
      assert.equal(got.method, 'POST');
      assert.equal(got.url, '/hook?delivery=7');
      assert.deepEqual(JSON.parse(got.body.toString()), { action: 'opened', issue: { number: 1 } });
      assert.equal(got.headers['x-github-event'], 'issues');
      assert.equal(got.headers['x-hub-signature-256'], 'sha256=abc');
    } finally {
      await smee.stop();
      await receiver.close();
    }
  });
});
