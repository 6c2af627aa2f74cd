import { performance } from 'node:perf_hooks';
import { Agent } from 'undici';
import type { Dispatcher } from 'undici';
import { DeliveryBlockedError, DeliveryDnsError, guardedConnector, type Resolver } from './guarded-connect.js';

/**
 * One HTTP request to a receiver, with undici's request API (the fast path; Node's fetch is
 * ~8× slower here). Redirects are never followed (no redirect interceptor: a 3xx comes back
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
    /** Up to responseBodyLimitBytes of the body, as UTF-8. */
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
const targets = new Map<string, { origin: string; path: string }>();
const MAX_TARGETS = 10_000;

function targetOf(url: string): { origin: string; path: string } {
  let t = targets.get(url);
  if (!t) {
    const u = new URL(url);
    t = { origin: u.origin, path: u.pathname + u.search };
    if (targets.size >= MAX_TARGETS) targets.clear();
    targets.set(url, t);
  }
  return t;
}

export class Sender {
  private readonly agent: Agent;

  constructor(private readonly options: SenderOptions) {
    this.agent = new Agent({
      connect: guardedConnector({ allowNetworks: options.allowNetworks, resolver: options.resolver, connectTimeoutMs: options.requestTimeoutMs }),
      keepAliveTimeout: options.keepAliveTimeoutMs ?? 4_000,
      headersTimeout: options.requestTimeoutMs,
      bodyTimeout: options.requestTimeoutMs,
    });
  }

  get dispatcher(): Dispatcher {
    return this.agent;
  }

  async send(req: OutboundRequest): Promise<SendResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.options.requestTimeoutMs);
    try {
      const { origin, path } = targetOf(req.url);
      const res = await this.agent.request({
        origin,
        path,
        method: req.method ?? 'POST',
        headers: req.headers,
        body: req.body ?? undefined,
        signal: controller.signal,
        headersTimeout: this.options.requestTimeoutMs,
        bodyTimeout: this.options.requestTimeoutMs,
      });
      const body = await readLimited(res.body, this.options.responseBodyLimitBytes);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers)) {
        const value = headerValue(v);
        if (value !== null) headers[k] = value;
      }
      return { kind: 'response', statusCode: res.statusCode, body, headers, retryAfter: headers['retry-after'] ?? null, durationMs: elapsed() };
    } catch (err) {
      return { kind: 'error', error: describeNetworkError(err, timedOut), durationMs: elapsed() };
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await this.agent.destroy().catch(() => {});
  }
}

/**
 * Read at most `limit` bytes, then destroy the stream so the rest is never buffered (a 50 MB
 * answer costs us `limit` bytes and a closed socket). A body that breaks off half way keeps
 * what arrived: the status line already told us the outcome.
 */
async function readLimited(body: Dispatcher.ResponseData['body'], limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      const buf = chunk as Buffer;
      const room = limit - size;
      if (buf.length >= room) {
        chunks.push(buf.subarray(0, room));
        size = limit;
        break;
      }
      chunks.push(buf);
      size += buf.length;
    }
  } catch {
    // truncated body: keep what we have
  } finally {
    if (!body.destroyed) body.destroy();
  }
  return Buffer.concat(chunks, size).toString('utf8');
}
