import { Pool } from 'undici';
import { signatureHeaders } from '../src/delivery/signer.js';
import { USER_AGENT } from '../src/delivery/request-builder.js';
import { newId } from '../src/ids.js';
import { preciseNow, serveIpc } from './lib/ipc.js';
import { benchPayload } from './lib/payload.js';

/**
 * The yardstick (scenario 1): what this box can push without Hookrelay — undici Pool
 * keep-alive POSTs of the same signed payloads the engine sends (Standard Webhooks headers,
 * HMAC over id.timestamp.body, signed per request as the engine does) to the same receiver,
 * at the same concurrency, no storage. Runs in its own process like the server under test.
 */

interface RunArgs {
  origin: string;
  path: string;
  secret: string;
  concurrency: number;
  /** Stop after this many requests… */
  count: number;
  /** …or after this long, whichever comes first. */
  maxMs: number;
}

async function run(a: RunArgs) {
  const pool = new Pool(a.origin, { connections: a.concurrency, pipelining: 1, keepAliveTimeout: 10_000 });
  let sent = 0;
  let ok = 0;
  let failed = 0;
  const started = preciseNow();
  const deadline = started + a.maxMs;
  async function lane(): Promise<void> {
    while (sent < a.count && preciseNow() < deadline) {
      sent++;
      const now = Date.now();
      const id = newId('message', now);
      const body = benchPayload(preciseNow());
      const headers = {
        'content-type': 'application/json',
        'user-agent': USER_AGENT,
        ...signatureHeaders(id, now / 1000, body, [a.secret]),
      };
      try {
        const res = await pool.request({ path: a.path, method: 'POST', headers, body });
        await res.body.text();
        if (res.statusCode >= 200 && res.statusCode < 300) ok++;
        else failed++;
      } catch {
        failed++;
      }
    }
  }
  await Promise.all(Array.from({ length: a.concurrency }, lane));
  const durationMs = preciseNow() - started;
  await pool.close();
  return { ok, failed, durationMs, perSecond: ok / (durationMs / 1000) };
}

serveIpc({ run });
