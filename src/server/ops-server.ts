import Fastify from 'fastify';
import { registerOpsRoutes, type OpsState } from './ops-routes.js';

export interface OpsServer {
  url: string;
  close(): Promise<void>;
}

/** The ops port (HOOKRELAY_METRICS_PORT): /metrics, /livez and /readyz only, for any role. */
export async function startOpsServer(options: OpsState & { port: number; host: string }): Promise<OpsServer> {
  const app = Fastify({ logger: false });
  registerOpsRoutes(app, options);
  await app.listen({ port: options.port, host: options.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return { url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`, close: () => app.close() };
}
