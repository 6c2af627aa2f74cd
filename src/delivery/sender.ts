import { performance } from 'node:perf_hooks';
import { Agent, util } from 'undici';
import type { Dispatcher } from 'undici';
import { memoize } from '../memoize.js';
import { DeliveryBlockedError, DeliveryDnsError, guardedConnector, type Resolver } from './guarded-connect.js';

/**
 * One HTTP request to a receiver, with undici's dispatcher (Node's fetch costs several times
 * more per request). Redirects are never followed (no redirect interceptor: a 3xx comes back
 * as a response and is classified a failure). The response body is read up to a limit and
 * the rest is discarded unread. Receiver and network faults come back as values — `send`
 * never throws for them.
 */

export interface OutboundRequest {
  url: string;
  /** (Default: POST.) */
  method?: 'POST' | 'OPTIONS';
  headers: Record<string, string>;
  body: string | null;
}

export type SendResult =
  | {
      kind: 'response';
      statusCode: number;
      /** Up to responseBodyLimitBytes of the body, as UTF-8 (NUL as U+FFFD). */
      body: string;
      headers: Record<string, string>;
      /** The raw Retry-After header, when present. */
      retryAfter: string | null;
      durationMs: number;
    }
  | {
      kind: 'error';
      /** 'timeout' | 'connection_reset' | 'connection_refused' | 'blocked: <reason>' | 'dns: <code> <host>' | 'error: <code>'. */
      error: string;
      durationMs: number;
    };

export interface SenderOptions {
  /** config.allowNetworks. */
  allowNetworks: string[];
  /** Whole request, connect to last byte read (config.requestTimeoutMs; Default there: 15000). */
  requestTimeoutMs: number;
  /** config.responseBodyLimitBytes (Default there: 20 KB). */
  responseBodyLimitBytes: number;
  /** (Default: the system resolver.) */
  resolver?: Resolver;
  /** Idle keep-alive sockets are kept this long (Default: 4000 ms, undici's). */
  keepAliveTimeoutMs?: number;
}

function headerValue(v: string | string[] | undefined): string | null {
  if (v === undefined) return null;
  return Array.isArray(v) ? v.join(', ') : v;
}

/** Turn a caught network error into the short reason stored with the attempt. */
export function describeNetworkError(err: unknown, timedOut: boolean): string {
  if (err instanceof DeliveryBlockedError || err instanceof DeliveryDnsError) return err.message;
  const e = err as { code?: string; name?: string; message?: string; cause?: unknown };
  if (timedOut || e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'timeout';
  switch (e?.code) {
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'ETIMEDOUT':
      return 'timeout';
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
      return 'connection_reset';
    case 'ECONNREFUSED':
      return 'connection_refused';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'unreachable';
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'CERT_HAS_EXPIRED':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
      return `tls: ${e.code}`;
  }
  if (e?.cause) return describeNetworkError(e.cause, false);
  return `error: ${e?.code ?? e?.message ?? String(err)}`;
}

/** Origin and path of a delivery URL, parsed once per URL (endpoints send many times). */
const targetOf = memoize((url: string) => {
  const u = new URL(url);
  return { origin: u.origin, path: u.pathname + u.search };
}, 10_000);

export class Sender {
  private readonly agent: Agent;

  constructor(private readonly options: SenderOptions) {
    this.agent = new Agent({
      connect: guardedConnector({
        allowNetworks: options.allowNetworks,
        resolver: options.resolver,
        connectTimeoutMs: options.requestTimeoutMs,
      }),
      keepAliveTimeout: options.keepAliveTimeoutMs ?? 4_000,
      headersTimeout: options.requestTimeoutMs,
      bodyTimeout: options.requestTimeoutMs,
    });
  }

  get dispatcher(): Dispatcher {
    return this.agent;
  }

  /**
   * Through undici's dispatch handler API rather than `request()`: no Readable body stream, no
   * AbortSignal and no async-resource wrapper per request, which is most of a delivery's CPU
   * (docs/decisions/0002-undici-dispatch.md). The collector below reads the body up to the limit itself.
   */
  send(req: OutboundRequest): Promise<SendResult> {
    let origin: string;
    let path: string;
    try {
      ({ origin, path } = targetOf(req.url));
    } catch (err) {
      return Promise.resolve({ kind: 'error', error: describeNetworkError(err, false), durationMs: 0 });
    }
    return new Promise((resolve) => {
      const collector = new ResponseCollector(
        this.options.responseBodyLimitBytes,
        this.options.requestTimeoutMs,
        resolve,
      );
      try {
        // Header and body timeouts are the agent's own (set once in the constructor).
        this.agent.dispatch(
          { origin, path, method: req.method ?? 'POST', headers: req.headers, body: req.body ?? undefined },
          collector,
        );
      } catch (err) {
        collector.onError(err as Error);
      }
    });
  }

  async close(): Promise<void> {
    await this.agent.destroy().catch(() => {});
  }
}

/** Thrown into a request that ran past requestTimeoutMs. */
class RequestTimeoutError extends Error {
  override name = 'TimeoutError';
}

/**
 * One request's answer, gathered from undici's handler callbacks. Reads at most `limit` bytes
 * of the body, then aborts the request so the rest is never buffered (a 50 MB answer costs us
 * `limit` bytes and a closed socket). A body that breaks off half way keeps what arrived: the
 * status line already told us the outcome. Settles exactly once.
 */
class ResponseCollector implements Dispatcher.DispatchHandler {
  private readonly timer: NodeJS.Timeout;
  private readonly started = performance.now();
  private abort: ((err?: Error) => void) | null = null;
  private statusCode = 0;
  private headers: Record<string, string> = {};
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private settled = false;
  private timedOut = false;

  constructor(
    private readonly limit: number,
    timeoutMs: number,
    private readonly resolve: (r: SendResult) => void,
  ) {
    this.timer = setTimeout(() => this.timeOut(), timeoutMs);
  }

  onConnect(abort: (err?: Error) => void): void {
    if (this.settled) abort(new RequestTimeoutError());
    else this.abort = abort;
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[]): boolean {
    this.statusCode = statusCode;
    const parsed = util.parseHeaders(rawHeaders) as Record<string, string | string[] | undefined>;
    for (const name in parsed) {
      const value = headerValue(parsed[name]);
      if (value !== null) this.headers[name] = value;
    }
    return true;
  }

  onData(chunk: Buffer): boolean {
    const room = this.limit - this.size;
    if (chunk.length < room) {
      this.chunks.push(chunk);
      this.size += chunk.length;
      return true;
    }
    this.chunks.push(chunk.subarray(0, room));
    this.size = this.limit;
    this.respond();
    this.abort?.(new Error('response body limit reached'));
    return false;
  }

  onComplete(): void {
    this.respond();
  }

  onError(err: Error): void {
    if (this.statusCode > 0) this.respond();
    else this.settle({ kind: 'error', error: describeNetworkError(err, this.timedOut), durationMs: this.elapsed() });
  }

  /** Past requestTimeoutMs: a timeout, unless the status line already came (then it counts). */
  private timeOut(): void {
    this.timedOut = true;
    if (this.statusCode > 0) this.respond();
    else this.settle({ kind: 'error', error: 'timeout', durationMs: this.elapsed() });
    this.abort?.(new RequestTimeoutError());
  }

  /** The body is kept to be shown as the attempt's response: NUL becomes U+FFFD, as PostgreSQL's text cannot hold it. */
  private respond(): void {
    const body = Buffer.concat(this.chunks, this.size).toString('utf8').replaceAll('\u0000', '\uFFFD');
    this.settle({
      kind: 'response',
      statusCode: this.statusCode,
      body,
      headers: this.headers,
      retryAfter: this.headers['retry-after'] ?? null,
      durationMs: this.elapsed(),
    });
  }

  private settle(result: SendResult): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    this.resolve(result);
  }

  private elapsed(): number {
    return Math.round(performance.now() - this.started);
  }
}
