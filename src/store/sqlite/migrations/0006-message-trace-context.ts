import type { Migration } from './index.js';

/**
 * The W3C `traceparent` a message was accepted under (Message.traceContext), so the worker that
 * delivers it continues the ingest trace. NULL while tracing is off, which is the default.
 */
export const migration0006: Migration = {
  version: 6,
  name: 'message-trace-context',
  sql: `
ALTER TABLE messages ADD COLUMN trace_context TEXT;
`,
};
