import { loadConfig } from '../../src/config.js';
import { startServer } from '../../src/server/hookrelay-server.js';

/**
 * Entry point of a Hookrelay server child process for the reliability tests (bundled from
 * source by server-process.ts, so no build is needed): the config comes from HOOKRELAY_* env
 * vars exactly as `hookrelay serve` reads them. When the server is up it
 * prints one line `HOOKRELAY_CHILD_READY {"url":...,"pid":...}` on stdout (beside pino's JSON
 * logs) for the parent to wait for. SIGTERM is a graceful shutdown; the tests use SIGKILL.
 */

export const READY_MARK = 'HOOKRELAY_CHILD_READY';

try {
  const config = loadConfig(process.env);
  const server = await startServer(config);
  process.stdout.write(
    `${READY_MARK} ${JSON.stringify({ url: server.url, opsUrl: server.opsUrl, pid: process.pid, role: config.role })}\n`,
  );
  process.once('SIGTERM', () => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
} catch (err) {
  // The start failure is what some tests assert on (read-only data dir): say it clearly, exit 2.
  const e = err as { code?: string; message?: string };
  process.stderr.write(
    `HOOKRELAY_CHILD_FAILED ${JSON.stringify({ code: e?.code ?? null, message: e?.message ?? String(err) })}\n`,
  );
  process.exit(2);
}
