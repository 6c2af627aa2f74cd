import { messageOutJson } from '../domain/message-out.js';
import type { Endpoint } from '../domain/model.js';
import { encodeIterator } from './poll-iterator.js';
import type { PollReader } from './poll-reader.js';
import type { SseConnection } from './sse-connection.js';

/**
 * Feed one SSE connection with a poll endpoint's messages after `afterSeq`: history first,
 * then live ones as they commit. Each event's `id:` is the iterator after it, so a client that
 * reconnects with Last-Event-ID (or polls with it) continues without gaps or duplicates.
 */
export async function runPollStream(
  conn: SseConnection,
  reader: PollReader,
  endpoint: Endpoint,
  afterSeq: number,
  onError: (err: unknown) => void,
): Promise<void> {
  let seq = afterSeq;
  try {
    while (!conn.closed) {
      const page = await reader.read({ endpoint, afterSeq: seq, limit: 100, waitMs: 30_000, signal: conn.signal });
      for (const m of page.messages) {
        if (conn.closed) return;
        await conn.send({ id: encodeIterator({ seq: m.seq }), data: messageOutJson(m) });
      }
      // Only advance past what was actually sent; rows skipped by the filter are re-scanned cheaply.
      if (!conn.closed) seq = page.messages.length > 0 ? page.messages[page.messages.length - 1].seq : page.seq;
    }
  } catch (err) {
    if (!conn.closed) onError(err);
  } finally {
    conn.close();
  }
}
