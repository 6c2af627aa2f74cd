import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Tracer } from '@opentelemetry/api';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { Config } from '../config.js';
import type { EnvironmentSettingsCache } from '../domain/environment-settings.js';
import type { OperationalWebhooks } from '../domain/operational-webhooks.js';
import type { Store } from '../store/store.js';
import type { AppIdCache } from './app-id-cache.js';
import type { Outbox } from '../outbox/outbox.js';

/** What every route module gets: the store, the config and the shared helpers. */
export interface ApiContext {
  store: Store;
  config: Config;
  operational?: OperationalWebhooks;
  outbox: Outbox;
  /** Message creation's app lookups (routes that change or delete apps clear it). */
  appIds: AppIdCache;
  /** The environment settings (portal look, framing, effective retention), cached in memory. */
  environment: EnvironmentSettingsCache;
  /** Spans for accepted messages when tracing is on (ingest-span.ts); null: none. */
  tracer?: Tracer | null;
}

export type Api = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export const PREFIX = '/api/v1';
