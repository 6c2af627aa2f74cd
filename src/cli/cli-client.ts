import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What the client-side commands (`listen`, `send`) share: where the server is and which token
 * to present. Defaults: `http://127.0.0.1:8071`; the token from `--token`, else
 * HOOKRELAY_TOKEN, else the admin token `serve` saved in `./.hookrelay/admin-token`.
 */
export const DEFAULT_SERVER = 'http://127.0.0.1:8071';

export function resolveToken(
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  dataDir = env.HOOKRELAY_DATA_DIR ?? './.hookrelay',
): string {
  if (flag) return flag;
  if (env.HOOKRELAY_TOKEN) return env.HOOKRELAY_TOKEN;
  const file = join(dataDir, 'admin-token');
  try {
    const token = readFileSync(file, 'utf8').trim();
    if (token) return token;
  } catch {
    // fall through to the message below
  }
  throw new Error(
    `no API token: pass --token, set HOOKRELAY_TOKEN, or run from the directory where \`hookrelay serve\` wrote ${file}`,
  );
}

export class ApiCallError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    what: string,
  ) {
    super(`${what} failed: HTTP ${status} ${body.slice(0, 500)}`);
  }
}

/** One JSON call to the Hookrelay API; throws ApiCallError on a non-2xx answer. */
export async function apiCall<T>(
  server: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const base = server.replace(/\/+$/, '');
  let res: Response;
  try {
    res = await fetch(base + path, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    throw unreachable(base, err);
  }
  const text = await res.text();
  if (!res.ok) throw new ApiCallError(res.status, text, `${method} ${path}`);
  return (text ? JSON.parse(text) : null) as T;
}

/** `--data '{"a":1}'` or `--data @payload.json`: the payload object of a message. */
export function parseData(
  arg: string,
  readFile: (path: string) => string = (p) => readFileSync(p, 'utf8'),
): Record<string, unknown> {
  const text = arg.startsWith('@') ? readFile(arg.slice(1)) : arg;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Error(`--data is not valid JSON: ${(err as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new Error('--data must be a JSON object (the message payload)');
  return value as Record<string, unknown>;
}

/** `hookrelay send`: POST /api/v1/app/{app}/msg; returns the new message's ID. */
export async function sendMessage(opts: {
  server: string;
  token: string;
  app: string;
  eventType: string;
  payload: Record<string, unknown>;
  eventId?: string;
  channels?: string[];
}): Promise<string> {
  const body: Record<string, unknown> = { eventType: opts.eventType, payload: opts.payload };
  if (opts.eventId) body.eventId = opts.eventId;
  if (opts.channels && opts.channels.length > 0) body.channels = opts.channels;
  const msg = await apiCall<{ id: string }>(
    opts.server,
    opts.token,
    'POST',
    `/api/v1/app/${encodeURIComponent(opts.app)}/msg`,
    body,
  );
  return msg.id;
}

/** fetch says only "fetch failed"; its cause names the refusal (`ECONNREFUSED 127.0.0.1:8099`). */
export function unreachable(server: string, err: unknown): Error {
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  const reason = cause?.message ?? cause?.code ?? (err instanceof Error ? err.message : String(err));
  return new Error(`cannot reach ${server}: ${reason}`, { cause: err });
}
