import { ConfigError } from './errors.js';
import {
  bool,
  databaseUrl,
  encryptionKey,
  int,
  oneOf,
  optionalInt,
  optionalStr,
  parseCidrList,
  parseRetrySchedule,
  str,
} from './config-parsers.js';

/**
 * Every option Hookrelay reads, in one place: its env var, its default and why.
 * `loadConfig()` validates all of them at start and throws a ConfigError naming the
 * variable and the bad value. docs/configuration.md lists the same table (a test keeps
 * them in step), and `hookrelay serve --help` shows the flags that override them.
 */

export type Role = 'all' | 'api' | 'worker';
export type SqliteSynchronous = 'FULL' | 'NORMAL';
export type TracingMode = 'off' | 'otlp';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | null;
  databaseQueryTimeoutMs: number;
  adminToken: string | null;
  encryptionKey: string | null;
  allowNetworks: string[];
  retrySchedule: number[];
  requestTimeoutMs: number;
  leaseMs: number;
  role: Role;
  workerConcurrency: number;
  endpointConcurrency: number;
  claimBatchSize: number;
  pollIntervalMs: number;
  disableAfterFailingMs: number;
  maxPayloadBytes: number;
  responseBodyLimitBytes: number;
  svixHeaders: boolean;
  operationalApp: string;
  publicUrl: string | null;
  logLevel: string;
  tracing: TracingMode;
  traceparentToReceiver: boolean;
  metricsPort: number | null;
  metricsEndpointLabels: number;
  sqliteSynchronous: SqliteSynchronous;
  sqliteThread: boolean;
  retentionDays: number;
  retentionIntervalMs: number;
  replayRatePerSecond: number;
  usageWindowDays: number;
  orderingBlockedAfterMs: number;
  usageReportIntervalMs: number;
  portalLinkTtlSeconds: number;
  apiRateLimitPerToken: number | null;
  apiRateLimitPerApp: number | null;
}

interface OptionSpec<K extends keyof Config> {
  key: K;
  env: string;
  default: Config[K];
  doc: string;
  parse: (raw: string, env: string) => Config[K];
}

/** The option table. Order here is the order in docs/configuration.md. */
export const OPTIONS: ReadonlyArray<OptionSpec<keyof Config>> = [
  {
    key: 'port',
    env: 'HOOKRELAY_PORT',
    default: 8071,
    parse: int(0, 65535),
    doc: 'TCP port of the HTTP API (8071 is the port Svix uses, so SDK examples work unchanged).',
  },
  {
    key: 'host',
    env: 'HOOKRELAY_HOST',
    default: '127.0.0.1',
    parse: str,
    doc: 'Interface to listen on. Loopback by default so a first run is not exposed; use 0.0.0.0 in a container.',
  },
  {
    key: 'dataDir',
    env: 'HOOKRELAY_DATA_DIR',
    default: './.hookrelay',
    parse: str,
    doc: 'Directory of the SQLite file, the generated admin token and the generated encryption key.',
  },
  {
    key: 'databaseUrl',
    env: 'HOOKRELAY_DATABASE_URL',
    default: null,
    parse: databaseUrl,
    doc: 'A postgres:// URL switches the store from the embedded SQLite file to PostgreSQL (many API and worker processes can share it). Connect directly or through a session-mode pooler: LISTEN/NOTIFY and the named prepared statements need a session.',
  },
  {
    key: 'databaseQueryTimeoutMs',
    env: 'HOOKRELAY_DATABASE_QUERY_TIMEOUT_MS',
    default: 30000,
    parse: int(100, 600000),
    doc: 'PostgreSQL: how long one statement may wait for its answer before the request gets 503 store_unavailable and the connection is discarded. Bounds the wait in a silent network partition; it also cuts lock waits that long, so keep it well above them.',
  },
  {
    key: 'adminToken',
    env: 'HOOKRELAY_ADMIN_TOKEN',
    default: null,
    parse: optionalStr,
    doc: 'The admin bearer token. When unset, one is generated on first start, stored (hashed) and printed once.',
  },
  {
    key: 'encryptionKey',
    env: 'HOOKRELAY_ENCRYPTION_KEY',
    default: null,
    parse: encryptionKey,
    doc: 'Base64 32-byte key that encrypts endpoint secrets at rest (AES-256-GCM). When unset, one is generated into the data dir. Set it when several machines share PostgreSQL.',
  },
  {
    key: 'allowNetworks',
    env: 'HOOKRELAY_ALLOW_NETWORKS',
    default: [],
    parse: parseCidrList,
    doc: 'Comma-separated CIDRs the SSRF guard lets through although they are private or loopback (e.g. 127.0.0.0/8,::1/128 for local development).',
  },
  {
    key: 'retrySchedule',
    env: 'HOOKRELAY_RETRY_SCHEDULE',
    default: [0, 5, 300, 1800, 7200, 18000, 36000, 36000],
    parse: parseRetrySchedule,
    doc: 'Delays in seconds before each attempt (the first is the initial attempt); ±20% jitter is applied to each.',
  },
  {
    key: 'requestTimeoutMs',
    env: 'HOOKRELAY_REQUEST_TIMEOUT_MS',
    default: 15000,
    parse: int(100, 300000),
    doc: 'Timeout of one delivery request, connect to last byte. A timeout is a failed attempt.',
  },
  {
    key: 'leaseMs',
    env: 'HOOKRELAY_LEASE_MS',
    default: 60000,
    parse: int(1000, 3600000),
    doc: "How long a worker owns a claimed delivery. Must exceed the request timeout so a slow request is never sent twice at once; a crashed worker's rows are claimable again after it. A background task's lease is this too, at most 10 s.",
  },
  {
    key: 'role',
    env: 'HOOKRELAY_ROLE',
    default: 'all',
    parse: oneOf<Role>('all', 'api', 'worker'),
    doc: 'What `serve` runs: the API and the delivery workers (all), only the API, or only workers.',
  },
  {
    key: 'workerConcurrency',
    env: 'HOOKRELAY_WORKER_CONCURRENCY',
    default: 512,
    parse: int(1, 100000),
    doc: 'Global cap on delivery requests in flight in one process.',
  },
  {
    key: 'endpointConcurrency',
    env: 'HOOKRELAY_ENDPOINT_CONCURRENCY',
    default: 32,
    parse: int(1, 10000),
    doc: 'Cap on requests in flight to one endpoint from one worker process, so one slow endpoint cannot take every slot. The store leases an endpoint at most 8× this many rows across all workers (the next request starts as soon as one finishes), not counting rows whose request is over and whose outcome waits for its commit: several worker processes together never hold more than 8× this many of its rows to send.',
  },
  {
    key: 'claimBatchSize',
    env: 'HOOKRELAY_CLAIM_BATCH_SIZE',
    default: 256,
    parse: int(1, 10000),
    doc: 'Deliveries claimed per store round trip.',
  },
  {
    key: 'pollIntervalMs',
    env: 'HOOKRELAY_POLL_INTERVAL_MS',
    default: 1000,
    parse: int(10, 60000),
    doc: 'How often an idle worker looks for due deliveries (new messages wake it at once; this catches retries and other processes).',
  },
  {
    key: 'disableAfterFailingMs',
    env: 'HOOKRELAY_DISABLE_AFTER_FAILING_MS',
    default: 5 * 86400 * 1000,
    parse: int(1000, 365 * 86400 * 1000),
    doc: 'An endpoint whose every attempt has failed for this long is disabled (5 days).',
  },
  {
    key: 'maxPayloadBytes',
    env: 'HOOKRELAY_MAX_PAYLOAD_BYTES',
    default: 1024 * 1024,
    parse: int(1024, 64 * 1024 * 1024),
    doc: 'Largest accepted request body; larger bodies get 413.',
  },
  {
    key: 'responseBodyLimitBytes',
    env: 'HOOKRELAY_RESPONSE_BODY_LIMIT_BYTES',
    default: 20 * 1024,
    parse: int(0, 1024 * 1024),
    doc: "How much of a receiver's response body is read and stored with the attempt; the rest is discarded unread.",
  },
  {
    key: 'svixHeaders',
    env: 'HOOKRELAY_SVIX_HEADERS',
    default: false,
    parse: bool,
    doc: 'Also send svix-id / svix-timestamp / svix-signature headers on every delivery (receivers built for Svix). Endpoints can opt in one by one.',
  },
  {
    key: 'operationalApp',
    env: 'HOOKRELAY_OPERATIONAL_APP',
    default: 'hookrelay-operational',
    parse: str,
    doc: 'uid (or id) of the application that receives operational webhooks (endpoint.*, message.attempt.*). Create it and add endpoints to it to subscribe; when it does not exist none are sent.',
  },
  {
    key: 'publicUrl',
    env: 'HOOKRELAY_PUBLIC_URL',
    default: null,
    parse: optionalStr,
    doc: 'Base URL clients use to reach this server (portal links, listen channel URLs). Defaults to http://HOST:PORT.',
  },
  {
    key: 'logLevel',
    env: 'HOOKRELAY_LOG_LEVEL',
    default: 'info',
    parse: oneOf('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'),
    doc: 'pino log level; logs are JSON on stdout.',
  },
  {
    key: 'tracing',
    env: 'HOOKRELAY_TRACING',
    default: 'off',
    parse: oneOf<TracingMode>('off', 'otlp'),
    doc: "OpenTelemetry traces. otlp: a span per message accepted (child of the request's `traceparent`, if any) and per delivery attempt (child of its message's span, in whichever process sends it), exported over OTLP/HTTP as JSON. The standard variables apply: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, or OTEL_EXPORTER_OTLP_ENDPOINT plus /v1/traces (Default: http://localhost:4318/v1/traces); OTEL_EXPORTER_OTLP_HEADERS; OTEL_SERVICE_NAME (Default here: hookrelay); OTEL_RESOURCE_ATTRIBUTES; OTEL_TRACES_SAMPLER; OTEL_BSP_SCHEDULE_DELAY. off: no spans, and messages store no trace context.",
  },
  {
    key: 'traceparentToReceiver',
    env: 'HOOKRELAY_TRACEPARENT_TO_RECEIVER',
    default: false,
    parse: bool,
    doc: "With tracing on, send each delivery attempt's W3C `traceparent` header to the receiver, so its own spans join the trace. Off by default: it tells receivers the sender's trace IDs.",
  },
  {
    key: 'metricsPort',
    env: 'HOOKRELAY_METRICS_PORT',
    default: null,
    parse: optionalInt(0, 65535),
    doc: 'Also serve /metrics, /livez and /readyz on this port, on HOOKRELAY_HOST (any role; a `--role worker` process has no other HTTP port, so set it there to scrape its deliveries). 0 picks a free port, printed at start. Unset: the API port serves them, and a worker-only process serves none.',
  },
  {
    key: 'metricsEndpointLabels',
    env: 'HOOKRELAY_METRICS_ENDPOINT_LABELS',
    default: 100,
    parse: int(0, 100000),
    doc: 'How many endpoints get app_id/endpoint_id labels of their own on hookrelay_endpoint_attempts_total in one process (the first ones it sends to); later ones are summed under "_other", so a large tenant count cannot blow up the metrics store. 0: none.',
  },
  {
    key: 'sqliteSynchronous',
    env: 'HOOKRELAY_SQLITE_SYNCHRONOUS',
    default: 'FULL',
    parse: oneOf<SqliteSynchronous>('FULL', 'NORMAL'),
    doc: 'SQLite durability. FULL: every acknowledged write is on disk first (ingest fdatasyncs the WAL off the event loop, one sync per group of commits), so nothing acknowledged is lost on power failure. NORMAL skips that sync: the last commits may be lost on power loss, never on a process crash.',
  },
  {
    key: 'sqliteThread',
    env: 'HOOKRELAY_SQLITE_THREAD',
    default: true,
    parse: bool,
    doc: 'Run SQLite on a thread of its own (one connection, as before), so the event loop that serves the API and sends deliveries never waits for a statement or a commit; the two then use two cores. A store thread that dies is started again (the calls it had in flight fail as 503 store_unavailable). false: SQLite runs on the event loop (one thread fewer, slower under load).',
  },
  {
    key: 'retentionDays',
    env: 'HOOKRELAY_RETENTION_DAYS',
    default: 90,
    parse: int(1, 3650),
    doc: 'Default payload retention: message payloads and attempt bodies older than this are expunged (counts remain). The environment setting `retentionDays` (PATCH /api/v1/management/environment-settings) overrides it for new messages.',
  },
  {
    key: 'retentionIntervalMs',
    env: 'HOOKRELAY_RETENTION_INTERVAL_MS',
    default: 3_600_000,
    parse: int(1000, 86_400_000),
    doc: 'How often the retention job expunges expired content. It runs once per interval across all processes on one database, whichever process takes the period first.',
  },
  {
    key: 'replayRatePerSecond',
    env: 'HOOKRELAY_REPLAY_RATE',
    default: 500,
    parse: int(1, 100_000),
    doc: "Most deliveries per second one background task (recover, replay-missing, bulk-replay) makes due. It makes them due in chunks of a fiftieth of a second of this rate, and waits while its endpoint already has a tenth of a second of it due, so replays fill an endpoint's spare capacity and new messages never queue behind a whole replay.",
  },
  {
    key: 'orderingBlockedAfterMs',
    env: 'HOOKRELAY_ORDERING_BLOCKED_AFTER_MS',
    default: 900_000,
    parse: int(1000, 7 * 86_400_000),
    doc: "An ordered endpoint's key whose head has failed (retrying, or failed for good) for this long is reported once by the operational webhook `message.ordering.blocked`, so an operator can skip or retry it. Checked every minute (or this often, if shorter) by one process.",
  },
  {
    key: 'usageReportIntervalMs',
    env: 'HOOKRELAY_USAGE_REPORT_INTERVAL_MS',
    default: 30_000,
    parse: int(250, 3_600_000),
    doc: "How often one worker process runs usage reporting: each meter's ended periods (after their grace) become `usage.report` messages, late events produce the next version, crossed thresholds `usage.threshold.crossed`. A report or crossing is sent at most this long (plus 5 s for arrivals still committing) after it is due.",
  },
  {
    key: 'usageWindowDays',
    env: 'HOOKRELAY_USAGE_WINDOW_DAYS',
    default: 35,
    parse: int(1, 3650),
    doc: 'Usage events (POST /api/v1/usage/events) older than this are refused, each on its own: a period is only reported exactly while its late events can still arrive.',
  },
  {
    key: 'portalLinkTtlSeconds',
    env: 'HOOKRELAY_PORTAL_LINK_TTL_SECONDS',
    default: 3600,
    parse: int(1, 604800),
    doc: "How long a consumer-portal login link (app-portal-access `url`) can be opened, at most; its one-time key works once and never past the session's own expiry. Short, because the link travels by email or chat while the session it opens lasts up to 7 days.",
  },
  {
    key: 'apiRateLimitPerToken',
    env: 'HOOKRELAY_API_RATE_LIMIT_PER_TOKEN',
    default: null,
    parse: optionalInt(1, 1_000_000),
    doc: "Requests per second one bearer token may make to /api/v1, with one second of burst (this many at once, then this many per second). Over it: 429 rate_limited with Retry-After (seconds). Counted across every API process on one PostgreSQL database (SQLite: in the process). Routes that need no token (health, OpenAPI, the UI, listen channels' inbound URLs) are not counted. Unset: no limit.",
  },
  {
    key: 'apiRateLimitPerApp',
    env: 'HOOKRELAY_API_RATE_LIMIT_PER_APP',
    default: null,
    parse: optionalInt(1, 1_000_000),
    doc: "Requests per second to one application, all tokens together, with one second of burst: an app token's every request, and an admin token's requests to /api/v1/app/{app_id}/…. Over it: 429 rate_limited with Retry-After, across API processes as above. Unset: no limit.",
  },
];

/** Build the config from the environment, then apply explicit overrides (CLI flags, tests). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const config = {} as Record<string, unknown>;
  for (const opt of OPTIONS) {
    const raw = env[opt.env];
    config[opt.key] = raw === undefined ? opt.default : opt.parse(raw, opt.env);
  }
  Object.assign(config, Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)));
  const result = config as unknown as Config;
  if (result.leaseMs <= result.requestTimeoutMs) {
    throw new ConfigError(
      `HOOKRELAY_LEASE_MS (${result.leaseMs}) must be longer than HOOKRELAY_REQUEST_TIMEOUT_MS (${result.requestTimeoutMs}), or a slow request could be sent twice at once.`,
    );
  }
  return result;
}

/** The default config with overrides, ignoring the environment (tests). */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return loadConfig({}, overrides);
}
