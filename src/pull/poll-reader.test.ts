import type { AppId, MessageId } from '../ids.js';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { SecretBox } from '../domain/secret-box.js';
import { newId } from '../ids.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import type { Endpoint } from '../domain/model.js';
import type { Store } from '../store/store.js';
import { MessageWakeups } from './message-wakeups.js';
import { PollReader, combineFilters } from './poll-reader.js';

test('combineFilters narrows the endpoint filter, or says nothing can match', () => {
  const open = { filterTypes: null, channels: null };
  assert.deepEqual(combineFilters(open, {}), { filterTypes: null, channels: null });
  assert.deepEqual(combineFilters(open, { eventType: 'a', channel: 'c' }), { filterTypes: ['a'], channels: ['c'] });
  const narrow = { filterTypes: ['a', 'b'], channels: ['c'] };
  assert.deepEqual(combineFilters(narrow, { eventType: 'b' }), { filterTypes: ['b'], channels: ['c'] });
  assert.equal(combineFilters(narrow, { eventType: 'z' }), null);
  assert.equal(combineFilters(narrow, { channel: 'other' }), null);
  assert.deepEqual(
    combineFilters({ filterTypes: [], channels: [] }, {}),
    { filterTypes: null, channels: null },
    'empty lists mean no filter',
  );
});

// The reader over a real SQLite store.
const dir = mkdtempSync(join(tmpdir(), 'hr-reader-'));
let store: SqliteStore;
let wakeups: MessageWakeups;
let reader: PollReader;
let appId: AppId;
let endpoint: Endpoint;

before(async () => {
  store = new SqliteStore({ file: join(dir, 'db.sqlite'), secretBox: new SecretBox(randomBytes(32)) });
  await store.migrate();
  wakeups = new MessageWakeups(store);
  reader = new PollReader(store, wakeups);
  const now = Date.now() - 60_000;
  appId = (
    await store.createApplication({
      id: newId('application'),
      uid: null,
      name: 'r',
      rateLimit: null,
      metadata: {},
      now,
    })
  ).id;
});
after(async () => {
  wakeups.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function addMessages(n: number, at: number, eventType = 'a', app = appId): Promise<string[]> {
  const inputs = Array.from({ length: n }, () => ({
    id: newId('message', at),
    appId: app,
    eventType,
    eventId: null,
    channels: null,
    tags: null,
    payload: '{}',
    now: at,
    deliverAt: at,
    payloadExpiresAt: at + 86_400_000,
  }));
  const results = await store.createMessages(inputs);
  return results.map((r) => {
    assert.ok(r.ok);
    return r.message.id;
  });
}

test('a page skips what predates the endpoint, even past a full scan window', async () => {
  const t0 = Date.now() - 50_000;
  await addMessages(30, t0); // history before the endpoint
  endpoint = await store.createEndpoint({
    id: newId('endpoint'),
    appId,
    uid: null,
    kind: 'poll',
    url: '',
    description: '',
    version: 1,
    filterTypes: null,
    channels: null,
    rateLimit: null,
    disabled: false,
    metadata: {},
    headers: {},
    format: 'standard',
    cloudEventsHandshake: false,
    svixHeaders: null,
    secret: 'whsec_' + randomBytes(24).toString('base64'),
    now: t0 + 10_000,
  });
  const visible = await addMessages(5, t0 + 20_000);
  // From the very start of the log with a tiny page, the reader walks past the 30 old rows.
  const page = await reader.read({ endpoint, afterSeq: 0, limit: 2 });
  assert.deepEqual(
    page.messages.map((m) => m.id),
    visible.slice(0, 2),
  );
  const start = await reader.startSeq(endpoint);
  assert.equal(start, 30, 'the start position is just before the first message since the endpoint was created');
  const rest = await reader.read({ endpoint, afterSeq: page.seq, limit: 10 });
  assert.deepEqual(
    rest.messages.map((m) => m.id),
    visible.slice(2),
  );
  assert.equal(rest.done, true);
});

test('seekSeq finds the position after a time; a wait is cut short by a commit or an abort', async () => {
  const last = (await reader.read({ endpoint, afterSeq: await reader.startSeq(endpoint), limit: 250 })).seq;
  assert.equal(await reader.seekSeq(appId, Date.now() + 1000), last, 'a future time is the end of the log');
  const ac = new AbortController();
  const started = Date.now();
  setTimeout(() => ac.abort(), 100);
  const aborted = await reader.read({ endpoint, afterSeq: last, limit: 10, waitMs: 10_000, signal: ac.signal });
  assert.deepEqual(aborted.messages, []);
  assert.ok(Date.now() - started < 2000, 'the abort ended the wait');

  const waiting = reader.read({ endpoint, afterSeq: last, limit: 10, waitMs: 10_000 });
  await new Promise((r) => setTimeout(r, 100));
  const [id] = await addMessages(1, Date.now());
  assert.deepEqual(
    (await waiting).messages.map((m) => m.id),
    [id],
  );
});

test('the start of a new endpoint skips nothing committed while it is being found', async () => {
  // Found by `hookrelay demo` under load: the reader asked for a start while the first batch of
  // messages was committing, and that batch landed between its two reads of the log.
  const app = (
    await store.createApplication({
      id: newId('application'),
      uid: null,
      name: 'race',
      rateLimit: null,
      metadata: {},
      now: Date.now() - 60_000,
    })
  ).id;
  const ep = await store.createEndpoint({
    id: newId('endpoint'),
    appId: app,
    uid: null,
    kind: 'poll',
    url: '',
    description: '',
    version: 1,
    filterTypes: null,
    channels: null,
    rateLimit: null,
    disabled: false,
    metadata: {},
    headers: {},
    format: 'standard',
    cloudEventsHandshake: false,
    svixHeaders: null,
    secret: 'whsec_' + randomBytes(24).toString('base64'),
    now: Date.now() - 1000,
  });
  let committed: string[] = [];
  // The store as the reader sees it: right after the first read that finds no message, a batch commits.
  const racing = new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'listMessages') {
        return async (...args: Parameters<Store['listMessages']>) => {
          const page = await target.listMessages(...args);
          if (committed.length === 0 && page.data.length === 0) committed = await addMessages(3, Date.now(), 'a', app);
          return page;
        };
      }
      const v = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  }) as Store;
  const racingReader = new PollReader(racing, wakeups);
  const start = await racingReader.startSeq(ep);
  assert.equal(committed.length, 3, 'the batch committed between the reads');
  const page = await racingReader.read({ endpoint: ep, afterSeq: start, limit: 10 });
  assert.deepEqual(
    page.messages.map((m) => m.id),
    committed,
  );
});

test('the start of a new endpoint covers a message committed before one with a smaller ID', async () => {
  // IDs are made when a request arrives, seqs at commit: a request that waited a moment commits
  // after a later one. Here `early` (made before the endpoint) commits after `late` (made after it).
  const app = (
    await store.createApplication({
      id: newId('application'),
      uid: null,
      name: 'order',
      rateLimit: null,
      metadata: {},
      now: Date.now() - 60_000,
    })
  ).id;
  const t = Date.now() - 10_000;
  const earlyId = newId('message', t);
  const lateId = newId('message', t + 2_000);
  assert.ok(earlyId < lateId);
  const ep = await store.createEndpoint({
    id: newId('endpoint'),
    appId: app,
    uid: null,
    kind: 'poll',
    url: '',
    description: '',
    version: 1,
    filterTypes: null,
    channels: null,
    rateLimit: null,
    disabled: false,
    metadata: {},
    headers: {},
    format: 'standard',
    cloudEventsHandshake: false,
    svixHeaders: null,
    secret: 'whsec_' + randomBytes(24).toString('base64'),
    now: t + 1_000,
  });
  const message = (id: MessageId, at: number) => ({
    id,
    appId: app,
    eventType: 'a',
    eventId: null,
    channels: null,
    tags: null,
    payload: '{}',
    now: at,
    deliverAt: at,
    payloadExpiresAt: at + 86_400_000,
  });
  await store.createMessages([message(lateId, t + 2_000)]);
  await store.createMessages([message(earlyId, t)]);
  const page = await reader.read({ endpoint: ep, afterSeq: await reader.startSeq(ep), limit: 10 });
  assert.deepEqual(
    page.messages.map((m) => m.id),
    [lateId],
    'the message made after the endpoint is read; the one made before it is not',
  );
});
