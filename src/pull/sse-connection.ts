import type { ServerResponse } from 'node:http';

/**
 * One Server-Sent Events response. Writes respect back-pressure (a slow reader makes the
 * writer wait instead of buffering without bound). `signal` aborts when the client goes away
 * or the server closes the stream, so loops feeding it stop at once.
 */
export interface SseEvent {
  id?: string;
  event?: string;
  data: string;
}

export class SseConnection {
  private readonly controller = new AbortController();
  private heartbeat: NodeJS.Timeout | null = null;

  constructor(private readonly res: ServerResponse) {
    res.on('close', () => this.controller.abort());
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get closed(): boolean {
    return this.controller.signal.aborted;
  }

  /** Send the headers now (EventSource reports `open` on them) and start the heartbeat. */
  open(options: {
    heartbeatMs: number;
    heartbeat?: () => string;
    headers?: Record<string, string>;
    retryMs?: number;
  }): void {
    this.res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // Reverse proxies (nginx) must not buffer a stream.
      'x-accel-buffering': 'no',
      ...options.headers,
    });
    this.res.flushHeaders();
    // How soon a client reconnects after the stream ends (a restart): EventSource's own default is 3 s.
    if (options.retryMs !== undefined) this.res.write(`retry: ${options.retryMs}\n\n`);
    const beat = options.heartbeat ?? (() => ': heartbeat\n\n');
    // A comment line keeps proxies and load balancers from closing an idle connection.
    this.heartbeat = setInterval(() => {
      if (!this.closed) this.res.write(beat());
    }, options.heartbeatMs);
    this.heartbeat.unref();
    this.controller.signal.addEventListener('abort', () => this.stopHeartbeat(), { once: true });
  }

  /** Resolves once the event is handed to the socket (or the connection is gone). */
  async send(event: SseEvent): Promise<void> {
    if (this.closed) return;
    let text = '';
    if (event.id !== undefined) text += `id: ${event.id}\n`;
    if (event.event !== undefined) text += `event: ${event.event}\n`;
    for (const line of event.data.split(/\r\n|\r|\n/)) text += `data: ${line}\n`;
    await this.write(text + '\n');
  }

  write(text: string): Promise<void> {
    if (this.closed || this.res.writableEnded) return Promise.resolve();
    if (this.res.write(text)) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.res.off('drain', done);
        this.signal.removeEventListener('abort', done);
        resolve();
      };
      this.res.once('drain', done);
      this.signal.addEventListener('abort', done, { once: true });
    });
  }

  /** End the response cleanly (server shutdown); the client's EventSource will reconnect. */
  close(): void {
    this.stopHeartbeat();
    // The connection ends with the stream. Left open for keep-alive, it could miss the server's
    // close of idle connections (if the end was still flushing) and hold close() for the whole
    // keep-alive timeout (72 s in Fastify; seen once SQLite moved to its own thread).
    if (!this.res.writableEnded) this.res.end(() => this.res.socket?.destroy());
    this.controller.abort();
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }
}

/**
 * Everything that holds a connection open: SSE streams and waiting long-polls. The API's close
 * must end them, or `server.close()` would wait for streams that never finish.
 */
export class OpenConnections {
  private readonly streams = new Set<SseConnection>();
  private readonly waits = new Set<AbortController>();
  private closing = false;

  get isClosing(): boolean {
    return this.closing;
  }

  track(conn: SseConnection): void {
    if (this.closing) {
      conn.close();
      return;
    }
    this.streams.add(conn);
    conn.signal.addEventListener('abort', () => this.streams.delete(conn), { once: true });
  }

  /** An AbortSignal for one long-poll: aborted by the client leaving or the server closing. */
  waitSignal(res: ServerResponse): { signal: AbortSignal; release: () => void } {
    const controller = new AbortController();
    if (this.closing) controller.abort();
    const onClose = () => controller.abort();
    res.on('close', onClose);
    this.waits.add(controller);
    return {
      signal: controller.signal,
      release: () => {
        res.off('close', onClose);
        this.waits.delete(controller);
      },
    };
  }

  get size(): number {
    return this.streams.size;
  }

  closeAll(): void {
    this.closing = true;
    for (const c of this.waits) c.abort();
    for (const s of this.streams) s.close();
    this.waits.clear();
    this.streams.clear();
  }
}
