import type { Config } from '../src/config.js';
import type { RunningServer } from '../src/server/hookrelay-server.js';
import { serveIpc } from './lib/ipc.js';

// The compiled build, as `npm start` runs it (bench/run.ts builds it before the scenarios).
const built = '../dist/server/hookrelay-server.js';
const { startServer } = (await import(built)) as typeof import('../src/server/hookrelay-server.js');

/**
 * The server under test, alone in its process: its RSS is its own and no load generator
 * shares its event loop. `start` runs `startServer` with the scenario's config (role all, api
 * or worker) and answers with the API URL; `stop` is the graceful shutdown.
 */

let running: RunningServer | null = null;

serveIpc(
  {
    async start(config: Config) {
      running = await startServer(config);
      return { url: running.url, pid: process.pid };
    },
    memory() {
      return process.memoryUsage();
    },
  },
  async () => {
    await running?.close();
    running = null;
  },
);
