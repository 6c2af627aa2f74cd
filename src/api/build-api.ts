import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Tracer } from '@opentelemetry/api';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import { EnvironmentSettingsCache } from '../domain/environment-settings.js';
import type { OperationalWebhooks } from '../domain/operational-webhooks.js';
import type { Store } from '../store/store.js';
import { closeConnectionsWhenClosing } from './close-connections-when-closing.js';
import { Authenticator } from './auth.js';
import { ApiRateLimits } from './rate-limits.js';
import type { ApiContext } from './context.js';
import { handleError } from './error-handler.js';
import { idempotencyHooks } from './idempotency.js';
import { limitJsonDepth } from './json-depth.js';
import { AppIdCache } from './app-id-cache.js';
import { Outbox, type ClaimingWorker } from '../outbox/outbox.js';
import { openapiOptions } from './openapi.js';
import { applicationRoutes } from './routes/applications.js';
import { attemptRoutes } from './routes/attempts.js';
import { backgroundTaskRoutes } from './routes/background-tasks.js';
import { deadLetterRoutes } from './routes/dead-letters.js';
import { endpointOrderingRoutes } from './routes/endpoint-ordering.js';
import { usageRoutes } from './routes/usage.js';
import { endpointReplayRoutes } from './routes/endpoint-replays.js';
import { authRoutes } from './routes/auth.js';
import { endpointExtraRoutes } from './routes/endpoint-extras.js';
import { endpointRoutes } from './routes/endpoints.js';
import { eventTypeRoutes } from './routes/event-types.js';
import { healthRoutes } from './routes/health.js';
import { messageRoutes } from './routes/messages.js';
import { operationalWebhookEndpointRoutes } from './routes/operational-webhook-endpoints.js';
import { operatorStatsRoutes } from './routes/operator-stats.js';
import { sessionRoutes } from './routes/sessions.js';
import { settingsRoutes } from './routes/settings.js';
import { statsRoutes } from './routes/stats.js';
import { MODELS } from './schemas/index.js';
import { DEFAULT_UI_ROOT, uiPages } from './ui-pages.js';
import { refuseUnstorableStrings } from './storable-strings.js';
import { makeValidatorCompiler } from './validator.js';
import { BadRequestError, NotFoundError } from '../errors.js';
import { pullRoutes } from '../pull/pull-routes.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The body may be omitted (treated as `{}`): rotate-secret, resend, portal access. */
    optionalBody?: boolean;
    /** Top-level body fields kept verbatim as JSON text, exempt from refuseUnstorableStrings. */
    opaqueBodyFields?: string[];
  }
}

export interface ApiDeps {
  store: Store;
  config: Config;
  /** sha256 hex of the admin token (src/server/admin-token.ts). */
  adminTokenHash: string;
  /** A pino logger; false or absent = no request logs (tests). */
  logger?: FastifyBaseLogger | false;
  operational?: OperationalWebhooks;
  /** Routes the server adds beside the API before it is sealed (e.g. /metrics). */
  extraRoutes?: (app: FastifyInstance) => void;
  /** The delivery worker of this process, if it runs one: ingest claims for it (src/outbox/outbox.ts). */
  worker?: ClaimingWorker | null;
  /** The process's outbox, shared with its other producers. (Default: one of the API's own, handing off to `worker`) */
  outbox?: Outbox;
  /** The process's environment settings (the server shares one with its worker). (Default: one of the API's own, loaded now) */
  environment?: EnvironmentSettingsCache;
  /** The built dashboard and portal. (Default: dist/ui of this installation) */
  uiRoot?: string;
  /** Spans for accepted messages (HOOKRELAY_TRACING). (Default: none) */
  tracer?: Tracer | null;
}

/**
 * The HTTP API: Svix-compatible routes under /api/v1, the OpenAPI 3.1 document generated
 * from the same TypeBox schemas that validate requests (/api/v1/openapi.json), and a docs
 * page (/docs). Returns the Fastify instance without listening: tests use `inject`, the
 * server calls `listen`.
 */
export async function buildApi(deps: ApiDeps): Promise<FastifyInstance> {
  const { store, config } = deps;
  const app = Fastify({
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: false }),
    bodyLimit: config.maxPayloadBytes,
    routerOptions: { maxParamLength: 512 },
    // Errors raised while routing (before any hook) go through the same error map.
    frameworkErrors: (err, req, reply) =>
      handleError(
        err.code === 'FST_ERR_MAX_PARAM_LENGTH'
          ? new NotFoundError('Resource', '(path parameter too long)')
          : new BadRequestError(err.message),
        req,
        reply,
      ),
  }).withTypeProvider<TypeBoxTypeProvider>();

  // JSON only: anything else is a 415 rather than a string handed to the routes.
  app.removeContentTypeParser('text/plain');
  // Bodies nested thousands deep would overflow JSON.stringify later (a 500): refuse them as 400.
  limitJsonDepth(app as unknown as FastifyInstance);

  for (const model of MODELS) app.addSchema(model);
  app.setValidatorCompiler(makeValidatorCompiler(MODELS));
  // Responses are built by serializers.ts, and messages as JSON text by domain/message-out.ts (sent
  // as they are). JSON.stringify spares compiling a fast-json-stringify serializer per route and
  // status at start-up; the response schemas still document every route in OpenAPI.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  app.setErrorHandler(handleError);
  closeConnectionsWhenClosing(app as unknown as FastifyInstance);
  app.setNotFoundHandler((req) => {
    throw new NotFoundError('Route', `${req.method} ${req.url.split('?')[0]}`);
  });

  const limits = ApiRateLimits.of(store, { perToken: config.apiRateLimitPerToken, perApp: config.apiRateLimitPerApp });
  const auth = new Authenticator(store, deps.adminTokenHash, limits);
  app.decorateRequest('principal', null);
  app.decorateRequest('idempotency', null);
  app.addHook('onRequest', async (req) => {
    // Routes outside /api/v1 (docs page, metrics) are public unless they say otherwise.
    if (req.routeOptions.config?.access === undefined && !req.routeOptions.url?.startsWith('/api/v1')) return;
    await auth.authorize(req);
  });
  app.addHook('preValidation', async (req) => {
    if (req.body === undefined && req.routeOptions.config?.optionalBody) req.body = {};
  });
  app.addHook('preValidation', refuseUnstorableStrings);
  const idem = idempotencyHooks(store);
  app.addHook('preHandler', idem.preHandler);
  app.addHook('onSend', idem.onSend);

  await app.register(swagger, openapiOptions());
  await app.register(swaggerUi, { routePrefix: '/docs' });

  const outbox = deps.outbox ?? new Outbox(store, { worker: deps.worker });
  app.addHook('onClose', async () => outbox.drain());
  const environment = deps.environment ?? (await ownEnvironment(app as unknown as FastifyInstance, store, config));
  const ctx: ApiContext = {
    store,
    config,
    operational: deps.operational,
    outbox,
    appIds: new AppIdCache(),
    environment,
    tracer: deps.tracer ?? null,
  };

  healthRoutes(app, ctx);
  applicationRoutes(app, ctx);
  eventTypeRoutes(app, ctx);
  endpointRoutes(app, ctx);
  endpointExtraRoutes(app, ctx);
  endpointReplayRoutes(app, ctx);
  messageRoutes(app, ctx);
  attemptRoutes(app, ctx);
  authRoutes(app, ctx);
  sessionRoutes(app, ctx);
  settingsRoutes(app, ctx);
  statsRoutes(app, ctx);
  operatorStatsRoutes(app, ctx);
  operationalWebhookEndpointRoutes(app, ctx);
  backgroundTaskRoutes(app, ctx);
  deadLetterRoutes(app, ctx);
  endpointOrderingRoutes(app, ctx);
  usageRoutes(app, ctx);
  await app.register(pullRoutes, { store, config, listenSecret: deps.adminTokenHash });

  app.get('/api/v1/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());
  await uiPages(app as unknown as FastifyInstance, { root: deps.uiRoot ?? DEFAULT_UI_ROOT, store, environment });

  deps.extraRoutes?.(app as unknown as FastifyInstance);
  await app.ready();
  return app;
}

/**
 * Environment settings for an API built without the server's (tests, the OpenAPI writer): loaded
 * now, refreshed until close. A store that cannot answer yet leaves the defaults in place.
 */
async function ownEnvironment(app: FastifyInstance, store: Store, config: Config): Promise<EnvironmentSettingsCache> {
  const environment = new EnvironmentSettingsCache(store, config.retentionDays);
  const warn = (err: unknown) => app.log.warn({ err }, 'environment settings: refresh failed; keeping the last values');
  await environment.refresh().catch(warn);
  environment.start(warn);
  app.addHook('onClose', async () => environment.stop());
  return environment;
}
