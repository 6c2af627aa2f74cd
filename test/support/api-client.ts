import { Agent, request } from 'undici';

/**
 * A small HTTP client for a Hookrelay API in another process (loopback only). `baseUrl` may be
 * changed when a server is restarted on a new port. Network errors come back as status 0, so
 * callers can tell "not acknowledged" from an answer.
 */

export interface ApiAnswer {
  status: number;
  body: unknown;
  /** Set when no answer arrived (connection refused, reset, timeout). */
  error?: string;
}

export class ApiClient {
  private readonly agent = new Agent({ connections: 128, keepAliveTimeout: 10_000 });

  constructor(
    public baseUrl: string,
    private readonly token: string,
    private readonly timeoutMs = 15_000,
  ) {}

  async call(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<ApiAnswer> {
    try {
      const res = await request(this.baseUrl + path, {
        dispatcher: this.agent,
        method,
        headers: {
          authorization: `Bearer ${this.token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const text = await res.body.text();
      let parsed: unknown = text;
      try {
        parsed = text === '' ? null : JSON.parse(text);
      } catch {
        /* keep text */
      }
      return { status: res.statusCode, body: parsed };
    } catch (err) {
      const e = err as { code?: string; name?: string; message?: string };
      return { status: 0, body: null, error: e.code ?? e.name ?? e.message ?? String(err) };
    }
  }

  /** Like `call`, but throws unless the status is the expected one. */
  async expect(
    status: number,
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    body?: unknown,
  ): Promise<any> {
    const r = await this.call(method, path, body);
    if (r.status !== status)
      throw new Error(`${method} ${path}: expected ${status}, got ${r.status} ${r.error ?? JSON.stringify(r.body)}`);
    return r.body;
  }

  /** Every page of a list route. */
  async listAll(path: string): Promise<any[]> {
    const out: any[] = [];
    let iterator: string | null = null;
    for (;;) {
      const sep = path.includes('?') ? '&' : '?';
      const page = await this.expect(
        200,
        'GET',
        `${path}${sep}limit=250${iterator ? `&iterator=${encodeURIComponent(iterator)}` : ''}`,
      );
      out.push(...page.data);
      if (page.done || !page.iterator) return out;
      iterator = page.iterator;
    }
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function waitUntil(
  cond: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
  stepMs = 25,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(stepMs);
  }
}

/** Run `fn` over items with at most `limit` in flight. */
export async function pool<T>(items: T[], limit: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  });
  await Promise.all(runners);
}
