import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatListenEvent, relayableHeaders, smeeBody } from './listen-event-format.js';

test('smee body: JSON (also +json), urlencoded fields, text, {} when empty, text when JSON is broken', () => {
  const b = (ct: string, body: string) => smeeBody({ headers: { 'content-type': ct }, body: Buffer.from(body) });
  assert.deepEqual(b('application/json; charset=utf-8', '{"a":1}'), { a: 1 });
  assert.deepEqual(b('application/cloudevents+json', '{"a":2}'), { a: 2 });
  assert.deepEqual(b('application/x-www-form-urlencoded', 'payload=%7B%7D&x=1'), { payload: '{}', x: '1' });
  assert.equal(b('text/plain', 'hi'), 'hi');
  assert.deepEqual(b('application/json', ''), {});
  assert.equal(b('application/json', '{oops'), '{oops');
});

test('hop-by-hop headers are dropped and names lower-cased; both formats carry what their client needs', () => {
  const headers = relayableHeaders({
    Connection: 'keep-alive',
    'Transfer-Encoding': 'chunked',
    'X-A': '1',
    host: 'h',
    'set-cookie': ['a', 'b'],
  });
  assert.deepEqual(headers, { 'x-a': '1', host: 'h', 'set-cookie': ['a', 'b'] });
  const event = {
    id: 'e.1',
    seq: 1,
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    query: { q: '1' },
    body: Buffer.from('{"n": 1}'),
    timestamp: 5,
  };
  assert.deepEqual(JSON.parse(formatListenEvent(event, 'smee')), {
    'content-type': 'application/json',
    body: { n: 1 },
    query: { q: '1' },
    timestamp: 5,
  });
  const raw = JSON.parse(formatListenEvent(event, 'raw'));
  assert.equal(raw.method, 'PUT');
  assert.equal(Buffer.from(raw.body, 'base64').toString(), '{"n": 1}', 'exact bytes, spacing included');
});
