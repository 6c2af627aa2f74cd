import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { startServer, type RunningServer } from '../../src/server/hookrelay-server.js';
import { createTestDatabase, postgresAvailable } from '../support/postgres.js';
import { CHILD_ENCRYPTION_KEY } from '../support/server-process.js';

/**
 * Listen channels across API processes (issue 20): two API servers on one PostgreSQL database.
 * A channel created through API 1 takes posts made to API 2 and streams them on API 1; a stream
 * reopened on API 2 with the last event ID resumes with no gap and no repeat.
 */

const TOKEN = 'hr_admin_listen_cluster_0123456789';

interface SseEvent {
  id: string;
  body: string;
}

/** Open a raw-format stream and collect its events until `count` arrived (bounded by a timeout). */
function openStream(url: string, lastEventId?: string) {
  const ac = new AbortController();
  const events: SseEvent[] = [];
  const done = (async () => {
    const res = await fetch(url, {
      headers: { accept: 'text/event-stream', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
      signal: ac.signal,
    });
    assert.equal(res.status, 200);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buf = '';
    for (;;) {
      const { value, done: end } = await reader.read();
      if (end) return;
      buf += decoder.decode(value, { stream: true });
      let i: number;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const lines = buf.slice(0, i).split('\n');
        buf = buf.slice(i + 2);
        if (lines.some((l) => l.startsWith('event:')) || !lines.some((l) => l.startsWith('data:'))) continue;
        const data = JSON.parse(
          lines
            .filter((l) => l.startsWith('data: '))
            .map((l) => l.slice(6))
            .join('\n'),
        );
        events.push({
          id: lines.find((l) => l.startsWith('id: '))!.slice(4),
          body: Buffer.from(data.body, 'base64').toString(),
        });
      }
    }
  })().catch((err) => {
    if (!ac.signal.aborted) throw err;
  });
  return {
    events,
    async until(count: number): Promise<void> {
      const deadline = Date.now() + 10_000;
      while (events.length < count) {
        if (Date.now() > deadline) throw new Error(`stream got ${events.length} of ${count} events`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async close() {
      ac.abort();
      await done;
    },
  };
}

async function post(url: string, body: string): Promise<void> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  assert.equal(res.status, 200, await res.text());
}

describe('listen channels across API processes (PostgreSQL)', () => {
  let skip = false;
  let db: { url: string; drop: () => Promise<void> } | undefined;
  const servers: RunningServer[] = [];
  const dirs: string[] = [];

  before(async () => {
    skip = !(await postgresAvailable());
    if (skip) {
      if (process.env.CI) throw new Error('PostgreSQL is unreachable at 127.0.0.1:5432; CI requires it');
      return;
    }
    db = await createTestDatabase('listen');
    for (let i = 0; i < 2; i++) {
      const dataDir = mkdtempSync(join(tmpdir(), 'hr-listen-'));
      dirs.push(dataDir);
      const config = loadConfig(
        {},
        {
          databaseUrl: db.url,
          role: 'api',
          port: 0,
          host: '127.0.0.1',
          adminToken: TOKEN,
          dataDir,
          encryptionKey: CHILD_ENCRYPTION_KEY,
          logLevel: 'silent',
        },
      );
      servers.push(await startServer(config));
    }
  });

  after(async () => {
    for (const s of servers) await s.close();
    await db?.drop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('a channel made on API 1 relays posts to API 2, and a stream resumes on API 2 after the last event ID', async (t) => {
    if (skip) return t.skip('PostgreSQL unavailable (outside CI)');
    const [api1, api2] = servers.map((s) => s.url!);
    const created = await fetch(`${api1}/api/v1/listen`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ uid: 'laptop' }),
    });
    assert.equal(created.status, 201);
    const { id } = (await created.json()) as { id: string };
    const again = await fetch(`${api2}/api/v1/listen`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ uid: 'laptop' }),
    });
    assert.equal(again.status, 200, 'API 2 knows the named channel');
    assert.equal(((await again.json()) as { id: string }).id, id);

    const first = openStream(`${api1}/in/${id}?format=raw`);
    await new Promise((r) => setTimeout(r, 200));
    for (let n = 1; n <= 5; n++) await post(`${n % 2 ? api2 : api1}/in/${id}`, `{"n":${n}}`);
    await first.until(5);
    assert.deepEqual(
      first.events.map((e) => e.body),
      [1, 2, 3, 4, 5].map((n) => `{"n":${n}}`),
      'in order, from both APIs',
    );
    assert.deepEqual(
      first.events.map((e) => e.id),
      ['1', '2', '3', '4', '5'],
    );
    await first.close();

    // Posted while nobody listens, through both APIs; the listener comes back on API 2.
    for (let n = 6; n <= 9; n++) await post(`${n % 2 ? api1 : api2}/in/${id}`, `{"n":${n}}`);
    const resumed = openStream(`${api2}/in/${id}?format=raw`, '5');
    await resumed.until(4);
    await post(`${api1}/in/${id}`, '{"n":10}');
    await resumed.until(5);
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(
      resumed.events.map((e) => e.body),
      [6, 7, 8, 9, 10].map((n) => `{"n":${n}}`),
      'no gap, no repeat',
    );
    await resumed.close();

    const unknown = await fetch(`${api2}/in/lc_AAAAAAAAAAAAAAAAAAAAAA`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(unknown.status, 404);
  });
});
