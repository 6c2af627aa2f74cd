import { migration0001 } from './0001-initial.js';
import { migration0002 } from './0002-pending-by-endpoint.js';
import { migration0003 } from './0003-no-due-index.js';
import { migration0004 } from './0004-ingest-room.js';
import { migration0005 } from './0005-ingest-room-by-seek.js';
import { migration0006 } from './0006-token-sessions.js';
import { migration0007 } from './0007-rate-budgets.js';
import { migration0008 } from './0008-cluster-coordination.js';
import { migration0009 } from './0009-message-trace-context.js';
import { migration0010 } from './0010-background-tasks.js';
import { migration0011 } from './0011-dead-letters.js';
import { migration0012 } from './0012-usage.js';
import { migration0013 } from './0013-ordering.js';
import { migration0014 } from './0014-usage-reports.js';
import { migration0015 } from './0015-usage-rollups.js';
import { migration0016 } from './0016-usage-feeds.js';
import { migration0017 } from './0017-attempts-without-delivery-key.js';

/**
 * Numbered, append-only migrations. Never edit one that has shipped: add the next number.
 * `migrate.ts` applies the ones `schema_migrations` does not list, in this order.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  migration0001,
  migration0002,
  migration0003,
  migration0004,
  migration0005,
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
