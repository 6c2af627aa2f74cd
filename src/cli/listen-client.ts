import { EventSource } from 'eventsource';
import { request } from 'undici';
import { apiCall } from './cli-client.js';
import { HOP_BY_HOP, type RawListenEvent } from '../pull/listen-event-format.js';

/**
 * `hookrelay listen`: open (or reuse) a listen channel, subscribe to its stream, and replay each
 * request against a local target with the original method, headers and exact body bytes, one
 * at a time in arrival order. EventSource reconnects by itself and sends Last-Event-ID, so a
 * dropped connection resumes from the channel's buffer.
 */
export interface ListenOptions {
  server: string;
  token: string;
  /** A port on 127.0.0.1, or a URL. */
  target: string;
  /** Reuse the named channel (same URL every time). (Default: a new channel) */
  channel?: string;
  /** One line per event and status messages. (Default: stdout) */
  log?: (line: string) => void;
}

export interface ListenSession {
  /** Where to send webhooks. */
  url: string;
  target: string;
  /** Resolves with a reason if the server refuses the stream for good (EventSource stops retrying). */
  ended: Promise<string>;
  close(): Promise<void>;
}

export function targetUrl(target: string): string {
  if (/^\d+$/.test(target)) return `http://127.0.0.1:${target}/`;
  const url = new URL(target); // throws on garbage, with the value in the message
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`target '${target}' must be a port or an http(s) URL`);
  return url.toString();
}

export async function startListen(opts: ListenOptions): Promise<ListenSession> {
  const log = opts.log ?? ((line: string) => process.stdout.write(line + '\n'));
  const target = targetUrl(opts.target);
  const channel = await apiCall<{ id: string; url: string; streamUrl: string }>(
    opts.server,
    opts.token,
    'POST',
    '/api/v1/listen',
    opts.channel ? { uid: opts.channel } : {},
  );
  const es = new EventSource(channel.streamUrl);
  let queue = Promise.resolve();
  let connectedOnce = false;
  let end: (reason: string) => void = () => {};
  const ended = new Promise<string>((resolve) => {
    end = resolve;
  });

  await new Promise<void>((resolve, reject) => {
    es.onopen = () => {
      if (connectedOnce) log(`${stamp()} reconnected`);
      connectedOnce = true;
      resolve();
    };
    es.onerror = (err) => {
      if (!connectedOnce) {
        es.close();
        reject(new Error(`cannot subscribe to ${channel.streamUrl}: ${err.message ?? 'connection failed'}`));
        return;
      }
      if (es.readyState === EventSource.CLOSED) {
        log(`${stamp()} stream closed by the server (${err.message ?? 'error'})`);
        end(err.message ?? 'stream closed');
        return;
      }
      log(`${stamp()} connection lost (${err.message ?? 'error'}); reconnecting`);
    };
  });

  es.onmessage = (ev) => {
    const event = JSON.parse(ev.data) as RawListenEvent;
    queue = queue.then(() => forward(event, target, log));
  };

  return {
    url: channel.url,
    target,
    ended,
    close: async () => {
      es.close();
      await queue;
    },
  };
}

async function forward(event: RawListenEvent, target: string, log: (line: string) => void): Promise<void> {
  const url = new URL(target);
  for (const [k, v] of Object.entries(event.query)) url.searchParams.set(k, v);
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(event.headers)) {
    // The target gets its own Host and a length computed for the body we send.
    if (name === 'host' || name === 'content-length' || HOP_BY_HOP.has(name)) continue;
    headers[name] = value;
  }
  const body = Buffer.from(event.body, 'base64');
  const label = eventLabel(event, body);
  const started = performance.now();
  try {
    const res = await request(url, {
      method: event.method as 'POST',
      headers,
      body: body.length > 0 ? body : undefined,
      headersTimeout: 30_000,
      bodyTimeout: 30_000,
    });
    await res.body.dump();
    log(`${stamp()} ${label} -> ${res.statusCode} (${Math.round(performance.now() - started)} ms)`);
  } catch (err) {
    log(`${stamp()} ${label} -> error: ${(err as Error).message} (${Math.round(performance.now() - started)} ms)`);
  }
}

/** The event type when the request says it (GitHub header, Standard Webhooks `type`), else the method. */
export function eventLabel(event: Pick<RawListenEvent, 'headers' | 'method'>, body: Buffer): string {
  const gh = event.headers['x-github-event'];
  if (typeof gh === 'string') return gh;
  if (String(event.headers['content-type'] ?? '').includes('json')) {
    try {
      const parsed = JSON.parse(body.toString('utf8')) as { type?: unknown; eventType?: unknown };
      if (typeof parsed.type === 'string') return parsed.type;
      if (typeof parsed.eventType === 'string') return parsed.eventType;
    } catch {
      // not JSON after all: fall back to the method
    }
  }
  return event.method;
}

function stamp(): string {
  return new Date().toISOString().slice(11, 23);
}
