import type { Command } from 'commander';
import { Option } from 'commander';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../../server/hookrelay-server.js';
import { configFromFlags, withStoreFlags, type StoreFlags } from '../config-flags.js';
import type { Role } from '../../config.js';

interface ServeFlags extends StoreFlags {
  port?: string;
  host?: string;
  role?: Role;
}

export function registerServe(program: Command): void {
  withStoreFlags(program.command('serve'))
    .description('run the API and the delivery workers (every option: docs/configuration.md)')
    .option('-p, --port <port>', 'HTTP port (HOOKRELAY_PORT, default 8071)')
    .option('--host <host>', 'interface to listen on (HOOKRELAY_HOST, default 127.0.0.1)')
    .addOption(new Option('--role <role>', 'what to run (HOOKRELAY_ROLE, default all)').choices(['all', 'api', 'worker']))
    .action(async (flags: ServeFlags) => {
      const config = configFromFlags({ dataDir: flags.dataDir, databaseUrl: flags.databaseUrl, role: flags.role, host: flags.host },
        flags.port === undefined ? {} : { port: parsePort(flags.port) });
      const server = await startServer(config);
      printBanner(server);
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        server.logger.info({ signal }, 'shutting down: finishing in-flight deliveries');
        server.close().then(() => process.exit(0), (err) => {
          server.logger.error({ err }, 'shutdown failed');
          process.exit(1);
        });
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
    });
}

function parsePort(raw: string): number {
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port '${raw}' must be an integer between 0 and 65535.`);
  return port;
}

/** What a first-time user needs: where it listens, the admin token, the dashboard, one curl that sends an event. */
export function printBanner(server: RunningServer): void {
  const { config, url, adminToken } = server;
  const storeDesc = config.databaseUrl ? 'postgres' : `sqlite (${join(config.dataDir, 'hookrelay.db')})`;
  const lines = [`Hookrelay ${url ? `listening on ${url}` : 'worker running'} — store: ${storeDesc}, role: ${config.role}`];
  if (url) {
    let tokenRef: string;
    if (config.adminToken) {
      lines.push('Admin token: the value of HOOKRELAY_ADMIN_TOKEN');
      tokenRef = '$HOOKRELAY_ADMIN_TOKEN';
    } else if (adminToken.generated) {
      lines.push(`Admin token (generated now, shown once; also saved to ${adminToken.file}):`, `  ${adminToken.generated}`);
      tokenRef = adminToken.generated;
    } else {
      lines.push(`Admin token: saved in ${adminToken.file}`);
      tokenRef = `$(cat ${adminToken.file})`;
    }
    lines.push(
      `Dashboard: ${url}/ (log in with the admin token)`,
      `API docs: ${url}/docs   OpenAPI: ${url}/api/v1/openapi.json   Metrics: ${url}/metrics`,
      'Send a first event (creates the application "demo" if needed):',
      `  curl -s -X POST ${url}/api/v1/app/demo/msg -H "Authorization: Bearer ${tokenRef}" -H 'Content-Type: application/json' \\`,
      `    -d '{"eventType":"user.registered","payload":{"userId":"u_1","email":"ada@example.com"},"application":{"name":"Demo","uid":"demo"}}'`,
    );
  }
  process.stdout.write(lines.join('\n') + '\n');
}
