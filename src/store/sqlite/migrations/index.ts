import { migration0001 } from './0001-initial.js';
import { migration0002 } from './0002-pending-by-endpoint.js';
import { migration0003 } from './0003-leaner-delivery-writes.js';
import { migration0004 } from './0004-token-sessions.js';
import { migration0006 } from './0006-message-trace-context.js';
import { migration0007 } from './0007-idempotency-keys.js';
import { migration0008 } from './0008-background-tasks.js';
import { migration0009 } from './0009-dead-letters.js';
import { migration0010 } from './0010-usage.js';
import { migration0011 } from './0011-ordering.js';
import { migration0012 } from './0012-usage-reports.js';
import { migration0013 } from './0013-usage-rollups.js';
import { migration0014 } from './0014-usage-feeds.js';
import { migration0015 } from './0015-job-runs.js';
import { migration0016 } from './0016-listen-channels.js';
import { migration0017 } from './0017-ordered-head-plans.js';

/** One numbered schema step. SQL lives in TypeScript so `tsc` ships it in dist/ (it does not copy .sql files). */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Every migration in order. Append only: a released migration is never edited. */
export const MIGRATIONS: readonly Migration[] = [
  migration0001,
  migration0002,
  migration0003,
  migration0004,
  migration0006,
  migration0007,
  migration0008,
  migration0009,
  migration0010,
  migration0011,
  migration0012,
  migration0013,
  migration0014,
  migration0015,
  migration0016,
  migration0017,
];
