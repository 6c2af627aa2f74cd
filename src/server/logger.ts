import { pino, type Logger } from 'pino';
import type { Config } from '../config.js';

/** Query parameters whose values are credentials (the portal link carries `?token=`). */
const SECRET_QUERY = /([?&](?:token|access_token|secret|key|api_key)=)[^&#]*/gi;

/** A URL as logged: credential-bearing query values replaced, the rest kept for debugging. */
export function redactUrl(url: unknown): unknown {
  return typeof url === 'string' ? url.replace(SECRET_QUERY, '$1[redacted]') : url;
}

interface LoggedRequest {
  method?: string;
  url?: string;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number };
}

/** JSON logs on stdout (pino). Secrets never reach the log: authorization headers are redacted. */
export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({
    level: config.logLevel,
    base: { service: 'hookrelay' },
    redact: {
      paths: ['req.headers.authorization', 'headers.authorization', '*.secret', '*.key', 'secret', 'token'],
      censor: '[redacted]',
    },
    // Fastify's request serializer with the URL's credential query values redacted (this one
    // takes precedence over Fastify's own; test/security/secrets.test.ts found the portal
    // token in "incoming request" lines).
    serializers: {
      req: (req: LoggedRequest) => ({
        method: req.method,
        url: redactUrl(req.url),
        host: req.host,
        remoteAddress: req.ip,
        remotePort: req.socket?.remotePort,
      }),
    },
  });
}
