import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IdempotentResponse, Store } from '../store/store.js';
import { principalKey } from './auth.js';

/**
 * `idempotency-key` on POST: the first successful (2xx) response is stored for 24 hours, scoped
 * by token and URL; a later POST with the same key gets the same status and body back without
 * running again (header `idempotent-replayed: true`). The svix SDK sends a key with every POST
 * (and reuses it when it retries), so a retried message create is never accepted twice.
 * Two requests racing with the same key may both run: keys protect retries, not concurrency.
 */
export const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;

declare module 'fastify' {
  interface FastifyRequest {
    idempotency: { scope: string; key: string } | null;
  }
}

interface Pending {
  item: { scope: string; key: string; response: IdempotentResponse; expiresAt: number };
  done: (err?: unknown) => void;
}

/**
 * Group commit for idempotency records, as Outbox does for messages: the records of
 * one event-loop turn are written together (`putIdempotentResponses`, one transaction) when
 * the store offers it, so keyed message creates keep the speed of the message group commit.
 */
export class IdempotencyRecorder {
  private queue: Pending[] = [];
  private scheduled = false;

  constructor(private readonly store: Store) {}

  record(item: Pending['item']): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, done: (err) => (err ? reject(err) : resolve()) });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = [];
    const store = this.store;
    try {
      if (store.putIdempotentResponses) await store.putIdempotentResponses(batch.map((p) => p.item));
      else
        await Promise.all(
          batch.map(({ item: i }) => store.putIdempotentResponse(i.scope, i.key, i.response, i.expiresAt)),
        );
      for (const p of batch) p.done();
    } catch (err) {
      for (const p of batch) p.done(err);
    }
  }
}

export function idempotencyHooks(store: Store) {
  const recorder = new IdempotencyRecorder(store);
  return {
    async preHandler(request: FastifyRequest, reply: FastifyReply): Promise<void> {
      request.idempotency = null;
      const raw = request.headers['idempotency-key'];
      const key = Array.isArray(raw) ? raw[0] : raw;
      // Only authenticated POSTs: unauthenticated routes (listen ingress) have no scope to key by.
      if (request.method !== 'POST' || !key || !request.principal) return;
      const scope = `${principalKey(request.principal)} POST ${request.url}`;
      const stored = await store.getIdempotentResponse(scope, key, Date.now());
      if (stored) {
        reply.code(stored.status).header('idempotent-replayed', 'true');
        if (stored.body === '') return reply.send();
        return reply.type('application/json').send(stored.body);
      }
      request.idempotency = { scope, key };
    },

    async onSend(request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
      const idem = request.idempotency;
      if (!idem || reply.statusCode < 200 || reply.statusCode >= 300) return payload;
      const body = typeof payload === 'string' ? payload : payload == null ? '' : null;
      if (body === null) return payload; // streams/buffers are not replayable
      try {
        await recorder.record({
          scope: idem.scope,
          key: idem.key,
          response: { status: reply.statusCode, body },
          expiresAt: Date.now() + IDEMPOTENCY_TTL_MS,
        });
      } catch (err) {
        // The request itself succeeded; failing it now would invite a retry that runs twice.
        request.log.warn({ err }, 'could not store idempotent response');
      }
      return payload;
    },
  };
}
