import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { buildApi } from '../api/build-api.js';
import { DeliveryWorker } from '../delivery/worker.js';
import { EnvironmentSettingsCache } from '../domain/environment-settings.js';
import { OperationalWebhooks } from '../domain/operational-webhooks.js';
import { Outbox } from '../outbox/outbox.js';
import { TASK_LEASE_MS, TaskRunner } from '../delivery/task-runner.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { resolveAdminToken, type AdminToken } from './admin-token.js';
import { loadSecretBox } from './encryption-key.js';
import { checkEncryptionKey } from './encryption-key-check.js';
import { createLogger } from './logger.js';
import { registerOpsRoutes } from './ops-routes.js';
import { startOpsServer, type OpsServer } from './ops-server.js';
import { orderingWatchJob } from './ordering-watch-job.js';
import { usageReportJob } from './usage-report-job.js';
import { retentionJob } from './retention-job.js';
import { startTracing } from './tracing.js';

export interface RunningServer {
  config: Config;
  store: Store;
  /** Base URL of the HTTP API, when this process serves it. */
  url: string | null;
  /** Base URL of the ops port (HOOKRELAY_METRICS_PORT), when set. */
  opsUrl: string | null;
  adminToken: AdminToken;
  logger: Logger;
  close(): Promise<void>;
}

/**
 * `hookrelay serve`: open the store (migrating it), then start what the role asks for —
 * the HTTP API, the delivery workers, or both — plus the retention job. `close()` is the
 * graceful shutdown: stop accepting, let workers finish or release in-flight deliveries,
 * close the store.
 */
export async function startServer(config: Config, options: { logger?: Logger } = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(config);
  const secretBox = loadSecretBox(config);
  const store = await openStore(config, secretBox);
  try {
    await checkEncryptionKey(store, secretBox, config);
  } catch (err) {
    await store.close().catch(() => {});
    throw err;
  }
  const adminToken = await resolveAdminToken(store, config);
  // One copy of the environment settings per process: the API's new messages and the
  // operational webhooks (API or worker) both take their retention from it.
  const environment = new EnvironmentSettingsCache(store, config.retentionDays);
  try {
    await environment.refresh();
  } catch (err) {
    await store.close().catch(() => {});
    throw err;
  }
  // The process's one door into the message log, for the API and the operational webhooks alike.
  const outbox = new Outbox(store);
  const operational = new OperationalWebhooks(
    store,
    outbox,
    {
      operationalApp: config.operationalApp,
      get retentionDays() {
        return environment.retentionDays;
      },
    },
    logger,
  );

  let api: FastifyInstance | null = null;
  let url: string | null = null;
  let worker: DeliveryWorker | null = null;
  let tasks: TaskRunner | null = null;
  let opsServer: OpsServer | null = null;
  let closing: Promise<void> | null = null;
  const ops = { store, closing: () => closing !== null };
  const retention = retentionJob(store, logger, config.retentionIntervalMs);
  // Workers watch the ordered keys (an API-only process has no delivery work to watch).
  const orderingWatch =
    config.role === 'api' ? null : orderingWatchJob(store, operational, logger, config.orderingBlockedAfterMs);
  const usageReports = config.role === 'api' ? null : usageReportJob(store, outbox, logger, config);
  const tracing = startTracing(config, logger);

  try {
    if (config.role !== 'api') {
      worker = new DeliveryWorker({ store, config, logger, operational, tracer: tracing?.tracer });
      outbox.handOffTo(worker);
      worker.start();
      tasks = new TaskRunner({
        store,
        logger,
        ratePerSecond: config.replayRatePerSecond,
        leaseMs: Math.min(config.leaseMs, TASK_LEASE_MS),
      });
      tasks.start();
    }
    if (config.role !== 'worker') {
      const app = await buildApi({
        store,
        config,
        adminTokenHash: adminToken.hash,
        logger,
        operational,
        worker,
        outbox,
        environment,
        tracer: tracing?.tracer,
        extraRoutes: (a) => registerOpsRoutes(a, ops),
      });
      api = app;
      await app.listen({ port: config.port, host: config.host });
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      const host = config.host.includes(':') ? `[${config.host}]` : config.host;
      url = config.publicUrl ?? `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
    }
    if (config.metricsPort !== null) {
      opsServer = await startOpsServer({ ...ops, port: config.metricsPort, host: config.host });
      logger.info({ url: opsServer.url }, 'ops server listening (/metrics, /livez, /readyz)');
    }
    retention.start();
    orderingWatch?.start();
    usageReports?.start();
    environment.start((err) => logger.warn({ err }, 'environment settings: refresh failed; keeping the last values'));
  } catch (err) {
    await tasks?.stop().catch(() => {});
    await worker?.stop().catch(() => {});
    await api?.close().catch(() => {});
    await opsServer?.close().catch(() => {});
    await tracing?.shutdown().catch(() => {});
    await store.close().catch(() => {});
    throw err;
  }

  const close = () => {
    closing ??= (async () => {
      retention.stop();
      orderingWatch?.stop();
      usageReports?.stop();
      environment.stop();
      await api?.close();
      await tasks?.stop();
      await worker?.stop();
      await outbox.drain(); // what the worker's last outcomes emitted
      await opsServer?.close();
      // The last attempts' spans are exported before the process goes.
      await tracing?.shutdown().catch((err) => logger.warn({ err }, 'tracing: shutdown failed'));
      await store.close();
    })();
    return closing;
  };

  return { config, store, url, opsUrl: opsServer?.url ?? null, adminToken, logger, close };
}
