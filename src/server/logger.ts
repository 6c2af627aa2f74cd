import { pino, type Logger } from 'pino';
import type { Config } from '../config.js';

/** JSON logs on stdout (pino). Secrets never reach the log: authorization headers are redacted. */
export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({
    level: config.logLevel,
    base: { service: 'hookrelay' },
    redact: { paths: ['req.headers.authorization', 'headers.authorization', '*.secret', '*.key', 'secret', 'token'], censor: '[redacted]' },
  });
}
