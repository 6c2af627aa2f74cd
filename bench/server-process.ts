import type { Config } from '../src/config.js';
import { startServer, type RunningServer } from '../src/server/hookrelay-server.js';
import { serveIpc } from './lib/ipc.js';

/**
 * The server under test, alone in its process: its RSS is its own and no load generator
 * shares its event loop. `start` runs `startServer` with the scenario's config (role all, api
 * or worker) and answers with the API URL; `stop` is the graceful shutdown.
 */

let running: RunningServer | null = null;

serveIpc({
  async start(config: Config) {
    running = await startServer(config);
    return { url: running.url, pid: process.pid };
  },
  memory() {
    return process.memoryUsage();
  },
}, async () => {
  await running?.close();
  running = null;
});
