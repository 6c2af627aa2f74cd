import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EventSource } from 'eventsource';
import { createTestDatabase, postgresAvailable } from '../support/postgres.js';
import { pollAll, pollSetup, send, startPullApi, waitUntil, type PullApi } from './pull-harness.js';

/**
 * The pull side's promise: a consumer reads history by polling, then switches to the SSE
 * stream with the last iterator, and sees every event exactly once, in order — while the
 * server restarts in between and during the stream. Same scenario on both stores.
 */
async function historyThenStream(api: PullApi): Promise<void> {
  const { appId, sinkId } = await pollSetup(api);
  const path = `/api/v1/app/${appId}/poller/${sinkId}`;
  const sent = await send(api, appId, 23);

  const history = await pollAll(api, path, 7);
  assert.deepEqual(history.ids, sent, 'history by polling is the log in order');

  await api.restart();
  sent.push(...(await send(api, appId, 6))); // accepted while nobody is connected

  const got: string[] = [...history.ids]; // history, then what the stream adds
  const lastIds: string[] = [];
  const es = new EventSource(`${api.url}${path}/stream?iterator=${history.iterator}`, {
    fetch: (input, init) =>
      fetch(input, { ...init, headers: { ...init?.headers, authorization: `Bearer ${api.token}` } }),
  });
  es.onmessage = (ev) => {
    got.push(JSON.parse(ev.data).id);
    lastIds.push(ev.lastEventId);
  };
  try {
    await waitUntil(() => got.length >= sent.length, 10_000, 'the backlog on the stream');
    sent.push(...(await send(api, appId, 5))); // live
    await waitUntil(() => got.length >= sent.length, 10_000, 'live events on the stream');

    await api.restart(); // the stream ends; EventSource reconnects with Last-Event-ID
    sent.push(...(await send(api, appId, 5)));
    await waitUntil(() => got.length >= sent.length, 15_000, 'events after the restart');
    await new Promise((r) => setTimeout(r, 300)); // anything extra (a duplicate) would arrive now
  } finally {
    es.close();
  }
  assert.deepEqual(got, sent, 'every event exactly once, in order');
  assert.equal(new Set(got).size, got.length);

  // The stream's ids are iterators: polling after the last one finds nothing new.
  const rest = await pollAll(api, path, 50, lastIds[lastIds.length - 1]);
  assert.deepEqual(rest.ids, []);
}

describe('poll, then stream, across restarts — SQLite', () => {
  let api: PullApi;
  before(async () => {
    api = await startPullApi();
  });
  after(async () => {
    await api.close();
  });
  test('every event exactly once, in order', async () => historyThenStream(api));
});

describe('poll, then stream, across restarts — PostgreSQL', async () => {
  const available = await postgresAvailable();
  let api: PullApi;
  let drop: () => Promise<void>;
  before(async () => {
    if (!available) return;
    const db = await createTestDatabase('hr_pull');
    drop = db.drop;
    api = await startPullApi({ databaseUrl: db.url });
  });
  after(async () => {
    if (!available) return;
    await api.close();
    await drop();
  });
  test('every event exactly once, in order', { skip: !available && 'no PostgreSQL' }, async () =>
    historyThenStream(api),
  );
});
